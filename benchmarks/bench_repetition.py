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
   double the time, never quadruple it (no pair-by-pair comparison);
3. the work of CD201's search on BBC concatenations of 0.25 to 2 MB, as
   counts no machine disturbs: earlier paragraphs read in the index's
   postings and candidates compared, per paragraph searched, with the
   pairs found. Work per paragraph that grows with the file is what makes
   the search grow faster than the file.

    python benchmarks/bench_repetition.py [--paragraphs 40000] [--search-only]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import best_of, concatenation, forget_paragraphs  # noqa: E402

from copydesk import repetition  # noqa: E402
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


def search_work(sizes: tuple[int, ...] = (250_000, 500_000, 1_000_000, 2_000_000)) -> None:
    """CD201's search, counted: the postings each searched paragraph reads
    (each word's latest ``recent_per_word`` at most, as the search reads
    them) and the candidates it compares."""
    print("\nCD201's search on BBC copy laid end to end (sections in order, as growth.py's bbc-paragraphs)")
    print(f"  {'size':>9} {'searched':>8} {'postings/paragraph':>18} {'candidates/paragraph':>20} {'pairs (exact)':>13} {'search CPU ms':>13}")
    counted = repetition._candidates
    tally = {"searched": 0, "postings": 0, "candidates": 0}

    def counting(short_prefix, long_prefix, long_index, short_index, hits_needed, settings):  # type: ignore[no-untyped-def]
        recent = -settings.recent_per_word
        for prefix, index in ((short_prefix, long_index), (long_prefix, short_index)):
            tally["postings"] += sum(len(posting[recent:]) for posting in map(index.get, prefix) if posting)
        found = counted(short_prefix, long_prefix, long_index, short_index, hits_needed, settings)
        tally["searched"] += 1
        tally["candidates"] += len(found)
        return found

    for size in sizes:
        text = concatenation(size)[:size]
        seconds = float("inf")
        for _ in range(3):
            forget_paragraphs()
            doc = Document(text)
            repetition.paragraph_profiles(doc)  # the words and profiles it searches, not timed
            started = time.process_time()
            repetition.duplicate_pairs(doc)
            seconds = min(seconds, time.process_time() - started)
        tally.update(searched=0, postings=0, candidates=0)
        forget_paragraphs()
        # Counted on a run of its own, so that the counting costs no timing.
        repetition._candidates = counting
        try:
            pairs = repetition.duplicate_pairs(Document(text))
        finally:
            repetition._candidates = counted
        searched = max(tally["searched"], 1)
        exact = sum(pair.exact for pair in pairs)
        print(
            f"  {size:9,} {tally['searched']:8,} {tally['postings'] / searched:18.1f} {tally['candidates'] / searched:20.2f}"
            f" {len(pairs):6} ({exact:3}) {seconds * 1000:13.1f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paragraphs", type=int, default=40_000)
    parser.add_argument("--search-only", action="store_true", help="only the counts of CD201's search (part 3)")
    args = parser.parse_args()
    if not args.search_only:
        stories()
        big_file(args.paragraphs)
    search_work()
    return 0


if __name__ == "__main__":
    sys.exit(main())
