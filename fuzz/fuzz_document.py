"""Coverage-guided fuzzing of the document model (atheris / libFuzzer).

Each input is read as file bytes (decoded as copydesk decodes files, so a
bad byte must become a DecodeError naming its offset, never another
exception) or, when the first byte is odd, as arbitrary Unicode text. For
plain text and Markdown alike the model must hold its invariants:

* the prose has the length of the text (offsets stay valid);
* paragraphs are ordered, non-overlapping and inside the text; every
  sentence lies in a paragraph; every token's text is the text at its span;
* quotes and people analysis complete, their spans inside the text;
* offsets round-trip through (line, column) and UTF-16 / UTF-8 columns.

    python fuzz/fuzz_document.py -max_total_time=300 fuzz/corpus fuzz/seeds

(see fuzz/README.md). A failing input is written to crash-<sha1>.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import copydesk.analysis.people
    import copydesk.analysis.quotes
    import copydesk.markup
    import copydesk.positions
    from copydesk.document import DecodeError, Document, decode


def check_spans(spans, length: int, what: str) -> None:
    for start, end in spans:
        assert 0 <= start <= end <= length, f"{what} span {start}-{end} outside 0-{length}"


def check_document(text: str, markup: str) -> None:
    document = Document(text, markup=markup)
    text = document.text  # without a leading BOM
    length = len(text)
    assert len(document.prose) == length, "prose length differs from the text"
    previous = 0
    for paragraph in document.paragraphs:
        assert previous <= paragraph.start < paragraph.end <= length, "paragraphs out of order or outside"
        previous = paragraph.end
    for sentence in document.sentences:
        assert document.paragraph_at(sentence.start) is not None, "sentence outside every paragraph"
        assert sentence.end <= length
    for token in document.tokens:
        assert text[token.start : token.end] == token.text, "token text is not the text at its span"
    quotes = document.quotes
    check_spans(((q.start, q.end) for q in quotes.quotations), length, "quotation")
    check_spans(((offset, offset + 1) for offset in quotes.marks), length, "quote mark")
    people = document.people
    check_spans(((m.start, m.end) for m in people.mentions), length, "mention")
    prose = document.prose
    for mention in people.mentions:
        # Mentions are read from the prose: Markdown emphasis inside a name is blanked.
        assert prose[mention.start : mention.end] == mention.text, "mention text is not the prose at its span"
    index = document.line_index
    for offset in {0, length, length // 2, length // 3}:
        if 0 < offset < length and text[offset - 1] == "\r" and text[offset] == "\n":
            continue
        location = index.location(offset)
        assert index.line_starts[location.line - 1] + location.column - 1 == offset
        for encoding in ("utf-16", "utf-8"):
            line, units = index.column_in(offset, encoding)
            assert index.offset_from_column(line, units, encoding) == offset, f"{encoding} round trip"


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    as_text = provider.ConsumeBool()
    markup = "markdown" if provider.ConsumeBool() else "text"
    if as_text:
        text = provider.ConsumeUnicodeNoSurrogates(len(data))
    else:
        raw = provider.ConsumeBytes(len(data))
        try:
            text = decode(raw)
        except DecodeError as error:
            assert error.byte_offset is None or 0 <= error.byte_offset <= len(raw)
            return
    check_document(text, markup)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
