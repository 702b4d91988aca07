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

import math
import re
import weakref
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import eq, le, lt
from typing import TYPE_CHECKING, Callable

from copydesk._record import Record, set_field
from copydesk.document import TOKEN_PATTERN, paragraph_text_key
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


class _WordFacts(Record):
    """What the repetition rules make of one word as written."""

    __slots__ = ("normal", "number", "content", "is_word")
    normal: str
    #: The number it writes, normalised ("2000" for "2,000" or "two thousand"'s parts).
    number: str | None
    #: Its stem if it is a content word (not a stop word, not a number).
    content: str | None
    #: Has a letter and is not all digits: counts towards a paragraph's length.
    is_word: bool

    def __init__(self, normal: str, number: str | None, content: str | None, is_word: bool) -> None:
        set_field(self, "normal", normal)
        set_field(self, "number", number)
        set_field(self, "content", content)
        set_field(self, "is_word", is_word)


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


# -- the words of each paragraph ------------------------------------------------
#
# The repetition rules read every word of a document, so this is where
# their time goes. Words are kept as plain lists of strings, one list per
# paragraph, made by C-level operations on whole paragraphs (one regex
# ``split`` giving words and the text between them, one ``lower`` of the
# joined words), never by building an object per word; offsets are added
# up only for the paragraphs a finding or a close comparison needs.

# A phrase break: the marks that end a run of words in ``repeated-phrase``
# (sentence ends, clause breaks, quotation marks, brackets, dashes).
PHRASE_BREAK = re.compile(r"[.!?;:\"“”‘()\[\]—–]|\s-\s|[\r\n]")
_POSSESSIVE_END = re.compile(r"'s(?= |\Z)")


# Capturing the words makes split() return text, word, text, word, ... text.
_WORD_SPLIT = re.compile(f"({TOKEN_PATTERN.pattern})").split


def lowered_words(texts: list[str]) -> str:
    """The words lower-cased, ’ made ', joined by single spaces (a word
    holds no space, and ‘ is never part of one: only ’ and ')."""
    return " ".join(texts).lower().replace("’", "'")


def normal_words(texts: list[str], lowered: str | None = None) -> tuple[str, list[str]]:
    """The words of ``texts`` as :func:`normal_word` writes them, joined by
    single spaces, and as a list: one ``lower`` and one regex pass over the
    joined words instead of one call per word."""
    if not texts:
        return "", []
    joined = _POSSESSIVE_END.sub("", lowered_words(texts) if lowered is None else lowered)
    return joined, joined.split(" ")


class ParagraphWords:
    """One paragraph's words and the text between them: what depends on its
    text alone, so one instance serves every document holding a paragraph
    of that text."""

    __slots__ = ("texts", "gaps", "leading", "lowered", "normals", "joined", "run_sizes", "_spans", "_duplicate_fields")

    def __init__(self, texts: list[str], gaps: list[str], leading: str, spans: tuple[list[int], list[int]] | None = None) -> None:
        #: The words as written.
        self.texts = texts
        #: ``gaps[k]``: the text between word k and word k + 1.
        self.gaps = gaps
        #: The text before the first word.
        self.leading = leading
        #: The words lower-cased (’ made '), joined by spaces: what attribution formulae read.
        self.lowered = lowered_words(texts)
        joined, normals = normal_words(texts, self.lowered)
        #: The words normalised (:func:`normal_word`), and joined by spaces.
        self.normals = normals
        self.joined = joined
        #: Words in each run between phrase breaks.
        self.run_sizes = _run_sizes(gaps, len(texts))
        self._spans = spans
        self._duplicate_fields: tuple[int, frozenset[str], str] | None = None

    @classmethod
    def from_pieces(cls, pieces: list[str]) -> "ParagraphWords":
        """From ``split`` output: text, word, text, ..., word, text."""
        return cls(pieces[1::2], pieces[2:-1:2], pieces[0])

    def relative_spans(self) -> tuple[list[int], list[int]]:
        """Start and end of each word, relative to the paragraph's start."""
        if self._spans is None:
            lengths = chain.from_iterable(zip(map(len, [self.leading, *self.gaps]), map(len, self.texts)))
            offsets = list(accumulate(lengths))
            self._spans = (offsets[0::2], offsets[1::2])
        return self._spans

    def duplicate_fields(self) -> tuple[int, frozenset[str], str]:
        """(words with a letter, content stems and numbers, fingerprint: the
        normalised words joined, equal for exact copies)."""
        if self._duplicate_fields is None:
            word_count = sum(map(_IS_WORD.__getitem__, self.texts))
            content = frozenset(map(_CONTENT_KEY.__getitem__, set(self.normals).difference(STOP_WORDS)))
            # The normalised words themselves: an exact key, where a digest
            # would cost an import (hashlib) on every cold start.
            self._duplicate_fields = (word_count, content, self.joined)
        return self._duplicate_fields


