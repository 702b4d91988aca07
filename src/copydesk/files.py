"""Finding the files to lint, and reading them without ever crashing.

:func:`discover` turns what was typed on the command line into files:
explicit files are taken as they are, directories are walked for the
suffixes the configuration lints (``.txt``, ``.md``, ``.markdown`` and
``extensions``), skipping configured ``exclude`` patterns and whatever the
``.gitignore`` files on the way ignore. Anything that cannot be found comes
back as a :class:`FileError` in the same stream, so the caller reports it
and carries on.

:func:`read_source` reads one file and turns every way that can go wrong --
missing, a directory, unreadable, a symbolic link loop, a FIFO, too large,
binary, not valid in its encoding -- into a :class:`FileError` with a short
reason. Nothing here raises anything else for a bad file.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from copydesk._record import Record, set_field
from copydesk.api import FileError
from copydesk.config import DEFAULT_ENCODING, DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from copydesk.config import Settings

#: The effective settings for a path (``Session.settings_for``).
SettingsFor = Callable[[str], "Settings"]

STDIN = "-"
BOM_UTF8 = b"\xef\xbb\xbf"


class Target(Record):
    """A file to lint. ``path`` is as the user will see it in the output."""

    __slots__ = ("path", "explicit", "stdin")
    path: str
    #: Named on the command line (linted whatever its suffix).
    explicit: bool
    stdin: bool

    def __init__(self, path: str, explicit: bool = False, stdin: bool = False) -> None:
        set_field(self, "path", path)
        set_field(self, "explicit", explicit)
        set_field(self, "stdin", stdin)


class Source(Record):
    """A file read and decoded. ``text`` has no BOM; ``data`` is the raw bytes."""

    __slots__ = ("path", "data", "text", "encoding", "stamp")
    path: str
    data: bytes
    text: str
    encoding: str
    #: (st_mtime_ns, st_size, st_ino) when read; None for standard input.
    stamp: tuple[int, int, int] | None

    def __init__(self, path: str, data: bytes, text: str, encoding: str, stamp: tuple[int, int, int] | None = None) -> None:
        set_field(self, "path", path)
        set_field(self, "data", data)
        set_field(self, "text", text)
        set_field(self, "encoding", encoding)
        set_field(self, "stamp", stamp)

    @property
    def has_bom(self) -> bool:
        return self.data.startswith(BOM_UTF8) and self.encoding.replace("_", "-").lower() in ("utf-8", "utf8", "utf-8-sig")

    @property
    def digest(self) -> str:
        import hashlib  # only the result cache asks for it

        return hashlib.sha256(self.data).hexdigest()


# -- reading ------------------------------------------------------------------


def describe_size(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return "no such file or directory"
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EISDIR:
        return "is a directory"
    if error.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return (error.strerror or str(error)).lower()


def _too_large(size: int, limit: int) -> str:
    return f"file is {describe_size(size)}, over the {describe_size(limit)} limit (--max-file-size)"


def decode_source(path: str, data: bytes, encoding: str = DEFAULT_ENCODING) -> str:
    """Decoded text of ``data``, or :class:`FileError` saying where it is not text."""
    from copydesk.document import DecodeError, decode

    try:
        text = decode(data, encoding)
    except DecodeError as error:
        raise FileError(path, error.reason) from None
    if not text:
        # Usually a failed export or a truncated copy: worth saying, not passing.
        raise FileError(path, "empty file: nothing to lint")
    return text


def read_source(
    path: str,
    *,
    encoding: str = DEFAULT_ENCODING,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
) -> Source:
    """Read and decode one file; every failure is a :class:`FileError`."""
    try:
        info = os.stat(path)
    except OSError as error:
        if error.errno == errno.ENOENT and os.path.islink(path):
            raise FileError(path, "broken symbolic link") from None
        raise FileError(path, _os_reason(error)) from None
    except ValueError:  # e.g. a NUL character in the name
        raise FileError(path, "invalid file name") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileError(path, "is a directory")
    if not stat.S_ISREG(info.st_mode):
        # Reading a FIFO or a device could block forever or never end.
        raise FileError(path, "not a regular file")
    if info.st_size > max_size:
        raise FileError(path, _too_large(info.st_size, max_size))
    try:
        with open(path, "rb") as handle:
            # The file may grow between stat and read: never read past the limit.
            data = handle.read(max_size + 1)
            opened = os.fstat(handle.fileno())
    except OSError as error:
        raise FileError(path, _os_reason(error)) from None
    if len(data) > max_size:
        raise FileError(path, _too_large(len(data), max_size))
    text = decode_source(path, data, encoding)
    stamp = (opened.st_mtime_ns, opened.st_size, opened.st_ino)
    return Source(path=path, data=data, text=text, encoding=encoding, stamp=stamp)


def read_stdin(
    display_path: str,
    *,
    encoding: str = DEFAULT_ENCODING,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
    stream: object = None,
) -> Source:
    """Read standard input (bytes), with the same checks as a file."""
    buffer = stream if stream is not None else sys.stdin.buffer
    try:
        data = buffer.read(max_size + 1)  # type: ignore[attr-defined]
    except OSError as error:
        raise FileError(display_path, _os_reason(error)) from None
    if isinstance(data, str):  # a text stream given in tests
        data = data.encode("utf-8")
    if len(data) > max_size:
        raise FileError(display_path, f"input is over the {describe_size(max_size)} limit (--max-file-size)")
    text = decode_source(display_path, data, encoding)
    return Source(path=display_path, data=data, text=text, encoding=encoding)


# -- discovery ------------------------------------------------------------------


class GitIgnore:
    """The ``.gitignore`` files that apply below a directory, read lazily.

    Git semantics: a pattern in ``dir/.gitignore`` is relative to ``dir``,
    deeper files override shallower ones, the last matching pattern wins,
    and nothing below an ignored directory can be re-included (the walk
    never enters it). Patterns from directories above the walk's start apply
    too, up to the root of the git work tree.
    """

    def __init__(self) -> None:
        self._specs: dict[str, object | None] = {}

    def _spec(self, directory: str) -> object | None:
        if directory not in self._specs:
            spec = None
            try:
                with open(os.path.join(directory, ".gitignore"), encoding="utf-8", errors="replace") as handle:
                    lines = handle.read().split("\n")
            except OSError:
                lines = []
            if any(line.strip() and not line.lstrip().startswith("#") for line in lines):
                import pathspec

                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            self._specs[directory] = spec
        return self._specs[directory]

    def ignored(self, path: str, is_dir: bool, levels: list[str]) -> bool:
        """Whether ``path`` is ignored by the .gitignore files in ``levels``
        (absolute directories, outermost first)."""
        for directory in reversed(levels):
            spec = self._spec(directory)
            if spec is None:
                continue
            relative = os.path.relpath(path, directory).replace(os.sep, "/")
            if is_dir:
                relative += "/"
            result = spec.check_file(relative)  # type: ignore[attr-defined]
            if result.include is not None:
                return bool(result.include)
        return False


def _git_levels(start: str) -> list[str]:
    """Directories from the git work tree's root down to ``start`` whose
    .gitignore files apply there; just ``start`` outside a work tree."""
    levels = [start]
    current = start
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return list(reversed(levels))
        parent = os.path.dirname(current)
        if parent == current:
            return [start]
        current = parent
        levels.append(current)


def discover(
    paths: Iterable[str],
    settings_for: SettingsFor,
    *,
    respect_gitignore: bool = True,
    force_exclude: bool = False,
) -> Iterator[Target | FileError]:
    """Files to lint for command-line ``paths``, in a stable order.

    Explicit files are always linted (unless ``force_exclude`` and they
    match ``exclude``, which is what a pre-commit hook passing every changed
    file wants); directories are walked. Each file is yielded once.
    """
    gitignore = GitIgnore() if respect_gitignore else None
    seen: set[tuple[int, int]] = set()
    for given in paths:
        if given == STDIN:
            yield Target(STDIN, explicit=True, stdin=True)
            continue
        try:
            info = os.stat(given)
        except OSError as error:
            if error.errno == errno.ENOENT and os.path.islink(given):
                yield FileError(given, "broken symbolic link")
            else:
                yield FileError(given, _os_reason(error))
            continue
        except ValueError:
            yield FileError(given, "invalid file name")
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(given, settings_for, gitignore, seen)
            continue
        if force_exclude and settings_for(given).is_excluded(given):
            continue
        key = (info.st_dev, info.st_ino)
        if key not in seen:
            seen.add(key)
            yield Target(given, explicit=True)


def _walk(
    root: str,
    settings_for: SettingsFor,
    gitignore: GitIgnore | None,
    seen: set[tuple[int, int]],
) -> Iterator[Target | FileError]:
    """Files under ``root``: each directory's files, then its subdirectories,
    depth first, in name order. Iterative, so no depth of nesting can
    exhaust the stack."""
    absolute_root = os.path.abspath(root)
    levels = _git_levels(absolute_root) if gitignore is not None else []
    # Directories already entered, by device and inode: a symbolic link
    # pointing back up the tree is walked once, not forever.
    visited: set[tuple[int, int]] = set()
    pending: list[tuple[str, str, list[str]]] = [(root, absolute_root, levels)]
    while pending:
        display, absolute, levels = pending.pop()
        subdirectories: list[tuple[str, str, list[str]]] = []
        yield from _walk_directory(display, absolute, levels, settings_for, gitignore, seen, visited, subdirectories)
        pending.extend(reversed(subdirectories))


def _walk_directory(
    display: str,
    absolute: str,
    levels: list[str],
    settings_for: SettingsFor,
    gitignore: GitIgnore | None,
    seen: set[tuple[int, int]],
    visited: set[tuple[int, int]],
    subdirectories: list[tuple[str, str, list[str]]],
) -> Iterator[Target | FileError]:
    """Files of one directory; its subdirectories to walk go in ``subdirectories``."""
    try:
        info = os.stat(absolute)
    except OSError as error:
        yield FileError(display, _os_reason(error))
        return
    identity = (info.st_dev, info.st_ino)
    if identity in visited:
        return
    visited.add(identity)
    try:
        with os.scandir(absolute) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield FileError(display, _os_reason(error))
        return
    settings = settings_for(os.path.join(absolute, "-"))
    # A directory named on the command line is walked even if it matches
    # ``exclude`` (say, ``build``); its own name then excludes nothing below it.
    inside_excluded = settings.is_excluded(absolute)
    if levels and levels[-1] != absolute:
        levels = levels + [absolute]
    for entry in entries:
        entry_display = entry.name if display in (".", "./") else os.path.join(display, entry.name)
        try:
            is_dir = entry.is_dir()  # follows symbolic links
            is_file = not is_dir and entry.is_file()
        except OSError as error:
            yield FileError(entry_display, _os_reason(error))
            continue
        if not is_dir and not is_file:
            if entry.is_symlink() and settings.lints_suffix(entry.name):
                reason = "symbolic link loop" if _is_loop(entry.path) else "broken symbolic link"
                yield FileError(entry_display, reason)
            continue
        if is_file and not settings.lints_suffix(entry.name):
            continue
        if entry.name == ".git" or (settings.is_excluded(entry.path) and not inside_excluded):
            continue
        if gitignore is not None and gitignore.ignored(entry.path, is_dir, levels):
            continue
        if is_dir:
            subdirectories.append((entry_display, entry.path, levels))
            continue
        try:
            entry_info = entry.stat()
        except OSError as error:
            yield FileError(entry_display, _os_reason(error))
            continue
        # By identity, so a file reached through two links is linted once.
        key = (entry_info.st_dev, entry_info.st_ino)
        if key not in seen:
            seen.add(key)
            yield Target(entry_display)


def _is_loop(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as given, with ``./`` dropped, for output."""
    text = os.fspath(path)
    while text.startswith("./") and len(text) > 2:
        text = text[2:]
    return text


__all__ = [
    "FileError",
    "GitIgnore",
    "STDIN",
    "Source",
    "Target",
    "decode_source",
    "discover",
    "display_path",
    "read_source",
    "read_stdin",
]
