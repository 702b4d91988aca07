"""Running proselint's checks on copydesk text, exactly as proselint would.

proselint's ``LintFile`` checks ``"\\n" + text + "\\n"`` and drops any
result that starts inside a quotation (unless the check allows quotes).
This module does the same, maps each span back to an offset into the text
it was given, and makes running all of proselint's checks per paragraph
cheap: a pre-filter built once from every check's own patterns -- an index
of the words the word patterns need, and RE2 sets for the rest -- tells
which checks can possibly match a paragraph, and only those run. The
pre-filter is conservative -- a check is skipped only when none of the
patterns it would search for can occur -- so results are unchanged. The
checks that weigh a whole document's consistency likewise run only the
term pairs whose two terms both occur in it.

Importing this module imports proselint's check registry; the rule module
imports it only when a check first runs, which keeps cold start fast.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import OrderedDict
from functools import lru_cache
from itertools import chain
from typing import Callable, Iterator, NamedTuple

import re2
from proselint.checks import __register__ as PROSELINT_CHECKS
from proselint.registry.checks import Check, CheckResult, Padding, types
from proselint.registry.checks.engine import Fast, RegexOptions
from proselint.tools import QUOTE_PATTERN, check_matching_quotes, find_spans

#: proselint pads the text it checks with one newline on each side.
PADDING = 1
# Bounded so that one RE2 set's DFA stays well inside its memory budget.
PATTERNS_PER_SET = 1000
RE2_SET_MEMORY = 64 << 20
PARAGRAPH_STATES = 20_000
_TURKIC_I = frozenset("\u0130\u0131")


class MappedResult(NamedTuple):
    """One proselint result, in offsets of the text that was checked."""

    start: int
    end: int
    message: str
    replacement: str | None


class _TextState:
    """One padded text, the checks that may match it, its quotations."""

    __slots__ = ("padded", "candidates", "_quote_bounds")

    def __init__(self, padded: str, candidates: frozenset[int]) -> None:
        self.padded = padded
        self.candidates = candidates
        self._quote_bounds: tuple[int, ...] | None = None

    def is_quoted(self, position: int) -> bool:
        if self._quote_bounds is None:
            self._quote_bounds = tuple(
                chain.from_iterable(find_spans(self.padded, QUOTE_PATTERN, check_matching_quotes))
            )
        # Bounds come in pairs: an odd insertion point lies inside a quotation.
        return bisect_left(self._quote_bounds, position) % 2 == 1


class _Prefilter:
    """Which checks can match a text, cheaply.

    Nearly all of proselint's patterns are words between word boundaries
    (``\\bnip and tuck\\b``): such a pattern can only match a text in
    which each of its words is a whole run of ASCII letters, so those
    checks are looked up by the words of the text. Building that index
    takes a few milliseconds where compiling every pattern into RE2 sets
    took tens, which is most of a cold start. The remaining patterns (real
    regular expressions) are searched for with RE2 sets as before.
    """

    def __init__(self, checks: tuple[Check, ...]) -> None:
        by_options: dict[RegexOptions, list[tuple[str, int]]] = {}
        self.python_filters: list[tuple[re.Pattern[str], int]] = []
        self.always: set[int] = set()
        # Checks on Python's re pre-filtered by case-insensitive literals.
        self.folding_sensitive: set[int] = set()
        # A second, narrower RE2 set a check's literal hit must also match.
        self.confirmations: dict[int, re2.Set] = {}
        # Rarest word of a pattern -> (every word the pattern needs, the
        # text it matches if plain words, its check); lower-cased for the
        # patterns that ignore case, as written in ``by_exact_word``.
        self.by_word: dict[str, list[tuple[frozenset[str], str | None, int]]] = {}
        self.by_exact_word: dict[str, list[tuple[frozenset[str], str | None, int]]] = {}
        self.worded: set[int] = set()
        for index, check in enumerate(checks):
            trigger = _trigger_patterns(check)
            if isinstance(trigger, _Patterns):
                trigger = self._index_words(trigger, index)
            if trigger is None:
                self.always.add(index)
            elif trigger == ():
                pass  # every pattern was indexed by its words
            elif isinstance(trigger, re.Pattern):
                self.python_filters.append((trigger, index))
            elif isinstance(trigger, _PythonLiterals):
                literal_options = RegexOptions(case_insensitive=trigger.options.case_insensitive)
                by_options.setdefault(literal_options, []).extend((p, index) for p in trigger.literals)
                if trigger.options.case_insensitive:
                    self.folding_sensitive.add(index)
                if trigger.confirmations:
                    try:
                        confirmation, _ = _compiled_set(literal_options, [(p, index) for p in trigger.confirmations])
                        self.confirmations[index] = confirmation
                    except re2.error:
                        pass  # the literals alone still filter safely
            else:
                options, patterns = trigger
                by_options.setdefault(options, []).extend((p, index) for p in patterns)
        self.sets: list[tuple[re2.Set, tuple[int, ...]]] = []
        for options, entries in by_options.items():
            for batch_start in range(0, len(entries), PATTERNS_PER_SET):
                batch = entries[batch_start : batch_start + PATTERNS_PER_SET]
                try:
                    self.sets.append(_compiled_set(options, batch))
                except re2.error:  # a pattern RE2 cannot take: run its checks always
                    self.always.update(index for _, index in batch)

    def _index_words(
        self, trigger: "_Patterns", index: int
    ) -> "tuple[RegexOptions, list[str]] | _PythonLiterals | tuple[()] | None":
        """Index the patterns made of whole words; what is left for the other filters."""
        leftovers = []
        fold = trigger.options.case_insensitive
        by_word = self.by_word if fold else self.by_exact_word
        between_words = trigger.padding in _WORD_PADDINGS
        for item in trigger.items:
            if between_words and item.isascii() and item.replace(" ", "").isalpha():
                # Most of proselint's patterns: words and spaces. The longest
                # word is the rarest, so the one to look the pattern up by.
                phrase = item.lower() if fold else item
                if " " not in phrase:
                    # One word: finding it under its own key was the test.
                    rarest, words, phrase = phrase, _NO_OTHER_WORDS, None
                else:
                    in_order = phrase.split()
                    rarest = max(in_order, key=len)
                    words = frozenset(in_order)
            else:
                pattern = trigger.padding.format(item)
                required = _required_words(pattern, fold=fold)
                if required is None:
                    leftovers.append(pattern)
                    continue
                words = required
                rarest = max(sorted(words), key=len)
                # Plain text too ("2day", "win-win"): every match contains it
                # (lower-cased alike when it is ASCII).
                core = _literal_core(pattern)[0]
                phrase = None if not core.isascii() else core.lower() if fold else core
            entries = by_word.get(rarest)
            if entries is None:
                by_word[rarest] = [(words, phrase, index)]
            else:
                entries.append((words, phrase, index))
        if len(leftovers) < len(trigger.items):
            self.worded.add(index)
        if not leftovers:
            return ()
        if trigger.python:
            return _python_literals(trigger.options, leftovers)
        return trigger.options, leftovers

    def candidates(self, text: str) -> frozenset[int]:
        found = set(self.always)
        if _FOLDS_TO_ASCII.isdisjoint(text):
            # Lower-casing maps each character alone, and (with no letter
            # here folding to ASCII) makes no ASCII letter: the text's words
            # and phrases, lower-cased, are those of the text lower-cased.
            lowered = text.lower()
            _add_worded(found, self.by_word, lowered)
            if self.by_exact_word:
                _add_worded(found, self.by_exact_word, text)
        else:
            # "ſ", "K", "İ", "ı" match ASCII letters when case is ignored.
            found.update(self.worded)
        encoded = text.encode("utf-8")
        for pattern_set, owners in self.sets:
            matched = pattern_set.Match(encoded)
            if matched:
                found.update(owners[i] for i in matched)
        for index, confirmation in self.confirmations.items():
            if index in found and index not in self.worded and not confirmation.Match(encoded):
                found.discard(index)
        for pattern, index in self.python_filters:
            if pattern.search(text):
                found.add(index)
        if not _TURKIC_I.isdisjoint(text):
            # Python's re folds "İ" and "ı" to "i" when ignoring case; RE2 does not.
            found.update(self.folding_sensitive)
        return frozenset(found)


def _add_worded(found: set[int], by_word: dict[str, list[tuple[frozenset[str], str | None, int]]], text: str) -> None:
    """Add the checks whose indexed words (and phrase, if any) are all in ``text``."""
    words = set(_LETTERS.findall(text))
    for word in words:
        entries = by_word.get(word)
        if entries is None:
            continue
        for needed, phrase, index in entries:
            if index not in found and needed <= words and (phrase is None or phrase in text):
                found.add(index)


#: The words an indexed one-word pattern needs besides its key: none.
_NO_OTHER_WORDS: frozenset[str] = frozenset()
#: Runs of ASCII letters: what \\b-bounded words are made of in both engines.
_LETTERS = re.compile(r"[A-Za-z]+")
#: The only characters that match an ASCII letter when case is ignored, in
#: RE2 ("ſ", Kelvin sign) and Python's re (also "İ", "ı").
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


def _literal_core(pattern: str) -> tuple[str, bool]:
    """The pattern without word-boundary padding, and whether it had some."""
    for before, after in _WORD_EDGES:
        if pattern.startswith(before) and pattern.endswith(after) and len(pattern) > len(before) + len(after):
            return pattern[len(before) : len(pattern) - len(after)], True
    return pattern, False


def _required_words(pattern: str, *, fold: bool = True) -> frozenset[str] | None:
    """The words (lower-cased if ``fold``: the pattern ignores case) that
    every match of ``pattern`` contains as whole runs of ASCII letters; None unless the pattern is plain text,
    optionally between word boundaries (``\\b`` or proselint's strict
    look-arounds), with at least one such word.

    A run of letters inside the text is whole when a non-letter of the
    pattern or a boundary stands on each side of it. ``\\b`` (ASCII in
    RE2, Unicode in Python's re) and the strict look-arounds all refuse an
    ASCII letter beside the match, so the outer words count too.
    """
    core, bounded = _literal_core(pattern)
    if bounded and core.isascii() and core.replace(" ", "").isalpha():
        return frozenset((core.lower() if fold else core).split())  # most patterns: words and spaces
    if not _REGEX_SYNTAX.isdisjoint(core) or not _FOLDS_TO_ASCII.isdisjoint(core):
        return None
    words = frozenset(
        run.group().lower() if fold else run.group()
        for run in _LETTERS.finditer(core)
        if (bounded or run.start() > 0) and (bounded or run.end() < len(core))
    )
    return words or None



def _compiled_set(options: RegexOptions, entries: list[tuple[str, int]]) -> tuple[re2.Set, tuple[int, ...]]:
    pattern_set = re2.Set.SearchSet(_set_options(options))
    owners: list[int] = []
    for pattern, index in entries:
        pattern_set.Add(pattern)
        owners.append(index)
    pattern_set.Compile()
    return pattern_set, tuple(owners)


def _set_options(options: RegexOptions) -> re2.Options:
    # A copy: proselint caches and shares its own Options objects.
    shared = options.re2_opts
    copied = re2.Options()
    for name in re2.Options.NAMES:
        setattr(copied, name, getattr(shared, name))
    copied.max_mem = RE2_SET_MEMORY
    return copied


def _trigger_patterns(check: Check) -> "_Patterns | tuple[RegexOptions, list[str]] | re.Pattern[str] | None":
    """Patterns at least one of which occurs wherever ``check`` reports.

    ``None`` means "no safe pre-filter: always run the check". Only checks on
    proselint's RE2 engine are pre-filtered with RE2, using the very patterns
    (and padding, and options) the check itself searches for, so both
    engines agree on what matches.
    """
    check_type = check.check_type
    python = not isinstance(check.engine, Fast)
    options = check.engine.opts
    if isinstance(check_type, (types.Existence, types.PreferredForms, types.PreferredFormsSimple)):
        return _Patterns(options, python, tuple(check_type.items), check_type.padding)
    if isinstance(check_type, types.ExistenceSimple):
        return _Patterns(options, python, (check_type.pattern,))
    builder = _FUNCTION_TRIGGERS.get(getattr(check_type, "__qualname__", ""))
    if builder is None:
        return None
    try:
        return builder(check)  # type: ignore[return-value]
    except Exception:  # a changed proselint internal: fall back to always running
        return None


class _Patterns(NamedTuple):
    """The patterns a check searches for, with the engine that searches."""

    options: RegexOptions
    #: Searched with Python's re (proselint's Fancy engine), not RE2.
    python: bool
    items: tuple[str, ...]
    #: How each item is padded into a pattern.
    padding: Padding = Padding.RAW

    @property
    def patterns(self) -> list[str]:
        return [self.padding.format(item) for item in self.items]


class _PythonLiterals(NamedTuple):
    """RE2 patterns that match wherever a Python-``re`` check can match.

    ``literals`` are cheap to search for together with every other check's
    patterns; ``confirmations``, if any, are narrower and are searched only
    when a literal matched.
    """

    options: RegexOptions
    literals: tuple[str, ...]
    confirmations: tuple[str, ...] = ()


# Zero-width edges of a pattern: \b, \B and lookarounds without groups inside.
_ZERO_WIDTH = r"(?:\\[bB]|\(\?<?[=!][^()]*\))"
_LITERAL_CORE = re.compile(f"^{_ZERO_WIDTH}*(?P<core>.*?){_ZERO_WIDTH}*$", re.DOTALL)
_REGEX_SYNTAX = frozenset("\\^$.|?*+()[]{}")
# proselint's STRICT_WORDS_IN_TEXT padding uses ASCII classes only, so it
# can be written for RE2 without look-arounds and mean the same.
_STRICT_BEFORE, _STRICT_AFTER = Padding.STRICT_WORDS_IN_TEXT.value.split("{}")
_STRICT_BEFORE_RE2 = "(?:^|[^A-Za-z'-])"
_STRICT_AFTER_RE2 = "(?:[^A-Za-z'-]|$)"
#: Paddings that keep an ASCII letter from touching either end of a match.
_WORD_PADDINGS = (Padding.WORDS_IN_TEXT, Padding.STRICT_WORDS_IN_TEXT)
_WORD_EDGES = tuple(tuple(padding.value.split("{}")) for padding in _WORD_PADDINGS)


def _python_literals(options: RegexOptions, patterns: list[str]) -> _PythonLiterals | None:
    """RE2 stand-ins for patterns that are plain text between assertions.

    A literal matches alike in both engines (see :meth:`_Prefilter.candidates`
    for the one case-folding difference); Unicode-aware ``\\b`` does not, so
    it is dropped, which only widens the pre-filter. ``None`` when some
    pattern is more than a literal between assertions.
    """
    literals, confirmations = [], []
    for pattern in patterns:
        core = _LITERAL_CORE.match(pattern).group("core")  # type: ignore[union-attr]
        if not core or not _REGEX_SYNTAX.isdisjoint(core):
            return None
        literals.append(core)
        if pattern == f"{_STRICT_BEFORE}{core}{_STRICT_AFTER}":
            confirmations.append(f"{_STRICT_BEFORE_RE2}{core}{_STRICT_AFTER_RE2}")
    if len(confirmations) < len(literals):
        confirmations = []
    return _PythonLiterals(options, tuple(literals), tuple(confirmations))


def _uncomparables_trigger(check: Check) -> tuple[RegexOptions, list[str]]:
    from proselint.checks import uncomparables

    comparators = "|".join(uncomparables.COMPARATORS)
    adjectives = "|".join(uncomparables.UNCOMPARABLES)
    return check.engine.opts, [Padding.WORDS_IN_TEXT.format(f"(?:{comparators})\\s+(?:{adjectives})")]


def _fancy_uncomparables_trigger(check: Check) -> re.Pattern[str]:
    from proselint.checks import uncomparables

    # Python's re (like the check) so that Unicode spaces count as \s; the
    # check's patterns are these pairs with look-arounds around them.
    comparators = "|".join(uncomparables.FANCY_COMPARATORS)
    adjectives = "|".join(uncomparables.UNCOMPARABLES)
    return re.compile(f"(?:{comparators})\\s+(?:{adjectives})", check.engine.opts.re_flag)


def _waxed_trigger(check: Check) -> tuple[RegexOptions, list[str]]:
    from proselint.checks.misc import waxed

    return check.engine.opts, list(waxed.WAXES)


def _venery_trigger(check: Check) -> tuple[RegexOptions, list[str]]:
    from proselint.checks.terms import venery

    return check.engine.opts, list(venery.GENERIC_TERMS)


def _greylist_trigger(check: Check) -> tuple[RegexOptions, list[str]]:
    from proselint.checks.misc import greylist

    # The inner checks run on proselint's default engine.
    return RegexOptions(), list(greylist.GREYLISTED_TERMS)


def _but_trigger(check: Check) -> tuple[RegexOptions, list[str]]:
    from proselint.checks.misc import but

    return check.engine.opts, [but.PATTERN]


_FUNCTION_TRIGGERS: dict[str, Callable[[Check], object]] = {
    "_check_uncomparables": _uncomparables_trigger,
    "_check_fancy_uncomparables": _fancy_uncomparables_trigger,
    "_check_waxed": _waxed_trigger,
    "_check_venery": _venery_trigger,
    "_check_greylist": _greylist_trigger,
    "_check_but_paragraphs": _but_trigger,
}


class ProselintRunner:
    """proselint's checks, grouped by check path, run on demand."""

    def __init__(self, checks: tuple[Check, ...] = PROSELINT_CHECKS) -> None:
        self.checks = tuple(checks)
        self.indices_by_path: dict[str, tuple[int, ...]] = {}
        for index, check in enumerate(self.checks):
            self.indices_by_path[check.path] = self.indices_by_path.get(check.path, ()) + (index,)
        self._prefilter: _Prefilter | None = None
        # Paragraph-scoped rules are run rule by rule over every paragraph,
        # so the state of a whole document's paragraphs is kept, not just one.
        self._states: OrderedDict[str, _TextState] = OrderedDict()

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self.indices_by_path)

    def state_for(self, text: str) -> _TextState:
        state = self._states.get(text)
        if state is None:
            if self._prefilter is None:
                self._prefilter = _Prefilter(self.checks)
            padded = f"\n{text}\n"
            state = _TextState(padded, self._prefilter.candidates(padded))
            self._states[text] = state
            if len(self._states) > PARAGRAPH_STATES:
                self._states.popitem(last=False)
        return state

    def results(self, path: str, text: str, *, whole_document: bool = False) -> list[MappedResult]:
        """What proselint's checks for ``path`` report on ``text``, in its offsets.

        ``text`` is normally one paragraph, whose pre-filtered state is kept
        for the other paths' checks. A ``whole_document`` is checked by the
        few document-wide checks only: it is neither pre-filtered nor kept.
        """
        indices = self.indices_by_path.get(path, ())
        if whole_document:
            state = _TextState(f"\n{text}\n", frozenset(indices))
        else:
            state = self._states.get(text) or self.state_for(text)
        if state.candidates.isdisjoint(indices):
            return []
        found: list[MappedResult] = []
        for index in indices:
            if index in state.candidates:
                check = self.checks[index]
                if whole_document and isinstance(check.check_type, types.Consistency):
                    check = _narrowed_consistency(check, state.padded)
                    if check is None:
                        continue
                found.extend(_run_check(check, state, len(text)))
        return found


