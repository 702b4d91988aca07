from __future__ import annotations

import pytest

from copydesk.positions import LineIndex


def test_lines_split_on_crlf_cr_and_lf_only() -> None:
    text = "one\r\ntwo\rthree\nfour\u2028still four\x0cand\x85this"
    index = LineIndex(text)
    assert index.line_count == 4
    assert [text[slice(*index.line_span(n))] for n in range(4)] == [
        "one",
        "two",
        "three",
        "four\u2028still four\x0cand\x85this",
    ]


def test_location_is_one_based_in_code_points() -> None:
    text = "ab\r\nc😀d"
    index = LineIndex(text)
    offset = text.index("d")
    location = index.location(offset)
    assert (location.line, location.column, location.offset) == (2, 3, offset)
    assert text[offset] == "d"


def test_location_of_end_of_text_and_line_break() -> None:
    text = "ab\r\n"
    index = LineIndex(text)
    assert index.location(2).as_dict() == {"line": 1, "column": 3, "offset": 2}
    assert index.location(len(text)).as_dict() == {"line": 2, "column": 1, "offset": 4}


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-32", 2), ("utf-16", 3), ("utf-8", 5)],
)
def test_columns_in_each_encoding_after_an_emoji(encoding: str, expected: int) -> None:
    text = "x\n😀 word"
    index = LineIndex(text)
    offset = text.index("word") - 1  # the space after the emoji
    line, character = index.column_in(offset + 1, encoding)  # type: ignore[arg-type]
    assert line == 1
    assert character == expected
    assert index.offset_from_column(line, character, encoding) == offset + 1  # type: ignore[arg-type]
    assert text[index.offset_from_column(line, character, encoding) :].startswith("word")  # type: ignore[arg-type]


def test_offset_from_column_clamps_like_the_lsp() -> None:
    text = "short\nline"
    index = LineIndex(text)
    assert index.offset_from_column(0, 99, "utf-16") == len("short")
    assert index.offset_from_column(9, 0, "utf-16") == len(text)
    assert index.offset_from_column(-1, 0, "utf-16") == 0


def test_inside_a_surrogate_pair_snaps_to_the_code_point() -> None:
    text = "a😀b"
    index = LineIndex(text)
    assert index.offset_from_column(0, 2, "utf-16") == 1
    assert index.offset_from_column(0, 3, "utf-16") == 2


def test_round_trip_on_mixed_text() -> None:
    text = "“Quote,” she said — 😀 café\r\nnext\rline ✓"
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        for encoding in ("utf-8", "utf-16", "utf-32"):
            line, character = index.column_in(offset, encoding)  # type: ignore[arg-type]
            back = index.offset_from_column(line, character, encoding)  # type: ignore[arg-type]
            # Offsets inside a line break map back to the end of that line.
            line_start, line_end = index.line_span(line)
            assert back == min(offset, line_end)
