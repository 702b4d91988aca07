"""The rule reference, generated from the rule registry.

Every rule documents itself: its metadata (code, name, summary, severity,
options, plugin) and its docstring, written in fixed sections. This module
checks those sections and renders one Markdown page per rule plus an index,
so the documentation site is always built from the code (``docs/hooks.py``
calls it during ``mkdocs build``) and a rule cannot ship undocumented.

Run ``python -m copydesk.docgen OUTPUT_DIR`` to write the pages to disk.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from copydesk.plugin.rule import Rule

#: The sections every rule's docstring must have, in this order.
REQUIRED_SECTIONS: tuple[str, ...] = ("What it does", "Why is this bad?", "Example", "Use instead")
OPTIONAL_SECTIONS: tuple[str, ...] = ("Options",)

#: Where the rule pages live inside the documentation tree.
RULES_DIR = "rules"
RULES_INDEX = f"{RULES_DIR}/index.md"

_HEADING = re.compile(r"^## +(?P<title>.+?) *$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_TEXT_BLOCK = re.compile(
    r"^(?P<fence>`{3,}|~{3,})text[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_BARE_TOML_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class RuleDocumentation:
    """A rule docstring split at its ``## `` headings."""

    intro: str
    #: Section title -> body, in the order written.
    sections: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> "RuleDocumentation":
        intro: list[str] = []
        sections: dict[str, list[str]] = {}
        current = intro
        fence: str | None = None
        # Docstrings are source code, always "\n"-separated after cleandoc.
        for line in text.split("\n"):
            opening = _FENCE.match(line)
            if opening and (fence is None or line.strip().startswith(fence)):
                fence = opening["fence"] if fence is None else None
            heading = None if fence else _HEADING.match(line)
            if heading:
                current = sections.setdefault(heading["title"], [])
            else:
                current.append(line)
        return cls(
            "\n".join(intro).strip("\n"),
            {title: "\n".join(body).strip("\n") for title, body in sections.items()},
        )

    def problems(self) -> list[str]:
        """What is wrong with the sections, in words; empty when complete."""
        problems = [f"missing section '## {title}'" for title in REQUIRED_SECTIONS if not self.sections.get(title, "").strip()]
        known = (*REQUIRED_SECTIONS, *OPTIONAL_SECTIONS)
        problems += [f"unexpected section '## {title}'" for title in self.sections if title not in known]
        present = [title for title in self.sections if title in REQUIRED_SECTIONS]
        if not problems and present != list(REQUIRED_SECTIONS):
            problems.append("sections out of order: expected " + ", ".join(REQUIRED_SECTIONS))
        return problems

    def text_block(self, section: str) -> str | None:
        """The first ```` ```text ```` block of a section: copy the rule is run on."""
        match = _TEXT_BLOCK.search(self.sections.get(section, ""))
        return match["body"] if match else None


_SCOPES = {
    "paragraph": "each paragraph on its own",
    "document": "the whole document",
    "run": "every file of a run together (`copydesk check --cross-file`)",
}


def documentation_of(rule: Rule) -> RuleDocumentation:
    return RuleDocumentation.parse(rule.documentation)


def rule_page_path(rule: Rule) -> str:
    """The page of a rule, relative to the documentation root."""
    return f"{RULES_DIR}/{rule.name}.md"


def rule_url(rule: Rule, site_url: str) -> str:
    """The published address of a rule's page (MkDocs directory URLs)."""
    return f"{site_url.rstrip('/')}/{RULES_DIR}/{rule.name}/"


def render_rule_page(rule: Rule) -> str:
    doc = documentation_of(rule)
    lines = [f"# {rule.name} ({rule.code})", "", rule.summary, ""]
    lines += [
        "| | |",
        "|---|---|",
        f"| Code | `{rule.code}` |",
        f"| Name | `{rule.name}` |",
        f"| Default severity | {rule.severity.label} |",
        f"| Enabled by default | {'yes' if rule.enabled_by_default else 'no'} |",
    ]
    if rule.group:
        lines.append(f"| Group | `{rule.group}` (select or ignore every rule in it by this word) |")
    lines += [
        f"| Checks | {_SCOPES[rule.scope]} |",
        f"| Provided by | plugin `{rule.plugin or '?'}` |",
        "",
    ]
    if doc.intro:
        lines += [doc.intro, ""]
    for title, body in doc.sections.items():
        if title == "Options":
            continue
        lines += [f"## {title}", "", body, ""]
        if title == "Example":
            lines += _example_report(rule, doc)
    if rule.options or "Options" in doc.sections:
        lines += _options_section(rule, doc.sections.get("Options", ""))
    lines += _configuration_section(rule)
    return "\n".join(lines).rstrip("\n") + "\n"


def _example_report(rule: Rule, doc: RuleDocumentation) -> list[str]:
    """What the rule reports on its own example, computed by the engine."""
    example = doc.text_block("Example")
    if example is None:
        return []
    from copydesk.document import Document
    from copydesk.engine import Linter
    from copydesk.formats import format_text_line
    from copydesk.plugin.rule import ConfiguredRule

    document = Document(example, "example.txt", markup="text")
    result = Linter([ConfiguredRule(rule, rule.option_defaults())]).lint(document)
    reported = [format_text_line("example.txt", document.line_index, d) for d in result.diagnostics if d.code == rule.code]
    if not reported:
        return []
    return ["copydesk reports, with the default options:", "", "```text", *reported, "```", ""]


