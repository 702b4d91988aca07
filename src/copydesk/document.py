"""The document model: decoded text, its prose, and analysis shared by rules.

Every analysis here is computed once per document, lazily, on first use,
and read by every rule that needs it. Rules work on :attr:`Document.prose`,
a copy of the text of exactly the same length in which everything that is
not prose (Markdown code, URLs, HTML, front matter, suppression comments)
is blanked with spaces, so an offset into the prose is an offset into the
file as it stands.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from functools import cached_property, lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Callable, Hashable, Iterator, Literal, NamedTuple, TypeVar

from copydesk._record import Record, set_field
from copydesk.lru import LRU
from copydesk.positions import LineIndex, Location

if TYPE_CHECKING:
    from copydesk.analysis.people import PeopleAnalysis
    from copydesk.analysis.quotes import QuoteAnalysis

Markup = Literal["text", "markdown"]
T = TypeVar("T")

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})

BOM = "\ufeff"


class DecodeError(ValueError):
    """The bytes of a file are not text in the expected encoding."""

    def __init__(self, reason: str, byte_offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.byte_offset = byte_offset


@lru_cache(maxsize=1024)
def markup_for(path: str | PurePath | None) -> Markup:
    # Cached: rules ask it of every paragraph's sub-document, and parsing a
    # path costs more than most rules' work on a paragraph.
    if path is None:
        return "text"
    return "markdown" if PurePath(path).suffix.lower() in MARKDOWN_SUFFIXES else "text"


def decode(data: bytes, encoding: str = "utf-8") -> str:
    """Decode file bytes; a leading BOM is dropped and not counted.

    Raises :class:`DecodeError` naming the first bad byte, or binary content.
    """
    wide = encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32"))
    nul = -1 if wide else data.find(b"\x00")
    if nul >= 0:
        raise DecodeError(f"binary file (NUL byte at byte {nul})", nul)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(
            f"not valid {encoding} at byte {error.start} ({error.reason})", error.start
        ) from None
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}") from None
    if text.startswith(BOM):
        text = text[1:]
    return text


class Span(Record):
    """A half-open range of offsets ``[start, end)``."""

    __slots__ = ("start", "end")
    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        set_field(self, "start", start)
        set_field(self, "end", end)

    def __len__(self) -> int:
        return self.end - self.start


class Paragraph(Record):
    """A block of prose: its position in the document and its text span."""

    __slots__ = ("index", "start", "end")
    index: int
    start: int
    end: int

    def __init__(self, index: int, start: int, end: int) -> None:
        set_field(self, "index", index)
        set_field(self, "start", start)
        set_field(self, "end", end)


class Token(NamedTuple):
    """A word (letters, digits, inner apostrophes and hyphens) with its span.

    A named tuple rather than a dataclass: a document makes one per word on
    every keystroke in the editor, and tuples are made twice as fast.
    """

    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()


# Words: letters/digits with inner apostrophes, hyphens or number separators
# ("Russia's", "anti-tank", "2,000", "1.5"). No nested quantifiers, so no
# catastrophic backtracking on hostile input.
TOKEN_PATTERN = re.compile(r"\w+(?:[’'\-.,]\w+)*")

# A line break, then a line holding only whitespace. "\r(?!\n)" keeps CRLF
# from reading as a CR followed by an empty line.
_BLANK_LINE = re.compile(r"(?:\r\n|\r(?!\n)|\n)[^\S\r\n\u2028\u2029]*(?=\r\n|\r|\n)|\u2029")
# The same where the text holds no CR and no paragraph separator (most
# files): it begins with a literal, which the regex engine finds by a fast
# search instead of trying every position (twenty times faster).
_BLANK_LINE_LF = re.compile(r"\n[^\S\n\u2028]*(?=\n)")
# Plain text also hides the bracket form of suppression directives
# ([copydesk: ...]); HTML comments are found by _comment_spans.
_BRACKET_DIRECTIVE = re.compile(r"\[\s*copydesk\s*:[^\]\r\n]{0,400}\]", re.IGNORECASE)

# A sentence ends at terminal punctuation, optional closing quotes or
# brackets, then whitespace. Abbreviations are handled after matching.
# The lookbehind makes a match start only at the first mark of a run, so a
# long run of dots with no space after it is tried once, not once per dot.
# (The lookbehind comes after the first mark, not before it, so that the
# engine finds candidate marks by a fast search of its first character.)
_SENTENCE_END = re.compile(r"[.!?…](?<![.!?…].)[.!?…]*[\"'”’)\]]*(?=\s)")
_VISIBLE = re.compile(r"\S")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr st prof gen sen rep gov lt col capt sgt cpl maj adm cmdr insp supt
    jr sr inc co corp ltd plc bros vs etc no nos vol fig approx dept est rev hon
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft e.g i.e u.s u.k u.n
    a.m p.m""".split()
)


