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
import traceback
from typing import Any, Iterable, Sequence

from copydesk.diagnostics import Diagnostic, Finding, LintResult, Related, RuleFailure
from copydesk.document import Document, Paragraph
from copydesk.lru import LRU
from copydesk.plugin.rule import ConfiguredRule

DEFAULT_PARAGRAPH_CACHE_SIZE = 20_000
#: CPU seconds one rule may take on one document before it is reported as
#: slow. Generous: a rule of reasonable cost takes milliseconds on an
#: article and well under a second on a megabyte.
DEFAULT_RULE_TIME_BUDGET = 5.0
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
        #: A rule using more CPU time than this (seconds) on one document is
        #: reported as a failure naming its plugin (its findings are kept);
        #: None: no limit. CPU time of this thread, not wall-clock time, so
        #: that a busy machine (a loaded CI runner) raises no false alarm.
        self.rule_time_budget = DEFAULT_RULE_TIME_BUDGET if rule_time_budget is _DEFAULT else rule_time_budget
        #: The registry suppression comments are checked against.
        self.known_rules = known_rules
        self.paragraph_cache = paragraph_cache if paragraph_cache is not None else ParagraphCache()

    def lint(self, document: Document) -> LintResult:
        result = LintResult()
        suppressions = None
        if self.known_rules is not None:
            from copydesk.suppression import Suppressions

            # Parsed before the rules run: CD001 (invalid-suppression) is an
            # ordinary rule reporting these directives' problems, so selection,
            # severity and per-file ignores apply to it like any other.
            suppressions = Suppressions.from_document(document, self.known_rules)
        parts: list[_ParagraphPart] = []  # made once, for all paragraph-scoped rules
        for configured in self.rules:
            started = time.thread_time()
            try:
                findings = list(self._run(configured, document, parts))
            except Exception as error:
                result.failures.append(_failure(configured, error))
                continue
            elapsed = time.thread_time() - started
            if self.rule_time_budget is not None and elapsed > self.rule_time_budget:
                result.failures.append(_too_slow(configured, elapsed, self.rule_time_budget, len(document.text)))
            for finding in findings:
                result.diagnostics.append(_diagnostic(configured, finding))
        if suppressions is not None:
            result.diagnostics = [d for d in result.diagnostics if not suppressions.suppresses(d)]
        result.diagnostics.sort(key=lambda d: d.sort_key)
        return result

    def _run(self, configured: ConfiguredRule, document: Document, parts: list[_ParagraphPart]) -> Iterable[Finding]:
        if configured.rule.scope == "paragraph":
            return self._run_per_paragraph(configured, document, parts)
        if configured.rule.scope == "run":
            return ()  # found across the files of a run (copydesk.crossfile), not per document
        return _checked(configured.rule.check(document, configured.options), len(document.text))

    def _run_per_paragraph(
        self, configured: ConfiguredRule, document: Document, parts: list[_ParagraphPart]
    ) -> Iterable[Finding]:
        if not parts:
            parts.extend(
                _ParagraphPart(p, text, self.paragraph_cache.results_for(text))
                for p in document.paragraphs
                for text in (document.paragraph_text(p),)
            )
        rule_key = configured.cache_key
        findings: list[Finding] = []
        for part in parts:
            cached = part.results.get(rule_key)
            if cached is None:
                check = configured.rule.check(part.document(document.path), configured.options)
                cached = part.results[rule_key] = tuple(_checked(check, len(part.text)))
            if cached:
                findings.extend(f.shifted(part.paragraph.start) for f in cached)
        return findings


class _ParagraphPart:
    """One paragraph as every paragraph-scoped rule of one lint sees it.

    The text is sliced once (so its hash, the cache key, is computed once)
    and the sub-document is made once, so analysis cached on it (tokens,
    sentences, a plugin's own per-paragraph work) is shared between rules.
    """

    __slots__ = ("paragraph", "text", "results", "_document")

    def __init__(self, paragraph: Paragraph, text: str, results: dict[Any, tuple[Finding, ...]]) -> None:
        self.paragraph = paragraph
        self.text = text
        #: This paragraph's entry in the paragraph cache, by rule settings.
        self.results = results
        self._document: Document | None = None

    def document(self, path: str | None) -> Document:
        if self._document is None:
            self._document = Document(self.text, path, markup="text")
        return self._document


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


def _too_slow(configured: ConfiguredRule, elapsed: float, budget: float, length: int) -> RuleFailure:
    # A rule cannot be stopped part-way in-process; it is reported after the
    # fact, so that a plugin that is quadratic on some input is named.
    rule = configured.rule
    reason = f"too slow: took {elapsed:.1f} s of CPU on {length:,} characters (budget {budget:g} s per rule and document)"
    return RuleFailure(plugin=rule.plugin or "?", code=rule.code, rule=rule.name, reason=reason)


def _failure(configured: ConfiguredRule, error: Exception) -> RuleFailure:
    rule = configured.rule
    if isinstance(error, _InvalidFinding):
        reason = str(error)
    else:
        frames = traceback.extract_tb(error.__traceback__)
        where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        reason = f"{type(error).__name__}: {error}{where}"
    return RuleFailure(plugin=rule.plugin or "?", code=rule.code, rule=rule.name, reason=reason)
