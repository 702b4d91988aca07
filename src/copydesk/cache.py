"""A content-hash cache of lint results, so unchanged files are not re-linted.

Like ruff's cache: an entry is keyed by everything the result depends on --
the file's bytes (SHA-256) and the encoding they are decoded with, its path
as given (markup and per-file ignores depend on it), the effective
configuration for it (rules, their options and severities), and the linter
itself (copydesk's version, the content of its source files and of every
plugin package that defines rules). Change any of these
and the key changes; nothing is ever invalidated in place.

Entries are small JSON files under ``.copydesk_cache/`` (or ``--cache-dir``),
written to a temporary file and renamed into place, so concurrent runs --
two CI jobs, an editor and a hook -- only ever see whole entries. The cache
is best effort: an unreadable, corrupt or unwritable entry is a miss, never
an error. Results with rule failures are not cached, so a failing rule is
retried and reported on every run.

Every edit of a file makes a new entry, so the cache prunes itself: an
entry read is marked used (its modification time), and at the end of a run,
at most once a day, entries unused for :data:`ENTRY_MAX_AGE` are removed,
with temporary files a killed run left behind and the entries of older
formats. ``copydesk clean`` removes the whole cache.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import sys
import time
from typing import TYPE_CHECKING, Any, Iterable

from copydesk.diagnostics import Diagnostic, Edit, Fix, Related, Severity

if TYPE_CHECKING:
    from copydesk.plugin.manager import RuleRegistry
    from copydesk.plugin.rule import ConfiguredRule

DEFAULT_CACHE_DIR = ".copydesk_cache"
#: Bumped when the entry format changes.
FORMAT_VERSION = 1
#: Seconds an entry may go unused before it is pruned (30 days).
ENTRY_MAX_AGE = 30 * 24 * 3600
#: Seconds between two prunings of one cache (a day).
PRUNE_INTERVAL = 24 * 3600
#: Seconds after which a temporary file is a leftover, not a write in progress.
TEMPORARY_MAX_AGE = 3600
_PRUNE_MARKER = "last-pruned"


def default_cache_dir() -> str:
    return os.environ.get("COPYDESK_CACHE_DIR") or DEFAULT_CACHE_DIR


#: Files of a package whose content decides what its rules report.
_SOURCE_SUFFIXES = (".py", ".tsv", ".txt", ".json", ".toml")
#: A bound on what is hashed per plugin package, so a huge one stays cheap.
_MAX_FILES_PER_PACKAGE = 2000


def _digest_tree(root: str) -> str:
    """A digest of the source files under ``root`` (a package directory or
    one module file), by content and relative name -- not by modification
    time, so a cache restored onto a fresh checkout in CI still hits."""
    digest = hashlib.sha256()
    if os.path.isfile(root):
        paths = [root]
        base = os.path.dirname(root)
    else:
        paths = []
        base = root
        for directory, subdirectories, names in os.walk(root):
            subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
            paths.extend(os.path.join(directory, n) for n in sorted(names) if n.endswith(_SOURCE_SUFFIXES))
            if len(paths) > _MAX_FILES_PER_PACKAGE:
                break
    for path in paths[:_MAX_FILES_PER_PACKAGE]:
        digest.update(os.path.relpath(path, base).replace(os.sep, "/").encode("utf-8", "surrogateescape") + b"\0")
        try:
            with open(path, "rb") as handle:
                digest.update(handle.read())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()


def _package_root(module: Any) -> str | None:
    """The directory of the top-level package a module belongs to, or the
    module's own file."""
    name = getattr(module, "__name__", "")
    top = sys.modules.get(name.split(".")[0]) if name else None
    for candidate in (top, module):
        paths = getattr(candidate, "__path__", None)
        if paths:
            return list(paths)[0]
        filename = getattr(candidate, "__file__", None)
        if filename:
            return filename
    return None


