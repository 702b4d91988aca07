"""The quotation model: marks, apostrophes, nesting, paragraphs, attributions."""

from __future__ import annotations

from copydesk.document import Document


def quotes_of(text: str):
    return Document(text).quotes


def quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in quotes_of(text).quotations]


def test_seed_quotations_have_exact_spans_and_kinds(seed_text: str) -> None:
    analysis = quotes_of(seed_text)
    texts = [seed_text[q.start : q.end] for q in analysis.quotations]
    assert texts[0] == "taking the lead"
    assert "leading" in texts and "basic mistake" in texts and "The," in texts
    last = analysis.quotations[-1]
    assert seed_text[last.open_mark] == "“" and seed_text[last.close_mark] == "”"
    assert seed_text[last.outer_start : last.outer_end] == "“The,”"
    assert analysis.problems == ()


def test_seed_scare_quotes_are_recognised(seed_text: str) -> None:
    scare = {seed_text[q.start : q.end] for q in quotes_of(seed_text).quotations if q.scare}
    assert {"taking the lead", "leading", "basic mistake"} <= scare
    full = [q for q in quotes_of(seed_text).quotations if seed_text[q.start : q.end] == "The,"]
    assert not full[0].scare


def test_seed_attributions(seed_text: str) -> None:
    analysis = quotes_of(seed_text)
    by_text = {seed_text[q.start : q.start + 12]: q.attribution for q in analysis.quotations}
    told = by_text["It’s a tiny "]
    by_text = {seed_text[q.start : q.end]: q.attribution for q in analysis.quotations}
    assert told.kind == "pronoun" and told.who == "he" and told.verb == "told"
    assert seed_text[told.who_start : told.who_end] == "he"
    says = by_text["The,"]
    assert says.who == "she" and seed_text[says.verb_start : says.verb_end] == "says"


def test_apostrophes_are_not_quote_marks() -> None:
    text = "Russia’s troops in the ’90s played rock ’n’ roll; the players’ union said it’s fine. Don't 'em."
    analysis = quotes_of(text)
    assert analysis.quotations == () and analysis.problems == ()
    for word in ("Russia’s", "’90s", "’n’", "players’", "it’s", "Don't", "'em"):
        start = text.index(word)
        marks = [i for i in analysis.apostrophes if start <= i < start + len(word)]
        assert marks, word


def test_apostrophe_inside_single_quotes_does_not_close_them() -> None:
    text = "He called it ‘the players’ union’ and left."
    assert quoted(text) == ["the players’ union"]


def test_straight_and_curly_double_and_single_quotes() -> None:
    text = 'She said "no" and ‘maybe’ and “yes” and \'perhaps\' today.'
    assert quoted(text) == ["no", "maybe", "yes", "perhaps"]
    styles = [(q.style, q.curly) for q in quotes_of(text).quotations]
    assert styles == [("double", False), ("single", True), ("double", True), ("single", False)]


def test_nested_quotes() -> None:
    text = "“He told me ‘never again’ and walked out,” she said."
    analysis = quotes_of(text)
    outer, inner = analysis.quotations
    assert text[outer.start : outer.end] == "He told me ‘never again’ and walked out,"
    assert text[inner.start : inner.end] == "never again"
    assert (outer.depth, inner.depth) == (0, 1)
    assert analysis.quotation_at(text.index("never")) == outer


def test_multi_paragraph_quote_in_news_convention() -> None:
    text = "“The first part goes on.\n\n“The second part ends here,” she said.\n"
    analysis = quotes_of(text)
    first, second = analysis.quotations
    assert first.continues and first.close_mark is None
    assert second.continued
    assert analysis.problems == ()
    assert first.attribution is not None and first.attribution.who == "she"


def test_unclosed_unopened_and_mismatched_marks() -> None:
    unclosed = quotes_of("“This never ends, she said.\n\nThe next paragraph is prose.\n")
    assert [(p.kind, p.start) for p in unclosed.problems] == [("unclosed", 0)]
    unopened = "This never began,” she said."
    problems = quotes_of(unopened).problems
    assert [(p.kind, unopened[p.start : p.end]) for p in problems] == [("unopened", "”")]
    mismatched = "“This is wrong,’ she said."
    problems = quotes_of(mismatched).problems
    assert [(p.kind, mismatched[p.start : p.end], p.other) for p in problems] == [("mismatched", "’", 0)]