def _run_sizes(gaps: list[str], words: int) -> list[int]:
    """Words in each run of words no phrase break divides."""
    sizes = []
    run_start = 0
    # Gaps repeat (" ", ", ", ". "): each distinct one is searched once.
    for index in compress(count(), map(_BREAKS_IN_GAP.__getitem__, gaps)):
        sizes.append(index + 1 - run_start)
        run_start = index + 1
    sizes.append(words - run_start)
    return sizes


class _WordTable(dict):
    """A dict filled on first lookup, so a C-level ``map`` over its
    ``__getitem__`` computes each distinct word once."""

    def __init__(self, compute: Callable[[str], object]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, word: str) -> object:
        value = self[word] = self._compute(word)
        if len(self) > 1 << 17:  # unbounded growth on an endless stream of new words
            self.clear()
            self[word] = value
        return value


_BREAKS_IN_GAP = _WordTable(lambda gap: PHRASE_BREAK.search(gap) is not None)
_IS_WORD = _WordTable(lambda text: _word_facts(text).is_word)
#: A normal (non-stop) word's key among a paragraph's content: its number, or its stem.
_CONTENT_KEY = _WordTable(lambda normal: number_value(normal) or stem(normal))

#: Word lists by paragraph text (edited paragraphs are the only new ones
#: after a keystroke).
_WORDS_MEMO: LRU[ParagraphWords] = LRU(4096)


def clear_memos() -> None:
    """Forget paragraphs seen before (benchmarks time a cold start with it)."""
    _WORDS_MEMO.clear()
    from copydesk import attribution_formulae

    attribution_formulae.clear_memo()


def paragraph_words(doc: "Document") -> tuple[ParagraphWords, ...]:
    """The words of each paragraph, in paragraph order."""
    return doc.cached("paragraph_words", lambda: _paragraph_words(doc))


def _paragraph_words(doc: "Document") -> tuple[ParagraphWords, ...]:
    prose = doc.prose
    split = _WORD_SPLIT
    memo_get, memo_put = _WORDS_MEMO.get, _WORDS_MEMO.put
    result = []
    for paragraph in doc.paragraphs:
        start, end = paragraph.start, paragraph.end
        text = paragraph_text_key(prose, start, end)
        if text is None:
            # A word may run across the edge: the document's tokens decide.
            tokens = doc.tokens_between(start, end)
            gaps = [prose[left.end : right.start] for left, right in zip(tokens, tokens[1:])]
            leading = prose[start : tokens[0].start] if tokens else prose[start:end]
            spans = ([t.start - start for t in tokens], [t.end - start for t in tokens])
            result.append(ParagraphWords([t.text for t in tokens], gaps, leading, spans))
            continue
        words = memo_get(text)
        if words is None:
            words = ParagraphWords.from_pieces(split(text))
            memo_put(text, words)
        result.append(words)
    return tuple(result)


def word_spans(doc: "Document", index: int) -> tuple[list[int], list[int]]:
    """Start and end offsets of the words of paragraph ``index`` (added up on
    demand: only paragraphs a finding or a close comparison needs)."""
    spans: dict[int, tuple[list[int], list[int]]] = doc.cached("word_spans", dict)
    found = spans.get(index)
    if found is None:
        shift = doc.paragraphs[index].start
        starts, ends = paragraph_words(doc)[index].relative_spans()
        found = spans[index] = ([start + shift for start in starts], [end + shift for end in ends])
    return found


