"""The worked example plugin installs with pip and is found through its entry point.

Both copydesk and ``examples/house-style-plugin`` are pip-installed (real
wheels built from copies of their sources) into a fresh virtual environment;
``copydesk rules`` and ``copydesk check`` then run from that environment.
Nothing is downloaded: the environment borrows copydesk's runtime
dependencies and the build backend, read-only, from the interpreter running
the tests, through a ``.pth`` file listing a directory of links to them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "house-style-plugin"
# Top-level modules copydesk imports at run time, plus the build backend.
BORROWED = (
    "pluggy",
    "click",
    "proselint",
    "re2",
    "_re2",
    "google_re2",
    "markdown_it",
    "markdown_it_py",
    "mdurl",
    "pathspec",
    "tomli",
    "setuptools",
    "pkg_resources",
    "_distutils_hack",
    "wheel",
    "packaging",
)

STORY = "Mr. Giles said prices rose 5% in March, up from 4 percent.\n"


def _borrowed(entry: Path) -> bool:
    stem = entry.name.split(".")[0].split("-")[0].lower()
    return stem in BORROWED


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("example-plugin")
    env = base / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

    # Only the dependencies are borrowed: copydesk itself is installed below.
    ours = Path(sysconfig.get_paths()["purelib"])
    borrowed = base / "borrowed"
    borrowed.mkdir()
    for entry in ours.iterdir():
        if _borrowed(entry):
            (borrowed / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site_packages / "borrowed.pth").write_text(f"{borrowed}\n", encoding="utf-8")

    # Build from copies so nothing is written into the repository.
    copydesk_source = base / "copydesk-source"
    copydesk_source.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, copydesk_source / name)
    shutil.copytree(
        ROOT / "src", copydesk_source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    plugin_source = base / "house-style-plugin"
    shutil.copytree(EXAMPLE, plugin_source, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", "build"))

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            str(copydesk_source),
            str(plugin_source),
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return env


def run(environment: Path, *arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = environment / ("Scripts/copydesk.exe" if os.name == "nt" else "bin/copydesk")
    return subprocess.run(
        [str(executable), *arguments], capture_output=True, text=True, cwd=cwd, env=_clean_environment()
    )


def _clean_environment() -> dict[str, str]:
    # No PYTHONPATH from the test run: the fresh environment stands alone.
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}


def test_the_installed_copydesk_is_the_fresh_copy_not_the_repository(environment, tmp_path):
    python = environment / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import copydesk, newsroom_house_style; print(copydesk.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=_clean_environment(),
        cwd=tmp_path,
    ).stdout
    assert str(environment) in where


def test_copydesk_rules_lists_the_house_rules_from_the_entry_point(environment, tmp_path):
    listed = run(environment, "rules", "--format", "json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rules = {entry["code"]: entry for entry in json.loads(listed.stdout)}
    assert rules["NWS101"]["name"] == "percent-style"
    assert rules["NWS102"]["name"] == "honorific-full-stop"
    assert "house-style" in rules["NWS101"]["plugin"]
    # The packaged proselint table came along with the wheel.
    assert rules["PL100"]["name"] == "typography.symbols.curly_quotes"


def test_copydesk_check_reports_house_style_with_exact_positions(environment, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    checked = run(environment, "check", "--format", "json", "--select", "NWS", str(story), cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    findings = json.loads(checked.stdout)
    spans = [(f["code"], STORY[f["start"]["offset"] : f["end"]["offset"]]) for f in findings]
    assert spans == [("NWS102", "Mr."), ("NWS101", "%"), ("NWS101", "percent")]
    assert all(f["path"].endswith("story.txt") for f in findings)


def test_the_house_spelling_is_an_option_in_the_config(environment, tmp_path):
    (tmp_path / ".copydesk.toml").write_text('[rules.percent-style]\nspelling = "percent"\n', encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("Prices rose 5 per cent, then 5%.\n", encoding="utf-8")
    checked = run(environment, "check", "--format", "json", "--select", "NWS101", str(story), cwd=tmp_path)
    messages = [f["message"] for f in json.loads(checked.stdout)]
    assert messages == ["House style: write 'percent', not 'per cent'.", "House style: write 'percent', not '%'."]


def test_explain_shows_the_plugin_docstring(environment, tmp_path):
    explained = run(environment, "explain", "NWS102", cwd=tmp_path)
    assert explained.returncode == 0, explained.stderr
    assert "## Why is this bad?" in explained.stdout
    assert "Mr Giles and Dr Patel arrived together." in explained.stdout


def test_fixes_from_the_plugin_are_applied(environment, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    fixed = run(environment, "check", "--fix", "--select", "NWS", str(story), cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert story.read_text(encoding="utf-8") == "Mr Giles said prices rose 5 per cent in March, up from 4 per cent.\n"
