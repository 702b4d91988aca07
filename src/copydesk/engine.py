"""The one linting engine. The CLI, the language server and the pre-commit
hook all call :meth:`Linter.lint`; none of them runs rules on its own.

Each rule runs inside its own ``try``: a rule that raises, or yields
something that is not a finding inside the text, is recorded once as a
:class:`~copydesk.diagnostics.RuleFailure` naming its plugin, and every
other rule still reports. A rule that takes longer than the time budget on
one document is recorded the same way (its findings are kept).
Paragraph-scoped rules are run per paragraph and
their findings cached by paragraph text, so after a keystroke only the
edited paragraph is re-checked.
"""

from __future__ import annotations

import time
from typing import Any, Iterable, Sequence

from copydesk.diagnostics import Diagnostic, Finding, LintResult, Related, RuleFailure
from copydesk.document import Document
from copydesk.lru import LRU
from copydesk.plugin.rule import ConfiguredRule

DEFAULT_PARAGRAPH_CACHE_SIZE = 20_000
#: CPU seconds one rule may take on one document (of up to
#: BUDGET_CHARACTERS; in proportion on a longer one) before it is reported
#: as slow. Generous: a rule of reasonable cost takes milliseconds on an
#: article and about a second on a megabyte.
DEFAULT_RULE_TIME_BUDGET = 5.0
#: The budget is per rule and this many characters: a linear rule takes ten
#: times as long on ten times the copy, a quadratic one a hundred.
BUDGET_CHARACTERS = 1_000_000
_DEFAULT = object()


class _InvalidFinding(Exception):
    pass


class ParagraphCache:
    """Findings of paragraph-scoped rules, by paragraph text, then by rule
    settings. Least recently used paragraphs are dropped first.

    One entry per paragraph, not per paragraph and rule: a re-lint after a
    keystroke makes one lookup per paragraph, whatever the number of rules.
    """

    def __init__(self, max_paragraphs: int = DEFAULT_PARAGRAPH_CACHE_SIZE) -> None:
        self._entries: LRU[dict[Any, tuple[Finding, ...]]] = LRU(max_paragraphs)

    def results_for(self, text: str) -> dict[Any, tuple[Finding, ...]]:
        """The findings cached for a paragraph's text, by rule settings; the
        caller adds what it computes."""
        results = self._entries.get(text)
        if results is None:
            results = {}
            self._entries.put(text, results)
        return results

    def __len__(self) -> int:
        return len(self._entries)


class Linter:
    """Runs a fixed set of configured rules over documents."""

    def __init__(
        self,
        rules: Sequence[ConfiguredRule],
        *,
        known_rules: Any = None,
        paragraph_cache: ParagraphCache | None = None,
        rule_time_budget: float | None | object = _DEFAULT,
    ) -> None:
        self.rules = tuple(rules)
        #: A rule using more CPU time than this (seconds) on one document of
        #: up to BUDGET_CHARACTERS (in proportion on longer ones) is reported
        #: as a failure naming its plugin (its findings are kept); None: no
        #: limit. CPU time of this thread, not wall-clock time, so that a
        #: busy machine (a loaded CI runner) raises no false alarm.
        self.rule_time_budget = DEFAULT_RULE_TIME_BUDGET if rule_time_budget is _DEFAULT else rule_time_budget
        #: The registry suppression comments are checked against.
        self.known_rules = known_rules
        self.paragraph_cache = paragraph_cache if paragraph_cache is not None else ParagraphCache()
        # Rules found across the files of a run (scope "run", copydesk.crossfile) do not run per document.
        self._document_rules = tuple(c for c in self.rules if c.rule.scope == "document")
        self._paragraph_rules = _ParagraphRules(
            [c for c in self.rules if c.rule.scope == "paragraph"], self.paragraph_cache
        )

    def lint(self, document: Document) -> LintResult:
        result = LintResult()
        suppressions = None
        if self.known_rules is not None:
            from copydesk.suppression import Suppressions

            # Parsed before the rules run: CD001 (invalid-suppression) is an
            # ordinary rule reporting these directives' problems, so selection,
            # severity and per-file ignores apply to it like any other.
            suppressions = Suppressions.from_document(document, self.known_rules)
        budget = self.budget_for(len(document.text))
        for configured, findings in self._paragraph_rules.run(document, result, budget):
            result.diagnostics.extend(_diagnostic(configured, finding) for finding in findings)
        for configured in self._document_rules:
            started = time.thread_time()
            try:
                findings = list(_checked(configured.rule.check(document, configured.options), len(document.text)))
            except Exception as error:
                result.failures.append(_failure(configured, error))
                continue
            _check_time(result, configured, time.thread_time() - started, budget, len(document.text))
            result.diagnostics.extend(_diagnostic(configured, finding) for finding in findings)
        if suppressions is not None:
            result.diagnostics = [d for d in result.diagnostics if not suppressions.suppresses(d)]
        result.diagnostics.sort(key=lambda d: d.sort_key)
        return result

    def budget_for(self, characters: int) -> float | None:
        """CPU seconds each rule may take on a document this long."""
        if self.rule_time_budget is None:
            return None
        return self.rule_time_budget * max(1.0, characters / BUDGET_CHARACTERS)


