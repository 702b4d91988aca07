"""The server's own copy of every open document, and incremental sync.

pygls keeps documents too, but applies edits through ``str.splitlines()``,
which also breaks lines at form feeds, NEL and U+2028/U+2029: a range the
client computed with LSP line breaks (``\\r\\n``, ``\\r``, ``\\n`` only) would
land on the wrong characters. Edits are applied here through
:class:`~copydesk.positions.LineIndex`, in the position encoding negotiated
with the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Protocol

from copydesk.document import Markup, markup_for
from copydesk.positions import Encoding, LineIndex

MARKDOWN_LANGUAGE_IDS = frozenset({"markdown", "mdx", "rmd", "quarto"})


class ChangeRange(Protocol):
    """What an incremental change's ``range`` looks like (lsprotocol's Range)."""

    @property
    def start(self) -> "PositionLike": ...

    @property
    def end(self) -> "PositionLike": ...


class PositionLike(Protocol):
    line: int
    character: int


@dataclass(frozen=True)
class TextChange:
    """One content change: a range and its replacement, or a whole new text."""

    text: str
    range: ChangeRange | None = None


@dataclass
class OutOfRangeEdit:
    """An edit whose range did not fit the document; it was clamped."""

    start: tuple[int, int]
    end: tuple[int, int]
    line_count: int

    def describe(self) -> str:
        return (
            f"edit range {self.start[0]}:{self.start[1]}-{self.end[0]}:{self.end[1]} lies outside "
            f"the document ({self.line_count} lines); applied it clamped to the document"
        )


@dataclass
class OpenDocument:
    """A document the client has open, exactly as the client holds it."""

    uri: str
    text: str
    version: int | None
    language_id: str = ""
    path: str | None = None
    #: Bumped by the server on every change, unique across documents.
    revision: int = 0

    @cached_property
    def line_index(self) -> LineIndex:
        return LineIndex(self.text)

    @property
    def markup(self) -> Markup:
        if self.language_id.lower() in MARKDOWN_LANGUAGE_IDS:
            return "markdown"
        return markup_for(self.path)

    def apply(self, changes: Iterable[TextChange], version: int | None, encoding: Encoding) -> list[OutOfRangeEdit]:
        """Apply content changes in order; return the edits that had to be clamped."""
        clamped: list[OutOfRangeEdit] = []
        for change in changes:
            if change.range is None:
                self._replace_text(change.text)
                continue
            index = self.line_index
            start_pos, end_pos = change.range.start, change.range.end
            start = index.offset_from_column(start_pos.line, start_pos.character, encoding)
            end = index.offset_from_column(end_pos.line, end_pos.character, encoding)
            if _outside(start_pos, index) or _outside(end_pos, index) or end < start:
                clamped.append(
                    OutOfRangeEdit(
                        (start_pos.line, start_pos.character),
                        (end_pos.line, end_pos.character),
                        index.line_count,
                    )
                )
                start, end = min(start, end), max(start, end)
            self._replace_text(self.text[:start] + change.text + self.text[end:])
        self.version = version
        return clamped

    def snapshot(self) -> "OpenDocument":
        """A copy that later edits to this buffer leave alone (for the lint thread)."""
        return OpenDocument(self.uri, self.text, self.version, self.language_id, self.path, self.revision)

    def _replace_text(self, text: str) -> None:
        self.text = text
        self.__dict__.pop("line_index", None)


def _outside(position: PositionLike, index: LineIndex) -> bool:
    if position.line == index.line_count and position.character == 0:
        return False  # "just past the last line": a common way to say the end
    return position.line < 0 or position.character < 0 or position.line >= index.line_count


class DocumentStore:
    """Open documents by URI."""

    def __init__(self) -> None:
        self._documents: dict[str, OpenDocument] = {}

    def open(self, document: OpenDocument) -> None:
        self._documents[document.uri] = document

    def close(self, uri: str) -> OpenDocument | None:
        return self._documents.pop(uri, None)

    def get(self, uri: str) -> OpenDocument | None:
        return self._documents.get(uri)

    def __iter__(self):
        return iter(list(self._documents.values()))

    def __len__(self) -> int:
        return len(self._documents)
