from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk import document as document_module
from copydesk.document import DecodeError, Document, decode, sentence_bounds


def paragraph_texts(doc: Document) -> list[str]:
    return [doc.text[p.start : p.end] for p in doc.paragraphs]


def test_bom_is_stripped_and_not_counted() -> None:
    data = "\ufeffHello world.".encode("utf-8")
    doc = Document.from_bytes(data, "a.txt")
    assert doc.text == "Hello world."
    assert doc.tokens[0].start == 0


def test_invalid_utf8_names_the_byte() -> None:
    with pytest.raises(DecodeError) as caught:
        decode(b"Price: \xa3100")
    assert caught.value.byte_offset == 7
    assert "byte 7" in caught.value.reason


def test_binary_content_is_refused() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode(b"abc\x00def")


def test_other_encodings_decode_when_named() -> None:
    assert decode("Price: £100".encode("latin-1"), "latin-1") == "Price: £100"


def test_plain_text_paragraphs_are_separated_by_blank_lines_in_any_line_ending() -> None:
    text = "First para\r\nstill first.\r\n\r\nSecond.\r   \rThird.\n\n\nFourth."
    doc = Document(text, "a.txt")
    assert paragraph_texts(doc) == ["First para\r\nstill first.", "Second.", "Third.", "Fourth."]


def test_paragraph_at_finds_the_enclosing_paragraph() -> None:
    doc = Document("One two.\n\nThree four.", "a.txt")
    assert doc.paragraph_at(doc.text.index("four")).index == 1
    assert doc.paragraph_at(doc.text.index("\n\n") + 1) is None


def test_sentences_respect_abbreviations_initials_and_quotes() -> None:
    text = "Mr. Giles met Dr. A. Smith in the U.S. on Monday. “It went well,” he said. Then he left!"
    doc = Document(text)
    sentences = [text[s.start : s.end] for s in doc.sentences]
    assert sentences == [
        "Mr. Giles met Dr. A. Smith in the U.S. on Monday.",
        "“It went well,” he said.",
        "Then he left!",
    ]


def split_in_place(doc: Document) -> list[tuple[int, int]]:
    """Every paragraph split where it stands in the prose, nothing memoised."""
    return [bounds for p in doc.paragraphs for bounds in sentence_bounds(doc.prose, p.start, p.end)]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Mr. Giles met Dr. A. Smith. “It went well,” he said.",
                "It rose 3.5%. Then it fell! Why?",
                "“Fine.” she said… and left.",
                "No end mark",
                "Ends on a dot.",
                "...",
                "<!-- note -->Hidden. Shown.",
                "[//]: # (c) Shown. Too.",
            ]
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["\n\n", "\n \n", "\r\n\r\n", "\n\n\n"]),
    st.sampled_from(["text", "markdown"]),
)
def test_sentences_memoised_by_paragraph_equal_a_split_in_place(paragraphs, separator, markup) -> None:
    # The same paragraph text recurs at other offsets, and the memo is
    # shared by every document: each must get its own offsets.
    text = separator.join(paragraphs)
    document = Document(text, markup=markup)
    assert [(s.start, s.end) for s in document.sentences] == split_in_place(Document(text, markup=markup))
    document_module.clear_memo()
    assert [(s.start, s.end) for s in Document(text, markup=markup).sentences] == split_in_place(document)


def test_tokens_keep_inner_apostrophes_hyphens_and_figures() -> None:
    text = "Russia’s anti-tank launchers cost 2,000 dollars."
    doc = Document(text)
    assert [t.text for t in doc.tokens] == ["Russia’s", "anti-tank", "launchers", "cost", "2,000", "dollars"]
    for token in doc.tokens:
        assert text[token.start : token.end] == token.text


def test_tokens_between() -> None:
    text = "alpha beta gamma delta"
    doc = Document(text)
    assert [t.text for t in doc.tokens_between(6, 16)] == ["beta", "gamma"]


def test_seed_article_paragraphs(seed_text: str) -> None:
    doc = Document(seed_text, "article.txt")
    texts = paragraph_texts(doc)
    assert len(texts) == 15
    assert texts[0].startswith("date 2022-01-21")
    assert texts[-1] == "“The,” she says."


def test_markdown_prose_blanks_non_prose_but_keeps_offsets() -> None:
    text = (
        "---\ntitle: A story\n---\n"
        "# The headline\n\n"
        "Said `code` and [a link](https://example.com/x) and <b>bold</b> here.\n\n"
        "```\nAccording to code\n```\n\n"
        "> Quoted line\n> continues.\n\n"
        "- a list item\n"
        "<!-- copydesk: disable=CD101 -->\n"
    )
    doc = Document(text, "story.md")
    assert len(doc.prose) == len(text)
    assert [doc.text[p.start : p.end] for p in doc.paragraphs] == [
        "The headline",
        "Said `code` and [a link](https://example.com/x) and <b>bold</b> here.",
        "Quoted line\n> continues.",
        "a list item",
    ]
    prose_words = [t.text for t in doc.tokens]
    assert "code" not in prose_words
    assert "https" not in prose_words and "example" not in prose_words
    assert "b" not in prose_words
    assert "According" not in prose_words
    assert "copydesk" not in prose_words and "title" not in prose_words
    for word in ("headline", "Said", "link", "bold", "Quoted", "continues", "item"):
        token = next(t for t in doc.tokens if t.text == word)
        assert text[token.start : token.end] == word


def test_markdown_crlf_and_setext_headings() -> None:
    text = "Headline\r\n========\r\n\r\nBody text.\r\n"
    doc = Document(text, "a.md")
    assert paragraph_texts(doc) == ["Headline", "Body text."]
    assert "=" not in doc.prose


def test_plain_text_html_comments_are_not_prose() -> None:
    text = "Some words <!-- copydesk: disable-line --> more."
    doc = Document(text, "a.txt")
    assert [t.text for t in doc.tokens] == ["Some", "words", "more"]
