"""Cold start: ``copydesk check`` on one small article against ``proselint check``.

Whole processes, as a user or a pre-commit hook runs them: interpreter
start-up, imports, rule loading and the lint of one ~2.5 KB BBC story (read
in place from ``../shared/data``). Runs alternate between the tools; the
median of ``--runs`` is printed with the target (copydesk no slower than
proselint). copydesk runs with ``--no-cache`` (a cache hit would not be a
cold start) and, separately, with its own rules only, to show what the
proselint plugin adds to start-up. CPU time (user + system) of each
process is printed beside the wall-clock time: it is what to compare on a
machine busy with other work.

    python benchmarks/cold_start.py [--runs 15] [--file PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bbc_paths  # noqa: E402

BIN = Path(sys.executable).parent


def small_article(size: int = 2500) -> Path:
    return min(bbc_paths(), key=lambda path: (abs(path.stat().st_size - size), str(path)))


def child_environment() -> dict[str, str]:
    """The environment of the timed processes: as a user's shell has it.

    Without PYTHONDONTWRITEBYTECODE, which some sandboxes set: installed
    packages (proselint) come with compiled .pyc files, and an editable
    copydesk gets them on its first run, so with the variable set the
    comparison would time compiling copydesk's source on every run.
    """
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def run_once(command: list[str], cwd: str) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(
        command, cwd=cwd, env=child_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited {completed.returncode}: {completed.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--file", type=Path, default=None, help="article to lint (default: a ~2.5 KB BBC story)")
    args = parser.parse_args()
    article = str((args.file or small_article()).resolve())
    commands = {
        "proselint check": [str(BIN / "proselint"), "check", article],
        "copydesk check (all rules)": [str(BIN / "copydesk"), "check", "--no-cache", article],
        "copydesk check (own rules)": [str(BIN / "copydesk"), "check", "--no-cache", "--ignore", "proselint", article],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    # An empty working directory: no configuration or cache of this repository applies.
    with tempfile.TemporaryDirectory() as cwd:
        for command in commands.values():
            run_once(command, cwd)  # warm the OS file cache and write .pyc files
        for _ in range(args.runs):
            for name, command in commands.items():
                elapsed, used = run_once(command, cwd)
                times[name].append(elapsed)
                cpu[name].append(used)
    size = os.path.getsize(article)
    print(f"{article} ({size:,} bytes); median of {args.runs} whole-process runs")
    baseline = statistics.median(times["proselint check"])
    cpu_baseline = statistics.median(cpu["proselint check"])
    for name, measured in times.items():
        median = statistics.median(measured)
        used = statistics.median(cpu[name])
        print(
            f"  {name:28s} wall {median * 1000:6.0f} ms (min {min(measured) * 1000:5.0f}) {median / baseline:5.2f}x"
            f"   CPU {used * 1000:6.0f} ms {used / cpu_baseline:5.2f}x proselint"
        )
    ratio = statistics.median(times["copydesk check (all rules)"]) / baseline
    cpu_ratio = statistics.median(cpu["copydesk check (all rules)"]) / cpu_baseline
    verdict = "met" if ratio <= 1.0 else "MISSED"
    print(f"  target copydesk no slower than proselint: wall {ratio:.2f}x, CPU {cpu_ratio:.2f}x -> {verdict}")


if __name__ == "__main__":
    main()
