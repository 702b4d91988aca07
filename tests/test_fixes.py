"""Applying fixes: whole or not at all, line endings kept, files replaced
atomically, never over a file that changed, and idempotent."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from copydesk.api import FileError
from copydesk.diagnostics import Diagnostic, Edit, Fix, Severity
from copydesk.files import read_source
from copydesk.fixes import FileChangedError, apply_fixes, line_ending, write_fixed


def _diagnostic(*edits: tuple[int, int, str], message: str = "fix") -> Diagnostic:
    fix = Fix(message, tuple(Edit(s, e, r) for s, e, r in edits))
    start = min(s for s, _e, _r in edits)
    return Diagnostic("TST001", "zebra-word", Severity.WARNING, "m", start, start, fix=fix)


def test_non_overlapping_fixes_are_applied_together():
    text = "one zebra, two zebra"
    outcome = apply_fixes(text, [_diagnostic((15, 20, "horse")), _diagnostic((4, 9, "horse"))])
    assert outcome.text == "one horse, two horse"
    assert outcome.applied == 2


def test_an_overlapping_fix_waits_and_a_fix_is_all_or_nothing():
    text = "abcdef"
    first = _diagnostic((0, 3, "X"))
    clashing = _diagnostic((2, 4, "Y"), (5, 6, "Z"))  # one edit overlaps: none of it applies
    outcome = apply_fixes(text, [clashing, first])
    assert outcome.text == "Xdef"
    assert outcome.applied == 1


def test_insertions_at_the_same_point_are_not_both_applied():
    outcome = apply_fixes("ab", [_diagnostic((1, 1, "X")), _diagnostic((1, 1, "Y"))])
    assert outcome.text in ("aXb", "aYb")
    assert outcome.applied == 1


def test_a_fix_that_changes_nothing_is_not_counted():
    outcome = apply_fixes("horse", [_diagnostic((0, 5, "horse"))])
    assert outcome.text == "horse" and outcome.applied == 0


def test_fix_outside_the_text_is_skipped():
    outcome = apply_fixes("abc", [_diagnostic((2, 9, "X"))])
    assert outcome.text == "abc" and outcome.applied == 0


@pytest.mark.parametrize("ending", ["\r\n", "\r", "\n"])
def test_replacements_take_the_files_line_ending(ending):
    text = f"first{ending}SPLIT{ending}"
    outcome = apply_fixes(text, [_diagnostic((len("first") + len(ending), len("first") + len(ending) + 5, "a\nb"))])
    assert outcome.text == f"first{ending}a{ending}b{ending}"
    assert line_ending(outcome.text) == ending


def _source(path, data: bytes):
    path.write_bytes(data)
    return read_source(str(path))


def test_write_keeps_bom_crlf_and_permissions(tmp_path):
    path = tmp_path / "story.txt"
    source = _source(path, b"\xef\xbb\xbfA zebra.\r\nTwo.\r\n")
    path.chmod(0o640)
    fixed = apply_fixes(source.text, [_diagnostic((2, 7, "horse"))]).text
    assert write_fixed(source, fixed) is True
    assert path.read_bytes() == b"\xef\xbb\xbfA horse.\r\nTwo.\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [name for name in os.listdir(tmp_path)] == ["story.txt"]  # no temporary file left


def test_write_keeps_the_encoding(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("café zebra".encode("latin-1"))
    source = read_source(str(path), encoding="latin-1")
    write_fixed(source, "café horse")
    assert path.read_bytes() == "café horse".encode("latin-1")


def test_write_replaces_the_file_atomically(tmp_path):
    """A reader never sees a half-written file: the inode is swapped whole."""
    path = tmp_path / "story.txt"
    source = _source(path, b"old " * 1000)
    before = path.stat().st_ino
    write_fixed(source, "new " * 1000)
    assert path.read_bytes() == b"new " * 1000
    assert path.stat().st_ino != before


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symbolic_link_stays_a_link(tmp_path):
    target = tmp_path / "real.txt"
    link = tmp_path / "link.txt"
    target.write_bytes(b"zebra")
    os.symlink("real.txt", link)
    source = read_source(str(link))
    write_fixed(source, "horse")
    assert link.is_symlink()
    assert target.read_bytes() == b"horse"


def test_refuses_when_the_file_changed_since_it_was_read(tmp_path):
    path = tmp_path / "story.txt"
    source = _source(path, b"A zebra.")
    path.write_bytes(b"A zebra, edited by someone else.")
    with pytest.raises(FileChangedError) as raised:
        write_fixed(source, "A horse.")
    assert raised.value.reason == "not fixed: the file changed since it was read"
    assert path.read_bytes() == b"A zebra, edited by someone else."
    assert os.listdir(tmp_path) == ["story.txt"]


def test_refuses_when_the_file_was_deleted(tmp_path):
    path = tmp_path / "story.txt"
    source = _source(path, b"A zebra.")
    path.unlink()
    with pytest.raises(FileChangedError):
        write_fixed(source, "A horse.")
    assert not path.exists()


def test_unchanged_text_is_not_written(tmp_path):
    path = tmp_path / "story.txt"
    source = _source(path, b"A horse.")
    before = path.stat().st_ino
    assert write_fixed(source, "A horse.") is False
    assert path.stat().st_ino == before


def test_a_failed_write_leaves_the_original_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "story.txt"
    source = _source(path, b"A zebra.")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(FileError) as raised:
        write_fixed(source, "A horse.")
    assert raised.value.reason == "cannot write the fix: No space left on device"
    assert path.read_bytes() == b"A zebra."
    assert os.listdir(tmp_path) == ["story.txt"]


def test_concurrent_readers_see_old_or_new_never_partial(tmp_path):
    path = tmp_path / "story.txt"
    old, new = b"zebra " * 20000, b"horse " * 20000
    source = _source(path, old)
    seen: set[bytes] = set()
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            seen.add(path.read_bytes())

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        write_fixed(source, new.decode())
    finally:
        stop.set()
        thread.join()
    assert seen <= {old, new}
    assert path.read_bytes() == new
