"""Growth: every rule, and the document model under it, at sizes N and 2N.

For realistic copy (BBC stories as many paragraphs, as one huge paragraph,
quote-heavy copy) and for the hostile shapes of issue 8 (200,000 quote
marks in a row, a 1 MB single line, 60,000 "According to" in a row, 40,000
tiny paragraphs, deeply nested brackets and quotes, every Unicode line
separator, runs of dots and unclosed comments), print the CPU time at N
and 2N and the ratio. The target is a ratio of at most 2.2 for every rule;
``SLOW`` marks a ratio above it (ignored when the 2N time is under the
noise floor), ``TIMEOUT`` a measurement that ran past ``--timeout``.

The sizes at scale 1 are the issue's (2N = 200,000 quote marks, 1 MB...);
``--scale 0.25`` runs everything at a quarter of that.

The document model (prose, paragraphs, sentences, tokens, quotes, people)
and the repetition rules' shared analysis (paragraph words, attribution
formulae, duplicate pairs) are measured on their own rows; each rule is
then timed on a fresh document whose shared analysis is already computed,
so a rule is charged for its own work only, not for analysis another rule
would have paid for. The memos kept by paragraph text (the repetition
rules', the quotes and people analyses') are emptied before every timing,
so N is not served from memory where 2N is not. Each row is timed at N
and 2N in turn, ``--repeat`` times, and the least of each kept: on a
shared machine whose speed drifts over minutes, both sizes meet the same
conditions.

Each shape first prints a reference row, not held to the target: counting
the text's words in a dict, which is linear by construction. On a machine
whose caches hold N's tables but not 2N's, it shows how much of a rule's
ratio the machine adds to any algorithm that looks words up in a table.

    python benchmarks/growth.py [--scale 1] [--shapes quote-run,one-line]
                                [--rules CD,PL001] [--markup text|markdown]
                                [--only-slow]
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import concatenation, configured, forget_paragraphs, registry  # noqa: E402

GROWTH_TARGET = 2.2
REFERENCE = "reference: dict count of the words"
NOISE_FLOOR = 0.02  # seconds: below this at 2N a ratio says nothing

ANALYSES = ("prose", "paragraphs", "sentences", "tokens", "quotes", "people")
# Cached attributes of Document a prepared copy inherits.
_SHARED = ANALYSES + ("line_index", "_paragraph_starts", "_token_starts")


def _cycle(text: str, size: int) -> str:
    return (text * (size // max(len(text), 1) + 1))[:size]


def _bbc(size: int) -> str:
    return concatenation(size)[:size]


# Each shape makes a text of about ``size`` characters (2N at scale 1 is the
# issue's own figure).
SHAPES: dict[str, tuple[int, Callable[[int], str]]] = {
    # realistic copy
    "bbc-paragraphs": (1_000_000, _bbc),
    "bbc-one-paragraph": (1_000_000, lambda n: " ".join(_bbc(n).split())),
    "many-quotes": (
        1_000_000,
        lambda n: _cycle(
            "“We will not stand for it,” said Mr Giles. “Nobody will,” she says.\n\n"
            "According to Keir Giles, “the plan is sound”. ‘Fine,’ he said.\n\n",
            n,
        ),
    ),
    # hostile shapes (issue 8)
    "quote-run": (200_000, lambda n: '"' * n),
    "curly-quote-run": (200_000, lambda n: "“" * n),
    "mixed-quote-run": (200_000, lambda n: _cycle("“‘\"'”’", n)),
    "one-line": (1_000_000, lambda n: _cycle("The minister said the plan would work, and “it will,” she added. ", n)),
    "according-to": (60_000 * 13, lambda n: "According to " * (n // 13)),
    "according-to-paragraphs": (60_000 * 15, lambda n: "According to X.\n\n" * (n // 17)),
    "tiny-paragraphs": (40_000 * 4, lambda n: "A.\n\n" * (n // 4)),
    "nested-brackets": (200_000, lambda n: "(" * (n // 2) + ")" * (n // 2)),
    "nested-quotes": (200_000, lambda n: "“‘" * (n // 4) + "’”" * (n // 4)),
    "unclosed-brackets": (200_000, lambda n: "([{<" * (n // 4)),
    "line-separators": (400_000, lambda n: _cycle("He said.\rShe said.\u2028“Yes.”\u2029No.\x85Maybe.\r\n\n", n)),
    "dots": (200_000, lambda n: "." * n),
    "unclosed-comments": (200_000, lambda n: "<!--" * (n // 4)),
    "long-word": (1_000_000, lambda n: "a" * n),
    "capitals": (1_000_000, lambda n: _cycle("Mr Giles Keir Giles ", n)),
}


class Timeout(BaseException):
    """Not an Exception: the engine must not record it as a rule failure."""


def _alarm(_signum: int, _frame: object) -> None:
    raise Timeout


def _one_timing(function: Callable[[], object], timeout: float) -> float | None:
    """CPU seconds of one call, or None past the timeout.

    The garbage collector is paused while timing, as timeit does: a full
    collection costs time in proportion to everything alive, which would
    show as growth that is not the rule's.
    """
    # A paragraph seen by an earlier timing must not be served from the
    # paragraph memos (2N would thrash them where N does not).
    forget_paragraphs()
    gc.collect()
    gc.disable()
    signal.setitimer(signal.ITIMER_REAL, timeout)
    start = time.process_time()
    try:
        function()
    except Timeout:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        gc.enable()
    return time.process_time() - start


def paired_cpu_seconds(
    small: Callable[[], object], large: Callable[[], object], timeout: float, repeat: int
) -> tuple[float | None, float | None]:
    """Least CPU seconds of ``repeat`` calls of each, N and 2N taken in
    turn: on a shared machine whose speed drifts from minute to minute, N
    and 2N then meet the same conditions, which timing every row at N
    before any at 2N did not give."""
    best: list[float | None] = [None, None]
    done = [False, False]
    for _ in range(repeat):
        for side, function in enumerate((small, large)):
            if done[side]:
                continue
            elapsed = _one_timing(function, timeout)
            if elapsed is None:
                best[side], done[side] = None, True
                continue
            previous = best[side]
            best[side] = elapsed if previous is None else min(previous, elapsed)
            done[side] = elapsed > 2.0  # long enough to be stable
        if all(done):
            break
    return best[0], best[1]


def prepared(text: str, markup: str, warm) -> object:  # type: ignore[no-untyped-def]
    """A fresh Document sharing the computed analysis of ``warm``."""
    from copydesk.document import Document

    document = Document(text, "growth.txt", markup=markup)  # type: ignore[arg-type]
    for name in _SHARED:
        if name in warm.__dict__:
            document.__dict__[name] = warm.__dict__[name]
    # The repetition rules' shared analysis; per-paragraph lookup tables are
    # copied so that one timing's entries do not serve the next.
    document._shared = {key: dict(value) if isinstance(value, dict) else value for key, value in warm._shared.items()}
    return document


def measurements(text: str, markup: str, rules: list) -> Iterator[tuple[str, Callable[[], object]]]:  # type: ignore[type-arg]
    """Each row's name and what to time; the caller times it before asking
    for the next row, which is timed on a document holding this one's work."""
    from copydesk.document import Document
    from copydesk.engine import Linter

    words = text.split()
    yield REFERENCE, lambda: Counter(words)
    warm = Document(text, "growth.txt", markup=markup)  # type: ignore[arg-type]
    for index, name in enumerate(ANALYSES):
        # Each analysis is timed on a document that has the earlier ones.
        def analyse(name=name, before=ANALYSES[:index]) -> None:  # type: ignore[no-untyped-def]
            document = Document(text, "growth.txt", markup=markup)  # type: ignore[arg-type]
            for earlier in before:
                document.__dict__[earlier] = warm.__dict__[earlier]
            getattr(document, name)

        yield f"document.{name}", analyse
        getattr(warm, name)
    from copydesk import attribution_formulae, repetition

    shared = {
        "repetition.paragraph_words": repetition.paragraph_words,
        "repetition.formula_uses": attribution_formulae.formula_uses,
        "repetition.duplicate_pairs": repetition.duplicate_pairs,
    }
    for name, compute in shared.items():
        # Timed on a document holding the steps before it (``warm`` has them).
        yield name, lambda compute=compute: compute(prepared(text, markup, warm))
        compute(warm)
    for rule in rules:

        def run(rule=rule) -> None:  # type: ignore[no-untyped-def]
            result = Linter([rule], rule_time_budget=None).lint(prepared(text, markup, warm))
            if result.failures:
                raise RuntimeError(result.failures[0].describe())

        yield f"{rule.rule.code} {rule.rule.name}", run


