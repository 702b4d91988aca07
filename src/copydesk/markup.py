"""Markdown: which characters of a file are prose.

markdown-it-py finds the blocks (paragraphs and headings are prose; code,
HTML blocks, tables of reference links and front matter are not). Inside a
prose block the container markers (``>``, list bullets, ``#``) and inline
non-prose (code spans, URLs, link destinations, HTML tags and comments) are
blanked. Blanking keeps every character where it was, so offsets into the
prose are offsets into the file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from markdown_it.token import Token as MdToken

    from copydesk.positions import LineIndex

_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)\1[ \t]*(?:\r\n|\r|\n|\Z)", re.DOTALL)
_HEADING_MARKS = re.compile(r"^[ \t]*#{1,6}(?:[ \t]+|$)|[ \t]+#+[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^[ \t]*(?:=+|-+)[ \t]*$")
_QUOTE_MARKERS = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_INLINE_NON_PROSE = re.compile(
    r"""
      ``[^`]{0,4000}?``                            # double-backtick code span
    | `[^`\r\n]*`                                  # code span
    | !\[[^\[\]\r\n]*\]\([^()\s]*(?:[ \t]+"[^"\r\n]*")?\)   # image
    | \[(?=[^\[\]\r\n]{0,500}\][(\[])                # opening bracket of a link
    | \]\([^()\s]*(?:[ \t]+"[^"\r\n]*")?\)         # link destination
    | \]\[[^\[\]\r\n]*\]                           # reference link label
    | <[a-z][a-z0-9+.\-]*:[^<>\s]*>                 # autolink
    | </?[A-Za-z][A-Za-z0-9\-]*(?:\s[^<>]*)?/?>     # HTML tag
    | \b(?:https?|ftp)://[^\s<>()\[\]"”]+          # bare URL
    | \bwww\.[^\s<>()\[\]"”]+
    | (?<![\w*])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![\w*])   # emphasis markers
    """,
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)
_NOT_BREAK = re.compile(r"[^\r\n]")


@lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    # Only the block structure is read, so inline parsing is switched off: it
    # would double the time and has slow paths on runs of "[" or "![".
    return MarkdownIt("commonmark").disable("inline")


def _front_matter_end(text: str) -> int:
    match = _FRONT_MATTER.match(text)
    return match.end() if match else 0


@lru_cache(maxsize=2)
def _prose_blocks(text: str) -> tuple[tuple[str, int, int, bool, int], ...]:
    """(kind, first line, end line, first-in-list-item, blockquote depth).

    Cached: a document asks for its prose and then its paragraphs, and the
    Markdown parse is the costliest step of both.
    """
    return tuple(_scan_prose_blocks(text))


def _scan_prose_blocks(text: str) -> Iterator[tuple[str, int, int, bool, int]]:
    skip = _front_matter_end(text)
    skipped_lines = len(re.findall(r"\r\n|\r|\n", text[:skip]))
    body = text[skip:]
    tokens: list[MdToken] = _parser().parse(body)
    quote_depth = 0
    item_fresh = False
    for token in tokens:
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "list_item_open":
            item_fresh = True
        elif token.type in ("paragraph_open", "heading_open") and token.map:
            first, last = token.map
            yield token.type, first + skipped_lines, last + skipped_lines, item_fresh, quote_depth
            item_fresh = False
        elif token.type.endswith("_open") or token.type in ("fence", "code_block", "html_block", "hr"):
            item_fresh = False


def markdown_blocks(text: str, index: "LineIndex") -> Iterator[tuple[int, int]]:
    """Offsets of each prose block (paragraph or heading) of a Markdown file."""
    for _kind, first, last, _fresh, _depth in _prose_blocks(text):
        start = index.line_starts[first]
        end = index.line_span(min(last, index.line_count) - 1)[1]
        yield start, end


def markdown_prose(text: str) -> str:
    """``text`` with every non-prose character replaced by a space."""
    from copydesk.document import _blank, _comment_spans
    from copydesk.positions import LineIndex

    index = LineIndex(text)
    keep = [False] * index.line_count
    prefix_blank: dict[int, int] = {}
    line_blank: set[int] = set()
    heading_lines: set[int] = set()
    for kind, first, last, fresh, depth in _prose_blocks(text):
        for line in range(first, min(last, index.line_count)):
            keep[line] = True
            start, end = index.line_span(line)
            content = text[start:end]
            cut = 0
            if depth:
                match = _QUOTE_MARKERS.match(content)
                cut = match.end() if match else 0
            if fresh and line == first:
                match = _LIST_MARKER.match(content, cut)
                cut = match.end() if match else cut
            if cut:
                prefix_blank[line] = cut
            if kind == "heading_open":
                if line > first and _SETEXT_UNDERLINE.match(content[cut:]):
                    line_blank.add(line)
                else:
                    heading_lines.add(line)
    pieces: list[str] = []
    for line in range(index.line_count):
        start, end = index.line_span(line)
        full_end = index.line_span(line, include_break=True)[1]
        content = text[start:end]
        if not keep[line] or line in line_blank:
            pieces.append(_NOT_BREAK.sub(" ", content))
        else:
            cut = prefix_blank.get(line, 0)
            if cut:
                content = " " * cut + content[cut:]
            if line in heading_lines:
                content = _HEADING_MARKS.sub(lambda m: " " * len(m.group()), content)
            pieces.append(content)
        pieces.append(text[end:full_end])
    # HTML comments are blanked first, in one linear pass (many unclosed
    # "<!--" would cost a bounded but long regex scan each).
    joined = "".join(pieces)
    joined = _blank(joined, _comment_spans(joined))
    return _INLINE_NON_PROSE.sub(lambda m: _NOT_BREAK.sub(" ", m.group()), joined)
