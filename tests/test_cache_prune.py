"""The result cache prunes itself: entries unused for a month go, once a day."""

from __future__ import annotations

import os
import time
from pathlib import Path

from copydesk.cache import ENTRY_MAX_AGE, PRUNE_INTERVAL, TEMPORARY_MAX_AGE, ResultCache
from copydesk.diagnostics import Diagnostic, Severity
from copydesk.files import Target
from copydesk.runner import RunOptions, run

DAY = 24 * 3600
NOW = time.time()


def _diagnostic() -> Diagnostic:
    return Diagnostic(
        code="CD101", rule="repeated-sourcing", message="again", severity=Severity.WARNING, start=0, end=4
    )


def _entry(cache: ResultCache, key: str, age: float) -> Path:
    cache.put(key, [_diagnostic()])
    path = Path(cache._path(key))
    os.utime(path, (NOW - age, NOW - age))
    return path


def test_entries_unused_for_a_month_are_removed_and_recent_ones_kept(tmp_path: Path) -> None:
    cache = ResultCache(str(tmp_path / "cache"))
    old = _entry(cache, "aa" + "0" * 62, ENTRY_MAX_AGE + DAY)
    recent = _entry(cache, "ab" + "0" * 62, ENTRY_MAX_AGE - DAY)
    leftover = old.parent / ".tmp-killed.json"
    leftover.write_text("{")
    os.utime(leftover, (NOW - TEMPORARY_MAX_AGE - 60,) * 2)
    in_progress = recent.parent / ".tmp-writing.json"
    in_progress.write_text("{")
    os.utime(in_progress, (NOW - 60,) * 2)
    older_format = tmp_path / "cache" / "v0" / "aa" / ("aa" + "1" * 62 + ".json")
    older_format.parent.mkdir(parents=True)
    older_format.write_text("{}")
    os.utime(older_format, (NOW - ENTRY_MAX_AGE - DAY,) * 2)

    assert cache.prune(NOW) == 2
    assert not old.exists() and not older_format.exists() and not leftover.exists()
    assert recent.exists() and in_progress.exists()
    assert cache.get("ab" + "0" * 62) == [_diagnostic()]


def test_reading_an_entry_keeps_it(tmp_path: Path) -> None:
    cache = ResultCache(str(tmp_path / "cache"))
    key = "cd" + "0" * 62
    path = _entry(cache, key, ENTRY_MAX_AGE + DAY)
    assert cache.get(key) == [_diagnostic()]
    assert cache.prune() == 0
    assert path.exists()


def test_pruning_happens_at_most_once_a_day(tmp_path: Path) -> None:
    cache = ResultCache(str(tmp_path / "cache"))
    _entry(cache, "ef" + "0" * 62, ENTRY_MAX_AGE + DAY)
    assert cache.prune_if_due(NOW) == 1
    _entry(cache, "ef" + "1" * 62, ENTRY_MAX_AGE + DAY)
    assert cache.prune_if_due(NOW + PRUNE_INTERVAL - 60) is None
    assert cache.prune_if_due(NOW + PRUNE_INTERVAL) == 1


def test_a_directory_copydesk_did_not_make_is_never_pruned(tmp_path: Path) -> None:
    precious = tmp_path / "precious" / "v1" / "aa"
    precious.mkdir(parents=True)
    keep = precious / "notes.json"
    keep.write_text("{}")
    os.utime(keep, (NOW - 10 * ENTRY_MAX_AGE,) * 2)
    assert ResultCache(str(tmp_path / "precious")).prune_if_due(NOW) is None
    assert keep.exists()


def test_a_run_prunes_the_cache_it_used(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("According to the council, the plan is sound.\n", encoding="utf-8")
    root = tmp_path / "cache"
    cache = ResultCache(str(root))
    stale = _entry(cache, "0a" + "0" * 62, ENTRY_MAX_AGE + DAY)
    options = RunOptions(cache_dir=str(root), entry_points=False, select=("CD",))
    (first,) = run([Target(str(story))], options)
    assert not stale.exists()
    assert (root / "last-pruned").exists()
    (again,) = run([Target(str(story))], options)
    assert again.cached and again.diagnostics == first.diagnostics
