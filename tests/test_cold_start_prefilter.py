"""The word index that picks which proselint checks to run never skips one
that would report.

Most of proselint's patterns are words between word boundaries, and the
pre-filter looks those checks up by the words of the text instead of
compiling every pattern (which was most of copydesk's cold start). Here
every such pattern is put into text in the ways that test the word rules --
glued to digits, underscores, accented letters, hyphens, apostrophes, in
capitals, with the letters case-insensitive matching confuses -- and
wherever the check itself reports, it must have been a candidate.
"""

from __future__ import annotations

import pytest

from copydesk.rules.proselint_runner import (
    ProselintRunner,
    _Patterns,
    _Prefilter,
    _required_words,
    _run_check,
    _TextState,
    _trigger_patterns,
)

RUNNER = ProselintRunner()
PREFILTER = _Prefilter(RUNNER.checks)

CONTEXTS = (
    "{}",
    "It was, they said, {} after all.",
    "5{}5 and _{}_",
    "é{}é",
    "-{}-'{}'",
    "“{}”",
    "{}s",
)


def worded_patterns() -> list[tuple[int, str]]:
    found = []
    for index, check in enumerate(RUNNER.checks):
        trigger = _trigger_patterns(check)
        if isinstance(trigger, _Patterns):
            found.extend((index, pattern) for pattern in trigger.patterns if _required_words(pattern) is not None)
    return found


WORDED = worded_patterns()


def reports(index: int, text: str) -> bool:
    state = _TextState(f"\n{text}\n", frozenset())
    return any(True for _ in _run_check(RUNNER.checks[index], state, len(text)))


def candidate(index: int, text: str) -> bool:
    return index in PREFILTER.candidates(f"\n{text}\n")


def plain_text(pattern: str) -> str:
    """The text a plain pattern matches (its word-boundary padding removed)."""
    for edge in ("\\b", "(?<![A-Za-z'-])", "(?![A-Za-z'-])"):
        pattern = pattern.replace(edge, "")
    return pattern


def test_nearly_every_proselint_pattern_is_looked_up_by_its_words():
    # The point of the index: few patterns are left to compile into RE2 sets.
    total = sum(
        len(t.patterns) for t in map(_trigger_patterns, RUNNER.checks) if isinstance(t, _Patterns)
    )
    assert len(WORDED) > 0.9 * total
    assert sum(len(owners) for _, owners in PREFILTER.sets) < 0.1 * total


@pytest.mark.parametrize("context", CONTEXTS)
def test_a_check_that_reports_on_its_own_words_was_a_candidate(context):
    missed = []
    for index, pattern in WORDED:
        words = plain_text(pattern)
        for text in (context.format(words, words), context.format(words.upper(), words.title())):
            if reports(index, text) and not candidate(index, text):
                missed.append((RUNNER.checks[index].path, text))
    assert not missed, missed[:5]


@pytest.mark.parametrize("fold", ["\u017f", "\u212a", "\u0130", "\u0131"])
def test_letters_that_fold_to_ascii_make_every_worded_check_a_candidate(fold):
    # "ſ" matches "s", the Kelvin sign "k", and in Python's re "İ"/"ı" match "i".
    missed = []
    for index, pattern in WORDED:
        text = plain_text(pattern)
        for letter in "sSkKiI":
            text = text.replace(letter, fold)
        if reports(index, text) and not candidate(index, text):
            missed.append((RUNNER.checks[index].path, text))
    assert not missed, missed[:5]
    assert candidate(WORDED[0][0], fold)


def test_words_of_a_phrase_apart_do_not_make_its_check_a_candidate():
    index = next(i for i, pattern in WORDED if pattern == r"\bnip and tuck\b")
    assert candidate(index, "A nip and tuck, they said.")
    # Every word of the phrase is needed, so its rarest word alone is not enough,
    # and the words must make the phrase: common words are everywhere.
    assert not candidate(index, "They will tuck the sheet in.")
    assert not candidate(index, "Nip out and tuck in.")
    assert candidate(index, "It needed a NIP AND TUCK.")


def test_the_words_a_pattern_needs():
    assert _required_words(r"\bnip and tuck\b") == {"nip", "and", "tuck"}
    assert _required_words(r"\bnative-born citizen\b") == {"native", "born", "citizen"}
    assert _required_words(r"(?<![A-Za-z'-])Gothenburger(?![A-Za-z'-])") == {"gothenburger"}
    # Without boundaries the outer words may be parts of longer words.
    assert _required_words("nip and tuck") == {"and"}
    assert _required_words("tuck") is None
    # Regular expressions are left to RE2.
    assert _required_words(r"\b12 ?[ap]\.?m\.?\b") is None
    assert _required_words("\\bla\u212aer\\b") is None


def test_case_sensitive_checks_are_looked_up_by_the_words_as_written():
    # misc.capitalization.months flags "january" but not "January".
    index = next(
        i for i, pattern in WORDED
        if RUNNER.checks[i].path == "misc.capitalization.months" and "january" in pattern
    )
    assert not RUNNER.checks[index].engine.opts.case_insensitive
    assert candidate(index, "It snowed in january.")
    assert not candidate(index, "It snowed in January.")


def test_words_with_digits_or_hyphens_need_the_whole_text_of_the_pattern():
    index = next(i for i, pattern in WORDED if pattern == r"\b2day\b")
    assert candidate(index, "See you 2day!")
    assert not candidate(index, "See you today, day after day.")
