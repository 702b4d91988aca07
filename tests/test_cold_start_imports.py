"""``copydesk check`` imports only what the run needs.

Start-up time is mostly imports, so these pin down which heavy modules a
plain run never loads: the language server, importlib.metadata (no plugin
declares an entry point), pluggy (only the built-in plugins), the result
cache with --no-cache, the configuration parsers when there is no
configuration file, the Markdown parser for a .txt file, proselint when its
rules are not selected. Each also checks the run still reports what it
should.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from copydesk.plugin.manager import load_registry

ARTICLE = Path(__file__).resolve().parent.parent / "examples" / "article.txt"

#: What a plain `copydesk check --no-cache` of a text file never needs.
NOT_FOR_A_PLAIN_CHECK = (
    "pygls",
    "lsprotocol",
    "importlib.metadata",
    "email",
    "pluggy",
    "copydesk.cache",
    "tomllib",
    "configparser",
    "markdown_it",  # plain text needs no Markdown parser
)
WATCHED = NOT_FOR_A_PLAIN_CHECK + ("hashlib", "proselint", "re2")

# Runs the command in-process and reports, at exit, which watched modules it imported.
PROBE = """
import atexit, sys
watched = sys.argv[1].split(",")
atexit.register(lambda: sys.stderr.write("IMPORTED " + " ".join(m for m in watched if m in sys.modules) + "\\n"))
sys.argv = ["copydesk", *sys.argv[2:]]
from copydesk.cli import main
main(prog_name="copydesk")
"""


def imported_by(tmp_path: Path, *arguments: str) -> tuple[set[str], str]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(WATCHED), *arguments],
        cwd=tmp_path,  # no configuration file up from here
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1, completed.stderr
    [line] = [line for line in completed.stderr.splitlines() if line.startswith("IMPORTED")]
    return set(line.split()[1:]), completed.stdout


@pytest.fixture
def article(tmp_path: Path) -> Path:
    copy = tmp_path / "article.txt"
    copy.write_bytes(ARTICLE.read_bytes())
    return copy


def test_a_plain_check_imports_neither_the_server_nor_plugin_machinery(tmp_path, article):
    imported, report = imported_by(tmp_path, "check", "--no-cache", str(article))
    assert imported.isdisjoint(NOT_FOR_A_PLAIN_CHECK), imported
    # proselint's rules are on by default, so proselint is imported to run them.
    assert "proselint" in imported
    assert "CD401 [pronoun-mismatch]" in report


def test_a_check_without_proselint_rules_does_not_import_proselint(tmp_path, article):
    imported, report = imported_by(tmp_path, "check", "--no-cache", "--ignore", "proselint", str(article))
    assert "proselint" not in imported and "re2" not in imported, imported
    assert "CD101 [repeated-sourcing]" in report


def test_the_cache_is_imported_when_caching(tmp_path, article):
    imported, _ = imported_by(tmp_path, "check", str(article))
    assert "copydesk.cache" in imported


def test_the_built_in_plugins_give_the_same_registry_with_or_without_pluggy():
    direct = load_registry(entry_points=False)

    class NoRules:
        """A plugin with no hooks: it makes the registry load through pluggy."""

    through_pluggy = load_registry(entry_points=False, extra_plugins=[NoRules()])
    assert [(r.code, r.name, r.plugin) for r in direct] == [(r.code, r.name, r.plugin) for r in through_pluggy]
    assert list(direct.rules) == list(through_pluggy.rules)  # same order of registration
    assert direct.load_errors == through_pluggy.load_errors == []