class Document:
    """One text to lint, with lazily computed analysis shared by all rules."""

    def __init__(self, text: str, path: str | None = None, markup: Markup | None = None) -> None:
        if text.startswith(BOM):
            text = text[1:]
        self.text = text
        self.path = path
        self.markup: Markup = markup or markup_for(path)
        self._shared: dict[Hashable, Any] = {}

    @classmethod
    def from_bytes(
        cls, data: bytes, path: str | None = None, *, encoding: str = "utf-8", markup: Markup | None = None
    ) -> "Document":
        return cls(decode(data, encoding), path, markup)

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, markup={self.markup!r}, length={len(self.text)})"

    # -- positions ---------------------------------------------------------

    @cached_property
    def line_index(self) -> LineIndex:
        return LineIndex(self.text)

    def location(self, offset: int) -> Location:
        return self.line_index.location(offset)

    # -- prose ---------------------------------------------------------------

    @cached_property
    def prose(self) -> str:
        """The text with everything that is not prose blanked by spaces."""
        if self.markup == "markdown":
            from copydesk.markup import markdown_prose

            return markdown_prose(self.text)
        text = self.text
        if "<!--" not in text and ("[" not in text or not _BRACKET_DIRECTIVE.search(text)):
            return text  # nothing to blank (most paragraphs): no generators set up
        directives = ((m.start(), m.end()) for m in _BRACKET_DIRECTIVE.finditer(text))
        return _blank(text, heapq.merge(_comment_spans(text), directives))

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Blocks of prose, trimmed of surrounding whitespace, in order."""
        if self.markup == "markdown":
            from copydesk.markup import markdown_blocks

            blocks: Iterator[tuple[int, int]] = markdown_blocks(self.text, self.line_index)
        else:
            blocks = _blank_line_blocks(self.prose)
        paragraphs = []
        prose = self.prose
        for start, end in blocks:
            start, end = _trim(prose, start, end)
            if start < end:
                paragraphs.append(Paragraph(len(paragraphs), start, end))
        return tuple(paragraphs)

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph holding ``offset``, if any."""
        index = bisect_right(self._paragraph_starts, offset) - 1
        if index >= 0 and offset < self.paragraphs[index].end:
            return self.paragraphs[index]
        return None

    def paragraph_text(self, paragraph: Paragraph) -> str:
        return self.prose[paragraph.start : paragraph.end]

    @cached_property
    def sentences(self) -> tuple[Span, ...]:
        """Sentence spans, never crossing a paragraph boundary."""
        prose = self.prose
        spans: list[Span] = []
        for paragraph in self.paragraphs:
            start, end = paragraph.start, paragraph.end
            text = paragraph_text_key(prose, start, end)
            if text is None:
                # Not split alone: a sentence end's look-behind can read the
                # character before the paragraph.
                spans.extend(Span(first, last) for first, last in sentence_bounds(prose, start, end))
                continue
            relative = _SENTENCES_MEMO.get(text)
            if relative is None:
                relative = tuple(sentence_bounds(text, 0, len(text)))
                _SENTENCES_MEMO.put(text, relative)
            spans.extend(Span(first + start, last + start) for first, last in relative)
        return tuple(spans)

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        """Word tokens of the prose, with their spans."""
        return tuple(map(Token._make, ((m.start(), m.end(), m.group()) for m in TOKEN_PATTERN.finditer(self.prose))))

    @cached_property
    def _token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    def tokens_between(self, start: int, end: int) -> tuple[Token, ...]:
        """Tokens lying wholly inside ``[start, end)``."""
        starts = self._token_starts
        low = bisect_left(starts, start)
        high = bisect_left(starts, end, low)
        # A token starting inside the range may run past its end.
        if high > low and self.tokens[high - 1].end > end:
            high -= 1
        return self.tokens[low:high]

    @cached_property
    def paragraph_tokens(self) -> tuple[tuple[Token, ...], ...]:
        """The tokens of each paragraph, in paragraph order."""
        return tuple(self.tokens_between(p.start, p.end) for p in self.paragraphs)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Analysis shared by several rules beyond the properties above:
        ``compute()`` runs once per document and key, later calls reuse it."""
        try:
            return self._shared[key]
        except KeyError:
            value = self._shared[key] = compute()
            return value

    # -- richer analysis (quotations, attributions, people) ------------------

    @cached_property
    def quotes(self) -> "QuoteAnalysis":
        """Quotations, their marks, scare quotes and attributions."""
        from copydesk.analysis.quotes import analyse_quotes

        return analyse_quotes(self)

    @cached_property
    def people(self) -> "PeopleAnalysis":
        """Person mentions grouped into entities with grammatical gender."""
        from copydesk.analysis.people import analyse_people

        return analyse_people(self)


def _comment_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of HTML comments, found in one pass.

    Once no ``-->`` follows an opening, none follows any later opening
    either, so the scan stops there: many unclosed ``<!--`` stay linear.
    """
    position = 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            return
        close = text.find("-->", start + 4)
        if close < 0:
            return
        position = close + 3
        yield start, position


