"""Load the shared news corpora (read in place, never copied into the repo).

Every loader yields :class:`Article` objects whose ``text`` is laid out the
way copydesk reads plain text: paragraphs separated by one blank line, the
headline (when the corpus has one) as the first paragraph. Each corpus's
quirks are handled here once, so evaluation scripts only iterate:

- BBC News (2,225 stories): headline, blank line, paragraphs. One file is
  Latin-1, not UTF-8; it is decoded with replacement characters.
- Reuters-21578: SGML ``<BODY>`` text, hard-wrapped at ~70 columns, a new
  paragraph starting at a line indented by spaces; entities unescaped,
  control characters and the closing "Reuter" sign-off removed.
- PolNeAR: title line, then paragraphs; some Huffington Post files break
  paragraphs with a single newline, so every line break is a paragraph
  break. ``raw_text`` keeps the file exactly as it is, for scripts that need
  the brat annotation offsets (:func:`polnear_attributions`).
- MRPC and STS-news sentence pairs, for paraphrase injection.

The data root is ``../shared/data`` beside the repository, or the directory
named by the ``COPYDESK_DATA`` environment variable.

Usage as a script prints counts: ``python eval/corpus.py``.
"""

from __future__ import annotations

import csv
import html
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_ROOT = Path(os.environ.get("COPYDESK_DATA", REPO_ROOT.parent / "shared" / "data"))

SOURCES = ("bbc", "reuters", "polnear")


@dataclass(frozen=True)
class Article:
    """One story, as plain text with blank-line-separated paragraphs."""

    source: str
    ident: str
    text: str
    path: Path
    title: str = ""
    #: The file's text exactly as stored (PolNeAR annotation offsets index it).
    raw_text: str = field(default="", repr=False)

    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]


def data_path(*parts: str) -> Path:
    path = DATA_ROOT.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"{path} not found (set COPYDESK_DATA to the shared data directory)")
    return path


# -- BBC ------------------------------------------------------------------


def bbc_articles() -> Iterator[Article]:
    root = data_path("bbc-news")
    for section in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(section.glob("*.txt")):
            raw = path.read_bytes().decode("utf-8", errors="replace")
            lines = [line.strip() for line in re.split(r"\r\n|\r|\n", raw)]
            blocks = _blocks(lines)
            title = blocks[0] if blocks else ""
            yield Article("bbc", f"{section.name}/{path.stem}", "\n\n".join(blocks), path, title, raw)


def _blocks(lines: list[str]) -> list[str]:
    """Join runs of non-empty lines into paragraphs (split at blank lines)."""
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


# -- Reuters-21578 ----------------------------------------------------------

_REUTERS_STORY = re.compile(r"<REUTERS\b[^>]*\bNEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.DOTALL)
_REUTERS_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.DOTALL)
_REUTERS_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SIGN_OFF = re.compile(r"\s*\bReuter\s*$")


def reuters_articles() -> Iterator[Article]:
    root = data_path("reuters21578")
    for path in sorted(root.glob("reut2-*.sgm")):
        # One file has a stray non-UTF-8 byte; Latin-1 reads every byte.
        raw = path.read_bytes().decode("latin-1")
        for story in _REUTERS_STORY.finditer(raw):
            body = _REUTERS_BODY.search(story.group(2))
            if body is None:
                continue
            title_match = _REUTERS_TITLE.search(story.group(2))
            title = _clean_reuters(title_match.group(1)) if title_match else ""
            paragraphs = _reuters_paragraphs(body.group(1))
            if paragraphs:
                yield Article("reuters", story.group(1), "\n\n".join(paragraphs), path, title, body.group(1))


def _clean_reuters(text: str) -> str:
    return _CONTROL.sub("", html.unescape(text))


def _reuters_paragraphs(body: str) -> list[str]:
    text = _SIGN_OFF.sub("", _clean_reuters(body))
    paragraphs: list[str] = []
    current: list[str] = []
    for line in re.split(r"\r\n|\r|\n", text):
        if line.startswith(" ") and current:
            paragraphs.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


