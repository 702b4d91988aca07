"""The quotes and people analyses memoise what each paragraph's text alone
decides; after any edit the memoised analysis must equal a fresh one read
from the whole prose in place."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copydesk.analysis import people, quotes
from copydesk.document import Document


def described(doc: Document) -> tuple:
    """Every field of both analyses, offsets included."""
    q = doc.quotes
    p = doc.people
    entities = [(e.id, e.name, e.surname, e.first, e.gender, e.gender_source, e.titles, e.mentions) for e in p.entities]
    return (
        q.quotations, q.problems, q.apostrophes,
        p.mentions, entities, p.pronouns, sorted(p.speakers.items()), p.possible_people,
    )


@contextmanager
def unmemoised() -> Iterator[None]:
    """Analyse the whole prose in place, as before paragraphs were memoised."""
    quotes._memoise = people._memoise = False
    try:
        yield
    finally:
        quotes._memoise = people._memoise = True


def fresh(text: str, markup: str = "text") -> tuple:
    with unmemoised():
        return described(Document(text, markup=markup))  # type: ignore[arg-type]


def memoised(text: str, markup: str = "text") -> tuple:
    return described(Document(text, markup=markup))  # type: ignore[arg-type]


def test_editing_one_paragraph_of_the_seed_equals_a_fresh_analysis(seed_text: str) -> None:
    paragraphs = seed_text.split("\n\n")
    memoised(seed_text)  # every paragraph memoised, at its own offsets
    edits = {
        "insert before a quote": lambda p: "Earlier, Mrs Smith said: " + p,
        "remove a closing mark": lambda p: p.replace("”", "", 1),
        "open a quote left open": lambda p: p + " “And then",
        "add a pronoun": lambda p: p + " She said so.",
        "add a name": lambda p: "Sir Keir Giles, the minister, " + p,
    }
    for index in range(0, len(paragraphs), 3):
        for name, edit in edits.items():
            changed = paragraphs[:index] + [edit(paragraphs[index])] + paragraphs[index + 1 :]
            text = "\n\n".join(changed)
            assert memoised(text) == fresh(text), (name, index)


def test_paragraphs_moved_to_other_offsets_keep_exact_spans(seed_text: str) -> None:
    paragraphs = seed_text.split("\n\n")
    memoised(seed_text)
    text = "A new first paragraph, “quoted,” he said.\n\n" + "\n\n".join(reversed(paragraphs))
    analysis = Document(text).quotes
    assert memoised(text) == fresh(text)
    assert any(text[q.outer_start : q.outer_end] == "“The,”" for q in analysis.quotations)


def test_a_quote_continued_over_paragraphs_is_linked_after_edits() -> None:
    first = "“We will fight on,” said Mr Giles. “It is not over.\n\n“We will win the next vote.”"
    memoised(first)
    # The same paragraphs with the second no longer reopening the quote.
    second = "“We will fight on,” said Mr Giles. “It is not over.\n\nWe will win the next vote.”"
    analysis = Document(second).quotes
    assert memoised(second) == fresh(second)
    assert [p.kind for p in analysis.problems] == ["unclosed", "unopened"]
    continued = Document(first).quotes
    assert continued.problems == () and continued.quotations[1].continues


def test_a_colon_ended_paragraph_attributes_the_quote_below_it() -> None:
    text = "Mr Cruz continued:\n\n“We are not going anywhere.”"
    memoised("Something else entirely.\n\n“We are not going anywhere.”")
    analysis = Document(text).quotes
    assert memoised(text) == fresh(text)
    assert analysis.quotations[0].attribution is not None
    assert analysis.quotations[0].attribution.who == "Mr Cruz"


def test_markdown_and_crlf_documents_equal_a_fresh_analysis(seed_text: str) -> None:
    crlf = seed_text.replace("\n", "\r\n")
    markdown = "# Heading\n\n" + seed_text.replace("Mr Giles", "*Mr Giles*")
    for text, markup in ((crlf, "text"), (markdown, "markdown")):
        memoised(text, markup)
        assert memoised(text, markup) == fresh(text, markup)


PIECES = [
    "Mr Giles said the talks went well.",
    "“It is a tiny number,” he told me.",
    "“The,” she says.",
    "According to Keir Giles, “the forces are for training”.",
    "Defence Secretary Ben Wallace met Russian Foreign Minister Sergey Lavrov.",
    "The foreign minister said: “We expect an answer.",
    "“We expect it in writing.”",
    "Mrs Smith praised the team, and her husband agreed.",
    "Rock ’n’ roll in the ’90s was Russia’s “leading” export.",
    'She called it a "basic mistake" that was "counterproductive".',
    "Sanders said his campaign would go on.",
    "When she arrived, Anna Jones spoke to the poet.",
    "Cruz continued:",
    "‘It is over. ‘We lost.’",
    "It’s a 12\" record, he said.",
    "Mr Jones spoke to the",
    "poet, and she said so.",
    "The minister said it, and the foreign minister agreed.",
    "Then Giles said it was over, then left.",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=3), min_size=1, max_size=8),
    st.sampled_from(["\n\n", "\r\n\r\n", "\n\n\n"]),
)
def test_any_arrangement_of_paragraphs_equals_a_fresh_analysis(paragraphs: list[list[str]], separator: str) -> None:
    # Earlier examples left many of these paragraphs memoised at other offsets.
    text = separator.join(" ".join(sentences) for sentences in paragraphs)
    assert memoised(text) == fresh(text)


def test_a_person_noun_after_a_determiner_ending_the_paragraph_before_is_found() -> None:
    text = "Mr Jones spoke to the\n\npoet, and she said so.\n\nHe met a\r\n\r\nfriend."
    doc = Document(text)
    nouns = people._person_nouns(doc, text.lower(), [text[p.start : p.end] for p in doc.paragraphs])
    with unmemoised():
        whole = [m.start(1) for m in people._PERSON_NOUN.finditer(text.lower())]
    assert nouns == whole == [text.index("poet"), text.index("friend")]


def test_clear_memos_forgets_every_paragraph_and_changes_no_result(seed_text: str) -> None:
    from copydesk.analysis import clear_memos

    before = memoised(seed_text)
    assert len(quotes._MEMO) and len(people._SCANS)
    clear_memos()
    assert len(quotes._MEMO) == len(people._SCANS) == len(people._ROLE_SCANS) == 0
    assert memoised(seed_text) == before