class _ParagraphRules:
    """Every paragraph-scoped rule of a linter, run paragraph by paragraph.

    Each paragraph's cache entry holds, beside each rule's findings, the
    findings of this whole set of rules under one key: after a keystroke an
    unchanged paragraph costs one lookup, not one per rule.
    """

    def __init__(self, rules: Sequence[ConfiguredRule], cache: ParagraphCache) -> None:
        self.rules = tuple(rules)
        self.cache = cache
        self.set_key = _RuleSetKey(tuple(configured.cache_key for configured in self.rules))

    def run(
        self, document: Document, result: LintResult, time_budget: float | None
    ) -> list[tuple[ConfiguredRule, list[Finding]]]:
        if not self.rules:
            return []
        rules = self.rules
        found: list[list[Finding]] = [[] for _ in rules]
        errors: dict[int, Exception] = {}
        elapsed = [0.0] * len(rules)
        for paragraph in document.paragraphs:
            text = document.paragraph_text(paragraph)
            results = self.cache.results_for(text)
            combined = results.get(self.set_key)
            if combined is None:
                combined = self._compute(text, results, document.path, errors, elapsed)
            for index, findings in combined:
                found[index].extend(finding.shifted(paragraph.start) for finding in findings)
        outcome = []
        for index, configured in enumerate(rules):
            if index in errors:
                result.failures.append(_failure(configured, errors[index]))
                continue
            _check_time(result, configured, elapsed[index], time_budget, len(document.text))
            outcome.append((configured, found[index]))
        return outcome

    def _compute(
        self,
        text: str,
        results: dict[Any, Any],
        path: str | None,
        errors: dict[int, Exception],
        elapsed: list[float],
    ) -> tuple[tuple[int, tuple[Finding, ...]], ...]:
        """Run the rules not yet cached for this paragraph's text; the sub-
        document is made once, so analysis cached on it is shared by rules."""
        paragraph_document: Document | None = None
        combined: list[tuple[int, tuple[Finding, ...]]] = []
        for index, configured in enumerate(self.rules):
            findings = results.get(configured.cache_key)
            if findings is None:
                if index in errors:
                    continue
                if paragraph_document is None:
                    paragraph_document = Document(text, path, markup="text")
                started = time.thread_time()
                try:
                    findings = tuple(_checked(configured.rule.check(paragraph_document, configured.options), len(text)))
                except Exception as error:
                    errors[index] = error
                    continue
                finally:
                    elapsed[index] += time.thread_time() - started
                results[configured.cache_key] = findings
            if findings:
                combined.append((index, findings))
        if not errors:
            # Never cached with a rule missing: a failing rule fails again.
            results[self.set_key] = tuple(combined)
        return tuple(combined)


class _RuleSetKey:
    """The cache key of a set of rules: its hash computed once, not on
    every lookup of every paragraph."""

    __slots__ = ("keys", "_hash")

    def __init__(self, keys: tuple[Any, ...]) -> None:
        self.keys = keys
        self._hash = hash(keys)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, _RuleSetKey) and self.keys == other.keys)


def _checked(findings: Iterable[Finding], length: int) -> Iterable[Finding]:
    if findings is None:
        return
    for finding in findings:
        if not isinstance(finding, Finding):
            raise _InvalidFinding(f"yielded {type(finding).__name__}, not a Finding")
        _check_span(finding.start, finding.end, length, "finding")
        if not isinstance(finding.message, str) or not finding.message:
            raise _InvalidFinding("yielded a finding without a message")
        for related in finding.related:
            if not isinstance(related, Related):
                raise _InvalidFinding(f"yielded a related location of type {type(related).__name__}")
            _check_span(related.start, related.end, length, "related location")
        if finding.fix is not None:
            for edit in finding.fix.edits:
                _check_span(edit.start, edit.end, length, "fix edit")
        yield finding


def _check_span(start: object, end: object, length: int, what: str) -> None:
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= length):
        raise _InvalidFinding(f"yielded a {what} span ({start!r}, {end!r}) outside the text (length {length})")


def _diagnostic(configured: ConfiguredRule, finding: Finding) -> Diagnostic:
    rule = configured.rule
    return Diagnostic(
        code=rule.code,
        rule=rule.name,
        severity=configured.severity or finding.severity or rule.severity,
        message=finding.message,
        start=finding.start,
        end=finding.end,
        related=finding.related,
        fix=finding.fix,
    )


def _check_time(result: LintResult, configured: ConfiguredRule, elapsed: float, budget: float | None, length: int) -> None:
    """Record a failure if the rule took more than its budget (its findings are kept)."""
    if budget is not None and elapsed > budget:
        result.failures.append(_too_slow(configured, elapsed, budget, length))


def _too_slow(configured: ConfiguredRule, elapsed: float, budget: float, length: int) -> RuleFailure:
    # A rule cannot be stopped part-way in-process; it is reported after the
    # fact, so that a plugin that is quadratic on some input is named.
    rule = configured.rule
    if length <= BUDGET_CHARACTERS:
        allowed = f"budget {budget:g} s per rule and document"
    else:
        allowed = f"budget {budget:.3g} s per rule on this document, {budget * BUDGET_CHARACTERS / length:g} s per million characters"
    reason = f"too slow: took {elapsed:.1f} s of CPU on {length:,} characters ({allowed})"
    return RuleFailure(plugin=rule.plugin or "?", code=rule.code, rule=rule.name, reason=reason)


def _failure(configured: ConfiguredRule, error: Exception) -> RuleFailure:
    rule = configured.rule
    if isinstance(error, _InvalidFinding):
        reason = str(error)
    else:
        import traceback  # only when a rule fails

        frames = traceback.extract_tb(error.__traceback__)
        where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        reason = f"{type(error).__name__}: {error}{where}"
    return RuleFailure(plugin=rule.plugin or "?", code=rule.code, rule=rule.name, reason=reason)