def paragraph_openers(doc: "Document", index: int) -> frozenset[int]:
    """Start offsets of the words opening a sentence in paragraph ``index``."""
    openers: dict[int, frozenset[int]] = doc.cached("paragraph_openers", dict)
    found = openers.get(index)
    if found is None:
        paragraph = doc.paragraphs[index]
        sentences = doc.sentences
        starts = doc.cached("sentence_starts", lambda: [s.start for s in sentences])
        word_starts = word_spans(doc, index)[0]
        found_set = set()
        for position in range(bisect_left(starts, paragraph.start), bisect_left(starts, paragraph.end)):
            sentence = sentences[position]
            word = bisect_left(word_starts, sentence.start)
            if word < len(word_starts) and word_starts[word] < sentence.end:
                found_set.add(word_starts[word])
        found = openers[index] = frozenset(found_set)
    return found


# -- paragraph profiles -----------------------------------------------------------


class ParagraphProfile:
    """What the repetition rules need to know about one paragraph.

    The fields every paragraph needs (size, content words, fingerprint) are
    set at once; numbers and names, which only a likely duplicate is asked
    for, are worked out on first use.
    """

    __slots__ = ("index", "start", "end", "word_count", "content", "fingerprint", "_owner", "_details")

    def __init__(
        self, owner: "weakref.ref[Document]", index: int, start: int, end: int, fields: tuple[int, frozenset[str], str]
    ) -> None:
        self.index = index
        self.start = start
        self.end = end
        #: Words with at least one letter (table rows of figures are not prose).
        self.word_count: int
        #: Stems of the words that are not stop words, and the numbers.
        self.content: frozenset[str]
        #: The normalised words joined (case, punctuation and spacing gone):
        #: equal for exact copies.
        self.fingerprint: str
        self.word_count, self.content, self.fingerprint = fields
        # The document, weakly: it keeps its profiles, and a strong reference
        # back would leave every linted document to the garbage collector
        # instead of freeing it when the last reference goes.
        self._owner = owner
        self._details: tuple | None = None

    def __repr__(self) -> str:
        return f"ParagraphProfile(index={self.index}, start={self.start}, end={self.end})"

    def _detail(self, position: int):  # type: ignore[no-untyped-def]
        if self._details is None:
            doc = self._owner()
            if doc is None:
                raise ReferenceError("the document of this paragraph profile is gone")
            self._details = _profile_details(doc, self.index)
        return self._details[position]

    @property
    def sentence_count(self) -> int:
        """Sentences in the paragraph."""
        return self._detail(0)

    @property
    def numbers(self) -> frozenset[str]:
        """Numbers, without thousands separators ("2000", "30")."""
        return self._detail(1)

    @property
    def number_text(self) -> dict[str, str]:
        """Each number as first written in the paragraph, for messages."""
        return self._detail(2)

    @property
    def names(self) -> frozenset[str]:
        """Capitalised words that do not open a sentence (names), lower-cased."""
        return self._detail(3)

    @property
    def name_text(self) -> dict[str, str]:
        return self._detail(4)

    @property
    def name_stems(self) -> frozenset[str]:
        """The names' stems, as they appear in ``content``."""
        return self._detail(5)


def paragraph_profiles(doc: "Document") -> tuple[ParagraphProfile, ...]:
    return doc.cached("paragraph_profiles", lambda: _profiles(doc))


def sentence_openers(doc: "Document") -> frozenset[int]:
    """Start offsets of the first word of every sentence."""

    def compute() -> frozenset[int]:
        openers: set[int] = set()
        for index in range(len(doc.paragraphs)):
            openers.update(paragraph_openers(doc, index))
        return frozenset(openers)

    return doc.cached("sentence_openers", compute)


def _profiles(doc: "Document") -> tuple[ParagraphProfile, ...]:
    owner = weakref.ref(doc)
    return tuple(
        ParagraphProfile(owner, paragraph.index, paragraph.start, paragraph.end, words.duplicate_fields())
        for paragraph, words in zip(doc.paragraphs, paragraph_words(doc))
    )


def _profile_details(doc: "Document", index: int) -> tuple:
    """(sentence count, numbers, number text, names, name text, name stems)."""
    texts = paragraph_words(doc)[index].texts
    starts = word_spans(doc, index)[0]
    openers = paragraph_openers(doc, index)
    numbers: set[str] = set()
    number_text: dict[str, str] = {}
    names: set[str] = set()
    name_text: dict[str, str] = {}
    sentence_count = 0
    for text, start in zip(texts, starts):
        facts = _word_facts(text)
        opens_sentence = start in openers
        sentence_count += opens_sentence
        if facts.number is not None:
            numbers.add(facts.number)
            number_text.setdefault(facts.number, text)
        elif facts.content is not None and text[:1].isupper() and not opens_sentence:
            names.add(facts.normal)
            name_text.setdefault(facts.normal, text.replace("’", "'").removesuffix("'s"))
    return (
        sentence_count,
        frozenset(numbers),
        number_text,
        frozenset(names),
        name_text,
        frozenset(stem(name) for name in names),
    )


