"""Attribution formulae: the stock phrases news copy uses to source a claim.

"according to X", "sources say", "it is understood", "reports suggest",
"X told me", "X claimed" ... Each use is found with its exact span and a
*key* naming the formula, so that "According to" and "according to" count
as the same formula and "it is understood" and "it was understood" do too.

Found once per document (cached on it) and read by ``repeated-sourcing``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from copydesk.repetition import document_cache, paragraph_tokens

if TYPE_CHECKING:
    from copydesk.document import Document


@dataclass(frozen=True)
class FormulaUse:
    """One use of an attribution formula."""

    start: int
    end: int
    #: The formula, normalised: "according to", "sources say", "claimed".
    key: str
    #: Index of the paragraph holding it.
    paragraph: int
    #: True when the formula is the first thing in its paragraph.
    opens_paragraph: bool


# "according to plan" is not sourcing anything.
_NOT_A_SOURCE = r"(?!\s+(?:plan|plans|schedule|script|tradition|custom|protocol|taste|need|size|age)\b)"

_ANONYMOUS = (
    r"(?:(?:a|one|two|three|several|many|other|some|senior|government|diplomatic|security|informed|"
    r"official|military|industry|intelligence|western|reliable|unnamed|anonymous|well-placed|party|"
    r"police|palace|local|market|trade|banking|administration|campaign)\s+)*"
)
_SAYING = r"(?:say|says|said|told|tell|tells|suggest|suggests|suggested|claim|claims|claimed|believe|believes|indicate|indicated)"

# Each pattern: (key, regex). Keys are fixed strings or, for verbs, the
# named group "verb" mapped through _VERB_KEYS.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("according to", re.compile(r"\baccording\s+to\b" + _NOT_A_SOURCE, re.IGNORECASE)),
    (
        "sources say",
        re.compile(
            r"\b" + _ANONYMOUS + r"(?:sources?|insiders?)(?:\s+close\s+to\s+(?:the\s+)?[\w'’.-]+(?:\s+[\w'’.-]+){0,3}?)?"
            r",?\s+" + _SAYING + r"\b",
            re.IGNORECASE,
        ),
    ),
    (
        "it is understood",
        re.compile(
            r"\bit(?:\s+(?:is|was|has\s+been|had\s+been)|['’]s)\s+"
            r"(?P<participle>understood|believed|thought|claimed|alleged|rumoured|rumored|reported|said)\b"
            # "it is understood the minister will ...", not "it is understood by few"
            r"(?=,|\s+(?!(?:by|as|and|or|in|from|what|how|why|only|better|best|well|enough)\b)\w)",
            re.IGNORECASE,
        ),
    ),
    ("reports suggest", re.compile(r"\breports\s+(?:suggest|suggested|say|said|indicate|indicated|claim|claimed)\b", re.IGNORECASE)),
    ("reportedly", re.compile(r"\breportedly\b", re.IGNORECASE)),
    ("told me", re.compile(r"\b(?:told|tells|telling)\s+(?:me|us)\b(?!\s+(?:to|about|of)\b)", re.IGNORECASE)),
    (
        "verb",
        re.compile(
            # "X said", "he claimed" ... Only verbs that stand for "said":
            # "warned" or "argued" three times is reporting, not a formula.
            r"(?:\b(?:he|she|they|we|I|it|[A-Z][\w'’-]*)\s+(?P<verb>said|says|added|adds|claimed|claims|insisted|insists)\b)"
            # ... or inverted after a quotation: ", claimed Mr Giles", "” added she"
            r"|(?:[,”\"’]\s*(?P<inverted>said|says|added|adds|claimed|claims|insisted|insists)\s+(?=he\b|she\b|they\b|[A-Z]))"
        ),
    ),
)

_VERB_KEYS = {
    "says": "said",
    "adds": "added",
    "claims": "claimed",
    "insists": "insisted",
}


def formula_uses(doc: "Document") -> tuple[FormulaUse, ...]:
    """Every attribution formula in the document, in order."""
    return document_cache(doc, "formula_uses", lambda: _find(doc))


def _find(doc: "Document") -> tuple[FormulaUse, ...]:
    prose = doc.prose
    first_words = {tokens[0].start: index for index, tokens in enumerate(paragraph_tokens(doc)) if tokens}
    uses: list[FormulaUse] = []
    for paragraph in doc.paragraphs:
        for key, pattern in _PATTERNS:
            for match in pattern.finditer(prose, paragraph.start, paragraph.end):
                start, end, name = _span_and_key(key, match)
                uses.append(FormulaUse(start, end, name, paragraph.index, first_words.get(start) == paragraph.index))
    uses.sort(key=lambda use: (use.start, use.end))
    return tuple(uses)


def _span_and_key(key: str, match: re.Match[str]) -> tuple[int, int, str]:
    if key == "verb":
        group = "verb" if match.group("verb") else "inverted"
        verb = match.group(group).lower()
        return match.start(group), match.end(group), _VERB_KEYS.get(verb, verb)
    if key == "it is understood":
        return match.start(), match.end(), f"it is {match.group('participle').lower()}"
    return match.start(), match.end(), key
