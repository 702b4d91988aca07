"""The language server's document sync and conversions, in process.

The differential property: a buffer built by a sequence of incremental edits
(positions in the client's encoding) is exactly the text a client would
have, and linting it gives the same diagnostics as opening that text in one
go.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from copydesk.lsp.convert import PositionMap, encoding_of  # noqa: E402
from copydesk.lsp.documents import OpenDocument, TextChange  # noqa: E402
from copydesk.lsp.linting import SessionManager, settings_from  # noqa: E402
from copydesk.lsp.server import lint_snapshot  # noqa: E402
from copydesk.positions import LineIndex  # noqa: E402

ENCODINGS = ("utf-8", "utf-16", "utf-32")


def position(text: str, offset: int, encoding: str) -> SimpleNamespace:
    """A client's position for ``offset``, counted independently of LineIndex."""
    line_start = 0
    line = 0
    index = 0
    while index < offset:
        if text[index] == "\r":
            if index + 1 < len(text) and text[index + 1] == "\n":
                if index + 1 >= offset:
                    break
                index += 1
            line, line_start = line + 1, index + 1
        elif text[index] == "\n":
            line, line_start = line + 1, index + 1
        index += 1
    prefix = text[line_start:offset]
    if encoding == "utf-8":
        character = len(prefix.encode("utf-8"))
    elif encoding == "utf-16":
        character = len(prefix.encode("utf-16-le")) // 2
    else:
        character = len(prefix)
    return SimpleNamespace(line=line, character=character)


def edit(text: str, start: int, end: int, new: str, encoding: str) -> TextChange:
    rng = SimpleNamespace(start=position(text, start, encoding), end=position(text, end, encoding))
    return TextChange(new, rng)


def test_edit_after_emoji_and_form_feed_uses_lsp_lines() -> None:
    # pygls' own store splits lines with str.splitlines(), which breaks at
    # the form feed and U+2028 and would put this edit on the wrong line.
    text = "a\x0cb\u2028c 😀 horse\nnext"
    document = OpenDocument("file:///t.txt", text, 1)
    start = text.index("horse")
    document.apply([edit(text, start, start + 5, "zebra", "utf-16")], 2, "utf-16")
    assert document.text == "a\x0cb\u2028c 😀 zebra\nnext"
    assert document.version == 2


def test_crlf_edit_between_cr_and_lf_lines() -> None:
    text = "one\r\ntwo\rthree\n"
    document = OpenDocument("file:///t.txt", text, 1)
    start = text.index("three")
    document.apply([edit(text, start, start + 5, "3", "utf-8")], 2, "utf-8")
    assert document.text == "one\r\ntwo\r3\n"


def test_out_of_range_edits_are_clamped_and_reported() -> None:
    document = OpenDocument("file:///t.txt", "A horse.", 1)
    far = SimpleNamespace(start=SimpleNamespace(line=50, character=0), end=SimpleNamespace(line=60, character=3))
    problems = document.apply([TextChange(" zebra", far)], 2, "utf-16")
    assert document.text == "A horse. zebra"
    assert len(problems) == 1 and "outside the document" in problems[0].describe()

    past_line_end = SimpleNamespace(start=SimpleNamespace(line=0, character=99), end=SimpleNamespace(line=0, character=99))
    assert document.apply([TextChange("!", past_line_end)], 3, "utf-16") == []  # the LSP says: snap to line end
    assert document.text == "A horse. zebra!"

    reversed_range = SimpleNamespace(start=SimpleNamespace(line=0, character=5), end=SimpleNamespace(line=0, character=2))
    assert len(document.apply([TextChange("", reversed_range)], 4, "utf-16")) == 1
    assert document.text == "A se. zebra!"  # [2, 5) deleted


def test_whole_text_change_replaces_the_buffer() -> None:
    document = OpenDocument("file:///t.txt", "old", 1)
    document.apply([TextChange("new text")], 5, "utf-16")
    assert (document.text, document.version, document.line_index.text) == ("new text", 5, "new text")


def test_markup_from_language_id_or_path() -> None:
    assert OpenDocument("untitled:1", "", 1, "markdown").markup == "markdown"
    assert OpenDocument("file:///a.md", "", 1, "plaintext", "/a.md").markup == "markdown"
    assert OpenDocument("file:///a.txt", "", 1, "plaintext", "/a.txt").markup == "text"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_position_map_round_trips_with_a_byte_order_mark(encoding: str) -> None:
    text = "\ufeffTip 😀 zebra"
    positions = PositionMap(LineIndex(text), encoding, shift=1)
    engine_offset = text.index("zebra") - 1  # the engine linted the text without the BOM
    client = positions.position(engine_offset)
    expected = position(text, text.index("zebra"), encoding)
    assert (client.line, client.character) == (expected.line, expected.character)
    assert positions.offset(client) == engine_offset


