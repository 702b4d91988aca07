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

    python benchmarks/throughput.py [--articles 300] [--size 1000000] [--runs 3] [--breakdown]
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bbc_articles, concatenation, forget_paragraphs, lint_texts, median, proselint_linter, registry, rule_sets, cpu_timed, words  # noqa: E402

OWN_TARGET = 20.0  # own rules: at least this many times proselint's throughput
ALL_TARGET = 1.1  # all rules: at most this many times proselint's time


def cold(lint):  # type: ignore[no-untyped-def]
    """Run ``lint`` with the paragraph memos emptied: the warm-up pass (and
    earlier passes) must not serve later ones from memory, as no paragraph
    of a file linted once is ever seen again."""
    forget_paragraphs()
    return lint()


def measure(label: str, texts: list[tuple[str, str]], runs: int) -> None:
    reg = registry()
    sets = rule_sets(reg)
    proselint = proselint_linter()
    sides = {
        "copydesk own rules": lambda: cold(lambda: lint_texts(sets["own"], texts, reg)),
        "copydesk all rules (own + proselint's)": lambda: cold(lambda: lint_texts(sets["all"], texts, reg)),
        "copydesk proselint rules only": lambda: cold(lambda: lint_texts(sets["proselint-rules"], texts, reg)),
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
    # The target as a cost per word, beside what the own rules spend: the
    # figure to hold each part of --breakdown against.
    print(
        f"    {OWN_TARGET:.0f}x leaves {baseline / OWN_TARGET / word_count * 1e6:.2f} µs a word; the own rules take "
        f"{median(seconds['copydesk own rules']) / word_count * 1e6:.2f}"
    )
    print(
        f"  target all rules <= {ALL_TARGET}x proselint's time: {everything:.2f}x -> "
        f"{'met' if everything <= ALL_TARGET else 'MISSED'}"
    )


def breakdown(texts: list[tuple[str, str]]) -> None:
    """CPU seconds of each shared analysis and each own rule over ``texts``:
    where the own rules' time goes. Each rule is charged for its own work
    only (the shared analysis is computed before it runs, on a cold memo)."""
    import time

    from copydesk import attribution_formulae, repetition
    from copydesk.document import Document
    from copydesk.engine import Linter

    reg = registry()
    rules = rule_sets(reg)["own"]
    # Document properties, then the analysis the repetition rules share
    # (cached on the document through Document.cached).
    analyses: dict[str, Callable[[Document], object]] = {
        f"document.{name}": (lambda document, name=name: getattr(document, name))
        for name in ("prose", "paragraphs", "sentences", "quotes", "people")
    }
    analyses.update(
        {
            "repetition.paragraph_words": repetition.paragraph_words,
            "repetition.formula_uses": attribution_formulae.formula_uses,
            "repetition.duplicate_pairs": repetition.duplicate_pairs,
        }
    )
    spent: dict[str, float] = {}
    # One pass first, as measure() warms up: per-word tables and compiled
    # patterns are paid once per process, not per document.
    lint_texts(rules, texts, reg)
    forget_paragraphs()
    # The collector is paused: a full collection costs in proportion to all
    # that is alive, and would be charged to whichever rule it fell due in.
    gc.collect()
    gc.disable()
    try:
        for path, text in texts:
            document = Document(text, path)
            for name, analyse in analyses.items():
                start = time.process_time()
                analyse(document)
                spent[name] = spent.get(name, 0.0) + time.process_time() - start
            for rule in rules:
                fresh = Document(text, path)
                fresh.__dict__.update(document.__dict__)
                fresh._shared = dict(document._shared)
                start = time.process_time()
                Linter([rule], rule_time_budget=None).lint(fresh)
                key = f"{rule.rule.code} {rule.rule.name}"
                spent[key] = spent.get(key, 0.0) + time.process_time() - start
    finally:
        gc.enable()
    total = sum(spent.values())
    word_count = sum(words(text) for _, text in texts)
    print(f"\nwhere the own rules' CPU time goes ({len(texts)} document(s), {word_count:,} words, {total:.3f} s in all):")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {name:32s} {seconds:7.3f} s  {seconds / total:5.1%}  {seconds / word_count * 1e6:5.2f} µs a word")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="stories in the per-article workload (default 300; 0 skips it)")
    parser.add_argument("--size", type=int, default=1_000_000, help="characters in the concatenation (default 1 MB; 0 skips it)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--breakdown", action="store_true", help="also print the CPU time of each own rule and analysis")
    args = parser.parse_args()
    articles = [(str(path), text) for path, text in bbc_articles(args.articles)] if args.articles else []
    if args.breakdown and articles:
        breakdown(articles)
    if articles:
        measure("BBC articles, one document each", articles, args.runs)
    if args.size:
        measure("BBC concatenation, one document", [("bbc-1mb.txt", concatenation(args.size))], args.runs)


if __name__ == "__main__":
    main()
