"""CD001: suppression directives that do not parse or name no rule.

The directives are parsed once per document by
:class:`copydesk.suppression.Suppressions` (the engine does it before any
rule runs); this rule reports what that parse found, so CD001 is selected,
ignored and re-levelled like any other rule.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from copydesk.diagnostics import Finding
from copydesk.document import Document
from copydesk.plugin import rule
from copydesk.suppression import INVALID_SUPPRESSION_CODE, INVALID_SUPPRESSION_NAME, Suppressions


@rule(
    INVALID_SUPPRESSION_CODE,
    INVALID_SUPPRESSION_NAME,
    "A copydesk suppression directive is malformed or names no known rule.",
    severity="warning",
)
def invalid_suppression(document: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    """## What it does
    Reports a `copydesk:` directive (an HTML comment such as
    `<!-- copydesk: disable=CD101 -->`, or `[copydesk: disable=CD101]` in
    plain text) that cannot be parsed, or that names a rule copydesk does
    not know.

    ## Why is this bad?
    A directive with a typo suppresses nothing: the findings it was meant to
    silence keep appearing, or -- worse -- the writer believes a check is
    off when it is on. copydesk never guesses what a broken directive
    meant, and never lets one switch every rule off; it reports it here.

    The directives are `disable`, `enable` (a region, until `enable` or the
    end of the file), `disable-line`, `disable-next-line` and
    `disable-paragraph`, each optionally followed by `=` and a
    comma-separated list of rule codes, code prefixes, names or groups.

    ## Example
    ```text
    <!-- copydesk: disabel=repeated-sourcing -->
    According to the ministry, the bridge will reopen on Monday.
    ```

    ## Use instead
    ```text
    <!-- copydesk: disable=repeated-sourcing -->
    According to the ministry, the bridge will reopen on Monday.
    ```
    """
    for problem in Suppressions.for_document(document).problems:
        yield Finding(problem.start, problem.end, problem.message)


RULES = (invalid_suppression,)