# -- PolNeAR ----------------------------------------------------------------

POLNEAR_SPLITS = ("train", "dev", "annotator-training")


def polnear_articles(splits: tuple[str, ...] = POLNEAR_SPLITS) -> Iterator[Article]:
    root = data_path("polnear")
    for split in splits:
        for path in sorted((root / split / "text").glob("*.txt")):
            raw = path.read_text(encoding="utf-8", errors="replace")
            lines = [line.strip() for line in re.split(r"\r\n|\r|\n", raw)]
            paragraphs = [line for line in lines if line]
            title = paragraphs[0] if paragraphs else ""
            yield Article("polnear", f"{split}/{path.stem}", "\n\n".join(paragraphs), path, title, raw)


@dataclass(frozen=True)
class Attribution:
    """One brat attribution relation: spans are (start, end) into ``raw_text``."""

    source: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]
    content: tuple[tuple[int, int], ...]


def polnear_attributions(article: Article) -> dict[str, list[Attribution]]:
    """Annotations of a PolNeAR article, keyed by annotator id."""
    folder = article.path.parent.parent / "attributions"
    found: dict[str, list[Attribution]] = {}
    for ann in sorted(folder.glob(f"{article.path.stem}_*.ann")):
        annotator = ann.stem.rsplit("_", 1)[1]
        found[annotator] = _parse_brat(ann.read_text(encoding="utf-8"))
    return found


def _parse_brat(text: str) -> list[Attribution]:
    spans: dict[str, tuple[tuple[int, int], ...]] = {}
    relations: list[dict[str, str]] = []
    for line in text.split("\n"):
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _kind, _, ranges = parts[1].partition(" ")
            spans[parts[0]] = tuple(
                (int(a), int(b)) for a, b in (r.split() for r in ranges.split(";"))
            )
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    return [
        Attribution(
            source=spans.get(rel.get("Source", ""), ()),
            cue=spans.get(rel.get("Cue", ""), ()),
            content=spans.get(rel.get("Content", ""), ()),
        )
        for rel in relations
    ]


# -- everything ---------------------------------------------------------------


def articles(sources: tuple[str, ...] = SOURCES) -> Iterator[Article]:
    loaders = {"bbc": bbc_articles, "reuters": reuters_articles, "polnear": polnear_articles}
    for source in sources:
        yield from loaders[source]()


# -- paraphrase pairs ---------------------------------------------------------


@dataclass(frozen=True)
class SentencePair:
    first: str
    second: str
    #: MRPC: 1.0 paraphrase / 0.0 not; STS: similarity 0-5.
    score: float
    corpus: str


def mrpc_pairs() -> Iterator[SentencePair]:
    path = data_path("mrpc", "msr_paraphrase_train.txt")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        for row in reader:
            if len(row) >= 5:
                yield SentencePair(row[3].strip(), row[4].strip(), float(row[0]), "mrpc")


def sts_news_pairs(split: str = "train") -> Iterator[SentencePair]:
    path = data_path("sts-benchmark-news", f"sts-{split}.news-only.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        for line in handle:
            row = line.rstrip("\n").split("\t")
            if len(row) >= 7:
                yield SentencePair(row[5].strip(), row[6].strip(), float(row[4]), "sts")


def main(argv: list[str]) -> int:
    sources = tuple(argv[1].split(",")) if len(argv) > 1 else SOURCES
    for source in sources:
        count = paragraphs = words = 0
        for article in articles((source,)):
            count += 1
            paragraphs += len(article.paragraphs())
            words += len(article.text.split())
        print(f"{source:8} {count:6} articles {paragraphs:7} paragraphs {words:9} words")
    print(f"mrpc     {sum(1 for _ in mrpc_pairs()):6} pairs")
    print(f"sts      {sum(1 for _ in sts_news_pairs()):6} pairs (train)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
