"""A small, fixed rule registry for the configuration, selection,
suppression and API tests, so they do not depend on which editorial rules
exist. Each toy rule flags one word of the prose."""

from __future__ import annotations

import re

from copydesk.plugin import Finding, Option, rule
from copydesk.plugin.manager import RuleRegistry
from copydesk.rules.suppression_rules import invalid_suppression


def _word_rule(code: str, name: str, word: str, **kwargs):
    pattern = re.compile(rf"\b{word}\b", re.IGNORECASE)

    @rule(code, name, f"Flags '{word}'.", **kwargs)
    def check(doc, options):
        for match in pattern.finditer(doc.prose):
            yield Finding(match.start(), match.end(), f"'{word}' found")

    return check


ALPHA = _word_rule("TST101", "alpha-word", "alpha", options=[Option("limit", 3, "How many.", minimum=1)])
BETA = _word_rule(
    "TST102",
    "beta-word",
    "beta",
    options=[Option("strict", False, "Be strict.", type="bool"), Option("words", ("x",), "Words.", type="list")],
)
GAMMA = _word_rule("TST201", "gamma-word", "gamma", enabled_by_default=False)
DELTA = _word_rule("PL001", "proselint.delta", "delta", group="proselint")
EPSILON = _word_rule("PL002", "proselint.epsilon", "epsilon", group="proselint")

TOY_RULES = (invalid_suppression, ALPHA, BETA, GAMMA, DELTA, EPSILON)


def toy_registry() -> RuleRegistry:
    registry = RuleRegistry()
    for toy in TOY_RULES:
        registry.add(toy.with_plugin("toy"))
    return registry
