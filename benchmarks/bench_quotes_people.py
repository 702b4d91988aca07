"""Speed of the quotation and people analysis and of CD301/CD401.

Prints milliseconds per 2,000 words on BBC News stories (the core analysis
-- paragraphs, sentences, tokens -- timed separately for comparison), first
with every paragraph new to the analysis (as for a file linted once), then
with the paragraphs seen before (the per-paragraph memo warm); then the
analysis time per keystroke while typing into one paragraph of a
2,000-word article (only the edited paragraph is new); then the time on
hostile inputs that must stay linear (200,000 quote marks in a row, a 1 MB
single line, thousands of names). Best of three runs.

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
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import best_of  # noqa: E402

from copydesk.analysis import clear_memos  # noqa: E402
from copydesk.document import Document  # noqa: E402
from copydesk.rules.pronoun_mismatch import pronoun_mismatch  # noqa: E402
from copydesk.rules.truncated_quote import truncated_quote  # noqa: E402


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

    def mine(forget: bool) -> None:
        for doc in state["docs"]:
            doc.__dict__.pop("quotes", None)
            doc.__dict__.pop("people", None)
        if forget:
            clear_memos()
        started = time.perf_counter()
        for doc in state["docs"]:
            list(truncated_quote.check(doc, {}))
            list(pronoun_mismatch.check(doc, {}))
        state["elapsed"] = time.perf_counter() - started

    def timed_mine(forget: bool) -> float:
        best = float("inf")
        for _ in range(3):
            mine(forget)
            best = min(best, state["elapsed"])
        return best

    per = 2000 / words * 1000
    core_time = best_of(3, core, clock=time.perf_counter)
    cold_time = timed_mine(forget=True)
    warm_time = timed_mine(forget=False)
    print(f"{stories} BBC stories, {words:,} words:")
    print(f"  core analysis (paragraphs, sentences, tokens):      {core_time * per:.2f} ms per 2,000 words")
    print(f"  quotes + people + CD301 + CD401, paragraphs new:    {cold_time * per:.2f} ms per 2,000 words")
    print(f"  quotes + people + CD301 + CD401, paragraphs known:  {warm_time * per:.2f} ms per 2,000 words")


def keystrokes() -> None:
    """Quotes and people after each keystroke typed into the middle
    paragraph of a 2,000-word article (the editor's case): median."""
    import statistics

    from lsp_latency import build_article

    text = build_article(2000)
    paragraphs = text.split("\n\n")
    middle = len(paragraphs) // 2
    sentence = "The minister said the talks had gone well, according to officials in Kyiv. "
    quote_ms: list[float] = []
    people_ms: list[float] = []
    for typed in range(len(sentence) + 1):
        edited = paragraphs[:middle] + [sentence[:typed] + paragraphs[middle]] + paragraphs[middle + 1 :]
        doc = Document("\n\n".join(edited))
        doc.paragraphs, doc.sentences, doc.tokens
        started = time.perf_counter()
        doc.quotes
        between = time.perf_counter()
        doc.people
        quote_ms.append((between - started) * 1000)
        people_ms.append((time.perf_counter() - between) * 1000)
    words = len(Document(text).tokens)
    print(f"typing into one paragraph of a {words:,}-word article ({len(sentence)} keystrokes), median per keystroke:")
    print(f"  quotes {statistics.median(quote_ms[1:]):.2f} ms, people {statistics.median(people_ms[1:]):.2f} ms")


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
    keystrokes()
    hostile()


if __name__ == "__main__":
    main()
