"""Attribution formulae: the stock phrases news copy uses to source a claim.

"according to X", "sources say", "it is understood", "reports suggest",
"X told me", "X claimed" ... Each use is found with its exact span and a
*key* naming the formula, so that "According to" and "according to" count
as the same formula and "it is understood" and "it was understood" do too.

Found in one pass over the document's tokens (a dictionary lookup per word,
no regular expression scanning the text once per formula: the editor
re-lints on every keystroke), once per document, cached on it, and read by
``repeated-sourcing``.
"""

from __future__ import annotations

from itertools import compress, count
from typing import TYPE_CHECKING, Callable, Optional

from copydesk._record import Record, set_field
from copydesk.document import paragraph_text_key
from copydesk.lru import LRU
from copydesk.repetition import ParagraphWords, paragraph_words

if TYPE_CHECKING:
    from copydesk.document import Document


class FormulaUse(Record):
    """One use of an attribution formula."""

    __slots__ = ("start", "end", "key", "paragraph", "opens_paragraph")
    start: int
    end: int
    #: The formula, normalised: "according to", "sources say", "claimed".
    key: str
    #: Index of the paragraph holding it.
    paragraph: int
    #: True when the formula is the first thing in its paragraph.
    opens_paragraph: bool

    def __init__(self, start: int, end: int, key: str, paragraph: int, opens_paragraph: bool) -> None:
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "key", key)
        set_field(self, "paragraph", paragraph)
        set_field(self, "opens_paragraph", opens_paragraph)


# "according to plan" is not sourcing anything.
_NOT_A_SOURCE = frozenset("plan plans schedule script tradition custom protocol taste need size age".split())

# Words that may qualify an anonymous source: "senior government sources".
_ANONYMOUS = frozenset(
    """a one two three several many other some senior government diplomatic security informed official
    military industry intelligence western reliable unnamed anonymous well-placed party police palace
    local market trade banking administration campaign""".split()
)
_SOURCE_WORDS = frozenset({"source", "sources", "insider", "insiders"})
_SAYING = frozenset(
    "say says said told tell tells suggest suggests suggested claim claims claimed believe believes indicate indicated".split()
)
_HEDGED = frozenset("understood believed thought claimed alleged rumoured rumored reported said".split())
# "it is understood by few" or "it is thought as ..." are not sourcing.
_NOT_AFTER_HEDGE = frozenset("by as and or in from what how why only better best well enough".split())
_REPORT_VERBS = frozenset("suggest suggested say said indicate indicated claim claimed".split())
_TOLD = frozenset({"told", "tells", "telling"})
_NOT_AFTER_TOLD_ME = frozenset({"to", "about", "of"})
# Only verbs that stand for "said": "warned" or "argued" three times is
# reporting, not a formula. Not "claims": after a name it is as often the
# noun ("Tory claims").
_VERB_KEYS = {
    "said": "said", "says": "said", "added": "added", "adds": "added", "claimed": "claimed",
    "insisted": "insisted", "insists": "insisted",
}
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})
_INVERSION_MARKS = frozenset(",”\"’")
# A formula never runs across these.
_BREAKS = frozenset(".!?;:\"“”()\r\n")

_Match = Optional[tuple[int, int, str]]  # first token, last token (inclusive), key


def formula_uses(doc: "Document") -> tuple[FormulaUse, ...]:
    """Every attribution formula in the document, in order."""
    return doc.cached("formula_uses", lambda: _find(doc))


class _Words:
    """One paragraph's words, lower-cased, with the text between them."""

    def __init__(self, words: ParagraphWords, lower: list[str]) -> None:
        self.texts = words.texts
        self.gaps = words.gaps
        self.leading = words.leading
        self.lower = lower

    def word(self, index: int) -> str:
        return self.lower[index] if 0 <= index < len(self.lower) else ""

    def gap(self, left: int) -> str:
        """The text between word ``left`` and the next one."""
        return self.gaps[left]

    def adjacent(self, left: int) -> bool:
        """Only spaces lie between word ``left`` and the next."""
        return left + 1 < len(self.texts) and self.gaps[left].isspace()

    def joined(self, left: int, right: int) -> bool:
        """No sentence or clause break between words ``left`` and ``right``."""
        return all(not (_BREAKS & set(self.gaps[k])) for k in range(left, right))


# A paragraph's formulae depend on its text alone: found once per distinct
# paragraph (offsets relative to its start), not again on every keystroke.
_MEMO: LRU[tuple] = LRU(4096)


def clear_memo() -> None:
    """Forget paragraphs seen before (benchmarks time a cold start with it)."""
    _MEMO.clear()


