"""Shared analysis of a document beyond words and sentences.

- :mod:`copydesk.analysis.quotes`: quotation marks paired into quotations
  (curly and straight, double and single, nested, continued over
  paragraphs), apostrophes told apart from quote marks, scare quotes,
  malformed marks, and who each quotation is attributed to.
- :mod:`copydesk.analysis.people`: person mentions grouped into entities
  with grammatical gender, gendered pronouns with the people they can
  refer to, and the speaker of each quotation as the story goes on.

Both are computed once per document through ``Document.quotes`` and
``Document.people``; rules read them and never re-parse the text. Both
memoise what a paragraph's text alone decides (keyed by that text, in
bounded LRUs, offsets relative to the paragraph), so analysing a document
again after an edit re-reads only the edited paragraphs;
:func:`clear_memos` forgets every paragraph seen.
"""

import sys


def clear_memos() -> None:
    """Forget the paragraphs the analyses, and the document model's sentence
    split, have seen (benchmarks time a cold start with it). Modules not yet
    imported hold nothing to forget."""
    from copydesk import document

    document.clear_memo()
    quotes = sys.modules.get("copydesk.analysis.quotes")
    if quotes is not None:
        quotes.clear_memo()
    people = sys.modules.get("copydesk.analysis.people")
    if people is not None:
        people.clear_memos()
