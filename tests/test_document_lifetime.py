"""A linted document is freed as soon as its last reference goes.

Every analysis a document keeps (paragraph profiles, suppressions, the
people analysis) must not refer back to it: a cycle would leave every
linted document, with all its analysis, to Python's garbage collector. An
editor re-lints after each keystroke, so that garbage piled up between
collections and each collection of it cost milliseconds while someone
typed.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from copydesk.api import Session
from copydesk.document import Document
from copydesk.repetition import paragraph_profiles

SEED = (Path(__file__).resolve().parents[1] / "examples" / "article.txt").read_text(encoding="utf-8")
SECOND_PARAGRAPH = SEED.split("\n\n")[1]

CASES = {
    # Every defect of the seed article: repeated sourcing, a pronoun
    # mismatch, truncated quotes, duplicated paragraphs.
    "article.txt": SEED,
    # Suppression directives that parse (they keep the line index) and one
    # that does not (CD001), in Markdown with a quote block and code.
    "article.md": (
        "# Headline\n\n"
        + SEED
        + "\n\n> A quoted line.\n\n```\ncode\n```\n\n"
        + "<!-- copydesk: disable-next-line CD102 -->\n"
        + SECOND_PARAGRAPH
        + "\n\n<!-- copydesk: disable CDX99 -->\n"
    ),
    "directive.txt": SEED + "\n\nHe said it was sound. <!-- copydesk: disable-line CD401 -->\n",
}


@pytest.fixture(scope="module")
def session() -> Session:
    return Session(overrides={"select": ["ALL"]})


@pytest.fixture()
def collector_paused():
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.parametrize("path", sorted(CASES))
def test_a_linted_document_is_freed_without_the_garbage_collector(session, collector_paused, path):
    report = session.lint_text(CASES[path], path=path)
    # The case exercises what it is meant to: findings of the four kinds,
    # and in the cases with directives, the suppressions that use them.
    codes = {diagnostic.code for diagnostic in report.diagnostics}
    assert {"CD101", "CD201", "CD301", "CD401"} <= codes
    if path == "article.md":
        assert "CD001" in codes
    document = weakref.ref(report.document)
    del report
    assert document() is None


def test_a_paragraph_profile_outliving_its_document_says_so():
    doc = Document(SEED + "\n\n" + SECOND_PARAGRAPH + "\n", "article.txt")
    profiles = paragraph_profiles(doc)
    del doc
    with pytest.raises(ReferenceError):
        profiles[1].numbers
