"""Paragraphs repeated across the files of a run (``copydesk check --cross-file``).

``duplicate-paragraph`` (CD201) compares the paragraphs of one document;
an archive also repeats paragraphs from one story to the next: a wire
paragraph pasted into two stories, boilerplate left in from a template, a
story filed twice. Comparing every paragraph with every other is quadratic,
so this module uses MinHash with locality-sensitive hashing, linear in the
number of paragraphs:

* each paragraph becomes the set of its word 3-grams (shingles), each
  hashed to 64 bits by a fixed function (BLAKE2 per distinct word, not
  Python's salted ``hash``), so signatures agree across processes;
* its MinHash signature is taken by *one-permutation hashing* with
  densification (Shrivastava and Li, ICML 2014): the top bits of a
  shingle's hash choose one of ``bins`` bins, each bin keeps its minimum,
  empty bins are filled from their right-hand neighbour -- one hash per
  shingle instead of one per shingle and hash function;
* the signature is cut into ``bands`` bands of ``rows`` values; paragraphs
  sharing any whole band are candidates (at the defaults, 8 bands of 4, a
  pair with Jaccard similarity 0.8 becomes a candidate 98.5% of the time,
  one at 0.3 under 7%);
* a candidate is confirmed by its exact Jaccard similarity over the
  shingle sets, so what is reported is measured, not estimated.

Exact copies (same words, case and punctuation aside) are found first by a
digest, so a paragraph pasted into thousands of files costs one dictionary
look-up per copy. Each LSH bucket keeps at most ``bucket_size``
representatives: a paragraph is compared with at most ``bands *
bucket_size`` others, however many near-copies the archive holds, which is
what keeps the whole linear. Each later occurrence is reported against the
first one seen, in the order files were given; repeats inside one file are
left to CD201.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from copydesk.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from copydesk.api import Session
    from copydesk.document import Document, Token

CODE = "CD202"
NAME = "cross-file-duplicate"

_MASK64 = (1 << 64) - 1
_P1 = 0x9E3779B97F4A7C15
_P2 = 0xC2B2AE3D27D4EB4F
_EMPTY = -1


@dataclass(frozen=True)
class CrossFileSettings:
    #: Least Jaccard similarity of word 3-grams for a near-duplicate.
    threshold: float = 0.8
    #: Paragraphs with fewer words are not compared (datelines, sign-offs).
    min_words: int = 12
    bins: int = 32
    bands: int = 8
    rows: int = 4
    #: Representatives kept per LSH bucket (bounds the work per paragraph).
    bucket_size: int = 8

    def __post_init__(self) -> None:
        if self.bands * self.rows != self.bins:
            raise ValueError("bands * rows must equal bins")


@dataclass(frozen=True)
class ParagraphRef:
    """A paragraph of one file of the run."""

    path: str
    start: int
    end: int


@dataclass(frozen=True)
class CrossFileMatch:
    """``paragraph`` repeats ``original``, an earlier paragraph of another file."""

    paragraph: ParagraphRef
    original: ParagraphRef
    similarity: float

    @property
    def exact(self) -> bool:
        return self.similarity >= 1.0


@dataclass
class _Entry:
    ref: ParagraphRef
    file_number: int
    shingles: array  # sorted, distinct 64-bit shingle hashes


class CrossFileIndex:
    """Paragraphs seen so far; :meth:`add` reports a file's repeats of them."""

    def __init__(self, settings: CrossFileSettings = CrossFileSettings()) -> None:
        self.settings = settings
        self._exact: dict[bytes, tuple[ParagraphRef, int]] = {}
        self._buckets: dict[tuple[int, tuple[int, ...]], list[_Entry]] = {}
        self._word_hashes: dict[str, int] = {}
        self._files = 0
        self.paragraphs = 0

    def add(self, path: str, document: "Document") -> list[CrossFileMatch]:
        """Index the paragraphs of one file; return those repeating earlier files."""

        self._files += 1
        file_number = self._files
        matches: list[CrossFileMatch] = []
        for paragraph, tokens in zip(document.paragraphs, document.paragraph_tokens):
            if len(tokens) < self.settings.min_words:
                continue
            self.paragraphs += 1
            ref = ParagraphRef(path, paragraph.start, paragraph.end)
            match = self._add_paragraph(ref, file_number, self._word_values(tokens))
            if match is not None:
                matches.append(match)
        return matches

    def _word_values(self, tokens: Sequence["Token"]) -> list[int]:
        """A 64-bit hash of each word, case and apostrophes normalised."""
        from copydesk.repetition import normal_word

        known = self._word_hashes
        values = []
        for token in tokens:
            value = known.get(token.text)
            if value is None:
                word = normal_word(token.text).encode("utf-8", "surrogatepass")
                value = known[token.text] = int.from_bytes(hashlib.blake2b(word, digest_size=8).digest(), "little")
            values.append(value)
        return values

    def _add_paragraph(self, ref: ParagraphRef, file_number: int, words: list[int]) -> CrossFileMatch | None:
        digest = hashlib.blake2b(array("Q", words).tobytes(), digest_size=16).digest()
        first = self._exact.get(digest)
        if first is not None:
            original, original_file = first
            return CrossFileMatch(ref, original, 1.0) if original_file != file_number else None
        self._exact[digest] = (ref, file_number)

        shingles = _shingles(words)
        keys = self._band_keys(self._signature(shingles))
        best: tuple[float, _Entry] | None = None
        seen: set[int] = set()
        for key in keys:
            for entry in self._buckets.get(key, ()):
                if entry.file_number == file_number or id(entry) in seen:
                    continue
                seen.add(id(entry))
                similarity = _jaccard(shingles, entry.shingles)
                if similarity >= self.settings.threshold and (best is None or similarity > best[0]):
                    best = (similarity, entry)
        entry = _Entry(ref, file_number, shingles)
        for key in keys:
            bucket = self._buckets.setdefault(key, [])
            if len(bucket) < self.settings.bucket_size:
                bucket.append(entry)
        if best is None:
            return None
        return CrossFileMatch(ref, best[1].ref, round(best[0], 3))

    def _signature(self, shingles: array) -> list[int]:
        """One-permutation MinHash: the top bits of a shingle pick its bin,
        and since ``shingles`` is sorted the first value in each bin's range
        is that bin's minimum -- one binary search per bin."""
        bins = self.settings.bins
        shift = 64 - (bins - 1).bit_length()
        count = len(shingles)
        signature = []
        for slot in range(bins):
            at = bisect_left(shingles, slot << shift)
            found = at < count and shingles[at] >> shift == slot
            signature.append(shingles[at] if found else _EMPTY)
        return _densified(signature)

    def _band_keys(self, signature: list[int]) -> list[tuple[int, tuple[int, ...]]]:
        rows = self.settings.rows
        return [(band, tuple(signature[band * rows : (band + 1) * rows])) for band in range(self.settings.bands)]


