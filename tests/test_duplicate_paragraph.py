"""CD201 duplicate-paragraph."""

from __future__ import annotations

import itertools
import random

import pytest

from copydesk import repetition
from copydesk.diagnostics import Diagnostic
from copydesk.document import Document
from copydesk.engine import Linter
from copydesk.plugin.rule import ConfiguredRule
from copydesk.rules.duplicate_paragraph import duplicate_paragraph

from rule_support import lint_rule


def lint(text: str, **options: object) -> list[Diagnostic]:
    return lint_rule(duplicate_paragraph, text, **options)


def apply(text: str, diagnostic: Diagnostic) -> str:
    assert diagnostic.fix is not None
    for edit in sorted(diagnostic.fix.edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


LEAD = "The council has approved 40 new homes on the old brewery site in Hexham, with work due to start in May."
MIDDLE = "Residents raised concerns about traffic on Priestpopple during a two-hour meeting."
RESTATED = "Work on the 40 new homes on the old brewery site in Hexham, which the council has approved, is due to start in May."


def test_seed_reports_the_fourth_paragraph_restating_the_second(seed_text: str) -> None:
    (found,) = lint(seed_text)
    doc = Document(seed_text)
    later, earlier = doc.paragraphs[3], doc.paragraphs[1]
    assert (found.start, found.end) == (later.start, later.end)
    assert seed_text[found.start : found.end].startswith("According to my sources, the UK has dispatched 30 elite")
    assert [(r.start, r.end) for r in found.related] == [(earlier.start, earlier.end)]
    assert found.message == "restates paragraph 2 (85% of the content words; same figures: 30, 2,000, UK, Ukraine)"
    assert found.fix is None  # a restatement needs an editor, not a deletion


HEADLINE = "Plans for the old brewery site have divided the town."


def test_a_restatement_in_other_words_is_found_with_its_similarity() -> None:
    text = "\n\n".join([HEADLINE, LEAD, MIDDLE, RESTATED])
    (found,) = lint(text)
    assert text[found.start : found.end] == RESTATED
    assert text[found.related[0].start : found.related[0].end] == LEAD
    assert found.message.startswith("restates paragraph 2 (")
    assert "same figures: 40, Hexham" in found.message


def test_the_same_structure_with_different_figures_is_clean() -> None:
    other = "The council has approved 12 new homes on the old brewery site in Hexham, with work due to start in June."
    assert lint("\n\n".join([HEADLINE, LEAD, MIDDLE, other])) == []
    other_town = "The council has approved 40 new homes on the old brewery site in Morpeth, with work due to start in May."
    assert lint("\n\n".join([HEADLINE, LEAD, MIDDLE, other_town])) == []


def test_a_spelled_out_figure_must_match_too() -> None:
    first = "Oper shr loss two cts vs profit four cts on revenue of the group"
    second = "Oper shr loss ten cts vs profit nine cts on revenue of the group"
    assert lint("\n\n".join([HEADLINE, first, MIDDLE, second])) == []


def test_an_exact_copy_is_reported_with_a_fix_that_deletes_it() -> None:
    text = "\n\n".join([LEAD, MIDDLE, LEAD.upper().replace(",", ""), "The end of the story, told in full here."])
    (found,) = lint(text)
    assert found.message == "repeats paragraph 1 word for word"
    assert apply(text, found) == "\n\n".join([LEAD, MIDDLE, "The end of the story, told in full here."])


def test_an_exact_copy_at_the_end_is_deleted_with_the_blank_line_before_it() -> None:
    text = "\n\n".join([LEAD, MIDDLE, LEAD]) + "\n"
    (found,) = lint(text)
    assert apply(text, found) == "\n\n".join([LEAD, MIDDLE]) + "\n"


def test_short_boilerplate_may_repeat_and_the_threshold_is_an_option() -> None:
    boiler = "Read more: our coverage of the election."
    text = "\n\n".join([boiler, LEAD, boiler, MIDDLE, boiler])
    assert lint(text) == []
    assert len(lint(text, **{"min-words": 3})) == 2


def test_a_lead_retelling_the_headline_is_not_a_duplicate() -> None:
    headline = "Council approves 40 new homes on old Hexham brewery site"
    assert lint("\n\n".join([headline, LEAD, MIDDLE])) == []
    # The same pair further down the story is a restatement.
    assert len(lint("\n\n".join([HEADLINE, headline, LEAD, MIDDLE]))) == 1


def test_a_list_of_names_is_not_a_restatement() -> None:
    first = "Switzerland v Republic of Ireland; Israel v Cyprus; Faroe Islands v France."
    second = "France v Republic of Ireland; Israel v Switzerland; Cyprus v Faroe Islands."
    assert lint("\n\n".join([HEADLINE, first, MIDDLE, second])) == []


def test_positions_are_exact_with_crlf_and_emoji() -> None:
    text = "\r\n\r\n".join(["🚀 " + LEAD, "😀 " + MIDDLE, "👍🏽 " + LEAD])
    (found,) = lint(text)
    assert text[found.start : found.end] == "👍🏽 " + LEAD
    doc = Document(text)
    assert doc.location(found.start).line == 5
    assert doc.line_index.column_in(found.start, "utf-16") == (4, 0)
    assert text[found.related[0].start : found.related[0].end] == "🚀 " + LEAD
    assert apply(text, found) == "\r\n\r\n".join(["🚀 " + LEAD, "😀 " + MIDDLE])


def test_no_fix_when_markup_lies_between_the_paragraphs() -> None:
    text = "\n\n".join([LEAD, MIDDLE, LEAD, "<!-- note -->", "Closing words of the story appear here in full."])
    (found,) = lint(text)
    assert found.fix is None


def _article_paragraphs(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocabulary = [f"w{n}x" for n in range(20_000)]
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    paragraphs = []
    for _ in range(count):
        words = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(15, 40))
        paragraphs.append(" ".join(words) + ".")
    return paragraphs


def _comparisons(monkeypatch: pytest.MonkeyPatch, count: int) -> int:
    paragraphs = _article_paragraphs(count, seed=3)
    paragraphs.append(paragraphs[count // 3])
    comparisons = 0
    compare = repetition._near_duplicate

    def counting(*args: object):
        nonlocal comparisons
        comparisons += 1
        return compare(*args)

    monkeypatch.setattr(repetition, "_near_duplicate", counting)
    found = lint("\n\n".join(paragraphs))
    assert [d.message for d in found] == [f"repeats paragraph {count // 3 + 1} word for word"]
    return comparisons


def test_large_input_is_not_compared_pair_by_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    count = 3_000
    # Pair by pair would be four and a half million comparisons; the index
    # looks at a bounded number of earlier paragraphs for each one.
    assert _comparisons(monkeypatch, count) <= repetition.DuplicateSettings().max_candidates * count


def _restatements(seed: int) -> str:
    """Paragraphs from a small vocabulary, a third of them an earlier one
    with words dropped, changed or added: many near pairs, many near misses."""
    rng = random.Random(seed)
    vocabulary = ["zq" + a + b for a in "bcdfghjklm" for b in "bcdfghjklmnprstvwxyz"][:150]
    paragraphs: list[list[str]] = []
    for _ in range(240):
        if paragraphs and rng.random() < 0.35:
            words = list(rng.choice(paragraphs))
            for _ in range(rng.randint(0, 12)):
                action, at = rng.random(), rng.randrange(len(words))
                if action < 0.4 and len(words) > 9:
                    del words[at]
                elif action < 0.8:
                    words[at] = rng.choice(vocabulary)
                else:
                    words.insert(at, rng.choice(vocabulary))
        else:
            words = rng.choices(vocabulary, k=rng.randint(9, 40))
        paragraphs.append(words)
    return "\n\n".join(" ".join(words) + "." for words in paragraphs)


@pytest.mark.parametrize("search", ["index", "every earlier paragraph"])
@pytest.mark.parametrize("threshold, seed", [(0.7, 1), (0.7, 2), (0.5, 3), (0.9, 4)])
def test_the_search_finds_every_pair_a_comparison_of_all_pairs_finds(threshold: float, seed: int, search: str) -> None:
    # With its work bounds lifted the index must be exact: prefix filtering
    # may skip a comparison only when it cannot succeed. Up to
    # `compare_all_up_to` paragraphs, each is compared with every earlier one
    # instead (forced here for all 240), which must find the same.
    unbounded = repetition.DuplicateSettings(
        threshold=threshold,
        max_candidates=10**9,
        max_word_frequency=10**9,
        recent_per_word=10**9,
        compare_all_up_to=0 if search == "index" else 10**9,
    )
    doc = Document(_restatements(seed))
    profiles = [p for p in repetition.paragraph_profiles(doc) if p.word_count >= unbounded.min_words and p.content]
    # Each later paragraph's pair: the best similarity, and of the earlier
    # paragraphs with it the nearest (an exact copy: the first of its text).
    expected: dict[int, tuple[float, int]] = {}
    originals: dict[str, repetition.ParagraphProfile] = {}
    for position, later in enumerate(profiles):
        if later.fingerprint in originals:
            expected[later.index] = (1.0, originals[later.fingerprint].index)
            continue
        originals[later.fingerprint] = later
        matches = [repetition._near_duplicate(later, earlier, unbounded) for earlier in profiles[:position]]
        candidates = [(m.similarity, m.earlier.index) for m in matches if m is not None and m.earlier is originals[m.earlier.fingerprint]]
        if candidates:
            expected[later.index] = max(candidates)
    found = {pair.later.index: (pair.similarity, pair.earlier.index) for pair in repetition.duplicate_pairs(doc, unbounded)}
    assert len(expected) > 20
    assert found == expected


def test_the_four_repetition_rules_report_exactly_the_seed_defects(seed_text: str) -> None:
    from copydesk.rules.repeated_phrase import repeated_phrase
    from copydesk.rules.repeated_sourcing import repeated_sourcing
    from copydesk.rules.stray_metadata import stray_metadata

    rules = [ConfiguredRule(r, r.option_defaults()) for r in (repeated_sourcing, repeated_phrase, duplicate_paragraph, stray_metadata)]
    found = Linter(rules).lint(Document(seed_text)).diagnostics
    assert [(d.code, seed_text[d.start : d.end][:40]) for d in found] == [
        ("CD501", "date 2022-01-21"),
        ("CD101", "According to"),
        ("CD101", "According to"),
        ("CD201", "According to my sources, the UK has disp"),
        ("CD101", "according to"),
        ("CD102", "former Soviet neighbor"),
        ("CD102", "Mr Giles, on the other hand"),
    ]


def test_no_fix_for_a_copy_inside_markdown_quotation_or_list() -> None:
    text = f"# Homes\n\n{HEADLINE}\n\n{LEAD}\n\n> {LEAD}\n\n- {LEAD}\n\nThe meeting closed at ten after a long debate.\n"
    found = Linter([ConfiguredRule(duplicate_paragraph, duplicate_paragraph.option_defaults())]).lint(
        Document(text, "story.md")
    ).diagnostics
    assert [text[d.start : d.end] for d in found] == [LEAD, LEAD]
    assert [d.fix for d in found] == [None, None]
