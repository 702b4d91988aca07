"""What the benchmarks share: the news copy they read and how they run rules.

The copy is read in place from ``../shared/data/bbc-news`` (2,225 BBC News
stories, one per file); it is never copied into the repository. One file of
that corpus is Latin-1, as it came, and is skipped here.
"""

from __future__ import annotations

import functools
import gc
import statistics
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
BBC = DATA / "bbc-news"


def bbc_paths() -> list[Path]:
    return sorted(BBC.rglob("*.txt"))


def bbc_articles(limit: int | None = None) -> list[tuple[Path, str]]:
    """BBC stories as (path, text), spread evenly over the five sections."""
    paths = bbc_paths()
    if limit is not None and limit < len(paths):
        step = len(paths) / limit
        paths = [paths[int(i * step)] for i in range(limit)]
    articles = []
    for path in paths:
        try:
            articles.append((path, path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            continue
    return articles


def concatenation(size: int) -> str:
    """About ``size`` characters of BBC copy: whole stories, blank-line separated."""
    parts: list[str] = []
    total = 0
    for _path, text in bbc_articles():
        parts.append(text.strip())
        total += len(parts[-1]) + 2
        if total >= size:
            break
    return "\n\n".join(parts) + "\n"


def words(text: str) -> int:
    return len(text.split())


def registry():  # type: ignore[no-untyped-def]
    from copydesk.plugin.manager import load_registry

    return load_registry(entry_points=False)


def configured(rules: Iterable) -> list:  # type: ignore[type-arg]
    from copydesk.plugin.rule import ConfiguredRule

    return [ConfiguredRule(rule, rule.option_defaults()) for rule in rules]


def rule_sets(reg) -> dict[str, list]:  # type: ignore[no-untyped-def,type-arg]
    """The rule selections the throughput targets talk about."""
    enabled = [r for r in reg if r.enabled_by_default]
    return {
        "own": configured(r for r in enabled if r.group != "proselint"),
        "proselint-rules": configured(r for r in enabled if r.group == "proselint"),
        "all": configured(enabled),
    }


def lint_texts(rules: Sequence, texts: Sequence[tuple[str, str]], reg=None) -> int:  # type: ignore[no-untyped-def,type-arg]
    """Lint each (path, text) with a fresh linter (cold paragraph cache); findings."""
    from copydesk.document import Document
    from copydesk.engine import Linter

    linter = Linter(rules, known_rules=reg, rule_time_budget=None)
    found = 0
    for path, text in texts:
        result = linter.lint(Document(text, path))
        if result.failures:
            raise RuntimeError("; ".join(f.describe() for f in result.failures))
        found += len(result.diagnostics)
    return found


@functools.lru_cache(maxsize=None)
def proselint_linter() -> Callable[[Sequence[tuple[str, str]]], int]:
    """proselint 0.16 through its own Python API, every default check on.

    Made once: proselint's CheckRegistry is a process-wide singleton, and
    registering the checks twice would run each of them twice.
    """
    from proselint.checks import __register__
    from proselint.config import DEFAULT
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    CheckRegistry().register_many(__register__)
    config = dict(DEFAULT, max_errors=10**9)

    def lint(texts: Sequence[tuple[str, str]]) -> int:
        return sum(len(LintFile(path, text).lint(config)) for path, text in texts)

    return lint


def best_of(runs: int, work: Callable[[], object], clock: Callable[[], float] = time.process_time) -> float:
    """The least ``clock`` seconds (CPU time unless told) of ``runs`` calls of ``work``."""
    best = float("inf")
    for _ in range(runs):
        started = clock()
        work()
        best = min(best, clock() - started)
    return best


def timed(function: Callable[[], object]) -> tuple[float, object]:
    """Wall-clock seconds of one call, and what it returned."""
    gc.collect()
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def cpu_timed(function: Callable[[], object]) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of one call (CPU time is what to compare on
    a machine shared with other work), and what it returned."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    value = function()
    return time.perf_counter() - start, time.process_time() - cpu, value


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def forget_paragraphs() -> None:
    """Empty every memo keyed by paragraph text (the repetition rules', the
    sentence split's, the quotes and people analyses'): a timing must not be
    served from memory by an earlier pass, as no paragraph of a file linted
    once is seen again."""
    from copydesk import analysis, repetition

    repetition.clear_memos()
    analysis.clear_memos()
