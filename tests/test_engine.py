"""The engine isolates every rule, and third-party plugins are found through
their ``copydesk.plugins`` entry point.

A rule that raises, or yields something that is not a finding inside the
text, is reported once as a failure naming its plugin and rule; every other
rule's findings are still reported."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from selection_toy_rules import toy_registry

from copydesk.api import Session
from copydesk.diagnostics import Finding, Related
from copydesk.plugin import rule
from copydesk.plugin.manager import load_registry

FIXTURE_PACKAGE = Path(__file__).parent / "fixtures" / "plugin_pkg"
TEXT = "Alpha one.\n\nAlpha two, with beta.\n"


def session_with(*extra_rules) -> Session:
    registry = toy_registry()
    for extra in extra_rules:
        registry.add(extra.with_plugin("buggy-plugin"))
    return Session(registry=registry)


def assert_others_still_report(report) -> None:
    assert [(d.code, TEXT[d.start : d.end]) for d in report.diagnostics] == [
        ("TST101", "Alpha"),
        ("TST101", "Alpha"),
        ("TST102", "beta"),
    ]


@rule("BUG101", "raises-error", "Raises.")
def raises_error(doc, options):
    yield Finding(0, 1, "never seen")
    raise KeyError("missing-entry")


@rule("BUG102", "yields-garbage", "Yields a tuple.")
def yields_garbage(doc, options):
    yield (0, 5, "not a finding")


@rule("BUG103", "outside-text", "Yields a span past the end.")
def outside_text(doc, options):
    yield Finding(0, 5, "fine")
    yield Finding(len(doc.text) - 1, len(doc.text) + 3, "past the end")


@rule("BUG104", "bad-related", "Yields a related location before the start.")
def bad_related(doc, options):
    yield Finding(0, 5, "fine", related=(Related(-2, 1, "before the text"),))


@rule("BUG105", "empty-message", "Yields a finding without a message.")
def empty_message(doc, options):
    yield Finding(0, 5, "")


@rule("BUG106", "paragraph-raises", "Raises on every paragraph.", scope="paragraph")
def paragraph_raises(doc, options):
    raise RuntimeError("per-paragraph bug")


@rule("BUG107", "returns-none", "Returns nothing at all.")
def returns_none(doc, options):
    return None


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (raises_error, "KeyError: 'missing-entry' at "),
        (yields_garbage, "yielded tuple, not a Finding"),
        (outside_text, "yielded a finding span (33, 37) outside the text (length 34)"),
        (bad_related, "yielded a related location span (-2, 1) outside the text (length 34)"),
        (empty_message, "yielded a finding without a message"),
        (paragraph_raises, "RuntimeError: per-paragraph bug at "),
    ],
    ids=lambda value: getattr(value, "name", None) or "",
)
def test_a_broken_rule_is_reported_once_by_plugin_and_rule_and_the_others_still_report(broken, reason):
    report = session_with(broken).lint_text(TEXT)
    assert_others_still_report(report)  # nothing of the broken rule's, not even its valid findings
    [failure] = report.failures
    assert (failure.plugin, failure.code, failure.rule) == ("buggy-plugin", broken.code, broken.name)
    assert failure.reason.startswith(reason)
    assert failure.describe().startswith(f"rule {broken.code} [{broken.name}] from plugin 'buggy-plugin' failed: ")


def test_a_rule_returning_none_is_not_a_failure():
    report = session_with(returns_none).lint_text(TEXT)
    assert report.failures == []
    assert_others_still_report(report)


def test_several_broken_rules_are_each_reported():
    report = session_with(raises_error, yields_garbage, paragraph_raises).lint_text(TEXT)
    assert sorted(f.code for f in report.failures) == ["BUG101", "BUG102", "BUG106"]
    assert_others_still_report(report)


# -- a real third-party package, pip-installed from tests/fixtures --------------------


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory) -> Path:
    """pip-install the fixture package into a directory of its own (no
    network: no build isolation, no dependencies) and return that directory."""
    work = tmp_path_factory.mktemp("plugin")
    source = work / "source"
    shutil.copytree(FIXTURE_PACKAGE, source)  # builds write egg-info/build dirs beside the source
    target = work / "site"
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        "--no-index", "--disable-pip-version-check", "--target", str(target), str(source),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (target / "copydesk_newsroom_rules-1.0.0.dist-info" / "entry_points.txt").is_file()
    return target


@pytest.fixture
def plugin_on_path(installed_plugin, monkeypatch) -> Path:
    monkeypatch.syspath_prepend(str(installed_plugin))
    return installed_plugin


def test_an_installed_plugin_is_discovered_through_its_entry_point(plugin_on_path):
    registry = load_registry()
    percent = registry.get("NWS101")
    assert percent is not None and registry.get("percent-sign") is percent
    assert percent.plugin == "copydesk-newsroom-rules:newsroom"
    assert [r.code for r in registry.match("NWS")] == ["NWS101", "NWS199"]
    # Its broken second entry point is named, and does not stop the others loading.
    [load_error] = [e for e in registry.load_errors if "not-installed" in e.plugin]
    assert load_error.plugin == "copydesk-newsroom-rules:not-installed"
    assert "ModuleNotFoundError" in load_error.reason
    assert registry.get("CD001") is not None


def test_an_installed_plugin_runs_and_its_crashing_rule_is_isolated(plugin_on_path):
    session = Session()
    text = "Prices rose 5% and then 7 %.\n<!-- copydesk: disable-line=percent-sign -->12%\n"
    report = session.lint_text(text)
    nws = [(d.code, text[d.start : d.end]) for d in report.diagnostics if d.code.startswith("NWS")]
    assert nws == [("NWS101", "%"), ("NWS101", " %")]
    [failure] = [f for f in report.failures if f.code == "NWS199"]
    assert failure.plugin == "copydesk-newsroom-rules:newsroom"
    assert failure.reason.startswith("ZeroDivisionError: house rule bug at ")
    assert any(e.plugin.endswith(":not-installed") for e in session.load_errors)


def test_an_installed_plugin_obeys_selection_and_options(plugin_on_path, tmp_path):
    (tmp_path / ".copydesk.toml").write_text(
        'select = ["NWS"]\nignore = ["always-crashes"]\n[rules.percent-sign]\nallow_in_headlines = "no"\n',
        encoding="utf-8",
    )
    report = Session().lint_text("Up 5%.\n", path=tmp_path / "story.txt")
    assert [d.code for d in report.diagnostics] == ["NWS101"]
    assert report.failures == []
    assert [p.message for p in report.problems] == [
        "rules.percent-sign: option 'allow_in_headlines' must be bool, not str"
    ]
