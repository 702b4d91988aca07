"""Inline suppression: directives in the copy that switch rules off.

Written as an HTML comment (Markdown and plain text) or, in plain text, in
square brackets; both are blanked from the prose rules read::

    <!-- copydesk: disable=CD101,repeated-phrase -->   region, until enable or end of file
    <!-- copydesk: enable=CD101 -->                    ends a region (no list: every region)
    <!-- copydesk: disable-line=CD301 -->              the line(s) the directive is on
    <!-- copydesk: disable-next-line=CD301 -->         the line after the directive
    <!-- copydesk: disable-paragraph=CD201 -->         the paragraph holding the directive,
                                                       or, standing alone, the next paragraph
    [copydesk: disable-line=CD301]                     the same, in plain text

Rules are named by code, code prefix, name or group; without ``=...`` a
directive covers every rule. A directive that cannot be parsed, or that
names no known rule, suppresses nothing and is reported as CD001
(``invalid-suppression``) on the directive -- a typo must never become a
blanket suppression. Directives inside Markdown code are examples, not
directives.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Iterator

from copydesk._record import Record, set_field
from copydesk.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from copydesk.document import Document
    from copydesk.plugin.manager import RuleRegistry
    from copydesk.positions import LineIndex

INVALID_SUPPRESSION_CODE = "CD001"
INVALID_SUPPRESSION_NAME = "invalid-suppression"

ACTIONS = ("disable", "enable", "disable-line", "disable-next-line", "disable-paragraph")

_HTML_COMMENT = re.compile(r"<!--(.{0,4000}?)-->", re.DOTALL)
# Bracket form, plain text only; kept in step with Document.prose, which blanks it.
BRACKET_DIRECTIVE = re.compile(r"\[\s*copydesk\s*:[^\]\r\n]{0,400}\]", re.IGNORECASE)
_KEYWORD = re.compile(r"\s*copydesk\b\s*(:?)", re.IGNORECASE)
_MISSING_COLON = re.compile(r"\s*(?:disable|enable)\b", re.IGNORECASE)
_ACTION = re.compile(r"\s*([A-Za-z][A-Za-z-]*)\s*")
_ITEM = re.compile(r"[^,\s]+")
_USAGE = "expected disable, enable, disable-line, disable-next-line or disable-paragraph, optionally =RULE,..."


class Directive(Record):
    """One parsed directive: what it does, to which rules, where it is."""

    __slots__ = ("action", "codes", "start", "end", "selectors")
    action: str
    #: Rule codes it applies to; None for every rule.
    codes: frozenset[str] | None
    start: int
    end: int
    #: Selectors as written, for matching when no registry resolved them.
    selectors: tuple[str, ...] | None

    def __init__(
        self, action: str, codes: frozenset[str] | None, start: int, end: int, selectors: tuple[str, ...] | None = None
    ) -> None:
        set_field(self, "action", action)
        set_field(self, "codes", codes)
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "selectors", selectors)

    def applies_to(self, diagnostic: Diagnostic) -> bool:
        if self.codes is not None:
            return diagnostic.code in self.codes
        if self.selectors is None:
            return True
        return any(_names(selector, diagnostic) for selector in self.selectors)


def _names(selector: str, diagnostic: Diagnostic) -> bool:
    upper = selector.upper()
    return upper == "ALL" or selector == diagnostic.rule or diagnostic.code.startswith(upper)


#: Where a document keeps its parsed directives, by the registry they were
#: checked against: the engine parses them before the rules run and the
#: CD001 rule reads the same parse.
_PARSED_KEY = "copydesk.suppressions"


class Suppressions:
    """The directives of one document, ready to answer :meth:`suppresses`."""

    def __init__(self) -> None:
        #: ``disable``/``enable`` directives in document order.
        self.regions: list[Directive] = []
        #: 0-based line -> directives covering that line.
        self.lines: dict[int, list[Directive]] = {}
        #: (start, end, directive) of paragraphs covered by ``disable-paragraph``.
        self.paragraphs: list[tuple[int, int, Directive]] = []
        self.problems: list[Diagnostic] = []
        # The line index, not the document: the document keeps this object
        # among its analyses, and a reference back would make every linted
        # document a cycle that only the garbage collector can free.
        self._line_index: LineIndex | None = None

    @classmethod
    def from_document(cls, document: "Document", registry: "RuleRegistry | None") -> "Suppressions":
        """Parse a document's directives once; later calls return the same object."""
        parsed = document.cached(_PARSED_KEY, dict)
        key = id(registry)
        if key not in parsed:
            parsed[key] = cls._parse(document, registry)
        return parsed[key]

    @classmethod
    def for_document(cls, document: "Document") -> "Suppressions":
        """The directives as the engine parsed them, or parsed without a
        registry (malformed syntax is still found; rule names are not checked)."""
        parsed = document.cached(_PARSED_KEY, dict)
        if parsed:
            return next(iter(parsed.values()))
        return cls.from_document(document, None)

    @property
    def empty(self) -> bool:
        return not (self.regions or self.lines or self.paragraphs)

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        """Whether a directive switches this diagnostic off.

        CD001 is never suppressed: a broken directive cannot hide itself
        (ignore CD001 in the configuration instead).
        """
        if self.empty or diagnostic.code == INVALID_SUPPRESSION_CODE:
            return False
        assert self._line_index is not None
        line = self._line_index.line_of(diagnostic.start)
        for directive in self.lines.get(line, ()):
            if directive.applies_to(diagnostic):
                return True
        for start, end, directive in self.paragraphs:
            if start <= diagnostic.start <= end and directive.applies_to(diagnostic):
                return True
        state = False
        for directive in self.regions:
            if directive.end > diagnostic.start:
                break
            if directive.applies_to(diagnostic):
                state = directive.action == "disable"
        return state

    # -- parsing ----------------------------------------------------------------

    @classmethod
    def _parse(cls, document: "Document", registry: "RuleRegistry | None") -> "Suppressions":
        suppressions = cls()
        text = document.text
        if "copydesk" not in text.lower():  # most copy has no directive: ~5x faster than a regex
            return suppressions
        code_lines = _markdown_code_lines(document) if document.markup == "markdown" else None
        index = suppressions._line_index = document.line_index
        for start, end, body_start, body_end in _candidates(document):
            if code_lines is not None and _in_code(document, start, code_lines):
                continue
            parsed = _parse_directive(text, start, end, body_start, body_end, registry, suppressions.problems)
            if parsed is None:
                continue
            first_line = index.line_of(start)
            last_line = index.line_of(max(start, end - 1))
            if parsed.action in ("disable", "enable"):
                suppressions.regions.append(parsed)
            elif parsed.action == "disable-line":
                for line in range(first_line, last_line + 1):
                    suppressions.lines.setdefault(line, []).append(parsed)
            elif parsed.action == "disable-next-line":
                if last_line + 1 < index.line_count:
                    suppressions.lines.setdefault(last_line + 1, []).append(parsed)
            else:
                span = _paragraph_for(document, first_line, last_line, end)
                if span is not None:
                    suppressions.paragraphs.append((span[0], span[1], parsed))
        suppressions.regions.sort(key=lambda d: d.start)
        return suppressions


