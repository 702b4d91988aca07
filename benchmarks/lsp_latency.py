"""Editor latency: time from ``didChange`` to its ``publishDiagnostics``.

Starts ``copydesk lsp`` as an editor would (a subprocess over stdio), with
every rule selected (``select = ["ALL"]``, proselint's checks included),
opens a ~2,000-word article (the seed article followed by BBC News politics
stories from ``../shared/data``), then types a sentence into a paragraph in
the middle one keystroke at a time, with a few backspaces. Prints:

* sequential typing: each keystroke waits for its diagnostics (the latency
  a writer sees) -- median, 90th percentile and maximum;
* fast typing: a keystroke every ``--interval`` ms without waiting; the time
  from each keystroke until diagnostics covering it arrive;
* the in-process share: ``Session.lint_text`` of the same edited texts with
  a warm paragraph cache (the rest is JSON-RPC, conversion and the pipe),
  and how much of it the garbage collector took.

    python benchmarks/lsp_latency.py [--words 2000] [--interval 30] [--select ALL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "article.txt"
BBC_POLITICS = ROOT.parent / "shared" / "data" / "bbc-news" / "politics"
SENTENCE = "The minister said the talks had gone well, according to officials in Kyiv."
SETTINGS = {"select": ["ALL"]}


def build_article(words: int) -> str:
    """The seed article, then whole BBC paragraphs until ``words`` words."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    sources = sorted(BBC_POLITICS.glob("*.txt")) if BBC_POLITICS.is_dir() else []
    for source in sources:
        if sum(len(p.split()) for p in paragraphs) >= words:
            break
        try:
            story = source.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        paragraphs.extend(p.strip() for p in story.split("\n\n") if p.strip())
    while sum(len(p.split()) for p in paragraphs) < words:  # no corpus here: repeat the seed
        paragraphs.extend(p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip())
    kept: list[str] = []
    for paragraph in paragraphs:
        kept.append(paragraph)
        if sum(len(p.split()) for p in kept) >= words:
            break
    return "\n\n".join(kept) + "\n"


def keystrokes(text: str) -> tuple[int, list[tuple[int, int, int, str]]]:
    """Edits typing SENTENCE at the start of the middle paragraph, with backspaces.

    Each edit is (line, start column, end column, new text) on one line; the
    text is ASCII there, so columns are the same in every encoding.
    """
    lines = text.split("\n")
    line = next(n for n in range(len(lines) // 2, len(lines)) if lines[n].strip())
    edits: list[tuple[int, int, int, str]] = []
    column = 0
    for index, char in enumerate(SENTENCE + " "):
        edits.append((line, column, column, char))
        column += 1
        if index % 25 == 24:  # a typo, fixed at once
            edits.append((line, column, column, "x"))
            edits.append((line, column, column + 1, ""))
    return line, edits


def apply(text: str, edit: tuple[int, int, int, str]) -> str:
    line, start, end, new = edit
    lines = text.split("\n")
    lines[line] = lines[line][:start] + new + lines[line][end:]
    return "\n".join(lines)


class Server:
    """``copydesk lsp`` over a pipe, spoken to in raw JSON-RPC.

    A bare client (headers, then ``json.loads``), so the figures are the
    server's and the pipe's, not a client library's object mapping: an
    editor parses JSON natively.
    """

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.arrivals: dict[int, float] = {}
        self.counts: dict[int, int] = {}
        self.responses: dict[int, dict] = {}
        self.changed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls) -> "Server":
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "copydesk", "lsp",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        return cls(process)

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = 0
            while True:
                line = await stdout.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(await stdout.readexactly(length))
            now = time.perf_counter()
            if message.get("method") == "textDocument/publishDiagnostics":
                version = message["params"].get("version")
                if version is not None:
                    self.arrivals.setdefault(version, now)
                    self.counts[version] = len(message["params"]["diagnostics"])
            elif message.get("method") == "window/logMessage" and message["params"]["type"] == 1:
                print(f"server: {message['params']['message']}", file=sys.stderr)
            elif "id" in message and "method" not in message:
                self.responses[message["id"]] = message
            self.changed.set()

    async def wait(self, condition) -> None:
        deadline = time.perf_counter() + 120
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError("the server did not answer")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), 1.0)
            except asyncio.TimeoutError:
                pass

    async def request(self, msg_id: int, method: str, params: object) -> dict:
        self.send({"id": msg_id, "method": method, "params": params})
        await self.wait(lambda: msg_id in self.responses)
        return self.responses[msg_id]

    async def covering(self, version: int) -> float:
        """Arrival time of the first publish for ``version`` or later."""
        await self.wait(lambda: any(v >= version for v in self.arrivals))
        return min(t for v, t in self.arrivals.items() if v >= version)


