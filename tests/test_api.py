"""The Session façade: reading files, reporting unreadable ones in one
line, and reusing linters and paragraph results across calls."""

from __future__ import annotations

import os

import pytest
from selection_toy_rules import toy_registry

from copydesk import api
from copydesk.api import FileError, FileReport, Session
from copydesk.plugin import Finding, rule
from copydesk.plugin.manager import RuleRegistry


@pytest.fixture
def session() -> Session:
    return Session(registry=toy_registry())


def sliced(report: FileReport) -> list[tuple[str, str]]:
    return [(d.code, report.text[d.start : d.end]) for d in report.diagnostics]


# -- lint_text ------------------------------------------------------------------------


def test_lint_text_reports_everything_about_one_text(session, tmp_path):
    report = session.lint_text("Alpha `beta` delta.\n", path=tmp_path / "story.md")
    assert report.path == str(tmp_path / "story.md")
    assert report.document.markup == "markdown"
    assert sliced(report) == [("TST101", "Alpha"), ("PL001", "delta")]  # code spans are not prose
    assert report.failures == [] and report.problems == []


def test_lint_text_takes_the_markup_it_is_told(session):
    report = session.lint_text("Alpha `beta`.\n", markup="text")
    assert sliced(report) == [("TST101", "Alpha"), ("TST102", "beta")]
    assert report.path is None


def test_lint_text_positions_survive_a_bom_crlf_and_astral_characters(session):
    text = "\ufeffAlpha 😀 “beta”\r\n\r\n𝒳 delta\r\n"
    report = session.lint_text(text)
    assert report.text == text[1:]
    assert sliced(report) == [("TST101", "Alpha"), ("TST102", "beta"), ("PL001", "delta")]
    assert [report.document.location(d.start).as_dict() for d in report.diagnostics][2] == {
        "line": 3,
        "column": 3,
        "offset": report.text.index("delta"),
    }


# -- lint_path -------------------------------------------------------------------------


def test_lint_path_reads_and_decodes_the_file(session, tmp_path):
    story = tmp_path / "story.txt"
    story.write_bytes("\ufeffAlpha — beta.\n".encode("utf-8"))
    report = session.lint_path(story)
    assert report.path == str(story)
    assert sliced(report) == [("TST101", "Alpha"), ("TST102", "beta")]


