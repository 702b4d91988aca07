"""Linting an archive on Dask bag, run here on Dask's in-process schedulers."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

dask = pytest.importorskip("dask")
import dask.bag as db  # noqa: E402

from copydesk.distributed import lint_archive, lint_bag, records  # noqa: E402
from copydesk.files import Target  # noqa: E402
from copydesk.runner import FileLinter, RunOptions  # noqa: E402

from conftest import EXAMPLES  # noqa: E402


@pytest.fixture
def archive(tmp_path):
    paths = []
    for n in range(6):
        path = tmp_path / f"story{n}.txt"
        shutil.copy(EXAMPLES / "article.txt", path)
        paths.append(str(path))
    clean = tmp_path / "clean.txt"
    clean.write_text("The council met on Tuesday.\n", encoding="utf-8")
    paths.append(str(clean))
    return paths


def one_process(paths, options=RunOptions(entry_points=False)):
    linter = FileLinter(options)
    return [linter.lint(Target(path, explicit=True)) for path in paths]


def summary(results):
    return [(r.path, r.error, [(d.code, d.start, d.end, d.message) for d in r.diagnostics]) for r in results]


@pytest.mark.parametrize("scheduler", ["synchronous", "threads"])
def test_a_bag_finds_what_one_process_finds_in_the_same_order(archive, scheduler):
    options = RunOptions(entry_points=False)
    # A pool of the test's own, joined at the end: Dask's default pool would
    # outlive the test, and the runner tests would then fork a multi-threaded
    # process (a DeprecationWarning from Python 3.12 on).
    with ThreadPoolExecutor(max_workers=2) as pool, dask.config.set(pool=pool):
        results = lint_archive(archive, options, npartitions=3, scheduler=scheduler)
    assert summary(results) == summary(one_process(archive))
    assert results[0].diagnostics, "the seed article has defects"
    assert results[-1].diagnostics == []


def test_a_file_that_cannot_be_read_is_reported_and_the_rest_are_linted(archive, tmp_path):
    missing = str(tmp_path / "gone.txt")
    results = lint_archive([missing, *archive], RunOptions(entry_points=False), npartitions=2, scheduler="synchronous")
    assert results[0].path == missing and results[0].error
    assert all(r.error is None for r in results[1:])
    assert results[1].diagnostics


def test_configuration_found_beside_the_files_applies_on_every_worker(archive, tmp_path):
    (tmp_path / ".copydesk.toml").write_text('ignore = ["ALL"]\n', encoding="utf-8")
    results = lint_archive(archive, RunOptions(entry_points=False), scheduler="synchronous")
    assert [r.diagnostics for r in results] == [[] for _ in archive]


def test_records_give_one_row_per_finding_with_positions(archive):
    paths = db.from_sequence(archive[:2], npartitions=2)
    bag = lint_bag(paths, RunOptions(entry_points=False))
    with dask.config.set(scheduler="synchronous"):
        rows = records(bag).compute()
        results = bag.compute()
    text = open(archive[0], encoding="utf-8").read()
    first = results[0].diagnostics[0]
    row = rows[0]
    assert row["path"] == archive[0] and row["code"] == first.code
    line_start = text.rfind("\n", 0, first.start) + 1
    assert (row["line"], row["column"]) == (text.count("\n", 0, first.start) + 1, first.start - line_start + 1)
    assert len(rows) == sum(len(r.diagnostics) for r in results)
