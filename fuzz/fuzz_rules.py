"""Coverage-guided fuzzing of each rule family through the engine (atheris).

The family is chosen with ``--family=NAME`` (removed before libFuzzer reads
its own options), or ``all``:

    sourcing     CD101 repeated-sourcing, CD102 repeated-phrase
    duplicates   CD201 duplicate-paragraph
    quotes       CD301 truncated-quote
    pronouns     CD401 pronoun-mismatch
    metadata     CD501 stray-metadata
    suppression  CD001 invalid-suppression (and the directives themselves)
    proselint    every proselint check (PL...)

Each input becomes text (plain or Markdown) and is linted through the same
engine the CLI uses, with suppression on. The run fails if any rule fails
(raises or yields an invalid finding: the engine records a RuleFailure) or
a diagnostic, related location or fix edit lies outside the text.

    python fuzz/fuzz_rules.py --family=quotes -max_total_time=300 fuzz/corpus-quotes fuzz/seeds
"""

from __future__ import annotations

import sys

import atheris

FAMILIES = {
    "sourcing": ("CD101", "CD102"),
    "duplicates": ("CD201",),
    "quotes": ("CD301",),
    "pronouns": ("CD401",),
    "metadata": ("CD501",),
    "suppression": ("CD001",),
    "proselint": ("proselint",),
    "all": ("ALL",),
}


def _family(argv: list[str]) -> tuple[str, list[str]]:
    chosen = "all"
    rest = []
    for argument in argv:
        if argument.startswith("--family="):
            chosen = argument.split("=", 1)[1]
        else:
            rest.append(argument)
    if chosen not in FAMILIES:
        raise SystemExit(f"unknown family {chosen!r}; choose from {', '.join(FAMILIES)}")
    return chosen, rest


FAMILY, LIBFUZZER_ARGV = _family(sys.argv)

with atheris.instrument_imports():
    import copydesk.analysis.people
    import copydesk.analysis.quotes
    import copydesk.attribution_formulae
    import copydesk.markup
    import copydesk.repetition
    import copydesk.rules
    import copydesk.suppression
    from copydesk.document import Document
    from copydesk.engine import Linter
    from copydesk.plugin.manager import load_registry
    from copydesk.plugin.rule import ConfiguredRule

    REGISTRY = load_registry(entry_points=False)
    RULES = {rule.code: rule for selector in FAMILIES[FAMILY] for rule in REGISTRY.match(selector)}

LINTER = Linter([ConfiguredRule(rule, rule.option_defaults()) for rule in RULES.values()], known_rules=REGISTRY)


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    markup = "markdown" if provider.ConsumeBool() else "text"
    text = provider.ConsumeUnicodeNoSurrogates(len(data))
    document = Document(text, markup=markup)
    result = LINTER.lint(document)
    if result.failures:
        raise AssertionError("; ".join(failure.describe() for failure in result.failures))
    length = len(document.text)
    for diagnostic in result.diagnostics:
        spans = [(diagnostic.start, diagnostic.end)]
        spans += [(r.start, r.end) for r in diagnostic.related]
        if diagnostic.fix is not None:
            spans += [(e.start, e.end) for e in diagnostic.fix.edits]
        for start, end in spans:
            assert 0 <= start <= end <= length, f"{diagnostic.code} span {start}-{end} outside 0-{length}"


def main() -> None:
    atheris.Setup(LIBFUZZER_ARGV, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
