"""A third-party plugin for the language server's end-to-end tests.

Installed only for the server under test (its directory is put on the
server's PYTHONPATH, where this dist-info makes the entry point visible), so
the tests know exactly which characters are flagged whatever the built-in
rules do: every "zebra" (fix: "horse"), a rule that raises on "explode"
to stand for a broken plugin, and one that sleeps a minute on "sleepy" to
stand for a stuck one.
"""

from __future__ import annotations

import re
import time

from copydesk.diagnostics import Edit, Finding, Fix, Related
from copydesk.plugin import hookimpl
from copydesk.plugin.rule import rule

_ZEBRA = re.compile(r"\bzebra\b")


@rule("TST001", "zebra-word", "The word 'zebra' is flagged (test rule).", scope="paragraph")
def zebra_word(doc, options):
    """Flags the word "zebra".

    ## What it does
    Flags every "zebra".

    ## Why is this bad?
    The tests need a finding at known characters.

    ## Example
    ```text
    A zebra crossed.
    ```

    ## Use instead
    ```text
    A horse crossed.
    ```
    """
    for match in _ZEBRA.finditer(doc.prose):
        yield Finding(match.start(), match.end(), "'zebra' is flagged", fix=Fix("Replace with 'horse'", (Edit(match.start(), match.end(), "horse"),)))


@rule("TST002", "second-zebra", "A second 'zebra' points back at the first (test rule).")
def second_zebra(doc, options):
    """Flags a repeated "zebra" and relates it to the first.

    ## What it does
    Points from each later "zebra" to the first one.

    ## Why is this bad?
    The tests need related information.

    ## Example
    ```text
    A zebra. Another zebra.
    ```

    ## Use instead
    ```text
    A zebra.
    ```
    """
    matches = list(_ZEBRA.finditer(doc.prose))
    for match in matches[1:]:
        first = matches[0]
        yield Finding(match.start(), match.end(), "'zebra' again", related=(Related(first.start(), first.end(), "first zebra"),))


@rule("TST003", "exploding-rule", "Raises on 'explode' (test rule for a broken plugin).")
def exploding_rule(doc, options):
    """Raises.

    ## What it does
    Raises when the text says "explode".

    ## Why is this bad?
    It stands for a broken third-party rule.

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


@rule("TST004", "sleepy-rule", "Sleeps on 'sleepy' (test rule for a stuck plugin).")
def sleepy_rule(doc, options):
    """Sleeps.

    ## What it does
    Sleeps for a minute when the text says "sleepy".

    ## Why is this bad?
    It stands for a stuck third-party rule.

    ## Example
    ```text
    sleepy
    ```

    ## Use instead
    ```text
    awake
    ```
    """
    if "sleepy" in doc.text:
        time.sleep(60)
    return ()


@hookimpl
def copydesk_rules():
    return [zebra_word, second_zebra, exploding_rule, sleepy_rule]
