"""CD501 stray-metadata."""

from __future__ import annotations

from copydesk.diagnostics import Diagnostic
from copydesk.document import Document
from copydesk.rules.stray_metadata import stray_metadata

from rule_support import lint_rule


def lint(text: str, path: str | None = None) -> list[Diagnostic]:
    return lint_rule(stray_metadata, text, path)


def spans(text: str, path: str | None = None) -> list[str]:
    return [text[d.start : d.end] for d in lint(text, path)]


def apply(text: str, diagnostic: Diagnostic) -> str:
    assert diagnostic.fix is not None
    for edit in sorted(diagnostic.fix.edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def test_seed_reports_the_date_glued_to_the_headline(seed_text: str) -> None:
    (found,) = lint(seed_text)
    assert (found.start, found.end) == (1, 16)
    assert seed_text[found.start : found.end] == "date 2022-01-21"
    assert found.message == "metadata 'date 2022-01-21' left in the copy"
    assert apply(seed_text, found).startswith(" As it sends troops")


def test_metadata_fields_at_the_start_of_a_line() -> None:
    text = "Updated: 2016-05-19T10:22:00Z\nCouncil approves homes\n\nslug: council-homes, hexham\n\nThe council met."
    assert spans(text) == ["Updated: 2016-05-19T10:22:00Z", "slug: council-homes, hexham"]
    assert spans("2022-01-21 Council approves homes") == ["2022-01-21"]


def test_copy_that_looks_like_metadata_is_clean() -> None:
    clean = [
        "By Jane Smith, Political Correspondent",
        "Source: Office for National Statistics",
        "Published in 2015 by Penguin, the book sold well.",
        "The deadline, 2022-01-21 in the filing, passed.",
        "Updated figures are due on Monday.",
        "Date night at the cinema is back.",
        "Marathon Petroleum Corp <P> raised its posted prices.",
        "Shares of <Strong Point Inc> rose.",
    ]
    for text in clean:
        assert lint(text) == [], text


def test_placeholders_entities_and_tags_in_plain_text() -> None:
    text = "Written by {{author}} for ${section}.\n\nTom &amp; Jerry<br> returned.\n\n<p class=\"lead\">Hi</p>"
    assert spans(text) == ["{{author}}", "${section}", "&amp;", "<br>", '<p class="lead">', "</p>"]
    entity = next(d for d in lint(text) if text[d.start : d.end] == "&amp;")
    assert entity.message == "HTML entity '&amp;' in plain text; write '&'"
    assert "Tom & Jerry" in apply(text, entity)


def test_markdown_keeps_its_entities_and_html() -> None:
    assert lint("Tom &amp; Jerry returned.\n", path="story.md") == []


def test_positions_are_exact_with_crlf_and_emoji() -> None:
    text = "🚀 Headline here\r\nposted 2022-01-21 😀 Body text follows.\r\n\r\nNext paragraph &#233;t&#233;."
    found = lint(text)
    assert [text[d.start : d.end] for d in found] == ["posted 2022-01-21", "&#233;", "&#233;"]
    doc = Document(text)
    assert (doc.location(found[0].start).line, doc.location(found[0].start).column) == (2, 1)
    assert doc.line_index.column_in(found[1].start, "utf-16") == (3, 15)
    assert apply(text, found[0]) == "🚀 Headline here\r\n😀 Body text follows.\r\n\r\nNext paragraph &#233;t&#233;."
