"""Which rules run: flake8's precedence (explicit beats implicit, the most
specific selector wins), decided once per configuration."""

from __future__ import annotations

import pytest
from selection_toy_rules import toy_registry

from copydesk.api import Session
from copydesk.config import Settings
from copydesk.plugin import Finding, rule
from copydesk.selection import parse_selectors, resolve

REGISTRY = toy_registry()


def selected(**settings) -> list[str]:
    for key in ("select", "ignore", "extend_select", "extend_ignore"):
        if key in settings:
            settings[key] = tuple(settings[key])
    selection = resolve(Settings(**settings), REGISTRY)
    assert selection.problems == []
    return sorted(selection.codes)


def test_the_default_selection_is_the_rules_enabled_by_default():
    assert selected() == ["CD001", "PL001", "PL002", "TST101", "TST102"]


def test_select_replaces_the_default_set():
    assert selected(select=["TST1"]) == ["TST101", "TST102"]


def test_rules_off_by_default_run_only_when_named():
    assert selected(select=["TST201"]) == ["TST201"]
    assert selected(select=["gamma-word"]) == ["TST201"]
    assert selected(select=["TST"]) == ["TST101", "TST102"]
    assert selected(select=["ALL"]) == ["CD001", "PL001", "PL002", "TST101", "TST102"]


def test_extend_select_adds_to_the_default_set():
    assert selected(extend_select=["gamma-word"]) == ["CD001", "PL001", "PL002", "TST101", "TST102", "TST201"]


def test_an_ignored_rule_that_was_only_selected_by_default_is_off():
    assert selected(ignore=["TST1"]) == ["CD001", "PL001", "PL002"]
    assert selected(extend_ignore=["proselint", "CD001"]) == ["TST101", "TST102"]


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        # A code beats a prefix, whichever side it is on.
        (["TST101"], ["TST1"], ["TST101"]),
        (["TST1"], ["TST101"], ["TST102"]),
        # A longer prefix beats a shorter one.
        (["TST"], ["TST10"], []),
        (["TST1"], ["TST"], ["TST101", "TST102"]),
        # A group beats ALL, a prefix beats a group, a name beats a group.
        (["ALL"], ["proselint"], ["CD001", "TST101", "TST102"]),
        (["PL"], ["proselint"], ["PL001", "PL002"]),
        (["proselint"], ["PL"], []),
        (["proselint"], ["proselint.epsilon"], ["PL001"]),
        # On a tie, ignore wins (a name and its code are equally specific).
        (["TST101"], ["TST101"], []),
        (["alpha-word"], ["TST101"], []),
    ],
)
def test_when_selected_and_ignored_the_more_specific_selector_wins(select, ignore, expected):
    assert selected(select=select, ignore=ignore) == expected


def test_extend_select_is_explicit_and_beats_a_less_specific_ignore():
    assert selected(ignore=["proselint"], extend_select=["PL002"]) == ["CD001", "PL002", "TST101", "TST102"]


def test_per_file_ignores_win_over_any_selection():
    selection = resolve(Settings(select=("TST101", "PL001")), REGISTRY, extra_ignores=("TST1",))
    assert sorted(selection.codes) == ["PL001"]


def test_selectors_are_case_insensitive_for_codes_but_not_names():
    assert selected(select=["tst101"]) == ["TST101"]
    selection = resolve(Settings(select=("Alpha-Word",)), REGISTRY)
    assert selection.codes == frozenset()
    assert [p.message for p in selection.problems] == ["select: 'Alpha-Word' matches no known rule (did you mean 'alpha-word'?)"]


def test_parse_selectors_takes_comma_lists_and_repeated_flags():
    assert parse_selectors("CD101, proselint") == ("CD101", "proselint")
    assert parse_selectors(["CD1,CD2", "PL"]) == ("CD1", "CD2", "PL")
    assert parse_selectors(None) is None


def test_a_disabled_rule_costs_nothing():
    calls: list[str] = []

    @rule("TST901", "counted-rule", "Counts its runs.")
    def counted(doc, options):
        calls.append(doc.text)
        return [Finding(0, 1, "x")]

    registry = toy_registry()
    registry.add(counted.with_plugin("toy"))
    session = Session(registry=registry, ignore=["counted-rule"])
    session.lint_text("alpha")
    assert calls == []
    assert Session(registry=registry).lint_text("alpha").diagnostics[0].code == "TST901"
    assert calls == ["alpha"]


# -- overrides (command line, language server) ---------------------------------------


def write_config(tmp_path, text: str):
    (tmp_path / ".copydesk.toml").write_text(text, encoding="utf-8")
    return tmp_path / "story.txt"


def codes_for(session: Session, path) -> list[str]:
    return sorted(r.rule.code for r in session.rules_for(path))


def test_command_line_select_replaces_the_files_select(tmp_path):
    story = write_config(tmp_path, 'select = ["TST101"]\nignore = ["PL001"]\n')
    assert codes_for(Session(registry=REGISTRY), story) == ["TST101"]
    assert codes_for(Session(registry=REGISTRY, select="proselint"), story) == ["PL002"]
    assert codes_for(Session(registry=REGISTRY, extend_select=["TST102"]), story) == ["TST101", "TST102"]
    assert codes_for(Session(registry=REGISTRY, ignore=[]), story) == ["TST101"]


def test_override_problems_name_where_they_came_from(tmp_path):
    story = write_config(tmp_path, 'select = ["TST101"]\n')
    session = Session(registry=REGISTRY, select="TST9", overrides_label="command line")
    [problem] = session.selection_for(story).problems
    assert (problem.path, problem.message) == ("command line", "select: 'TST9' matches no known rule")
    assert session.problems == [problem]


def test_overrides_merge_severity_and_options_and_can_be_replaced(tmp_path):
    story = write_config(
        tmp_path,
        '[severity]\nTST101 = "error"\n[rules.TST101]\nlimit = 5\n',
    )
    session = Session(registry=REGISTRY, overrides={"severity": {"TST102": "info"}, "rules": {"alpha-word": {"limit": 9}}})
    configured = {r.rule.code: r for r in session.rules_for(story)}
    assert configured["TST101"].severity.label == "error"
    assert configured["TST102"].severity.label == "info"
    assert configured["TST101"].options == {"limit": 9}

    session.configure({"extend-ignore": ["TST101"]})
    configured = {r.rule.code: r for r in session.rules_for(story)}
    assert "TST101" not in configured
    assert configured["TST102"].severity is None