def _find(doc: "Document") -> tuple[FormulaUse, ...]:
    prose = doc.prose
    uses: list[FormulaUse] = []
    for paragraph, words in zip(doc.paragraphs, paragraph_words(doc)):
        start = paragraph.start
        key = paragraph_text_key(prose, start, paragraph.end)
        found = _MEMO.get(key) if key is not None else None
        if found is None:
            found = _paragraph_formulae(words)
            if key is not None:
                _MEMO.put(key, found)
        for relative_start, relative_end, formula, opens in found:
            uses.append(FormulaUse(start + relative_start, start + relative_end, formula, paragraph.index, opens))
    uses.sort(key=lambda use: (use.start, use.end))
    return tuple(uses)


def _paragraph_formulae(paragraph: ParagraphWords) -> tuple[tuple[int, int, str, bool], ...]:
    """(start, end, key, opens the paragraph) of each formula, offsets relative to the paragraph."""
    if not paragraph.texts:
        return ()
    lower = paragraph.lowered.split(" ")
    words: _Words | None = None
    found = []
    # Only the words a formula can hang on are looked at.
    for index in compress(count(), map(_FINDERS.__contains__, lower)):
        if words is None:
            words = _Words(paragraph, lower)
        match = _FINDERS[lower[index]](words, index)
        if match is not None:
            first, last, key = match
            # Offsets of every word, added up once (a long paragraph holds many formulae).
            starts, ends = paragraph.relative_spans()
            found.append((starts[first], ends[last], key, first == 0))
    return tuple(found)


def _according_to(words: _Words, i: int) -> _Match:
    if words.word(i + 1) == "to" and words.adjacent(i) and words.word(i + 2) not in _NOT_A_SOURCE:
        return i, i + 1, "according to"
    return None


def _sources(words: _Words, i: int) -> _Match:
    """ "sources say", "senior government sources said", "sources close to
    the minister say" """
    verb = None
    if words.word(i + 1) in _SAYING:
        verb = i + 1
    elif words.word(i + 1) == "close" and words.word(i + 2) == "to":
        verb = next((k for k in range(i + 3, min(i + 9, len(words.lower))) if words.word(k) in _SAYING), None)
    if verb is None or not words.joined(i, verb):
        return None
    first = i
    while first > 0 and words.word(first - 1) in _ANONYMOUS and words.adjacent(first - 1):
        first -= 1
    return first, verb, "sources say"


def _it_is(words: _Words, i: int) -> _Match:
    """ "it is understood", "it was believed", "it has been claimed", "it's thought" """
    word = words.word(i)
    if word == "it's":
        participle = i + 1
    elif words.word(i + 1) in ("is", "was"):
        participle = i + 2
    elif words.word(i + 1) in ("has", "had") and words.word(i + 2) == "been":
        participle = i + 3
    else:
        return None
    if words.word(participle) not in _HEDGED or not words.joined(i, participle):
        return None
    # Followed by what is understood ("it is understood the club will
    # sell", "it is understood, too, that"), or closing the sentence
    # ("..., it is understood.").
    after = words.gap(participle) if participle + 1 < len(words.texts) else ""
    if after[:1] not in (",", ".", ";", "") and not (after.isspace() and words.word(participle + 1) not in _NOT_AFTER_HEDGE):
        return None
    return i, participle, f"it is {words.word(participle)}"


def _reports(words: _Words, i: int) -> _Match:
    if words.word(i + 1) in _REPORT_VERBS and words.adjacent(i):
        return i, i + 1, "reports suggest"
    return None


def _reportedly(words: _Words, i: int) -> _Match:
    return i, i, "reportedly"


def _told_me(words: _Words, i: int) -> _Match:
    if words.word(i + 1) in ("me", "us") and words.adjacent(i):
        if words.word(i + 2) in _NOT_AFTER_TOLD_ME and words.adjacent(i + 1):
            return None  # "told me to leave", "told us about it"
        return i, i + 1, "told me"
    return None


def _verb(words: _Words, i: int) -> _Match:
    """ "X said", "he claimed", or inverted after a quotation: ", claimed Mr Giles" """
    key = _VERB_KEYS[words.word(i)]
    if i > 0 and words.adjacent(i - 1):
        before = words.texts[i - 1]
        if words.word(i - 1) in _SUBJECT_PRONOUNS or before[:1].isupper():
            return i, i, key
    if i + 1 < len(words.texts) and words.adjacent(i):
        preceding = (words.gaps[i - 1] if i > 0 else words.leading).rstrip()
        following = words.texts[i + 1]
        if preceding[-1:] in _INVERSION_MARKS and preceding and (
            words.word(i + 1) in ("he", "she", "they") or following[:1].isupper()
        ):
            return i, i, key
    return None


_FINDERS: dict[str, Callable[[_Words, int], _Match]] = {
    "according": _according_to,
    **{word: _sources for word in _SOURCE_WORDS},
    "it": _it_is,
    "it's": _it_is,
    "reports": _reports,
    "reportedly": _reportedly,
    **{word: _told_me for word in _TOLD},
    **{word: _verb for word in _VERB_KEYS},
}
