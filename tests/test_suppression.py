"""Inline suppression directives, in Markdown and plain text.

Every check slices the text with the reported offsets: what survives is
named by the words it covers."""

from __future__ import annotations

import pytest
from selection_toy_rules import toy_registry

from copydesk.api import Session
from copydesk.document import Document
from copydesk.suppression import Suppressions

REGISTRY = toy_registry()


def lint(text: str, markup: str = "text", **session_options) -> list[tuple[str, str]]:
    """(code, sliced text) of every diagnostic, in order."""
    session = Session(registry=REGISTRY, **session_options)
    report = session.lint_text(text, markup=markup)
    assert report.failures == []
    return [(d.code, text[d.start : d.end]) for d in report.diagnostics]


def words(text: str, markup: str = "text", code: str | None = None) -> list[str]:
    return [found for c, found in lint(text, markup) if code is None or c == code]


BOTH_FORMS = [
    pytest.param("<!-- copydesk: {} -->", "text", id="html-comment-in-text"),
    pytest.param("<!-- copydesk: {} -->", "markdown", id="html-comment-in-markdown"),
    pytest.param("[copydesk: {}]", "text", id="bracket-in-text"),
]


# -- line ---------------------------------------------------------------------


@pytest.mark.parametrize(("form", "markup"), BOTH_FORMS)
def test_disable_line_covers_only_the_directives_line(form, markup):
    directive = form.format("disable-line=TST101")
    text = f"Alpha one and beta. {directive}\nAlpha two.\n"
    assert lint(text, markup) == [("TST102", "beta"), ("TST101", "Alpha")]
    assert text.index("Alpha two") == text.rindex("Alpha")


@pytest.mark.parametrize(("form", "markup"), BOTH_FORMS)
def test_disable_next_line_covers_the_line_after(form, markup):
    directive = form.format("disable-next-line=alpha-word")
    text = f"Alpha one.\n{directive}\nAlpha two, beta.\nAlpha three.\n"
    found = lint(text, markup)
    assert found == [("TST101", "Alpha"), ("TST102", "beta"), ("TST101", "Alpha")]
    diagnostics = Session(registry=REGISTRY).lint_text(text, markup=markup).diagnostics
    assert [d.start for d in diagnostics if d.code == "TST101"] == [text.index("Alpha one"), text.index("Alpha three")]


def test_line_directives_follow_crlf_and_cr_line_breaks():
    text = "Alpha one.\r\n<!-- copydesk: disable-next-line -->\r\nAlpha two.\rAlpha three.\r\n"
    report = Session(registry=REGISTRY).lint_text(text)
    assert [text[d.start : d.end] for d in report.diagnostics] == ["Alpha", "Alpha"]
    assert [d.start for d in report.diagnostics] == [text.index("Alpha one"), text.index("Alpha three")]


# -- paragraph ---------------------------------------------------------------------


@pytest.mark.parametrize(("form", "markup"), BOTH_FORMS)
def test_disable_paragraph_covers_the_paragraph_holding_it(form, markup):
    directive = form.format("disable-paragraph=TST101")
    text = f"Alpha first.\n\nAlpha second,\nstill alpha. {directive}\nAnd alpha.\n\nAlpha third.\n"
    report = Session(registry=REGISTRY).lint_text(text, markup=markup)
    starts = [d.start for d in report.diagnostics]
    assert starts == [text.index("Alpha first"), text.index("Alpha third")]


@pytest.mark.parametrize(("form", "markup"), BOTH_FORMS)
def test_a_paragraph_directive_standing_alone_covers_the_next_paragraph(form, markup):
    directive = form.format("disable-paragraph")
    text = f"Alpha first.\n\n{directive}\n\nAlpha second and beta.\n\nAlpha third.\n"
    report = Session(registry=REGISTRY).lint_text(text, markup=markup)
    assert [d.start for d in report.diagnostics] == [text.index("Alpha first"), text.index("Alpha third")]


def test_a_paragraph_directive_on_the_line_above_covers_that_paragraph():
    text = "Alpha first.\n\n<!-- copydesk: disable-paragraph -->\nAlpha second.\nAlpha more.\n\nAlpha third.\n"
    for markup in ("text", "markdown"):
        report = Session(registry=REGISTRY).lint_text(text, markup=markup)
        assert [d.start for d in report.diagnostics] == [text.index("Alpha first"), text.index("Alpha third")]


