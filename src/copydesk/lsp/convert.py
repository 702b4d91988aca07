"""copydesk's diagnostics and fixes in LSP terms, positions in the client's units.

Offsets are code points into the text the engine linted. The client counts
columns in the negotiated encoding (UTF-16 unless it asked for UTF-8 or
UTF-32); every conversion goes through the buffer's
:class:`~copydesk.positions.LineIndex`, never through ``str.splitlines()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from lsprotocol import types

from copydesk.diagnostics import Diagnostic, Edit, Severity
from copydesk.formats import DOCS_URL  # the site's address, shared with SARIF's helpUri
from copydesk.positions import Encoding, LineIndex

if TYPE_CHECKING:
    from copydesk.plugin.rule import Rule

SOURCE = "copydesk"


#: Related locations sent per diagnostic. A rule may relate the 500th repeat
#: to all 499 before it; an editor shows a handful, and 500 findings of 500
#: locations each would make every keystroke's message quadratic in size.
MAX_RELATED = 20

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}

ENCODINGS: dict[str, Encoding] = {
    types.PositionEncodingKind.Utf8: "utf-8",
    types.PositionEncodingKind.Utf16: "utf-16",
    types.PositionEncodingKind.Utf32: "utf-32",
}


def encoding_of(kind: object) -> Encoding:
    """The :mod:`copydesk.positions` name of a negotiated position encoding."""
    return ENCODINGS.get(str(getattr(kind, "value", kind)), "utf-16")


def rule_doc_url(rule_name: str) -> str:
    """The rule's page on the documentation site (one page per rule name)."""
    return f"{DOCS_URL}rules/{rule_name}/"


class PositionMap:
    """Converts engine offsets to client positions for one version of a buffer.

    ``shift`` is how many characters the engine dropped from the front of the
    buffer (a byte-order mark): engine offset + shift = buffer offset.
    """

    def __init__(self, index: LineIndex, encoding: Encoding, shift: int = 0) -> None:
        self.index = index
        self.encoding = encoding
        self.shift = shift

    def position(self, offset: int) -> types.Position:
        line, character = self.index.column_in(offset + self.shift, self.encoding)
        return types.Position(line=line, character=character)

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def range_json(self, start: int, end: int) -> dict[str, dict[str, int]]:
        index, encoding, shift = self.index, self.encoding, self.shift
        start_line, start_character = index.column_in(start + shift, encoding)
        end_line, end_character = index.column_in(end + shift, encoding)
        return {
            "start": {"line": start_line, "character": start_character},
            "end": {"line": end_line, "character": end_character},
        }

    def offset(self, position: types.Position) -> int:
        """Engine offset of a client position (clamped into the text)."""
        buffer_offset = self.index.offset_from_column(position.line, position.character, self.encoding)
        return max(0, buffer_offset - self.shift)


def diagnostic_json(diagnostic: Diagnostic, positions: PositionMap, uri: str) -> dict[str, Any]:
    """An LSP Diagnostic as JSON-ready data.

    Plain dicts, not lsprotocol objects: an article can carry a thousand
    findings, and building and unstructuring attrs objects for each one on
    every keystroke costs more than the lint of the edited paragraph.
    """
    data: dict[str, Any] = {
        "range": positions.range_json(diagnostic.start, diagnostic.end),
        "message": diagnostic.message,
        "severity": SEVERITIES.get(diagnostic.severity, types.DiagnosticSeverity.Warning).value,
        "code": diagnostic.code,
        "codeDescription": {"href": rule_doc_url(diagnostic.rule)},
        "source": SOURCE,
    }
    if diagnostic.related:
        data["relatedInformation"] = [
            {"location": {"uri": uri, "range": positions.range_json(item.start, item.end)}, "message": item.message}
            for item in diagnostic.related[:MAX_RELATED]
        ]
    if _is_unnecessary(diagnostic):
        data["tags"] = [types.DiagnosticTag.Unnecessary.value]
    return data


def _is_unnecessary(diagnostic: Diagnostic) -> bool:
    # A finding whose fix deletes exactly the flagged text marks text that
    # should not be there at all (a duplicated paragraph): editors fade it.
    fix = diagnostic.fix
    if fix is None or len(fix.edits) != 1:
        return False
    edit = fix.edits[0]
    return edit.replacement == "" and edit.start <= diagnostic.start and diagnostic.end <= edit.end


def text_edits(edits: Sequence[Edit], positions: PositionMap) -> list[types.TextEdit]:
    return [
        types.TextEdit(range=positions.range(edit.start, edit.end), new_text=edit.replacement)
        for edit in edits
    ]


def hover_markdown(rule: "Rule") -> str:
    """The rule's documentation as shown on hover: a title, the summary, the docs."""
    title = f"**{rule.code}** `{rule.name}`: {rule.summary}"
    body = rule.documentation.strip()
    link = f"[Documentation]({rule_doc_url(rule.name)})"
    return "\n\n".join(part for part in (title, body, link) if part)
