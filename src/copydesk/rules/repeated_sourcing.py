"""CD101 repeated-sourcing: the same attribution formula leaned on too often."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator, Mapping

from copydesk.attribution_formulae import FormulaUse, formula_uses
from copydesk.diagnostics import Finding, Related
from copydesk.document import Document
from copydesk.plugin import Option, rule

OPTIONS = (
    Option("max-uses", 2, "Uses of one formula allowed within the window; each use beyond is reported.", minimum=1),
    Option("window", 4, "The window, in paragraphs (the paragraph of the use and those before it).", minimum=1),
    Option(
        "max-consecutive-openings",
        1,
        "Consecutive paragraphs that may open with the same formula; each further one is reported.",
        minimum=1,
    ),
    Option(
        "neutral",
        ["said", "told", "added"],
        "Formulae never reported, however often they recur: 'said' is the neutral attribution of news. "
        "Keys: 'according to', 'sources say', 'it is understood' (also 'it is believed', 'it is thought', ...), "
        "'reports suggest', 'reportedly', 'told me', and the verbs 'said', 'added', 'claimed', 'insisted'.",
        type="list",
    ),
)

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@rule(
    "CD101",
    "repeated-sourcing",
    "The same attribution formula opens paragraph after paragraph, or recurs too often in a few paragraphs.",
    options=OPTIONS,
)
def repeated_sourcing(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    """
    ## What it does
    Finds attribution formulae -- "according to", "sources say", "it is
    understood", "reports suggest", "reportedly", "X told me", "X claimed"
    and the like -- and reports each use of one formula beyond what the copy
    can carry: a paragraph that opens with the same formula as the paragraph
    before it, or a use that makes more than `max-uses` in `window`
    paragraphs. The span is the formula itself; the earlier uses are related
    locations.

    "said" is the neutral attribution of news copy and is never reported by
    default, however often it recurs (see `neutral`).

    ## Why is this bad?
    A formula repeated paragraph after paragraph reads as padding, and it
    hides who is actually saying what: four "according to"s in a row make
    the reader lose track of the sources. Vary the construction, name the
    source once and let "said" carry the rest, or fold the claims together.

    ## Example
    ```text
    According to the council, the bridge will close for six weeks from Monday.

    According to engineers, the work is needed because of corrosion found last year.

    According to local traders, the closure will cost them custom over the summer.
    ```

    ## Use instead
    ```text
    The bridge will close for six weeks from Monday, the council said.

    Engineers found corrosion in the supports last year, and the work cannot wait.

    Local traders said the closure would cost them custom over the summer.
    ```

    ## Options
    - `max-uses` (default 2) and `window` (default 4): a formula may be used
      `max-uses` times in any `window` consecutive paragraphs.
    - `max-consecutive-openings` (default 1): how many paragraphs in a row
      may open with the same formula.
    - `neutral` (default `["said", "told", "added"]`): formulae never
      reported.
    """
    max_uses = options.get("max-uses", 2)
    window = options.get("window", 4)
    max_openings = options.get("max-consecutive-openings", 1)
    neutral = {key.lower() for key in options.get("neutral", ("said", "told", "added"))}

    by_key: dict[str, list[FormulaUse]] = defaultdict(list)
    for use in formula_uses(doc):
        if use.key not in neutral:
            by_key[use.key].append(use)

    findings: list[Finding] = []
    for uses in by_key.values():
        findings.extend(_overuses(doc, uses, max_uses, window, max_openings))
    findings.sort(key=lambda finding: finding.start)
    return iter(findings)


#: Related locations per finding: the most recent earlier uses. Listing
#: every earlier use would make a run of n uses cost n squared.
MAX_RELATED = 5


def _overuses(
    doc: Document, uses: list[FormulaUse], max_uses: int, window: int, max_openings: int
) -> Iterator[Finding]:
    run_start = 0  # index in ``uses`` of the first opening of the current run
    run_length = 0
    last_opening_paragraph = -2
    first_in_window = 0
    for position, use in enumerate(uses):
        if use.opens_paragraph:
            if last_opening_paragraph != use.paragraph - 1:
                run_start, run_length = position, 0
            run_length += 1
            last_opening_paragraph = use.paragraph
        while uses[first_in_window].paragraph <= use.paragraph - window:
            first_in_window += 1
        in_window = position - first_in_window + 1
        written = doc.text[use.start : use.end]

        if use.opens_paragraph and run_length > max_openings:
            message = f"{_ordinal(run_length)} paragraph in a row to open with '{written}'"
            earlier = [u for u in uses[max(run_start, position - 3 * MAX_RELATED) : position] if u.opens_paragraph]
        elif in_window > max_uses:
            spread = use.paragraph - uses[first_in_window].paragraph + 1
            place = "the same paragraph" if spread == 1 else f"{_number(spread)} paragraphs"
            message = f"{_ordinal(in_window)} '{written}' in {place}"
            earlier = uses[max(first_in_window, position - MAX_RELATED) : position]
        else:
            continue
        related = tuple(
            Related(e.start, e.end, f"'{doc.text[e.start:e.end]}' in paragraph {e.paragraph + 1}")
            for e in earlier[-MAX_RELATED:]
        )
        yield Finding(use.start, use.end, message, related=related)


def _ordinal(n: int) -> str:
    if n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _number(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)


RULES = (repeated_sourcing,)
