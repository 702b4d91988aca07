"""Finding files to lint and reading them: every bad file is one clear reason."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from copydesk.api import FileError, Session
from copydesk.files import Target, discover, read_source, read_stdin


def _write(path: Path, text: str = "Copy.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _found(paths, *, cwd: Path, config: str | None = None, **options) -> tuple[list[str], list[str]]:
    """(files, errors) discovered from ``cwd``, as relative POSIX paths."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        session = Session(config_path=config)
        files, errors = [], []
        for item in discover(paths, session.settings_for, **options):
            if isinstance(item, Target):
                files.append(item.path.replace(os.sep, "/"))
            else:
                errors.append(f"{item.path}: {item.reason}")
        return files, errors
    finally:
        os.chdir(old)


def test_directories_are_walked_for_copy_suffixes_in_order(tmp_path):
    for name in ("b.txt", "a.md", "c.markdown", "d.MD", "notes.rst", "code.py", "sub/e.txt", "sub/deeper/f.md"):
        _write(tmp_path / "copy" / name)
    files, errors = _found(["copy"], cwd=tmp_path)
    assert files == ["copy/a.md", "copy/b.txt", "copy/c.markdown", "copy/d.MD", "copy/sub/e.txt", "copy/sub/deeper/f.md"]
    assert errors == []


def test_explicit_files_are_linted_whatever_their_suffix(tmp_path):
    _write(tmp_path / "notes.rst")
    files, _ = _found(["notes.rst"], cwd=tmp_path)
    assert files == ["notes.rst"]


def test_configured_extensions_and_excludes(tmp_path):
    (tmp_path / ".copydesk.toml").write_text('extensions = ["rst"]\nextend-exclude = ["drafts", "archive/old"]\n')
    for name in ("a.rst", "b.txt", "drafts/c.txt", "archive/old/d.txt", "archive/new/e.txt", "build/f.txt"):
        _write(tmp_path / name)
    files, errors = _found(["."], cwd=tmp_path)
    # build/ is skipped by the default excludes, which extend-exclude keeps.
    assert files == ["a.rst", "b.txt", "archive/new/e.txt"]
    assert errors == []


def test_a_directory_named_explicitly_is_walked_even_if_excluded(tmp_path):
    _write(tmp_path / "build" / "story.txt")
    _write(tmp_path / "other.txt")
    assert _found(["build"], cwd=tmp_path)[0] == ["build/story.txt"]
    assert _found(["."], cwd=tmp_path)[0] == ["other.txt"]


def test_walk_order_is_files_then_subdirectories(tmp_path):
    for name in ("z.txt", "a/b.txt"):
        _write(tmp_path / name)
    files, _ = _found(["."], cwd=tmp_path)
    assert files == ["z.txt", "a/b.txt"]


def test_exclude_does_not_drop_explicit_files_unless_forced(tmp_path):
    (tmp_path / ".copydesk.toml").write_text('extend-exclude = ["drafts"]\n')
    _write(tmp_path / "drafts" / "c.txt")
    assert _found(["drafts/c.txt"], cwd=tmp_path)[0] == ["drafts/c.txt"]
    assert _found(["drafts/c.txt"], cwd=tmp_path, force_exclude=True)[0] == []


