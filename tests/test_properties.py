"""Properties over arbitrary Unicode text (hypothesis).

Whatever the text -- combining marks, emoji sequences, CRLF mixed with CR,
LF and the Unicode separators, a BOM, stray quote marks and brackets,
suppression directives -- linting with every rule never raises, no rule
fails, every span lies inside the text, and offsets convert to (line,
column) and to UTF-16 / UTF-8 / UTF-32 columns and back unchanged.
Surrogate code points are excluded: they cannot come out of decoding.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copydesk.document import Document
from copydesk.engine import Linter
from copydesk.plugin.manager import load_registry
from copydesk.plugin.rule import ConfiguredRule
from copydesk.positions import LineIndex

# Pieces of copy that exercise the analysis: quotes, attributions, names,
# every kind of line break, a BOM, combining marks, emoji, Markdown syntax
# and suppression directives.
FRAGMENTS = [
    "According to Keir Giles, ",
    "“The,” she says.",
    "“We will win,” said Mr Giles. ",
    "Mr Giles",
    " he said. ",
    "Ms Ward",
    "Russia’s",
    '"',
    "'",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\r\n\r\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0c",
    "\ufeff",
    "e\u0301",
    "\u0301",
    "👩\u200d👩\u200d👧",
    "🇬🇧",
    "😀",
    "(",
    ")",
    "[",
    "]",
    "<!--",
    "-->",
    "`",
    "# ",
    "> ",
    "- ",
    "1. ",
    "...",
    ". ",
    "!",
    "?",
    "<!-- copydesk: disable=CD101 -->",
    "<!-- copydesk: disable-line -->",
    "[copydesk: disable-line=CD301]",
    "[copydesk: disable=nonsense]",
    "http://example.com/a",
    "&amp;",
    "\t",
    " ",
    "The council voted on Tuesday to close the library",
]

unicode_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
copy_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), unicode_text), max_size=40).map("".join)

REGISTRY = load_registry(entry_points=False)
LINTER = Linter([ConfiguredRule(rule, rule.option_defaults()) for rule in REGISTRY], known_rules=REGISTRY)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=copy_text, markup=st.sampled_from(["text", "markdown"]))
def test_linting_any_text_with_every_rule_never_fails_and_keeps_spans_inside(text, markup):
    document = Document(text, "copy.md" if markup == "markdown" else "copy.txt")
    result = LINTER.lint(document)
    assert result.failures == [], [f.describe() for f in result.failures]
    length = len(document.text)
    for diagnostic in result.diagnostics:
        assert 0 <= diagnostic.start <= diagnostic.end <= length
        for related in diagnostic.related:
            assert 0 <= related.start <= related.end <= length
        if diagnostic.fix is not None:
            for edit in diagnostic.fix.edits:
                assert 0 <= edit.start <= edit.end <= length


@settings(max_examples=150, deadline=None)
@given(text=copy_text, markup=st.sampled_from(["text", "markdown"]))
def test_the_document_model_keeps_every_span_inside_and_in_order(text, markup):
    document = Document(text, markup=markup)
    assert len(document.prose) == len(document.text)
    previous_end = 0
    for paragraph in document.paragraphs:
        assert previous_end <= paragraph.start < paragraph.end <= len(text)
        previous_end = paragraph.end
    for sentence in document.sentences:
        assert document.paragraph_at(sentence.start) is not None
        assert 0 <= sentence.start < sentence.end <= len(document.text)
    for token in document.tokens:
        assert document.text[token.start : token.end] == token.text


def _inside_crlf(text: str, offset: int) -> bool:
    # Between "\r" and "\n" is no position an editor can name.
    return 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n"


@settings(max_examples=200, deadline=None)
@given(text=copy_text, data=st.data())
def test_offsets_round_trip_through_lines_columns_and_every_encoding(text, data):
    index = LineIndex(text)
    offsets = data.draw(st.lists(st.integers(0, len(text)), max_size=20)) + [0, len(text)]
    for offset in offsets:
        if _inside_crlf(text, offset):
            continue
        location = index.location(offset)
        assert index.line_starts[location.line - 1] + location.column - 1 == offset
        for encoding in ("utf-16", "utf-8", "utf-32"):
            line, units = index.column_in(offset, encoding)
            assert line == location.line - 1
            start = index.line_starts[line]
            assert units == len(text[start:offset].encode(encoding.replace("-32", "-32-le").replace("-16", "-16-le"))) // {
                "utf-8": 1,
                "utf-16": 2,
                "utf-32": 4,
            }[encoding]
            assert index.offset_from_column(line, units, encoding) == offset


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b"])
def test_only_cr_and_lf_break_lines(separator):
    index = LineIndex(f"one{separator}two\r\nthree")
    assert index.line_count == 2
    assert index.location(len("one") + 1 + len("two") + 2).line == 2


# -- one open or many incremental edits: the same text, the same findings --------------

edit_script = st.lists(
    st.tuples(st.floats(0, 1), st.floats(0, 1), st.one_of(st.sampled_from(FRAGMENTS), unicode_text)),
    min_size=1,
    max_size=8,
)


def _addressable(text: str, offset: int) -> int:
    # An editor cannot put a position between "\r" and "\n".
    return offset - 1 if _inside_crlf(text, offset) else offset


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=copy_text, edits=edit_script, encoding=st.sampled_from(["utf-16", "utf-8", "utf-32"]))
def test_incremental_edits_give_the_text_and_findings_of_one_open(text, edits, encoding):
    from types import SimpleNamespace

    from copydesk.api import Session
    from copydesk.lsp.documents import OpenDocument, TextChange

    editor_session = Session(registry=REGISTRY)
    buffer = OpenDocument("file:///story.txt", text, 1, "plaintext", None)
    expected = text
    editor_session.lint_text(buffer.text)  # the editor lints as it goes: warm caches
    for version, (a, b, replacement) in enumerate(edits, start=2):
        start = _addressable(expected, int(min(a, b) * len(expected)))
        end = max(start, _addressable(expected, int(max(a, b) * len(expected))))
        index = LineIndex(expected)
        (start_line, start_char), (end_line, end_char) = index.column_in(start, encoding), index.column_in(end, encoding)
        change = TextChange(
            replacement,
            SimpleNamespace(
                start=SimpleNamespace(line=start_line, character=start_char),
                end=SimpleNamespace(line=end_line, character=end_char),
            ),
        )
        assert buffer.apply([change], version, encoding) == []
        expected = expected[:start] + replacement + expected[end:]
        assert buffer.text == expected
        editor_session.lint_text(buffer.text)

    def found(report):
        return [(d.code, d.start, d.end, d.message) for d in report.diagnostics]

    assert found(editor_session.lint_text(buffer.text)) == found(Session(registry=REGISTRY).lint_text(expected))
