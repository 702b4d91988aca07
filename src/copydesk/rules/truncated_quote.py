"""CD301 truncated-quote: a quotation cut off, or marks that do not pair."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from copydesk.diagnostics import Finding, Related
from copydesk.document import Document
from copydesk.plugin import rule

if TYPE_CHECKING:
    # The analysis is imported when a document first asks for it (doc.quotes),
    # not when the rule is declared: a run served from the cache never pays.
    from copydesk.analysis.quotes import Quotation

# Words after which no utterance can stop: articles, possessive
# determiners, co-ordinating and some subordinating conjunctions.
# Prepositions are deliberately absent: English strands them ("what it's
# made of", "aware of", "come in"), and news quotes do.
CANNOT_END = frozenset("the a an and or nor but my your our their its every whose than whereas although".split())
_LAST_WORD = re.compile(r"(\w+)\W*$")
_CUT_SIGNS = ("…", "...", "—", "–", "-", "?", "!")


@rule("CD301", "truncated-quote", "A quotation is cut off, or its quotation marks do not pair.")
def truncated_quote(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    """
    ## What it does
    Finds quotations that were cut off: a quote that stops on a word no
    utterance can end on (an article, a possessive determiner, a
    conjunction: `“The,” she says.`, `“We tried everything and,” he said.`);
    a quote opened and never closed, where the next paragraph does not
    reopen it; a closing mark with no opening mark; and a quote closed by
    the wrong kind of mark (`“…’`, `‘…”`, `“…"`).

    One-word answers (`“Yes,” she said.`), scare quotes (`a “leading”
    role`), quotes that run over several paragraphs in the news convention
    (each paragraph reopens, only the last closes) and quotes that trail
    off on purpose with an ellipsis or a dash are not reported.

    ## Why is this bad?
    A quote cut mid-sentence usually means text was lost in editing or
    pasting: the reader is left with half of what someone said, attributed
    to them as if complete. Unpaired marks leave the reader unable to tell
    where the quoted words end and the reporter's begin.

    ## Example
    ```text
    Mr Giles believes that Russia is speaking to the wrong people.

    “The,” he says.
    ```

    ## Use instead
    ```text
    Mr Giles believes that Russia is speaking to the wrong people.

    “They should talk to Romania and Bulgaria,” he says.
    ```
    """
    quotes = doc.quotes
    prose = doc.prose
    quotations = quotes.quotations
    for position, quotation in enumerate(quotations):
        word = cut_off_word(prose, quotation)
        if word is None or _split_quote(prose, quotation, quotations, position):
            continue
        yield Finding(
            quotation.outer_start,
            quotation.outer_end,
            f"quotation ends on “{word}”, which cannot end what someone said: it looks cut off",
        )
    for problem in quotes.problems:
        related: tuple[Related, ...] = ()
        if problem.other is not None:
            related = (Related(problem.other, problem.other + 1, "the quotation opens here"),)
        yield Finding(problem.start, problem.end, _MESSAGES[problem.kind](problem.message), related)


_MESSAGES = {
    "unclosed": lambda message: message,
    "unopened": lambda message: message + " (was the start of the quote cut?)",
    "mismatched": lambda message: message,
}


def cut_off_word(prose: str, quotation: Quotation) -> str | None:
    """The word a complete quotation stops on, if no utterance can end there."""
    if quotation.close_mark is None or quotation.depth or quotation.embedded or quotation.scare:
        return None
    text = prose[quotation.start : quotation.end].rstrip()
    match = _LAST_WORD.search(text)
    if match is None:
        return None
    trailing = text[match.end(1) :]
    if any(sign in trailing for sign in _CUT_SIGNS):
        return None  # a question, an exclamation, or trailing off on purpose
    word = match.group(1)
    only_word = not text[: match.start(1)].strip(" \"'“‘")
    if word.lower() not in CANNOT_END or not (word.islower() or only_word):
        return None
    return word


def _split_quote(prose: str, quotation: Quotation, quotations: tuple[Quotation, ...], position: int) -> bool:
    """“The problem is that,” she said, “nobody listens.” -- one sentence, split."""
    if position + 1 >= len(quotations):
        return False
    following = quotations[position + 1]
    if following.paragraph != quotation.paragraph or following.open_mark is None:
        return False
    between = prose[quotation.outer_end : following.open_mark]
    resumed = prose[following.start : following.start + 1]
    return len(between) <= 80 and between.rstrip().endswith(",") and resumed.islower()


RULES = (truncated_quote,)
