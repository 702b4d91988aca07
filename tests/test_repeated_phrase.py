"""CD102 repeated-phrase."""

from __future__ import annotations

from copydesk.diagnostics import Diagnostic
from copydesk.document import Document
from copydesk.rules.repeated_phrase import repeated_phrase

from rule_support import lint_rule


def lint(text: str, **options: object) -> list[Diagnostic]:
    return lint_rule(repeated_phrase, text, **options)


def spans(text: str, **options: object) -> list[str]:
    return [text[d.start : d.end] for d in lint(text, **options)]


def filler(count: int) -> list[str]:
    return [f"The {n}th paragraph says something else about the weather in town." for n in range(count)]


def test_seed_reports_the_epithet_and_the_framing_at_their_second_use(seed_text: str) -> None:
    found = lint(seed_text)
    assert [seed_text[d.start : d.end] for d in found] == ["former Soviet neighbor", "Mr Giles, on the other hand"]
    epithet, framing = found
    assert epithet.start == seed_text.rindex("former Soviet neighbor")
    assert seed_text[epithet.related[0].start : epithet.related[0].end] == "former Soviet neighbor"
    assert epithet.related[0].start == seed_text.index("former Soviet neighbor")
    assert epithet.message == "'former Soviet neighbor' already used in paragraph 4"
    assert framing.start == seed_text.rindex("Mr Giles, on the other hand")
    assert framing.related[0].start == seed_text.index("Mr Giles, on the other hand")
    assert framing.message == "'Mr Giles, on the other hand' already used in paragraph 7"


def test_names_titles_and_plain_terms_recur_freely() -> None:
    text = "\n\n".join(
        [
            "Defence Secretary Ben Wallace said the troops would train Ukrainian forces.",
            "The next fiscal year starts in April, the executive vice president said.",
            "Defence Secretary Ben Wallace added that the next fiscal year would be hard.",
            "The executive vice president of the company, one of the biggest in Europe, agreed.",
            "It was one of the biggest orders in the history of the company.",
        ]
    )
    assert lint(text) == []


def test_figures_are_facts_not_turns_of_phrase() -> None:
    text = "The club sold 40 season tickets.\n\nLast year the club sold 40 season tickets too."
    assert lint(text) == []


def test_stop_words_alone_are_not_a_phrase() -> None:
    text = "On the other side, he was one of the few.\n\nShe was one of the few to say so, on the other side."
    assert lint(text) == []


def test_an_epithet_used_as_a_compound_is_not_an_epithet() -> None:
    text = "He won the world cross country championships.\n\nShe missed the world cross country season."
    assert lint(text) == []


def test_uses_further_apart_than_the_window_are_clean() -> None:
    first = "Tallinn, the Baltic former Soviet republic, asked for patrols."
    second = "Moscow warned the Baltic former Soviet republic again."
    near = "\n\n".join([first, *filler(3), second])
    far = "\n\n".join([first, *filler(12), second])
    assert spans(near) == ["Baltic former Soviet republic"]
    assert lint(far) == []
    assert spans(far, window=20) == ["Baltic former Soviet republic"]


def test_an_idiom_alone_is_reported_whole() -> None:
    text = "At the end of the day, the vote passed.\n\nThe mayor said that, at the end of the day, it was fair."
    assert spans(text) == ["at the end of the day"]


def test_phrases_inside_a_duplicated_paragraph_are_left_to_duplicate_paragraph() -> None:
    paragraph = "At the end of the day, the council approved 40 homes on the old brewery site in Hexham."
    text = "\n\n".join(["Plans divide the town.", paragraph, "Residents objected.", paragraph])
    assert lint(text) == []


def test_positions_are_exact_with_crlf_and_emoji() -> None:
    text = "🚀 Tallinn, the oil-rich Gulf state, said so.\r\n\r\n😀😀 Nobody\r\nasked the oil-rich Gulf state."
    found = lint(text)
    assert [text[d.start : d.end] for d in found] == ["oil-rich Gulf state"]
    doc = Document(text)
    location = doc.location(found[0].start)
    assert (location.line, location.column) == (4, 11)
    assert doc.line_index.column_in(found[0].start, "utf-16") == (3, 10)
