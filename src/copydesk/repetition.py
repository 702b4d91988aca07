"""Shared analysis for the repetition rules: paragraph word profiles and
duplicated paragraphs.

Computed once per document and cached on it (:meth:`Document.cached`),
so ``duplicate-paragraph`` and ``repeated-phrase`` -- which must not both
report the same restated paragraph -- share one pass.

Near-duplicates are found with an inverted index and *prefix filtering*
(Chaudhuri et al., "A primitive operator for similarity joins", 2006),
an exact method for set-similarity joins: order every paragraph's content
words from rarest to commonest across the document; if a shorter
paragraph S shares at least ``ceil(t * |S|)`` words with a longer one, one
of S's ``|S| - ceil(t * |S|) + 1`` rarest words must be among them. Only
those "prefix" words are looked up, rare words have short posting lists,
and so the cost stays near-linear in the number of paragraphs instead of
comparing every pair.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from copydesk.lru import LRU

if TYPE_CHECKING:
    from copydesk.document import Document

# A general-purpose English stop list, plus the neutral attribution verbs:
# "said" in two paragraphs says nothing about whether they repeat a fact.
STOP_WORDS = frozenset(
    """a about above after again against all also although am an and any are aren't as at
    be because been before being below between both but by can can't cannot could couldn't
    did didn't do does doesn't doing don't down during each even ever every few for from
    further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it it's
    its itself just let's many may me might more most much must mustn't my myself neither no
    nor not now of off on once only or other others otherwise our ours ourselves out over own
    per rather same several shall shan't she she'd she'll she's should shouldn't since so some
    such than that that's the their theirs them themselves then there there's these they
    they'd they'll they're they've this those though through thus to too under until up upon
    us very via was wasn't we we'd we'll we're we've were weren't what what's when when's
    where where's whether which while who who's whom whose why why's will with within without
    won't would wouldn't yet you you'd you'll you're you've your yours yourself yourselves
    according said says say saying told tell tells added adds also mr mrs ms dr""".split()
)

# Spelled-out numbers are figures too: "two cts" is not "four cts".
NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
NUMBER_WORDS.update(
    {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
     "ninety": "90", "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000",
     "half": "0.5", "dozen": "12"}
)

_SUFFIXES = ("ing", "ed", "es", "s", "e")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")


def normal_word(text: str) -> str:
    """Lower case, curly apostrophes straightened, possessive dropped."""
    return _word_facts(text).normal


@dataclass(frozen=True)
class _WordFacts:
    normal: str
    #: The number it writes, normalised ("2000" for "2,000" or "two thousand"'s parts).
    number: str | None
    #: Its stem if it is a content word (not a stop word, not a number).
    content: str | None
    #: Has a letter and is not all digits: counts towards a paragraph's length.
    is_word: bool


@lru_cache(maxsize=1 << 16)
def _word_facts(text: str) -> _WordFacts:
    """Everything the repetition rules ask of a word, computed once per
    distinct spelling (news copy repeats its words; this is the hot loop)."""
    word = text.lower().replace("’", "'").replace("‘", "'")
    if word.endswith("'s"):
        word = word[:-2]
    number = number_value(word)
    content = None if number is not None or word in STOP_WORDS else stem(word)
    return _WordFacts(word, number, content, bool(_LETTER.search(text)) and not text.isdigit())


def stem(word: str) -> str:
    """A deliberately crude stem: "training"/"trained"/"train" meet."""
    if _DIGIT.search(word):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def number_value(word: str) -> str | None:
    """A normal form for a number written in digits or words, else None."""
    if _DIGIT.search(word):
        return word.replace(",", "")  # "2,000" and "2000" are one figure
    return NUMBER_WORDS.get(word)


@dataclass(frozen=True)
class ParagraphProfile:
    """What the repetition rules need to know about one paragraph."""

    index: int
    start: int
    end: int
    #: Words with at least one letter (table rows of figures are not prose).
    word_count: int
    #: Sentences in the paragraph.
    sentence_count: int
    #: Stems of the words that are not stop words.
    content: frozenset[str]
    #: Numbers, without thousands separators ("2000", "30").
    numbers: frozenset[str]
    #: Each number as first written in the paragraph, for messages.
    number_text: dict[str, str]
    #: Capitalised words that do not open a sentence (names), lower-cased.
    names: frozenset[str]
    name_text: dict[str, str]
    #: The names' stems, as they appear in ``content``.
    name_stems: frozenset[str]
    #: Hash of the text with case, punctuation and spacing normalised away.
    fingerprint: str


def paragraph_profiles(doc: "Document") -> tuple[ParagraphProfile, ...]:
    return doc.cached("paragraph_profiles", lambda: _profiles(doc))


def sentence_openers(doc: "Document") -> frozenset[int]:
    """Start offsets of the first word of every sentence."""

    def compute() -> frozenset[int]:
        tokens = doc.tokens
        starts = [t.start for t in tokens]
        openers = set()
        for sentence in doc.sentences:
            index = bisect_left(starts, sentence.start)
            if index < len(tokens) and tokens[index].start < sentence.end:
                openers.add(tokens[index].start)
        return frozenset(openers)

    return doc.cached("sentence_openers", compute)


def paragraph_text_key(prose: str, start: int, end: int) -> str | None:
    """The paragraph's prose, if its tokens depend on nothing else: only
    whitespace (or the document's edge) on either side, so no word runs
    across its boundaries. None otherwise (do not memoise)."""
    if (start == 0 or prose[start - 1].isspace()) and (end == len(prose) or prose[end].isspace()):
        return prose[start:end]
    return None


#: Paragraph profiles without their position, by paragraph text and openers.
_PROFILE_MEMO: LRU[tuple] = LRU(4096)


def _profiles(doc: "Document") -> tuple[ParagraphProfile, ...]:
    openers = sentence_openers(doc)
    sorted_openers = sorted(openers)
    prose = doc.prose
    profiles = []
    for paragraph, tokens in zip(doc.paragraphs, doc.paragraph_tokens):
        start = paragraph.start
        text_key = paragraph_text_key(prose, start, paragraph.end)
        key = None
        if text_key is not None:
            # Sentence openers come from the whole document's segmentation:
            # they are part of the key, relative to the paragraph.
            low = bisect_left(sorted_openers, start)
            high = bisect_left(sorted_openers, paragraph.end, low)
            key = (text_key, tuple(offset - start for offset in sorted_openers[low:high]))
            fields = _PROFILE_MEMO.get(key)
            if fields is not None:
                profiles.append(ParagraphProfile(paragraph.index, start, paragraph.end, *fields))
                continue
        fields = _profile_fields(tokens, openers)
        if key is not None:
            _PROFILE_MEMO.put(key, fields)
        profiles.append(ParagraphProfile(paragraph.index, start, paragraph.end, *fields))
    return tuple(profiles)


def _profile_fields(tokens, openers: frozenset[int]) -> tuple:
    """A paragraph profile's fields after its position, in declaration order."""
    content: set[str] = set()
    numbers: set[str] = set()
    number_text: dict[str, str] = {}
    names: set[str] = set()
    name_text: dict[str, str] = {}
    normals = []
    word_count = sentence_count = 0
    for token in tokens:
        facts = _word_facts(token.text)
        normals.append(facts.normal)
        word_count += facts.is_word
        opens_sentence = token.start in openers
        sentence_count += opens_sentence
        if facts.number is not None:
            numbers.add(facts.number)
            number_text.setdefault(facts.number, token.text)
            content.add(facts.number)
        elif facts.content is not None:
            content.add(facts.content)
            if token.text[:1].isupper() and not opens_sentence:
                names.add(facts.normal)
                name_text.setdefault(facts.normal, token.text.replace("’", "'").removesuffix("'s"))
    normalised = " ".join(normals)
    return (
        word_count,
        sentence_count,
        frozenset(content),
        frozenset(numbers),
        number_text,
        frozenset(names),
        name_text,
        frozenset(stem(name) for name in names),
        hashlib.blake2b(normalised.encode("utf-8"), digest_size=16).hexdigest(),
    )


# -- duplicated paragraphs ------------------------------------------------------


@dataclass(frozen=True)
class DuplicatePair:
    """A paragraph that repeats an earlier one."""

    later: ParagraphProfile
    earlier: ParagraphProfile
    exact: bool
    #: Share of the shorter paragraph's content words found in the other.
    similarity: float
    #: Numbers and names the two share.
    shared_figures: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateSettings:
    min_words: int = 8
    threshold: float = 0.7
    #: The shorter paragraph's content words as a share of the longer's.
    min_size_ratio: float = 0.4
    #: Content words other than names the two must share, at least.
    min_shared: int = 5
    #: Earlier paragraphs looked at per paragraph, at most (bounds the cost
    #: on pathological input such as thousands of near-identical lines).
    max_candidates: int = 64
    #: Words found in more paragraphs than this are not looked up in the
    #: index (never reached in an article; keeps a 40,000-paragraph file fast).
    max_word_frequency: int = 100


def duplicate_pairs(doc: "Document", settings: DuplicateSettings = DuplicateSettings()) -> tuple[DuplicatePair, ...]:
    """Each paragraph that repeats an earlier one, paired with its best match."""
    return doc.cached(("duplicate_pairs", settings), lambda: _find_duplicates(doc, settings))


def _find_duplicates(doc: "Document", settings: DuplicateSettings) -> tuple[DuplicatePair, ...]:
    profiles = paragraph_profiles(doc)
    eligible = [p for p in profiles if p.word_count >= settings.min_words and p.content]
    pairs: list[DuplicatePair] = []

    first_with_fingerprint: dict[str, ParagraphProfile] = {}
    frequency: dict[str, int] = {}
    for profile in eligible:
        for word in profile.content:
            frequency[word] = frequency.get(word, 0) + 1

    # Postings: word -> paragraphs (positions in `eligible`) holding it, over
    # all content words and over prefix words only.
    full_index: dict[str, list[int]] = {}
    prefix_index: dict[str, list[int]] = {}
    for position, profile in enumerate(eligible):
        earlier = first_with_fingerprint.get(profile.fingerprint)
        if earlier is not None:
            pairs.append(DuplicatePair(profile, earlier, True, 1.0, _shared_figures(profile, earlier)))
            continue  # an exact copy adds nothing new to the index
        first_with_fingerprint[profile.fingerprint] = profile

        ordered = sorted(profile.content, key=lambda w: (frequency[w], w))
        prefix = ordered[: _prefix_length(len(ordered), settings.threshold)]
        # Words in very many paragraphs ("said", "mln" in a wire file) find
        # nothing a rarer word would not: they are not looked up.
        lookup = [w for w in ordered if frequency[w] <= settings.max_word_frequency]
        candidates = _candidates(lookup, [w for w in prefix if frequency[w] <= settings.max_word_frequency],
                                 full_index, prefix_index, settings)

        best: DuplicatePair | None = None
        for other in candidates:
            pair = _near_duplicate(profile, eligible[other], settings)
            if pair is not None and (best is None or pair.similarity > best.similarity):
                best = pair
        if best is not None:
            pairs.append(best)

        for word in ordered:
            full_index.setdefault(word, []).append(position)
        for word in prefix:
            prefix_index.setdefault(word, []).append(position)
    pairs.sort(key=lambda pair: pair.later.index)
    return tuple(pairs)


def _candidates(
    ordered: list[str],
    prefix: list[str],
    full_index: dict[str, list[int]],
    prefix_index: dict[str, list[int]],
    settings: DuplicateSettings,
) -> dict[int, None]:
    """Earlier paragraphs that may share enough words with this one.

    Exact by prefix filtering -- this paragraph's prefix against every
    earlier paragraph's words, all its words against earlier prefixes --
    except that the work per paragraph is capped: rarest words first, most
    recent paragraphs first, at most ``max_candidates``, so no input can
    make the index quadratic.
    """
    candidates: dict[int, None] = {}
    for words, index in ((prefix, full_index), (ordered, prefix_index)):
        for word in words:
            for other in reversed(index.get(word, ())):
                candidates[other] = None
                if len(candidates) >= settings.max_candidates:
                    return candidates
    return candidates


def _prefix_length(size: int, threshold: float) -> int:
    return size - math.ceil(threshold * size - 1e-9) + 1


def _near_duplicate(later: ParagraphProfile, earlier: ParagraphProfile, settings: DuplicateSettings) -> DuplicatePair | None:
    shorter, longer = (later, earlier) if len(later.content) <= len(earlier.content) else (earlier, later)
    if len(shorter.content) < settings.min_size_ratio * len(longer.content):
        return None
    common = shorter.content & longer.content
    similarity = len(common) / len(shorter.content)
    if similarity < settings.threshold:
        return None
    # Names alone make a list (fixtures, a line-up), not a statement of fact.
    if len(common - shorter.name_stems - longer.name_stems) < settings.min_shared:
        return None
    if earlier.index == 0 and earlier.sentence_count <= 1:
        return None  # a headline, which the story's first paragraphs retell by design
    # The facts must be the same facts: every number and name of the shorter
    # paragraph is in the longer one ("30 troops" is not "40 troops").
    if not shorter.numbers <= longer.numbers:
        return None
    if not shorter.name_stems <= longer.content:
        return None
    return DuplicatePair(later, earlier, False, similarity, _shared_figures(later, earlier))


def _shared_figures(a: ParagraphProfile, b: ParagraphProfile) -> tuple[str, ...]:
    """Shared numbers (as written in ``a``, in its order) then shared names."""
    numbers = [a.number_text[n] for n in a.number_text if n in b.numbers]
    names = [a.name_text[n] for n in a.name_text if n in b.names]
    return tuple(numbers) + tuple(names)
