"""Linting an archive on Dask, when it outgrows one machine.

``copydesk check --jobs N`` spreads files over the cores of one machine.
Past that, the same linting runs on an existing distributed engine rather
than a home-made one: a :mod:`dask.bag` of file paths is mapped, partition
by partition, through the very :class:`~copydesk.runner.FileLinter` the
command line uses (configuration discovery, rule selection, suppression,
the per-file error reporting), so a file gets the same findings on a
laptop and on a cluster. Install with ``pip install copydesk[dask]``::

    from copydesk.distributed import lint_bag, records
    import dask.bag as db

    paths = db.from_sequence(all_paths, npartitions=200)
    results = lint_bag(paths)                 # a bag of FileResult
    records(results).to_textfiles("out/*.jsonl")   # or .compute()

Any Dask scheduler runs it: the synchronous one in tests
(``dask.config.set(scheduler="synchronous")``), threads or processes on
one machine, or a ``dask.distributed`` cluster (``Client(...)``) across
many. See ``docs/archive.md``.

Why Dask bag and not Ray. Linting an archive is a map of one pure function
over many independent files, followed by a gather (and, for cross-file
duplicates, a group-by on hashed keys): the shape a Dask bag is made for.
Dask is a pure-Python dependency that runs the same graph in-process, on
local threads or processes, or on a cluster, so the integration is tested
here exactly as it runs there; bags read paths or text straight from
local disks and object stores through fsspec. Ray's strengths -- stateful
actors, GPU scheduling, ML pipelines -- are not needed here, and it brings
a large native wheel and a set of daemons even for a local run (no
in-process mode to test with), for no gain on a stateless map.

Each partition builds one session (rules loaded once per partition, not
per file); choose partitions of a few hundred files. The result cache is
off by default, as a cluster's workers share no disk; pass
``RunOptions(cache_dir=...)`` on a shared file system to use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

from copydesk.runner import FileLinter, FileResult, RunOptions

if TYPE_CHECKING:
    import dask.bag


def lint_paths(paths: Iterable[str], options: RunOptions) -> list[FileResult]:
    """Lint files in this process with one session: a bag partition's work."""
    from copydesk.files import Target

    linter = FileLinter(options)
    return [linter.lint(Target(str(path), explicit=True)) for path in paths]


def lint_bag(paths: "dask.bag.Bag | Sequence[str]", options: RunOptions | None = None, *, npartitions: int | None = None) -> "dask.bag.Bag":
    """A bag of :class:`~copydesk.runner.FileResult`, one per path, lazily.

    ``paths`` is a bag of file paths or a sequence of them (made into a bag
    of ``npartitions`` partitions, by default about 100 files each).
    """
    import dask.bag as db

    if not isinstance(paths, db.Bag):
        paths = list(paths)
        npartitions = npartitions or max(1, min(len(paths) // 100 + 1, 10_000))
        paths = db.from_sequence(paths, npartitions=npartitions)
    return paths.map_partitions(lint_paths, options or RunOptions())


def lint_archive(
    paths: "dask.bag.Bag | Sequence[str]",
    options: RunOptions | None = None,
    *,
    npartitions: int | None = None,
    scheduler: Any = None,
) -> list[FileResult]:
    """Lint every path on Dask and gather the results, in the order given.

    ``scheduler`` is passed to ``compute`` ("synchronous", "threads",
    "processes", or a ``dask.distributed.Client``); None uses Dask's
    configured default.
    """
    bag = lint_bag(paths, options, npartitions=npartitions)
    if scheduler is None:
        return list(bag.compute())
    return list(bag.compute(scheduler=scheduler))


def records(results: "dask.bag.Bag") -> "dask.bag.Bag":
    """One JSON-ready dict per finding or per file error, for
    ``to_textfiles``/``to_dataframe``: path, code, rule, severity, line,
    column, end line, end column, message (and ``error`` for a file that
    could not be linted)."""
    return results.map(result_records).flatten()


def result_records(result: FileResult) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if result.error is not None:
        rows.append({"path": result.path, "error": result.error})
    for failure in result.failures:
        rows.append({"path": result.path, "error": failure.describe()})
    index = result.line_index
    for diagnostic in result.diagnostics:
        start, end = index.location(diagnostic.start), index.location(diagnostic.end)
        rows.append(
            {
                "path": result.path,
                "code": diagnostic.code,
                "rule": diagnostic.rule,
                "severity": diagnostic.severity.label,
                "line": start.line,
                "column": start.column,
                "end_line": end.line,
                "end_column": end.column,
                "message": diagnostic.message,
            }
        )
    return rows
