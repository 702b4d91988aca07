"""Linting many files: one process or many, with the result cache.

:func:`run` lints a list of :class:`~copydesk.files.Target` and returns one
:class:`FileResult` per target, in the order given, whatever the number of
jobs. With ``jobs > 1`` files are spread over worker processes
(:class:`concurrent.futures.ProcessPoolExecutor`); each worker builds its
own :class:`~copydesk.api.Session` (on Linux the workers are forked, so they
inherit the parent's loaded rules instead of importing them again). Every
worker reads, hashes, looks up the cache, lints, fixes and writes its own
files; only results travel back.

Nothing here formats output or decides exit codes: that is the CLI's job.
"""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Sequence

from copydesk._record import Record, set_field
from copydesk.diagnostics import Diagnostic, RuleFailure
from copydesk.files import FileError, Source, Target, read_source, read_stdin

if TYPE_CHECKING:
    from copydesk.api import Session
    from copydesk.cache import ResultCache
    from copydesk.positions import LineIndex

#: Below this many files, starting processes costs more than it saves.
MIN_FILES_FOR_PROCESSES = 4


class RunOptions(Record):
    """How to lint: everything a worker process needs to build its session."""

    __slots__ = (
        "config_path",
        "select",
        "ignore",
        "extend_select",
        "extend_ignore",
        "overrides",
        "fix",
        "cache_dir",
        "entry_points",
        "plugins",
    )
    config_path: str | None
    select: tuple[str, ...] | None
    ignore: tuple[str, ...] | None
    extend_select: tuple[str, ...] | None
    extend_ignore: tuple[str, ...] | None
    #: Laid over every file's configuration (``encoding``, ``max-file-size``).
    overrides: tuple[tuple[str, Any], ...]
    fix: bool
    #: None disables the cache.
    cache_dir: str | None
    entry_points: bool
    #: Extra plugin modules to load by import name (``--plugin``).
    plugins: tuple[str, ...]

    def __init__(
        self,
        *,
        config_path: str | None = None,
        select: tuple[str, ...] | None = None,
        ignore: tuple[str, ...] | None = None,
        extend_select: tuple[str, ...] | None = None,
        extend_ignore: tuple[str, ...] | None = None,
        overrides: tuple[tuple[str, Any], ...] = (),
        fix: bool = False,
        cache_dir: str | None = None,
        entry_points: bool = True,
        plugins: tuple[str, ...] = (),
    ) -> None:
        set_field(self, "config_path", config_path)
        set_field(self, "select", select)
        set_field(self, "ignore", ignore)
        set_field(self, "extend_select", extend_select)
        set_field(self, "extend_ignore", extend_ignore)
        set_field(self, "overrides", overrides)
        set_field(self, "fix", fix)
        set_field(self, "cache_dir", cache_dir)
        set_field(self, "entry_points", entry_points)
        set_field(self, "plugins", plugins)

    def make_session(self) -> "Session":
        from copydesk.api import Session

        return Session(
            config_path=self.config_path,
            registry=self._registry(),
            overrides=dict(self.overrides) or None,
            select=self.select,
            ignore=self.ignore,
            extend_select=self.extend_select,
            extend_ignore=self.extend_ignore,
            entry_points=self.entry_points,
            overrides_label="command line",
        )

    def _registry(self) -> Any:
        if not self.plugins:
            return None  # the session loads the usual plugins when first needed
        import importlib

        from copydesk.plugin.manager import PluginLoadError, load_registry

        modules = []
        errors = []
        for name in self.plugins:
            try:
                modules.append(importlib.import_module(name))
            except Exception as error:  # reported like any plugin that fails to load
                errors.append(PluginLoadError(name, f"{type(error).__name__}: {error}"))
        registry = load_registry(entry_points=self.entry_points, extra_plugins=modules)
        registry.load_errors[:0] = errors
        return registry


