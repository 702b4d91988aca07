"""End-to-end tests of ``copydesk lsp``: a pytest-lsp client drives the real
server process over JSON-RPC, as an editor would."""

from __future__ import annotations

import asyncio

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_support import CONFIG, capabilities, change, codes, open_document, published, start, units, wait_for

# One event loop for the module, so one server can serve several tests.
pytestmark = pytest.mark.asyncio(loop_scope="module")

URI = "file:///tmp/copydesk-lsp-test/story.txt"
EMOJI_LINE = "Tip 😀 then a zebra."


@pytest_lsp.fixture(config=CONFIG, scope="module")
async def shared(lsp_client: LanguageClient):
    """One server with default (UTF-16) capabilities, for tests that only
    open their own documents (each test uses its own URI)."""
    await start(lsp_client)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=CONFIG, loop_scope="module")
async def client(lsp_client: LanguageClient):
    """A fresh server, for tests that initialize it their own way or change
    its configuration. Every one must then shut down and exit cleanly."""
    yield
    await lsp_client.shutdown_session()
    server = lsp_client._server  # the subprocess pytest-lsp started
    if lsp_client.capabilities is not None and server is not None:
        assert server.returncode == 0, "shutdown then exit must end the server with status 0"


@pytest.fixture
def uri(request) -> str:
    return f"file:///tmp/copydesk-lsp-test/{request.node.name.replace('[', '-').rstrip(']')}.txt"


async def test_open_publishes_diagnostics_with_rule_metadata(shared: LanguageClient, uri: str):
    open_document(shared, uri, "A zebra.\n\nAnother zebra here.\n")
    params = await published(shared, uri, 1)

    first, *_ = sorted(params.diagnostics, key=lambda d: (d.range.start.line, d.code))
    assert first.code == "TST001"
    assert first.source == "copydesk"
    assert first.severity == types.DiagnosticSeverity.Warning
    assert first.message == "'zebra' is flagged"
    assert first.range == types.Range(start=types.Position(0, 2), end=types.Position(0, 7))
    assert first.code_description is not None
    assert first.code_description.href.endswith("/rules/zebra-word/")

    related = [d for d in params.diagnostics if d.code == "TST002"]
    assert len(related) == 1
    assert related[0].range.start == types.Position(2, 8)
    info = related[0].related_information
    assert info is not None and info[0].location.uri == uri
    assert info[0].location.range == first.range
    assert info[0].message == "first zebra"



async def _diagnostics(client: LanguageClient, uri: str, version: int, pull: bool) -> list[types.Diagnostic]:
    """The diagnostics of ``uri`` as of ``version``, pulled or pushed."""
    if pull:
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return list(report.items)
    return list((await published(client, uri, version)).diagnostics)


async def _positions_and_edits(client: LanguageClient, uri: str, encoding: str, pull: bool = False) -> None:
    """A finding after an emoji, then incremental edits, all in ``encoding`` units."""
    open_document(client, uri, f"First line.\n{EMOJI_LINE}\n")
    (zebra,) = [d for d in await _diagnostics(client, uri, 1, pull) if d.code == "TST001"]
    start_char = units(EMOJI_LINE[: EMOJI_LINE.index("zebra")], encoding)
    assert zebra.range == types.Range(start=types.Position(1, start_char), end=types.Position(1, start_char + 5))

    # Replace that zebra (after the emoji) with "horse": nothing left.
    change(client, uri, 2, ((1, start_char), (1, start_char + 5), "horse"))
    assert codes(await _diagnostics(client, uri, 2, pull)) == []

    # Two edits in one notification, applied in order: a zebra typed after
    # the emoji's "horse", then a line inserted above everything.
    after_horse = units(EMOJI_LINE[: EMOJI_LINE.index("zebra")] + "horse ", encoding)
    change(client, uri, 3, ((1, after_horse), (1, after_horse), "zebra "), ((0, 0), (0, 0), "New top.\n"))
    (zebra,) = [d for d in await _diagnostics(client, uri, 3, pull) if d.code == "TST001"]
    assert zebra.range.start == types.Position(2, after_horse)


