"""Writing findings out: ``text``, ``json``, ``sarif`` and ``github``.

Every format reports the same findings at the same positions. Positions
come from each file's :class:`~copydesk.positions.LineIndex`, the one place
lines and columns are computed; SARIF's columns are converted to UTF-16
code units there too.

JSON output (``--format json``) -- a stable interface
------------------------------------------------------

A JSON array, one object per finding, ordered by path then position::

    {
      "path": "copy/story.md",          # as given on the command line
      "code": "CD101",                   # rule code
      "rule": "repeated-sourcing",       # rule name (kebab-case)
      "severity": "warning",             # error | warning | info | hint
      "message": "…",
      "start": {"line": 3, "column": 1, "offset": 120},
      "end":   {"line": 3, "column": 13, "offset": 132},
      "related": [{"message": "…", "start": {…}, "end": {…}}],
      "fix": null | {"message": "…",
                     "edits": [{"start": {…}, "end": {…}, "replacement": "…"}]}
    }

``line`` and ``column`` are 1-based; ``column`` counts Unicode code points
from the start of the line; ``offset`` is the 0-based code-point offset
into the decoded text (a UTF-8 byte order mark is not counted; CRLF counts
as two). Spans are half-open: ``end`` is the first position after the
finding, so ``text[start.offset:end.offset]`` is exactly what was flagged.
Lines end at ``\\r\\n``, ``\\r`` or ``\\n`` only. Fields are only ever added
to this format, never renamed or removed, within a major version.

With ``--statistics`` the JSON output is instead an array of
``{"code", "rule", "count", "fixable"}`` objects, most frequent first.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable, Protocol, Sequence

from copydesk._record import Record, set_field
from copydesk.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from copydesk.plugin.manager import RuleRegistry
    from copydesk.plugin.rule import Rule
    from copydesk.positions import LineIndex

FORMATS: tuple[str, ...] = ("text", "json", "sarif", "github")

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
DOCS_URL = "https://copydesk.readthedocs.io/en/latest/"
INFORMATION_URI = DOCS_URL


class FileFindings(Protocol):
    """What the formats need of one linted file."""

    path: str
    diagnostics: Sequence[Diagnostic]

    @property
    def line_index(self) -> "LineIndex": ...


# -- shared helpers -----------------------------------------------------------


def _ordered(files: Iterable[FileFindings]) -> list[FileFindings]:
    return sorted(files, key=lambda f: f.path)


def _diagnostics(file: FileFindings) -> list[Diagnostic]:
    return sorted(file.diagnostics, key=lambda d: d.sort_key)


def _location(index: "LineIndex", offset: int) -> dict[str, int]:
    return index.location(offset).as_dict()


class RuleCount(Record):
    """How many findings of one rule a run made (``--statistics``)."""

    __slots__ = ("code", "rule", "count", "fixable")
    code: str
    rule: str
    count: int
    fixable: int

    def __init__(self, code: str, rule: str, count: int, fixable: int) -> None:
        set_field(self, "code", code)
        set_field(self, "rule", rule)
        set_field(self, "count", count)
        set_field(self, "fixable", fixable)


def statistics(files: Iterable[FileFindings]) -> list[RuleCount]:
    """Counts per rule, most frequent first, then by code."""
    counts: Counter[tuple[str, str]] = Counter()
    fixable: Counter[tuple[str, str]] = Counter()
    for file in files:
        for diagnostic in file.diagnostics:
            key = (diagnostic.code, diagnostic.rule)
            counts[key] += 1
            if diagnostic.fix is not None:
                fixable[key] += 1
    return [
        RuleCount(code, rule, count, fixable[(code, rule)])
        for (code, rule), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


# -- text -----------------------------------------------------------------------

_SEVERITY_COLOURS = {
    Severity.ERROR: "red",
    Severity.WARNING: "yellow",
    Severity.INFO: "blue",
    Severity.HINT: "cyan",
}


def _style(text: str, colour: bool, **styles: Any) -> str:
    if not colour:
        return text
    import click

    return click.style(text, **styles)


def format_text_line(path: str, index: "LineIndex", diagnostic: Diagnostic, *, colour: bool = False) -> str:
    """``path:line:column: CODE [name] message``."""
    location = index.location(diagnostic.start)
    where = _style(f"{path}:{location.line}:{location.column}:", colour, bold=True)
    code = _style(diagnostic.code, colour, fg=_SEVERITY_COLOURS[diagnostic.severity], bold=True)
    name = _style(f"[{diagnostic.rule}]", colour, dim=True)
    # A message is one line in this format; a rule's line break would split a record.
    message = " ".join(diagnostic.message.split())
    return f"{where} {code} {name} {message}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def format_text(
    files: Iterable[FileFindings],
    *,
    colour: bool = False,
    quiet: bool = False,
    file_count: int | None = None,
    fixed: int = 0,
) -> str:
    """One line per finding, then (unless ``quiet``) a summary by rule and
    a one-line total."""
    files = _ordered(files)
    lines: list[str] = []
    for file in files:
        index = file.line_index
        for diagnostic in _diagnostics(file):
            lines.append(format_text_line(file.path, index, diagnostic, colour=colour))
    if quiet:
        return "".join(line + "\n" for line in lines)
    counts = statistics(files)
    total = sum(count.count for count in counts)
    checked = file_count if file_count is not None else len(files)
    files_with = sum(1 for file in files if file.diagnostics)
    if total:
        lines.append("")
        width = len(str(counts[0].count))
        for count in counts:
            lines.append(f"{count.count:>{width}}  {count.code:<6} {count.rule}")
        where = _plural(checked, "file") if files_with == checked else f"{files_with} of {_plural(checked, 'file')}"
        summary = f"Found {_plural(total, 'problem')} in {where}."
        fixable = sum(count.fixable for count in counts)
        if fixable:
            summary += f" {fixable} fixable with --fix."
        lines.append(_style(summary, colour, bold=True))
    else:
        lines.append(_style(f"All clear: no problems in {_plural(checked, 'file')}.", colour, fg="green"))
    if fixed:
        lines.append(f"Fixed {_plural(fixed, 'problem')}.")
    return "\n".join(lines) + "\n"


def format_statistics_text(files: Iterable[FileFindings]) -> str:
    """``--statistics``: count, code, name and how many are fixable."""
    counts = statistics(files)
    if not counts:
        return ""
    width = len(str(counts[0].count))
    lines = []
    for count in counts:
        line = f"{count.count:>{width}}  {count.code:<6} {count.rule}"
        if count.fixable:
            line += f"  ({count.fixable} fixable)"
        lines.append(line)
    return "\n".join(lines) + "\n"


def format_statistics_json(files: Iterable[FileFindings]) -> str:
    counts = statistics(files)
    data = [{"code": c.code, "rule": c.rule, "count": c.count, "fixable": c.fixable} for c in counts]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- json -----------------------------------------------------------------------


def diagnostic_to_json(path: str, index: "LineIndex", diagnostic: Diagnostic) -> dict[str, Any]:
    """One finding as the documented JSON object (see the module docstring)."""
    fix = None
    if diagnostic.fix is not None:
        fix = {
            "message": diagnostic.fix.message,
            "edits": [
                {
                    "start": _location(index, edit.start),
                    "end": _location(index, edit.end),
                    "replacement": edit.replacement,
                }
                for edit in diagnostic.fix.edits
            ],
        }
    return {
        "path": path,
        "code": diagnostic.code,
        "rule": diagnostic.rule,
        "severity": diagnostic.severity.label,
        "message": diagnostic.message,
        "start": _location(index, diagnostic.start),
        "end": _location(index, diagnostic.end),
        "related": [
            {
                "message": related.message,
                "start": _location(index, related.start),
                "end": _location(index, related.end),
            }
            for related in diagnostic.related
        ],
        "fix": fix,
    }


def format_json(files: Iterable[FileFindings]) -> str:
    data = [
        diagnostic_to_json(file.path, file.line_index, diagnostic)
        for file in _ordered(files)
        for diagnostic in _diagnostics(file)
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- sarif -----------------------------------------------------------------------

_SARIF_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
    Severity.HINT: "note",
}


_ASTRAL = None  # compiled on first use


class Utf16Positions:
    """SARIF positions of one file: 1-based lines and UTF-16 columns from the
    file's :class:`LineIndex`, plus 0-based UTF-16 character offsets from
    the start of the text.

    A code point counts two UTF-16 units only above the BMP, so the UTF-16
    offset of a code-point offset is the offset plus the number of such code
    points before it, found by bisecting their sorted offsets: O(log n).
    """

    def __init__(self, index: "LineIndex") -> None:
        self.index = index
        self._astral: list[int] | None = None

    def _astral_offsets(self) -> list[int]:
        if self._astral is None:
            global _ASTRAL
            if _ASTRAL is None:
                import re

                _ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
            text = self.index.text
            self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        return self._astral

    def utf16_offset(self, offset: int) -> int:
        from bisect import bisect_left

        offset = self.index.clamp(offset)
        return offset + bisect_left(self._astral_offsets(), offset)

    def point(self, offset: int) -> tuple[int, int, int]:
        """(line, column, charOffset) of a code-point offset; line and column 1-based."""
        line, column = self.index.column_in(offset, "utf-16")
        return line + 1, column + 1, self.utf16_offset(offset)

    def region(self, start: int, end: int) -> dict[str, int]:
        start_line, start_column, start_offset = self.point(start)
        end_line, end_column, end_offset = self.point(end)
        return {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
            "charOffset": start_offset,
            "charLength": end_offset - start_offset,
        }


def _artifact_uri(path: str) -> str:
    import os
    from urllib.parse import quote

    if os.path.isabs(path):
        from pathlib import Path

        return Path(path).as_uri()
    return quote(path.replace(os.sep, "/"))


def _sarif_rule(rule: "Rule") -> dict[str, Any]:
    from copydesk.docgen import rule_url

    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _full_description(rule)},
        "helpUri": rule_url(rule, DOCS_URL),
        "defaultConfiguration": {
            "level": _SARIF_LEVELS[rule.severity],
            "enabled": rule.enabled_by_default,
        },
        "properties": {"plugin": rule.plugin},
    }
    if rule.documentation:
        descriptor["help"] = {"text": rule.documentation, "markdown": rule.documentation}
    return descriptor


def _full_description(rule: "Rule") -> str:
    from copydesk.docgen import documentation_of

    what = documentation_of(rule).sections.get("What it does", "").strip()
    return " ".join(what.split()) or rule.summary


def _code_order(code: str) -> tuple[str, int]:
    letters = code.rstrip("0123456789")
    return letters, int(code[len(letters) :] or 0)


def _unregistered_rule(code: str, name: str, severity: Severity) -> dict[str, Any]:
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": name.replace("-", " ")},
        "fullDescription": {"text": name.replace("-", " ")},
        "helpUri": f"{DOCS_URL}rules/{name}/",
        "defaultConfiguration": {"level": _SARIF_LEVELS[severity]},
    }


def format_sarif(
    files: Iterable[FileFindings],
    *,
    registry: "RuleRegistry | None" = None,
    version: str | None = None,
    notifications: Sequence[str] = (),
) -> str:
    """A SARIF 2.1.0 log with one run.

    ``columnKind`` is ``utf16CodeUnits`` (SARIF's default, and what GitHub
    code scanning reads): columns and ``charOffset``/``charLength`` count
    UTF-16 code units of the decoded text (a BOM is not counted).
    ``notifications`` (files that could not be read, rules that failed)
    become tool execution notifications, and make the invocation
    unsuccessful.
    """
    if version is None:
        from copydesk import __version__ as version
    files = _ordered(files)
    # Only the rules that reported: a run with every proselint check would
    # otherwise carry a hundred rule descriptions nobody asked about.
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    for code in sorted({d.code for file in files for d in file.diagnostics}, key=_code_order):
        rule = registry.get(code) if registry is not None else None
        if rule is not None:
            rule_index[code] = len(rules)
            rules.append(_sarif_rule(rule))
    results: list[dict[str, Any]] = []
    for file in files:
        positions = Utf16Positions(file.line_index)
        uri = _artifact_uri(file.path)
        artifact = {"uri": uri}
        for diagnostic in _diagnostics(file):
            if diagnostic.code not in rule_index:
                rule_index[diagnostic.code] = len(rules)
                rules.append(_unregistered_rule(diagnostic.code, diagnostic.rule, diagnostic.severity))
            result: dict[str, Any] = {
                "ruleId": diagnostic.code,
                "ruleIndex": rule_index[diagnostic.code],
                "level": _SARIF_LEVELS[diagnostic.severity],
                "message": {"text": diagnostic.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": artifact,
                            "region": positions.region(diagnostic.start, diagnostic.end),
                        }
                    }
                ],
            }
            if diagnostic.related:
                result["relatedLocations"] = [
                    {
                        "id": number,
                        "message": {"text": related.message},
                        "physicalLocation": {
                            "artifactLocation": artifact,
                            "region": positions.region(related.start, related.end),
                        },
                    }
                    for number, related in enumerate(diagnostic.related, start=1)
                ]
            if diagnostic.fix is not None:
                result["fixes"] = [
                    {
                        "description": {"text": diagnostic.fix.message},
                        "artifactChanges": [
                            {
                                "artifactLocation": artifact,
                                "replacements": [
                                    {
                                        "deletedRegion": positions.region(edit.start, edit.end),
                                        "insertedContent": {"text": edit.replacement},
                                    }
                                    for edit in diagnostic.fix.edits
                                ],
                            }
                        ],
                    }
                ]
            results.append(result)
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": text}} for text in notifications
        ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "copydesk",
                        "version": version,
                        "semanticVersion": version,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "utf16CodeUnits",
                "invocations": [invocation],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# -- github -----------------------------------------------------------------------

_GITHUB_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.HINT: "notice",
}


def escape_github_data(text: str) -> str:
    """Escape a workflow command's message (as @actions/core does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_github_property(text: str) -> str:
    """Escape a workflow command property value: also ``:`` and ``,``."""
    return escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github_line(path: str, index: "LineIndex", diagnostic: Diagnostic) -> str:
    start = index.location(diagnostic.start)
    end = index.location(diagnostic.end)
    properties = {
        "file": path,
        "line": str(start.line),
        "col": str(start.column),
        "endLine": str(end.line),
        "endColumn": str(end.column),
        "title": f"{diagnostic.code} {diagnostic.rule}",
    }
    rendered = ",".join(f"{key}={escape_github_property(value)}" for key, value in properties.items())
    return f"::{_GITHUB_LEVELS[diagnostic.severity]} {rendered}::{escape_github_data(diagnostic.message)}"


def format_github(files: Iterable[FileFindings]) -> str:
    """GitHub Actions workflow commands, one annotation per finding."""
    lines = [
        format_github_line(file.path, file.line_index, diagnostic)
        for file in _ordered(files)
        for diagnostic in _diagnostics(file)
    ]
    return "".join(line + "\n" for line in lines)
