"""CD202 cross-file-duplicate: a paragraph repeated from another file of the run."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from copydesk.diagnostics import Finding
from copydesk.document import Document
from copydesk.plugin import rule


@rule(
    "CD202",
    "cross-file-duplicate",
    "A paragraph repeats, or nearly repeats, one in another file of the same run.",
    scope="run",
)
def cross_file_duplicate(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    """## What it does
    With `copydesk check --cross-file`, compares the paragraphs of every
    file in the run and reports a paragraph that repeats one in a file
    given earlier: the same words (case and punctuation aside), or most of
    the same word sequences (a Jaccard similarity of word 3-grams of at
    least 0.8). Repeats inside one file are left to `duplicate-paragraph`.

    It runs over the whole run at once, with MinHash and locality-sensitive
    hashing, so its cost grows linearly with the number of paragraphs; it
    reports nothing when one file is linted on its own (in the editor, for
    instance).

    ## Why is this bad?
    An archive repeats itself: a wire paragraph pasted into two stories,
    boilerplate left over from a template, a story filed twice under two
    names. Readers who meet the same paragraph in two stories notice.

    ## Example
    ```text
    The council approved 40 new homes on the old brewery site on Tuesday.
    ```
    in `monday.txt`, and the same paragraph again in `tuesday.txt`.

    ## Use instead
    ```text
    Work on the brewery site homes, approved on Tuesday, starts in May.
    ```
    in `tuesday.txt`: say what is new, or refer back to the earlier story.
    """
    # Run-scoped: the engine never calls this on one document; the findings
    # come from copydesk.crossfile, which sees every file of the run.
    return iter(())


RULES = (cross_file_duplicate,)
