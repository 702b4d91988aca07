"""The pre-commit hook, tested as users run it: the real ``pre-commit try-repo``.

try-repo installs the hook repository into a fresh virtualenv (so this also
tests packaging: a wheel built by ``pip install .`` from a copy of the
working tree, its console script and package data) and runs the hook from
``.pre-commit-hooks.yaml`` on files of another git repository. The working
tree is copied to a temporary repository and committed there, so
uncommitted work is what gets tested.

It runs offline: proselint and google-re2 are on no local index of this
machine, so instead of resolving copydesk's dependencies pip installs
copydesk alone (``PIP_NO_DEPS``, ``PIP_NO_INDEX``) and the hook imports the
dependencies, read-only, from the interpreter running the tests, through
``PYTHONPATH`` pointing at a directory of links to them. That copydesk's
declared dependencies resolve from an index is what ``.ci/run``'s
``pip install -e '.[test]'`` shows.
"""

from __future__ import annotations

import configparser
import importlib.metadata
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


def runtime_requirements() -> list[str]:
    """Distribution names in ``install_requires`` of the working tree's setup.cfg."""
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = parser["options"]["install_requires"].split("\n")
    return [_requirement_name(line) for line in lines if line.strip()]


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9._-]+)", requirement)
    assert match, requirement
    return match.group(1)


def installed_closure(names: list[str]) -> list[importlib.metadata.Distribution]:
    """The installed distributions these names need, dependencies included."""
    found: dict[str, importlib.metadata.Distribution] = {}
    pending = list(names)
    while pending:
        name = pending.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in found:
            continue
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # e.g. tomli, only needed before Python 3.11
        found[key] = distribution
        pending += [_requirement_name(r) for r in distribution.requires or () if "extra ==" not in r.replace("extra==", "extra ==")]
    return list(found.values())


@pytest.fixture(scope="module")
def borrowed_dependencies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of links to copydesk's installed dependencies (and their
    metadata), for ``PYTHONPATH``."""
    directory = tmp_path_factory.mktemp("borrowed-dependencies")
    for distribution in installed_closure(runtime_requirements()):
        for top in {Path(str(f)).parts[0] for f in distribution.files or ()}:
            source = Path(str(distribution.locate_file(top)))
            target = directory / top
            if top not in ("..", "__pycache__") and source.exists() and not target.exists():
                target.symlink_to(source, target_is_directory=source.is_dir())
    assert (directory / "proselint").is_dir() and (directory / "pluggy").is_dir()
    return directory


def start_try_repo(hook_repository: Path, borrowed: Path, where: Path, *files: str) -> subprocess.Popen[str]:
    env = {
        **_git_env(),
        "PRE_COMMIT_HOME": str(where.parent / "pre-commit-home"),
        "NO_COLOR": "1",
        # Offline: install copydesk alone; its dependencies are borrowed.
        "PIP_NO_DEPS": "1",
        "PIP_NO_INDEX": "1",
        "PYTHONPATH": str(borrowed),
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
def hook_runs(
    hook_repository: Path, borrowed_dependencies: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[int, str]]:
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
        name: start_try_repo(
            hook_repository, borrowed_dependencies, new_copy_repository(tmp_path_factory.mktemp(name), files), *files
        )
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
