"""A slow third-party rule: the run finishes, its findings are kept, and it
is reported once, naming its plugin, with exit code 2."""

from __future__ import annotations

import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

from copydesk import engine
from copydesk.cli import main
from copydesk.diagnostics import Finding
from copydesk.document import Document
from copydesk.engine import Linter
from copydesk.plugin.rule import ConfiguredRule, rule

TEXT = "The council met.\n\nIt met again.\n"


def burn(seconds: float) -> None:
    """Use this much CPU time (the budget counts CPU, not sleep)."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


@rule("SLO001", "busy-rule", "Flags the first word, slowly.")
def busy(doc, options):
    """Works hard, then flags the first word."""
    burn(0.05)
    yield Finding(0, 3, "slow finding")


@rule("SLO002", "busy-paragraph", "Flags each paragraph's first word, slowly.", scope="paragraph")
def busy_paragraph(doc, options):
    """Works hard on every paragraph."""
    burn(0.03)
    yield Finding(0, 2, "slow paragraph finding")


@rule("FST001", "quick-rule", "Flags the last word, at once.")
def quick(doc, options):
    """Flags the last character."""
    yield Finding(len(doc.text) - 1, len(doc.text), "quick finding")


def configured(*rules, plugin="slow-plugin"):
    return [ConfiguredRule(r.with_plugin(plugin), r.option_defaults()) for r in rules]


def test_a_rule_over_the_budget_is_reported_naming_its_plugin_and_keeps_its_findings():
    result = Linter(configured(busy, quick), rule_time_budget=0.01).lint(Document(TEXT))
    [failure] = result.failures
    assert (failure.plugin, failure.code, failure.rule) == ("slow-plugin", "SLO001", "busy-rule")
    assert failure.reason.startswith("too slow: took ")
    assert "budget 0.01 s" in failure.reason
    assert sorted(d.message for d in result.diagnostics) == ["quick finding", "slow finding"]


def test_a_paragraph_scoped_rule_is_timed_over_all_its_paragraphs():
    # 0.03 s per paragraph, two paragraphs: over a 0.05 s budget only in total.
    result = Linter(configured(busy_paragraph), rule_time_budget=0.05).lint(Document(TEXT))
    assert [f.code for f in result.failures] == ["SLO002"]
    assert len(result.diagnostics) == 2


def test_time_spent_waiting_is_not_counted():
    @rule("SLP001", "sleeping-rule", "Waits without working.")
    def sleeping(doc, options):
        """Sleeps."""
        time.sleep(0.05)
        return ()

    assert Linter(configured(sleeping), rule_time_budget=0.02).lint(Document(TEXT)).failures == []


def test_rules_within_the_budget_and_no_budget_report_nothing():
    assert Linter(configured(busy, quick), rule_time_budget=10).lint(Document(TEXT)).failures == []
    assert Linter(configured(busy), rule_time_budget=None).lint(Document(TEXT)).failures == []


def test_the_default_budget_is_generous():
    assert Linter(configured(busy)).rule_time_budget == engine.DEFAULT_RULE_TIME_BUDGET >= 1


@pytest.fixture
def slow_plugin(tmp_path, monkeypatch):
    (tmp_path / "slow_copydesk_plugin.py").write_text(
        textwrap.dedent(
            '''
            import time
            from copydesk.plugin import Finding, hookimpl, rule

            @rule("SLO009", "dawdling-rule", "Takes its time.")
            def dawdling(doc, options):
                """Works hard, then flags the first character."""
                until = time.thread_time() + 0.05
                while time.thread_time() < until:
                    pass
                yield Finding(0, 1, "dawdled")

            @hookimpl
            def copydesk_rules():
                return [dawdling]
            '''
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(engine, "DEFAULT_RULE_TIME_BUDGET", 0.01)
    yield "slow_copydesk_plugin"
    sys.modules.pop("slow_copydesk_plugin", None)


def test_check_reports_a_slow_plugin_once_and_exits_2(slow_plugin, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "-j1", "--plugin", slow_plugin, "--select", "SLO009", "a.txt", "b.txt"]
    )
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if "too slow" in line]
    assert len(errors) == 1
    assert "rule SLO009 [dawdling-rule] from plugin 'slow_copydesk_plugin' failed: too slow: took" in errors[0]
    assert "s of CPU on 32 characters (budget 0.01 s per rule and document)" in errors[0]
    assert "in 2 files" in errors[0]
    assert "a.txt:1:1: SLO009 [dawdling-rule] dawdled" in result.stdout


@rule("PAR001", "first-word", "Flags each paragraph's first two letters.", scope="paragraph")
def first_word(doc, options):
    """Flags the start of every paragraph."""
    yield Finding(0, 2, "paragraph start")


@rule("PAR002", "fails-on-again", "Raises on a paragraph that says 'again'.", scope="paragraph")
def fails_on_again(doc, options):
    """Flags 'council' and raises on a paragraph containing 'again'."""
    if "again" in doc.text:
        raise ValueError("cannot read this paragraph")
    start = doc.text.find("council")
    if start >= 0:
        yield Finding(start, start + 7, "council")


def test_a_paragraph_rule_failing_on_one_paragraph_fails_on_every_lint_and_spares_the_others():
    linter = Linter(configured(first_word, fails_on_again))
    for _ in range(2):  # the second lint is served from the paragraph cache
        result = linter.lint(Document(TEXT))
        [failure] = result.failures
        assert (failure.code, failure.reason.split(" at ")[0]) == ("PAR002", "ValueError: cannot read this paragraph")
        # The failing rule's findings are dropped whole; the other rule's are kept in every paragraph.
        assert [(d.code, TEXT[d.start : d.end]) for d in result.diagnostics] == [("PAR001", "Th"), ("PAR001", "It")]
    edited = Linter(configured(first_word, fails_on_again), paragraph_cache=linter.paragraph_cache)
    result = edited.lint(Document("The council met.\n\nIt met once.\n"))
    assert result.failures == []
    assert [(d.code, d.start, d.end) for d in result.diagnostics] == [("PAR001", 0, 2), ("PAR002", 4, 11), ("PAR001", 18, 20)]


@pytest.mark.parametrize(
    "configuration, arguments, too_slow",
    [
        ("", [], True),  # the default budget (0.01 s here)
        ("rule-time-budget = 0\n", [], False),
        ("rule-time-budget = 30\n", [], False),
        ("rule-time-budget = 30\n", ["--rule-time-budget", "0.001"], True),
        ("", ["--rule-time-budget", "0"], False),
    ],
)
def test_the_time_budget_is_configurable(slow_plugin, tmp_path, monkeypatch, configuration, arguments, too_slow):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".copydesk.toml").write_text(configuration, encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "-j1", "--plugin", slow_plugin, "--select", "SLO009", *arguments, "a.txt"]
    )
    assert ("too slow" in result.stderr) is too_slow
    assert result.exit_code == (2 if too_slow else 1)  # the rule's findings are reported either way


@pytest.mark.parametrize("value", ["-1", '"soon"', "true", "inf"])
def test_a_budget_that_is_not_a_number_of_seconds_is_a_configuration_mistake(tmp_path, value):
    from copydesk.config import load_file

    path = tmp_path / ".copydesk.toml"
    path.write_text(f"rule-time-budget = {value}\n", encoding="utf-8")
    settings = load_file(path)
    assert settings.rule_time_budget is None
    (problem,) = settings.problems
    assert "rule-time-budget must be a number of seconds, 0 for no budget" in problem.message


def test_the_budget_grows_with_the_document():
    linter = Linter(configured(busy), rule_time_budget=0.03)
    assert linter.budget_for(10) == linter.budget_for(engine.BUDGET_CHARACTERS) == 0.03
    assert linter.budget_for(3 * engine.BUDGET_CHARACTERS) == pytest.approx(0.09)
    long_text = "word " * (engine.BUDGET_CHARACTERS // 2)  # 2.5 million characters: 0.075 s
    assert linter.lint(Document(long_text)).failures == []  # busy-rule takes 0.05 s
    [failure] = linter.lint(Document(TEXT)).failures
    assert failure.code == "SLO001"
    assert Linter(configured(busy), rule_time_budget=None).budget_for(10**9) is None