# -- duplicated paragraphs ------------------------------------------------------


class DuplicatePair(Record):
    """A paragraph that repeats an earlier one."""

    __slots__ = ("later", "earlier", "exact", "similarity", "shared_figures")
    later: ParagraphProfile
    earlier: ParagraphProfile
    exact: bool
    #: Share of the shorter paragraph's content words found in the other.
    similarity: float
    #: Numbers and names the two share.
    shared_figures: tuple[str, ...]

    def __init__(
        self, later: ParagraphProfile, earlier: ParagraphProfile, exact: bool, similarity: float, shared_figures: tuple[str, ...]
    ) -> None:
        set_field(self, "later", later)
        set_field(self, "earlier", earlier)
        set_field(self, "exact", exact)
        set_field(self, "similarity", similarity)
        set_field(self, "shared_figures", shared_figures)


class DuplicateSettings(Record):
    """When two paragraphs are a pair, and how hard the search may work."""

    __slots__ = (
        "min_words",
        "threshold",
        "min_size_ratio",
        "min_shared",
        "max_candidates",
        "max_word_frequency",
        "recent_per_word",
        "compare_all_up_to",
    )
    min_words: int
    threshold: float
    #: The shorter paragraph's content words as a share of the longer's.
    min_size_ratio: float
    #: Content words other than names the two must share, at least.
    min_shared: int
    #: Earlier paragraphs looked at per paragraph, at most (bounds the cost
    #: on pathological input such as thousands of near-identical lines).
    max_candidates: int
    #: Words found in more paragraphs than this are not looked up in the
    #: index (never reached in an article; keeps a 40,000-paragraph file fast).
    max_word_frequency: int
    #: Of the earlier paragraphs holding a word, only the most recent this
    #: many are looked at (bounds the work per paragraph: linear in the file).
    recent_per_word: int
    #: Up to this many paragraphs (of ``min_words`` or more), each is
    #: compared with every earlier one instead of searched for in an index.
    compare_all_up_to: int

    def __init__(
        self,
        *,
        min_words: int = 8,
        threshold: float = 0.7,
        min_size_ratio: float = 0.4,
        min_shared: int = 5,
        max_candidates: int = 64,
        max_word_frequency: int = 200,
        recent_per_word: int = 32,
        compare_all_up_to: int = 48,
    ) -> None:
        set_field(self, "min_words", min_words)
        set_field(self, "threshold", threshold)
        set_field(self, "min_size_ratio", min_size_ratio)
        set_field(self, "min_shared", min_shared)
        set_field(self, "max_candidates", max_candidates)
        set_field(self, "max_word_frequency", max_word_frequency)
        set_field(self, "recent_per_word", recent_per_word)
        set_field(self, "compare_all_up_to", compare_all_up_to)


def duplicate_pairs(doc: "Document", settings: DuplicateSettings = DuplicateSettings()) -> tuple[DuplicatePair, ...]:
    """Each paragraph that repeats an earlier one, paired with its best match."""
    return doc.cached(("duplicate_pairs", settings), lambda: _find_duplicates(doc, settings))


def _find_duplicates(doc: "Document", settings: DuplicateSettings) -> tuple[DuplicatePair, ...]:
    profiles = paragraph_profiles(doc)
    min_words = settings.min_words
    eligible = [p for p in profiles if p.word_count >= min_words and p.content]
    contents = [p.content for p in eligible]
    sizes = list(map(len, contents))
    # An article's few dozen paragraphs are compared with every earlier one:
    # that is faster than building the index (300 BBC stories: ~10 ms instead
    # of ~27; after a keystroke on 2,000 words: ~0.4 ms instead of ~0.6).
    search: _AllEarlier | _PrefixIndex
    if len(eligible) <= settings.compare_all_up_to:
        search = _AllEarlier()
    else:
        search = _PrefixIndex(contents, settings)
    pairs: list[DuplicatePair] = []
    first_with_fingerprint: dict[str, ParagraphProfile] = {}
    for position, profile in enumerate(eligible):
        earlier = first_with_fingerprint.get(profile.fingerprint)
        if earlier is not None:
            pairs.append(DuplicatePair(profile, earlier, True, 1.0, _shared_figures(profile, earlier)))
            continue  # an exact copy adds nothing new to compare with
        first_with_fingerprint[profile.fingerprint] = profile
        best = _best_match(position, search.candidates(position), eligible, contents, sizes, settings)
        if best is not None:
            pairs.append(best)
    pairs.sort(key=lambda pair: pair.later.index)
    return tuple(pairs)