def linter_fingerprint(registry: "RuleRegistry") -> str:
    """A digest of copydesk and every loaded plugin: their rules and the
    content of the packages that define them (an editable install changes
    its rules without changing its version)."""
    import copydesk

    roots = {os.path.dirname(copydesk.__file__)}
    rules = []
    for rule in registry:
        rules.append((rule.code, rule.name, rule.plugin, int(rule.severity), rule.scope, rule.enabled_by_default))
        # The package that registered the rule and the one defining its check.
        for module in (sys.modules.get(rule.plugin), inspect.getmodule(rule.check)):
            root = _package_root(module) if module is not None else None
            if root is not None:
                roots.add(root)
    material = {
        "format": FORMAT_VERSION,
        "copydesk": copydesk.__version__,
        "python": list(sys.version_info[:2]),
        "rules": rules,
        "sources": sorted(_digest_tree(root) for root in roots),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def config_fingerprint(rules: Iterable["ConfiguredRule"]) -> str:
    material = [(c.rule.code, repr(c.cache_key), int(c.effective_severity)) for c in rules]
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()


def entry_key(*, linter: str, config: str, path: str, content_digest: str, encoding: str = "utf-8") -> str:
    # The path as given, not absolute: the configuration digest already
    # covers what depends on where the file is, and a cache restored into
    # another checkout directory still hits. The encoding decides the text
    # the same bytes decode to.
    material = "\0".join((linter, config, path, content_digest, encoding.lower()))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


# -- (de)serialising diagnostics ---------------------------------------------------


def diagnostic_to_data(diagnostic: Diagnostic) -> dict[str, Any]:
    fix = None
    if diagnostic.fix is not None:
        fix = [diagnostic.fix.message, [[e.start, e.end, e.replacement] for e in diagnostic.fix.edits]]
    return {
        "code": diagnostic.code,
        "rule": diagnostic.rule,
        "severity": int(diagnostic.severity),
        "message": diagnostic.message,
        "span": [diagnostic.start, diagnostic.end],
        "related": [[r.start, r.end, r.message] for r in diagnostic.related],
        "fix": fix,
    }


def diagnostic_from_data(data: dict[str, Any]) -> Diagnostic:
    fix = None
    if data["fix"] is not None:
        message, edits = data["fix"]
        fix = Fix(message, tuple(Edit(int(s), int(e), str(r)) for s, e, r in edits))
    start, end = data["span"]
    return Diagnostic(
        code=str(data["code"]),
        rule=str(data["rule"]),
        severity=Severity(int(data["severity"])),
        message=str(data["message"]),
        start=int(start),
        end=int(end),
        related=tuple(Related(int(s), int(e), str(m)) for s, e, m in data["related"]),
        fix=fix,
    )


# -- the store ----------------------------------------------------------------------


class ResultCache:
    """Entries on disk under ``root/v<FORMAT_VERSION>/<ab>/<key>.json``."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.directory = os.path.join(root, f"v{FORMAT_VERSION}")
        self.hits = 0
        self.misses = 0
        self._prepared = False

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key + ".json")

    def get(self, key: str) -> list[Diagnostic] | None:
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                data = json.loads(handle.read())
            diagnostics = [diagnostic_from_data(item) for item in data["diagnostics"]]
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        try:
            os.utime(path)  # used now: not pruned for another ENTRY_MAX_AGE
        except OSError:
            pass  # a read-only cache (restored in CI, shared) still serves
        return diagnostics

    def put(self, key: str, diagnostics: Iterable[Diagnostic]) -> None:
        payload = json.dumps(
            {"diagnostics": [diagnostic_to_data(d) for d in diagnostics]}, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        path = self._path(key)
        try:
            self._prepare()
            os.makedirs(os.path.dirname(path), exist_ok=True)
            descriptor, temporary = _mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".json")
        except OSError:
            return
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(payload)
            os.replace(temporary, path)
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass

    def _prepare(self) -> None:
        """Create the cache directory, marked so backups and git skip it."""
        if self._prepared:
            return
        os.makedirs(self.directory, exist_ok=True)
        for name, content in (
            (".gitignore", "# Created by copydesk\n*\n"),
            ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# copydesk's result cache\n"),
        ):
            marker = os.path.join(self.root, name)
            if not os.path.exists(marker):
                try:
                    with open(marker, "x", encoding="utf-8") as handle:
                        handle.write(content)
                except OSError:
                    pass  # another run made it first, or read-only: either is fine
        self._prepared = True

    def prune_if_due(self, now: float | None = None) -> int | None:
        """:meth:`prune`, if the last pruning was :data:`PRUNE_INTERVAL`
        ago or more (or never); the entries removed, or None if not due.
        Only a directory copydesk made (with its ``CACHEDIR.TAG``) is pruned."""
        now = time.time() if now is None else now
        if not os.path.isfile(os.path.join(self.root, "CACHEDIR.TAG")):
            return None
        marker = os.path.join(self.root, _PRUNE_MARKER)
        try:
            if now - os.stat(marker).st_mtime < PRUNE_INTERVAL:
                return None
        except OSError:
            pass  # never pruned
        try:
            with open(marker, "w", encoding="utf-8"):
                pass
            os.utime(marker, (now, now))
        except OSError:
            return None  # read-only: leave it to whoever owns it
        return self.prune(now)

    def prune(self, now: float | None = None, max_age: float = ENTRY_MAX_AGE) -> int:
        """Remove entries unused for ``max_age`` seconds (those of other
        entry formats too) and temporary files a killed run left; the number
        of entries removed. Best effort: a file another run removes or
        writes meanwhile is skipped."""
        now = time.time() if now is None else now
        removed = 0
        for version in _listing(self.root):
            if version[:1] != "v" or not version[1:].isdigit():
                continue
            for shard in _listing(os.path.join(self.root, version)):
                shard_path = os.path.join(self.root, version, shard)
                for name in _listing(shard_path):
                    temporary = name.startswith(".tmp-")
                    path = os.path.join(shard_path, name)
                    try:
                        if now - os.stat(path).st_mtime >= (TEMPORARY_MAX_AGE if temporary else max_age):
                            os.unlink(path)
                            removed += not temporary
                    except OSError:
                        continue
        return removed


def _listing(directory: str) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError:
        return []


def _mkstemp(**options: str) -> tuple[int, str]:
    import tempfile  # imported when first writing: it costs start-up time

    return tempfile.mkstemp(**options)


def remove_cache(root: str) -> bool:
    """Delete a cache directory; False if there is none.

    Refuses (``ValueError``) a directory without copydesk's ``CACHEDIR.TAG``,
    so a mistyped ``--cache-dir`` cannot delete someone's files.
    """
    if not os.path.lexists(root):
        return False
    if os.path.islink(root) or not os.path.isfile(os.path.join(root, "CACHEDIR.TAG")):
        raise ValueError("not a copydesk cache (no CACHEDIR.TAG); left alone")
    import shutil

    shutil.rmtree(root)
    return True
