"""A newsroom's house style as copydesk rules (codes NWS1xx).

Installed, this package is found by copydesk through the ``copydesk.plugins``
entry point declared in ``setup.cfg``; ``copydesk_rules()`` below is the one
hook a plugin implements. Each rule is a function decorated with
``@rule``: copydesk hands it a document and the rule's options, and it yields
findings as offsets into ``doc.prose`` (the text with code, URLs and
comments blanked, so offsets stay valid in the original file).
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from copydesk.plugin import Edit, Finding, Fix, Option, hookimpl, rule

# "5%", "5 %", "3.5%", "percent" -- a number before, so "%" in a URL query or
# in "100%-owned" style compounds is left to the sub-editor's judgement.
_PERCENT_SIGN = re.compile(r"(?<=\d)\s?%(?![\w-])")
_PERCENT_WORD = re.compile(r"\bper[ -]?cent\b", re.IGNORECASE)

# "Mr.", "Dr." and friends before a name. British house styles drop the full
# stop from contractions: the word ends with its last letter.
_HONORIFIC_WITH_STOP = re.compile(r"\b(Mr|Mrs|Ms|Dr|St|Messrs|Mx)\.(?=\s+[A-Z])")


@rule(
    "NWS101",
    "percent-style",
    "Write percentages the house way: '5 per cent', not '5%' or '5 percent'.",
    options=[
        Option(
            "spelling",
            "per cent",
            "The house spelling for percentages in running copy.",
            type="str",
        )
    ],
    scope="paragraph",
)
def percent_style(doc: Any, options: Mapping[str, Any]) -> Iterator[Finding]:
    """
    ## What it does
    Finds percentages written with the `%` sign or with a spelling other
    than the house one ("per cent" unless the `spelling` option says
    otherwise) and offers to rewrite them.

    ## Why is this bad?
    The style book asks for words, not symbols, in running copy: "per cent"
    reads as prose and survives every typeface and text-to-speech reader.
    One spelling throughout keeps a page from looking sub-edited by three
    people.

    ## Example
    ```text
    Inflation rose to 4.5% in March, up from 4 percent in February.
    ```

    ## Use instead
    ```text
    Inflation rose to 4.5 per cent in March, up from 4 per cent in February.
    ```

    ## Options
    - `spelling` (default `"per cent"`): the house spelling, for example
      `"percent"` for a newsroom on American style.
    """
    spelling = options.get("spelling", "per cent")
    text = doc.prose
    for match in _PERCENT_SIGN.finditer(text):
        fix = Fix(f"Write '{spelling}'", (Edit(match.start(), match.end(), f" {spelling}"),))
        yield Finding(match.start(), match.end(), f"House style: write '{spelling}', not '%'.", fix=fix)
    for match in _PERCENT_WORD.finditer(text):
        if match.group().lower() == spelling.lower():
            continue
        fix = Fix(f"Write '{spelling}'", (Edit(match.start(), match.end(), spelling),))
        yield Finding(
            match.start(), match.end(), f"House style: write '{spelling}', not '{match.group()}'.", fix=fix
        )


@rule(
    "NWS102",
    "honorific-full-stop",
    "No full stop after a contracted honorific: 'Mr Giles', not 'Mr. Giles'.",
    scope="paragraph",
)
def honorific_full_stop(doc: Any, options: Mapping[str, Any]) -> Iterator[Finding]:
    """
    ## What it does
    Finds a full stop after a contracted title -- Mr, Mrs, Ms, Dr, St,
    Messrs, Mx -- before a name, and offers to remove it.

    ## Why is this bad?
    House style follows the British convention: a contraction that ends
    with the last letter of the word takes no full stop. "Mr. Giles" reads
    as American copy that was never sub-edited.

    ## Example
    ```text
    Mr. Giles and Dr. Patel arrived together.
    ```

    ## Use instead
    ```text
    Mr Giles and Dr Patel arrived together.
    ```
    """
    for match in _HONORIFIC_WITH_STOP.finditer(doc.prose):
        stop = match.end() - 1
        title = match.group(1)
        yield Finding(
            match.start(),
            match.end(),
            f"House style: '{title}' takes no full stop.",
            fix=Fix(f"Write '{title}'", (Edit(stop, match.end(), ""),)),
        )


RULES = (percent_style, honorific_full_stop)


@hookimpl
def copydesk_rules():
    return list(RULES)