@dataclass
class FileResult:
    """What linting one file produced, ready for any output format."""

    path: str
    #: The decoded text linted (after fixes); "" when the file could not be read.
    text: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failures: list[RuleFailure] = field(default_factory=list)
    #: Why the file could not be read or fixed, in one line.
    error: str | None = None
    #: Fixes applied and written.
    fixed: int = 0
    cached: bool = False
    #: Problems in the configuration that applied to this file, described.
    problems: list[str] = field(default_factory=list)

    @cached_property
    def line_index(self) -> "LineIndex":
        from copydesk.positions import LineIndex

        return LineIndex(self.text)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("line_index", None)  # rebuilt on demand, not shipped between processes
        return state


class FileLinter:
    """Lints files one at a time in this process, through one session."""

    def __init__(self, options: RunOptions, session: "Session | None" = None) -> None:
        self.options = options
        self.session = session if session is not None else options.make_session()
        self.cache: ResultCache | None = None
        self._linter_fingerprint: str | None = None
        self._config_fingerprints: dict[int, tuple[Any, str]] = {}
        if options.cache_dir is not None:
            from copydesk import cache  # hashing and JSON only when caching

            self.cache = cache.ResultCache(options.cache_dir)

    def lint(self, target: Target, stdin: Any = None) -> FileResult:
        try:
            return self._lint(target, stdin)
        except Exception as error:  # a bug must cost one file, not the run
            return FileResult(target.path, error=f"internal error: {type(error).__name__}: {error}")

    def _lint(self, target: Target, stdin: Any = None) -> FileResult:
        settings = self.session.settings_for(target.path if not target.stdin else None)
        try:
            if target.stdin:
                source = read_stdin(
                    target.path, encoding=settings.encoding, max_size=settings.max_file_size, stream=stdin
                )
            else:
                source = read_source(target.path, encoding=settings.encoding, max_size=settings.max_file_size)
        except FileError as error:
            return FileResult(target.path, error=error.reason)
        return self.lint_source(source, write=not target.stdin)

    def lint_source(self, source: Source, *, write: bool = True) -> FileResult:
        key = self._cache_key(source) if self.cache is not None and write else None
        diagnostics = self.cache.get(key) if key is not None and self.cache is not None else None
        result = FileResult(source.path, source.text)
        # Sent back so a problem met only in a worker process is still reported.
        result.problems = [p.describe() for p in self.session.selection_for(source.path).problems]
        if diagnostics is not None:
            result.diagnostics = diagnostics
            result.cached = True
        else:
            report = self.session.lint_text(source.text, source.path)
            result.diagnostics = report.diagnostics
            result.failures = report.failures
            if key is not None and self.cache is not None and not report.failures:
                self.cache.put(key, report.diagnostics)
        if self.options.fix and any(d.fix is not None for d in result.diagnostics):
            self._fix(source, result, write=write)
        return result

    def _cache_key(self, source: Source) -> str:
        from copydesk.cache import config_fingerprint, entry_key, linter_fingerprint

        if self._linter_fingerprint is None:
            self._linter_fingerprint = linter_fingerprint(self.session.registry)
        selection = self.session.selection_for(source.path)
        # One digest per distinct selection, not per file: files share a few.
        known = self._config_fingerprints.get(id(selection))
        if known is None or known[0] is not selection:
            known = (selection, config_fingerprint(selection.rules))
            self._config_fingerprints[id(selection)] = known
        config = known[1]
        return entry_key(
            linter=self._linter_fingerprint,
            config=config,
            path=source.path,
            content_digest=source.digest,
            encoding=source.encoding,
        )

    def _fix(self, source: Source, result: FileResult, *, write: bool) -> None:
        from copydesk.fixes import MAX_FIX_PASSES, apply_fixes, write_fixed

        text = source.text
        diagnostics = result.diagnostics
        failures = result.failures
        applied = 0
        for _ in range(MAX_FIX_PASSES):
            outcome = apply_fixes(text, diagnostics)
            if not outcome.applied:
                break
            applied += outcome.applied
            text = outcome.text
            report = self.session.lint_text(text, source.path)
            diagnostics, failures = report.diagnostics, report.failures
        if not applied:
            return
        if write:
            try:
                write_fixed(source, text)
            except FileError as error:
                result.error = error.reason
                return
        result.text = text
        result.diagnostics = diagnostics
        result.failures = failures
        result.fixed = applied