def _blank(text: str, ranges: Iterator[tuple[int, int]]) -> str:
    """Replace each range with spaces, keeping line breaks where they were."""
    pieces: list[str] = []
    position = 0
    for start, end in ranges:
        if start < position:
            start = position
        if start >= end:
            continue
        pieces.append(text[position:start])
        pieces.append(_spaces_keeping_breaks(text[start:end]))
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


_NOT_BREAK = re.compile(r"[^\r\n]")


def _spaces_keeping_breaks(chunk: str) -> str:
    return _NOT_BREAK.sub(" ", chunk)


def _blank_line_blocks(prose: str) -> Iterator[tuple[int, int]]:
    position = 0
    blank_line = _BLANK_LINE if "\r" in prose or "\u2029" in prose else _BLANK_LINE_LF
    for match in blank_line.finditer(prose):
        yield position, match.start()
        position = match.end()
    yield position, len(prose)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_text_key(prose: str, start: int, end: int) -> str | None:
    """The paragraph's prose, if what is read of it depends on nothing else:
    only whitespace (or the document's edge) on either side, so no word,
    quotation or sentence end reads across its boundaries. None otherwise
    (do not memoise what it holds by its text)."""
    if (start == 0 or prose[start - 1].isspace()) and (end == len(prose) or prose[end].isspace()):
        return prose[start:end]
    return None


#: Sentence spans by paragraph text, relative to the paragraph: after a
#: keystroke only the edited paragraph is split again.
_SENTENCES_MEMO: LRU[tuple[tuple[int, int], ...]] = LRU(4096)


def clear_memo() -> None:
    """Forget the paragraphs split before (benchmarks time a cold start with it)."""
    _SENTENCES_MEMO.clear()


def sentence_bounds(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of ``text[start:end]``, trimmed of
    whitespace. Nothing past ``end`` is read."""
    sentence_start = start
    visible = _VISIBLE.search
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        mark = match.start()
        if text[mark] == "." and _is_abbreviation(text, sentence_start, mark):
            continue
        # The next visible character, if within 64: lower case continues the sentence.
        following = visible(text, stop, min(end, stop + 64))
        if following is not None and text[following.start()].islower():
            continue
        s, e = _trim(text, sentence_start, stop)
        if s < e:
            yield s, e
        sentence_start = stop
    s, e = _trim(text, sentence_start, end)
    if s < e:
        yield s, e


def _is_abbreviation(text: str, floor: int, dot: int) -> bool:
    word_start = dot
    while word_start > floor and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "Keir R. Giles"
    return word in _ABBREVIATIONS