def change(server: Server, uri: str, version: int, edit: tuple[int, int, int, str]) -> None:
    line, start, end, new = edit
    server.send(
        {
            "method": "textDocument/didChange",
            "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [
                    {"range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}, "text": new}
                ],
            },
        }
    )


def summary(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    return f"{label}: median {statistics.median(ms):.2f} ms, p90 {p90:.2f} ms, max {ms[-1]:.2f} ms (n={len(ms)})"


async def measure(text: str, interval: float) -> dict[str, object]:
    started = time.perf_counter()
    server = await Server.start()
    await server.request(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}, "initializationOptions": {"settings": SETTINGS}})
    server.send({"method": "initialized", "params": {}})
    initialized = time.perf_counter()

    uri = (ROOT / "benchmark-article.txt").as_uri()
    server.send(
        {
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}},
        }
    )
    opened = time.perf_counter()
    first = await server.covering(1)
    results: dict[str, object] = {
        "startup": initialized - started,
        "first_lint": first - opened,
        "diagnostics": server.counts[1],
    }

    _line, edits = keystrokes(text)
    version = 1
    sequential: list[float] = []
    for edit in edits:
        version += 1
        sent = time.perf_counter()
        change(server, uri, version, edit)
        sequential.append(await server.covering(version) - sent)
    results["sequential"] = sequential

    # The same sentence typed again, fast, without waiting for diagnostics.
    sent_at: dict[int, float] = {}
    for edit in edits:
        version += 1
        sent_at[version] = time.perf_counter()
        change(server, uri, version, edit)
        await asyncio.sleep(interval)
    results["fast"] = [await server.covering(v) - t for v, t in sent_at.items()]
    results["fast_publishes"] = sum(1 for v in server.arrivals if v in sent_at)

    await server.request(2, "shutdown", None)
    server.send({"method": "exit"})
    await server.process.wait()
    return results


def in_process(text: str) -> tuple[list[float], dict[int, list[float]]]:
    """Session.lint_text on each edited text after a warm-up: the engine's
    share; and the garbage collector's part of it, as the server runs it
    (what start-up loaded frozen): each collection's seconds, by generation."""
    import gc

    from copydesk.api import Session

    session = Session(overrides=SETTINGS)
    session.lint_text(text, path=str(ROOT / "benchmark-article.txt"))
    gc.freeze()
    collections: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started = [0.0]

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            collections[info["generation"]].append(time.perf_counter() - started[0])

    timings = []
    _line, edits = keystrokes(text)
    gc.callbacks.append(timed)
    try:
        for edit in edits:
            text = apply(text, edit)
            start = time.perf_counter()
            session.lint_text(text, path=str(ROOT / "benchmark-article.txt"))
            timings.append(time.perf_counter() - start)
    finally:
        gc.callbacks.remove(timed)
        gc.unfreeze()
    return timings, collections


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=2000, help="article length in words (default 2000)")
    parser.add_argument("--interval", type=float, default=30.0, help="ms between keystrokes when typing fast (default 30)")
    parser.add_argument(
        "--select", default="ALL", help="rule selectors, comma-separated (default ALL: every rule); 'default' for the default selection"
    )
    args = parser.parse_args()
    if args.select.lower() == "default":
        SETTINGS.pop("select")
    else:
        SETTINGS["select"] = [part.strip() for part in args.select.split(",") if part.strip()]

    text = build_article(args.words)
    results = asyncio.run(measure(text, args.interval / 1000))
    engine, collections = in_process(text)

    from copydesk.api import Session

    rules = len(Session(overrides=SETTINGS).rules_for(str(ROOT / "benchmark-article.txt")))
    print(f"article: {len(text.split())} words, {len(text):,} characters, {text.count(chr(10) * 2) + 1} paragraphs; {rules} rules selected ({','.join(SETTINGS.get('select', ['default']))})")
    print(f"server start to initialized: {results['startup'] * 1000:.0f} ms; first lint after didOpen: {results['first_lint'] * 1000:.0f} ms ({results['diagnostics']} diagnostics)")
    print(summary("didChange -> publishDiagnostics, typing and waiting", results["sequential"]))  # type: ignore[arg-type]
    print(
        summary(f"didChange -> diagnostics covering it, a keystroke every {args.interval:g} ms", results["fast"])  # type: ignore[arg-type]
        + f"; {results['fast_publishes']} publishes for {len(results['fast'])} keystrokes"  # type: ignore[arg-type]
    )
    print(summary("in process, Session.lint_text after one keystroke (warm cache)", engine))
    spent = sum(map(sum, collections.values()))
    print(
        f"garbage collector during those {len(engine)} keystrokes: "
        + ", ".join(f"{len(times)} of generation {generation}" for generation, times in collections.items())
        + f"; {spent * 1000:.1f} ms in all, {spent / len(engine) * 1000:.3f} ms per keystroke"
    )


if __name__ == "__main__":
    main()
