"""CD301 truncated-quote."""

from __future__ import annotations

from copydesk.document import Document
from copydesk.rules.truncated_quote import truncated_quote


def findings(text: str):
    return list(truncated_quote.check(Document(text), {}))


def spans(text: str) -> list[str]:
    return [text[f.start : f.end] for f in findings(text)]


def test_seed_reports_the_cut_quote_only(seed_text: str) -> None:
    assert spans(seed_text) == ["“The,”"]
    (finding,) = findings(seed_text)
    assert seed_text.rindex("“The,”") == finding.start


def test_quotes_closing_on_a_word_no_utterance_ends_on() -> None:
    assert spans("“We tried everything and,” he said.") == ["“We tried everything and,”"]
    assert spans('"The best of the," she said.') == ['"The best of the,"']


def test_one_word_answers_are_complete() -> None:
    assert findings("“Yes,” she said.\n\n“No.”\n\n“Never,” he replied.") == []


def test_scare_quotes_are_not_truncations() -> None:
    assert findings("Britain is “leading” the effort, a “basic mistake” and the word “the”.") == []


def test_deliberate_ellipsis_dash_and_questions_are_not_truncations() -> None:
    assert findings("“We tried everything and…” she said.") == []
    assert findings("“We tried everything and...” she said.") == []
    assert findings("“We tried everything and—” she said.") == []
    assert findings("“What is it for?” she asked.") == []


def test_split_quote_is_not_a_truncation() -> None:
    assert findings("“The trouble is that the,” she said, “government never listens.”") == []


def test_multi_paragraph_quote_is_not_reported() -> None:
    text = "“It went on.\n\n“And on,” she said.\n"
    assert findings(text) == []


def test_unclosed_quote_reports_the_opening_mark() -> None:
    text = "“It never ends, she said.\n\nThe story moves on.\n"
    assert spans(text) == ["“"]
    assert findings(text)[0].start == 0


def test_closing_mark_without_opening_and_mismatched_marks() -> None:
    text = "It never began,” she said.\n\n“It ends wrongly,’ he said.\n"
    found = findings(text)
    assert [text[f.start : f.end] for f in found] == ["”", "’"]
    assert found[1].related[0].start == text.index("“It ends")


def test_straight_quotes_and_crlf_and_emoji() -> None:
    text = '🎉 Intro 😀.\r\n\r\n"The," she said.\r\n'
    assert spans(text) == ['"The,"']


def test_apostrophes_never_count_as_marks() -> None:
    assert findings("Russia’s rock ’n’ roll from the ’90s: the players’ union isn’t happy.") == []


def test_closing_mark_missing_before_the_attribution() -> None:
    text = "“We tried everything, she said. “Nothing worked.”"
    (finding,) = findings(text)
    assert (finding.start, finding.end) == (0, 1)
    assert "before the attribution" in finding.message


def test_quote_reopened_after_a_lost_paragraph_break_is_not_reported() -> None:
    assert findings('He said: "It is over. "We lost, and we know it," he said.') == []


def test_closing_mark_missing_at_the_end_of_a_paragraph_before_a_new_quote() -> None:
    text = "“We won, he said.\n\n“Next year we go again,” he added.\n"
    assert spans(text) == ["“"]
    assert findings(text)[0].start == 0
