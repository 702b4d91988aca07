"""Every rule of the plugin is documented, and its examples do what they say."""

import pytest

from copydesk.docgen import RuleDocumentation
from copydesk.document import Document
from copydesk.engine import Linter
from copydesk.plugin.rule import ConfiguredRule
from newsroom_house_style import RULES


def codes_found(rule, text):
    linter = Linter([ConfiguredRule(rule, rule.option_defaults())])
    result = linter.lint(Document(text, markup="text"))
    assert not result.failures
    return [d.code for d in result.diagnostics]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_is_documented_with_working_examples(rule):
    documentation = RuleDocumentation.parse(rule.documentation)
    assert documentation.problems() == []
    assert rule.code in codes_found(rule, documentation.text_block("Example"))
    assert rule.code not in codes_found(rule, documentation.text_block("Use instead"))


def test_percent_style_finds_the_sign_at_its_exact_position():
    (percent_style,) = [rule for rule in RULES if rule.name == "percent-style"]
    text = "Prices rose 5% in March."
    linter = Linter([ConfiguredRule(percent_style, percent_style.option_defaults())])
    (finding,) = linter.lint(Document(text, markup="text")).diagnostics
    assert text[finding.start : finding.end] == "%"
