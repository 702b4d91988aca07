"""CD501 stray-metadata: machine text leaked into the copy."""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from copydesk.diagnostics import Edit, Finding, Fix
from copydesk.document import Document, markup_for
from copydesk.plugin import rule

_ISO_DATE = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"

# Field names of CMS and feed metadata. "By ..." bylines and "Source:"
# credits are part of news copy and are deliberately not here.
_DATE_KEYS = r"date|dated|dateline|published|publish[_-]?date|pub[_-]?date|updated|last[ _-]updated|modified|created|timestamp|posted|filed|embargo"
_FIELD_KEYS = r"slug|tags|keywords|category|categories|story[_-]?id|article[_-]?id|guid|status|wordcount|word[_-]?count"

# At the start of a line: "date 2022-01-21", "Updated: 2016-05-19T10:22Z",
# "slug: uk-troops-ukraine".
_LEADING_FIELD = re.compile(
    rf"(?im)^[^\S\r\n]*(?P<field>(?:(?:{_DATE_KEYS})\s*[:=]?\s*{_ISO_DATE}(?![\w-])"
    rf"|(?:{_FIELD_KEYS})\s*[:=][^\S\r\n]*[\w./#-]+(?:[^\S\r\n]*,[^\S\r\n]*[\w./#-]+)*"
    rf"|{_ISO_DATE}(?=\s+[A-Z])))"
)
_PLACEHOLDER = re.compile(r"\{\{\s*[\w.\- ]{1,40}\s*\}\}|\$\{[\w.]{1,40}\}|%\(\w{1,40}\)s")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|quot|apos|lt|gt|nbsp|mdash|ndash|rsquo|lsquo|rdquo|ldquo|hellip);")
_TAG = re.compile(
    r"<(?P<closing>/)?(?P<name>p|div|span|br|strong|em|b|i|u|ul|ol|li|h[1-6]|img|iframe|script|style|figure|figcaption)"
    r"(?P<attributes>(?:\s+[\w-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s<>]+)){0,20})\s*/?>",
    re.IGNORECASE,
)
_VOID_TAGS = frozenset({"br", "img"})
# What every pattern above needs, tested with C-level substring searches
# (a regular expression scanning each paragraph would cost more than the
# rule's whole work on the usual paragraph, which holds none of them).
_FIELD_LINE = re.compile(rf"^[^\S\r\n]*(?:{_FIELD_KEYS})\s*[:=]", re.IGNORECASE | re.MULTILINE)
_DATE_MIDDLE = re.compile(r"-\d\d-")  # begins with a literal: found by a fast search


def _may_hold_metadata(text: str) -> bool:
    if "&" in text or "<" in text or "{" in text or "$" in text or "%(" in text:
        return True  # an entity, a tag, a placeholder
    if "-" in text and _DATE_MIDDLE.search(text):
        return True  # an ISO date, alone or after a date field
    return ("=" in text or ":" in text) and _FIELD_LINE.search(text) is not None


@rule(
    "CD501",
    "stray-metadata",
    "Machine text -- a metadata field, a template placeholder, HTML markup -- leaked into the copy.",
    scope="paragraph",
)
def stray_metadata(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    """
    ## What it does
    Finds text that a content system, not a writer, produced and that has
    leaked into the copy: a metadata field at the start of a line (`date
    2022-01-21` glued to a headline, `Updated: 2016-05-19T10:22Z`, `slug:
    uk-troops`), an unfilled template placeholder (`{{author}}`), and, in
    plain-text files, HTML entities (`&amp;`) and tags (`<p>`). Bylines
    ("By Jane Smith") and credits ("Source: ONS") are copy and are not
    reported.

    ## Why is this bad?
    Readers see it as a mistake, and it usually means a paste from a CMS or
    a feed went wrong: whatever else was in that paste deserves a look too.

    ## Example
    ```text
    date 2022-01-21 As it sends troops to Ukraine, the UK is taking the lead.
    ```

    ## Use instead
    ```text
    As it sends troops to Ukraine, the UK is taking the lead.
    ```
    """
    text = doc.prose
    if not _may_hold_metadata(text):
        return
    for match in _LEADING_FIELD.finditer(text):
        start, end = match.span("field")
        gap = re.match(r"[^\S\r\n]*", text[end:]).end()  # type: ignore[union-attr]
        field = text[start:end]
        yield Finding(
            start,
            end,
            f"metadata '{field}' left in the copy",
            fix=Fix("Delete the metadata", (Edit(start, end + gap, ""),)),
        )
    for match in _PLACEHOLDER.finditer(text):
        yield Finding(match.start(), match.end(), f"unfilled template placeholder '{match.group()}'")
    if markup_for(doc.path) == "markdown":
        return  # entities and inline HTML are Markdown's own
    for match in _ENTITY.finditer(text):
        import html  # its entity table costs start-up time; only an entity needs it

        character = html.unescape(match.group())
        shown = "a non-breaking space" if character == "\xa0" else f"'{character}'"
        yield Finding(
            match.start(),
            match.end(),
            f"HTML entity '{match.group()}' in plain text; write {shown}",
            fix=Fix(f"Replace with {shown}", (Edit(match.start(), match.end(), character),)),
        )
    tags = list(_TAG.finditer(text))
    closed = {m.group("name").lower() for m in tags if m.group("closing")}
    for match in tags:
        # Wire copy writes tickers in angle brackets ("Marathon Petroleum
        # <P>"), so a bare opening tag counts only if it is closed, carries
        # attributes, or is a void element.
        name = match.group("name").lower()
        if match.group("closing") or match.group("attributes") or name in closed or name in _VOID_TAGS:
            yield Finding(match.start(), match.end(), f"HTML tag '{match.group()}' in plain text")


RULES = (stray_metadata,)