# -- region -------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "markup"), BOTH_FORMS)
def test_disable_and_enable_bound_a_region(form, markup):
    text = (
        "Alpha 1 beta.\n\n"
        f"{form.format('disable=TST101,beta-word')}\n\n"
        "Alpha 2 beta.\n\nDelta.\n\n"
        f"{form.format('enable=TST101')}\n\n"
        "Alpha 3 beta.\n\n"
        f"{form.format('enable')}\n\n"
        "Alpha 4 beta.\n"
    )
    found = [(code, text[start : start + 7]) for code, start in _starts(text, markup)]
    assert found == [
        ("TST101", "Alpha 1"),
        ("TST102", "beta.\n\n"),
        ("PL001", "Delta.\n"),
        ("TST101", "Alpha 3"),
        ("TST101", "Alpha 4"),
        ("TST102", "beta.\n"),
    ]


def _starts(text: str, markup: str) -> list[tuple[str, int]]:
    report = Session(registry=REGISTRY).lint_text(text, markup=markup)
    return [(d.code, d.start) for d in report.diagnostics]


def test_a_region_without_enable_runs_to_the_end_of_the_file():
    text = "Alpha 1.\n<!-- copydesk: disable -->\nAlpha 2.\n\nDelta, beta.\n"
    assert lint(text) == [("TST101", "Alpha")]
    assert text.index("Alpha") == 0


def test_enabling_one_rule_inside_a_disable_all_region():
    text = "[copydesk: disable]\nAlpha beta.\n[copydesk: enable=beta-word]\nAlpha beta.\n"
    report = Session(registry=REGISTRY).lint_text(text)
    assert [(d.code, d.start) for d in report.diagnostics] == [("TST102", text.rindex("beta"))]


def test_directives_accept_codes_prefixes_names_and_groups():
    text = "Alpha beta delta epsilon. <!-- copydesk: disable-line=TST1, proselint -->\nAlpha beta delta.\n"
    assert len(lint(text)) == 3
    text = "Alpha beta delta epsilon. <!-- copydesk: disable-line=ALL -->\n"
    assert lint(text) == []


# -- problems (CD001) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("directive", "message"),
    [
        ("<!-- copydesk: disabel=TST101 -->", "malformed copydesk directive 'disabel'"),
        ("<!-- copydesk disable=TST101 -->", "malformed copydesk directive: missing ':' after 'copydesk'"),
        ("<!-- copydesk: disable= -->", "malformed copydesk directive: 'disable=' names no rule"),
        ("<!-- copydesk: disable TST101 -->", "malformed copydesk directive: unexpected 'TST101' after 'disable'"),
        ("<!-- copydesk: -->", "malformed copydesk directive ''"),
        ("[copydesk: disable-lines=TST101]", "malformed copydesk directive 'disable-lines'"),
    ],
)
def test_a_malformed_directive_is_reported_on_itself_and_suppresses_nothing(directive, message):
    text = f"Alpha one. {directive}\nAlpha two.\n"
    found = lint(text)
    assert found == [("TST101", "Alpha"), ("CD001", directive), ("TST101", "Alpha")]
    report = Session(registry=REGISTRY).lint_text(text)
    problem = next(d for d in report.diagnostics if d.code == "CD001")
    assert problem.rule == "invalid-suppression"
    assert problem.message.startswith(message)


def test_an_unknown_rule_is_reported_on_its_name_and_the_known_ones_still_apply():
    text = "Alpha beta. <!-- copydesk: disable-line=TST101, omega-word -->\n"
    assert lint(text) == [("TST102", "beta"), ("CD001", "omega-word")]
    report = Session(registry=REGISTRY).lint_text(text)
    assert report.diagnostics[-1].message == "unknown rule 'omega-word' in copydesk directive"


def test_a_directive_naming_only_unknown_rules_suppresses_nothing():
    text = "<!-- copydesk: disable=XYZ1 -->\nAlpha.\n"
    assert lint(text) == [("CD001", "XYZ1"), ("TST101", "Alpha")]


def test_cd001_obeys_selection_and_severity():
    text = "Alpha. <!-- copydesk: disable-line=omega -->\n"
    assert lint(text, ignore=["CD001"]) == [("TST101", "Alpha")]
    assert lint(text, ignore=["invalid-suppression"]) == [("TST101", "Alpha")]
    report = Session(registry=REGISTRY, overrides={"severity": {"CD001": "error"}}).lint_text(text)
    assert [(d.code, d.severity.label) for d in report.diagnostics] == [("TST101", "warning"), ("CD001", "error")]


