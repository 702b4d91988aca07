"""Linting for the language server: the CLI's Session, its config, and settings.

The server never runs rules itself: it hands each buffer to
:class:`copydesk.api.Session`, which reads ``pyproject.toml`` /
``setup.cfg`` / ``.copydesk.toml`` exactly as ``copydesk check`` does and
applies suppressions. Editor settings (``workspace/didChangeConfiguration``)
are layered on top as overrides. A configuration file created, deleted or
edited while the server runs is noticed before the next lint, whether or
not the editor reports file changes: the candidate files above each linted
buffer are stat'ed (microseconds) and the session reloads its
configuration when any of them changed.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from copydesk.api import FileReport, Session
from copydesk.config import CONFIG_FILE_NAMES, KNOWN_KEYS, ConfigProblem
from copydesk.document import Document, Markup

logger = logging.getLogger(__name__)

SETTINGS_SECTION = "copydesk"
#: A settings key naming one configuration file to use instead of discovery.
CONFIG_PATH_KEY = "config"

Stamp = tuple[int, int] | None


@dataclass
class SessionManager:
    """Holds the server's Session and tells it when its inputs change."""

    registry: Any = None
    settings: dict[str, Any] = field(default_factory=dict)
    _session: Session | None = None
    _stamps: dict[Path, Stamp] = field(default_factory=dict)
    _candidates: dict[Path, tuple[Path, ...]] = field(default_factory=dict)
    #: Counts configuration reloads, so cached results can tell which made them.
    generation: int = 0

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session(
                config_path=self.settings.get(CONFIG_PATH_KEY) or None,
                overrides=self._overrides(),
                registry=self.registry,
                overrides_label="editor settings",
            )
            self.generation += 1
        return self._session

    def _overrides(self) -> dict[str, Any] | None:
        return {k: v for k, v in self.settings.items() if k != CONFIG_PATH_KEY} or None

    def update_settings(self, settings: Mapping[str, Any] | None) -> None:
        """Lay new editor settings over the configuration files."""
        previous = self.settings
        self.settings = dict(settings or {})
        if self._session is None:
            return
        if self.settings.get(CONFIG_PATH_KEY) != previous.get(CONFIG_PATH_KEY):
            self.registry = self._session.registry
            self._session = None  # a different explicit file: a new session
            return
        self._session.configure(self._overrides())
        self.generation += 1

    def reload(self) -> None:
        """Re-read configuration files (one was created, edited or removed)."""
        if self._session is not None:
            self._session.reload_config()
        self.generation += 1

    def config_changed(self, path: str | None) -> bool:
        """Whether a configuration file that could apply to ``path`` changed
        since the last call: created, removed or rewritten."""
        directory = Path(os.path.abspath(path)).parent if path else Path.cwd()
        changed = False
        for candidate in self._candidates_for(directory):
            stamp = _stamp(candidate)
            if candidate in self._stamps and self._stamps[candidate] != stamp:
                changed = True
            self._stamps[candidate] = stamp
        return changed

    def lint(self, text: str, path: str | None, markup: Markup) -> tuple[FileReport, int]:
        if self.config_changed(path):
            logger.info("a configuration file changed; reloading")
            self.reload()
        session = self.session
        if path is not None and session.is_excluded(path):
            # As with ``copydesk check --force-exclude`` (what hooks run): a
            # file the configuration excludes gets no findings in the editor.
            return FileReport(path=path, document=Document(text, path, markup)), self.generation
        limit = session.settings_for(path).max_file_size
        if limit and len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit:
            problem = ConfigProblem(path, f"too large to lint (over max-file-size, {limit} bytes)")
            return FileReport(path=path, document=Document(text, path, markup), problems=[problem]), self.generation
        return session.lint_text(text, path=path, markup=markup), self.generation

    def _candidates_for(self, directory: Path) -> tuple[Path, ...]:
        found = self._candidates.get(directory)
        if found is None:
            chain = [directory, *directory.parents]
            found = tuple(folder / name for folder in chain for name in CONFIG_FILE_NAMES)
            self._candidates[directory] = found
        return found


def _stamp(path: Path) -> Stamp:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def settings_from(raw: Any, *, is_section: bool = False) -> dict[str, Any] | None:
    """The copydesk part of a client's settings, or None if there is none.

    Clients send ``{"copydesk": {...}}``, or the section itself
    (``is_section``: the answer to ``workspace/configuration`` for
    "copydesk", taken whole so a misspelt key is reported, not dropped). A
    mapping without a ``copydesk`` key is otherwise taken as the section only
    if every key is one of copydesk's: some clients send every server the
    settings of all of them.
    """
    if not isinstance(raw, Mapping):
        return None
    if is_section:
        return dict(raw)
    if SETTINGS_SECTION in raw:
        section = raw[SETTINGS_SECTION]
        return dict(section) if isinstance(section, Mapping) else None
    if all(_normal_key(key) in KNOWN_KEYS or key == CONFIG_PATH_KEY for key in raw):
        return dict(raw)
    return None


def _normal_key(key: Any) -> str:
    return str(key).strip().lower().replace("_", "-")


def is_config_file(path: str | None) -> bool:
    return path is not None and os.path.basename(path) in CONFIG_FILE_NAMES
