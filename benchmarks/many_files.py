"""Many files: ``copydesk check`` over an archive with --jobs 1, --jobs N, and warm.

The archive is the BBC News corpus (2,225 stories, read in place from
``../shared/data/bbc-news``; ``--copies 2`` copies it twice into a
temporary directory for a bigger run). Whole processes, wall-clock time:

* ``--jobs 1 --no-cache``: one process, everything linted;
* ``--jobs N --no-cache``: N worker processes (default: every core);
* ``--jobs N`` with an empty cache: lints everything and fills the cache;
* the same again, warm: every file is a cache hit, nothing is re-linted.

One file of the corpus is not valid UTF-8, as it came, so every run
reports one error and exits 2; that is expected.

    python benchmarks/many_files.py [--jobs N] [--copies 1] [--select RULES]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BBC  # noqa: E402

BIN = Path(sys.executable).parent


def run(command: list[str], cwd: str) -> float:
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0, 1, 2):
        raise RuntimeError(f"{' '.join(command)} exited {completed.returncode}: {completed.stderr[-2000:]}")
    if "Traceback" in completed.stderr:
        raise RuntimeError(completed.stderr[-2000:])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="workers for the parallel runs")
    parser.add_argument("--copies", type=int, default=1, help="copies of the corpus (1 = read in place)")
    parser.add_argument("--select", default=None, help="rule selection passed to copydesk check")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        if args.copies == 1:
            roots = [str(BBC)]
        else:
            roots = []
            for copy in range(args.copies):
                root = Path(work) / f"copy{copy}"
                shutil.copytree(BBC, root, ignore=shutil.ignore_patterns("*.md"))
                roots.append(str(root))
        files = [p for root in roots for p in Path(root).rglob("*.txt")]
        size = sum(p.stat().st_size for p in files) / 1e6
        base = [str(BIN / "copydesk"), "check", "--quiet"]
        if args.select:
            base += ["--select", args.select]
        cache = str(Path(work) / "cache")
        runs = {
            "--jobs 1 --no-cache": [*base, "--jobs", "1", "--no-cache", *roots],
            f"--jobs {args.jobs} --no-cache": [*base, "--jobs", str(args.jobs), "--no-cache", *roots],
            f"--jobs {args.jobs}, empty cache": [*base, "--jobs", str(args.jobs), "--cache-dir", cache, *roots],
            f"--jobs {args.jobs}, warm cache": [*base, "--jobs", str(args.jobs), "--cache-dir", cache, *roots],
        }
        print(f"{len(files):,} files, {size:.1f} MB; wall-clock seconds of whole processes")
        first = None
        for label, command in runs.items():
            elapsed = run(command, work)
            first = first or elapsed
            print(
                f"  {label:28s} {elapsed:8.2f} s {len(files) / elapsed:9.1f} files/s {size / elapsed:6.2f} MB/s"
                f"  {first / elapsed:6.1f}x the --jobs 1 run"
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
