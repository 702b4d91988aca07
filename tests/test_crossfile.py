"""Paragraphs repeated across files: MinHash LSH, and ``check --cross-file``."""

from __future__ import annotations

from click.testing import CliRunner

from copydesk.cli import main
from copydesk.crossfile import CrossFileIndex, CrossFileSettings, find_cross_file_duplicates
from copydesk.document import Document

WIRE = (
    "The central bank raised its main interest rate by half a percentage point on Thursday, "
    "the third increase this year, as inflation reached its highest level since 1992."
)
OTHER = (
    "Fishermen in the northern harbour towns say the new quotas will force dozens of boats "
    "out of business before the summer season has even begun."
)
LONG = WIRE + (
    " Economists had expected a smaller rise, and the currency jumped against the dollar "
    "within minutes of the announcement by the governor in the capital."
)
THIRD = (
    "The club confirmed that its captain would miss the rest of the season after surgery "
    "on a knee injury picked up in training earlier this month."
)


def docs(*texts: str) -> list[tuple[str, Document]]:
    return [(f"story{n}.txt", Document(text, f"story{n}.txt")) for n, text in enumerate(texts, 1)]


def sliced(text: str, start: int, end: int) -> str:
    return text[start:end]


def test_a_paragraph_pasted_into_another_story_is_reported_on_the_later_file():
    first = f"{OTHER}\n\n{WIRE}\n"
    second = f"{THIRD}\n\n{WIRE}\n"
    [match] = find_cross_file_duplicates(docs(first, second))
    assert match.paragraph.path == "story2.txt"
    assert sliced(second, match.paragraph.start, match.paragraph.end) == WIRE
    assert match.original.path == "story1.txt"
    assert sliced(first, match.original.start, match.original.end) == WIRE
    assert match.exact


def test_case_and_punctuation_do_not_hide_an_exact_copy():
    shouted = WIRE.upper().replace(",", "")
    [match] = find_cross_file_duplicates(docs(WIRE, shouted))
    assert match.exact


def test_a_near_copy_is_reported_with_its_measured_similarity():
    edited = LONG.replace("on Thursday", "on Friday")
    [match] = find_cross_file_duplicates(docs(LONG, edited))
    assert not match.exact
    assert 0.8 <= match.similarity < 1.0


def test_different_paragraphs_are_not_reported():
    assert find_cross_file_duplicates(docs(WIRE, OTHER, THIRD)) == []


def test_repeats_inside_one_file_are_left_to_duplicate_paragraph():
    assert find_cross_file_duplicates(docs(f"{WIRE}\n\n{WIRE}\n")) == []


def test_short_paragraphs_such_as_sign_offs_are_not_compared():
    assert find_cross_file_duplicates(docs("Reporting by Jane Doe.", "Reporting by Jane Doe.")) == []


def test_every_later_copy_points_at_the_first():
    matches = find_cross_file_duplicates(docs(WIRE, OTHER, WIRE, WIRE))
    assert [(m.paragraph.path, m.original.path) for m in matches] == [
        ("story3.txt", "story1.txt"),
        ("story4.txt", "story1.txt"),
    ]


def test_many_near_copies_cost_a_bounded_number_of_comparisons():
    # Each copy differs in one number, so none is an exact repeat; the index
    # still holds at most bucket_size representatives per bucket.
    index = CrossFileIndex(CrossFileSettings(bucket_size=4))
    found = 0
    for n in range(200):
        text = LONG.replace("1992", str(1000 + n))
        found += len(index.add(f"f{n}.txt", Document(text)))
    assert found == 199
    assert max(len(bucket) for bucket in index._buckets.values()) <= 4


def test_check_cross_file_reports_cd202_and_exits_1(tmp_path):
    (tmp_path / "a.txt").write_text(f"{OTHER}\n\n{WIRE}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"{THIRD}\n\n{WIRE}\n", encoding="utf-8")
    runner = CliRunner()
    args = ["check", "--no-cache", "--select", "CD201", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert runner.invoke(main, args).exit_code == 0
    result = runner.invoke(main, ["check", "--cross-file", *args[1:]])
    assert result.exit_code == 1
    assert f"b.txt:3:1: CD202 [cross-file-duplicate] paragraph repeats one in {tmp_path / 'a.txt'}:3" in result.output


def test_cross_file_duplicates_honour_ignore_severity_and_suppression(tmp_path):
    (tmp_path / "a.txt").write_text(f"{OTHER}\n\n{WIRE}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"{THIRD}\n\n{WIRE}\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(f"<!-- copydesk: disable-paragraph=CD202 -->\n{WIRE}\n", encoding="utf-8")
    files = [str(tmp_path / name) for name in ("a.txt", "b.txt", "c.txt")]
    runner = CliRunner()
    base = ["check", "--no-cache", "--cross-file", "--select", "CD202", "--format", "json"]

    import json

    found = json.loads(runner.invoke(main, base + files).output)
    assert [(d["path"], d["severity"]) for d in found] == [(files[1], "warning")]
    text = (tmp_path / "b.txt").read_text(encoding="utf-8")
    assert text[found[0]["start"]["offset"] : found[0]["end"]["offset"]] == WIRE

    ignored = runner.invoke(main, base + ["--ignore", "CD202"] + files)
    assert ignored.exit_code == 0 and json.loads(ignored.output) == []

    (tmp_path / ".copydesk.toml").write_text('severity = {cross-file-duplicate = "error"}\n', encoding="utf-8")
    raised = json.loads(runner.invoke(main, base + files).output)
    assert [d["severity"] for d in raised] == ["error"]


def test_cd202_is_a_registered_rule_that_single_documents_never_trigger():
    from copydesk.engine import Linter
    from copydesk.plugin.manager import load_registry
    from copydesk.plugin.rule import ConfiguredRule

    rule = load_registry(entry_points=False).get("cross-file-duplicate")
    assert rule is not None and rule.code == "CD202" and rule.scope == "run"
    doubled = Document(f"{WIRE}\n\n{WIRE}\n")
    assert Linter([ConfiguredRule(rule)]).lint(doubled).diagnostics == []
