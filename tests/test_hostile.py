"""Hostile shapes of input (issue 8) lint without error through every rule.

Correctness only, at a moderate size: no rule fails, every span is inside
the text, and the document model still accounts for every paragraph.
How the time grows with each shape is measured by benchmarks/growth.py.
"""

from __future__ import annotations

import pytest

from copydesk.document import Document
from copydesk.engine import Linter
from copydesk.plugin.manager import load_registry
from copydesk.plugin.rule import ConfiguredRule

SIZE = 10_000


def _cycle(piece: str, size: int = SIZE) -> str:
    return (piece * (size // len(piece) + 1))[:size]


HOSTILE = {
    "straight quote marks in a row": '"' * SIZE,
    "curly quote marks in a row": "“" * SIZE,
    "every kind of quote mark in a row": _cycle("“‘\"'”’«»„‚"),
    "one long line": _cycle("The minister said the plan would work, and “it will,” she added. "),
    "According to in a row": "According to " * (SIZE // 13),
    "According to opening every paragraph": "According to officials, it rained.\n\n" * (SIZE // 37),
    "tiny paragraphs": "A.\n\n" * (SIZE // 4),
    "nested brackets": "(" * (SIZE // 2) + ")" * (SIZE // 2),
    "nested quotes": "“‘" * (SIZE // 4) + "’”" * (SIZE // 4),
    "unclosed brackets and quotes": _cycle("([{<“‘"),
    "every line separator": _cycle("He said.\rShe said.\u2028“Yes.”\u2029No.\x85Maybe.\x0cSo.\r\n\n"),
    "a run of dots": "." * SIZE,
    "unclosed comments": "<!--" * (SIZE // 4),
    "one long word": "a" * SIZE,
    "names without end": _cycle("Mr Giles Keir Giles Ms Ward "),
    "pronouns without end": _cycle("“No,” she said. “Yes,” he said. "),
    "suppression directives everywhere": _cycle("<!-- copydesk: disable=CD101 -->[copydesk: disable-line]"),
    "combining marks and emoji": _cycle("e\u0301\u0301 👩\u200d👩\u200d👧 🇬🇧 "),
}

REGISTRY = load_registry(entry_points=False)
LINTER = Linter([ConfiguredRule(rule, rule.option_defaults()) for rule in REGISTRY], known_rules=REGISTRY)


@pytest.mark.parametrize("markup", ["text", "markdown"])
@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_hostile_shape_lints_through_every_rule(shape, markup):
    text = HOSTILE[shape]
    document = Document(text, markup=markup)
    result = LINTER.lint(document)
    assert result.failures == [], [f.describe() for f in result.failures]
    for diagnostic in result.diagnostics:
        assert 0 <= diagnostic.start <= diagnostic.end <= len(text)
    assert len(document.prose) == len(text)
    covered = sum(p.end - p.start for p in document.paragraphs)
    assert covered <= len(text)
    assert all(a.end <= b.start for a, b in zip(document.paragraphs, document.paragraphs[1:]))


def test_tiny_paragraphs_are_each_a_paragraph():
    document = Document("A.\n\n" * 5_000)
    assert len(document.paragraphs) == 5_000


def test_a_run_of_dots_is_one_sentence():
    document = Document("." * SIZE + " Next one.")
    assert [(s.start, s.end) for s in document.sentences] == [(0, SIZE), (SIZE + 1, SIZE + 10)]


def test_unclosed_comments_hide_nothing_and_a_closed_one_still_hides():
    text = "<!--" * 1_000 + " words -->" + " after"
    document = Document(text)
    assert document.prose.strip() == "after"
    assert Document("<!--" * 1_000 + " words").prose == "<!--" * 1_000 + " words"


def test_columns_on_one_long_line_with_emoji_match_the_encoded_text():
    from copydesk.positions import LineIndex

    text = _cycle("word 😀 é 中 ", 30_000) + "\r\nnext 😀 line"
    index = LineIndex(text)
    for offset in [0, 1, 4095, 4096, 4097, 8191, 8192, 12_345, 29_999, 30_000, 30_002, len(text)]:
        line = index.line_of(offset)
        start = index.line_starts[line]
        for encoding, codec, width in (("utf-16", "utf-16-le", 2), ("utf-8", "utf-8", 1)):
            units = len(text[start:offset].encode(codec)) // width
            assert index.column_in(offset, encoding) == (line, units)
            assert index.offset_from_column(line, units, encoding) == offset
    # A position inside the emoji's surrogate pair snaps to the emoji's start.
    emoji = text.index("😀", 20_000)
    line, units = index.column_in(emoji, "utf-16")
    assert index.offset_from_column(line, units + 1, "utf-16") == emoji
    assert index.offset_from_column(0, 10**9, "utf-16") == 30_000
