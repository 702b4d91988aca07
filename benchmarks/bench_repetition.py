"""Speed of the repetition rules: CD101, CD102, CD201, CD501.

Prints CPU time (``time.process_time``: on a shared, loaded machine wall
time says more about the neighbours than about the code), best of three
runs each:

1. milliseconds per story for BBC News stories of about 2,000 words (what
   the editor pays on each keystroke), per rule and for the four together,
   with the core analysis (paragraphs, sentences, tokens) timed apart;
2. the time for one file of 40,000 paragraphs of real copy (Reuters-21578
   bodies laid end to end, which also repeat paragraphs), and for 10,000 and
   20,000, so the growth can be read: doubling the paragraphs should about
   double the time, never quadruple it (no pair-by-pair comparison).

    python benchmarks/bench_repetition.py [--paragraphs 40000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import best_of  # noqa: E402

from copydesk.document import Document  # noqa: E402
from copydesk.engine import Linter  # noqa: E402
from copydesk.plugin.rule import ConfiguredRule  # noqa: E402
from copydesk.rules.duplicate_paragraph import duplicate_paragraph  # noqa: E402
from copydesk.rules.repeated_phrase import repeated_phrase  # noqa: E402
from copydesk.rules.repeated_sourcing import repeated_sourcing  # noqa: E402
from copydesk.rules.stray_metadata import stray_metadata  # noqa: E402

RULES = (repeated_sourcing, repeated_phrase, duplicate_paragraph, stray_metadata)


def configured(rules) -> list[ConfiguredRule]:  # type: ignore[no-untyped-def]
    return [ConfiguredRule(r, r.option_defaults()) for r in rules]


def analysed(text: str) -> Document:
    doc = Document(text)
    doc.paragraphs, doc.sentences, doc.tokens  # noqa: B018 - the shared core, timed apart
    return doc


def stories() -> None:
    from corpus import bbc_articles

    texts = [a.text for a in bbc_articles() if 1_700 <= len(a.text.split()) <= 2_400]
    print(f"{len(texts)} BBC stories of 1,700-2,400 words (mean {sum(len(t.split()) for t in texts) / len(texts):.0f})")
    core = best_of(3, lambda: [analysed(t) for t in texts]) / len(texts)
    print(f"  core analysis (paragraphs, sentences, tokens): {1000 * core:6.2f} ms per story")
    for label, rules in [(r.code, (r,)) for r in RULES] + [("all four", RULES)]:
        linter = Linter(configured(rules))
        best = float("inf")
        for _ in range(5):
            # A fresh, analysed Document per lint, as after each keystroke.
            docs = [analysed(t) for t in texts]
            started = time.process_time()
            for doc in docs:
                linter.lint(doc)
            best = min(best, time.process_time() - started)
        print(f"  {label:9} {1000 * best / len(texts):6.2f} ms per story")


def big_file(paragraphs: int) -> None:
    from corpus import reuters_articles

    pool: list[str] = []
    for article in reuters_articles():
        pool.extend(article.paragraphs())
        if len(pool) >= paragraphs:
            break
    print("\none file of N paragraphs of Reuters copy (all four rules; CD201 alone in brackets)")
    for size in (paragraphs // 4, paragraphs // 2, paragraphs):
        text = "\n\n".join(pool[:size])
        linter = Linter(configured(RULES))
        alone = Linter(configured((duplicate_paragraph,)))
        found: list[int] = []
        elapsed = best_of(1, lambda: found.append(len(linter.lint(Document(text)).diagnostics)))
        duplicates = best_of(1, lambda: alone.lint(Document(text)))
        print(f"  {size:6} paragraphs, {len(text.split()):8} words: {elapsed:6.2f} s ({duplicates:5.2f} s), "
              f"{found[-1]} findings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paragraphs", type=int, default=40_000)
    args = parser.parse_args()
    stories()
    big_file(args.paragraphs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
