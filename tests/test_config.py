"""Configuration files: where they are found, what they may say, and how
every mistake in them is reported rather than ignored."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from selection_toy_rules import toy_registry

from copydesk import config as config_module
from copydesk.api import Session
from copydesk.config import ConfigLoader, load_file, path_matches
from copydesk.diagnostics import Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def codes(session: Session, path) -> list[str]:
    return [configured.rule.code for configured in session.rules_for(path)]


def messages(session: Session, path) -> list[str]:
    return [problem.message for problem in session.selection_for(path).problems]


@pytest.fixture
def session() -> Session:
    return Session(registry=toy_registry())


# -- discovery ---------------------------------------------------------------


def test_the_closest_configuration_file_wins(tmp_path, session):
    write(tmp_path / "pyproject.toml", '[tool.copydesk]\nselect = ["TST101"]\n')
    write(tmp_path / "desk" / "setup.cfg", "[copydesk]\nselect = TST102\n")
    write(tmp_path / "desk" / "world" / ".copydesk.toml", 'select = ["proselint"]\n')

    assert codes(session, tmp_path / "a.txt") == ["TST101"]
    assert codes(session, tmp_path / "desk" / "b.txt") == ["TST102"]
    assert codes(session, tmp_path / "desk" / "world" / "c.txt") == ["PL001", "PL002"]
    assert codes(session, tmp_path / "desk" / "world" / "deep" / "er" / "d.txt") == ["PL001", "PL002"]


def test_a_pyproject_without_a_copydesk_table_is_passed_over(tmp_path, session):
    write(tmp_path / "pyproject.toml", '[tool.copydesk]\nignore = ["TST101"]\n')
    write(tmp_path / "pkg" / "pyproject.toml", '[tool.black]\nline-length = 99\n')
    write(tmp_path / "pkg" / "setup.cfg", "[metadata]\nname = pkg\n")

    assert "TST101" not in codes(session, tmp_path / "pkg" / "story.txt")
    assert session.settings_for(tmp_path / "pkg" / "story.txt").path == tmp_path / "pyproject.toml"


def test_within_one_directory_dot_copydesk_toml_beats_pyproject_beats_setup_cfg(tmp_path, session):
    write(tmp_path / "setup.cfg", "[copydesk]\nselect = TST102\n")
    write(tmp_path / "pyproject.toml", '[tool.copydesk]\nselect = ["TST101"]\n')
    assert codes(session, tmp_path / "x.txt") == ["TST101"]

    write(tmp_path / ".copydesk.toml", 'select = ["PL001"]\n')
    session.reload_config()
    assert codes(session, tmp_path / "x.txt") == ["PL001"]


def test_an_explicit_config_path_wins_over_discovery(tmp_path):
    write(tmp_path / "story" / ".copydesk.toml", 'select = ["TST101"]\n')
    explicit = write(tmp_path / "elsewhere" / "house.toml", 'select = ["TST102"]\n')
    session = Session(config_path=explicit, registry=toy_registry())
    assert codes(session, tmp_path / "story" / "x.txt") == ["TST102"]


def test_an_explicit_pyproject_without_the_table_is_reported(tmp_path):
    explicit = write(tmp_path / "pyproject.toml", "[tool.black]\n")
    session = Session(config_path=explicit, registry=toy_registry())
    [problem] = session.selection_for(tmp_path / "x.txt").problems
    assert problem.path == str(explicit)
    assert "holds no copydesk configuration" in problem.message


def test_a_missing_explicit_config_is_reported(tmp_path):
    session = Session(config_path=tmp_path / "nope.toml", registry=toy_registry())
    [problem] = session.selection_for(tmp_path / "x.txt").problems
    assert problem.message.startswith("cannot read")


def test_without_any_file_the_default_selection_applies(tmp_path, session):
    assert codes(session, tmp_path / "x.txt") == ["CD001", "PL001", "PL002", "TST101", "TST102"]
    assert session.selection_for(tmp_path / "x.txt").problems == []


# -- setup.cfg ---------------------------------------------------------------


def test_setup_cfg_lists_tables_and_rule_sections(tmp_path, session):
    write(
        tmp_path / "setup.cfg",
        """\
        [metadata]
        name = newsroom

        [copydesk]
        select = TST1,
            TST201
        extend_ignore = TST102
        per-file-ignores =
            drafts/*.txt: TST101, TST201
        severity =
            TST101: error
        extensions = rst
        max-file-size = 2k

        [copydesk.rules.alpha-word]
        limit = 7

        [copydesk.rules.TST102]
        strict = yes
        words = one, two
        """,
    )
    story = tmp_path / "story.txt"
    settings = session.settings_for(story)
    assert settings.problems == ()
    assert settings.max_file_size == 2048
    assert settings.extensions == (".rst",)
    assert codes(session, story) == ["TST101", "TST201"]
    assert codes(session, tmp_path / "drafts" / "x.txt") == []
    [alpha, _gamma] = session.rules_for(story)
    assert alpha.options == {"limit": 7}
    assert alpha.severity is Severity.ERROR
    # TST102 is ignored here but its options are still validated and converted.
    beta = next(r for r in session.registry if r.code == "TST102")
    from copydesk.selection import rule_options

    assert rule_options(beta, settings) == {"strict": True, "words": ("one", "two")}


def test_setup_cfg_bad_values_are_reported(tmp_path, session):
    write(
        tmp_path / "setup.cfg",
        """\
        [copydesk]
        selekt = TST101
        severity =
            TST101: loud

        [copydesk.rules.alpha-word]
        limit = many
        [copydesk.rules.beta-word]
        strict = maybe
        """,
    )
    found = messages(session, tmp_path / "x.txt")
    assert "unknown key 'selekt' (did you mean 'select'?)" in found
    assert any("severity for 'TST101'" in m and "unknown severity 'loud'" in m for m in found)
    assert "rules.alpha-word: option 'limit' must be int, not 'many'" in found
    assert "rules.beta-word: option 'strict' must be true or false, not 'maybe'" in found


def test_an_unparseable_file_is_a_problem_not_a_crash(tmp_path, session):
    write(tmp_path / ".copydesk.toml", "select = [\n")
    [problem] = session.selection_for(tmp_path / "x.txt").problems
    assert problem.path == str(tmp_path / ".copydesk.toml")
    assert problem.message.startswith("cannot parse")


# -- validation ----------------------------------------------------------------


def test_unknown_keys_and_wrong_types_are_reported(tmp_path, session):
    write(
        tmp_path / ".copydesk.toml",
        """\
        select = 101
        extend-ignroe = ["TST101"]
        max-file-size = -4
        encoding = "klingon-8"
        per-file-ignores = ["*.md"]
        """,
    )
    found = messages(session, tmp_path / "x.txt")
    assert found == [
        "select must be a list of strings",
        "unknown key 'extend-ignroe' (did you mean 'extend-ignore'?)",
        'max-file-size must be a positive number of bytes (e.g. 10485760 or "10MB"), not -4',
        "encoding 'klingon-8' is not an encoding Python knows",
        'per-file-ignores must be a table of glob = ["RULE", ...]',
    ]


def test_unknown_rules_anywhere_are_reported(tmp_path, session):
    write(
        tmp_path / "pyproject.toml",
        """\
        [tool.copydesk]
        select = ["ALL", "alpha-wrod"]
        ignore = ["XYZ9"]
        per-file-ignores = {"*.md" = ["nope"]}
        severity = {CD999 = "error"}

        [tool.copydesk.rules.omega-word]
        limit = 2
        """,
    )
    found = messages(session, tmp_path / "x.txt")
    assert found == [
        "select: 'alpha-wrod' matches no known rule (did you mean 'alpha-word'?)",
        "ignore: 'XYZ9' matches no known rule",
        "per-file-ignores['*.md']: 'nope' matches no known rule",
        "severity: 'CD999' matches no known rule",
        "rules.omega-word: no rule has that code or name",
    ]
    # The valid selectors still apply (ALL leaves rules that are off by default off).
    assert codes(session, tmp_path / "x.txt") == ["CD001", "PL001", "PL002", "TST101", "TST102"]


def test_rule_options_are_validated_with_each_options_coerce(tmp_path, session):
    write(
        tmp_path / ".copydesk.toml",
        """\
        [rules.TST101]
        limit = 0
        [rules.beta-word]
        strict = "yes"
        words = ["a", "b"]
        colour = "red"
        """,
    )
    story = tmp_path / "x.txt"
    assert messages(session, story) == [
        "rules.TST101: option 'limit' must be at least 1, got 0",
        "rules.beta-word: option 'strict' must be bool, not str",
        "rules.beta-word: TST102 [beta-word] has no option 'colour' (its options are strict, words)",
    ]
    configured = {r.rule.code: r.options for r in session.rules_for(story)}
    assert configured["TST101"] == {"limit": 3}  # the bad value falls back to the default
    assert configured["TST102"] == {"strict": False, "words": ("a", "b")}


def test_severity_overrides_change_what_diagnostics_carry(tmp_path, session):
    write(
        tmp_path / ".copydesk.toml",
        """\
        [severity]
        proselint = "info"
        PL002 = "error"
        alpha-word = "hint"
        """,
    )
    text = "alpha delta epsilon beta"
    report = session.lint_text(text, path=tmp_path / "x.txt")
    assert [(text[d.start : d.end], d.severity) for d in report.diagnostics] == [
        ("alpha", Severity.HINT),
        ("delta", Severity.INFO),
        ("epsilon", Severity.ERROR),
        ("beta", Severity.WARNING),
    ]


# -- paths ------------------------------------------------------------------------


def test_per_file_ignores_match_globs_relative_to_the_config_file(tmp_path, session):
    write(
        tmp_path / ".copydesk.toml",
        """\
        [per-file-ignores]
        "drafts/**" = ["TST101"]
        "*.md" = ["proselint"]
        "wire/feed-??.txt" = ["beta-word"]
        """,
    )
    text = "alpha beta delta"

    def found(relative: str) -> list[str]:
        report = session.lint_text(text, path=tmp_path / relative)
        return [text[d.start : d.end] for d in report.diagnostics]

    assert found("story.txt") == ["alpha", "beta", "delta"]
    assert found("drafts/deep/story.txt") == ["beta", "delta"]
    assert found("story.md") == ["alpha", "beta"]
    assert found("wire/feed-01.txt") == ["alpha", "delta"]
    assert found("wire/feed-001.txt") == ["alpha", "beta", "delta"]
    assert found("other/drafts/story.txt") == ["alpha", "beta", "delta"]


def test_exclude_and_extensions(tmp_path, session):
    write(tmp_path / ".copydesk.toml", 'extend-exclude = ["archive", "wire/*.tmp"]\nextensions = [".rst"]\n')
    story = tmp_path / "x.txt"
    settings = session.settings_for(story)
    assert settings.is_excluded(tmp_path / "archive" / "2019" / "a.txt")
    assert settings.is_excluded(tmp_path / "wire" / "a.tmp")
    assert settings.is_excluded(tmp_path / ".git")  # the defaults are kept by extend-exclude
    assert not settings.is_excluded(tmp_path / "wire" / "a.txt")
    assert session.lints_suffix(tmp_path / "a.RST") and session.lints_suffix(tmp_path / "a.md")
    assert not session.lints_suffix(tmp_path / "a.py")

    write(tmp_path / ".copydesk.toml", 'exclude = ["old"]\n')
    session.reload_config()
    assert not session.is_excluded(tmp_path / ".git")
    assert session.is_excluded(tmp_path / "old")


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.md", "a/b/c.md", True),
        ("*.md", "a/b/c.txt", False),
        ("drafts", "drafts/x.txt", True),
        ("drafts", "a/drafts/x.txt", True),
        ("a/drafts", "b/a/drafts/x.txt", False),
        ("a/drafts", "a/drafts/x.txt", True),
        ("a/*.txt", "a/b/x.txt", False),
        ("a/**/*.txt", "a/b/c/x.txt", True),
        ("a/**/*.txt", "a/x.txt", True),
        ("feed-[0-9].txt", "feed-7.txt", True),
        ("feed-[!0-9].txt", "feed-7.txt", False),
    ],
)
def test_glob_semantics(tmp_path, pattern, path, expected):
    assert path_matches(pattern, tmp_path / path, tmp_path) is expected


