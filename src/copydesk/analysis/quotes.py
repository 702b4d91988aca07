"""Quotations: marks paired into quotes, apostrophes set aside, attributions.

One pass over the quote characters of each paragraph, with a stack of open
marks, pairs opening and closing marks. Straight marks (``"`` and ``'``)
are classified by the characters beside them; an apostrophe ("Russia’s",
"’90s", "rock ’n’ roll", "players’") is never taken for a quote mark unless
a single quotation is open and the mark can close it. A quotation left open
at the end of a paragraph whose next paragraph reopens with the same kind of
mark follows the news convention for quotes running over several
paragraphs; any other unclosed opening, a closing mark with no opening, or
a quotation closed by the wrong kind of mark is recorded as a problem.

Attributions are read from the few words after the closing mark
(``“…,” she says``, ``said Mr Giles``, ``Mr Giles said``, ``he told me``)
or before the opening mark (``Mr Giles said: “…``, ``According to Keir
Giles, “…``); a quote paragraph that follows an attributed one carries its
attribution on. Linking a speaker to a person is the people analysis's work
(:mod:`copydesk.analysis.people`).

Everything is linear in the length of the text: marks are visited once,
and every regular expression runs on a bounded window beside a mark.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Literal

from copydesk.analysis._lazy_regex import LazyRegex
from copydesk._record import Record, set_field
from copydesk.document import paragraph_text_key
from copydesk.lru import LRU

if TYPE_CHECKING:
    from copydesk.document import Document

Style = Literal["double", "single"]
AttributionKind = Literal["name", "pronoun", "role", "according-to", "carried"]
ProblemKind = Literal["unclosed", "unopened", "mismatched"]

_MARKS = LazyRegex("[\"'“”‘’«»„‚]")
_DOUBLE = frozenset("\"“”«»„")
_CURLY = frozenset("“”‘’«»„‚")
_OPEN_ONLY = frozenset("“«„‘‚")
_CLOSE_ONLY = frozenset("”»")
# Word-initial elisions written with an apostrophe: ’em, ’til, ’cause, ’twas.
_ELISIONS = frozenset({"em", "til", "cause", "cos", "tis", "twas", "bout", "n", "round", "s"})
_WINDOW = 160

# Verbs that attribute speech, present and past.
_VERBS = (
    r"said|says|say|told|tells|added|adds|asked|asks|explained|explains|continued|continues|"
    r"argued|argues|insisted|insists|noted|notes|warned|warns|wrote|writes|replied|replies|"
    r"recalled|recalls|claimed|claims|stated|declared|declares|admitted|admits|acknowledged|"
    r"acknowledges|suggested|suggests|agreed|agrees|observed|remarked|laughed|joked|jokes|"
    r"concluded|concedes|conceded|maintained|maintains|predicted|predicts|cautioned|"
    r"stressed|stresses|emphasised|emphasized|announced|announces|confirmed|confirms|"
    r"responded|responds|shouted|whispered|sighed|countered|counters|reckons|reckoned|"
    r"believes|thinks|adding|saying|telling|asking|explaining"
)
# Nouns that name the speaker in "said the foreign minister", "a spokesman said".
_ROLE_NOUNS = (
    r"minister|secretary|president|chancellor|governor|senator|mayor|spokesman|spokeswoman|"
    r"spokesperson|chairman|chairwoman|chair|director|chief|executive|leader|premier|king|queen|"
    r"prince|princess|judge|coach|manager|captain|ambassador|commissioner|prosecutor|attorney|"
    r"general|officer|boss|founder|editor|professor|analyst|economist|expert|official|source|"
    r"statement|report|lawyer|doctor|witness|resident|man|woman|boy|girl|mother|father|wife|"
    r"husband|son|daughter|friend|neighbour|neighbor|police|author|writer|singer|actor|actress|"
    r"player|star|striker|defender|midfielder|goalkeeper|candidate|lawmaker|congressman|"
    r"congresswoman|aide|adviser|advisor|strategist|researcher|scientist|teacher|student|"
    r"owner|worker|employee|victim|survivor|mp|mep|envoy|deputy|head|partner|colleague"
)
_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Prof|Professor|Rev|Revd|Fr|Sr|Sgt|Capt|Gen|Col|Insp|Det)\.?"
_CAP = r"[A-Z][\w’'\-]*"
_PRONOUN = r"(?:he|she|they|I|we|He|She|They|We)"
_WHO = (
    rf"(?P<who>{_PRONOUN}|{_HONORIFIC}\s+{_CAP}(?:\s+{_CAP}){{0,2}}|{_CAP}(?:\s+{_CAP}){{0,3}}"
    r"|(?:the|a|an|one|his|her|their|its|The|A|An|One|His|Her|Their|Its)\s+(?:[a-z][\w\-]*\s+){0,3}?"
    rf"(?:{_ROLE_NOUNS})\b)"
)
_ADVERB = r"(?:[a-z]+ly\s+)?"

_VERB_WORDS = frozenset(_VERBS.split("|"))
# Words before a quote's opening mark that can hold a backward attribution:
# at most six after the verb ("said:" … four words, a lone ":") and six
# before it (a determiner, three words, a role noun, an adverb).
_TAIL_WORDS = 13

_AFTER_VERB_WHO = LazyRegex(rf"\s*(?:[,—–-]\s*)?{_ADVERB}(?P<verb>{_VERBS})\s+{_WHO}")
_AFTER_WHO_VERB = LazyRegex(rf"\s*(?:[,—–-]\s*)?{_WHO}\s+{_ADVERB}(?P<verb>{_VERBS})\b")
_BEFORE_WHO_VERB = LazyRegex(rf"{_WHO}\s+{_ADVERB}(?P<verb>{_VERBS})(?:\s+[\w’'\-]+){{0,4}}\s*[:,]?\s*$")
_BEFORE_VERB_WHO = LazyRegex(rf"\b(?P<verb>{_VERBS})\s+{_WHO}\s*[:,]\s*$")
_BEFORE_ACCORDING = LazyRegex(rf"\b(?P<verb>[Aa]ccording to)\s+{_WHO}\s*,\s*$")
_AFTER_ACCORDING = LazyRegex(rf"\s*,?\s*(?P<verb>according to)\s+{_WHO}")

# An attribution ending a sentence: what follows a quote's closing mark.
_SOMEONE = _WHO.replace("(?P<who>", "(?:")
# ", he said." / ", said Mr Giles, adding": the attribution, then at most a
# few words ("told reporters") before the sentence or clause ends; "said that"
# is reported speech, which a quote may well contain.
_MISSING_CLOSE = LazyRegex(
    rf"[,?!]\s+(?:{_ADVERB}(?:{_VERBS})\s+{_SOMEONE}|{_SOMEONE}\s+{_ADVERB}(?:{_VERBS}))\b"
    r"(?!\s+that\b)(?:\s+[\w’'\-]+){0,3}\s*[.,;:]"
)
# How far back inside a quote to look for the reporter's attribution.
_SEGMENT = 600
_INTRODUCES_QUOTE = LazyRegex(r"\s*[,:]\s*[“\"‘']")
_WORD = LazyRegex(r"\w+(?:[’'\-]\w+)*")
_PRONOUN_ONLY = LazyRegex(_PRONOUN)  # fullmatch: the speaker is a pronoun
_NOT_NAMES = frozenset(
    "The A An It This That These Those There Here In On At For But And Or So As If When While Yet".split()
)


class Attribution(Record):
    """Who a quotation is attributed to, as the text says it.

    ``who`` is the speaker as written ("Mr Giles", "she", "the foreign
    minister"), with its span; ``verb`` the cue ("said", "according to").
    ``kind`` is ``"carried"`` when the quotation has no attribution of its
    own and takes the one of the quotation it continues.
    """

    __slots__ = ("kind", "who", "who_start", "who_end", "verb", "verb_start", "verb_end")
    kind: AttributionKind
    who: str
    who_start: int
    who_end: int
    verb: str
    verb_start: int
    verb_end: int

    def __init__(
        self,
        kind: AttributionKind,
        who: str,
        who_start: int,
        who_end: int,
        verb: str = "",
        verb_start: int = -1,
        verb_end: int = -1,
    ) -> None:
        set_field(self, "kind", kind)
        set_field(self, "who", who)
        set_field(self, "who_start", who_start)
        set_field(self, "who_end", who_end)
        set_field(self, "verb", verb)
        set_field(self, "verb_start", verb_start)
        set_field(self, "verb_end", verb_end)


class Quotation(Record):
    """A quotation with the exact spans of its marks and its quoted text.

    ``open_mark`` / ``close_mark`` are the offsets of the marks (``None``
    when the quotation continues into, or from, another paragraph); the
    quoted text is ``[start, end)``. ``continues`` says the paragraph ends
    inside the quotation and the next paragraph reopens it; ``continued``
    says this segment is such a reopening. ``depth`` counts the quotations
    it is nested in.
    """

    __slots__ = (
        "index", "paragraph", "style", "curly", "open_mark", "close_mark", "start", "end",
        "depth", "continues", "continued", "embedded", "scare", "attribution",
    )
    index: int
    paragraph: int
    style: Style
    curly: bool
    open_mark: int | None
    close_mark: int | None
    start: int
    end: int
    depth: int
    continues: bool
    continued: bool
    embedded: bool
    scare: bool
    attribution: Attribution | None

    def __init__(
        self,
        index: int,
        paragraph: int,
        style: Style,
        curly: bool,
        open_mark: int | None,
        close_mark: int | None,
        start: int,
        end: int,
        depth: int = 0,
        continues: bool = False,
        continued: bool = False,
        embedded: bool = False,
        scare: bool = False,
        attribution: Attribution | None = None,
    ) -> None:
        set_field(self, "index", index)
        set_field(self, "paragraph", paragraph)
        set_field(self, "style", style)
        set_field(self, "curly", curly)
        set_field(self, "open_mark", open_mark)
        set_field(self, "close_mark", close_mark)
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "depth", depth)
        set_field(self, "continues", continues)
        set_field(self, "continued", continued)
        set_field(self, "embedded", embedded)
        set_field(self, "scare", scare)
        set_field(self, "attribution", attribution)

    @property
    def outer_start(self) -> int:
        return self.open_mark if self.open_mark is not None else self.start

    @property
    def outer_end(self) -> int:
        return self.close_mark + 1 if self.close_mark is not None else self.end


class QuoteProblem(Record):
    """A malformed quotation mark: never closed, never opened, or mismatched."""

    __slots__ = ("kind", "start", "end", "message", "other")
    kind: ProblemKind
    start: int
    end: int
    message: str
    #: The other mark involved (the opening a mismatched close pairs with).
    other: int | None

    def __init__(self, kind: ProblemKind, start: int, end: int, message: str, other: int | None = None) -> None:
        set_field(self, "kind", kind)
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "message", message)
        set_field(self, "other", other)


class QuoteAnalysis(Record):
    __slots__ = ("quotations", "problems", "apostrophes", "_outer", "_outer_starts")
    _fields = ("quotations", "problems", "apostrophes")
    quotations: tuple[Quotation, ...]
    problems: tuple[QuoteProblem, ...]
    #: Offsets of every quote character read as an apostrophe.
    apostrophes: tuple[int, ...]

    def __init__(
        self, quotations: tuple[Quotation, ...], problems: tuple[QuoteProblem, ...], apostrophes: tuple[int, ...]
    ) -> None:
        set_field(self, "quotations", quotations)
        set_field(self, "problems", problems)
        set_field(self, "apostrophes", apostrophes)
        outer = [q for q in quotations if q.depth == 0]
        set_field(self, "_outer", outer)
        set_field(self, "_outer_starts", [q.outer_start for q in outer])

    @property
    def marks(self) -> tuple[int, ...]:
        """Offsets of every character read as a quotation mark, in order."""
        offsets = {p.start for p in self.problems}
        for quotation in self.quotations:
            if quotation.open_mark is not None:
                offsets.add(quotation.open_mark)
            if quotation.close_mark is not None:
                offsets.add(quotation.close_mark)
        return tuple(sorted(offsets))

    def quotation_at(self, offset: int) -> Quotation | None:
        """The outermost quotation whose marks or text hold ``offset``."""
        outer: list[Quotation] = self._outer
        index = bisect_right(self._outer_starts, offset) - 1
        if index >= 0 and offset < outer[index].outer_end:
            return outer[index]
        return None

    def inside(self, offset: int) -> bool:
        return self.quotation_at(offset) is not None


# -- marks -------------------------------------------------------------------

_Role = Literal["open", "close", "either", "close-single", "close-or-apostrophe", "apostrophe", "ignore"]


def _role(text: str, i: int, start: int, end: int) -> _Role:
    ch = text[i]
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    if ch in "’'‘":
        return _single_role(text, i, start, end, before, after)
    if ch in _OPEN_ONLY:
        return "open"
    if ch in _CLOSE_ONLY:
        return "close"
    # Straight double quote: decide from its neighbours.
    opens = before.isspace() or before in "([{—–-/" or i == start
    closes = after.isspace() or after in ".,;:!?)]}—–-…" or i + 1 >= end
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    # Between spaces, or between two words: it closes an open quotation
    # ('a great year. " Hayes said', 'a "vote of no confidence " in'), or opens one.
    return "either"


def _single_role(text: str, i: int, start: int, end: int, before: str, after: str) -> _Role:
    ch = text[i]
    if before.isalnum() and after.isalpha():
        return "apostrophe"  # Russia’s, shouldn’t
    if after.isdigit() and not before.isalnum():
        return "apostrophe"  # ’90s
    # rock ’n’ roll: the two marks round a lone "n".
    if after == "n" and i + 2 < end and text[i + 2] == ch and (i + 3 >= end or not text[i + 3].isalnum()):
        return "apostrophe"
    if before == "n" and i - 2 >= start and text[i - 2] == ch and (i - 3 < start or not text[i - 3].isalnum()):
        return "apostrophe"
    if ch == "‘":
        return "open"
    if not before.isalnum() and after.isalpha():
        word = _WORD.match(text, i + 1, end)
        if word and word.group().lower() in _ELISIONS and not before.isalpha():
            if word.group().lower() != "s" or before.isspace():
                return "apostrophe"
        if before in ".,;:!?":
            return "close-single" if ch == "’" else "ignore"
        return "open"
    if before.isalnum():
        return "close-or-apostrophe"  # players’ union, or the end of ‘a phrase’
    if before in ".,;:!?…" or before in "\"”»":
        return "close-single"
    return "ignore"


class _Open:
    """A quotation mark opened and not yet closed, while a paragraph is paired."""

    __slots__ = ("offset", "style", "curly", "depth", "reopened")

    def __init__(self, offset: int, style: Style, curly: bool, depth: int, reopened: bool = False) -> None:
        self.offset = offset
        self.style = style
        self.curly = curly
        self.depth = depth
        self.reopened = reopened


def analyse_quotes(doc: "Document") -> QuoteAnalysis:
    """Pair quotation marks, classify quotations and read attributions."""
    prose = doc.prose
    paragraphs = doc.paragraphs
    quotations: list[Quotation] = []
    problems: list[QuoteProblem] = []
    apostrophes: list[int] = []
    reopened_from: dict[int, Quotation] = {}

    for paragraph in paragraphs:
        start, end = paragraph.start, paragraph.end
        if _MARKS.search(prose, start, end) is None:
            continue  # no quote mark: nothing to pair, nothing left open (most paragraphs)
        text = paragraph_text_key(prose, start, end) if _memoise else None
        if text is not None:
            # What the paragraph's text alone decides, found once per
            # distinct text: a keystroke re-reads only the paragraph it changed.
            local = _MEMO.get(text)
            if local is None:
                local = _paragraph_quotes(text, 0, end - start)
                _MEMO.put(text, local or _NO_QUOTES)
            base = start
        else:  # a character beside the paragraph may matter: no memo
            local = _paragraph_quotes(prose, start, end)
            base = 0
        if not local:
            continue  # nothing to pair, nothing left open
        found = [_placed(q, base, paragraph.index) for q in local.quotations]
        problems.extend(_moved(problem, base) for problem in local.problems)
        apostrophes.extend(base + offset for offset in local.apostrophes)
        if local.open_at_end is not None:
            # The quotation left open at the paragraph's end: continued in
            # the next paragraph, or never closed.
            left_open = found[local.open_at_end]
            opening = left_open.open_mark
            following = paragraphs[paragraph.index + 1] if paragraph.index + 1 < len(paragraphs) else None
            reopens = following is not None and _reopens(prose, following.start, left_open.style)
            if reopens and _MISSING_CLOSE.search(prose, max(left_open.start, end - _SEGMENT), end):
                # “We won, he said. / “Next …”: the next paragraph's mark opens
                # a new quote; this one lost its closing mark.
                problems.append(_unclosed(prose, opening, inline=True))  # type: ignore[arg-type]
            elif reopens:
                _update(left_open, continues=True)
                reopened_from[following.start] = left_open  # type: ignore[union-attr]
            else:
                problems.append(_unclosed(prose, opening))  # type: ignore[arg-type]
        if found and found[0].open_mark == start and start in reopened_from:
            _update(found[0], continued=True)
        if local.needs_previous and paragraph.index > 0:
            # "Cruz continued:" on a line of its own, the quote below it.
            previous = paragraphs[paragraph.index - 1]
            if prose[previous.end - 1] == ":":
                window_start = max(previous.start, previous.end - _WINDOW)
                _update(found[0], attribution=_attribution_before(prose, window_start, previous.end))
        quotations.extend(found)

    for n, quotation in enumerate(quotations):
        _update(quotation, index=n)
    quotations = _carry_attributions(prose, doc, quotations)
    problems.sort(key=lambda p: p.start)
    return QuoteAnalysis(tuple(quotations), tuple(problems), tuple(sorted(apostrophes)))


class _ParagraphQuotes(Record):
    """What one paragraph's text decides: its quotations (classified, with
    their own attributions), problems and apostrophes, offsets in the text
    it was read from; ``index`` and ``paragraph`` are left to the document."""

    __slots__ = ("quotations", "problems", "apostrophes", "open_at_end", "needs_previous")
    quotations: tuple[Quotation, ...]
    problems: tuple[QuoteProblem, ...]
    apostrophes: tuple[int, ...]
    #: Position in ``quotations`` of the quotation left open at the end.
    open_at_end: int | None
    #: The first quotation opens the paragraph with no attribution: the
    #: previous paragraph, if it ends with a colon, may hold it.
    needs_previous: bool

    def __init__(
        self,
        quotations: tuple[Quotation, ...],
        problems: tuple[QuoteProblem, ...],
        apostrophes: tuple[int, ...],
        open_at_end: int | None,
        needs_previous: bool,
    ) -> None:
        set_field(self, "quotations", quotations)
        set_field(self, "problems", problems)
        set_field(self, "apostrophes", apostrophes)
        set_field(self, "open_at_end", open_at_end)
        set_field(self, "needs_previous", needs_previous)

    def __bool__(self) -> bool:
        return bool(self.quotations or self.problems or self.apostrophes)


_NO_QUOTES = _ParagraphQuotes((), (), (), None, False)
# Paragraph text -> its _ParagraphQuotes (relative offsets).
_MEMO: LRU[_ParagraphQuotes] = LRU(4096)
#: False reads every paragraph in place, offsets absolute, memoising
#: nothing: the reference the memoised analysis is tested against.
_memoise = True


def clear_memo() -> None:
    """Forget paragraphs seen before (benchmarks time a cold start with it)."""
    _MEMO.clear()


def _paragraph_quotes(text: str, start: int, end: int) -> _ParagraphQuotes | None:
    """Pair the marks of the paragraph ``text[start:end]`` and classify its
    quotations, reading nothing outside it."""
    paired = _pair(text, start, end)
    if paired is None:
        return None
    found, problems, apostrophes, left_open = paired
    open_at_end = None if left_open is None else next(n for n, q in enumerate(found) if q is left_open)
    _classify_paragraph(text, start, end, found)
    needs_previous = bool(found) and found[0].open_mark == start and found[0].attribution is None
    return _ParagraphQuotes(tuple(found), tuple(problems), tuple(apostrophes), open_at_end, needs_previous)


def _pair(
    text: str, start: int, end: int
) -> tuple[list[Quotation], list[QuoteProblem], list[int], Quotation | None] | None:
    """Quotations, problems and apostrophes of the paragraph
    ``text[start:end]`` in order, and the quotation left open at its end."""
    problems: list[QuoteProblem] = []
    apostrophes: list[int] = []
    marks = [m.start() for m in _MARKS.finditer(text, start, end)]
    if not marks:
        return None  # nothing to pair, nothing left open
    stack: list[_Open] = []
    found: list[Quotation] = []

    def make(opening: _Open, close: int | None) -> None:
        quote_end = close if close is not None else end
        found.append(
            Quotation(
                index=-1,
                paragraph=-1,
                style=opening.style,
                curly=opening.curly,
                open_mark=opening.offset,
                close_mark=close,
                start=opening.offset + 1,
                end=quote_end,
                depth=opening.depth,
                continued=opening.reopened,
            )
        )

    roles = [_role(text, i, start, end) for i in marks]
    # For each mark, the next mark of the same character that could
    # close a single quotation.
    next_closer: list[int | None] = [None] * len(marks)
    following_closer: dict[str, int] = {}
    for n in range(len(marks) - 1, -1, -1):
        ch = text[marks[n]]
        next_closer[n] = following_closer.get(ch)
        if roles[n] in ("close-single", "close-or-apostrophe"):
            following_closer[ch] = marks[n]
    for n, i in enumerate(marks):
        ch = text[i]
        role = roles[n]
        style: Style = "double" if ch in _DOUBLE else "single"
        curly = ch in _CURLY
        if role == "apostrophe":
            apostrophes.append(i)
            continue
        if role == "ignore":
            continue
        top = stack[-1] if stack else None
        if role == "either":
            role = "close" if _has(stack, "double") else "open"
        if role == "close-or-apostrophe":
            if top is not None and top.style == "single" and not (
                _word_follows(text, i, end) and next_closer[n] is not None
            ):
                role = "close-single"
            else:
                # "the players’ union": an apostrophe, when a later mark
                # can still close the open quotation.
                apostrophes.append(i)
                continue
        if role == "open" and top is not None and top.style == style and _after_sentence(text, i, start):
            if _MISSING_CLOSE.search(text, max(top.offset + 1, i - _SEGMENT), i):
                # “It is over, she said. “We lost.” -- the reporter's words
                # sit inside the quote: its closing mark is missing.
                stack.pop()
                problems.append(_unclosed(text, top.offset, inline=True))
                make(top, None)
                _update(found[-1], end=_trim_end(text, top.offset + 1, i))
                stack.append(_Open(i, style, curly, top.depth))
                continue
            # ‘"It is over. "We lost."’: a quote that ran over a paragraph
            # break lost in the copy, reopened in the news convention.
            stack.pop()
            make(top, None)
            _update(found[-1], end=_trim_end(text, top.offset + 1, i), continues=True)
            stack.append(_Open(i, style, curly, top.depth, reopened=True))
            continue
        if role == "open":
            # A double quote opened inside a double quote is wrongly
            # nested rather than a sign the outer one was never closed
            # ("it wouldn't be called "research", would it?"): pair it
            # as nested and judge what is left open at the paragraph end.
            stack.append(_Open(i, style, curly, len(stack)))
            continue
        if role == "close" and style == "double":
            if _has(stack, "double"):
                while stack[-1].style != "double":
                    stack.pop()  # inner single marks left open: apostrophes after all
                opening = stack.pop()
                make(opening, i)
                if opening.curly != curly:
                    problems.append(
                        QuoteProblem("mismatched", i, i + 1, _mixed_message(text[opening.offset], ch), opening.offset)
                    )
            elif top is not None and top.style == "single" and top.curly == curly:
                stack.pop()
                make(top, i)
                problems.append(
                    QuoteProblem(
                        "mismatched", i, i + 1,
                        f"single opening mark {text[top.offset]} closed by double mark {ch}", top.offset,
                    )
                )
            elif not (ch == '"' and text[i - 1 : i].isdigit()):  # 12" is an inch mark
                problems.append(QuoteProblem("unopened", i, i + 1, f"closing mark {ch} has no opening mark"))
            continue
        # A single closing mark.
        if top is not None and top.style == "single":
            stack.pop()
            make(top, i)
        elif top is not None and top.style == "double" and top.curly == curly and _ends_utterance(text, i, end):
            stack.pop()
            make(top, i)
            problems.append(
                QuoteProblem(
                    "mismatched", i, i + 1,
                    f"double opening mark {text[top.offset]} closed by single mark {ch}", top.offset,
                )
            )
        else:
            apostrophes.append(i)

    # Marks still open at the end of the paragraph: the outermost is judged
    # with the next paragraph (see analyse_quotes).
    left_open = None
    for opening in stack:
        if opening.depth != 0:
            continue
        if opening.style == "single" and text[opening.offset] != "‘":
            continue  # a straight or reversed single mark left open: most likely an apostrophe
        make(opening, None)
        left_open = found[-1]
        break  # one report per paragraph: the outermost quotation

    found.sort(key=lambda q: q.outer_start)
    return found, problems, apostrophes, left_open


def _placed(template: Quotation, base: int, paragraph: int) -> Quotation:
    """A fresh quotation for the document from a paragraph's, offsets moved by ``base``."""
    attribution = template.attribution
    if attribution is not None and base:
        attribution = Attribution(
            attribution.kind, attribution.who, attribution.who_start + base, attribution.who_end + base,
            attribution.verb, attribution.verb_start + base, attribution.verb_end + base,
        )
    return Quotation(
        -1, paragraph, template.style, template.curly,
        None if template.open_mark is None else template.open_mark + base,
        None if template.close_mark is None else template.close_mark + base,
        template.start + base, template.end + base, template.depth, template.continues,
        template.continued, template.embedded, template.scare, attribution,
    )