def _options_section(rule: Rule, written: str) -> list[str]:
    lines = ["## Options", ""]
    if written:
        lines += [written, ""]
    if not rule.options:
        return lines
    lines += ["| Option | Type | Default | Description |", "|---|---|---|---|"]
    for option in rule.options:
        lines.append(
            f"| `{option.name}` | {option.type} | `{_toml_value(option.default)}` | {_escape_cell(option.description)} |"
        )
    lines += [
        "",
        "Set them in `pyproject.toml` (or the same table without the `tool.` prefix in `.copydesk.toml`):",
        "",
        "```toml",
        f"[tool.copydesk.rules.{_toml_key(rule.name)}]",
        *(f"{_toml_key(option.name)} = {_toml_value(option.default)}" for option in rule.options),
        "```",
        "",
    ]
    return lines


def _configuration_section(rule: Rule) -> list[str]:
    switch = "ignore" if rule.enabled_by_default else "extend-select"
    verb = "Turn it off" if rule.enabled_by_default else "It is off by default; turn it on"
    return [
        "## Configuration",
        "",
        f"{verb} for a project in `pyproject.toml` (by code or by name):",
        "",
        "```toml",
        "[tool.copydesk]",
        f'{switch} = ["{rule.code}"]',
        "```",
        "",
        "or for one run with "
        f"`copydesk check --{'ignore' if rule.enabled_by_default else 'select'} {rule.code}`. "
        f"To silence it in one place, see [suppression comments](../suppression.md).",
        "",
    ]


def render_rules_index(rules: Iterable[Rule]) -> str:
    by_plugin: dict[str, list[Rule]] = {}
    for rule in rules:
        by_plugin.setdefault(rule.plugin or "?", []).append(rule)
    lines = [
        "# Rules",
        "",
        "Every rule copydesk ships, generated from the rules themselves: the",
        "summary, default severity and documentation below are what",
        "`copydesk rules` and `copydesk explain RULE` print. Select or ignore",
        "rules by code (`CD101`), code prefix (`CD1`), name",
        "(`repeated-sourcing`), group (`proselint`) or `ALL` — see",
        "[configuration](../configuration.md).",
        "",
    ]
    for plugin, plugin_rules in sorted(by_plugin.items(), key=lambda item: _plugin_order(item[0])):
        lines += [f"## {_plugin_title(plugin)}", ""]
        lines += ["| Code | Name | Summary | Severity | On by default |", "|---|---|---|---|---|"]
        for rule in plugin_rules:
            page = rule_page_path(rule)[len(RULES_DIR) + 1 :]
            lines.append(
                f"| [`{rule.code}`]({page}) | [{rule.name}]({page}) | {_escape_cell(rule.summary)} "
                f"| {rule.severity.label} | {'yes' if rule.enabled_by_default else 'no'} |"
            )
        lines.append("")
    if not by_plugin:
        lines += ["No rules are registered.", ""]
    return "\n".join(lines)


def _plugin_order(plugin: str) -> tuple[int, str]:
    return ({"copydesk": 0, "copydesk-proselint": 1}.get(plugin, 2), plugin)


def _plugin_title(plugin: str) -> str:
    return {
        "copydesk": "Editorial rules (built in)",
        "copydesk-proselint": "proselint checks (built in, group `proselint`)",
    }.get(plugin, f"Plugin `{plugin}`")


def generate_pages(rules: Iterable[Rule]) -> dict[str, str]:
    """Every generated page: path relative to the docs root -> Markdown."""
    rules = list(rules)
    pages = {RULES_INDEX: render_rules_index(rules)}
    for rule in rules:
        pages[rule_page_path(rule)] = render_rule_page(rule)
    return pages


def nav_entries(rules: Iterable[Rule]) -> list[object]:
    """The MkDocs ``nav`` value for the rules section, grouped by plugin."""
    grouped: dict[str, list[Rule]] = {}
    for rule in rules:
        grouped.setdefault(rule.plugin or "?", []).append(rule)
    entries: list[object] = [{"All rules": RULES_INDEX}]
    for plugin, plugin_rules in sorted(grouped.items(), key=lambda item: _plugin_order(item[0])):
        pages = [{f"{r.code} {r.name}": rule_page_path(r)} for r in plugin_rules]
        entries.append({_nav_title(plugin): pages})
    return entries


def _nav_title(plugin: str) -> str:
    return {"copydesk": "Editorial rules", "copydesk-proselint": "proselint"}.get(plugin, plugin)


def documented_rules() -> list[Rule]:
    """The rules the site documents: copydesk's own, not whatever is installed."""
    from copydesk.plugin.manager import load_registry

    registry = load_registry(entry_points=False)
    return list(registry)


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _toml_key(key: str) -> str:
    return key if _BARE_TOML_KEY.match(key) else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m copydesk.docgen", description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="directory to write the rule pages into (e.g. docs)")
    args = parser.parse_args(argv)
    rules = documented_rules()
    undocumented = {r.code: documentation_of(r).problems() for r in rules}
    for code, problems in undocumented.items():
        for problem in problems:
            print(f"{code}: {problem}", file=sys.stderr)
    for relative, content in generate_pages(rules).items():
        target = args.output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    print(f"wrote {len(rules) + 1} pages under {args.output / RULES_DIR}")
    return 1 if any(undocumented.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