def _label(seconds: float | None) -> str:
    return "TIMEOUT" if seconds is None else f"{seconds * 1000:9.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the issue's sizes (default 1)")
    parser.add_argument("--shapes", default="", help="comma-separated shape names (default all)")
    parser.add_argument("--rules", default="", help="comma-separated codes or code prefixes (default every rule)")
    parser.add_argument("--markup", default="text", choices=("text", "markdown"))
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="timings per measurement; the least is kept")
    parser.add_argument("--only-slow", action="store_true", help="print only rows over the target")
    args = parser.parse_args()

    signal.signal(signal.SIGALRM, _alarm)
    reg = registry()
    prefixes = [p.strip().upper() for p in args.rules.split(",") if p.strip()]
    rules = configured(r for r in reg if not prefixes or any(r.code.startswith(p) for p in prefixes))
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()] or list(SHAPES)
    slow: list[str] = []
    print(f"{len(rules)} rules; markup {args.markup}; CPU ms at N and 2N; target ratio <= {GROWTH_TARGET}")
    for shape in shapes:
        full, make = SHAPES[shape]
        big = max(8, int(full * args.scale))
        texts = (make(big // 2), make(big))
        print(f"\n{shape}: N = {len(texts[0]):,} chars, 2N = {len(texts[1]):,} chars")
        rows = zip(*(measurements(text, args.markup, rules) for text in texts))
        for (name, at_n), (_, at_2n) in rows:
            small, large = paired_cpu_seconds(at_n, at_2n, args.timeout, args.repeat)
            if small is None or large is None:
                verdict, ratio = "TIMEOUT", float("nan")
            else:
                ratio = large / small if small > 0 else float("inf")
                verdict = "SLOW" if ratio > GROWTH_TARGET and large >= NOISE_FLOOR and name != REFERENCE else ""
            if verdict:
                slow.append(f"{shape}: {name} {_label(small).strip()} -> {_label(large).strip()} ms ({ratio:.2f}x)")
            if not args.only_slow or verdict:
                print(f"  {name:42s} {_label(small)} {_label(large)}  x{ratio:5.2f} {verdict}")
        sys.stdout.flush()
    print(f"\n{len(slow)} measurement(s) over the target:" if slow else "\nevery rule within the target")
    for line in slow:
        print("  " + line)


if __name__ == "__main__":
    main()