def _moved(problem: QuoteProblem, base: int) -> QuoteProblem:
    if not base:
        return problem
    other = None if problem.other is None else problem.other + base
    return QuoteProblem(problem.kind, problem.start + base, problem.end + base, problem.message, other)


def _after_sentence(text: str, i: int, start: int) -> bool:
    """The mark follows the end of a sentence: ``. "``."""
    j = i - 1
    while j > start and text[j] == " ":
        j -= 1
    if j == i - 1:
        return False
    while j > start and text[j] in "'’":
        j -= 1  # "… ridiculous.' "But": a nested quote closed the sentence
    return text[j] in ".?!"


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _word_follows(text: str, i: int, end: int) -> bool:
    """A space and a lower-case word follow: the mark sits inside a phrase."""
    return i + 2 < end and text[i + 1] == " " and text[i + 2].islower()


def _update(quotation: Quotation, **fields: object) -> None:
    """Fill in a quotation while the analysis builds it (frozen once returned)."""
    for name, value in fields.items():
        set_field(quotation, name, value)


def _has(stack: list[_Open], style: Style) -> bool:
    return any(o.style == style for o in stack)


def _ends_utterance(text: str, i: int, end: int) -> bool:
    """A single mark after end punctuation and before a space or the end."""
    return text[i - 1] in ".,!?…" and (i + 1 >= end or text[i + 1].isspace())