def _best_match(
    position: int,
    candidates: list[int],
    eligible: list[ParagraphProfile],
    contents: list[frozenset[str]],
    sizes: list[int],
    settings: DuplicateSettings,
) -> DuplicatePair | None:
    """The closest of the earlier paragraphs at ``candidates`` (positions in
    ``eligible``, nearest first: of two equally good, the nearer wins)."""
    profile = eligible[position]
    mine = contents[position]
    my_size = len(mine)
    threshold, size_ratio, min_shared = settings.threshold, settings.min_size_ratio, settings.min_shared
    # _near_duplicate's size test, as a range of sizes, and the words in
    # common counted in C for every candidate left at once: a pair needs
    # `min_shared` of them at least.
    fitting = _fitting_sizes(my_size, size_ratio)
    candidates = list(compress(candidates, map(fitting.__contains__, map(sizes.__getitem__, candidates))))
    theirs = list(map(contents.__getitem__, candidates))
    common = list(map(len, map(mine.intersection, theirs)))
    best: DuplicatePair | None = None
    for other, their_content, shared in compress(zip(candidates, theirs, common), map(le, repeat(min_shared), common)):
        their_size = len(their_content)
        # _near_duplicate's first two tests, without the call.
        smaller, larger = (my_size, their_size) if my_size <= their_size else (their_size, my_size)
        if smaller < size_ratio * larger or shared / smaller < threshold:
            continue
        pair = _near_duplicate(profile, eligible[other], settings)
        if pair is not None and (best is None or pair.similarity > best.similarity):
            best = pair
    return best


class _AllEarlier:
    """Every earlier paragraph is a candidate: the exact search, for a few
    dozen paragraphs."""

    def __init__(self) -> None:
        self._positions: list[int] = []

    def candidates(self, position: int) -> list[int]:
        """The earlier paragraphs, nearest first; then ``position`` is one."""
        nearest_first = self._positions[::-1]
        self._positions.append(position)
        return nearest_first


class _PrefixIndex:
    """Candidates by prefix filtering over an inverted index of words, for
    files of hundreds of paragraphs and more."""

    def __init__(self, contents: list[frozenset[str]], settings: DuplicateSettings) -> None:
        self.contents = contents
        self.settings = settings
        # The one global order prefix filtering needs: rarest first, ties
        # alphabetical (two stable C-level sorts). Words in one paragraph only
        # come first, in no particular order: they are never looked up, and only
        # how many of them a paragraph has matters. Words are numbered in this
        # order (those -1), so that each paragraph's words are put in order by
        # sorting small integers.
        frequency = Counter(chain.from_iterable(contents))
        shared_words = sorted(compress(frequency, map(lt, repeat(1), frequency.values())))
        shared_words.sort(key=frequency.__getitem__)
        self.rank = dict(zip(shared_words, count())).get
        self.first_too_frequent = bisect_right(list(map(frequency.__getitem__, shared_words)), settings.max_word_frequency)
        # Postings: word rank -> paragraphs (positions in `contents`) holding it
        # in their long prefix, and in their short prefix (see _prefix_lengths).
        # A word is looked up only if it is in two paragraphs or more and in at
        # most `max_word_frequency`, so only those are indexed.
        self.long_index: dict[int, list[int]] = {}
        self.short_index: dict[int, list[int]] = {}
        # Every pair shares `min_shared` words or more, so (_prefix_lengths) two
        # of them at least are in both prefixes: a paragraph met in one posting
        # only is not a candidate.
        self.hits_needed = 2 if settings.min_shared >= 2 else 1

    def candidates(self, position: int) -> list[int]:
        """Earlier paragraphs that may pair with the one at ``position``,
        nearest first; then it is indexed."""
        settings = self.settings
        ordered = sorted(map(self.rank, self.contents[position], repeat(-1)))
        shared_from = bisect_left(ordered, 0)
        looked_up_to = bisect_left(ordered, self.first_too_frequent, shared_from)
        short_end, long_end = _prefix_lengths(
            len(ordered), settings.threshold, settings.min_size_ratio, settings.min_shared, self.hits_needed
        )
        # Words in very many paragraphs ("said", "mln" in a wire file) find
        # nothing a rarer word would not: they are not looked up.
        long_prefix = ordered[shared_from : min(long_end, looked_up_to)]
        if not long_prefix:
            return []
        short_prefix = long_prefix[: max(0, short_end - shared_from)]
        found = _candidates(short_prefix, long_prefix, self.long_index, self.short_index, self.hits_needed, settings)
        for words, index in ((long_prefix, self.long_index), (short_prefix, self.short_index)):
            for word in words:
                posting = index.get(word)
                if posting is None:
                    index[word] = [position]
                else:
                    posting.append(position)
        return found


