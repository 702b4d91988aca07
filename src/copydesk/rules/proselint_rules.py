"""proselint's checks as copydesk rules: the built-in plugin ``copydesk-proselint``.

Every check path of proselint (``typography.symbols.curly_quotes``, ...) is
one rule: its own ``PL`` code, the path as its name, group ``proselint``.
The rules are declared from a generated table
(``copydesk/data/proselint_checks.json``, rebuilt by
``scripts/make_proselint_table.py``), so listing or configuring them never
imports proselint; it is imported the first time a check runs.

Most checks look at one paragraph at a time and are declared with
``scope="paragraph"``: the engine caches their findings by paragraph text.
The few whose result depends on the whole text (consistency of spelling or
spacing, exclamations per million characters) run on the whole document.

Run per paragraph, the checks report what proselint reports on each
paragraph on its own, at the same characters. Over a whole file that
differs from ``proselint check`` only where proselint reaches across a
paragraph break: a headline word repeated at the start of the next
paragraph is not a lexical illusion here, quotation marks pair within a
paragraph, a straight-quoted span never runs from one paragraph into the
next, and a word in one paragraph ("resume") no longer makes proselint flag
look-alikes in another ("resumes", which its RE2 sets match without word
boundaries once the word itself occurs). On 1 MB of BBC News copy all of
proselint's extra findings were of these kinds, and all were false alarms.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from copydesk.diagnostics import Edit, Finding, Fix, Severity
from copydesk.plugin import Rule

GROUP = "proselint"
TABLE_PATH = Path(__file__).resolve().parent.parent / "data" / "proselint_checks.json"


@lru_cache(maxsize=1)
def check_table() -> dict[str, Any]:
    """The generated description of proselint's checks (no proselint import)."""
    return json.loads(TABLE_PATH.read_text(encoding="utf-8"))


_runner: Any = None


def _findings(path: str, text: str, whole_document: bool) -> list[Finding]:
    global _runner
    if _runner is None:
        # The first check to run pays for importing proselint, not the CLI.
        from copydesk.rules.proselint_runner import shared_runner

        _runner = shared_runner()
    return [
        Finding(result.start, result.end, result.message, fix=_fix(text, result.start, result.end, result.replacement))
        for result in _runner.results(path, text, whole_document=whole_document)
    ]


def _prose(document: Any) -> str:
    # For plain text, prose differs from the text only where "<!--" comments
    # are blanked; skipping the blanking pass matters because the engine
    # hands every paragraph to every PL rule as a fresh document.
    text: str = document.text
    if document.markup == "text" and "<!--" not in text:
        return text
    return document.prose


def _fix(text: str, start: int, end: int, replacement: str | None) -> Fix | None:
    flagged = text[start:end]
    if not replacement or not flagged or flagged != flagged.strip() or flagged == replacement:
        return None
    # "Cafe" -> "Café", but a fix that is only about case is kept as it is.
    if flagged[0].isupper() and replacement[0].islower() and flagged.lower() != replacement.lower():
        replacement = replacement[0].upper() + replacement[1:]
    return Fix(f"Replace with '{replacement}'", (Edit(start, end, replacement),))


def _check_for(path: str, scope: str):
    whole_document = scope == "document"

    def check(document: Any, options: Mapping[str, Any]) -> list[Finding]:
        return _findings(path, _prose(document), whole_document)

    check.__name__ = check.__qualname__ = f"proselint_{path.replace('.', '_')}"
    return check


def documentation(entry: Mapping[str, Any], proselint_version: str) -> str:
    """A rule page in copydesk's documentation format, from proselint's metadata."""
    path = entry["path"]
    what = [f"Runs proselint's `{path}` check (proselint {proselint_version}) and reports:", f"> {entry['message']}"]
    if entry["title"] and entry["title"] != entry["message"]:
        what.insert(0, entry["title"])
    if entry["scope"] == "document":
        what.append("The check weighs the whole document, so it runs on the document as a whole.")
    if not entry["allows_quotes"]:
        what.append("As in proselint, text inside quotation marks is not checked.")
    why = [entry["explanation"] or entry["message"]]
    if entry["source"]:
        source = entry["source"]
        url = entry["source_url"] or ""
        if url.startswith("bit.ly/"):  # proselint writes some short links without a scheme
            url = f"https://{url}"
        if url.startswith(("http://", "https://")):  # "unknown" and the like are not links
            source = f"[{source}]({url})"
        why.append(f"Source: {source}.")
    if entry["example"]:
        example = f"```text\n{entry['example']}\n```"
    else:
        example = "proselint's patterns for this check give no reliable example sentence."
    if entry["use_instead"]:
        use_instead = f"```text\n{entry['use_instead']}\n```"
    else:
        use_instead = "Reword the passage; proselint suggests no replacement for this check."
    return "\n".join(
        [
            f"proselint's `{path}` check as a copydesk rule.",
            "",
            "## What it does",
            "\n\n".join(what),
            "",
            "## Why is this bad?",
            "\n\n".join(why),
            "",
            "## Example",
            example,
            "",
            "## Use instead",
            use_instead,
            "",
        ]
    )


@lru_cache(maxsize=1)
def proselint_rules() -> tuple[Rule, ...]:
    table = check_table()
    version = table["proselint_version"]
    return tuple(
        Rule(
            code=entry["code"],
            name=entry["path"],
            summary=entry["summary"],
            check=_check_for(entry["path"], entry["scope"]),
            # proselint 0.16 has no levels of its own: every check warns.
            severity=Severity.WARNING,
            documentation=documentation(entry, version),
            scope=entry["scope"],
            enabled_by_default=entry["enabled"],
            group=GROUP,
        )
        for entry in table["checks"]
    )


def copydesk_rules() -> list[Rule]:
    # A hook implementation, marked when registered: see copydesk.rules.
    return list(proselint_rules())
