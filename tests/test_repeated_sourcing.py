"""CD101 repeated-sourcing."""

from __future__ import annotations

from copydesk.diagnostics import Diagnostic
from copydesk.document import Document
from copydesk.rules.repeated_sourcing import repeated_sourcing

from rule_support import lint_rule


def lint(text: str, **options: object) -> list[Diagnostic]:
    return lint_rule(repeated_sourcing, text, **options)


def spans(text: str, **options: object) -> list[str]:
    return [text[d.start : d.end] for d in lint(text, **options)]


def test_seed_reports_the_second_third_and_fourth_according_to(seed_text: str) -> None:
    found = lint(seed_text)
    assert [seed_text[d.start : d.end] for d in found] == ["According to", "According to", "according to"]
    doc = Document(seed_text)
    paragraphs = [doc.paragraph_at(d.start).index for d in found]
    assert paragraphs == [2, 3, 4]  # 0-based: the seed's paragraphs 3, 4 and 5
    assert found[0].start == doc.paragraphs[2].start
    assert found[1].start == doc.paragraphs[3].start
    assert found[2].start == seed_text.index("according to Keir Giles")
    assert [d.message for d in found] == [
        "second paragraph in a row to open with 'According to'",
        "third paragraph in a row to open with 'According to'",
        "fourth 'according to' in four paragraphs",
    ]


def test_related_locations_point_at_the_earlier_uses(seed_text: str) -> None:
    last = lint(seed_text)[-1]
    assert [seed_text[r.start : r.end] for r in last.related] == ["According to"] * 3
    assert [r.message for r in last.related] == [
        "'According to' in paragraph 2",
        "'According to' in paragraph 3",
        "'According to' in paragraph 4",
    ]
    assert last.related[0].start == seed_text.index("According to reports")


def test_a_single_he_told_me_is_not_reported(seed_text: str) -> None:
    assert all("told me" not in seed_text[d.start : d.end] for d in lint(seed_text))


def test_many_said_over_a_long_story_is_clean() -> None:
    paragraphs = [
        f"The {noun} rose {n} per cent in March, {who} said." for n, (noun, who) in enumerate(
            [("index", "the ministry"), ("output", "Mr Jones"), ("price", "analysts"), ("rate", "she"),
             ("figure", "the bank"), ("total", "officials"), ("level", "he"), ("share", "the company")], start=2)
    ]
    paragraphs += ["“It was expected,” said Ms Patel.", "Traders told reporters the fall was priced in.",
                   "The company added that it would review its forecast."]
    assert lint("\n\n".join(paragraphs)) == []


def test_two_according_to_far_apart_are_clean() -> None:
    filler = [f"Paragraph {n} describes the meeting in the town hall." for n in range(6)]
    text = "\n\n".join(["According to the council, the bridge will close."] + filler + ["According to engineers, it is safe."])
    assert lint(text) == []


def test_two_consecutive_openings_report_the_second() -> None:
    text = "According to the council, the bridge will close.\n\nAccording to engineers, corrosion was found."
    assert lint(text)[0].message == "second paragraph in a row to open with 'According to'"
    assert spans(text) == ["According to"]
    assert lint(text)[0].start == text.rindex("According to")


def test_sources_say_three_times_in_three_paragraphs() -> None:
    text = (
        "Senior sources say the minister will resign.\n\n"
        "The announcement is due on Friday, government sources said.\n\n"
        "Sources close to the minister say she has had enough."
    )
    found = lint(text)
    assert spans(text) == ["Sources close to the minister say"]
    assert found[0].message == "third 'Sources close to the minister say' in three paragraphs"


def test_it_is_understood_counts_every_tense_as_one_formula() -> None:
    text = (
        "It is understood the club will sell.\n\nIt was understood that talks had stalled.\n\n"
        "It is understood, too, that the manager objected."
    )
    assert spans(text) == ["It was understood", "It is understood"]
    assert [d.message for d in lint(text)] == [
        "second paragraph in a row to open with 'It was understood'",
        "third paragraph in a row to open with 'It is understood'",
    ]
    assert lint(text)[1].start == text.rindex("It is understood")


def test_according_to_plan_sources_nothing() -> None:
    text = (
        "The launch went according to plan.\n\nEverything ran according to schedule.\n\n"
        "According to the agency, the satellite is in orbit."
    )
    assert lint(text) == []


def test_options_change_the_thresholds(seed_text: str) -> None:
    assert spans(seed_text, **{"max-uses": 4, "max-consecutive-openings": 3}) == []
    said = "He said no.\n\nShe said yes.\n\nThey said maybe."
    assert lint(said) == []
    assert spans(said, neutral=[]) == ["said"]


def test_positions_are_exact_with_crlf_and_emoji() -> None:
    text = "🚀 According to a, b.\r\n\r\n😀😀 x.\r\nAccording to c, d.\r\n\r\nThe e, according to f, g."
    found = lint(text)
    assert [text[d.start : d.end] for d in found] == ["according to"]
    doc = Document(text)
    location = doc.location(found[0].start)
    assert (location.line, location.column) == (6, 8)
    assert doc.line_index.column_in(found[0].start, "utf-16") == (5, 7)


def test_the_example_in_the_documentation_reports_two_uses() -> None:
    text = (
        "According to the council, the bridge will close for six weeks from Monday.\n\n"
        "According to engineers, the work is needed because of corrosion found last year.\n\n"
        "According to local traders, the closure will cost them custom over the summer."
    )
    assert spans(text) == ["According to", "According to"]


def test_a_formula_closing_sentences_counts_too() -> None:
    text = (
        "The club will sell its striker, it is understood.\n\n"
        "Talks with two buyers have stalled, it is understood.\n\n"
        "The manager objected to the sale, it is understood."
    )
    found = lint(text)
    assert spans(text) == ["it is understood"]
    assert found[0].start == text.rindex("it is understood")
    assert found[0].message == "third 'it is understood' in three paragraphs"


def test_a_long_run_relates_each_use_to_the_most_recent_earlier_ones() -> None:
    text = "\n\n".join(f"According to report {n}, it rained." for n in range(40))
    found = lint(text)
    assert len(found) == 39
    last = found[-1]
    assert last.message == "40th paragraph in a row to open with 'According to'"
    assert len(last.related) == 5
    starts = [r.start for r in last.related]
    doc = Document(text)
    assert starts == [doc.paragraphs[n].start for n in range(34, 39)]
