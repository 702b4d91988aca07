"""CD201 duplicate-paragraph: a paragraph that repeats an earlier one."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from copydesk.diagnostics import Edit, Finding, Fix, Related
from copydesk.document import Document
from copydesk.plugin import Option, rule
from copydesk.repetition import DuplicatePair, DuplicateSettings, duplicate_pairs

OPTIONS = (
    Option(
        "min-words",
        8,
        "Paragraphs of fewer words than this are never reported, so short boilerplate "
        "(\"Read more:\", a byline, a sign-off) may repeat freely.",
        type="int",
        minimum=1,
    ),
    Option(
        "threshold",
        0.7,
        "Share of the shorter paragraph's content words (stop words aside) that the other "
        "paragraph must contain to count as a restatement; 1.0 reports exact copies only "
        "(and restatements using all the same words).",
        type="float",
        minimum=0.3,
    ),
)


@rule(
    "CD201",
    "duplicate-paragraph",
    "A paragraph repeats, or restates in other words, an earlier paragraph.",
    options=OPTIONS,
)
def duplicate_paragraph(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    """
    ## What it does
    Finds paragraphs that repeat an earlier paragraph word for word (ignoring
    case, punctuation and spacing), and paragraphs that restate an earlier
    one's facts in other words: most of the shorter paragraph's content words
    are in the other, and every number and name in it is too. The later
    paragraph is reported, with the earlier one as a related location and
    the measured similarity in the message. An exact copy can be deleted with
    the offered fix. A first paragraph of one sentence is taken for a
    headline, which the story retells by design: a later paragraph may
    restate it (but not copy it). Paragraphs that share only names (a list
    of fixtures) are not restatements.

    An article's paragraphs (up to 48) are each compared with every earlier
    one. In a longer file they are found through an index of their rarest
    words instead, not compared pair by pair, so a file of 40,000
    paragraphs costs about 40 times one of 1,000.

    ## Why is this bad?
    A repeated paragraph is the commonest trace of a careless edit: a
    paragraph pasted twice, or a fact rewritten further down without the
    first version being removed. Readers notice, and it makes the copy look
    unedited.

    ## Example
    ```text
    Plans for the old brewery site have divided the town.

    The council has approved 40 new homes on the old brewery site in Hexham, with work due to start in May.

    Residents raised concerns about traffic on Priestpopple.

    Work on the 40 new homes on the old brewery site in Hexham, which the council has approved, is due to start in May.
    ```

    ## Use instead
    ```text
    Plans for the old brewery site have divided the town.

    The council has approved 40 new homes on the old brewery site in Hexham, with work due to start in May.

    Residents raised concerns about traffic on Priestpopple.

    The developer said 12 of the homes would be offered at affordable rents.
    ```

    ## Options
    - `min-words` (default 8): shorter paragraphs are never reported, so
      boilerplate such as "Read more:" or a byline may repeat.
    - `threshold` (default 0.7): the share of the shorter paragraph's content
      words the other must contain. Numbers and names must match regardless.
    """
    settings = DuplicateSettings(min_words=options.get("min-words", 8), threshold=options.get("threshold", 0.7))
    for pair in duplicate_pairs(doc, settings):
        yield _finding(doc, pair)


def _finding(doc: Document, pair: DuplicatePair) -> Finding:
    later, earlier = pair.later, pair.earlier
    where = f"paragraph {earlier.index + 1}"
    if pair.exact:
        message = f"repeats {where} word for word"
        related_message = "first written here"
        fix = _deletion(doc, later.index)
    else:
        figures = f"; same figures: {', '.join(pair.shared_figures)}" if pair.shared_figures else ""
        message = f"restates {where} ({pair.similarity:.0%} of the content words{figures})"
        related_message = "first stated here"
        fix = None
    return Finding(
        later.start,
        later.end,
        message,
        related=(Related(earlier.start, earlier.end, related_message),),
        fix=fix,
    )


def _deletion(doc: Document, index: int) -> Fix | None:
    """Delete a paragraph and the blank line that separates it from its
    neighbour -- only if nothing but whitespace lies between them (never
    Markdown markup, a comment, or anything else the prose blanks out)."""
    paragraphs = doc.paragraphs
    paragraph = paragraphs[index]
    if index + 1 < len(paragraphs):
        start, end = paragraph.start, paragraphs[index + 1].start
        gap = doc.text[paragraph.end : end]
    else:
        start, end = paragraphs[index - 1].end, paragraph.end
        gap = doc.text[start : paragraph.start]
    line_start = doc.line_index.line_starts[doc.line_index.line_of(paragraph.start)]
    if gap.strip() or doc.text[line_start : paragraph.start].strip():
        return None  # markup around it ("> " of a quotation, a list marker) would be left behind
    return Fix("Delete the repeated paragraph", (Edit(start, end, ""),))


RULES = (duplicate_paragraph,)