def _candidates(document: "Document") -> Iterator[tuple[int, int, int, int]]:
    """(start, end, body start, body end) of every comment or bracket that may
    be a directive, in document order."""
    text = document.text
    found = [(m.start(), m.end(), m.start(1), m.end(1)) for m in _HTML_COMMENT.finditer(text)]
    if document.markup != "markdown":
        found.extend((m.start(), m.end(), m.start() + 1, m.end() - 1) for m in BRACKET_DIRECTIVE.finditer(text))
        found.sort()
    return iter(found)


def _parse_directive(
    text: str,
    start: int,
    end: int,
    body_start: int,
    body_end: int,
    registry: "RuleRegistry | None",
    problems: list[Diagnostic],
) -> Directive | None:
    keyword = _KEYWORD.match(text, body_start, body_end)
    if keyword is None:
        return None  # an ordinary comment
    if not keyword.group(1):
        if _MISSING_COLON.match(text, keyword.end(), body_end):
            problems.append(_problem(start, end, "malformed copydesk directive: missing ':' after 'copydesk'"))
        return None
    action_match = _ACTION.match(text, keyword.end(), body_end)
    action = action_match.group(1).lower() if action_match else ""
    if action_match is None or action not in ACTIONS:
        shown = action or text[keyword.end() : body_end].strip()
        problems.append(_problem(start, end, f"malformed copydesk directive {shown!r}: {_USAGE}"))
        return None
    position = action_match.end()
    if position >= body_end or not text[position:body_end].strip():
        return Directive(action, None, start, end)
    if text[position] != "=":
        rest = text[position:body_end].strip()
        problems.append(_problem(start, end, f"malformed copydesk directive: unexpected {rest!r} after {action!r}; {_USAGE}"))
        return None
    items = list(_ITEM.finditer(text, position + 1, body_end))
    if not items:
        problems.append(_problem(start, end, f"malformed copydesk directive: '{action}=' names no rule"))
        return None
    selectors: list[str] = []
    codes: set[str] = set()
    for item in items:
        selector = item.group()
        if registry is None:
            selectors.append(selector)
            continue
        matched = registry.match(selector)
        if not matched:
            problems.append(_problem(item.start(), item.end(), f"unknown rule {selector!r} in copydesk directive"))
            continue
        selectors.append(selector)
        codes.update(rule.code for rule in matched)
    if not selectors:
        return None  # every name was unknown: reported, and nothing suppressed
    if registry is None:
        return Directive(action, None, start, end, selectors=tuple(selectors))
    return Directive(action, frozenset(codes), start, end, selectors=tuple(selectors))


def _problem(start: int, end: int, message: str) -> Diagnostic:
    return Diagnostic(
        code=INVALID_SUPPRESSION_CODE,
        rule=INVALID_SUPPRESSION_NAME,
        severity=Severity.WARNING,
        message=message,
        start=start,
        end=end,
    )


def _paragraph_for(document: "Document", first_line: int, last_line: int, end: int) -> tuple[int, int] | None:
    """The paragraph sharing a line with the directive, else the next one."""
    index = document.line_index
    paragraphs = document.paragraphs
    starts = [p.start for p in paragraphs]
    position = bisect_right(starts, index.line_span(last_line)[1]) - 1
    if position >= 0:
        paragraph = paragraphs[position]
        if index.line_of(paragraph.end) >= first_line:
            return paragraph.start, paragraph.end
    following = position + 1
    while following < len(paragraphs) and paragraphs[following].start < end:
        following += 1
    if following < len(paragraphs):
        return paragraphs[following].start, paragraphs[following].end
    return None


def _markdown_code_lines(document: "Document") -> set[int]:
    """0-based lines of fenced and indented code blocks (directives there are examples)."""
    from copydesk.markup import _parser

    lines: set[int] = set()
    for token in _parser().parse(document.text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(token.map[0], token.map[1]))
    return lines


def _in_code(document: "Document", offset: int, code_lines: set[int]) -> bool:
    index = document.line_index
    line = index.line_of(offset)
    if line in code_lines:
        return True
    # Inside an inline code span: an odd number of backticks before it on the line.
    line_start = index.line_starts[line]
    return document.text.count("`", line_start, offset) % 2 == 1
