"""proselint's checks run as copydesk rules, with exact positions.

The oracle throughout is proselint itself: on one paragraph, copydesk must
report what ``proselint.tools.LintFile`` reports, at the same characters.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from copydesk import docgen
from copydesk.api import Session
from copydesk.document import Document
from copydesk.engine import Linter
from copydesk.plugin.manager import load_registry
from copydesk.plugin.rule import ConfiguredRule
from copydesk.rules import proselint_rules
from copydesk.rules.proselint_runner import ProselintRunner, _run_check, _TextState

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = load_registry(entry_points=False)
PL_RULES = [r for r in REGISTRY if r.group == "proselint"]
TABLE = proselint_rules.check_table()["checks"]


def proselint_checks():
    from proselint.checks import __register__

    return __register__


def default_linter() -> Linter:
    return Linter([ConfiguredRule(r, r.option_defaults()) for r in PL_RULES if r.enabled_by_default])


def found(text: str, markup: str = "text") -> list[tuple[str, str, int, int]]:
    document = Document(text, markup=markup)
    result = default_linter().lint(document)
    assert not result.failures, [f.describe() for f in result.failures]
    return [(d.rule, document.text[d.start : d.end], d.start, d.end) for d in result.diagnostics]


def flagged(text: str, markup: str = "text") -> set[tuple[str, str]]:
    return {(rule, span) for rule, span, _, _ in found(text, markup)}


def proselint_alone(text: str) -> set[tuple[str, int, int]]:
    """What proselint's own ``LintFile`` reports, as offsets into ``text``."""
    from proselint.config import DEFAULT
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    registry = CheckRegistry()
    if not registry.checks:
        registry.register_many(proselint_checks())
    results = LintFile("test", text).lint(dict(DEFAULT, max_errors=10**6))
    # LintFile checks "\n" + text + "\n": its spans are one past ours.
    return {
        (r.check_result.check_path, r.check_result.span[0] - 1, min(r.check_result.span[1] - 1, len(text)))
        for r in results
    }


# -- declaration -----------------------------------------------------------


def test_every_proselint_check_path_is_one_rule_with_a_stable_pl_code():
    paths = {check.path for check in proselint_checks()}
    assert {r.name for r in PL_RULES} == paths
    assert len(PL_RULES) == len(paths) == 106
    codes = [r.code for r in PL_RULES]
    assert len(set(codes)) == len(codes)
    assert all(code.startswith("PL") and code[2:].isdigit() for code in codes)
    # Codes were first given in sorted order of the paths.
    assert REGISTRY.get("annotations.misc").code == "PL001"
    assert REGISTRY.get("typography.symbols.curly_quotes").code == "PL100"
    assert REGISTRY.get("PL106").name == "weasel_words.very"
    assert {r.plugin for r in PL_RULES} == {"copydesk-proselint"}


def test_rules_are_on_by_default_except_those_proselint_turns_off():
    off = {r.name for r in PL_RULES if not r.enabled_by_default}
    assert off == {"restricted.elementary", "restricted.top1000"}
    assert all(r.severity.label == "warning" for r in PL_RULES)


def test_checks_that_weigh_the_whole_text_are_document_scoped():
    document_wide = {r.name for r in PL_RULES if r.scope == "document"}
    assert document_wide == {
        "spelling.consistency",
        "typography.punctuation.exclamation",
        "typography.punctuation.spacing",
    }
    assert REGISTRY.get("lexical_illusions").scope == "paragraph"


