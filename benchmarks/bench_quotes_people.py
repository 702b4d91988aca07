"""Speed of the quotation and people analysis and of CD301/CD401.

Prints milliseconds per 2,000 words on BBC News stories (the core analysis
-- paragraphs, sentences, tokens -- timed separately for comparison), then
the time on hostile inputs that must stay linear (200,000 quote marks in a
row, a 1 MB single line, thousands of names). Best of three runs.

    python benchmarks/bench_quotes_people.py [--stories N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from copydesk.document import Document  # noqa: E402
from copydesk.rules.pronoun_mismatch import pronoun_mismatch  # noqa: E402
from copydesk.rules.truncated_quote import truncated_quote  # noqa: E402


def best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def news(stories: int) -> None:
    from corpus import bbc_articles

    texts = [article.text for _, article in zip(range(stories), bbc_articles())]
    words = sum(len(Document(t).tokens) for t in texts)
    state: dict[str, list[Document]] = {}

    def core() -> None:
        docs = [Document(t) for t in texts]
        for doc in docs:
            doc.paragraphs, doc.sentences, doc.tokens
        state["docs"] = docs

    def mine() -> None:
        for doc in state["docs"]:
            doc.__dict__.pop("quotes", None)
            doc.__dict__.pop("people", None)
            list(truncated_quote.check(doc, {}))
            list(pronoun_mismatch.check(doc, {}))

    per = 2000 / words * 1000
    core_time = best_of(3, core)
    mine_time = best_of(3, mine)
    print(f"{stories} BBC stories, {words:,} words:")
    print(f"  core analysis (paragraphs, sentences, tokens): {core_time * per:.2f} ms per 2,000 words")
    print(f"  quotes + people + CD301 + CD401 on top:        {mine_time * per:.2f} ms per 2,000 words")


def hostile() -> None:
    seed = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")
    rng = random.Random(1)
    cases = {
        "200,000 “ in a row": "“" * 200_000,
        "200,000 ” in a row": "”" * 200_000,
        '200,000 " in a row': '"' * 200_000,
        "200,000 ’ in a row": "’" * 200_000,
        "200,000 random marks": "".join(rng.choice("“”‘’\"'") for _ in range(200_000)),
        "seed article as one 1 MB line": (seed.replace("\n", " ") * 500)[:1_000_000],
        "seed article repeated to 1 MB": (seed * 500)[:1_000_000],
        "40,000 different people": " ".join(f"Mr Name{i} Smith{i} said" for i in range(40_000)),
        "40,000 role mentions": "Foreign Minister Ben Smith spoke. " + "The minister said it. " * 40_000,
    }
    print("hostile inputs (analysis + both rules):")
    for name, text in cases.items():
        doc = Document(text)
        doc.paragraphs, doc.sentences, doc.tokens
        started = time.perf_counter()
        found = len(list(truncated_quote.check(doc, {}))) + len(list(pronoun_mismatch.check(doc, {})))
        print(f"  {name:32s} {len(text):>9,} chars {time.perf_counter() - started:6.2f} s ({found} findings)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=400)
    args = parser.parse_args()
    news(args.stories)
    hostile()


if __name__ == "__main__":
    main()