def test_gitignore_is_respected_with_nesting_and_negation(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("*.md\n!keep.md\nignored-dir/\n")
    _write(tmp_path / "sub" / ".gitignore", "secret.txt\n!b.md\n")
    for name in ("a.md", "keep.md", "a.txt", "ignored-dir/x.txt", "sub/secret.txt", "sub/b.md", "sub/c.md", "sub/d.txt"):
        _write(tmp_path / name)
    files, _ = _found(["."], cwd=tmp_path)
    assert files == ["a.txt", "keep.md", "sub/b.md", "sub/d.txt"]
    # .gitignore files above the walked directory apply too, up to the work tree root.
    files, _ = _found(["sub"], cwd=tmp_path)
    assert files == ["sub/b.md", "sub/d.txt"]
    files, _ = _found(["."], cwd=tmp_path, respect_gitignore=False)
    assert "a.md" in files and "ignored-dir/x.txt" in files


def test_gitignore_outside_a_work_tree_applies_from_the_walked_directory(tmp_path):
    _write(tmp_path / "copy" / ".gitignore", "skip.txt\n")
    _write(tmp_path / "copy" / "skip.txt")
    _write(tmp_path / "copy" / "keep.txt")
    files, _ = _found(["copy"], cwd=tmp_path)
    assert files == ["copy/keep.txt"]


def test_deep_nesting_does_not_exhaust_the_stack(tmp_path):
    import sys

    depth = 150
    path = tmp_path
    for _ in range(depth):
        path = path / "d"
    _write(path / "deep.txt")
    frames, frame = 0, sys._getframe()
    while frame is not None:
        frames, frame = frames + 1, frame.f_back
    # Less stack than the tree is deep: a recursive walk would raise RecursionError.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(frames + 80)
    try:
        files, errors = _found(["d"], cwd=tmp_path)
    finally:
        sys.setrecursionlimit(limit)
        _remove_bottom_up(tmp_path / "d")
    assert errors == []
    assert files == ["/".join(["d"] * depth) + "/deep.txt"]


def _remove_bottom_up(top):
    # pytest's own clean-up of old temporary directories recurses, and a
    # tree this deep would exhaust its stack in a later run.
    for root, dirs, names in os.walk(top, topdown=False):
        for name in names:
            os.unlink(os.path.join(root, name))
        for name in dirs:
            os.rmdir(os.path.join(root, name))
    os.rmdir(top)


def test_missing_paths_are_errors_and_others_still_found(tmp_path):
    _write(tmp_path / "a.txt")
    files, errors = _found(["missing.txt", "a.txt"], cwd=tmp_path)
    assert files == ["a.txt"]
    assert errors == ["missing.txt: no such file or directory"]


def test_each_file_is_found_once(tmp_path):
    _write(tmp_path / "d" / "a.txt")
    files, _ = _found(["d", "d/a.txt", "d"], cwd=tmp_path)
    assert files == ["d/a.txt"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_loops_in_a_walk_end_and_are_reported(tmp_path):
    _write(tmp_path / "d" / "a.txt")
    os.symlink(tmp_path / "d", tmp_path / "d" / "back")  # a directory cycle
    os.symlink("self.txt", tmp_path / "d" / "self.txt")  # a file link to itself
    os.symlink("nowhere.txt", tmp_path / "d" / "dangling.txt")
    files, errors = _found(["d"], cwd=tmp_path)
    assert files == ["d/a.txt"]
    assert sorted(errors) == ["d/dangling.txt: broken symbolic link", "d/self.txt: symbolic link loop"]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"abc\x00def", "binary file (NUL byte at byte 3)"),
        ("naïve".encode("latin-1"), "not valid utf-8 at byte 2 (invalid continuation byte)"),
        (b"\xef\xbb\xbfok \xff", "not valid utf-8 at byte 6 (invalid start byte)"),
    ],
)
def test_undecodable_files_say_where(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(FileError) as raised:
        read_source(str(path))
    assert raised.value.reason == reason


def test_other_encodings_read_with_encoding(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("naïve café".encode("latin-1"))
    assert read_source(str(path), encoding="latin-1").text == "naïve café"


def test_bom_is_dropped_and_bytes_kept(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHello\r\n")
    source = read_source(str(path))
    assert source.text == "Hello\r\n"
    assert source.has_bom and source.data.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf"])
def test_an_empty_file_is_reported(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(FileError, match="empty file: nothing to lint"):
        read_source(str(path))


def test_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(FileError) as raised:
        read_source(str(path), max_size=1024)
    assert raised.value.reason == "file is 2 kB, over the 1 kB limit (--max-file-size)"
    assert read_source(str(path), max_size=2048).text == "a" * 2048


def test_directory_missing_fifo(tmp_path):
    with pytest.raises(FileError, match="is a directory"):
        read_source(str(tmp_path))
    with pytest.raises(FileError, match="no such file or directory"):
        read_source(str(tmp_path / "nope.txt"))
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.txt")
        with pytest.raises(FileError, match="not a regular file"):
            read_source(str(tmp_path / "pipe.txt"))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable(tmp_path):
    path = _write(tmp_path / "secret.txt")
    path.chmod(0)
    with pytest.raises(FileError, match="permission denied"):
        read_source(str(path))


def test_unreadable_even_as_root(tmp_path, monkeypatch):
    import builtins

    path = _write(tmp_path / "secret.txt")
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    with pytest.raises(FileError) as raised:
        read_source(str(path))
    assert raised.value.reason == "permission denied"


def test_stdin_reads_bytes_with_the_same_checks():
    import io

    assert read_stdin("-", stream=io.BytesIO("\ufeffcafé".encode("utf-8"))).text == "café"
    with pytest.raises(FileError, match="binary file"):
        read_stdin("story.txt", stream=io.BytesIO(b"a\x00b"))
    with pytest.raises(FileError, match="over the 4 bytes limit"):
        read_stdin("-", stream=io.BytesIO(b"abcdef"), max_size=4)
