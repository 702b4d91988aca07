"""A test-only copydesk plugin for the CLI tests (``--plugin cli_fixture_plugin``).

TST001 ``zebra-word`` flags every "zebra" (any case) with a fix that
replaces it with "horse" and, after the first, a related location pointing
at the first one. TST002 ``exploding-rule`` raises on any text containing
"explode". TST003 ``two-line-fix`` offers a fix whose replacement holds a
line break, to test that fixes keep the file's line endings.
"""

from __future__ import annotations

import re

from copydesk.plugin import Edit, Finding, Fix, Related, hookimpl, rule

ZEBRA = re.compile(r"zebra", re.IGNORECASE)
PAIR = re.compile(r"BREAKHERE")


@rule("TST001", "zebra-word", "The word zebra is not house style.")
def zebra_word(doc, options):
    """## What it does
    Flags "zebra".

    ## Why is this bad?
    Test rule.

    ## Example
    ```text
    A zebra.
    ```

    ## Use instead
    ```text
    A horse.
    ```
    """
    first = None
    for match in ZEBRA.finditer(doc.prose):
        related = () if first is None else (Related(first.start(), first.end(), "first zebra here"),)
        fix = Fix("replace with 'horse'", (Edit(match.start(), match.end(), "horse"),))
        yield Finding(match.start(), match.end(), f"found {match.group()!r}", related=related, fix=fix)
        if first is None:
            first = match


@rule("TST002", "exploding-rule", "Raises on purpose.")
def exploding_rule(doc, options):
    """## What it does
    Raises.

    ## Why is this bad?
    Test rule.

    ## Example
    ```text
    explode
    ```

    ## Use instead
    ```text
    calm
    ```
    """
    if "explode" in doc.text:
        raise RuntimeError("boom")
    return ()


@rule("TST003", "two-line-fix", "Splits BREAKHERE into two lines.")
def two_line_fix(doc, options):
    """## What it does
    Splits a marker into two lines.

    ## Why is this bad?
    Test rule.

    ## Example
    ```text
    BREAKHERE
    ```

    ## Use instead
    ```text
    fine
    ```
    """
    for match in PAIR.finditer(doc.prose):
        fix = Fix("split", (Edit(match.start(), match.end(), "first\nsecond"),))
        yield Finding(match.start(), match.end(), "split me", fix=fix)


@hookimpl
def copydesk_rules():
    return [zebra_word, exploding_rule, two_line_fix]
