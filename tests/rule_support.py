"""Running one rule through the engine, as the rule tests do (not a test module)."""

from __future__ import annotations

from copydesk.diagnostics import Diagnostic
from copydesk.document import Document
from copydesk.engine import Linter
from copydesk.plugin.rule import ConfiguredRule, Rule


def lint_rule(rule: Rule, text: str, path: str | None = None, **options: object) -> list[Diagnostic]:
    """The rule's diagnostics on ``text``, its options defaulted then overridden."""
    settings = {**rule.option_defaults(), **options}
    return Linter([ConfiguredRule(rule, settings)]).lint(Document(text, path)).diagnostics
