"""``copydesk check`` pauses garbage collection only while it starts up.

Collection is paused for the imports and the first file (a tenth of a cold
start went to collections traversing long-lived start-up objects) and must
be back on however the command ends, so a long run -- or a program that
invokes the command in-process -- still collects its garbage.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from click.testing import CliRunner

from copydesk.cli import main
from copydesk.runner import RunOptions, pause_collection, resume_collection, run

ARTICLE = Path(__file__).resolve().parent.parent / "examples" / "article.txt"


@pytest.fixture(autouse=True)
def collection_restored():
    was_enabled = gc.isenabled()
    yield
    resume_collection()
    if was_enabled:
        gc.enable()


def test_collection_is_on_after_a_check_that_found_problems():
    result = CliRunner().invoke(main, ["check", "--no-cache", str(ARTICLE)])
    assert result.exit_code == 1 and "CD401" in result.output
    assert gc.isenabled()


def test_collection_is_on_after_a_check_that_stopped_early(tmp_path):
    result = CliRunner().invoke(main, ["check", "--config", str(tmp_path / "missing.toml"), str(ARTICLE)])
    assert result.exit_code == 2
    assert gc.isenabled()
    result = CliRunner().invoke(main, ["check", "--select", "NOSUCH1", str(ARTICLE)])
    assert result.exit_code == 2
    assert gc.isenabled()


def test_collection_resumes_after_the_first_file(tmp_path):
    seen = []
    paths = []
    for number in range(3):
        path = tmp_path / f"story{number}.txt"
        path.write_text("The minister said it was fine.\n", encoding="utf-8")
        paths.append(path)
    from copydesk.files import Target

    pause_collection()
    assert not gc.isenabled()
    run(
        [Target(str(p), explicit=True) for p in paths],
        RunOptions(entry_points=False),
        progress=lambda done, total: seen.append(gc.isenabled()),
    )
    assert seen == [True, True, True]


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    pause_collection()
    resume_collection()
    assert not gc.isenabled()
    result = CliRunner().invoke(main, ["check", "--no-cache", str(ARTICLE)])
    assert result.exit_code == 1
    assert not gc.isenabled()
