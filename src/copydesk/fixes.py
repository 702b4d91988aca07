"""Applying fixes to text, and writing fixed files safely.

:func:`apply_fixes` applies every fix it can to a text in one pass: fixes
are taken in order of position and one that overlaps a fix already taken
waits for the next pass (the caller re-lints and applies again, as ruff
does, until nothing changes). Line breaks in replacements follow the
file's own (CRLF stays CRLF).

:func:`write_fixed` replaces a file atomically: the new bytes go to a
temporary file in the same directory, flushed to disk, given the original's
permissions, then :func:`os.replace` swaps it in, so a reader sees the old
file or the new one and never half of either. It refuses -- the file is
left alone -- if the file changed since it was read. A symbolic link is
kept: the file it points to is replaced.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterable

from copydesk.api import FileError
from copydesk.diagnostics import Diagnostic, Edit
from copydesk.files import BOM_UTF8, Source

#: Re-lint-and-fix rounds before giving up on fixes that keep producing fixes.
MAX_FIX_PASSES = 10

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class FileChangedError(FileError):
    """The file on disk is no longer what was linted."""


@dataclass(frozen=True)
class FixOutcome:
    text: str
    #: How many diagnostics' fixes were applied.
    applied: int


def line_ending(text: str) -> str:
    """The text's first line break (``\\n`` for a text without one)."""
    match = _LINE_BREAK.search(text)
    return match.group() if match else "\n"


def _with_line_ending(replacement: str, ending: str) -> str:
    if ending == "\n" or not _LINE_BREAK.search(replacement):
        return replacement
    return _LINE_BREAK.sub(ending, replacement)


def apply_fixes(text: str, diagnostics: Iterable[Diagnostic]) -> FixOutcome:
    """``text`` with every non-overlapping fix applied (one pass).

    A fix is applied whole or not at all. Two fixes overlap when an edit of
    one touches the span of an edit of the other; insertions at the same
    point overlap too, as their order would be arbitrary.
    """
    ending = line_ending(text)
    candidates = [d.fix for d in diagnostics if d.fix is not None and d.fix.edits]
    candidates.sort(key=lambda fix: (min(e.start for e in fix.edits), max(e.end for e in fix.edits)))
    taken: list[Edit] = []
    applied = 0
    for fix in candidates:
        edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
        if any(not (0 <= e.start <= e.end <= len(text)) for e in edits):
            continue
        if _overlaps_itself(edits) or any(_overlap(edit, other) for edit in edits for other in taken):
            continue
        useful = [e for e in edits if text[e.start : e.end] != _with_line_ending(e.replacement, ending)]
        if not useful:
            continue  # already as the fix wants it: applying it again changes nothing
        taken.extend(useful)
        applied += 1
    if not taken:
        return FixOutcome(text, 0)
    pieces: list[str] = []
    position = 0
    for edit in sorted(taken, key=lambda e: (e.start, e.end)):
        pieces.append(text[position : edit.start])
        pieces.append(_with_line_ending(edit.replacement, ending))
        position = edit.end
    pieces.append(text[position:])
    return FixOutcome("".join(pieces), applied)


def _overlap(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:
        return b.start <= a.start <= b.end or a.start <= b.start <= a.end
    return a.start < b.end and b.start < a.end


def _overlaps_itself(edits: list[Edit]) -> bool:
    return any(_overlap(edits[i], edits[i + 1]) for i in range(len(edits) - 1))


def encode_like(source: Source, text: str) -> bytes:
    """``text`` encoded as ``source`` was: its encoding, and its BOM if it had one."""
    data = text.encode(source.encoding)
    if source.has_bom and not data.startswith(BOM_UTF8):
        data = BOM_UTF8 + data
    return data


def write_fixed(source: Source, text: str) -> bool:
    """Write ``text`` over the file ``source`` was read from, atomically.

    Returns False (and writes nothing) when the text is what the file holds.
    Raises :class:`FileChangedError` if the file changed since it was read,
    :class:`FileError` if it cannot be written.
    """
    if text == source.text:
        return False
    data = encode_like(source, text)
    target = os.path.realpath(source.path)
    _ensure_unchanged(source, target)
    directory = os.path.dirname(target) or "."
    try:
        info = os.stat(target)
        descriptor, temporary = _mkstemp(
            dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".copydesk-fix"
        )
    except OSError as error:
        raise FileError(source.path, f"cannot write the fix: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, info.st_mode & 0o7777)
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != _owner(temporary):
            try:
                os.chown(temporary, info.st_uid, info.st_gid)
            except OSError:
                pass  # only root can give a file away; keep ours
        # Checked again at the last moment: an editor may have saved meanwhile.
        _ensure_unchanged(source, target)
        os.replace(temporary, target)
    except BaseException as error:
        _remove_quietly(temporary)
        if isinstance(error, FileError):
            raise
        if isinstance(error, OSError):
            raise FileError(source.path, f"cannot write the fix: {error.strerror or error}") from None
        raise
    _sync_directory(directory)
    return True


def _ensure_unchanged(source: Source, target: str) -> None:
    try:
        with open(target, "rb") as handle:
            info = os.fstat(handle.fileno())
            current = handle.read(len(source.data) + 1)
    except OSError as error:
        raise FileChangedError(source.path, f"not fixed: the file can no longer be read ({error.strerror or error})") from None
    stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
    if current != source.data or (source.stamp is not None and stamp != source.stamp):
        raise FileChangedError(source.path, "not fixed: the file changed since it was read")


def _owner(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_directory(directory: str) -> None:
    # Makes the rename itself durable; not every platform allows it.
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _mkstemp(**options: str) -> tuple[int, str]:
    import tempfile  # imported when first writing: it costs start-up time

    return tempfile.mkstemp(**options)
