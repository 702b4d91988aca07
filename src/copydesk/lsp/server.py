"""``copydesk lsp``: the language server.

It lints through :class:`copydesk.api.Session` (same rules, configuration
and suppressions as ``copydesk check``) and adds only what an editor needs:

* its own copy of each open buffer, updated by incremental edits in the
  negotiated position encoding (:mod:`copydesk.lsp.documents`);
* one lint at a time per buffer, off the message loop, always of the newest
  text: results for an older version are dropped, never published over
  newer ones (:class:`LintScheduler`);
* diagnostics pushed with the document version, or served from the same
  cache to clients that pull (``textDocument/diagnostic``);
* hover with the rule's documentation, quick fixes, and a code action that
  disables a rule for one paragraph with a suppression comment.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import itertools
import logging
import queue
import re
import threading
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import to_fs_path

from copydesk import __version__
from copydesk.diagnostics import Diagnostic
from copydesk.fixes import apply_fixes, line_ending
from copydesk.lsp.convert import PositionMap, diagnostic_json, encoding_of, hover_markdown, text_edits
from copydesk.lsp.documents import DocumentStore, OpenDocument, TextChange
from copydesk.lsp.linting import SessionManager, is_config_file, settings_from
from copydesk.positions import Encoding
from copydesk.runner import resume_collection
from copydesk.suppression import INVALID_SUPPRESSION_CODE

logger = logging.getLogger(__name__)

#: Seconds to wait after an edit before linting. Zero: edits that arrive
#: while a lint runs are folded into the next one anyway.
DEFAULT_DEBOUNCE = 0.0

#: The suppression directive the "disable for this paragraph" action writes.
DISABLE_PARAGRAPH = "<!-- copydesk: disable-paragraph={code} -->"

#: The code action kind of "fix everything fixable" (VS Code runs it on save
#: when ``editor.codeActionsOnSave`` asks for ``source.fixAll``).
FIX_ALL_KIND = "source.fixAll.copydesk"

#: A broken directive cannot hide itself (see copydesk.suppression).
UNSUPPRESSIBLE = frozenset({INVALID_SUPPRESSION_CODE})

#: Seconds a request (hover, code action, pull) waits for the current lint.
REQUEST_TIMEOUT = 10.0

CONFIG_GLOBS = ("**/pyproject.toml", "**/setup.cfg", "**/.copydesk.toml")

_revisions = itertools.count(1)


@dataclass
class LintOutcome:
    """One lint of one revision of a buffer, converted for the client."""

    revision: int
    epoch: int
    #: The buffer exactly as linted.
    document: OpenDocument
    report: Any
    positions: PositionMap
    #: Each engine diagnostic with its LSP form as JSON-ready data.
    pairs: list[tuple[Diagnostic, dict[str, Any]]]
    result_id: str
    #: Problems to log (rule failures, configuration problems), once each.
    messages: list[tuple[str, types.MessageType]]

    @property
    def diagnostics_json(self) -> list[dict[str, Any]]:
        return [data for _, data in self.pairs]

    def lsp_diagnostics(self) -> list[types.Diagnostic]:
        """The diagnostics as lsprotocol objects (for responses pygls serializes)."""
        return [as_lsp_diagnostic(data) for _, data in self.pairs]


def lint_snapshot(
    sessions: SessionManager, document: OpenDocument, encoding: Encoding, revision: int = 0, epoch: int = 0
) -> LintOutcome:
    """Lint one snapshot of a buffer and convert the findings for the client."""
    text = document.text
    report, generation = sessions.lint(text, document.path, document.markup)
    # The engine drops a leading byte-order mark; the client's buffer keeps it.
    shift = len(text) - len(report.document.text)
    positions = PositionMap(document.line_index, encoding, shift)
    pairs = [(d, diagnostic_json(d, positions, document.uri)) for d in report.diagnostics]
    messages = [(failure.describe(), types.MessageType.Error) for failure in report.failures]
    messages += [(problem.describe(), types.MessageType.Warning) for problem in report.problems]
    messages += [(error.describe(), types.MessageType.Error) for error in sessions.session.load_errors]
    return LintOutcome(
        revision=revision,
        epoch=epoch,
        document=document,
        report=report,
        positions=positions,
        pairs=pairs,
        result_id=f"{generation}.{epoch}.{revision}",
        messages=messages,
    )


class CopydeskProtocol(LanguageServerProtocol):
    """pygls' protocol, minus its document store (see :mod:`copydesk.lsp.documents`)."""

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None

    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except Exception as error:
            # A request whose params do not parse still gets an answer, so
            # the client is not left waiting for one.
            if isinstance(data, dict) and "id" in data and "method" in data:
                from pygls.exceptions import JsonRpcInvalidParams

                self._send_response(data["id"], error=JsonRpcInvalidParams(f"invalid params for {data['method']}: {error}"))
                return _IgnoredMessage()
            raise