async def test_positions_and_edits_in_utf16_by_default(shared: LanguageClient, uri: str):
    assert shared.capabilities is not None and shared.capabilities.general is None
    await _positions_and_edits(shared, uri, "utf-16")


async def test_hover_shows_the_rule_documentation(shared: LanguageClient, uri: str):
    open_document(shared, uri, f"{EMOJI_LINE}\n")
    await published(shared, uri, 1)

    column = units(EMOJI_LINE[: EMOJI_LINE.index("zebra") + 2], "utf-16")
    hover = await shared.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, column))
    )
    assert hover is not None
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "TST001" in hover.contents.value and "zebra-word" in hover.contents.value
    assert "## What it does" in hover.contents.value
    assert "/rules/zebra-word/" in hover.contents.value

    nothing = await shared.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 0))
    )
    assert nothing is None


async def test_code_actions_fix_and_disable_for_the_paragraph(shared: LanguageClient, uri: str):
    text = f"Intro paragraph.\n\n{EMOJI_LINE}\nIt goes on.\n"
    open_document(shared, uri, text)
    params = await published(shared, uri, 1)
    (zebra,) = params.diagnostics

    actions = await shared.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=zebra.range,
            context=types.CodeActionContext(diagnostics=[zebra]),
        )
    )
    assert actions is not None
    fix, disable, fix_all = actions
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
    assert fix.title == "Replace with 'horse'"
    (document_edit,) = fix.edit.document_changes
    assert document_edit.text_document.version == 1
    assert list(document_edit.edits) == [types.TextEdit(range=zebra.range, new_text="horse")]

    assert disable.title.startswith("Disable TST001")
    (document_edit,) = disable.edit.document_changes
    (insert,) = document_edit.edits
    assert insert.range.start == insert.range.end == types.Position(2, 0)
    assert insert.new_text == "<!-- copydesk: disable-paragraph=TST001 -->\n"

    assert fix_all.kind == "source.fixAll.copydesk"
    (whole,) = fix_all.edit.document_changes[0].edits
    assert whole.range == types.Range(start=types.Position(0, 0), end=types.Position(4, 0))
    assert whole.new_text == text.replace("zebra", "horse")

    # Asked for one kind only, the server gives that kind only.
    async def kinds(*only: str) -> list[str]:
        answer = await shared.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=zebra.range,
                context=types.CodeActionContext(diagnostics=[zebra], only=list(only)),
            )
        )
        return [str(action.kind) for action in answer or ()]

    assert await kinds("quickfix") == ["quickfix", "quickfix"]
    assert await kinds("source") == ["source.fixAll.copydesk"]
    assert await kinds("source.fixAll") == ["source.fixAll.copydesk"]
    assert await kinds("refactor") == []

    # Applying the disable edit silences the rule for that paragraph only.
    change(shared, uri, 2, ((2, 0), (2, 0), insert.new_text))
    assert codes((await published(shared, uri, 2)).diagnostics) == []
    change(shared, uri, 3, ((0, 0), (0, 0), "A zebra. "))
    # TST002 (a different rule) still points from the paragraph to the first zebra.
    assert [(d.code, d.range.start.line) for d in (await published(shared, uri, 3)).diagnostics] == [
        ("TST001", 0),
        ("TST002", 3),
    ]


