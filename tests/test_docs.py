"""The documentation is generated from the rules and must stay complete.

A rule cannot ship undocumented: its docstring must have the four required
sections, and for copydesk's own rules the Example copy must trigger the
rule and the Use instead copy must not. The site must build with
``mkdocs build --strict``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from copydesk import docgen
from copydesk.document import Document
from copydesk.engine import Linter
from copydesk.plugin import Option, rule
from copydesk.plugin.manager import load_registry
from copydesk.plugin.rule import ConfiguredRule

ROOT = Path(__file__).resolve().parent.parent

REGISTRY = load_registry(entry_points=False)
RULES = list(REGISTRY)
# proselint's rules are generated from proselint's checks: they must have the
# sections, but their examples are not guaranteed to be runnable copy.
# Rules whose Example and Use instead copy is run through the engine on one
# document: not proselint's (generated), not run-scoped ones (compared
# across files; tests/test_crossfile.py covers CD202).
EDITORIAL_RULES = [r for r in RULES if r.group != "proselint" and r.scope != "run"]


def rule_id(r) -> str:
    return f"{r.code}-{r.name}"


def codes_found(r, text: str) -> list[tuple[str, str]]:
    linter = Linter([ConfiguredRule(r, r.option_defaults())])
    document = Document(text, None, markup="text")
    result = linter.lint(document)
    assert not result.failures, [f.describe() for f in result.failures]
    return [(d.code, text[d.start : d.end]) for d in result.diagnostics if d.code == r.code]


@pytest.mark.parametrize("r", RULES, ids=rule_id)
def test_every_rule_has_the_required_documentation_sections(r):
    assert r.summary.strip(), f"{r.code} has no summary"
    assert docgen.documentation_of(r).problems() == []


@pytest.mark.parametrize("r", EDITORIAL_RULES, ids=rule_id)
def test_the_example_copy_triggers_the_rule(r):
    example = docgen.documentation_of(r).text_block("Example")
    assert example is not None, f"{r.code}: '## Example' needs a ```text block"
    assert codes_found(r, example), f"{r.code} does not fire on its own Example:\n{example}"


@pytest.mark.parametrize("r", EDITORIAL_RULES, ids=rule_id)
def test_the_use_instead_copy_does_not_trigger_the_rule(r):
    corrected = docgen.documentation_of(r).text_block("Use instead")
    assert corrected is not None, f"{r.code}: '## Use instead' needs a ```text block"
    assert codes_found(r, corrected) == []


def test_the_checks_above_run_on_the_built_in_rules():
    # Guards the parametrised tests against silently running on nothing.
    assert {"CD101", "CD102", "CD201", "CD301", "CD401"} <= {r.code for r in EDITORIAL_RULES}
    assert any(r.group == "proselint" for r in RULES)


def documented_rule(documentation: str):
    @rule("NWS101", "spelled-out-percent", "Write 'per cent', not '%'.", options=[Option("limit", 3, "How many.")])
    def spelled_out_percent(document, options):
        return ()

    return replace(spelled_out_percent, documentation=documentation)


COMPLETE = """Intro sentence.

## What it does
Flags '%'.

## Why is this bad?
The style book says so.

## Example
```text
Prices rose 5%.
```