def test_cd001_is_not_suppressed_by_a_directive():
    text = "<!-- copydesk: disable -->\nAlpha. <!-- copydesk: disable-line=omega -->\n"
    assert lint(text) == [("CD001", "omega")]


def test_ordinary_comments_are_not_directives():
    text = "Alpha. <!-- a note for the desk: copydesk is fine -->\n<!-- TODO copy-desk -->\n"
    assert lint(text) == [("TST101", "Alpha")]


# -- where directives are not directives ------------------------------------------


def test_directives_inside_markdown_code_are_examples():
    text = (
        "Alpha one.\n\n"
        "```\n<!-- copydesk: disable -->\n<!-- copydesk: bogus -->\n```\n\n"
        "Write `<!-- copydesk: disable-line -->` to silence alpha.\n\n"
        "    <!-- copydesk: disable -->\n\n"
        "Alpha two.\n"
    )
    assert lint(text, "markdown") == [("TST101", "Alpha"), ("TST101", "alpha"), ("TST101", "Alpha")]


def test_the_bracket_form_is_blanked_from_plain_text_prose():
    text = "Alpha. [copydesk: disable-line=TST101] More.\n"
    document = Document(text, markup="text")
    assert document.prose == "Alpha. " + " " * len("[copydesk: disable-line=TST101]") + " More.\n"
    assert len(document.prose) == len(text)


def test_directives_are_parsed_once_per_document():
    document = Document("Alpha. <!-- copydesk: disable-line -->\n")
    first = Suppressions.from_document(document, REGISTRY)
    assert Suppressions.from_document(document, REGISTRY) is first
    assert Suppressions.for_document(document) is first
    assert Suppressions.from_document(document, toy_registry()) is not first


def test_without_a_registry_syntax_is_still_checked():
    document = Document("<!-- copydesk: disabel -->\nAlpha. <!-- copydesk: disable-line=TST101 -->\n")
    suppressions = Suppressions.for_document(document)
    assert [document.text[p.start : p.end] for p in suppressions.problems] == ["<!-- copydesk: disabel -->"]


# -- the real rules on the seed article ---------------------------------------------


@pytest.mark.parametrize(
    ("directive", "markup"),
    [("[copydesk: disable-paragraph=repeated-sourcing]", "text"), ("<!-- copydesk: disable-paragraph=CD101 -->", "markdown")],
)
def test_a_paragraph_directive_silences_a_real_rule_on_the_seed_article(seed_text, directive, markup):
    session = Session(entry_points=False)
    before = session.lint_text(seed_text, markup=markup)
    target = next(d for d in before.diagnostics if d.code == "CD101")
    paragraph = before.document.paragraph_at(target.start)
    inserted = f"{directive}\n\n"
    edited = seed_text[: paragraph.start] + inserted + seed_text[paragraph.start :]
    after = session.lint_text(edited, markup=markup)

    def shifted(d):
        start = d.start + (len(inserted) if d.start >= paragraph.start else 0)
        return (d.code, d.message, start)

    silenced = [d for d in before.diagnostics if d.code == "CD101" and paragraph.start <= d.start < paragraph.end]
    expected = [shifted(d) for d in before.diagnostics if d not in silenced]
    assert silenced and [(d.code, d.message, d.start) for d in after.diagnostics] == expected


# -- robustness ----------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_body = st.text(alphabet="abdeilnpstx-=,: TST1023\n", max_size=30)


@settings(max_examples=200, deadline=None)
@given(body=_body, bracket=st.booleans())
def test_a_directive_either_parses_or_is_reported_and_suppresses_nothing(body, bracket):
    directive = f"[copydesk:{body}]" if bracket and "\n" not in body else f"<!-- copydesk:{body} -->"
    text = f"Alpha beta. {directive} Alpha beta.\n\nAlpha beta.\n"
    report = Session(registry=REGISTRY).lint_text(text)
    problems = [d for d in report.diagnostics if d.code == "CD001"]
    findings = [d for d in report.diagnostics if d.code != "CD001"]
    if any((d.start, d.end) == (12, 12 + len(directive)) for d in problems):
        assert len(findings) == 6  # malformed: nothing is suppressed
    for d in problems:
        assert 12 <= d.start < d.end <= 12 + len(directive)