class _IgnoredMessage:
    """Stands in for a message already answered with an error."""

    jsonrpc = None


class CopydeskServer(LanguageServer):
    def __init__(self, debounce: float = DEFAULT_DEBOUNCE) -> None:
        super().__init__("copydesk", __version__, protocol_cls=CopydeskProtocol)
        self.documents = DocumentStore()
        self.sessions = SessionManager()
        self.scheduler = LintScheduler(self, debounce)
        self.pull_diagnostics = False
        self._reported: set[str] = set()

    # -- client facts --------------------------------------------------------

    @property
    def encoding(self):
        return encoding_of(self.workspace.position_encoding)

    def capability(self, *names: str) -> Any:
        value: Any = self.client_capabilities
        for name in names:
            value = getattr(value, name, None)
            if value is None:
                return None
        return value

    # -- reporting -----------------------------------------------------------

    def log(self, message: str, level: types.MessageType = types.MessageType.Info) -> None:
        logger.log(logging.ERROR if level == types.MessageType.Error else logging.INFO, message)
        try:
            self.window_log_message(types.LogMessageParams(type=level, message=f"copydesk: {message}"))
        except Exception:  # no client connected (yet)
            pass

    def report_once(self, message: str, level: types.MessageType = types.MessageType.Warning) -> None:
        """Log a problem the first time it happens, not on every keystroke."""
        if message not in self._reported:
            self._reported.add(message)
            self.log(message, level)

    def report_server_error(self, error: Exception, source: Any) -> None:
        # A malformed message is logged, not shown in a pop-up on every keystroke.
        self.log(f"could not handle a message: {error!r}", types.MessageType.Error)

    # -- linting -------------------------------------------------------------

    def lint_outcome(self, document: OpenDocument, revision: int, epoch: int) -> LintOutcome:
        """Lint one snapshot of a buffer. Runs on the lint thread, so it sends nothing."""
        outcome = lint_snapshot(self.sessions, document, self.encoding, revision, epoch)
        # As for `copydesk check`: the collector, paused while the server
        # started (cli), resumes after the first lint with what it loaded --
        # the rules, proselint's checks, their indexes -- frozen, so a full
        # collection while someone types takes ~5 ms instead of ~60 ms.
        # Later calls do nothing.
        resume_collection()
        return outcome

    def publish(self, outcome: LintOutcome) -> None:
        """Push diagnostics, with the version of the text they were computed on."""
        if self.pull_diagnostics:
            return
        document = outcome.document
        self.send_notification_json(
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
            {"uri": document.uri, "diagnostics": outcome.diagnostics_json, "version": document.version},
        )

    def send_notification_json(self, method: str, params: dict[str, Any]) -> None:
        """Send JSON-ready params as they are.

        ``text_document_publish_diagnostics`` would need lsprotocol objects
        and unstructure them again with cattrs, on every keystroke.
        """
        self.protocol._send_data({"jsonrpc": "2.0", "method": method, "params": params})

    async def configuration_changed(self, *, files: bool = False, settings: Any = None) -> None:
        """Settings or configuration files changed: re-lint every open buffer.

        The session is reconfigured on the lint thread, between two lints,
        never under one.
        """
        if settings is not None:
            await self.scheduler.on_lint_thread(self.sessions.update_settings, settings)
        if files:
            await self.scheduler.on_lint_thread(self.sessions.reload)
        self.scheduler.relint_all()
        if self.pull_diagnostics and self.capability("workspace", "diagnostics", "refresh_support"):
            self.workspace_diagnostic_refresh(None)