def _reopens(text: str, start: int, style: Style) -> bool:
    """The paragraph at ``start`` opens with a mark that continues a quotation of ``style``."""
    ch = text[start]
    if style == "double":
        return ch in _DOUBLE and ch not in _CLOSE_ONLY
    return ch in "‘'"


def _unclosed(text: str, opening: int, *, inline: bool = False) -> QuoteProblem:
    mark = text[opening]
    where = "before the attribution" if inline else "and the next paragraph does not reopen it"
    return QuoteProblem("unclosed", opening, opening + 1, f"quotation opened with {mark} is never closed, {where}")


def _mixed_message(opening: str, closing: str) -> str:
    return f"quotation opened with {opening} is closed with {closing}"


# -- classification and attribution -------------------------------------------


def _classify_paragraph(text: str, start: int, end: int, quotations: list[Quotation]) -> None:
    """Scare quotes, embedding and each quotation's own attribution, for the
    quotations of the paragraph ``text[start:end]``."""
    # Attribution windows stop at the neighbouring quotation marks, so the
    # text between two marks is read at most twice however many marks there are.
    marks = sorted(
        {q.open_mark for q in quotations if q.open_mark is not None}
        | {q.close_mark for q in quotations if q.close_mark is not None}
    )
    for q in quotations:
        embedded = _embedded(text, q, start)
        low, high = start, end
        if q.open_mark is not None:
            index = bisect_right(marks, q.open_mark - 1) - 1
            if index >= 0:
                low = max(low, marks[index] + 1)
        if q.close_mark is not None:
            index = bisect_right(marks, q.close_mark)
            if index < len(marks):
                high = min(high, marks[index])
        attribution = _attribution(text, q, low, high)
        words = len(_WORD.findall(text, q.start, q.end)) if q.end - q.start < 80 else 99
        scare = embedded and attribution is None and words <= 3 and q.close_mark is not None
        _update(q, embedded=embedded, scare=scare, attribution=attribution)