def _narrowed_consistency(check: Check, text: str) -> Check | None:
    """The consistency check with only the term pairs whose two terms both
    occur in ``text`` (None: no pair's do).

    A pair reports only when both of its terms match, and proselint runs
    two regex scans of the whole text per pair (28 for spelling.consistency,
    most finding nothing). One scan with an RE2 set of every term, under
    the check's own options, tells which terms match at all. The pairs kept
    run in their order, so the results are proselint's.
    """
    term_set = _consistency_terms(check)
    if term_set is None:
        return check
    matched = frozenset(term_set.Match(text.encode("utf-8")) or ())
    pairs = check.check_type.term_pairs
    kept = tuple(pair for number, pair in enumerate(pairs) if {2 * number, 2 * number + 1} <= matched)
    if not kept:
        return None
    return check if len(kept) == len(pairs) else check._replace(check_type=types.Consistency(kept))


@lru_cache(maxsize=None)
def _consistency_terms(check: Check) -> re2.Set | None:
    """An RE2 set of a consistency check's terms, pair by pair (term ``k``
    of pair ``n`` is pattern ``2n + k``); None if its engine is not RE2 or
    a term does not compile into a set."""
    if not isinstance(check.engine, Fast):
        return None
    terms = [(term, 0) for pair in check.check_type.term_pairs for term in pair]
    try:
        return _compiled_set(check.engine.opts, terms)[0]
    except re2.error:
        return None


def _run_check(check: Check, state: _TextState, length: int) -> Iterator[MappedResult]:
    allow_quotes = check.flags.allow_quotes
    # proselint reports the start of ReverseExistence matches one past the
    # word's first letter; copydesk points at the whole word.
    start_correction = -1 if isinstance(check.check_type, types.ReverseExistence) else 0
    # A consistency check's "replacement" is a regex, not text to insert.
    keeps_replacement = not isinstance(check.check_type, types.Consistency)
    result: CheckResult
    for result in check.check_with_flags(state.padded):
        start, end = result.span
        if not allow_quotes and state.is_quoted(start):
            continue
        start = _clamp(start + start_correction - PADDING, length)
        end = max(start, _clamp(end - PADDING, length))
        yield MappedResult(start, end, result.message, result.replacements if keeps_replacement else None)


def _clamp(offset: int, length: int) -> int:
    return 0 if offset < 0 else length if offset > length else offset


_RUNNER: ProselintRunner | None = None


def shared_runner() -> ProselintRunner:
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = ProselintRunner()
    return _RUNNER
