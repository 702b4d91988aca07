"""Measure copydesk rules on real news copy: false alarms and recall.

Two figures per rule:

1. Findings per 1,000 paragraphs on clean professional copy (BBC News,
   Reuters-21578 bodies, PolNeAR), with a random sample of the findings
   printed so that the false alarms can be read.
2. Recall on an injected set: real articles with a defect planted at a known
   place (a paragraph duplicated; an MRPC paraphrase pair planted as two
   paragraphs; "According to" made to open four paragraphs in a row; a
   verbal tic repeated; a metadata line glued to the headline). A defect
   counts as found when a finding of the rule overlaps the planted span.

Usage::

    python eval/evaluate.py --rules CD101,CD201,CD102,CD501
    python eval/evaluate.py --rules CD201 --sources bbc --sample 30
    python eval/evaluate.py --rules CD101 --clean-only --limit 500

Rules run through the real engine (:class:`copydesk.engine.Linter`) with
their default options, exactly as ``copydesk check`` runs them.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from copydesk.document import Document  # noqa: E402
from copydesk.engine import Linter  # noqa: E402
from copydesk.plugin.manager import load_registry  # noqa: E402
from copydesk.plugin.rule import ConfiguredRule  # noqa: E402

DEFAULT_RULES = ("CD101", "CD102", "CD201", "CD501")


def make_linter(codes: tuple[str, ...]) -> tuple[Linter, list[str]]:
    registry = load_registry()
    configured = []
    missing = []
    for code in codes:
        rule = registry.get(code)
        if rule is None:
            missing.append(code)
            continue
        configured.append(ConfiguredRule(rule, rule.option_defaults()))
    # No known_rules: suppression comments do not occur in the corpora.
    return Linter(configured), missing


# -- clean copy ---------------------------------------------------------------------


@dataclass
class Sample:
    source: str
    ident: str
    code: str
    message: str
    excerpt: str
    related: str


def excerpt(text: str, start: int, end: int, width: int = 160) -> str:
    piece = text[start:end]
    if len(piece) > width:
        piece = piece[: width - 20] + " … " + piece[-15:]
    return piece.replace("\n", "⏎")


def run_clean(linter: Linter, sources: tuple[str, ...], limit: int | None, sample_size: int, seed: int) -> None:
    paragraphs: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    articles_with: dict[str, Counter[str]] = defaultdict(Counter)
    samples: dict[str, list[Sample]] = defaultdict(list)
    seen: Counter[str] = Counter()
    rng = random.Random(seed)
    elapsed = 0.0
    words = 0
    failures: Counter[str] = Counter()
    for source in sources:
        for number, article in enumerate(corpus.articles((source,))):
            if limit is not None and number >= limit:
                break
            doc = Document(article.text, path=f"{article.ident}.txt")
            began = time.perf_counter()
            result = linter.lint(doc)
            elapsed += time.perf_counter() - began
            words += len(doc.tokens)
            paragraphs[source] += len(doc.paragraphs)
            for failure in result.failures:
                failures[failure.describe()] += 1
            codes_here = set()
            for diagnostic in result.diagnostics:
                counts[diagnostic.code][source] += 1
                codes_here.add(diagnostic.code)
                # Reservoir sampling: an even sample over the whole corpus.
                seen[diagnostic.code] += 1
                related = "; ".join(
                    f"{r.message}: {excerpt(doc.text, r.start, r.end, 80)}" for r in diagnostic.related[:2]
                )
                item = Sample(source, article.ident, diagnostic.code, diagnostic.message,
                              excerpt(doc.text, diagnostic.start, diagnostic.end), related)
                bucket = samples[diagnostic.code]
                if len(bucket) < sample_size:
                    bucket.append(item)
                else:
                    slot = rng.randrange(seen[diagnostic.code])
                    if slot < sample_size:
                        bucket[slot] = item
            for code in codes_here:
                articles_with[code][source] += 1

    total_paragraphs = sum(paragraphs.values())
    print("== clean copy: findings per 1,000 paragraphs")
    print(f"   {total_paragraphs} paragraphs, {words} words; lint time {elapsed:.1f}s "
          f"({1000 * elapsed / max(words, 1) * 2000:.2f} ms per 2,000 words, all selected rules)")
    header = "   rule   " + "".join(f"{s:>18}" for s in sources) + f"{'all':>18}"
    print(header)
    for code in sorted(set(counts) | {c.rule.code for c in linter.rules}):
        cells = []
        for source in sources:
            n = counts[code][source]
            cells.append(f"{n:6} ({1000 * n / max(paragraphs[source], 1):5.2f}/k)")
        n = sum(counts[code].values())
        cells.append(f"{n:6} ({1000 * n / max(total_paragraphs, 1):5.2f}/k)")
        print(f"   {code:6} " + "".join(f"{c:>18}" for c in cells))
    for description, n in failures.items():
        print(f"   FAILURE x{n}: {description}")
    for code in sorted(samples):
        print(f"\n-- sample of {code} findings on clean copy ({len(samples[code])} of {seen[code]})")
        for item in sorted(samples[code], key=lambda s: (s.source, s.ident)):
            print(f"   [{item.source} {item.ident}] {item.message}")
            print(f"       at: {item.excerpt}")
            if item.related:
                print(f"       re: {item.related}")


# -- injected defects ----------------------------------------------------------------


@dataclass
class Planted:
    """An article with a defect planted at ``spans`` (any one found = found).

    ``control`` marks a planted pair that is *not* a defect (an MRPC
    non-paraphrase, a low-scored STS pair): for those the figure printed is
    the share flagged, which should be low.
    """

    code: str
    kind: str
    text: str
    spans: list[tuple[int, int]]
    ident: str
    control: bool = False


def join(paragraphs: list[str]) -> tuple[str, list[int]]:
    starts = []
    position = 0
    for paragraph in paragraphs:
        starts.append(position)
        position += len(paragraph) + 2
    return "\n\n".join(paragraphs), starts


def body_articles(sources: tuple[str, ...], rng: random.Random, count: int, min_paragraphs: int = 7) -> list[corpus.Article]:
    pool = [a for a in corpus.articles(sources) if len(a.paragraphs()) >= min_paragraphs]
    rng.shuffle(pool)
    return pool[:count]


def plant_duplicates(articles: list[corpus.Article], rng: random.Random) -> Iterator[Planted]:
    for article in articles:
        paragraphs = article.paragraphs()
        choices = [i for i in range(1, len(paragraphs) - 1) if len(paragraphs[i].split()) >= 12]
        if not choices:
            continue
        i = rng.choice(choices)
        j = min(len(paragraphs), i + rng.randint(2, 5))
        paragraphs.insert(j, paragraphs[i])
        text, starts = join(paragraphs)
        yield Planted("CD201", "exact copy of a paragraph", text, [(starts[j], starts[j] + len(paragraphs[j]))], article.ident)


def figures(sentence: str) -> frozenset[str]:
    return frozenset(re.findall(r"\d[\d,.]*\d|\d", sentence))


def plant_paraphrases(articles: list[corpus.Article], pairs: list[corpus.SentencePair], rng: random.Random,
                      kind: str, control: bool = False) -> Iterator[Planted]:
    for article, pair in zip(articles, pairs):
        paragraphs = article.paragraphs()
        i = rng.randint(1, len(paragraphs) - 2)
        paragraphs.insert(i, pair.first)
        j = min(len(paragraphs), i + rng.randint(2, 4))
        paragraphs.insert(j, pair.second)
        text, starts = join(paragraphs)
        # Either member may be reported (the later one is), so both count.
        spans = [(starts[i], starts[i] + len(pair.first)), (starts[j], starts[j] + len(pair.second))]
        yield Planted("CD201", kind, text, spans, article.ident, control)


def plant_restatements(articles: list[corpus.Article], rng: random.Random) -> Iterator[Planted]:
    """A real paragraph restated further down: its sentences in reverse
    order, every fifth word that is not a figure dropped, a new opening."""
    for article in articles:
        paragraphs = article.paragraphs()
        choices = [i for i in range(1, len(paragraphs) - 1)
                   if len(paragraphs[i].split()) >= 15 and re.search(r"\d", paragraphs[i])]
        if not choices:
            continue
        i = rng.choice(choices)
        sentences = re.split(r"(?<=[.!?])\s+", paragraphs[i])
        words = " ".join(reversed(sentences)).split()
        kept = [w for k, w in enumerate(words) if k % 5 != 4 or re.search(r"\d", w) or w[:1].isupper()]
        restated = "As noted, " + " ".join(kept)
        j = min(len(paragraphs), i + rng.randint(2, 5))
        paragraphs.insert(j, restated)
        text, starts = join(paragraphs)
        yield Planted("CD201", "real paragraph restated (reordered, words cut)", text,
                      [(starts[j], starts[j] + len(restated))], article.ident)


SOURCES_FOR_ACCORDING = (
    "officials", "the company", "a spokesman", "analysts", "the report", "police", "people familiar with the matter",
    "the ministry", "a statement", "the figures", "industry sources", "the agency",
)


def plant_according_to(articles: list[corpus.Article], rng: random.Random) -> Iterator[Planted]:
    for article in articles:
        paragraphs = article.paragraphs()
        i = rng.randint(1, len(paragraphs) - 4)
        spans = []
        for k in range(i, i + 4):
            paragraph = paragraphs[k]
            first = paragraph[:1].lower() + paragraph[1:] if not paragraph[1:2].isupper() else paragraph
            paragraphs[k] = f"According to {rng.choice(SOURCES_FOR_ACCORDING)}, {first}"
        text, starts = join(paragraphs)
        # The first opening is legitimate; the 2nd-4th are the over-use.
        spans = [(starts[k], starts[k] + len("According to")) for k in range(i + 1, i + 4)]
        yield Planted("CD101", "'According to' opens four paragraphs", text, spans, article.ident)


def plant_sources_mid_paragraph(articles: list[corpus.Article], rng: random.Random) -> Iterator[Planted]:
    """'..., sources say.' closing three paragraphs in a row."""
    for article in articles:
        paragraphs = article.paragraphs()
        i = rng.randint(1, len(paragraphs) - 3)
        formula = rng.choice(("sources say", "according to sources", "it is understood"))
        for k in range(i, i + 3):
            body = paragraphs[k].rstrip(".")
            paragraphs[k] = f"{body}, {formula}."
        text, starts = join(paragraphs)
        end = starts[i + 2] + len(paragraphs[i + 2]) - 1
        span = (end - len(formula), end)
        yield Planted("CD101", "a formula closing three paragraphs in a row", text, [span], article.ident)


# Idioms open a paragraph ("On the other hand, ..."); epithets stand in for
# a name in an added sentence ("It was a blow to the oil-rich Gulf state.").
IDIOM_TICS = ("on the other hand", "at the end of the day", "in other words", "needless to say",
              "by the same token", "in the long run")
EPITHET_TICS = ("the oil-rich Gulf state", "the beleaguered national carrier", "the Redmond-based software giant",
                "the former Soviet republic", "the cash-strapped club", "the veteran centre-back")


def plant_repeated_phrase(articles: list[corpus.Article], rng: random.Random) -> Iterator[Planted]:
    for number, article in enumerate(articles):
        paragraphs = article.paragraphs()
        i = rng.randint(1, len(paragraphs) - 4)
        j = i + rng.randint(2, 3)
        if number % 2:
            tic = rng.choice(IDIOM_TICS)
            for k in (i, j):
                paragraph = paragraphs[k]
                lowered = paragraph[:1].lower() + paragraph[1:] if not paragraph[1:2].isupper() else paragraph
                paragraphs[k] = f"{tic[0].upper()}{tic[1:]}, {lowered}"
            text, starts = join(paragraphs)
            span = (starts[j], starts[j] + len(tic))
        else:
            tic = rng.choice(EPITHET_TICS)
            for k in (i, j):
                paragraphs[k] = f"{paragraphs[k]} It was a blow to {tic}."
            text, starts = join(paragraphs)
            end = starts[j] + len(paragraphs[j]) - 1
            span = (end - len(tic), end)
        yield Planted("CD102", "an idiom or epithet repeated 2-3 paragraphs on", text, [span], article.ident)


METADATA = ("date 2022-01-21", "Date: 2016-05-19", "updated 2015-11-16T10:22:00Z", "published: 2016-03-11 08:00",
            "slug: uk-troops-ukraine")


def plant_metadata(articles: list[corpus.Article], rng: random.Random) -> Iterator[Planted]:
    for article in articles:
        paragraphs = article.paragraphs()
        line = rng.choice(METADATA)
        paragraphs[0] = f"{line} {paragraphs[0]}"
        text, starts = join(paragraphs)
        yield Planted("CD501", "metadata glued to the headline", text, [(0, len(line))], article.ident)


def run_injected(linter: Linter, sources: tuple[str, ...], count: int, seed: int, show_misses: int) -> None:
    rng = random.Random(seed)
    selected = {c.rule.code for c in linter.rules}
    articles = body_articles(sources, rng, count)
    planted: list[Planted] = []
    if "CD201" in selected:
        planted += plant_duplicates(articles, rng)
        planted += plant_restatements(articles, rng)
        positives = [p for p in corpus.mrpc_pairs() if p.score == 1.0]
        negatives = [p for p in corpus.mrpc_pairs() if p.score == 0.0]
        sts_high = [p for p in corpus.sts_news_pairs() if p.score >= 4.0 and len(p.first.split()) >= 8]
        sts_low = [p for p in corpus.sts_news_pairs() if p.score <= 2.0 and len(p.first.split()) >= 8]
        for pool in (positives, negatives, sts_high, sts_low):
            rng.shuffle(pool)
        planted += plant_paraphrases(articles, positives, rng, "MRPC paraphrase pair (label 1)")
        same_figures = [p for p in positives if figures(p.first) == figures(p.second) and figures(p.first)]
        planted += plant_paraphrases(articles, same_figures, rng, "MRPC paraphrase, same figures (label 1)")
        planted += plant_paraphrases(articles, negatives, rng, "control: MRPC non-paraphrase (label 0)", True)
        planted += plant_paraphrases(articles, sts_high, rng, "STS news pair scored >= 4 (8+ words)")
        planted += plant_paraphrases(articles, sts_low, rng, "control: STS news pair scored <= 2", True)
    if "CD101" in selected:
        planted += plant_according_to(articles, rng)
        planted += plant_sources_mid_paragraph(articles, rng)
    if "CD102" in selected:
        planted += plant_repeated_phrase(articles, rng)
    if "CD501" in selected:
        planted += plant_metadata(articles, rng)

    found: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    misses: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in planted:
        doc = Document(item.text)
        result = linter.lint(doc)
        hits = [d for d in result.diagnostics if d.code == item.code
                and any(d.start < end and start < d.end for start, end in item.spans)]
        key = (item.code, item.kind)
        total[key] += 1
        if hits:
            found[key] += 1
        # Show what went wrong: a missed defect, or a flagged control.
        if bool(hits) == item.control and len(misses[key]) < show_misses:
            start, end = item.spans[-1]
            note = f" -> {hits[0].message}" if hits else ""
            misses[key].append(f"[{item.ident}] {excerpt(item.text, start, end, 140)}{note}")
    print(f"\n== injected defects in {len(articles)} real articles: recall (controls: share flagged)")
    for key in sorted(total):
        code, kind = key
        print(f"   {code} {kind:45} {found[key]:4}/{total[key]:<4} = {found[key] / total[key]:6.1%}")
    for key, lines in sorted(misses.items()):
        if lines:
            print(f"\n-- {'flagged' if 'control' in key[1] else 'missed'}: {key[0]} {key[1]}")
            for line in lines:
                print(f"   {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rules", default=",".join(DEFAULT_RULES), help="comma-separated rule codes")
    parser.add_argument("--sources", default=",".join(corpus.SOURCES), help="bbc,reuters,polnear")
    parser.add_argument("--limit", type=int, default=None, help="at most this many articles per source")
    parser.add_argument("--sample", type=int, default=15, help="findings to print per rule")
    parser.add_argument("--inject", type=int, default=400, help="articles to plant defects in")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-misses", type=int, default=5)
    parser.add_argument("--clean-only", action="store_true")
    parser.add_argument("--injected-only", action="store_true")
    args = parser.parse_args(argv)

    codes = tuple(code.strip() for code in args.rules.split(",") if code.strip())
    sources = tuple(s.strip() for s in args.sources.split(",") if s.strip())
    linter, missing = make_linter(codes)
    if missing:
        print(f"not registered (skipped): {', '.join(missing)}")
    if not args.injected_only:
        run_clean(linter, sources, args.limit, args.sample, args.seed)
    if not args.clean_only:
        # Wire copy is hard-wrapped tables and briefs; plant into stories.
        inject_sources = tuple(s for s in sources if s != "reuters") or sources
        run_injected(linter, inject_sources, args.inject, args.seed, args.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