## Use instead
```text
Prices rose 5 per cent.
```
"""


def test_a_missing_section_is_reported_by_name():
    doc = COMPLETE.replace("## Why is this bad?\nThe style book says so.\n", "")
    assert docgen.RuleDocumentation.parse(doc).problems() == ["missing section '## Why is this bad?'"]


def test_an_empty_or_misspelt_section_is_reported():
    doc = COMPLETE.replace("## Use instead", "## Instead")
    problems = docgen.RuleDocumentation.parse(doc).problems()
    assert "missing section '## Use instead'" in problems
    assert "unexpected section '## Instead'" in problems
    assert docgen.RuleDocumentation.parse("## What it does\n\n## Why is this bad?\nx").problems()[0] == (
        "missing section '## What it does'"
    )


def test_headings_inside_example_copy_do_not_split_sections():
    doc = COMPLETE.replace("Prices rose 5%.", "## Markets\nPrices rose 5%.")
    parsed = docgen.RuleDocumentation.parse(doc)
    assert parsed.problems() == []
    assert parsed.text_block("Example") == "## Markets\nPrices rose 5%.\n"
    assert parsed.text_block("Use instead") == "Prices rose 5 per cent.\n"


def test_a_rule_page_shows_metadata_documentation_and_options():
    r = documented_rule(COMPLETE).with_plugin("house-style")
    page = docgen.render_rule_page(r)
    assert page.startswith("# spelled-out-percent (NWS101)\n")
    for expected in (
        "| Code | `NWS101` |",
        "| Default severity | warning |",
        "| Provided by | plugin `house-style` |",
        "## What it does\n\nFlags '%'.",
        "## Example\n\n```text\nPrices rose 5%.\n```",
        "| `limit` | int | `3` | How many. |",
        "[tool.copydesk.rules.spelled-out-percent]\nlimit = 3",
        'ignore = ["NWS101"]',
    ):
        assert expected in page
    assert page.index("## What it does") < page.index("## Use instead") < page.index("## Options")


def test_generated_pages_cover_every_rule_and_the_index_links_them():
    pages = docgen.generate_pages(RULES)
    index = pages[docgen.RULES_INDEX]
    for r in RULES:
        assert docgen.rule_page_path(r) in pages
        assert f"]({r.name}.md)" in index
    # Editorial rules' pages show what the engine reports on their example.
    for r in EDITORIAL_RULES:
        page = pages[docgen.rule_page_path(r)]
        assert re.search(rf"copydesk reports.*\n\n```text\nexample\.txt:\d+:\d+: {r.code} \[{re.escape(r.name)}\] ", page), r.code


def test_the_docs_site_builds_strictly(tmp_path):
    site = tmp_path / "site"
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    assert (site / "index.html").is_file()
    assert (site / "rules" / "index.html").is_file()
    for r in RULES:
        page = site / "rules" / r.name / "index.html"
        assert page.is_file(), f"no page for {r.code}"
    assert not (site / "hooks.py").exists()
    # Output examples are produced by running copydesk during the build.
    formats_page = (site / "output-formats" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"\$ copydesk check story\.txt\nstory\.txt:\d+:\d+: CD\d+ \[", formats_page)
    for page in site.rglob("*.html"):
        assert not re.search(r"copydesk-(run|file)", page.read_text(encoding="utf-8")), f"unexpanded example in {page}"


DOCS = ROOT / "docs"


def test_every_configuration_key_is_documented():
    from copydesk.config import KNOWN_KEYS

    reference = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = [key for key in sorted(KNOWN_KEYS) if f"### `{key}`" not in reference]
    assert missing == []


def test_every_option_of_copydesk_check_is_documented():
    from copydesk.cli import main

    reference = (DOCS / "configuration.md").read_text(encoding="utf-8")
    options = [
        flag
        for parameter in main.commands["check"].params
        for flag in (*parameter.opts, *parameter.secondary_opts)
        if flag.startswith("--") and flag != "--help"
    ]
    assert options, "found no options to check"
    assert [flag for flag in options if f"`{flag}" not in reference] == []


def test_tools_link_to_the_published_rule_pages():
    # SARIF's helpUri and the language server's codeDescription must point at
    # the pages this site publishes.
    import json

    import yaml

    from copydesk import formats
    from copydesk.api import Session

    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    report = Session().lint_text((DOCS / "samples" / "story.txt").read_text(encoding="utf-8"), path="story.txt")
    sarif = json.loads(formats.format_sarif([formats_file(report)], registry=REGISTRY))
    links = {rule["id"]: rule["helpUri"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "CD101" in links
    for code, link in links.items():
        assert link == docgen.rule_url(REGISTRY.get(code), site_url)

    lsp_convert = pytest.importorskip("copydesk.lsp.convert")
    for r in RULES:
        assert lsp_convert.rule_doc_url(r.name) == docgen.rule_url(r, site_url)


def formats_file(report):
    class File:
        path = report.path
        diagnostics = report.diagnostics
        line_index = report.document.line_index

    return File()


@pytest.mark.parametrize("sample", ["region.md", "line.txt"])
def test_the_suppression_examples_in_the_docs_suppress_a_real_finding(sample):
    from copydesk.api import Session
    from copydesk.suppression import BRACKET_DIRECTIVE

    path = DOCS / "samples" / sample
    text = path.read_text(encoding="utf-8")
    without = BRACKET_DIRECTIVE.sub("", re.sub(r"<!--.*?-->", "", text))
    session = Session()
    assert session.lint_text(text, path=str(path)).diagnostics == []
    assert session.lint_text(without, path=str(path)).diagnostics != []


def test_the_generator_writes_the_rule_pages_to_disk(tmp_path):
    assert docgen.main([str(tmp_path)]) == 0
    written = {path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.md")}
    assert written == set(docgen.generate_pages(RULES))


def fenced_blocks(language: str):
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(rf"^```{language}\n(.*?)^```$", text, re.MULTILINE | re.DOTALL):
            yield page.name, match[1]


def test_every_toml_and_yaml_example_in_the_docs_parses():
    import yaml

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    toml_blocks = list(fenced_blocks("toml"))
    yaml_blocks = list(fenced_blocks("yaml"))
    assert toml_blocks and yaml_blocks
    for page, block in toml_blocks:
        tomllib.loads(block)
    for page, block in yaml_blocks:
        yaml.safe_load(block)


def test_the_configuration_examples_are_valid_configuration(tmp_path):
    from copydesk.config import load_file
    from copydesk.selection import resolve

    examples = [(page, block, "pyproject.toml") for page, block in fenced_blocks("toml") if "[tool.copydesk" in block]
    examples += [(page, block, "setup.cfg") for page, block in fenced_blocks("ini") if "[copydesk]" in block]
    assert len(examples) >= 3
    # The plugin guide configures the example plugin's rules.
    registry = load_registry(entry_points=False, extra_plugins=[example_plugin()])
    for number, (page, block, file_name) in enumerate(examples):
        config = tmp_path / str(number) / file_name
        config.parent.mkdir()
        config.write_text(block, encoding="utf-8")
        settings = load_file(config)
        problems = [problem.describe() for problem in resolve(settings, registry).problems]
        assert problems == [], f"{page}:\n{block}"


EXAMPLE_PLUGIN_SOURCE = ROOT / "examples" / "house-style-plugin" / "src"


def example_plugin():
    sys.path.insert(0, str(EXAMPLE_PLUGIN_SOURCE))
    try:
        import newsroom_house_style
    finally:
        sys.path.remove(str(EXAMPLE_PLUGIN_SOURCE))
    return newsroom_house_style


def test_the_plugin_guide_test_file_passes_against_the_example_plugin():
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(DOCS / "samples" / "plugin-tests" / "test_rules.py")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(EXAMPLE_PLUGIN_SOURCE)},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert " passed" in completed.stdout


def test_the_documented_json_shape_is_the_real_one():
    import json

    from click.testing import CliRunner

    from copydesk.cli import main

    (page, documented), *_ = [(page, block) for page, block in fenced_blocks("json") if page == "json-output.md"]
    story = DOCS / "samples" / "story.txt"
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(story)])
    assert result.exit_code == 1, result.output
    real = json.loads(result.stdout)

    def shape(value):
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        if isinstance(value, list):
            return [shape(value[0])] if value else []
        return type(value).__name__ if value is not None else None

    example = json.loads(documented)[0]
    with_related = next(finding for finding in real if finding["related"])
    assert shape(example) == {**shape(with_related), "fix": None}
