"""Throughput on real news copy: copydesk against proselint, in the same run.

Two workloads, both BBC News copy read in place from ``../shared/data``:

* ``articles`` -- a sample of stories spread over the five sections, each
  linted as its own document (the everyday case);
* ``1 MB`` -- whole stories concatenated to about 1 MB, one document.

Three sides on each: copydesk's own rules, copydesk with every default rule
(its own plus proselint's checks run through copydesk), and proselint 0.16
alone through its Python API (``LintFile.lint``). Imports and regex
compilation are paid once before timing, by a warm-up pass; every timed
pass uses a fresh linter, so no paragraph cache carries over. Sides are
interleaved so that background load hits them alike; the median of
``--runs`` passes is printed as wall-clock and CPU seconds, MB/s and
words/s (from CPU time, which is steadier on a shared machine), with the
speed-up over proselint and the issue's targets:

* own rules at least 20x proselint's throughput;
* all rules (own + proselint's) no slower than 1.1x proselint alone.

    python benchmarks/throughput.py [--articles 300] [--size 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bbc_articles, concatenation, lint_texts, median, proselint_linter, registry, rule_sets, cpu_timed, words  # noqa: E402

OWN_TARGET = 20.0  # own rules: at least this many times proselint's throughput
ALL_TARGET = 1.1  # all rules: at most this many times proselint's time


def measure(label: str, texts: list[tuple[str, str]], runs: int) -> None:
    reg = registry()
    sets = rule_sets(reg)
    proselint = proselint_linter()
    sides = {
        "copydesk own rules": lambda: lint_texts(sets["own"], texts, reg),
        "copydesk all rules (own + proselint's)": lambda: lint_texts(sets["all"], texts, reg),
        "copydesk proselint rules only": lambda: lint_texts(sets["proselint-rules"], texts, reg),
        "proselint alone (API)": lambda: proselint(texts),
    }
    findings = {name: side() for name, side in sides.items()}  # warm-up: imports, regexes
    wall: dict[str, list[float]] = {name: [] for name in sides}
    seconds: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(runs):
        for name, side in sides.items():
            elapsed, cpu, _ = cpu_timed(side)
            wall[name].append(elapsed)
            seconds[name].append(cpu)
    megabytes = sum(len(text.encode("utf-8")) for _, text in texts) / 1e6
    word_count = sum(words(text) for _, text in texts)
    print(f"\n{label}: {len(texts)} document(s), {megabytes:.2f} MB, {word_count:,} words; median of {runs} runs")
    print(f"  {'side':40s} {'wall s':>7s} {'CPU s':>7s} {'MB/s':>7s} {'words/s':>10s} {'vs proselint':>13s}  findings")
    baseline = median(seconds["proselint alone (API)"])
    for name in sides:
        elapsed = median(seconds[name])
        print(
            f"  {name:40s} {median(wall[name]):7.3f} {elapsed:7.3f} {megabytes / elapsed:7.2f} {word_count / elapsed:10,.0f}"
            f" {baseline / elapsed:12.1f}x  {findings[name]}"
        )
    own = baseline / median(seconds["copydesk own rules"])
    everything = median(seconds["copydesk all rules (own + proselint's)"]) / baseline
    print(f"  target own rules >= {OWN_TARGET:.0f}x proselint's throughput: {own:.1f}x -> {'met' if own >= OWN_TARGET else 'MISSED'}")
    print(
        f"  target all rules <= {ALL_TARGET}x proselint's time: {everything:.2f}x -> "
        f"{'met' if everything <= ALL_TARGET else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="stories in the per-article workload (default 300)")
    parser.add_argument("--size", type=int, default=1_000_000, help="characters in the concatenation (default 1 MB)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    articles = [(str(path), text) for path, text in bbc_articles(args.articles)]
    measure("BBC articles, one document each", articles, args.runs)
    measure("BBC concatenation, one document", [("bbc-1mb.txt", concatenation(args.size))], args.runs)


if __name__ == "__main__":
    main()