# -- worker processes -------------------------------------------------------------------

_WORKER: FileLinter | None = None
#: The parent's session, handed to forked workers by inheritance.
_INHERITED_SESSION: tuple[RunOptions, "Session"] | None = None


def _start_worker(options: RunOptions) -> None:
    global _WORKER
    inherited = _INHERITED_SESSION
    if inherited is not None and inherited[0] == options:
        _WORKER = FileLinter(options, inherited[1])
    else:
        _WORKER = FileLinter(options)


def _lint_in_worker(target: Target) -> FileResult:
    assert _WORKER is not None, "worker not started"
    return _WORKER.lint(target)


# -- garbage collection at start-up ------------------------------------------------

_collection_paused = False


def pause_collection() -> None:
    """Pause Python's cyclic garbage collector while a run starts up.

    Start-up allocates many objects that live as long as the process --
    modules, rules, proselint's checks, the pre-filter's word index -- and
    every automatic collection traverses them again: about a tenth of a
    cold start. :func:`run` ends the pause with :func:`resume_collection`
    once its first file is linted (or before it forks worker processes), so
    a long run's garbage is still collected. Nothing is paused if the
    collector was already off.
    """
    global _collection_paused
    if gc.isenabled():
        gc.disable()
        _collection_paused = True


def resume_collection() -> None:
    """End :func:`pause_collection`'s pause (once; later calls do nothing).

    What exists by then is frozen, so later collections skip it, and forked
    workers share those pages instead of copying them (as the :mod:`gc`
    documentation advises before ``fork``).
    """
    global _collection_paused
    if _collection_paused:
        _collection_paused = False
        gc.freeze()
        gc.enable()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _process_context() -> Any:
    import multiprocessing

    # fork shares the already-loaded rule registry with every worker; macOS
    # and Windows lack a safe fork, so they spawn.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return None


def run(
    targets: Sequence[Target],
    options: RunOptions,
    *,
    jobs: int = 1,
    session: "Session | None" = None,
    progress: Callable[[int, int], None] | None = None,
    stdin: Any = None,
) -> list[FileResult]:
    """Lint every target; results come back in the order of ``targets``."""
    linter = FileLinter(options, session)
    total = len(targets)
    results: list[FileResult | None] = [None] * total
    on_disk = [index for index, target in enumerate(targets) if not target.stdin]
    done = 0
    try:
        for index, target in enumerate(targets):
            if target.stdin:
                results[index] = linter.lint(target, stdin=stdin)
                resume_collection()
                done += 1
                if progress:
                    progress(done, total)
        if jobs > 1 and len(on_disk) >= MIN_FILES_FOR_PROCESSES:
            resume_collection()
            for index, result in _run_in_processes([targets[i] for i in on_disk], on_disk, options, linter, jobs):
                results[index] = result
                done += 1
                if progress:
                    progress(done, total)
        else:
            for index in on_disk:
                results[index] = linter.lint(targets[index])
                resume_collection()
                done += 1
                if progress:
                    progress(done, total)
    finally:
        resume_collection()
    if linter.cache is not None:
        linter.cache.prune_if_due()
    return [result for result in results if result is not None]


def _run_in_processes(
    targets: list[Target], indexes: list[int], options: RunOptions, linter: FileLinter, jobs: int
) -> Any:
    from concurrent.futures import ProcessPoolExecutor

    global _INHERITED_SESSION
    context = _process_context()
    if context is not None and context.get_start_method() == "fork":
        # Load the rules before forking, so workers do not each load them.
        linter.session.registry  # noqa: B018
        _INHERITED_SESSION = (options, linter.session)
    workers = min(jobs, len(targets))
    chunk = max(1, min(32, len(targets) // (workers * 8)))
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(options,)) as pool:
            yield from zip(indexes, pool.map(_lint_in_worker, targets, chunksize=chunk))
    finally:
        _INHERITED_SESSION = None
