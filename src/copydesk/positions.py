"""One coordinate system for the whole project, and its conversions.

Offsets are 0-based code-point indices into the decoded text, half-open.
Lines and columns are 1-based for people; columns count code points.
Lines end at ``\\r\\n``, ``\\r`` or ``\\n`` only -- the set the Language
Server Protocol uses. ``str.splitlines()`` also splits on form feeds, NEL and
the Unicode line and paragraph separators, so it is never used here.

Conversion to UTF-16 and UTF-8 columns happens only at the edges (the
language server, SARIF), through :meth:`LineIndex.column_in` and
:meth:`LineIndex.offset_from_column`. Every lookup is a binary search over
the line starts: O(log n), never a rescan of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Literal

from copydesk._record import Record, set_field

Encoding = Literal["utf-8", "utf-16", "utf-32"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Code points per chunk of a long line for unit conversions.
_CHUNK = 4096


class Location(Record):
    """A point in a document, in every unit a reader of it may need."""

    __slots__ = ("offset", "line", "column")
    offset: int
    line: int
    column: int

    def __init__(self, offset: int, line: int, column: int) -> None:
        set_field(self, "offset", offset)
        set_field(self, "line", line)
        set_field(self, "column", column)

    def as_dict(self) -> dict[str, int]:
        return {"line": self.line, "column": self.column, "offset": self.offset}


def _unit_length(text: str, encoding: Encoding) -> int:
    if encoding == "utf-32":
        return len(text)
    if text.isascii():
        return len(text)
    if encoding == "utf-16":
        # Code points above the BMP take a surrogate pair.
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    return len(text.encode("utf-8", "surrogatepass"))


class LineIndex:
    """Line starts of a text, for converting offsets to lines and columns."""

    __slots__ = ("text", "line_starts", "_ascii", "_chunks")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        starts.extend(match.end() for match in _LINE_BREAK.finditer(text))
        self.line_starts: list[int] = starts
        # Columns in every encoding equal code-point columns for ASCII text.
        self._ascii = text.isascii()
        self._chunks: dict[tuple[int, str], list[int]] = {}

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def clamp(self, offset: int) -> int:
        return max(0, min(offset, len(self.text)))

    def line_of(self, offset: int) -> int:
        """0-based line number holding ``offset``."""
        return bisect_right(self.line_starts, self.clamp(offset)) - 1

    def line_span(self, line: int, *, include_break: bool = False) -> tuple[int, int]:
        """Offsets of a 0-based line, without its line break unless asked."""
        start = self.line_starts[line]
        if line + 1 < len(self.line_starts):
            end = self.line_starts[line + 1]
            if not include_break:
                # Looks at the break only: slicing the line would cost its length.
                end -= 2 if self.text.startswith("\r\n", end - 2) and end - 2 >= start else 1
        else:
            end = len(self.text)
        return start, end

    def location(self, offset: int) -> Location:
        """1-based line and code-point column of an offset."""
        offset = self.clamp(offset)
        line = self.line_of(offset)
        return Location(offset, line + 1, offset - self.line_starts[line] + 1)

    def column_in(self, offset: int, encoding: Encoding) -> tuple[int, int]:
        """0-based (line, character) of ``offset`` counted in ``encoding`` units."""
        offset = self.clamp(offset)
        line = self.line_of(offset)
        start = self.line_starts[line]
        if self._ascii or encoding == "utf-32":
            return line, offset - start
        if offset - start <= _CHUNK:
            return line, _unit_length(self.text[start:offset], encoding)
        table = self._chunk_units(line, encoding)
        # Capped at the line's last chunk: an offset inside a "\r\n" lies past it.
        chunk = min(offset - start, self.line_span(line)[1] - start) // _CHUNK
        chunk_start = start + chunk * _CHUNK
        return line, table[chunk] + _unit_length(self.text[chunk_start:offset], encoding)

    def _chunk_units(self, line: int, encoding: Encoding) -> list[int]:
        """Units before each chunk of a long line, made once per line and
        encoding: a conversion then costs a chunk, not the whole line (a
        1 MB line with hundreds of findings would otherwise be quadratic)."""
        key = (line, encoding)
        table = self._chunks.get(key)
        if table is None:
            start, end = self.line_span(line)
            table = [0]
            for chunk_start in range(start, end, _CHUNK):
                table.append(table[-1] + _unit_length(self.text[chunk_start : min(end, chunk_start + _CHUNK)], encoding))
            self._chunks[key] = table
        return table

    def offset_from_column(self, line: int, character: int, encoding: Encoding) -> int:
        """Offset of a 0-based (line, character) given in ``encoding`` units.

        Positions past the end of a line snap to the line's end and lines
        past the end of the text to its end, as the LSP asks of servers. A
        character that falls inside a surrogate pair or a multi-byte sequence
        snaps to the start of that code point.
        """
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.text)
        start, end = self.line_span(line)
        character = max(0, character)
        if self._ascii or encoding == "utf-32":
            return min(start + character, end)
        if end - start > _CHUNK:
            table = self._chunk_units(line, encoding)
            chunk = max(0, bisect_right(table, character) - 1)
            if chunk * _CHUNK >= end - start:
                return end
            start, character = start + chunk * _CHUNK, character - table[chunk]
            end = min(end, start + _CHUNK)
        codec = "utf-16-le" if encoding == "utf-16" else "utf-8"
        width = 2 if encoding == "utf-16" else 1
        encoded = self.text[start:end].encode(codec, "surrogatepass")
        # Decoding a cut prefix drops a partial code point: the offset snaps
        # to the start of the character the position falls inside.
        prefix = encoded[: character * width].decode(codec, "ignore")
        return start + len(prefix)