async def test_settings_then_configuration_files(client: LanguageClient, tmp_path):
    await start(client)

    # Editor settings (workspace/didChangeConfiguration) lie over the files.
    open_document(client, URI, "A zebra.\n\nA zebra again.\n")
    assert "TST001" in codes((await published(client, URI, 1)).diagnostics)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"copydesk": {"ignore": ["TST001"]}})
    )
    await wait_for(lambda: codes(client.diagnostics[URI]) == ["TST002"])
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"copydesk": {}}))
    await wait_for(lambda: "TST001" in codes(client.diagnostics[URI]))

    # A configuration file next to the document, as the CLI finds it.
    story = tmp_path / "story.txt"
    uri = story.as_uri()
    config = tmp_path / ".copydesk.toml"
    config.write_text('ignore = ["TST001"]\n', encoding="utf-8")
    open_document(client, uri, "A zebra.\n")
    assert codes((await published(client, uri, 1)).diagnostics) == []

    # The file is edited while the server runs: the next lint sees it.
    config.write_text('ignore = ["TST002"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_for(lambda: codes(client.diagnostics.get(uri, [])) == ["TST001"])

    # Removed without any notification: noticed on the next edit.
    config.unlink()
    change(client, uri, 2, ((0, 0), (0, 0), "zebra "))
    assert sorted(codes((await published(client, uri, 2)).diagnostics)) == ["TST001", "TST001", "TST002"]

    # Created again, excluding the file: as with --force-exclude, no findings.
    config.write_text('exclude = ["story.txt"]\n', encoding="utf-8")
    change(client, uri, 3, ((0, 0), (0, 0), "zebra "))
    assert codes((await published(client, uri, 3)).diagnostics) == []


async def test_client_offering_settings_and_taking_plain_edits(client: LanguageClient):
    """A client that answers workspace/configuration, and whose workspace
    edits are ``changes`` (no ``documentChanges``)."""
    client.set_configuration({"ignore": ["TST001"]}, section="copydesk")
    await start(client, capabilities(configuration=True, document_changes=False))
    open_document(client, URI, "A zebra.\n\nA zebra again.\n")
    await wait_for(lambda: URI in client.diagnostics and codes(client.diagnostics[URI]) == ["TST002"])

    # A bare didChangeConfiguration makes the server ask again.
    client.set_configuration({"ignore": ["TST002"]}, section="copydesk")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_for(lambda: codes(client.diagnostics[URI]) == ["TST001", "TST001"])

    zebra = client.diagnostics[URI][0]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=zebra.range,
            context=types.CodeActionContext(diagnostics=[zebra]),
        )
    )
    assert {uri: list(edits) for uri, edits in actions[0].edit.changes.items()} == {
        URI: [types.TextEdit(range=zebra.range, new_text="horse")]
    }


async def test_pull_diagnostics_from_the_same_cache(client: LanguageClient):
    result = await start(client, capabilities(pull=True))
    assert result.capabilities.diagnostic_provider is not None
    open_document(client, URI, "A zebra.\n")
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    assert report.kind == "full"
    assert codes(report.items) == ["TST001"]

    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=URI), previous_result_id=report.result_id
        )
    )
    assert again.kind == "unchanged"

    change(client, URI, 2, ((0, 0), (0, 8), "A horse."))
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=URI), previous_result_id=report.result_id)
    )
    assert report.kind == "full" and list(report.items) == []
    # A client that pulls is not also pushed to (it would show everything twice).
    assert client.published == []


async def test_disable_action_inside_a_markdown_blockquote(shared: LanguageClient):
    uri = "file:///tmp/copydesk-lsp-test/quote.md"
    open_document(shared, uri, "Intro.\n\n> Quoted zebra here.\n> More.\n", language_id="markdown")
    (zebra,) = (await published(shared, uri, 1)).diagnostics
    actions = await shared.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=zebra.range,
            context=types.CodeActionContext(diagnostics=[zebra]),
        )
    )
    (disable,) = [a for a in actions if a.title.startswith("Disable")]
    (insert,) = disable.edit.document_changes[0].edits
    assert insert.new_text == "> <!-- copydesk: disable-paragraph=TST001 -->\n"
    change(shared, uri, 2, ((2, 0), (2, 0), insert.new_text))
    assert codes((await published(shared, uri, 2)).diagnostics) == []


