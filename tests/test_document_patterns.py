"""The document model's fast patterns equal the plain ones they replace:
blank lines (a literal-first pattern for text without CR or U+2029) and
sentence ends (the lookbehind moved after the first mark)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk import document
from copydesk.document import Document

# The patterns as first written, kept here as the reference.
PLAIN_BLANK_LINE = re.compile(r"(?:\r\n|\r(?!\n)|\n)[^\S\r\n\u2028\u2029]*(?=\r\n|\r|\n)|\u2029")
PLAIN_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’)\]]*(?=\s)")

pieces = st.sampled_from(
    [".", "!", "?", "…", " ", "\t", "\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\xa0", '"', "'", "”", "’", ")",
     "]", "a", "B", "Mr", "U.S", "\n\n", " \n \n", "\n\t\n"]
)
texts = st.lists(pieces, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=texts, data=st.data())
def test_the_sentence_end_pattern_matches_as_the_plain_one(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    fast = [m.span() for m in document._SENTENCE_END.finditer(text, start, end)]
    assert fast == [m.span() for m in PLAIN_SENTENCE_END.finditer(text, start, end)]


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_paragraph_blocks_are_those_of_the_plain_blank_line_pattern(text: str) -> None:
    plain = []
    position = 0
    for match in PLAIN_BLANK_LINE.finditer(text):
        plain.append((position, match.start()))
        position = match.end()
    plain.append((position, len(text)))
    assert list(document._blank_line_blocks(text)) == plain


def test_a_run_of_dots_is_scanned_once() -> None:
    # 200,000 dots and no space after them: one candidate, not one per dot.
    assert list(document._SENTENCE_END.finditer("." * 200_000)) == []
    assert [s.end - s.start for s in Document("." * 200_000 + " Next.").sentences] == [200_000, 5]
