"""Regenerate ``src/copydesk/data/proselint_checks.json`` from proselint.

The table lets copydesk *declare* one rule per proselint check path (code,
name, summary, documentation, scope, default) without importing proselint's
registry; proselint is imported only when a check runs.

Codes are stable: a path keeps the code it already has in the table; paths
new to proselint get the next free numbers, in sorted order; codes of paths
proselint dropped are kept as retired and never reused.

    python scripts/make_proselint_table.py          # rewrite the table
    python scripts/make_proselint_table.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import re
import sys
from pathlib import Path

import proselint
import proselint.checks
from proselint.config import DEFAULT
from proselint.registry import CheckRegistry
from proselint.registry.checks import types
from proselint.version import __version__ as PROSELINT_VERSION

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from copydesk.rules.proselint_runner import ProselintRunner  # noqa: E402

TABLE = ROOT / "src" / "copydesk" / "data" / "proselint_checks.json"
CODE_PREFIX = "PL"
# A term we can drop into a sentence as it stands: no regex syntax.
LITERAL_TERM = re.compile(r"^[^\W\d_][^\W\d_ '’\-]*(?:[ '’\-][^\W\d_]+)*\.?$")
EXAMPLE_SENTENCES = (
    "The report said it was {} after all.",
    "{} was what the report said.",
)
# Copy for checks whose patterns are not plain terms. Each pair is checked
# when the table is built: the first must be flagged, the second must not.
HAND_WRITTEN_EXAMPLES: dict[str, tuple[str, str]] = {
    "dates_times.am_pm.lowercase_periods": ("The meeting starts at 9 pm today.", "The meeting starts at 9 p.m. today."),
    "dates_times.am_pm.spacing": ("The meeting starts at 9p.m. today.", "The meeting starts at 9 p.m. today."),
    "dates_times.am_pm.midnight_noon": ("The shop shuts at 12 a.m. on Sundays.", "The shop shuts at midnight on Sundays."),
    "dates_times.dates.decade_apostrophes": ("The band was a hit in the 1980's.", "The band was a hit in the 1980s."),
    "dates_times.dates.dash_and_from": ("The show ran from 1999-2004.", "The show ran from 1999 to 2004."),
    "dates_times.dates.month_year_comma": ("The plant closed in June, 2004.", "The plant closed in June 2004."),
    "dates_times.dates.month_of_year": ("The plant closed in June of 2004.", "The plant closed in June 2004."),
    "industrial_language.bureaucratese": ("We hope the plan meets with your approval.", "We hope you approve of the plan."),
    "lexical_illusions": ("He said the the plan would fail.", "He said the plan would fail."),
    "misc.but": ("But the minister disagreed.", "The minister disagreed."),
    "misc.currency": ("The fee was $10 dollars.", "The fee was $10."),
    "misc.greylist": ("The council will utilize the funds.", "The council will use the funds."),
    "misc.not_guilty": ("He was found not guilty beyond a reasonable doubt.", "He was acquitted."),
    "misc.phrasal_adjectives.ly": ("It was a highly-paid job.", "It was a highly paid job."),
    "misc.suddenly": ("Suddenly, the lights went out.", "The lights went out."),
    "misc.waxed": ("The poet waxed poetically about rain.", "The poet waxed poetic about rain."),
    "psychology.p_equals_zero": ("The effect was significant (p = 0.000).", "The effect was significant (p < 0.001)."),
    "spelling.consistency": (
        "The colour of the flag, the colour of the door and the color of the car.",
        "The colour of the flag, the colour of the door and the colour of the car.",
    ),
    "terms.venery": ("A group of crows gathered on the roof.", "A murder of crows gathered on the roof."),
    "typography.punctuation.misplaced": ("Smith et. al said so.", "Smith et al. said so."),
    "typography.punctuation.exclamation": ("It was huge! It was great!", "It was huge. It was great."),
    "typography.punctuation.hyperbole": ("It was huge!!", "It was huge."),
    "typography.punctuation.spacing": (
        "It rained.  Then it stopped. Then it rained. Then it snowed.",
        "It rained. Then it stopped. Then it rained. Then it snowed.",
    ),
    "typography.symbols.ellipsis": ("He paused... then spoke.", "He paused… then spoke."),
    "typography.symbols.copyright": ("Photograph (c) Reuters.", "Photograph © Reuters."),
    "typography.symbols.trademark": ("It sold the Walkman(tm) worldwide.", "It sold the Walkman™ worldwide."),
    "typography.symbols.sentence_spacing": ("It rained.   Then it stopped.", "It rained. Then it stopped."),
    "typography.symbols.multiplication": ("The room is 10 x 12 metres.", "The room is 10 × 12 metres."),
    "typography.symbols.curly_quotes": ('He called the plan "a disgrace" today.', "He called the plan “a disgrace” today."),
    "uncomparables": ("It was a very unique result.", "It was a unique result."),
    "weasel_words.very": ("It was very cold.", "It was freezing."),
}
METADATA_KEYS = frozenset({"layout", "source", "source_url", "title", "date", "categories"})
FRONT_MATTER = re.compile(r"^---\s*$(.*?)^---\s*$", re.MULTILINE | re.DOTALL)


def defining_modules() -> dict[int, str]:
    """The module that defines each check (the deepest that registers it)."""
    modules: dict[int, str] = {}
    for info in pkgutil.walk_packages(proselint.checks.__path__, "proselint.checks."):
        module = importlib.import_module(info.name)
        for check in getattr(module, "__register__", ()):
            known = modules.get(id(check))
            if known is None or len(info.name) > len(known):
                modules[id(check)] = info.name
    return modules


def parse_docstring(docstring: str) -> dict[str, str]:
    text = (docstring or "").strip()
    fields: dict[str, str] = {}
    match = FRONT_MATTER.search(text)
    if match:
        for line in match.group(1).strip().split("\n"):
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
        before, after = text[: match.start()].strip(), text[match.end() :].strip()
    else:
        before, after = text, ""
    title, _, rest = before.partition("\n")
    body = "\n".join(part for part in (rest.strip(), after) if part)
    # Some modules give their metadata as bare "key: value" lines instead.
    kept = []
    for line in body.split("\n"):
        key, colon, value = line.partition(":")
        if colon and key.strip() in METADATA_KEYS and not key.startswith(" "):
            fields.setdefault(key.strip(), value.strip())
        else:
            kept.append(line)
    body = "\n".join(kept).strip()
    # A body that only repeats the title says nothing new.
    if body.strip().rstrip(".").lower() == title.strip().rstrip(".").lower():
        body = ""
    return {
        "title": title.strip(),
        "body": _no_headings(body),
        "source": _known(fields.get("source", "")),
        "source_url": _known(fields.get("source_url", "")),
    }


def _known(value: str) -> str:
    # proselint writes "???" where it does not know a source.
    return "" if set(value) <= {"?"} else value


def _no_headings(text: str) -> str:
    # A line starting with '#' would read as a section heading in the docs.
    return "\n".join("\\" + line if line.lstrip().startswith("#") else line for line in text.split("\n"))


def template(message: str) -> str:
    return message.replace("{}", "…").strip()


def example_pair(runner: ProselintRunner, path: str, checks) -> tuple[str, str]:
    """A sentence the check flags and, where proselint names one, its fix."""
    if path in HAND_WRITTEN_EXAMPLES:
        flagged, corrected = HAND_WRITTEN_EXAMPLES[path]
        if runner.results(path, flagged) and not runner.results(path, corrected):
            return flagged, corrected
        print(f"warning: the hand-written example for {path} does not work", file=sys.stderr)
    fallback = ("", "")
    for check in checks:
        check_type = check.check_type
        if isinstance(check_type, (types.PreferredForms, types.PreferredFormsSimple)):
            candidates = list(check_type.items.items())
        elif isinstance(check_type, types.Existence):
            candidates = [(item, "") for item in check_type.items]
        elif isinstance(check_type, types.ExistenceSimple):
            candidates = [(check_type.pattern, "")]
        else:
            continue
        for term, replacement in candidates:
            if not LITERAL_TERM.match(term) or (replacement and not LITERAL_TERM.match(replacement)):
                continue
            for sentence in EXAMPLE_SENTENCES:
                flagged = _sentence(sentence, term)
                if not runner.results(path, flagged):
                    continue
                corrected = _sentence(sentence, replacement) if replacement else ""
                if corrected and runner.results(path, corrected):
                    fallback = fallback if fallback[0] else (flagged, "")
                    continue
                return flagged, corrected
    return fallback


def _sentence(sentence: str, term: str) -> str:
    text = sentence.format(term)
    return text[0].upper() + text[1:] if sentence.startswith("{}") else text


def build(existing: dict) -> dict:
    registry_checks = proselint.checks.__register__
    registry = CheckRegistry()
    registry.register_many(registry_checks)
    enabled_ids = {id(check) for check in registry.get_all_enabled(DEFAULT["checks"])}
    modules = defining_modules()
    runner = ProselintRunner(registry_checks)

    by_path: dict[str, list] = {}
    for check in registry_checks:
        by_path.setdefault(check.path, []).append(check)

    codes = {entry["path"]: entry["code"] for entry in existing.get("checks", ())}
    codes.update(existing.get("retired", {}))
    numbers = [int(code[len(CODE_PREFIX) :]) for code in codes.values()]
    next_number = max(numbers, default=0) + 1
    for path in sorted(by_path):
        if path not in codes:
            codes[path] = f"{CODE_PREFIX}{next_number:03d}"
            next_number += 1

    module_paths: dict[str, set[str]] = {}
    for path, checks in by_path.items():
        for check in checks:
            module_paths.setdefault(modules[id(check)], set()).add(path)

    entries = []
    for path, checks in by_path.items():
        module_name = modules[id(checks[0])]
        doc = parse_docstring(importlib.import_module(module_name).__doc__ or "")
        message = template(checks[0].message)
        shared_module = len(module_paths[module_name]) > 1
        document_wide = any(
            isinstance(c.check_type, types.Consistency) or c.flags.ppm_threshold for c in checks
        )
        example, use_instead = example_pair(runner, path, checks)
        entries.append(
            {
                "code": codes[path],
                "path": path,
                "summary": message if shared_module or not doc["title"] else doc["title"],
                "message": message,
                "title": doc["title"],
                "explanation": doc["body"],
                "source": doc["source"],
                "source_url": doc["source_url"],
                "scope": "document" if document_wide else "paragraph",
                "enabled": all(id(c) in enabled_ids for c in checks),
                "allows_quotes": any(c.flags.allow_quotes for c in checks),
                "example": example,
                "use_instead": use_instead,
            }
        )
    entries.sort(key=lambda entry: entry["code"])
    retired = {path: code for path, code in codes.items() if path not in by_path}
    return {
        "generated_by": "scripts/make_proselint_table.py",
        "proselint_version": PROSELINT_VERSION,
        "checks": entries,
        "retired": dict(sorted(retired.items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the table is out of date")
    args = parser.parse_args()
    existing = json.loads(TABLE.read_text(encoding="utf-8")) if TABLE.exists() else {}
    table = build(existing)
    rendered = json.dumps(table, indent=1, ensure_ascii=False) + "\n"
    if args.check:
        current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
        if current != rendered:
            print(f"{TABLE} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(rendered, encoding="utf-8")
    print(f"wrote {len(table['checks'])} checks to {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