class LintWorker:
    """One daemon thread that runs lints (and reconfigurations) in order.

    One thread, because the engine's paragraph cache is not shared between
    threads; a daemon, because ``exit`` must end the server even while a
    slow or stuck third-party rule is running (a ThreadPoolExecutor's
    threads are joined at interpreter exit).
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="copydesk-lint", daemon=True)
        self._thread.start()

    def submit(self, function: Any, *args: Any) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._queue.put((future, function, args))
        return future

    def stop(self) -> None:
        self._queue.put(None)

    def _serve(self) -> None:
        while (job := self._queue.get()) is not None:
            future, function, args = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function(*args))
            except BaseException as error:
                future.set_exception(error)


class LintScheduler:
    """Lints each buffer's newest revision, one lint at a time, off the loop."""

    def __init__(self, server: CopydeskServer, debounce: float) -> None:
        self.server = server
        self.debounce = debounce
        self.epoch = 0
        self.results: dict[str, LintOutcome] = {}
        #: (epoch, revision) of the results each buffer shows.
        self._published: dict[str, tuple[int, int]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._waiters: dict[str, list[asyncio.Future[LintOutcome | None]]] = {}
        self._worker = LintWorker()

    def request(self, uri: str) -> None:
        task = self._tasks.get(uri)
        if task is None or task.done():
            self._tasks[uri] = asyncio.get_running_loop().create_task(self._run(uri))

    def relint_all(self) -> None:
        self.epoch += 1
        for document in self.server.documents:
            self.request(document.uri)

    def fresh(self, document: OpenDocument) -> LintOutcome | None:
        outcome = self.results.get(document.uri)
        if outcome is not None and outcome.revision == document.revision and outcome.epoch == self.epoch:
            return outcome
        return None

    async def current(self, uri: str, timeout: float | None = None) -> LintOutcome | None:
        """The lint of the buffer as it stands now, waiting for it if needed
        -- but not forever: None if a (stuck) rule keeps it past ``timeout``."""
        timeout = REQUEST_TIMEOUT if timeout is None else timeout
        document = self.server.documents.get(uri)
        if document is None:
            return None
        outcome = self.fresh(document)
        if outcome is not None:
            return outcome
        waiter: asyncio.Future[LintOutcome | None] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(uri, []).append(waiter)
        self.request(uri)
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except asyncio.TimeoutError:
            self.server.report_once(f"linting {uri} is taking over {timeout:g} s; a rule may be stuck")
            return None

    async def on_lint_thread(self, function: Any, *args: Any) -> Any:
        return await asyncio.wrap_future(self._worker.submit(function, *args))

    def forget(self, uri: str) -> None:
        """The buffer was closed: drop its results and any lint in flight."""
        task = self._tasks.pop(uri, None)
        if task is not None:
            task.cancel()
        self.results.pop(uri, None)
        self._published.pop(uri, None)
        self._wake(uri, None)

    def shutdown(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        self._worker.stop()

    async def _run(self, uri: str) -> None:
        if self.debounce:
            await asyncio.sleep(self.debounce)
        while True:
            document = self.server.documents.get(uri)
            if document is None:
                self._wake(uri, None)
                return
            revision, epoch = document.revision, self.epoch
            snapshot = document.snapshot()
            try:
                outcome = await self.on_lint_thread(self.server.lint_outcome, snapshot, revision, epoch)
            except Exception as error:
                self.server.log(f"could not lint {uri}: {type(error).__name__}: {error}", types.MessageType.Error)
                self._wake(uri, None)
                return
            document = self.server.documents.get(uri)
            if document is None:
                self._wake(uri, None)
                return
            for message, level in outcome.messages:
                self.server.report_once(message, level)
            if self.epoch != epoch:
                continue  # reconfigured while linting: these results are void
            if document.revision != revision:
                # Edited while linting. While someone types faster than the
                # rules run, show the newest results there are -- never older
                # than what was shown -- and lint the newest text next.
                self._publish_if_newer(document, outcome)
                continue
            self.results[uri] = outcome
            self._publish_if_newer(document, outcome)
            self._wake(uri, outcome)
            return

    def _publish_if_newer(self, document: OpenDocument, outcome: LintOutcome) -> None:
        # A newer configuration (epoch) beats any revision linted under an older one.
        stamp = (outcome.epoch, outcome.revision)
        if stamp > self._published.get(document.uri, (-1, -1)):
            self._published[document.uri] = stamp
            self.server.publish(outcome)

    def _wake(self, uri: str, outcome: LintOutcome | None) -> None:
        for waiter in self._waiters.pop(uri, []):
            if not waiter.done():
                waiter.set_result(outcome)


def create_server(debounce: float = DEFAULT_DEBOUNCE) -> CopydeskServer:
    server = CopydeskServer(debounce)

    @server.feature(types.INITIALIZE)
    def initialize(ls: CopydeskServer, params: types.InitializeParams) -> None:
        ls.pull_diagnostics = ls.capability("text_document", "diagnostic") is not None
        options = params.initialization_options
        settings = settings_from(options.get("settings", options) if isinstance(options, dict) else None)
        if settings:
            ls.sessions.update_settings(settings)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: CopydeskServer, params: types.InitializedParams) -> None:
        if ls.capability("workspace", "did_change_watched_files", "dynamic_registration"):
            watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in CONFIG_GLOBS]
            registration = types.Registration(
                id="copydesk-config-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
            except Exception as error:
                ls.log(f"could not watch configuration files: {error}")
        if ls.capability("workspace", "configuration"):
            await _pull_settings(ls)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: CopydeskServer, params: None) -> None:
        ls.scheduler.shutdown()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CopydeskServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        document = OpenDocument(
            uri=item.uri,
            text=item.text,
            version=item.version,
            language_id=item.language_id or "",
            path=_path_of(item.uri),
            revision=next(_revisions),
        )
        ls.documents.open(document)
        ls.scheduler.request(item.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CopydeskServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        document = ls.documents.get(uri)
        if document is None:
            ls.report_once(f"ignored edits to {uri}: it was never opened (didOpen)")
            return
        changes = [TextChange(change.text, getattr(change, "range", None)) for change in params.content_changes]
        for problem in document.apply(changes, params.text_document.version, ls.encoding):
            ls.log(f"{uri}: {problem.describe()}", types.MessageType.Warning)
        document.revision = next(_revisions)
        ls.scheduler.request(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    async def did_save(ls: CopydeskServer, params: types.DidSaveTextDocumentParams) -> None:
        document = ls.documents.get(params.text_document.uri)
        if document is None:
            return
        if params.text is not None and params.text != document.text:
            document.apply([TextChange(params.text)], document.version, ls.encoding)
        # A new revision even if the text is the same: results are published
        # on save, and configuration may have changed on disk meanwhile.
        document.revision = next(_revisions)
        if is_config_file(document.path):
            await ls.configuration_changed(files=True)
        else:
            ls.scheduler.request(document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CopydeskServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if ls.documents.close(uri) is None:
            return
        ls.scheduler.forget(uri)
        if not ls.pull_diagnostics:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="copydesk", inter_file_dependencies=False, workspace_diagnostics=False),
    )
    async def pull(ls: CopydeskServer, params: types.DocumentDiagnosticParams):
        outcome = await ls.scheduler.current(params.text_document.uri)
        if outcome is None:
            if params.previous_result_id is not None:  # keep showing what the client has
                return types.RelatedUnchangedDocumentDiagnosticReport(result_id=params.previous_result_id)
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if params.previous_result_id == outcome.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=outcome.result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=outcome.lsp_diagnostics(), result_id=outcome.result_id)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: CopydeskServer, params: types.HoverParams) -> types.Hover | None:
        outcome = await ls.scheduler.current(params.text_document.uri)
        if outcome is None:
            return None
        offset = outcome.positions.offset(params.position)
        under = [(d, c) for d, c in outcome.pairs if d.start <= offset <= d.end]
        if not under:
            return None
        registry = getattr(ls.sessions.session, "registry", None)
        sections: list[str] = []
        for code in dict.fromkeys(d.code for d, _ in under):
            rule = registry.get(code) if registry is not None else None
            sections.append(hover_markdown(rule) if rule is not None else f"**{code}**")
        markdown = _client_takes_markdown(ls)
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText,
                value="\n\n---\n\n".join(sections),
            ),
            range=as_lsp_diagnostic(under[0][1]).range,
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False),
    )
    async def code_action(ls: CopydeskServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        only = [str(getattr(kind, "value", kind)) for kind in params.context.only or ()]

        def wanted(kind: str) -> bool:
            return not only or any(kind == k or kind.startswith(k + ".") for k in only)

        if not (wanted(types.CodeActionKind.QuickFix.value) or wanted(FIX_ALL_KIND)):
            return None
        outcome = await ls.scheduler.current(params.text_document.uri)
        if outcome is None:
            return None
        actions: list[types.CodeAction] = []
        if wanted(types.CodeActionKind.QuickFix.value):
            start = outcome.positions.offset(params.range.start)
            end = outcome.positions.offset(params.range.end)
            actions += _quick_fixes(ls, outcome, start, end)
        if wanted(FIX_ALL_KIND):
            actions += _fix_all(ls, outcome)
        return actions or None

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: CopydeskServer, params: types.DidChangeConfigurationParams) -> None:
        settings = settings_from(params.settings)
        if not settings and ls.capability("workspace", "configuration"):
            await _pull_settings(ls)  # "something changed": ask for our section
            return
        if settings is None:
            return  # nothing of copydesk's in it
        await ls.configuration_changed(settings=settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls: CopydeskServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(is_config_file(_path_of(change.uri)) for change in params.changes):
            await ls.configuration_changed(files=True)

    return server


async def _pull_settings(ls: CopydeskServer) -> None:
    try:
        answer = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="copydesk")])
        )
    except Exception as error:
        ls.log(f"could not read editor settings: {error}")
        return
    settings = settings_from(answer[0], is_section=True) if answer else None
    if settings is not None and settings != ls.sessions.settings:
        await ls.configuration_changed(settings=settings)