async def test_save_publishes_again_and_close_clears(shared: LanguageClient, uri: str):
    open_document(shared, uri, "A zebra.\n")
    assert (await published(shared, uri, 1)).diagnostics

    def publishes() -> int:
        return sum(1 for p in shared.published if p.uri == uri)  # type: ignore[attr-defined]

    shared.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await wait_for(lambda: publishes() == 2)
    again = [p for p in shared.published if p.uri == uri][-1]  # type: ignore[attr-defined]
    assert again.version == 1 and codes(again.diagnostics) == ["TST001"]

    shared.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    cleared = await published(shared, uri, None)
    assert list(cleared.diagnostics) == []


async def test_markdown_documents_lint_prose_only(shared: LanguageClient):
    uri = "file:///tmp/copydesk-lsp-test/story.md"
    open_document(shared, uri, "# A zebra\n\n```\nzebra in code\n```\n\nText with `zebra` code.\n", language_id="markdown")
    params = await published(shared, uri, 1)
    assert [(d.code, d.range.start) for d in params.diagnostics] == [("TST001", types.Position(0, 4))]


async def test_example_article_duplicate_points_at_the_original(shared: LanguageClient, uri: str, seed_text: str):
    open_document(shared, uri, seed_text)
    params = await published(shared, uri, 1)
    duplicates = [d for d in params.diagnostics if d.code == "CD201"]
    assert duplicates, "the example article repeats a paragraph"
    lines = seed_text.split("\n")
    for duplicate in duplicates:
        assert duplicate.related_information, "a duplicate names the paragraph it repeats"
        original = duplicate.related_information[0].location.range
        assert original.start.line < duplicate.range.start.line
        assert lines[original.start.line].strip()

    # Stray metadata: its fix deletes the flagged text, so it is tagged unnecessary.
    (metadata,) = [d for d in params.diagnostics if d.code == "CD501"]
    assert list(metadata.tags or ()) == [types.DiagnosticTag.Unnecessary]

    # “The,” she says: the pronoun's quick fix puts in the matching one.
    (pronoun,) = [d for d in params.diagnostics if d.code == "CD401"]
    actions = await shared.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=pronoun.range,
            context=types.CodeActionContext(diagnostics=[pronoun]),
        )
    )
    fixes = [a for a in actions if a.is_preferred]
    assert [a.title for a in fixes] == ["Replace with “he”"]
    (edit,) = fixes[0].edit.document_changes[0].edits
    line = lines[pronoun.range.start.line]
    assert line[pronoun.range.start.character : pronoun.range.end.character] == "she"  # no astral characters here
    assert edit.range == pronoun.range and edit.new_text == "he"


#: Capabilities real editors send, recorded by pytest-lsp: UTF-16 and push
#: (Neovim 0.7), UTF-8 and pull (Neovim 0.11), UTF-32 first (Emacs 29 eglot).
RECORDED_CLIENTS = {"neovim@v0.7.0": "utf-16", "neovim@v0.11.0": "utf-8", "emacs@v29.1": "utf-32"}


async def test_recorded_editor_capabilities_in_their_encodings():
    """Each recorded editor gets its findings, pushed or pulled as it supports,
    and its incremental edits applied, in the encoding it prefers."""

    async def run(spec: str) -> None:
        client = await CONFIG.start()
        try:
            caps = pytest_lsp.client_capabilities(spec)
            result = await start(client, caps)
            encoding = str(result.capabilities.position_encoding or "utf-16")
            assert encoding == RECORDED_CLIENTS[spec], spec
            pull = caps.text_document is not None and caps.text_document.diagnostic is not None
            await _positions_and_edits(client, f"file:///tmp/copydesk-lsp-test/{spec}.txt", encoding, pull)
            await client.shutdown_session()
        finally:
            await client.stop()

    # Concurrently: most of each run is the server process starting.
    await asyncio.gather(*(run(spec) for spec in RECORDED_CLIENTS))
