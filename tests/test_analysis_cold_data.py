"""The data the quote and people analyses load on a cold start instead of
computing it: stored regular expression programs and the names table in
its compact form. Each must give exactly what it replaces."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

import copydesk.analysis.people as people
import copydesk.analysis.quotes as quotes
from copydesk.analysis import _lazy_regex
from copydesk.analysis._lazy_regex import INSTANCES, LazyRegex, interpreter_tag, programs_path, stored_pattern
from copydesk.document import Document

DATA = Path(people.__file__).parent.parent / "data"
ANALYSIS_PATTERNS = [lazy for lazy in INSTANCES if lazy in vars(quotes).values() or lazy in vars(people).values()]


def test_every_analysis_pattern_is_registered() -> None:
    assert len(ANALYSIS_PATTERNS) >= 20
    assert quotes._AFTER_VERB_WHO in ANALYSIS_PATTERNS and people._WATCHED in ANALYSIS_PATTERNS


@pytest.mark.skipif(
    interpreter_tag() is None or not programs_path(interpreter_tag() or "").exists(),
    reason="no stored programs for this interpreter (patterns are compiled instead)",
)
@pytest.mark.parametrize("lazy", ANALYSIS_PATTERNS, ids=lambda lazy: lazy.source_text()[:30])
def test_stored_program_is_the_pattern_re_compiles(lazy: LazyRegex) -> None:
    # Fails when a pattern changed without `python scripts/make_regex_programs.py`
    # (run with each supported CPython): it would be compiled on every cold start.
    source = lazy.source_text()
    stored = stored_pattern(source, lazy.flags)
    assert stored is not None, "no stored program: run scripts/make_regex_programs.py"
    assert stored == re.compile(source, lazy.flags)  # same source, flags and program
    assert stored.groupindex == re.compile(source, lazy.flags).groupindex


def test_a_source_without_stored_program_is_compiled() -> None:
    assert stored_pattern(r"\bno such stored pattern\b", 0) is None
    lazy = LazyRegex(r"(?P<word>\w+) said")
    INSTANCES.remove(lazy)
    assert lazy.search("then Giles said so").group("word") == "Giles"


def test_unreadable_programs_fall_back_to_compiling(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "broken.marshal").write_bytes(b"not marshal data")
    monkeypatch.setattr(_lazy_regex, "programs_path", lambda tag: tmp_path / "broken.marshal")
    monkeypatch.setattr(_lazy_regex, "_programs", None)
    source = quotes._AFTER_VERB_WHO.source_text()
    assert stored_pattern(source, 0) is None
    fresh = LazyRegex(source)
    INSTANCES.remove(fresh)
    assert fresh.match(", said Mr Giles.").group("who") == "Mr Giles"


def test_names_by_sex_file_is_the_tsv_grouped() -> None:
    lines = (DATA / "first_names.tsv").read_text(encoding="utf-8").split("\n")
    tsv = dict(line.split("\t") for line in lines if line and not line.startswith("#"))
    assert people._name_table() == tsv, "run python scripts/make_first_names.py --from-tsv"
    assert people.first_names() == {name: sex for name, sex in tsv.items() if sex != "w"}
    assert people.census_first_name("Bill") and "bill" not in people.first_names()


def test_records_compare_hash_pickle_and_refuse_assignment() -> None:
    doc = Document("“We won,” said Mr Giles. “It was hard,” he added.\n")
    analysis = doc.quotes
    again = Document("“We won,” said Mr Giles. “It was hard,” he added.\n").quotes
    assert analysis == again and hash(analysis) == hash(again)
    assert pickle.loads(pickle.dumps(analysis)) == analysis
    quotation = analysis.quotations[0]
    assert repr(quotation).startswith("Quotation(index=0, paragraph=0, style='double'")
    with pytest.raises(AttributeError):
        quotation.start = 3  # type: ignore[misc]
    attribution = quotation.attribution
    assert attribution is not None and attribution.who == "Mr Giles"
    carried = attribution.replace(kind="carried")
    assert carried.kind == "carried" and carried.who == "Mr Giles" and attribution.kind == "name"
    assert doc.people == Document(doc.text).people


def test_word_trie_matches_exactly_its_words() -> None:
    words = ["he", "her", "hers", "herself", "him", "a.b", "a b", "ab", "abc", "b"]
    pattern = re.compile(people._trie_pattern(words))
    for word in words + ["", "h", "herse", "a", "a.", "abcd", "axb", "c"]:
        assert bool(pattern.fullmatch(word)) == (word in words), word
    assert people._trie_pattern(["say", "says", "said"]) == "sa(?:id|y(?:s)?)"
    assert people._trie_pattern([]) == ""
