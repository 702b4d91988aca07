"""``copydesk check``, ``rules``, ``explain``, ``lsp`` as a user runs them
(through click's CliRunner; real processes are in test_cli_subprocess.py)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from copydesk import __version__
from copydesk.cli import main

import cli_fixture_plugin

PLUGIN = ["--plugin", cli_fixture_plugin.__name__]
TST = PLUGIN + ["--select", "TST001"]
ERROR_LINE = re.compile(r"^error: .+")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COPYDESK_CACHE_DIR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def invoke(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def write(path: str, text: str | bytes) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return target


def error_lines(result) -> list[str]:
    lines = [line for line in result.stderr.split("\n") if line]
    assert all(ERROR_LINE.match(line) for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    return lines


# -- exit codes -------------------------------------------------------------------------


def test_exit_0_when_nothing_is_found():
    write("clean.txt", "A horse.\n")
    result = invoke("check", *TST, "-j1", "clean.txt")
    assert result.exit_code == 0
    assert result.stdout == "All clear: no problems in 1 file.\n"
    assert result.stderr == ""


def test_exit_1_with_findings():
    write("story.txt", "A zebra.\n")
    result = invoke("check", *TST, "-j1", "story.txt")
    assert result.exit_code == 1
    assert result.stdout.startswith("story.txt:1:3: TST001 [zebra-word] found 'zebra'\n")
    assert result.stdout.rstrip().endswith("Found 1 problem in 1 file. 1 fixable with --fix.")
    assert result.stderr == ""


def test_exit_2_for_a_missing_file_and_the_others_still_report():
    write("story.txt", "A zebra.\n")
    result = invoke("check", *TST, "-j1", "missing.txt", "story.txt")
    assert result.exit_code == 2
    assert "story.txt:1:3: TST001" in result.stdout
    assert error_lines(result) == ["error: missing.txt: no such file or directory"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "xml"], "Invalid value for '--format'"),
        (["--select", "NOPE999"], "command line: select: 'NOPE999' matches no known rule"),
        (["--jobs", "0"], "Invalid value for '-j' / '--jobs'"),
        (["--encoding", "klingon"], "is not an encoding Python knows"),
        (["--max-file-size", "huge"], "is not a size"),
        (["--statistics", "--format", "sarif"], "--statistics works with --format text or json"),
        (["--config", "nope.toml"], "--config nope.toml: no such file"),
        (["-", "-"], "'-' (standard input) can be given only once"),
    ],
)
def test_exit_2_for_usage_errors(args, message):
    write("story.txt", "A zebra.\n")
    result = invoke("check", *PLUGIN, *args, "story.txt")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_exit_2_when_a_rule_fails_reported_once_for_all_files():
    for number in range(3):
        write(f"s{number}.txt", "zebra explode\n")
    result = invoke("check", *PLUGIN, "--select", "TST001,TST002", "-j1", ".")
    assert result.exit_code == 2
    assert result.stdout.count("TST001 [zebra-word]") == 3  # the other rule still reported
    (line,) = error_lines(result)
    assert line.startswith("error: rule TST002 [exploding-rule] from plugin 'cli_fixture_plugin' failed: RuntimeError: boom")
    assert line.endswith("(in 3 files, first s0.txt)")


def test_exit_2_when_a_plugin_cannot_be_loaded():
    write("story.txt", "A horse.\n")
    result = invoke("check", "--plugin", "no_such_copydesk_plugin", "-j1", "story.txt")
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert line.startswith("error: plugin 'no_such_copydesk_plugin' could not be loaded: ModuleNotFoundError")
    assert "All clear" in result.stdout


def test_exit_2_for_a_configuration_problem():
    write(".copydesk.toml", 'selekt = ["TST001"]\n')
    write("story.txt", "A zebra.\n")
    result = invoke("check", *TST, "-j1", "story.txt")
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert "unknown key 'selekt'" in line and ".copydesk.toml" in line
    assert "TST001" in result.stdout


def test_configuration_problems_met_in_worker_processes_are_reported():
    write("copy/.copydesk.toml", 'selekt = ["TST001"]\n')
    for number in range(8):
        write(f"copy/s{number}.txt", "A zebra.\n")
    result = invoke("check", *TST, "-j2", "--no-cache", "copy")
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert "unknown key 'selekt'" in line


def test_exit_zero_keeps_errors():
    write("story.txt", "A zebra.\n")
    assert invoke("check", *TST, "-j1", "--exit-zero", "story.txt").exit_code == 0
    assert invoke("check", *TST, "-j1", "--exit-zero", "story.txt", "missing.txt").exit_code == 2


# -- bad and hostile input -----------------------------------------------------------------


def test_every_bad_file_is_one_line_and_the_good_ones_still_report():
    write("good.txt", "A zebra.\n")
    write("binary.txt", b"abc\x00def")
    write("latin.txt", "naïve zebra".encode("latin-1"))
    write("big.txt", b"zebra " * 400)
    write("empty.txt", b"")
    bad = ["binary.txt", "latin.txt", "big.txt", "missing.txt", "empty.txt"]
    if hasattr(os, "symlink"):
        os.symlink("loop.txt", "loop.txt")
        bad.append("loop.txt")
    if hasattr(os, "mkfifo"):
        os.mkfifo("fifo.txt")
        bad.append("fifo.txt")
    result = invoke("check", *TST, "-j1", "--max-file-size", "1kB", "good.txt", *bad)
    assert result.exit_code == 2
    assert "good.txt:1:3: TST001" in result.stdout
    lines = error_lines(result)
    reasons = dict(line.removeprefix("error: ").split(": ", 1) for line in lines)
    assert sorted(reasons) == sorted(bad)
    assert reasons["binary.txt"] == "binary file (NUL byte at byte 3)"
    assert reasons["latin.txt"] == "not valid utf-8 at byte 2 (invalid continuation byte)"
    assert reasons["big.txt"] == "file is 2.3 kB, over the 1 kB limit (--max-file-size)"
    assert reasons["missing.txt"] == "no such file or directory"
    assert reasons["empty.txt"] == "empty file: nothing to lint"
    if "loop.txt" in reasons:
        assert reasons["loop.txt"] == "symbolic link loop"
    if "fifo.txt" in reasons:
        assert reasons["fifo.txt"] == "not a regular file"
    assert "in 1 file" in result.stdout  # only good.txt could be linted


def test_encoding_option_reads_other_encodings():
    write("latin.txt", "naïve zebra".encode("latin-1"))
    result = invoke("check", *TST, "-j1", "--encoding", "latin-1", "latin.txt")
    assert result.exit_code == 1
    assert "latin.txt:1:7: TST001" in result.stdout


# -- inputs: stdin, directories, ignores ---------------------------------------------------------


def test_stdin_with_a_filename():
    result = invoke("check", *TST, "-j1", "-", "--stdin-filename", "copy/story.md", input="A `zebra` and a zebra.\n")
    assert result.exit_code == 1
    # Markdown because of the name: the code span is not prose.
    assert result.stdout.split("\n")[0] == "copy/story.md:1:17: TST001 [zebra-word] found 'zebra'"
    assert result.stdout.count("TST001") == 2  # one finding line + the summary by rule


def test_stdin_filename_alone_reads_stdin():
    write("other.txt", "zebra\n")  # not linted: standard input is
    result = invoke("check", *TST, "-j1", "--stdin-filename", "story.txt", input="a zebra\n")
    assert result.stdout.split("\n")[0] == "story.txt:1:3: TST001 [zebra-word] found 'zebra'"
    assert "other.txt" not in result.stdout


def test_stdin_without_a_filename_is_dash():
    result = invoke("check", *TST, "-j1", "-", input=b"\xef\xbb\xbfzebra\r\n")
    assert result.stdout.startswith("-:1:1: TST001")


def test_stdin_binary_is_an_error():
    result = invoke("check", *TST, "-j1", "-", input=b"a\x00b")
    assert result.exit_code == 2
    assert error_lines(result) == ["error: -: binary file (NUL byte at byte 1)"]


def test_directories_are_walked_and_results_ordered_by_path():
    write("copy/b.txt", "zebra\n")
    write("copy/a.md", "zebra\n")
    write("copy/sub/c.markdown", "zebra\n")
    write("copy/notes.rst", "zebra\n")
    result = invoke("check", *TST, "-j1", "copy")
    paths = [line.split(":")[0] for line in result.stdout.split("\n") if "TST001 [" in line]
    assert paths == ["copy/a.md", "copy/b.txt", "copy/sub/c.markdown"]


def test_no_paths_lints_the_current_directory():
    write("a.txt", "zebra\n")
    result = invoke("check", *TST, "-j1")
    assert result.exit_code == 1
    assert "a.txt:1:1: TST001" in result.stdout


def test_gitignore_and_exclude_in_a_run():
    import subprocess

    subprocess.run(["git", "init", "-q", "."], check=True)
    write(".gitignore", "ignored.txt\n")
    write(".copydesk.toml", 'extend-exclude = ["drafts"]\n')
    for name in ("kept.txt", "ignored.txt", "drafts/wip.txt"):
        write(name, "zebra\n")
    result = invoke("check", *TST, "-j1", ".")
    assert [line.split(":")[0] for line in result.stdout.split("\n") if "TST001 [" in line] == ["kept.txt"]


# -- output options ------------------------------------------------------------------------------


def test_json_positions_through_the_command_line():
    data = "\ufeff“Zebra,” she said. 🦓\r\nA zebra!\r\n".encode("utf-8")
    write("story.txt", data)
    result = invoke("check", *TST, "-j1", "--format", "json", "story.txt")
    text = data.decode("utf-8-sig")
    items = json.loads(result.stdout)
    assert [text[i["start"]["offset"] : i["end"]["offset"]] for i in items] == ["Zebra", "zebra"]
    assert [(i["start"]["line"], i["start"]["column"]) for i in items] == [(1, 2), (2, 3)]
    assert result.exit_code == 1


def test_sarif_and_github_through_the_command_line():
    write("story.txt", "A 🦓 zebra.\n")
    sarif = json.loads(invoke("check", *TST, "-j1", "--format", "sarif", "story.txt").stdout)
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["charOffset"], region["charLength"]) == (6, 5, 5)
    github = invoke("check", *TST, "-j1", "--format", "github", "story.txt").stdout
    assert github == "::warning file=story.txt,line=1,col=5,endLine=1,endColumn=10,title=TST001 zebra-word::found 'zebra'\n"


def test_sarif_carries_file_errors_as_notifications():
    write("story.txt", "zebra\n")
    result = invoke("check", *TST, "-j1", "--format", "sarif", "story.txt", "missing.txt")
    invocation = json.loads(result.stdout)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "missing.txt: no such file or directory"
    assert result.exit_code == 2


def test_statistics():
    write("a.txt", "zebra zebra\n")
    write("b.txt", "BREAKHERE zebra\n")
    args = ["check", *PLUGIN, "--select", "TST001,TST003", "-j1", "--statistics", "a.txt", "b.txt"]
    result = invoke(*args)
    assert result.stdout == "3  TST001 zebra-word  (3 fixable)\n1  TST003 two-line-fix  (1 fixable)\n"
    assert result.exit_code == 1
    data = json.loads(invoke(*args, "--format", "json").stdout)
    assert data == [
        {"code": "TST001", "rule": "zebra-word", "count": 3, "fixable": 3},
        {"code": "TST003", "rule": "two-line-fix", "count": 1, "fixable": 1},
    ]


def test_output_file():
    write("story.txt", "zebra\n")
    result = invoke("check", *TST, "-j1", "--format", "json", "--output-file", "report.json", "story.txt")
    assert result.stdout == ""
    assert json.loads(Path("report.json").read_text(encoding="utf-8"))[0]["code"] == "TST001"
    assert result.exit_code == 1


def test_summary_by_rule_and_quiet():
    write("a.txt", "zebra BREAKHERE zebra\n")
    args = ["check", *PLUGIN, "--select", "TST001,TST003", "-j1", "a.txt"]
    lines = invoke(*args).stdout.rstrip("\n").split("\n")
    assert lines[-4:] == ["", "2  TST001 zebra-word", "1  TST003 two-line-fix", lines[-1]]
    assert lines[-1].startswith("Found 3 problems in 1 file.")
    quiet = invoke(*args, "--quiet").stdout
    assert quiet.count("\n") == 3 and "Found" not in quiet


def test_colour_only_when_asked_or_on_a_terminal(monkeypatch):
    write("a.txt", "zebra\n")
    assert "\x1b[" not in invoke("check", *TST, "-j1", "a.txt").stdout
    assert "\x1b[" in invoke("check", *TST, "-j1", "--color", "a.txt").stdout
    assert "\x1b[" not in invoke("check", *TST, "-j1", "--color", "--format", "json", "a.txt").stdout


def test_progress_bar_only_on_a_terminal_and_erased(monkeypatch):
    import io

    from copydesk.cli import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(Progress, "DELAY", 0.0)
    monkeypatch.setattr(Progress, "INTERVAL", 0.0)
    progress = Progress(3, enabled=True)
    for done in range(1, 4):
        progress.update(done, 3)
    progress.finish()
    assert "3/3 files" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[2K")
    quiet = Progress(3, enabled=False)
    quiet.update(3, 3)
    assert terminal.getvalue().count("Linting") == 3


# -- jobs, cache, fix ---------------------------------------------------------------------------------


def test_jobs_2_gives_the_same_output_as_jobs_1():
    for number in range(20):
        write(f"copy/s{number:02}.txt", "zebra " * (number % 3) + "\n“Quote” 🦓 zebra\r\n")
    write("copy/bad.txt", b"\x00")
    one = invoke("check", *TST, "--no-cache", "-j1", "copy")
    two = invoke("check", *TST, "--no-cache", "-j2", "copy")
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr
    assert one.exit_code == two.exit_code == 2


def test_cache_gives_the_same_output_and_no_cache_leaves_none():
    write("a.txt", "zebra\n")
    first = invoke("check", *TST, "-j1", "a.txt")
    assert Path(".copydesk_cache").is_dir()
    second = invoke("check", *TST, "-j1", "a.txt")
    assert second.stdout == first.stdout and second.exit_code == first.exit_code == 1
    import shutil

    shutil.rmtree(".copydesk_cache")
    invoke("check", *TST, "-j1", "--no-cache", "a.txt")
    assert not Path(".copydesk_cache").exists()
    invoke("check", *TST, "-j1", "--cache-dir", "elsewhere", "a.txt")
    assert Path("elsewhere/v1").is_dir()


def test_clean_removes_only_a_copydesk_cache():
    write("a.txt", "zebra\n")
    invoke("check", *TST, "-j1", "a.txt")
    result = invoke("clean")
    assert result.exit_code == 0 and result.stdout == "Removed .copydesk_cache\n"
    assert not Path(".copydesk_cache").exists()
    assert invoke("clean").stdout == "No cache at .copydesk_cache\n"
    write("precious/notes.txt", "keep me")
    refused = invoke("clean", "--cache-dir", "precious")
    assert refused.exit_code == 2
    assert refused.stderr == "error: precious: not a copydesk cache (no CACHEDIR.TAG); left alone\n"
    assert Path("precious/notes.txt").exists()


def test_fix_writes_files_reports_what_remains_and_is_idempotent():
    path = write("story.txt", b"A zebra explode.\r\nzebra\r\n")
    args = ["check", *PLUGIN, "--select", "TST001", "-j1", "--fix", "story.txt"]
    first = invoke(*args)
    assert path.read_bytes() == b"A horse explode.\r\nhorse\r\n"
    assert first.exit_code == 0
    assert "Fixed 2 problems." in first.stdout
    second = invoke(*args)
    assert path.read_bytes() == b"A horse explode.\r\nhorse\r\n"
    assert "Fixed" not in second.stdout and second.exit_code == 0


def test_fix_on_stdin_prints_the_fixed_text():
    result = invoke("check", *TST, "-j1", "--fix", "-", input=b"zebra\r\nzebra\r\n")
    assert result.stdout_bytes == b"horse\r\nhorse\r\n"
    assert result.exit_code == 0


# -- rules, explain, version, lsp ------------------------------------------------------------------------


def test_rules_text_and_json_follow_the_configuration():
    write(".copydesk.toml", 'extend-ignore = ["CD201"]\n')
    result = invoke("rules")
    assert result.exit_code == 0
    lines = result.stdout.split("\n")
    assert re.match(r"^code\s+name\s+severity\s+enabled\s+plugin\s+summary$", lines[0])
    row = next(line for line in lines if line.startswith("CD201"))
    assert re.search(r"duplicate-paragraph\s+warning\s+no\s+copydesk\s+A paragraph repeats", row)
    data = json.loads(invoke("rules", "--format", "json").stdout)
    by_code = {item["code"]: item for item in data}
    assert by_code["CD201"]["enabled"] is False
    assert by_code["CD001"]["enabled"] is True
    assert set(by_code["CD201"]) >= {"code", "name", "summary", "severity", "enabled", "plugin"}
    assert by_code["CD201"]["plugin"] == "copydesk"


def test_explain_prints_documentation():
    result = invoke("explain", "duplicate-paragraph")
    assert result.exit_code == 0
    assert result.stdout.startswith("CD201 duplicate-paragraph: ")
    assert "## What it does" in result.stdout and "## Use instead" in result.stdout
    assert invoke("explain", "cd201").stdout == result.stdout


def test_explain_unknown_rule():
    result = invoke("explain", "CD999")
    assert result.exit_code == 2
    assert result.stderr == "error: unknown rule 'CD999' (see `copydesk rules`)\n"


def test_version():
    result = invoke("--version")
    assert result.stdout == f"copydesk {__version__}\n"


def test_help_documents_exit_codes():
    result = invoke("check", "--help")
    assert "Exit codes:" in result.stdout
    assert "2    usage or configuration error" in result.stdout


def test_lsp_delegates_to_the_server(monkeypatch):
    pytest.importorskip("pygls")
    import copydesk.lsp.server as server

    calls = []
    monkeypatch.setattr(server, "serve", lambda tcp=None: calls.append(tcp))
    assert invoke("lsp").exit_code == 0
    assert invoke("lsp", "--tcp", "127.0.0.1:2087").exit_code == 0
    assert calls == [None, "127.0.0.1:2087"]


def test_lsp_rejects_a_bad_address():
    result = invoke("lsp", "--tcp", "localhost")
    assert result.exit_code == 2
    assert "expected HOST:PORT" in result.stderr
