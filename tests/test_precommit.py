"""The pre-commit hook, tested as users run it: the real ``pre-commit try-repo``.

try-repo installs the hook repository into a fresh virtualenv (so this also
tests packaging: ``pip install .`` of a copy of the working tree) and runs
the hook from ``.pre-commit-hooks.yaml`` on files of another git repository.
The working tree is copied to a temporary repository and committed there,
so uncommitted work is what gets tested.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "copydesk tests",
    "GIT_AUTHOR_EMAIL": "tests@copydesk.invalid",
    "GIT_COMMITTER_NAME": "copydesk tests",
    "GIT_COMMITTER_EMAIL": "tests@copydesk.invalid",
}

CLEAN_COPY = (
    "The council approved the budget on Tuesday after a short debate.\n"
    "\n"
    "Councillors will meet again next month to set the rates for the coming year.\n"
)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=_git_env())


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {**env, **GIT_IDENTITY}


def working_tree_files() -> list[str]:
    """Tracked and untracked files of the working tree, minus what git ignores."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("copydesk-hook-repo")
    for name in working_tree_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    git("init", "-q", cwd=copy)
    git("add", "-A", cwd=copy)
    git("commit", "-q", "--no-verify", "-m", "working tree under test", cwd=copy)
    return copy


def start_try_repo(hook_repository: Path, where: Path, *files: str) -> subprocess.Popen[str]:
    # pip inside pre-commit's virtualenv reads the machine's pip configuration
    # (local indexes) from the inherited environment and config files.
    env = {
        **_git_env(),
        "PRE_COMMIT_HOME": str(where.parent / "pre-commit-home"),
        "NO_COLOR": "1",
        # Speed: build the wheel with the setuptools virtualenv seeds into
        # pre-commit's environment instead of installing setuptools into an
        # isolated build environment first (a third of the install's time).
        # The wheel is still built from the sources, package data and all;
        # the isolated build is what .ci/run's `pip install -e .` exercises.
        "VIRTUALENV_SETUPTOOLS": "bundle",
        "PIP_NO_BUILD_ISOLATION": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repository), "copydesk", "--color", "never", "--files", *files],
        cwd=where,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def new_copy_repository(parent: Path, files: dict[str, str]) -> Path:
    repository = parent / "newsroom"
    repository.mkdir()
    git("init", "-q", cwd=repository)
    for name, text in files.items():
        (repository / name).parent.mkdir(parents=True, exist_ok=True)
        (repository / name).write_text(text, encoding="utf-8")
    git("add", *files, cwd=repository)
    return repository


@pytest.fixture(scope="module")
def hook_runs(hook_repository: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """Each scenario's (exit code, output). try-repo installs the hook afresh
    on every call (its store is a new temporary directory), so the scenarios
    run side by side rather than one after another."""
    article = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")
    scenarios = {
        "article": {"article.txt": article},
        # The article's defects again, in a file type the hook does not claim
        # and in a directory the project excludes: if either reached
        # copydesk, this run would fail.
        "clean": {
            "brief.md": CLEAN_COPY,
            "article.py": article,
            ".copydesk.toml": 'extend-exclude = ["drafts"]\n',
            "drafts/article.txt": article,
        },
    }
    processes = {
        name: start_try_repo(hook_repository, new_copy_repository(tmp_path_factory.mktemp(name), files), *files)
        for name, files in scenarios.items()
    }
    results = {}
    for name, process in processes.items():
        output, _ = process.communicate(timeout=600)
        results[name] = (process.returncode, output)
    return results


def test_the_example_article_fails_the_hook_with_its_findings_shown(hook_runs):
    returncode, output = hook_runs["article"]
    assert returncode == 1, output
    assert "copydesk (editorial linter for news copy)" in output
    assert "Failed" in output
    assert "- exit code: 1" in output
    # The findings themselves are shown, in copydesk's text format.
    assert re.search(r"^article\.txt:\d+:\d+: CD101 \[repeated-sourcing\] ", output, re.MULTILINE), output


def test_a_clean_file_passes_the_hook_and_unclaimed_or_excluded_files_are_not_checked(hook_runs):
    returncode, output = hook_runs["clean"]
    assert returncode == 0, output
    assert "copydesk (editorial linter for news copy)" in output
    assert "Passed" in output
