"""Shared by the real-editor tests (Neovim, Emacs): not a test module."""

from __future__ import annotations

from copydesk.api import Session

#: Put before a finding on its line: four UTF-8 bytes, two UTF-16 units,
#: one code point, so a column in the wrong unit lands on the wrong character.
EMOJI = "😀 "


def with_emoji_before_a_finding(session: Session, text: str, path: str) -> tuple[str, int]:
    """The text with EMOJI at the start of a line on which a finding still
    starts after it, and where that line starts. Lines are tried in order, as
    inserting the emoji may change what the rules see on a line."""
    report = session.lint_text(text, path=path)
    for finding in report.diagnostics:
        line_start = text.rfind("\n", 0, finding.start) + 1
        if finding.start == line_start:
            continue
        candidate = text[:line_start] + EMOJI + text[line_start:]
        line_end = candidate.find("\n", line_start)
        after = session.lint_text(candidate, path=path).diagnostics
        if any(line_start + len(EMOJI) < d.start < (line_end if line_end >= 0 else len(candidate)) for d in after):
            return candidate, line_start
    raise AssertionError("no finding in the example article starts mid-line")