def test_declaring_the_rules_does_not_import_proselint():
    code = (
        "import sys\n"
        "from copydesk.plugin.manager import load_registry\n"
        "registry = load_registry(entry_points=False)\n"
        "assert registry.get('PL100') is not None\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('proselint', 're2')))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_the_generated_table_is_up_to_date_with_the_installed_proselint():
    script = ROOT / "scripts" / "make_proselint_table.py"
    completed = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


# -- the same findings as proselint, at the same characters -----------------

ORACLE_TEXTS = [
    'He said the the plan was "very unique" and it was very unique, quite perfect.',
    "😀 It was very unique 😀, and the cafe 👍🏽 was 10 x 12 metres… Suddenly, it was 9 pm!!",
    "“It was very unique,” she said 🎉, “and the plan was very unique.” But it was very unique.",
    "Smith et. al said the the colour of the Walkman(tm) was, in fact, a very unique shade.\r\nIt was.",
    "‘Very unique,’ he said. The hİppopotami — a very unique herd — waxed poetically.",
    "The shop shuts at 12 a.m. on Sundays; the show ran from 1999-2004 in the 1980's style.",
]


@pytest.mark.parametrize("text", ORACLE_TEXTS)
def test_a_paragraph_gets_exactly_the_findings_proselint_gives(text):
    ours = {(rule, start, end) for rule, _, start, end in found(text)}
    assert ours == proselint_alone(text)
    assert ours, "the oracle text should trigger something"


def test_example_copy_of_every_rule_matches_proselint():
    for entry in TABLE:
        if entry["enabled"] and entry["example"]:
            text = entry["example"]
            assert {(rule, s, e) for rule, _, s, e in found(text)} == proselint_alone(text), entry["path"]


def test_the_prefilter_never_skips_a_check_that_would_report():
    runner = ProselintRunner()
    texts = ORACLE_TEXTS + [entry["example"] for entry in TABLE if entry["example"]]
    for text in texts:
        state = _TextState(f"\n{text}\n", frozenset())
        for path, indices in runner.indices_by_path.items():
            everything = [r for i in indices for r in _run_check(runner.checks[i], state, len(text))]
            assert runner.results(path, text) == everything, (path, text)


# -- positions ---------------------------------------------------------------


def test_spans_are_exact_with_curly_quotes_and_emoji():
    text = "“Fine,” she said 😀👍🏽. It was a very unique day, and the cafe 🎉 was shut."
    results = found(text)
    spans = {(rule, span) for rule, span, _, _ in results}
    assert ("uncomparables", "very unique") in spans
    assert ("weasel_words.very", "very") in spans
    assert ("typography.diacritical_marks", "cafe") in spans
    start = text.index("very unique")
    assert ("uncomparables", "very unique", start, start + len("very unique")) in results


def test_spans_are_exact_in_a_crlf_document_with_a_bom():
    raw = "\ufeffFirst paragraph, fine.\r\n\r\nIt was a very unique day 😀.\r\n\r\nHe said the the plan.\r\n"
    document = Document(raw)
    text = document.text
    assert not text.startswith("\ufeff")
    spans = flagged(raw)
    assert ("uncomparables", "very unique") in spans
    assert ("lexical_illusions", "the the") in spans
    for rule, span, start, end in found(raw):
        assert text[start:end] == span
    assert document.location(text.index("the the")).line == 5


def test_markdown_code_is_never_flagged():
    markdown = (
        "# A very unique headline\n\n"
        "Inline `very unique` code, and a very cold day.\n\n"
        "```\nIt was very unique and the the plan.\n```\n"
    )
    results = found(markdown, markup="markdown")
    for rule, span, start, end in results:
        assert markdown[start:end] == span
        assert "`" not in markdown[max(0, start - 1) : end + 1] or rule == "weasel_words.very"
    code_block = markdown.index("```\nIt was")
    assert all(start < code_block for _, _, start, _ in results)
    inline = markdown.index("`very unique`")
    assert all(not (inline <= start < inline + 13) for _, _, start, _ in results)
    assert ("weasel_words.very", "very", markdown.index("very cold"), markdown.index("very cold") + 4) in results


def test_quoted_text_is_skipped_unless_the_check_allows_quotes():
    text = 'She called it "very unique" today.'
    spans = flagged(text)
    assert ("typography.symbols.curly_quotes", '"very unique"') in spans
    assert not any(rule in ("uncomparables", "weasel_words.very") for rule, _ in spans)
    # Quotation marks are paired paragraph by paragraph.
    assert ("uncomparables", "very unique") in flagged('She said "no.\n\nIt was very unique.')


def test_reverse_existence_spans_cover_the_whole_word():
    restricted = [ConfiguredRule(REGISTRY.get("restricted.top1000"), {})]
    text = "The rhinoceros arrived."
    result = Linter(restricted).lint(Document(text))
    # proselint itself reports these one character into the word ("hinoceros").
    assert [text[d.start : d.end] for d in result.diagnostics] == ["rhinoceros", "arrived"]


# -- whole-document checks, fixes, switching ---------------------------------


def test_consistency_is_judged_over_the_whole_document():
    text = "The colour of the flag.\n\nThe colour of the door.\n\nThe color of the car.\n"
    results = [r for r in found(text) if r[0] == "spelling.consistency"]
    assert [(span, start) for _, span, start, _ in results] == [("color", text.index("color "))]


@pytest.mark.parametrize(
    "text",
    [
        "The colour of the flag.\n\nThe COLOR of the car; the colours of the organised organizers.",
        "The centre held. Then  the center moved.  It did.\n\nThe labour vote. No labor here.",
        "Only colour, centre and labour here. One space after every stop.",
        "The ſentre of the Kolour and the color.\n\nIt was.  Then it was.",
        "An advisorganise, an organize, an adviser and an advisor.",
        "",
    ],
)
def test_document_wide_consistency_checks_report_what_every_term_pair_reports(text):
    # The runner skips the term pairs that cannot both occur; the check
    # run with every pair is the oracle.
    runner = ProselintRunner()
    for path in ("spelling.consistency", "typography.punctuation.spacing"):
        (index,) = runner.indices_by_path[path]
        every_pair = list(_run_check(runner.checks[index], _TextState(f"\n{text}\n", frozenset()), len(text)))
        assert runner.results(path, text, whole_document=True) == every_pair, path


def test_consistency_across_paragraphs_matches_proselint():
    text = "The centre held.\n\nThe colour ran. Then  the center moved.  It did.\n\nThe color, the colour.\n"
    ours = {(rule, start, end) for rule, _, start, end in found(text)}
    assert {"spelling.consistency", "typography.punctuation.spacing"} <= {rule for rule, _, _ in ours}
    assert ours == proselint_alone(text)


def test_preferred_forms_carry_a_fix_that_keeps_the_capital():
    text = "Cafe society met at the cafe."
    result = default_linter().lint(Document(text))
    fixes = {
        text[d.start : d.end]: d.fix.edits[0].replacement
        for d in result.diagnostics
        if d.rule == "typography.diacritical_marks"
    }
    assert fixes == {"Cafe": "Café", "cafe": "café"}
    case_only = default_linter().lint(Document("It was the first monday of the year."))
    [monday] = [d for d in case_only.diagnostics if d.rule == "misc.capitalization.days"]
    assert monday.fix.edits[0].replacement == "Monday"


def test_copydesk_check_fix_applies_proselint_replacements():
    story = "Cafe owners said the cafe was very unique 😀.\r\n".encode("utf-8")
    command = [sys.executable, "-m", "copydesk.cli", "check", "--fix", "--no-cache", "--stdin-filename", "s.txt"]
    command += ["--select", "typography.diacritical_marks", "-"]
    fixed = subprocess.run(command, input=story, capture_output=True, check=True).stdout
    assert fixed.startswith("Café owners said the café was very unique 😀.\r\n".encode("utf-8"))


def test_rules_switch_off_one_by_one_and_as_a_group():
    text = "It was very unique and very cold.\n"

    def rules(**selection) -> set[str]:
        report = Session(entry_points=False, **selection).lint_text(text)
        return {d.rule for d in report.diagnostics}

    assert {"uncomparables", "weasel_words.very"} <= rules()
    assert "weasel_words.very" not in rules(extend_ignore=["weasel_words.very"])
    assert "uncomparables" in rules(extend_ignore=["PL106"])
    assert not {r for r in rules(extend_ignore=["proselint"]) if REGISTRY.get(r).group == "proselint"}
    assert rules(select=["weasel_words.very"]) == {"weasel_words.very"}


def test_whole_documents_are_not_kept_in_the_paragraph_states():
    from copydesk.rules.proselint_runner import shared_runner

    text = "The colour of the flag.\n\nThe color of the car, a very unique one.\n"
    found(text)
    states = shared_runner()._states
    assert "The color of the car, a very unique one." in states
    assert text not in states and text.rstrip() not in states


def test_a_paragraph_is_checked_once_however_many_pl_rules_read_it():
    runner = ProselintRunner()
    text = "It was a very unique day."
    runner.results("uncomparables", text)
    state = runner.state_for(text)
    runner.results("weasel_words.very", text)
    assert runner.state_for(text) is state


# -- documentation -------------------------------------------------------------


@pytest.mark.parametrize("rule", PL_RULES, ids=lambda r: r.code)
def test_documentation_has_the_sections_and_working_examples(rule):
    documentation = docgen.documentation_of(rule)
    assert documentation.problems() == []
    assert f"`{rule.name}`" in rule.documentation
    linter = Linter([ConfiguredRule(rule, {})])
    example = documentation.text_block("Example")
    if example is not None:
        assert linter.lint(Document(example)).diagnostics, f"{rule.code} does not fire on its Example"
    corrected = documentation.text_block("Use instead")
    if corrected is not None:
        assert example is not None
        assert not linter.lint(Document(corrected)).diagnostics, f"{rule.code} fires on its Use instead"


def test_most_rules_have_generated_examples():
    with_examples = [entry for entry in TABLE if entry["example"]]
    assert len(with_examples) >= 100
    table = json.loads((ROOT / "src/copydesk/data/proselint_checks.json").read_text(encoding="utf-8"))
    assert table["proselint_version"] == "0.16.0"
