"""Linting many files: processes give the same results as one, and the
content-hash cache gives the same results as linting afresh."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from copydesk.files import Target
from copydesk.runner import FileLinter, RunOptions, run

import cli_fixture_plugin  # noqa: F401  (imported by name through RunOptions.plugins)

PLUGIN = ("cli_fixture_plugin",)


def _archive(root: Path, count: int = 24) -> list[Target]:
    targets = []
    for number in range(count):
        path = root / f"story{number:03}.txt"
        zebras = " ".join(["zebra"] * (number % 4))
        path.write_text(f"Story {number}. {zebras}\r\n\r\nAnother “paragraph” 🦓 zebra.\n", encoding="utf-8")
        targets.append(Target(str(path)))
    return targets


def _summary(results) -> list[tuple]:
    return [
        (r.path, r.error, [(d.code, d.start, d.end, d.message, d.related, d.fix) for d in r.diagnostics])
        for r in results
    ]


def test_processes_give_the_same_results_in_the_same_order(tmp_path):
    targets = _archive(tmp_path)
    targets.insert(5, Target(str(tmp_path / "missing.txt")))
    options = RunOptions(select=("TST001",), plugins=PLUGIN)
    serial = run(targets, options, jobs=1)
    parallel = run(targets, options, jobs=2)
    assert _summary(parallel) == _summary(serial)
    assert [r.path for r in parallel] == [t.path for t in targets]
    assert serial[5].error == "no such file or directory"
    assert sum(len(r.diagnostics) for r in serial) == sum(number % 4 + 1 for number in range(24))


def test_spawned_workers_give_the_same_results(tmp_path, monkeypatch):
    """macOS and Windows cannot fork: workers start afresh and load the rules themselves."""
    import multiprocessing

    from copydesk import runner

    targets = _archive(tmp_path, 6)
    options = RunOptions(select=("TST001",), plugins=PLUGIN)
    monkeypatch.setattr(runner, "_process_context", lambda: multiprocessing.get_context("spawn"))
    assert _summary(run(targets, options, jobs=2)) == _summary(run(targets, options, jobs=1))


def test_progress_is_reported_for_every_file(tmp_path):
    targets = _archive(tmp_path, 6)
    seen = []
    run(targets, RunOptions(select=("TST001",), plugins=PLUGIN), jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 6) for n in range(1, 7)]


def test_cache_hit_gives_the_same_results_without_linting(tmp_path, monkeypatch):
    targets = _archive(tmp_path, 5)
    options = RunOptions(select=("TST001",), plugins=PLUGIN, cache_dir=str(tmp_path / "cache"))
    first = run(targets, options)
    assert not any(r.cached for r in first)
    assert (tmp_path / "cache" / ".gitignore").read_text().endswith("*\n")
    assert (tmp_path / "cache" / "CACHEDIR.TAG").exists()

    linter = FileLinter(options)

    def no_linting(*args, **kwargs):
        raise AssertionError("linted although cached")

    monkeypatch.setattr(linter.session, "lint_text", no_linting)
    second = [linter.lint(target) for target in targets]
    assert all(r.cached for r in second)
    assert _summary(second) == _summary(first)


def test_no_cache_bypasses_the_cache(tmp_path):
    targets = _archive(tmp_path, 3)
    cached = RunOptions(select=("TST001",), plugins=PLUGIN, cache_dir=str(tmp_path / "cache"))
    run(targets, cached)
    uncached = run(targets, RunOptions(select=("TST001",), plugins=PLUGIN, cache_dir=None))
    assert not any(r.cached for r in uncached)


def test_cache_key_follows_content_config_and_path(tmp_path):
    targets = _archive(tmp_path, 1)
    path = Path(targets[0].path)
    options = RunOptions(select=("TST001",), plugins=PLUGIN, cache_dir=str(tmp_path / "cache"))
    run(targets, options)
    assert run(targets, options)[0].cached
    # Other rules selected: another configuration, another entry.
    other = RunOptions(select=("TST001", "TST003"), plugins=PLUGIN, cache_dir=str(tmp_path / "cache"))
    assert not run(targets, other)[0].cached
    # Content changed (even keeping size and mtime): another entry.
    stat = path.stat()
    data = path.read_bytes().replace(b"Story", b"Stori")
    path.write_bytes(data)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = run(targets, options)[0]
    assert not result.cached
    assert "Stori" in result.text


def test_cache_key_follows_the_encoding(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes("zebra caf\u00e9".encode("utf-8"))
    cache_dir = str(tmp_path / "cache")
    utf8 = RunOptions(select=("TST001",), plugins=PLUGIN, cache_dir=cache_dir)
    latin = RunOptions(select=("TST001",), plugins=PLUGIN, cache_dir=cache_dir, overrides=(("encoding", "latin-1"),))
    assert run([Target(str(path))], utf8)[0].text == "zebra caf\u00e9"
    result = run([Target(str(path))], latin)[0]
    assert not result.cached
    assert result.text == "zebra caf\u00c3\u00a9"


def test_a_changed_plugin_invalidates_the_cache(tmp_path, monkeypatch):
    package = tmp_path / "plugins" / "house_rules_for_cache_test"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from copydesk.plugin import Finding, hookimpl, rule\n"
        "from .helpers import WORD\n"
        "@rule('TSC001', 'cache-word', 'A word.')\n"
        "def cache_word(doc, options):\n"
        "    start = doc.prose.find(WORD)\n"
        "    if start >= 0:\n"
        "        yield Finding(start, start + len(WORD), 'word')\n"
        "@hookimpl\n"
        "def copydesk_rules():\n"
        "    return [cache_word]\n"
    )
    (package / "helpers.py").write_text("WORD = 'zebra'\n")
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    targets = _archive(tmp_path, 1)
    options = RunOptions(select=("TSC001",), plugins=("house_rules_for_cache_test",), cache_dir=str(tmp_path / "cache"))
    assert [d.code for d in run(targets, options)[0].diagnostics] == ["TSC001"]
    assert run(targets, options)[0].cached
    # Any file of the plugin's package counts, not only the rule's own module.
    (package / "helpers.py").write_text("WORD = 'horse'\n")
    assert not run(targets, options)[0].cached


def test_the_cache_survives_a_fresh_checkout(tmp_path):
    """Keys use content, not modification times: touching every file (as a
    CI checkout does) keeps the cache valid."""
    targets = _archive(tmp_path, 2)
    options = RunOptions(select=("TST001",), plugins=PLUGIN, cache_dir=str(tmp_path / "cache"))
    run(targets, options)
    for target in targets:
        os.utime(target.path)
    os.utime(cli_fixture_plugin.__file__)
    assert all(r.cached for r in run(targets, options))


def test_rule_failures_are_not_cached(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("explode zebra", encoding="utf-8")
    options = RunOptions(select=("TST",), plugins=PLUGIN, cache_dir=str(tmp_path / "cache"))
    for _ in range(2):
        (result,) = run([Target(str(path))], options)
        assert not result.cached
        assert [f.code for f in result.failures] == ["TST002"]
        assert [d.code for d in result.diagnostics] == ["TST001"]


def test_corrupt_cache_entries_are_misses(tmp_path):
    targets = _archive(tmp_path, 2)
    options = RunOptions(select=("TST001",), plugins=PLUGIN, cache_dir=str(tmp_path / "cache"))
    first = run(targets, options)
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{not json")
    again = run(targets, options)
    assert not any(r.cached for r in again)
    assert _summary(again) == _summary(first)
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert entries and all(json.loads(e.read_text())["diagnostics"] is not None for e in entries)


def test_fix_rewrites_files_and_reports_what_remains(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"A zebra and BREAKHERE.\r\nzebra\r\n")
    options = RunOptions(select=("TST001", "TST003"), plugins=PLUGIN, fix=True)
    (result,) = run([Target(str(path))], options)
    assert result.error is None
    assert result.fixed == 3
    assert result.diagnostics == []
    assert path.read_bytes() == b"A horse and first\r\nsecond.\r\nhorse\r\n"
    (again,) = run([Target(str(path))], options)
    assert again.fixed == 0
    assert path.read_bytes() == b"A horse and first\r\nsecond.\r\nhorse\r\n"


def test_fix_refuses_a_file_edited_while_it_was_linted(tmp_path, monkeypatch):
    path = tmp_path / "story.txt"
    path.write_bytes(b"A zebra.\n")
    linter = FileLinter(RunOptions(select=("TST001",), plugins=PLUGIN, fix=True))
    real = linter.session.lint_text

    def lint_while_someone_saves(text, path_=None, markup=None):
        path.write_bytes(b"A zebra, rewritten by the reporter.\n")
        return real(text, path_, markup)

    monkeypatch.setattr(linter.session, "lint_text", lint_while_someone_saves)
    result = linter.lint(Target(str(path)))
    assert result.error == "not fixed: the file changed since it was read"
    assert result.fixed == 0
    assert [d.code for d in result.diagnostics] == ["TST001"]  # what was found is still reported
    assert path.read_bytes() == b"A zebra, rewritten by the reporter.\n"


@pytest.mark.parametrize("jobs", [1, 2])
def test_fix_with_jobs(tmp_path, jobs):
    targets = _archive(tmp_path, 8)
    options = RunOptions(select=("TST001",), plugins=PLUGIN, fix=True)
    results = run(targets, options, jobs=jobs)
    assert all(r.diagnostics == [] and r.error is None for r in results)
    for target in targets:
        assert "zebra" not in Path(target.path).read_text(encoding="utf-8")


def test_an_unexpected_error_costs_one_file(tmp_path, monkeypatch):
    targets = _archive(tmp_path, 3)
    linter = FileLinter(RunOptions(select=("TST001",), plugins=PLUGIN))
    real = linter.session.lint_text

    def flaky(text, path=None, markup=None):
        if path == targets[1].path:
            raise ValueError("unexpected")
        return real(text, path, markup)

    monkeypatch.setattr(linter.session, "lint_text", flaky)
    results = run(targets, linter.options, session=linter.session)
    assert results[1].error == "internal error: ValueError: unexpected"
    assert results[0].diagnostics and results[2].diagnostics


def test_plugin_that_fails_to_import_is_a_load_error():
    options = RunOptions(plugins=("no_such_copydesk_plugin",))
    session = options.make_session()
    assert [e.plugin for e in session.load_errors] == ["no_such_copydesk_plugin"]
    assert "ModuleNotFoundError" in session.load_errors[0].reason
