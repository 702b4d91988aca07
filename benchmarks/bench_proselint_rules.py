"""copydesk's proselint rules against proselint alone, on the same news copy.

Each measurement runs in a fresh interpreter, so each side pays for its own
imports and regex compilation, as a user's run would. Prints MB/s, words/s
and the ratio copydesk/proselint (time; below 1.0 means copydesk is faster).

    python benchmarks/bench_proselint_rules.py [--size 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbc-news"

PROSELINT = """
import sys, time
start, cpu = time.perf_counter(), time.process_time()
from proselint.checks import __register__
from proselint.config import DEFAULT
from proselint.registry import CheckRegistry
from proselint.tools import LintFile
CheckRegistry().register_many(__register__)
config = dict(DEFAULT, max_errors=10**9)
results = LintFile(sys.argv[1], open(sys.argv[1], encoding="utf-8").read()).lint(config)
print(time.perf_counter() - start, time.process_time() - cpu, len(results))
"""

COPYDESK = """
import sys, time
start, cpu = time.perf_counter(), time.process_time()
from copydesk.document import Document
from copydesk.engine import Linter
from copydesk.plugin.manager import load_registry
from copydesk.plugin.rule import ConfiguredRule
registry = load_registry(entry_points=False)
wanted = sys.argv[2]
rules = [
    ConfiguredRule(r, r.option_defaults())
    for r in registry
    if r.enabled_by_default and (wanted == "all" or (r.group == "proselint") == (wanted == "proselint"))
]
text = open(sys.argv[1], encoding="utf-8").read()
result = Linter(rules).lint(Document(text, sys.argv[1]))
assert not result.failures, [f.describe() for f in result.failures]
print(time.perf_counter() - start, time.process_time() - cpu, len(result.diagnostics))
"""


def corpus(size: int) -> str:
    parts: list[str] = []
    total = 0
    for path in sorted(DATA.rglob("*.txt")):
        if path.name == "SOURCE.md":
            continue
        try:
            text = path.read_text(encoding="utf-8").strip()
        except UnicodeDecodeError:
            continue  # one file of the corpus is Latin-1, as it came
        parts.append(text)
        total += len(text) + 2
        if total >= size:
            break
    return "\n\n".join(parts) + "\n"


def timed(script: str, *args: str) -> tuple[float, float, int]:
    """Wall-clock seconds, CPU seconds and findings of one fresh process."""
    output = subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True, text=True).stdout
    seconds, cpu, count = output.split()
    return float(seconds), float(cpu), int(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of copy (default 1 MB)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    text = corpus(args.size)
    megabytes = len(text.encode("utf-8")) / 1e6
    words = len(text.split())
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "corpus.txt"
        path.write_text(text, encoding="utf-8")
        sides = {
            "proselint alone (LintFile.lint)": (PROSELINT,),
            "copydesk, proselint rules only": (COPYDESK, "proselint"),
            "copydesk, own rules only": (COPYDESK, "own"),
            "copydesk, all rules": (COPYDESK, "all"),
        }
        runs: dict[str, list[tuple[float, float, int]]] = {label: [] for label in sides}
        # Interleaved, so that load from other processes hits every side alike.
        for _ in range(args.runs):
            for label, (script, *extra) in sides.items():
                runs[label].append(timed(script, str(path), *extra))
        print(f"{megabytes:.2f} MB, {words} words of BBC News copy; median of {args.runs} fresh processes")
        print(f"  {'':34s} {'wall':>8s} {'MB/s':>6s} {'words/s':>9s} {'CPU':>8s}")
        medians: dict[str, tuple[float, float]] = {}
        for label, measured in runs.items():
            wall = statistics.median(r[0] for r in measured)
            cpu = statistics.median(r[1] for r in measured)
            medians[label] = (wall, cpu)
            print(
                f"  {label:34s} {wall:7.2f}s {megabytes / wall:6.2f} {words / wall:9.0f} {cpu:7.2f}s"
                f"  {measured[0][2]} findings"
            )
        baseline_wall, baseline_cpu = medians["proselint alone (LintFile.lint)"]
        for label, (wall, cpu) in medians.items():
            if label != "proselint alone (LintFile.lint)":
                print(f"  ratio {label} / proselint: wall {wall / baseline_wall:.2f}, CPU {cpu / baseline_cpu:.2f}")


if __name__ == "__main__":
    main()