def as_lsp_diagnostic(data: dict[str, Any]) -> types.Diagnostic:
    return _converter().structure(data, types.Diagnostic)


@functools.lru_cache(maxsize=1)
def _converter() -> Any:
    from pygls.protocol import default_converter

    return default_converter()


def _path_of(uri: str) -> str | None:
    try:
        return to_fs_path(uri) if uri.startswith("file:") else None
    except Exception:
        return None


def _client_takes_markdown(ls: CopydeskServer) -> bool:
    formats = ls.capability("text_document", "hover", "content_format")
    if not formats:
        return True
    return any(str(getattr(f, "value", f)) == types.MarkupKind.Markdown.value for f in formats)


def _workspace_edit(ls: CopydeskServer, document: OpenDocument, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    if ls.capability("workspace", "workspace_edit", "document_changes"):
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=identifier, edits=edits)])
    return types.WorkspaceEdit(changes={document.uri: edits})


def _quick_fixes(ls: CopydeskServer, outcome: LintOutcome, start: int, end: int) -> list[types.CodeAction]:
    """Each finding's fix (preferred), then "disable for this paragraph"."""
    document = outcome.document
    fixes: list[types.CodeAction] = []
    disables: list[types.CodeAction] = []
    seen_disables: set[tuple[str, int]] = set()
    for diagnostic, data in outcome.pairs:
        if diagnostic.end < start or diagnostic.start > end:
            continue
        converted = as_lsp_diagnostic(data)
        if diagnostic.fix is not None and diagnostic.fix.edits:
            fixes.append(
                types.CodeAction(
                    title=diagnostic.fix.message or f"Fix {diagnostic.code}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[converted],
                    is_preferred=True,
                    edit=_workspace_edit(ls, document, text_edits(diagnostic.fix.edits, outcome.positions)),
                )
            )
        if diagnostic.code in UNSUPPRESSIBLE:
            continue
        insert_at = _paragraph_line_start(outcome, document, diagnostic)
        if (diagnostic.code, insert_at) in seen_disables:
            continue
        seen_disables.add((diagnostic.code, insert_at))
        line, _ = document.line_index.column_in(insert_at, ls.encoding)
        comment = (
            _container_prefix(document, insert_at, outcome, diagnostic)
            + DISABLE_PARAGRAPH.format(code=diagnostic.code)
            + line_ending(document.text)
        )
        position = types.Position(line=line, character=0)
        disables.append(
            types.CodeAction(
                title=f"Disable {diagnostic.code} ({diagnostic.rule}) for this paragraph",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[converted],
                edit=_workspace_edit(
                    ls, document, [types.TextEdit(range=types.Range(start=position, end=position), new_text=comment)]
                ),
            )
        )
    return fixes + disables