def test_lint_path_uses_the_configured_encoding(session, tmp_path):
    (tmp_path / ".copydesk.toml").write_text('encoding = "latin-1"\n', encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_bytes("Café alpha.\n".encode("latin-1"))
    report = session.lint_path(story)
    assert report.text == "Café alpha.\n"
    assert sliced(report) == [("TST101", "alpha")]


def test_lint_path_applies_per_file_ignores(session, tmp_path):
    (tmp_path / ".copydesk.toml").write_text('[per-file-ignores]\n"wire/*" = ["TST101"]\n', encoding="utf-8")
    (tmp_path / "wire").mkdir()
    for name in ("story.txt", "wire/story.txt"):
        (tmp_path / name).write_text("Alpha beta.\n", encoding="utf-8")
    assert sliced(session.lint_path(tmp_path / "story.txt")) == [("TST101", "Alpha"), ("TST102", "beta")]
    assert sliced(session.lint_path(tmp_path / "wire" / "story.txt")) == [("TST102", "beta")]


def error_for(session: Session, path) -> FileError:
    with pytest.raises(FileError) as caught:
        session.lint_path(path)
    error = caught.value
    assert error.path == os.fspath(path)
    assert "\n" not in error.reason
    assert str(error) == f"{path}: {error.reason}"
    return error


def test_unreadable_files_raise_file_error_with_a_one_line_reason(session, tmp_path):
    assert error_for(session, tmp_path / "missing.txt").reason == "no such file or directory"
    assert error_for(session, tmp_path).reason == "is a directory"

    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert error_for(session, binary).reason == "binary file (NUL byte at byte 8)"

    latin = tmp_path / "latin.txt"
    latin.write_bytes("Alpha café".encode("latin-1"))
    assert error_for(session, latin).reason.startswith("not valid utf-8 at byte 9 (")


def test_a_file_over_max_file_size_is_refused_before_it_is_read(session, tmp_path):
    (tmp_path / ".copydesk.toml").write_text("max-file-size = 64\n", encoding="utf-8")
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text("a" * 64, encoding="utf-8")
    large.write_text("a" * 65, encoding="utf-8")
    assert session.lint_path(small).diagnostics == []
    assert error_for(session, large).reason == "file is 65 bytes, over the 64 bytes limit (--max-file-size)"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_a_file_without_read_permission(session, tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text("Alpha.\n", encoding="utf-8")
    locked.chmod(0)
    try:
        assert error_for(session, locked).reason == "permission denied"
    finally:
        locked.chmod(0o600)


# -- reuse -------------------------------------------------------------------------------


PARAGRAPH_RUNS: list[str] = []


@rule("TST301", "paragraph-counter", "Records the paragraphs it is run on.", scope="paragraph")
def paragraph_counter(doc, options):
    PARAGRAPH_RUNS.append(doc.text)
    if "alpha" in doc.text:
        yield Finding(doc.text.index("alpha"), doc.text.index("alpha") + 5, "alpha here")


def counting_session() -> Session:
    registry = RuleRegistry()
    registry.add(paragraph_counter.with_plugin("toy"))
    return Session(registry=registry)


def test_repeated_lints_reuse_one_linter_and_its_paragraph_results():
    PARAGRAPH_RUNS.clear()
    session = counting_session()
    first = "One alpha.\n\nTwo.\n\nThree alpha.\n"
    session.lint_text(first, path="a.txt")
    assert PARAGRAPH_RUNS == ["One alpha.", "Two.", "Three alpha."]

    edited = "One alpha.\n\nTwo, edited.\n\nThree alpha.\n"
    report = session.lint_text(edited, path="a.txt")
    assert PARAGRAPH_RUNS[3:] == ["Two, edited."]
    assert [edited[d.start : d.start + 11] for d in report.diagnostics] == ["alpha.\n\nTwo", "alpha.\n"]
    assert session._linter_for("a.txt")[1] is session._linter_for("b.txt")[1]


def test_changing_the_configuration_keeps_paragraph_results():
    PARAGRAPH_RUNS.clear()
    session = counting_session()
    session.lint_text("One alpha.\n")
    session.configure({"severity": {"TST301": "error"}})
    report = session.lint_text("One alpha.\n")
    assert PARAGRAPH_RUNS == ["One alpha."]
    assert report.diagnostics[0].severity.label == "error"


def test_the_registry_is_loaded_lazily_and_once(monkeypatch):
    loads: list[bool] = []

    def fake_load_registry(*, entry_points=True):
        loads.append(entry_points)
        return toy_registry()

    monkeypatch.setattr("copydesk.plugin.manager.load_registry", fake_load_registry)
    session = Session(entry_points=False)
    assert loads == []
    session.lint_text("Alpha.")
    session.lint_text("Beta.")
    assert [r.code for r in session.registry][:1] == ["CD001"]
    assert loads == [False]
    assert session.load_errors == []


def test_the_real_registry_lints_through_the_session():
    session = Session(entry_points=False)
    text = "Copy. <!-- copydesk: disable=no-such-rule -->\n"
    report = session.lint_text(text)
    assert [(d.code, text[d.start : d.end]) for d in report.diagnostics if d.code == "CD001"] == [
        ("CD001", "no-such-rule")
    ]
    assert session.registry.get("invalid-suppression").code == "CD001"


def test_read_text_is_usable_on_its_own(tmp_path):
    story = tmp_path / "s.txt"
    story.write_bytes(b"\xef\xbb\xbfHello\r\n")
    assert api.read_text(story) == "Hello\r\n"
