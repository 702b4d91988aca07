"""The built-in rules, registered through the same hook as any plugin.

Each module here defines one rule (or one family of rules) and lists them in
a module-level ``RULES`` tuple. :func:`copydesk_rules` is marked as a hook
implementation by the plugin manager when it registers this module: marking
it here would import pluggy on every run, and a run with only the built-in
plugins calls it directly.
"""

from __future__ import annotations

import importlib

from copydesk.plugin import Rule

BUILTIN_RULE_MODULES: tuple[str, ...] = ("suppression_rules", "duplicate_paragraph", "cross_file_duplicate", "repeated_sourcing", "repeated_phrase", "stray_metadata", "truncated_quote", "pronoun_mismatch")


def copydesk_rules() -> list[Rule]:
    rules: list[Rule] = []
    for module_name in BUILTIN_RULE_MODULES:
        module = importlib.import_module(f"{__name__}.{module_name}")
        rules.extend(module.RULES)
    return rules