def _embedded(text: str, q: Quotation, paragraph_start: int) -> bool:
    """The quotation sits inside a sentence, right after a word of it."""
    i = q.outer_start - 1
    while i >= paragraph_start and text[i] == " ":
        i -= 1
    return i >= paragraph_start and (text[i].isalnum() or text[i] in "’'")


def _last_visible(text: str, start: int, end: int) -> str:
    """The last non-space character of ``text[start:end]`` (scanning back,
    not copying: nested quotations would make copies quadratic)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return text[end - 1] if end > start else ""


def _attribution(text: str, q: Quotation, paragraph_start: int, paragraph_end: int) -> Attribution | None:
    """The quotation's own attribution, read between the neighbouring marks
    in ``[paragraph_start, paragraph_end)``."""
    if q.close_mark is not None:
        after = q.close_mark + 1
        limit = min(paragraph_end, after + _WINDOW)
        ends_sentence = _last_visible(text, q.start, q.end) in (".", "?", "!", "…")
        for pattern in (_AFTER_VERB_WHO, _AFTER_WHO_VERB, _AFTER_ACCORDING):
            match = pattern.match(text, after, limit)
            if match and _plausible(match, pattern is _AFTER_WHO_VERB):
                if ends_sentence and _INTRODUCES_QUOTE.match(text, match.end(), paragraph_end + 1):
                    break  # “… found.” He added, “In this …”: the next quote's attribution
                return _from_match(match, "according-to" if pattern is _AFTER_ACCORDING else None)
    if q.open_mark is not None:
        return _attribution_before(text, max(paragraph_start, q.open_mark - _WINDOW), q.open_mark)
    return None


def _attribution_before(text: str, window_start: int, window_end: int) -> Attribution | None:
    """An attribution ending at ``window_end`` ("Mr Giles said: “…"), or at
    the end of the previous paragraph ("Cruz continued:" on a line of its
    own, the quote below it)."""
    window = text[window_start:window_end]
    for pattern, search_from in _before_patterns(window):
        match = pattern.search(window, search_from)
        if match and _plausible(match, pattern is _BEFORE_WHO_VERB):
            return _from_match(match, "according-to" if pattern is _BEFORE_ACCORDING else None, window_start)
    return None


def _before_patterns(window: str) -> list[tuple[LazyRegex, int]]:
    """The backward patterns that can match at the end of ``window``, in
    order, each with where searching may start.

    Every backward pattern ends at the window's end, and its cue and speaker
    lie in the last thirteen words ("said the foreign ... minister :"), so
    the search can skip what comes before them; a pattern whose required
    ending (a comma or colon, a verb among the last six words) is absent
    cannot match at all. Searching a 160-character window at every position
    was most of the quote analysis's time.
    """
    tail = window.rsplit(None, _TAIL_WORDS)
    search_from = len(tail[0]) if len(tail) > _TAIL_WORDS else 0
    last = window.rstrip()[-1:]
    patterns: list[tuple[LazyRegex, int]] = []
    if last == ",":
        patterns.append((_BEFORE_ACCORDING, search_from))
    if last == "," or last == ":":
        patterns.append((_BEFORE_VERB_WHO, search_from))
    if any(word.rstrip(":,") in _VERB_WORDS for word in tail[-6:]):
        patterns.append((_BEFORE_WHO_VERB, search_from))
    return patterns


def _plausible(match: re.Match[str], who_first: bool) -> bool:
    who = match.group("who")
    first = who.split()[0]
    if first in _NOT_NAMES and not who_first:
        return False
    if who_first and first in _NOT_NAMES and first not in ("The", "A", "An"):
        return False
    return True


def _from_match(match: re.Match[str], kind: AttributionKind | None, base: int = 0) -> Attribution:
    who = match.group("who")
    first = who.split()[0]
    if kind is None:
        if _PRONOUN_ONLY.fullmatch(who):
            kind = "pronoun"
        elif first[0].islower() or first in ("The", "A", "An", "One", "His", "Her", "Their", "Its"):
            kind = "role"
        else:
            kind = "name"
    who, who_end = _trim_name(who, base + match.end("who"))
    return Attribution(
        kind=kind,
        who=who,
        who_start=base + match.start("who"),
        who_end=who_end,
        verb=match.group("verb"),
        verb_start=base + match.start("verb"),
        verb_end=base + match.end("verb"),
    )


def _trim_name(who: str, end: int) -> tuple[str, int]:
    """Drop a trailing possessive from a name: "Mr Giles’s" -> "Mr Giles"."""
    for suffix in ("’s", "'s", "’", "'"):
        if who.endswith(suffix) and len(who) > len(suffix):
            return who[: -len(suffix)], end - len(suffix)
    return who, end


def _carry_attributions(prose: str, doc: "Document", quotations: list[Quotation]) -> list[Quotation]:
    """Share attributions across a multi-paragraph quote, and carry them on.

    The segments of a quote running over several paragraphs share the one
    attribution any of them has; a paragraph made of a quotation with no
    attribution, right after a paragraph whose last quotation had one,
    carries that attribution on (the news convention for a continuing
    speaker).
    """
    # Group multi-paragraph segments.
    groups: list[list[int]] = []
    for n, q in enumerate(quotations):
        if q.continued and groups and quotations[groups[-1][-1]].continues:
            groups[-1].append(n)
        elif q.depth == 0:
            groups.append([n])
    for group in groups:
        if len(group) < 2:
            continue
        shared = next((quotations[n].attribution for n in group if quotations[n].attribution), None)
        if shared is not None:
            for n in group:
                if quotations[n].attribution is None:
                    _update(quotations[n], attribution=_carried(shared))
    paragraphs = doc.paragraphs
    last_in_paragraph: dict[int, Quotation] = {}
    previous: Quotation | None = None
    for q in quotations:
        if q.depth != 0:
            continue
        if q.attribution is None and not q.embedded:
            if q.open_mark == paragraphs[q.paragraph].start:
                before = last_in_paragraph.get(q.paragraph - 1)
                if before is not None and before.attribution is not None:
                    _update(q, attribution=_carried(before.attribution))
            elif (
                previous is not None
                and previous.paragraph == q.paragraph
                and previous.attribution is not None
                and previous.outer_end <= previous.attribution.who_start < q.outer_start
                and q.outer_start - previous.outer_end <= _WINDOW
            ):
                # “I am not shy,” I said. “I have not been reluctant …”
                _update(q, attribution=_carried(previous.attribution))
        last_in_paragraph[q.paragraph] = q
        previous = q
    return quotations


def _carried(source: Attribution) -> Attribution:
    return source.replace(kind="carried") if source.kind != "carried" else source
