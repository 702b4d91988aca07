"""The real command in real processes: what CI, hooks and shells see."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]+\d+) \[(?P<rule>[a-z0-9.-]+)\] .+$")


def copydesk(*args: str, cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "copydesk", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        env=env,
        timeout=120,
    )


def test_the_example_article(tmp_path):
    result = copydesk("check", "--no-cache", str(ROOT / "examples" / "article.txt"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == b""
    lines = result.stdout.decode("utf-8").split("\n")
    findings = [line for line in lines if LINE.match(line)]
    assert findings, result.stdout
    positions = [(int(LINE.match(f)["line"]), int(LINE.match(f)["column"])) for f in findings]
    assert positions == sorted(positions)
    assert "\x1b[" not in result.stdout.decode()  # not a terminal: no colour
    assert lines[-2].startswith("Found ")


def test_bad_inputs_in_a_real_process(tmp_path):
    (tmp_path / "good.txt").write_text("A zebra.\n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01")
    result = copydesk("check", "--plugin", "cli_fixture_plugin", "--select", "TST001", "good.txt", "binary.txt", "gone.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert b"good.txt:1:3: TST001" in result.stdout
    assert result.stderr.decode().split("\n") == [
        "error: gone.txt: no such file or directory",
        "error: binary.txt: binary file (NUL byte at byte 0)",
        "",
    ]


def test_stdin_pipe(tmp_path):
    result = copydesk(
        "check", "--plugin", "cli_fixture_plugin", "--select", "TST001", "--format", "json", "-",
        "--stdin-filename", "story.md", cwd=tmp_path, input="“Zebra” 🦓 zebra\r\n".encode(),
    )
    assert result.returncode == 1
    items = json.loads(result.stdout)
    assert [(i["path"], i["start"]["offset"], i["end"]["offset"]) for i in items] == [("story.md", 1, 6), ("story.md", 10, 15)]


def test_concurrent_runs_share_the_cache_safely(tmp_path):
    for number in range(40):
        (tmp_path / f"s{number:02}.txt").write_text(f"Story {number}: " + "zebra " * (number % 5) + "\n")
    args = ("check", "--plugin", "cli_fixture_plugin", "--select", "TST001", "--format", "json", "-j2", ".")
    with ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(lambda _: copydesk(*args, cwd=tmp_path), range(3)))
    assert [r.returncode for r in runs] == [1, 1, 1]
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    warm = copydesk(*args, cwd=tmp_path)
    assert warm.stdout == runs[0].stdout
    entries = list((tmp_path / ".copydesk_cache").rglob("*.json"))
    # One entry per file (more only if copydesk's own source changed meanwhile).
    assert len(entries) >= 40
    for entry in entries:
        json.loads(entry.read_text(encoding="utf-8"))
    assert not [p for p in (tmp_path / ".copydesk_cache").rglob(".tmp-*")]


def test_default_jobs_use_every_core(tmp_path):
    for number in range(12):
        (tmp_path / f"s{number:02}.txt").write_text("zebra\n")
    default = copydesk("check", "--plugin", "cli_fixture_plugin", "--select", "TST001", "--no-cache", ".", cwd=tmp_path)
    serial = copydesk("check", "--plugin", "cli_fixture_plugin", "--select", "TST001", "--no-cache", "-j1", ".", cwd=tmp_path)
    assert default.returncode == serial.returncode == 1
    assert default.stdout == serial.stdout
    assert default.stderr == serial.stderr == b""


def test_a_closed_pipe_ends_quietly(tmp_path):
    for number in range(30):
        (tmp_path / f"s{number:02}.txt").write_text("zebra\n" * 50)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    command = f"{sys.executable} -m copydesk check --plugin cli_fixture_plugin --select TST001 -j1 . | head -n 1"
    result = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, env=env, timeout=120)
    assert result.stdout.count(b"\n") == 1
    assert b"Traceback" not in result.stderr and b"BrokenPipe" not in result.stderr


def test_version_and_explain(tmp_path):
    from copydesk import __version__

    assert copydesk("--version", cwd=tmp_path).stdout.decode() == f"copydesk {__version__}\n"
    unknown = copydesk("explain", "XX123", cwd=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr == b"error: unknown rule 'XX123' (see `copydesk rules`)\n"


@pytest.mark.skipif(os.name != "posix", reason="interrupt by signal")
def test_fix_in_a_real_process_keeps_mode_and_crlf(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"A zebra.\r\n")
    path.chmod(0o600)
    result = copydesk("check", "--plugin", "cli_fixture_plugin", "--select", "TST001", "--fix", "story.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == b"A horse.\r\n"
    assert path.stat().st_mode & 0o777 == 0o600
