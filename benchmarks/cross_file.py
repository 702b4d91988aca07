"""Cross-file duplicate detection (``--cross-file``) from 10k to 100k paragraphs.

An archive is synthesised from BBC News sentences (read in place from
``../shared/data``): each article has six paragraphs of two or three
sentences drawn at random, so paragraphs are realistic but mostly new.
Every 50th paragraph is then replaced by an exact copy of a paragraph of an
earlier article, and every 50th (offset by 25) by a near copy (one word
changed), so recall can be read off the output. For each size the time to
tokenise the documents and the time of the MinHash LSH index itself are
printed (CPU seconds), with microseconds per paragraph and the growth
ratio from the previous size: linear work keeps microseconds per
paragraph flat.

    python benchmarks/cross_file.py [--sizes 10000,20000,50000,100000]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bbc_articles  # noqa: E402

PARAGRAPHS_PER_ARTICLE = 6


def bbc_sentences() -> list[str]:
    from copydesk.document import Document

    sentences = []
    for _path, text in bbc_articles():
        document = Document(text)
        sentences.extend(text[s.start : s.end] for s in document.sentences if len(text[s.start : s.end].split()) >= 6)
    return sentences


def archive(paragraphs: int, sentences: list[str], seed: int = 7) -> tuple[list[tuple[str, str]], int, int]:
    """(path, text) articles; and how many exact and near copies were planted."""
    rng = random.Random(seed)
    made: list[str] = []
    exact = near = 0
    for number in range(paragraphs):
        article_start = number - number % PARAGRAPHS_PER_ARTICLE
        if number % 50 == 49 and article_start > 0:
            made.append(made[rng.randrange(article_start)])
            exact += 1
        elif number % 50 == 24 and article_start > 0:
            words = made[rng.randrange(article_start)].split(" ")
            if len(words) >= 30:
                words[len(words) // 2] = "meanwhile"
                made.append(" ".join(words))
                near += 1
                continue
            made.append(" ".join(rng.sample(sentences, 3)))
        else:
            made.append(" ".join(rng.sample(sentences, rng.choice((2, 3)))))
    articles = []
    for start in range(0, paragraphs, PARAGRAPHS_PER_ARTICLE):
        body = "\n\n".join(made[start : start + PARAGRAPHS_PER_ARTICLE])
        articles.append((f"archive/{start // PARAGRAPHS_PER_ARTICLE:06d}.txt", body + "\n"))
    return articles, exact, near


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,20000,50000,100000", help="paragraph counts")
    args = parser.parse_args()
    from copydesk.crossfile import CrossFileIndex
    from copydesk.document import Document

    sentences = bbc_sentences()
    print(f"{len(sentences):,} BBC sentences to draw from; CPU seconds")
    print(f"  {'paragraphs':>10s} {'files':>7s} {'tokenise':>9s} {'index':>8s} {'us/para':>8s} {'growth':>7s}  found (planted exact, near)")
    previous: tuple[int, float] | None = None
    for size in (int(s) for s in args.sizes.split(",")):
        articles, exact, near = archive(size, sentences)
        gc.collect()
        start = time.process_time()
        documents = [(path, Document(text, path)) for path, text in articles]
        for _path, document in documents:
            document.paragraph_tokens
        tokenise = time.process_time() - start
        gc.collect()
        gc.disable()
        start = time.process_time()
        index = CrossFileIndex()
        matches = [match for path, document in documents for match in index.add(path, document)]
        elapsed = time.process_time() - start
        gc.enable()
        growth = ""
        if previous is not None:
            growth = f"{(elapsed / previous[1]) / (size / previous[0]):6.2f}"
        found_exact = sum(m.exact for m in matches)
        print(
            f"  {size:>10,} {len(documents):>7,} {tokenise:9.2f} {elapsed:8.2f} {elapsed / size * 1e6:8.1f} {growth:>7s}"
            f"  {found_exact} exact, {len(matches) - found_exact} near ({exact}, {near})"
        )
        previous = (size, elapsed)
        del documents, matches, index
    print("growth = (time ratio) / (size ratio): 1.00 is exactly linear")


if __name__ == "__main__":
    main()