# -- caching ------------------------------------------------------------------------


def test_config_files_are_read_once_and_again_when_they_change(tmp_path, monkeypatch):
    config_file = write(tmp_path / ".copydesk.toml", 'select = ["TST101"]\n')
    reads: list[Path] = []
    real_load = config_module.load_file
    monkeypatch.setattr(config_module, "load_file", lambda path: reads.append(path) or real_load(path))
    loader = ConfigLoader()
    for name in ("a", "b", "c"):
        assert loader.for_path(tmp_path / "sub" / f"{name}.txt").select == ("TST101",)
    assert reads == [config_file]

    config_file.write_text('select = ["TST102", "PL001"]\n', encoding="utf-8")
    stat = config_file.stat()
    os.utime(config_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert loader.for_path(tmp_path / "sub" / "a.txt").select == ("TST102", "PL001")
    assert len(reads) == 2


def test_load_file_ignores_files_for_other_tools(tmp_path):
    assert load_file(write(tmp_path / "setup.cfg", "[flake8]\nselect = E\n")) is None
    assert load_file(write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")) is None


# -- robustness: the language server passes whatever the editor sends ----------------

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
_json = st.recursive(
    _json_scalars | st.sampled_from(["TST1", "alpha-word", "[z-a]", "*.md", "error", "ALL", "limit"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)
_keys = st.sampled_from(sorted(config_module.KNOWN_KEYS) + ["extend_select", "selekt", "rules"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(overrides=st.dictionaries(_keys, _json | st.dictionaries(st.sampled_from(["TST101", "beta-word", "TST9"]), _json), max_size=5))
@example(overrides={"encoding": {}, "rule-time-budget": 5.2384391798369626e-24})  # found by CI
def test_any_overrides_give_problems_never_an_exception(overrides):
    session = Session(registry=toy_registry(), overrides=overrides, overrides_label="editor settings")
    report = session.lint_text("Alpha beta delta.\n", path="wire/story.md")
    # No rule fails, except by running past a budget the overrides set (a
    # budget of 5e-24 s is valid, and no rule keeps to it).
    over_budget = [failure for failure in report.failures if failure.reason.startswith("too slow")]
    assert report.failures == over_budget
    if "rule-time-budget" not in overrides:
        assert over_budget == []
    assert all(problem.message for problem in report.problems)