def _fix_all(ls: CopydeskServer, outcome: LintOutcome) -> list[types.CodeAction]:
    """Every fix that applies in one pass (as ``copydesk check --fix`` does
    per pass), as one edit of the whole text."""
    fixed = apply_fixes(outcome.report.document.text, (d for d, _ in outcome.pairs))
    if not fixed.applied:
        return []
    whole = types.TextEdit(range=outcome.positions.range(0, len(outcome.report.document.text)), new_text=fixed.text)
    return [
        types.CodeAction(
            title=f"Fix all copydesk findings that have a fix ({fixed.applied})",
            kind=FIX_ALL_KIND,
            edit=_workspace_edit(ls, outcome.document, [whole]),
        )
    ]


def _paragraph_line_start(outcome: LintOutcome, document: OpenDocument, diagnostic: Diagnostic) -> int:
    """Buffer offset of the start of the line where the diagnostic's paragraph begins."""
    engine_document = outcome.report.document
    paragraph = engine_document.paragraph_at(diagnostic.start)
    start = (paragraph.start if paragraph is not None else diagnostic.start) + outcome.positions.shift
    index = document.line_index
    return index.line_starts[index.line_of(start)]


_QUOTE_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*")


def _container_prefix(document: OpenDocument, line_start: int, outcome: LintOutcome, diagnostic: Diagnostic) -> str:
    """The blockquote markers the paragraph's first line starts with, so the
    comment stays inside the quote (Markdown only; list bullets are not copied)."""
    if document.markup != "markdown":
        return ""
    paragraph = outcome.report.document.paragraph_at(diagnostic.start)
    if paragraph is None:
        return ""
    lead = document.text[line_start : paragraph.start + outcome.positions.shift]
    match = _QUOTE_PREFIX.match(lead)
    return match.group() if match and ">" in match.group() else ""


def serve(tcp: str | None = None) -> None:
    """Run the server over stdio, or on ``HOST:PORT`` when ``tcp`` is given."""
    logging.basicConfig(level=logging.WARNING, format="copydesk-lsp %(levelname)s %(name)s: %(message)s")
    server = create_server()
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
