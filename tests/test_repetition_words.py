"""The repetition rules' word layer (copydesk.repetition): words read by
whole-paragraph passes must be exactly the document's tokens, normalised as
``normal_word`` does, split into the same phrase runs, at the same offsets.
The shortcuts the rules take (CD501's pre-filter, CD102's window filter,
CD201's size range) must never skip a finding.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copydesk import repetition
from copydesk.document import Document
from copydesk.repetition import PHRASE_BREAK, normal_word, normal_words, paragraph_words, word_spans
from copydesk.rules import stray_metadata
from copydesk.rules.repeated_phrase import repeated_phrase

from rule_support import lint_rule

# Where words meet punctuation, separators, apostrophes and line breaks.
PIECES = [
    "Russia’s", "Russia's", "it’s", "U.S.", "1.5", "2,000", "said.The", "anti-tank", "a - b", "a--b", "x_y",
    "“Quote,” she said.", "(aside)", "[note]", "— dash –", ". ", ", ", "; ", ": ", "...", "'s", "’s", "‘",
    "Straße", "İstanbul", "ÉCOLE", "\u212a", "e\u0301", "😀", "🇬🇧", "\r\n", "\r", "\n", "\n\n", "\r\n\r\n",
    "\u2028", "\u2029", "\x85", "\t", " ", "# ", "> ", "- ", "1. ", "`code`", "<!-- c -->", "http://x.org/a",
    "The council voted on Tuesday", "the oil-rich Gulf state", "on the other hand",
]
copy_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)),
    max_size=40,
).map("".join)


def _reference_runs(doc: Document, index: int) -> list[list[str]]:
    """Phrase runs the way the rules first read them: token by token."""
    paragraph = doc.paragraphs[index]
    runs: list[list[str]] = [[]]
    previous = None
    for token in doc.tokens_between(paragraph.start, paragraph.end):
        if previous is not None and PHRASE_BREAK.search(doc.prose[previous.end : token.start]):
            runs.append([])
        runs[-1].append(token.text)
        previous = token
    return runs


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=copy_text, markup=st.sampled_from(["text", "markdown"]))
def test_paragraph_words_are_the_documents_tokens_in_the_same_runs(text: str, markup: str) -> None:
    repetition.clear_memos()
    doc = Document(text, markup=markup)  # type: ignore[arg-type]
    for index, (paragraph, words) in enumerate(zip(doc.paragraphs, paragraph_words(doc))):
        tokens = doc.tokens_between(paragraph.start, paragraph.end)
        assert words.texts == [t.text for t in tokens]
        assert words.normals == [normal_word(t.text) for t in tokens]
        assert word_spans(doc, index) == ([t.start for t in tokens], [t.end for t in tokens])
        fresh = type(words)(words.texts, words.gaps, words.leading)  # offsets not yet added up
        assert fresh.relative_spans() == (
            [t.start - paragraph.start for t in tokens],
            [t.end - paragraph.start for t in tokens],
        )
        runs = _reference_runs(doc, index)
        assert [size for size in words.run_sizes if size] == [len(run) for run in runs if run]
        if words.texts:
            assert words.leading == doc.prose[paragraph.start : tokens[0].start]
            assert words.gaps == [doc.prose[a.end : b.start] for a, b in zip(tokens, tokens[1:])]


def test_a_paragraph_seen_again_is_served_from_the_memo_with_this_documents_offsets() -> None:
    repetition.clear_memos()
    paragraph = "Tallinn’s mayor said the U.S. plan, worth 2,000 euros, was fine."
    first = Document(paragraph)
    second = Document("Headline.\r\n\r\n" + paragraph)
    (words,) = paragraph_words(first)
    assert paragraph_words(second)[1] is words
    starts, ends = word_spans(second, 1)
    assert [second.text[s:e] for s, e in zip(starts, ends)] == words.texts


def test_normal_words_strip_one_possessive_and_straighten_apostrophes() -> None:
    texts = ["Russia’s", "IT'S", "a's's", "boss’", "Straße", "İ"]
    joined, normals = normal_words(texts)
    assert normals == [normal_word(t) for t in texts]
    assert joined == " ".join(normals)
    assert normal_words([]) == ("", [])


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            ["date 2022-01-21 ", "Updated: 2016-05-19T10:22Z", "slug: uk-troops", "SLUG = x", "2016-05-19 Headline",
             "{{ author }}", "${name}", "%(title)s", "&amp;", "&#233;", "<p>", "</div>", "<br/>", "\n", "\r\n", " ",
             "Tags: a, b", "wordcount:12", "The plan", "1999-", "-12-", ":", "=", "&", "<", "{", "$", "%"]
        ),
        max_size=12,
    ).map("".join)
)
def test_the_metadata_pre_filter_lets_every_finding_through(text: str) -> None:
    patterns = (stray_metadata._LEADING_FIELD, stray_metadata._PLACEHOLDER, stray_metadata._ENTITY, stray_metadata._TAG)
    if any(pattern.search(text) for pattern in patterns):
        assert stray_metadata._may_hold_metadata(text)


def test_plain_paragraphs_are_skipped_by_the_metadata_pre_filter() -> None:
    assert not stray_metadata._may_hold_metadata("The council approved 40 homes - a first - on 12 May: a record, 2-1.")


def test_the_size_range_is_the_size_test_of_near_duplicates() -> None:
    for ratio in (0.4, 0.5, 0.75, 1.0):
        for mine in range(0, 120):
            fitting = repetition._fitting_sizes(mine, ratio)
            for theirs in range(0, 400):
                smaller, larger = sorted((mine, theirs))
                assert (theirs in fitting) == (not smaller < ratio * larger), (ratio, mine, theirs)


def _filler(count: int, start: int = 0) -> list[str]:
    return [f"The {n}th paragraph says something else about the weather in town." for n in range(start, start + count)]


def test_repeated_phrases_at_the_edge_of_the_window_are_found_wherever_they_fall() -> None:
    # Two uses exactly `window` paragraphs apart are reported and one more
    # apart are not, whatever paragraph the first use falls in (the filter
    # counts uses per block of paragraphs; no block edge may hide a pair).
    first = "Tallinn, the Baltic former Soviet republic, asked for patrols."
    second = "Moscow warned the Baltic former Soviet republic again."
    for window in (1, 2, 3, 10):
        for lead in range(0, 2 * window + 2):
            near = "\n\n".join([*_filler(lead), first, *_filler(window - 1, 100), second])
            far = "\n\n".join([*_filler(lead), first, *_filler(window, 100), second])
            assert [near[d.start : d.end] for d in lint_rule(repeated_phrase, near, window=window)] == [
                "Baltic former Soviet republic"
            ], (window, lead)
            assert lint_rule(repeated_phrase, far, window=window) == [], (window, lead)


def test_words_are_split_at_every_phrase_break_mark() -> None:
    marks = re.findall(r"[^\[\]\\-]", "[.!?;:\"“”‘()—–]") + ["[", "]"]
    for mark in marks:
        doc = Document(f"alpha beta{mark} gamma delta")
        assert paragraph_words(doc)[0].run_sizes == [2, 2], mark
    doc = Document("alpha beta - gamma U.S officials 1.5 delta")
    assert paragraph_words(doc)[0].run_sizes == [2, 5]  # dots inside words break nothing


def test_the_first_listed_idiom_is_the_one_kept_whole() -> None:
    from copydesk.rules.repeated_phrase import IDIOMS, _idiom_at

    phrase = tuple("in other words on the other hand".split())
    # "on the other hand" is listed before "in other words": it is the one found.
    assert IDIOMS.index(tuple("on the other hand".split())) < IDIOMS.index(tuple("in other words".split()))
    assert _idiom_at(phrase) == (3, 7)
    assert _idiom_at(tuple("all in all in all".split())) == (0, 3)
    assert _idiom_at(tuple("the other hand".split())) is None