def _shingles(words: Sequence[int]) -> array:
    """Sorted distinct hashes of the word 3-grams. The word hashes are
    already uniform, so a multiply-add per 3-gram mixes them well enough."""
    shingles = {((a * _P1 + b) * _P2 + c) & _MASK64 for a, b, c in zip(words, words[1:], words[2:])}
    return array("Q", sorted(shingles))


def _densified(signature: list[int]) -> list[int]:
    """Fill each empty bin from the next non-empty one to its right (circularly),
    offset by the distance, so that two sets agree on a filled bin about as
    often as on a real one."""
    if _EMPTY not in signature or all(value == _EMPTY for value in signature):
        return signature
    bins = len(signature)
    filled = list(signature)
    for slot in range(bins):
        if signature[slot] != _EMPTY:
            continue
        distance = 1
        while signature[(slot + distance) % bins] == _EMPTY:
            distance += 1
        filled[slot] = signature[(slot + distance) % bins] ^ (distance << 1) | 1
    return filled


def _jaccard(a: array, b: array) -> float:
    if not a or not b:
        return 0.0
    first, second = set(a), set(b)
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def find_cross_file_duplicates(
    documents: Iterable[tuple[str, "Document"]], settings: CrossFileSettings = CrossFileSettings()
) -> list[CrossFileMatch]:
    """Every paragraph that repeats a paragraph of an earlier document."""
    index = CrossFileIndex(settings)
    matches: list[CrossFileMatch] = []
    for path, document in documents:
        matches.extend(index.add(path, document))
    return matches


def diagnostic(match: CrossFileMatch, original_line: int) -> Diagnostic:
    """The finding reported on the later paragraph of a match."""
    where = f"{match.original.path}:{original_line}"
    if match.exact:
        message = f"paragraph repeats one in {where}"
    else:
        message = f"paragraph nearly repeats one in {where} ({match.similarity:.0%} of its word sequences shared)"
    return Diagnostic(
        code=CODE,
        rule=NAME,
        severity=Severity.WARNING,
        message=message,
        start=match.paragraph.start,
        end=match.paragraph.end,
    )


def add_cross_file_diagnostics(
    results: Sequence,  # type: ignore[type-arg]
    settings: CrossFileSettings = CrossFileSettings(),
    session: "Session | None" = None,
) -> int:
    """For the CLI: add a CD202 diagnostic to each file result (anything with
    ``path``, ``text`` and a ``diagnostics`` list) whose paragraphs repeat an
    earlier file's; return how many were added.

    With a ``session``, each file's configuration decides as it does for
    every rule: CD202 is reported only where it is selected, at its
    configured severity, and not where a suppression comment disables it.
    """
    from copydesk.document import Document
    from copydesk.positions import LineIndex

    index = CrossFileIndex(settings)
    by_path = {}
    line_indexes: dict[str, LineIndex] = {}
    added = 0
    for result in results:
        if not result.text:
            continue
        by_path[result.path] = result
        document = Document(result.text, result.path)
        for match in index.add(result.path, document):
            path = match.original.path
            if path not in line_indexes:
                line_indexes[path] = LineIndex(by_path[path].text)
            line = line_indexes[path].location(match.original.start).line
            found = diagnostic(match, line)
            if session is not None:
                found = _as_configured(found, document, session)
            if found is not None:
                result.diagnostics.append(found)
                added += 1
        result.diagnostics.sort(key=lambda d: d.sort_key)
    return added


def _as_configured(found: Diagnostic, document: "Document", session: "Session") -> Diagnostic | None:
    from dataclasses import replace

    from copydesk.suppression import Suppressions

    configured = next((c for c in session.rules_for(document.path) if c.rule.code == CODE), None)
    if configured is None:
        return None
    if Suppressions.from_document(document, session.registry).suppresses(found):
        return None
    return replace(found, severity=configured.effective_severity)