def test_attribution_forms() -> None:
    cases = {
        "“We will win,” said Mr Giles.": ("name", "Mr Giles"),
        "“We will win,” Mr Giles said.": ("name", "Mr Giles"),
        "“We will win,” she says.": ("pronoun", "she"),
        "“We will win,” said the foreign minister.": ("role", "the foreign minister"),
        "Mr Giles said: “We will win.”": ("name", "Mr Giles"),
        "According to Keir Giles, “we will win.”": ("according-to", "Keir Giles"),
    }
    for text, (kind, who) in cases.items():
        (quotation,) = quotes_of(text).quotations
        assert quotation.attribution is not None, text
        assert (quotation.attribution.kind, quotation.attribution.who) == (kind, who), text
        a = quotation.attribution
        assert text[a.who_start : a.who_end] == who


def test_quote_paragraph_after_an_attributed_one_carries_the_attribution() -> None:
    text = "“We will win,” said Mr Giles.\n\n“And we will win again.”\n"
    first, second = quotes_of(text).quotations
    assert second.attribution is not None and second.attribution.kind == "carried"
    assert second.attribution.who == "Mr Giles"


def test_crlf_and_emoji_keep_offsets_exact() -> None:
    text = "😀 Intro.\r\n\r\n“It’s done,” said Mr Giles 🎉.\r\n"
    (quotation,) = quotes_of(text).quotations
    assert text[quotation.start : quotation.end] == "It’s done,"
    assert text[quotation.attribution.who_start : quotation.attribution.who_end] == "Mr Giles"


def test_many_marks_in_a_row_stay_linear() -> None:
    # Hostile input must not blow up: every mark is visited once.
    for mark in ("“", "”", '"', "‘", "’", "'"):
        analysis = quotes_of(mark * 20_000)
        assert len(analysis.problems) <= 20_000
    analysis = quotes_of(("“a” " * 5000) + "x")
    assert len(analysis.quotations) == 5000


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    ["“", "”", "‘", "’", '"', "'", " ", "\n\n", "\r\n", "Mr Giles", " she says", " he said", ",", ".",
     "the", " and", "Russia’s", "😀", "Mary Smith", "—", "…", "n", "90s"]
)


@given(st.lists(_PIECES, max_size=40).map("".join))
@settings(max_examples=150, deadline=None)
def test_any_text_gives_spans_inside_the_text(text: str) -> None:
    from copydesk.rules.pronoun_mismatch import pronoun_mismatch
    from copydesk.rules.truncated_quote import truncated_quote

    doc = Document(text)
    for quotation in doc.quotes.quotations:
        assert 0 <= quotation.outer_start <= quotation.start <= quotation.end <= quotation.outer_end <= len(text)
    for mention in doc.people.mentions:
        assert text[mention.start : mention.end] == mention.text
    for rule in (truncated_quote, pronoun_mismatch):
        for finding in rule.check(doc, {}):
            assert 0 <= finding.start < finding.end <= len(text)


def test_an_attribution_introducing_the_next_quote_belongs_to_it() -> None:
    text = "“We found nothing.” He added, “In this case it was different.”"
    first, second = quotes_of(text).quotations
    assert first.attribution is None
    assert second.attribution is not None and second.attribution.who == "He"


def test_attribution_on_the_line_before_a_quote_paragraph() -> None:
    text = "Cruz continued:\n\n“You look at the questions and wonder.”\n"
    (quotation,) = quotes_of(text).quotations
    assert quotation.attribution is not None and quotation.attribution.who == "Cruz"
    assert text[quotation.attribution.who_start : quotation.attribution.who_end] == "Cruz"


def test_quote_after_an_attributed_one_in_the_same_paragraph_carries_it() -> None:
    text = "“I am not shy,” I said. “I have never been reluctant.”"
    first, second = quotes_of(text).quotations
    assert first.attribution.kind == "pronoun"
    assert second.attribution.kind == "carried" and second.attribution.who_start == first.attribution.who_start
