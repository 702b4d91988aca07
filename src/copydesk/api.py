"""The one façade every front end calls: the CLI, the language server and
the pre-commit hook lint through a :class:`Session`, never through the
engine directly.

A session loads the rule registry once (lazily), finds each file's
configuration, decides the rule selection once per distinct effective
configuration and keeps one :class:`~copydesk.engine.Linter` for it. All
linters share one paragraph cache, so an editor re-linting a document after
a keystroke re-runs paragraph-scoped rules only on the paragraph that
changed::

    session = Session(select=["CD1"])
    report = session.lint_text(text, path="story.md")
    for diagnostic in report.diagnostics:
        location = report.document.location(diagnostic.start)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from copydesk.config import ConfigLoader, ConfigProblem, Settings, settings_from_table
from copydesk.diagnostics import Diagnostic, RuleFailure
from copydesk.document import Document, Markup
from copydesk.engine import Linter, ParagraphCache
from copydesk.plugin.rule import ConfiguredRule
from copydesk.selection import Selection, parse_selectors, resolve

if TYPE_CHECKING:
    from copydesk.plugin.manager import PluginLoadError, RuleRegistry



@dataclass
class FileReport:
    """Everything one lint of one file or text produced."""

    #: The path as given (None for unnamed text).
    path: str | None
    document: Document
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Rules that raised or yielded garbage: each names its plugin.
    failures: list[RuleFailure] = field(default_factory=list)
    #: Problems in the configuration that applied to this file.
    problems: list[ConfigProblem] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text


class FileError(Exception):
    """A file that could not be linted; ``reason`` is one line for the user."""

    def __init__(self, path: "str | os.PathLike[str]", reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = os.fspath(path)
        self.reason = reason


_SELECTOR_ARGUMENTS = ("select", "ignore", "extend_select", "extend_ignore")


class Session:
    """Lints texts and files under one set of configuration and overrides.

    ``config_path`` (the CLI's ``--config``) replaces discovery. ``overrides``
    is a mapping shaped like ``[tool.copydesk]`` laid over every file's
    configuration (the language server's settings); ``select``/``ignore``/
    ``extend_select``/``extend_ignore`` (the CLI's flags, lists or
    comma-separated strings) are added to it. Overridden keys replace the
    file's; ``severity`` and ``rules`` merge entry by entry.
    """

    def __init__(
        self,
        config_path: "str | os.PathLike[str] | None" = None,
        overrides: Mapping[str, Any] | None = None,
        registry: "RuleRegistry | None" = None,
        select: "str | Iterable[str] | None" = None,
        ignore: "str | Iterable[str] | None" = None,
        extend_select: "str | Iterable[str] | None" = None,
        extend_ignore: "str | Iterable[str] | None" = None,
        *,
        entry_points: bool = True,
        overrides_label: str | None = None,
    ) -> None:
        self._registry = registry
        self._entry_points = entry_points
        self.loader = ConfigLoader(explicit=Path(config_path) if config_path is not None else None)
        self.paragraph_cache = ParagraphCache()
        self._overrides_label = overrides_label
        arguments = dict(zip(_SELECTOR_ARGUMENTS, (select, ignore, extend_select, extend_ignore)))
        self._arguments = {key.replace("_", "-"): parse_selectors(value) for key, value in arguments.items() if value is not None}
        self.configure(overrides)

    # -- configuration ------------------------------------------------------------

    def configure(self, overrides: Mapping[str, Any] | None = None) -> None:
        """Replace the overrides (e.g. on the language server's
        ``workspace/didChangeConfiguration``). Cached paragraph results are
        kept: they depend only on each rule's options and the text."""
        table: dict[str, Any] = dict(overrides or {})
        for key, value in self._arguments.items():
            table[key] = list(value or ())
        self._overrides = settings_from_table(table, label=self._overrides_label) if table else None
        self._override_keys = tuple(_normal_keys(table))
        self._effective: dict[tuple[Path | None, int], tuple[Settings, Settings]] = {}
        self._linters: dict[tuple[int, tuple[str, ...]], tuple[Settings, Linter, Selection]] = {}
        self._problems: dict[ConfigProblem, None] = {}

    def reload_config(self) -> None:
        """Forget every configuration file found or read (one was created,
        removed or edited)."""
        self.loader.clear()
        self._effective.clear()
        self._linters.clear()

    @property
    def registry(self) -> "RuleRegistry":
        """Every known rule; plugins are loaded on first use, once."""
        if self._registry is None:
            from copydesk.plugin.manager import load_registry

            self._registry = load_registry(entry_points=self._entry_points)
        return self._registry

    @property
    def load_errors(self) -> "list[PluginLoadError]":
        """Plugins that could not be loaded, each naming the plugin."""
        return list(self.registry.load_errors)

    @property
    def problems(self) -> list[ConfigProblem]:
        """Every configuration problem met so far, each once, in order."""
        return list(self._problems)

    def settings_for(self, path: "str | os.PathLike[str] | None" = None) -> Settings:
        """The effective settings for a file: its configuration file (or the
        explicit one) with the overrides laid over it."""
        base = self.loader.for_path(path)
        key = (base.path, id(base))
        cached = self._effective.get(key)
        if cached is not None and cached[0] is base:
            return cached[1]
        effective = base if self._overrides is None else base.merged(self._overrides, self._override_keys)
        self._effective[key] = (base, effective)
        return effective

    def selection_for(self, path: "str | os.PathLike[str] | None" = None) -> Selection:
        return self._linter_for(path)[2]

    def rules_for(self, path: "str | os.PathLike[str] | None" = None) -> list[ConfiguredRule]:
        """The rules that run on ``path``, options and severity resolved."""
        return list(self.selection_for(path).rules)

    def is_excluded(self, path: "str | os.PathLike[str]") -> bool:
        """Whether a directory walk skips ``path`` (``exclude``/``extend-exclude``)."""
        return self.settings_for(path).is_excluded(path)

    def lints_suffix(self, path: "str | os.PathLike[str]") -> bool:
        """Whether a directory walk lints a file with this suffix."""
        return self.settings_for(path).lints_suffix(path)

    def _linter_for(self, path: "str | os.PathLike[str] | None") -> tuple[Settings, Linter, Selection]:
        settings = self.settings_for(path)
        extra = settings.ignores_for(path)
        key = (id(settings), extra)
        cached = self._linters.get(key)
        if cached is not None and cached[0] is settings:
            return cached
        selection = resolve(settings, self.registry, extra_ignores=extra)
        budget: dict[str, float | None] = {}
        if settings.rule_time_budget is not None:
            budget["rule_time_budget"] = settings.rule_time_budget or None  # 0: no budget
        linter = Linter(selection.rules, known_rules=self.registry, paragraph_cache=self.paragraph_cache, **budget)
        entry = (settings, linter, selection)
        self._linters[key] = entry
        for problem in selection.problems:
            self._problems.setdefault(problem, None)
        return entry

    # -- linting ------------------------------------------------------------------------

    def lint_text(
        self, text: str, path: "str | os.PathLike[str] | None" = None, markup: Markup | None = None
    ) -> FileReport:
        """Lint text as if it were the file ``path`` (its configuration,
        per-file ignores and markup apply); nothing is read from disk."""
        name = os.fspath(path) if path is not None else None
        _settings, linter, selection = self._linter_for(name)
        document = Document(text, name, markup)
        result = linter.lint(document)
        return FileReport(
            path=name,
            document=document,
            diagnostics=result.diagnostics,
            failures=result.failures,
            problems=list(selection.problems),
        )

    def lint_path(self, path: "str | os.PathLike[str]", markup: Markup | None = None) -> FileReport:
        """Read and lint one file; :class:`FileError` if it cannot be read as text."""
        settings = self.settings_for(path)
        text = read_text(path, encoding=settings.encoding, max_size=settings.max_file_size)
        return self.lint_text(text, path, markup)


def read_text(path: "str | os.PathLike[str]", *, encoding: str = "utf-8", max_size: int | None = None) -> str:
    """A file's decoded text, or :class:`FileError` with a one-line reason."""
    from copydesk.config import DEFAULT_MAX_FILE_SIZE
    from copydesk.files import read_source

    return read_source(os.fspath(path), encoding=encoding, max_size=max_size or DEFAULT_MAX_FILE_SIZE).text


def _normal_keys(table: Mapping[str, Any]) -> Iterable[str]:
    return [str(key).strip().lower().replace("_", "-") for key in table]