def _candidates(
    short_prefix: list[int],
    long_prefix: list[int],
    long_index: dict[int, list[int]],
    short_index: dict[int, list[int]],
    hits_needed: int,
    settings: DuplicateSettings,
) -> list[int]:
    """Earlier paragraphs that may share enough words with this one, nearest
    first.

    Exact by prefix filtering: this paragraph's short prefix against earlier
    long prefixes, its long prefix against earlier short prefixes, each
    earlier paragraph met in ``hits_needed`` (1 or 2) postings of one of the
    two. Except that the work per paragraph is bounded, so that no input
    can make the search quadratic: only each word's ``recent_per_word``
    latest paragraphs are read, and at most ``max_candidates`` are kept,
    those met most often first. The postings are merged in C; no Python
    code runs per posting.
    """
    recent = -settings.recent_per_word
    probes: list[list[int]] = []
    found: set[int] = set()
    for words, index in ((short_prefix, long_index), (long_prefix, short_index)):
        met = list(chain.from_iterable(posting[recent:] for posting in map(index.get, words) if posting))
        if hits_needed > 1:
            # Sorted, a paragraph met twice sits next to itself.
            met.sort()
            found.update(compress(islice(met, 1, None), map(eq, met, islice(met, 1, None))))
        else:
            found.update(met)
        probes.append(met)
    if len(found) > settings.max_candidates:
        hits = Counter(probes[0])
        for paragraph, times in Counter(probes[1]).items():
            hits[paragraph] = max(hits[paragraph], times)
        found = set(sorted(found, key=hits.__getitem__, reverse=True)[: settings.max_candidates])
    # Nearest first: of two equally good matches, the later paragraph is
    # paired with the nearer.
    return sorted(found, reverse=True)


@lru_cache(maxsize=1024)
def _fitting_sizes(size: int, ratio: float) -> range:
    """Content sizes a paragraph of ``size`` content words may be compared
    with: neither of the two smaller than ``ratio`` times the other (the
    bounds found with the very comparison _near_duplicate makes)."""
    low = math.floor(ratio * size)
    while low < size and low < ratio * size:
        low += 1
    high = max(size, math.ceil(size / ratio) + 1) if ratio > 0 else 1 << 30
    while high > size and size < ratio * high:
        high -= 1
    return range(low, high + 1)


@lru_cache(maxsize=1024)
def _prefix_lengths(size: int, threshold: float, ratio: float, min_shared: int, hits_needed: int) -> tuple[int, int]:
    """How many of a paragraph's words, rarest first, must be indexed and
    looked up for no pair to be missed: (short, long).

    Two paragraphs are a pair only if they share ``a`` words or more: the
    threshold times the smaller's size, and ``min_shared`` at least.
    Prefix filtering's lemma: then the first ``size - a + k`` words of each,
    in one global order, have ``k`` words in common (the ``k`` first of
    those they share), for any ``k <= a``. For the smaller of the two that
    is its short prefix. For the larger, ``a`` is at least what the
    smallest size it may be paired with needs, so its long prefix covers it.
    """
    smallest = _fitting_sizes(size, ratio).start
    return (
        size - _overlap_needed(size, threshold, min_shared) + hits_needed,
        size - _overlap_needed(smallest, threshold, min_shared) + hits_needed,
    )


def _overlap_needed(size: int, threshold: float, min_shared: int) -> int:
    """Least words two paragraphs share if the smaller has ``size``."""
    return max(1, min_shared, math.ceil(threshold * size - 1e-9))


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
