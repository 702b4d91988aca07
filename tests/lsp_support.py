"""Shared pieces of the language server's end-to-end tests (not a test module).

The server runs as a real subprocess (``copydesk lsp``) with the test
plugin in ``tests/lsp_plugin`` on its path, so findings are at characters
the tests know: every "zebra" is TST001 (fix: "horse"), a later "zebra" is
TST002 pointing back at the first, and "explode" makes TST003 raise; a
second entry point names a module that does not exist (a plugin that fails
to import).
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any, Callable

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from pygls.protocol import default_converter

TESTS = Path(__file__).resolve().parent
PLUGIN_DIR = TESTS / "lsp_plugin"

SERVER_COMMAND = [sys.executable, "-m", "copydesk", "lsp"]


def server_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PLUGIN_DIR), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def _record_publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)  # type: ignore[attr-defined]


def make_client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publishDiagnostics in order."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _record_publish
    register_lsp_features(client, features)
    return client


CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, server_env=server_env(), client_factory=make_client)


def capabilities(
    encodings: list[str] | None = None,
    *,
    pull: bool = False,
    configuration: bool = False,
    document_changes: bool = True,
) -> types.ClientCapabilities:
    general = types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None
    text_document = types.TextDocumentClientCapabilities(
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
            related_information=True, version_support=True, code_description_support=True,
            tag_support=types.ClientDiagnosticsTagOptions(value_set=list(types.DiagnosticTag)),
        ),
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(value_set=[types.CodeActionKind.QuickFix])
            ),
            is_preferred_support=True,
        ),
        diagnostic=types.DiagnosticClientCapabilities(related_document_support=False) if pull else None,
    )
    workspace = types.WorkspaceClientCapabilities(
        configuration=configuration,
        workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=document_changes),
    )
    return types.ClientCapabilities(general=general, text_document=text_document, workspace=workspace)


async def start(client: LanguageClient, caps: types.ClientCapabilities | None = None, **init: Any) -> types.InitializeResult:
    return await client.initialize_session(
        types.InitializeParams(capabilities=caps or capabilities(), **init)
    )


async def wait_for(predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll until ``predicate()`` is truthy; return its value."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the server")
        await asyncio.sleep(0.01)


async def published(client: LanguageClient, uri: str, version: int | None) -> types.PublishDiagnosticsParams:
    """The diagnostics published for ``uri`` at ``version`` (waiting for them)."""

    def find() -> types.PublishDiagnosticsParams | None:
        for params in reversed(client.published):  # type: ignore[attr-defined]
            if params.uri == uri and params.version == version:
                return params
        return None

    return await wait_for(find)


def open_document(client: LanguageClient, uri: str, text: str, language_id: str = "plaintext", version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)
        )
    )


def change(client: LanguageClient, uri: str, version: int, *edits: tuple[tuple[int, int], tuple[int, int], str]) -> None:
    """Send incremental edits: ((line, char), (line, char), new text), in the client's units."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=text
                )
                for start, end, text in edits
            ],
        )
    )


def units(text: str, encoding: str) -> int:
    """Length of ``text`` in the code units of an LSP position encoding, counted by the codec."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def codes(diagnostics: Any) -> list[str]:
    return [d.code for d in diagnostics]