def test_encoding_names_and_settings() -> None:
    assert encoding_of(types.PositionEncodingKind.Utf8) == "utf-8"
    assert encoding_of("utf-32") == "utf-32"
    assert encoding_of(None) == "utf-16"
    assert settings_from({"copydesk": {"ignore": ["CD201"]}}) == {"ignore": ["CD201"]}
    assert settings_from({"select": ["ALL"]}) == {"select": ["ALL"]}
    assert settings_from(None) is None
    assert settings_from({}) == {}
    # Another server's settings are not copydesk's (some clients send all).
    assert settings_from({"pylsp": {"plugins": {}}}) is None
    assert settings_from({"ignor": ["CD102"]}, is_section=True) == {"ignor": ["CD102"]}  # reported, not dropped
    assert settings_from({"extend_ignore": ["CD102"], "config": "copy.toml"}) == {"extend_ignore": ["CD102"], "config": "copy.toml"}


def test_buffers_over_the_size_limit_are_reported_not_linted() -> None:
    paragraph = "The minister said on Tuesday that the talks in Geneva had gone well and would continue next week."
    text = f"{paragraph}\n\n{paragraph}\n"
    document = OpenDocument("file:///story.txt", text, 1, "plaintext", "/story.txt")
    assert [d.code for d, _ in lint_snapshot(SessionManager(), document, "utf-16").pairs] == ["CD201"]

    limited = lint_snapshot(SessionManager(settings={"max-file-size": "100"}), document, "utf-16")
    assert limited.pairs == []
    assert [message for message, _ in limited.messages] == [
        "/story.txt: too large to lint (over max-file-size, 100 bytes)"
    ]


def test_related_locations_are_capped_per_diagnostic() -> None:
    from copydesk.diagnostics import Diagnostic, Related, Severity
    from copydesk.lsp.convert import MAX_RELATED, diagnostic_json

    text = "x " * 1000
    related = tuple(Related(2 * n, 2 * n + 1, f"use {n}") for n in range(500))
    diagnostic = Diagnostic("CD101", "repeated-sourcing", Severity.WARNING, "again", 1998, 1999, related)
    data = diagnostic_json(diagnostic, PositionMap(LineIndex(text), "utf-16"), "file:///t.txt")
    assert len(data["relatedInformation"]) == MAX_RELATED
    assert data["relatedInformation"][0]["message"] == "use 0"


_ALPHABET = st.sampled_from(list("ab zebra horse.,“”’\"\n\n\r\n\r\t😀é\u0301\u2028\x0c<!->:=CD201"))
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join)


@st.composite
def edit_sequences(draw):
    """A final text, and a list of (start, end, replacement) edits producing it from an initial text."""
    text = draw(_TEXT)
    steps = []
    current = text
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(current)))
        end = draw(st.integers(start, len(current)))
        # Never split a CRLF pair: a client's positions cannot point between them.
        if 0 < start < len(current) and current[start - 1 : start + 1] == "\r\n":
            start -= 1
        if 0 < end < len(current) and current[end - 1 : end + 1] == "\r\n":
            end += 1
        end = max(start, end)
        replacement = draw(_TEXT)
        steps.append((current, start, end, replacement))
        current = current[:start] + replacement + current[end:]
    return text, steps, current


@pytest.fixture(scope="module")
def sessions() -> SessionManager:
    return SessionManager()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=edit_sequences(), encoding=st.sampled_from(ENCODINGS))
def test_incremental_edits_match_one_open(sessions: SessionManager, case, encoding: str) -> None:
    initial, steps, final = case
    document = OpenDocument("file:///story.txt", initial, 0, "plaintext", "/story.txt")
    for version, (before, start, end, replacement) in enumerate(steps, start=1):
        assert document.text == before
        assert document.apply([edit(before, start, end, replacement, encoding)], version, encoding) == []
    assert document.text == final

    opened = OpenDocument("file:///story.txt", final, 0, "plaintext", "/story.txt")
    edited = lint_snapshot(sessions, document, encoding)
    fresh = lint_snapshot(sessions, opened, encoding)
    assert edited.diagnostics_json == fresh.diagnostics_json
    for diagnostic, converted in fresh.pairs:
        start = converted["range"]["start"]
        assert opened.line_index.offset_from_column(start["line"], start["character"], encoding) == diagnostic.start


def test_what_the_first_lint_loads_is_frozen_out_of_garbage_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from copydesk.lsp.server import CopydeskServer, create_server
    from copydesk.runner import pause_collection

    monkeypatch.setattr(CopydeskServer, "encoding", property(lambda server: "utf-16"))  # not negotiated here
    server = create_server()
    document = OpenDocument("file:///story.txt", "According to Mr Giles, “it will,” she said.\n", 1, "plaintext", "/story.txt")
    gc.unfreeze()
    pause_collection()  # as `copydesk lsp` does while the server starts
    try:
        outcome = server.lint_outcome(document, 1, 0)
        frozen = gc.get_freeze_count()
        assert frozen > 0  # the rules and their indexes, loaded by this lint
        server.lint_outcome(document, 2, 0)
        assert gc.get_freeze_count() == frozen  # once: later garbage is still collected
        assert [data["code"] for data in outcome.diagnostics_json] == ["CD401"]
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
        server.scheduler.shutdown()
