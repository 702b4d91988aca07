"""The language server keeps serving through bad input and broken plugins.

These tests speak raw JSON-RPC to ``copydesk lsp`` (a malformed message
cannot be sent through a well-behaved client library), and drive a burst
of edits to check that stale results never overwrite newer ones.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import socket
import sys
from typing import Any, Callable

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_support import CONFIG, SERVER_COMMAND, change, open_document, published, server_env, start, wait_for

pytestmark = pytest.mark.asyncio(loop_scope="module")

URI = "file:///tmp/copydesk-lsp-robust/story.txt"


class RawConnection:
    """A bare JSON-RPC connection to the server (its pipes, or a socket)."""

    def __init__(self, process: asyncio.subprocess.Process, reader: Any = None, writer: Any = None) -> None:
        self.process = process
        self.input = reader or process.stdout
        self.output = writer or process.stdin
        self.received: list[dict[str, Any]] = []
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, command: list[str] | None = None) -> "RawConnection":
        process = await asyncio.create_subprocess_exec(
            *(command or SERVER_COMMAND),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=server_env(),
        )
        return cls(process)

    def send_bytes(self, body: bytes) -> None:
        self.output.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send(self, message: dict[str, Any]) -> None:
        self.send_bytes(json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8"))

    async def _read(self) -> None:
        stdout = self.input
        while True:
            length = None
            while True:
                line = await stdout.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.received.append(json.loads(await stdout.readexactly(length)))

    async def expect(self, predicate: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        return await wait_for(lambda: next((m for m in self.received if predicate(m)), None))

    async def response(self, msg_id: Any) -> dict[str, Any]:
        return await self.expect(lambda m: m.get("id") == msg_id and "method" not in m)

    async def close(self) -> int:
        if self.process.returncode is None:
            self.process.kill()
        code = await self.process.wait()
        self._reader.cancel()
        return code


def _publish_for(version: int | None) -> Callable[[dict[str, Any]], bool]:
    return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version


async def test_survives_malformed_messages_bad_edits_and_a_failing_plugin():
    server = await RawConnection.start()
    try:
        server.send({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        assert "capabilities" in (await server.response(1))["result"]
        server.send({"method": "initialized", "params": {}})

        # Not JSON at all: logged, nothing to answer.
        server.send_bytes(b"{this is not json")
        # A request whose params do not parse: answered with InvalidParams.
        server.send({"id": 2, "method": "textDocument/hover", "params": {"textDocument": 5}})
        assert (await server.response(2))["error"]["code"] == types.ErrorCodes.InvalidParams
        # A method the server does not have.
        server.send({"id": 3, "method": "copydesk/noSuchMethod", "params": {}})
        assert (await server.response(3))["error"]["code"] == types.ErrorCodes.MethodNotFound
        # Edits to a document that was never opened.
        server.send(
            {
                "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": "file:///never/opened.txt", "version": 2}, "contentChanges": [{"text": "x"}]},
            }
        )
        await server.expect(lambda m: m.get("method") == "window/logMessage" and "never opened" in m["params"]["message"])

        # A document, then an edit whose range lies past its end: clamped, logged.
        text = "A horse. explode"
        server.send(
            {
                "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": URI, "languageId": "plaintext", "version": 1, "text": text}},
            }
        )
        first = await server.expect(_publish_for(1))
        assert first["params"]["diagnostics"] == []
        far = {"start": {"line": 40, "character": 0}, "end": {"line": 41, "character": 7}}
        server.send(
            {
                "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"range": far, "text": " zebra"}]},
            }
        )
        (zebra,) = (await server.expect(_publish_for(2)))["params"]["diagnostics"]
        assert zebra["code"] == "TST001"
        assert zebra["range"]["start"] == {"line": 0, "character": len(text) + 1}
        await server.expect(lambda m: m.get("method") == "window/logMessage" and "outside the document" in m["params"]["message"])

        # The rule that raised is reported once, by plugin and rule, as an error.
        failures = [
            m for m in server.received if m.get("method") == "window/logMessage" and "TST003" in m["params"]["message"]
        ]
        assert len(failures) == 1
        assert failures[0]["params"]["type"] == types.MessageType.Error
        assert "lsp-test" in failures[0]["params"]["message"] and "boom" in failures[0]["params"]["message"]

        # A plugin that cannot be imported is named, once.
        (broken,) = [
            m for m in server.received if m.get("method") == "window/logMessage" and "lsp-broken" in m["params"]["message"]
        ]
        assert "could not be loaded" in broken["params"]["message"]
        assert broken["params"]["type"] == types.MessageType.Error

        # Still serving: hover answers, and shutdown/exit end the process cleanly.
        server.send(
            {
                "id": 4,
                "method": "textDocument/hover",
                "params": {"textDocument": {"uri": URI}, "position": zebra["range"]["start"]},
            }
        )
        assert "zebra-word" in (await server.response(4))["result"]["contents"]["value"]
        server.send({"id": 5, "method": "shutdown"})
        assert (await server.response(5))["result"] is None
        server.send({"method": "exit"})
        assert await asyncio.wait_for(server.process.wait(), 10) == 0
    finally:
        await server.close()


async def test_requests_answered_and_exit_ends_the_server_while_a_rule_is_stuck():
    # The same server, with requests waiting 1 s (not 10) for a lint.
    server = await RawConnection.start(
        [sys.executable, "-c", "import copydesk.lsp.server as s; s.REQUEST_TIMEOUT = 1.0; s.serve()"]
    )
    try:
        server.send({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        await server.response(1)
        server.send({"method": "initialized", "params": {}})
        server.send(
            {
                "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": URI, "languageId": "plaintext", "version": 1, "text": "A sleepy zebra."}},
            }
        )
        await asyncio.sleep(0.5)  # the lint is under way, in a rule that sleeps a minute
        position = {"line": 0, "character": 10}
        server.send({"id": 3, "method": "textDocument/hover", "params": {"textDocument": {"uri": URI}, "position": position}})
        assert (await server.response(3))["result"] is None
        await server.expect(lambda m: m.get("method") == "window/logMessage" and "may be stuck" in m["params"]["message"])
        server.send({"id": 2, "method": "shutdown"})
        assert (await server.response(2))["result"] is None
        server.send({"method": "exit"})
        assert await asyncio.wait_for(server.process.wait(), 20) == 0
    finally:
        await server.close()


async def test_tcp_transport():
    with socket.socket() as probe:  # a free port, released for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        *SERVER_COMMAND, "--tcp", f"127.0.0.1:{port}", stdin=asyncio.subprocess.DEVNULL, env=server_env()
    )
    try:
        reader = writer = None
        for _ in range(300):
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        assert writer is not None, "the server never listened"
        server = RawConnection(process, reader, writer)
        server.send({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        assert (await server.response(1))["result"]["serverInfo"]["name"] == "copydesk"
        server.send({"method": "initialized", "params": {}})
        server.send(
            {
                "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": URI, "languageId": "plaintext", "version": 1, "text": "A zebra."}},
            }
        )
        (zebra,) = (await server.expect(_publish_for(1)))["params"]["diagnostics"]
        assert zebra["code"] == "TST001"
        server.send({"id": 2, "method": "shutdown"})
        await server.response(2)
        server.send({"method": "exit"})
        assert await asyncio.wait_for(process.wait(), 10) == 0
        server._reader.cancel()
        writer.close()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@pytest_lsp.fixture(config=CONFIG, scope="module")
async def client(lsp_client: LanguageClient):
    await start(lsp_client)
    yield
    await lsp_client.shutdown_session()


async def test_a_burst_of_edits_never_publishes_stale_results(client: LanguageClient):
    rng = random.Random(5)
    text = "\n\n".join(f"Paragraph {n} about a horse." for n in range(40)) + "\n"
    open_document(client, URI, text)
    await published(client, URI, 1)

    # 60 keystrokes sent without waiting: each types or deletes "zebra " in
    # some paragraph, in step with a local copy of the text.
    lines = text.split("\n")
    version = 1
    for _ in range(60):
        version += 1
        line = rng.randrange(0, len(lines) - 1, 2)
        if "zebra " in lines[line] and rng.random() < 0.5:
            column = lines[line].index("zebra ")
            change(client, URI, version, ((line, column), (line, column + 6), ""))
            lines[line] = lines[line][:column] + lines[line][column + 6 :]
        else:
            change(client, URI, version, ((line, 0), (line, 0), "zebra "))
            lines[line] = "zebra " + lines[line]

    final = await published(client, URI, version)
    versions = [p.version for p in client.published if p.uri == URI]  # type: ignore[attr-defined]
    assert versions == sorted(versions), "an older version was published after a newer one"
    expected = [(n, match.start()) for n, line in enumerate(lines) for match in re.finditer("zebra", line)]
    assert expected, "the burst left some zebras to find"
    assert sorted((d.range.start.line, d.range.start.character) for d in final.diagnostics if d.code == "TST001") == expected


async def test_incremental_edits_give_the_same_diagnostics_as_one_open(client: LanguageClient):
    """Differential: random edits through the server vs. the final text opened at once."""
    rng = random.Random(11)
    pieces = ["zebra", " ", "horse", "😀", "é", "\n", "\r\n", "\n\n", "“", "”", ".", "A"]
    for case in range(12):
        uri = f"file:///tmp/copydesk-lsp-robust/edited-{case}.txt"
        text = "".join(rng.choice(pieces) for _ in range(30))
        open_document(client, uri, text)
        for version in range(2, 8):
            start = rng.randint(0, len(text))
            end = rng.randint(start, min(len(text), start + 6))
            if text[start - 1 : start + 1] == "\r\n":
                start -= 1
            if text[end - 1 : end + 1] == "\r\n":
                end += 1
            new = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
            change(client, uri, version, (_utf16(text, start), _utf16(text, end), new))
            text = text[:start] + new + text[end:]
        edited = await published(client, uri, 7)

        fresh_uri = f"file:///tmp/copydesk-lsp-robust/fresh-{case}.txt"
        open_document(client, fresh_uri, text)
        fresh = await published(client, fresh_uri, 1)
        assert _comparable(edited.diagnostics) == _comparable(fresh.diagnostics), text


def _utf16(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    return line, len(column_text.encode("utf-16-le")) // 2


def _comparable(diagnostics: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.message)
        for d in diagnostics
    )
