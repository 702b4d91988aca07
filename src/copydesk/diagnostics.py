"""What rules report, and what the engine hands to every output.

A rule yields :class:`Finding` objects -- spans and messages in offsets of
the document it was given. The engine validates them, attaches the rule's
code, name and severity, and turns them into :class:`Diagnostic` objects.
Outputs derive lines and columns from the offsets through the document's
:class:`~copydesk.positions.LineIndex`; nothing else computes positions.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Severity(enum.IntEnum):
    """How serious a finding is; higher is worse. Values sort naturally."""

    HINT = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str

    def shifted(self, delta: int) -> "Edit":
        return replace(self, start=self.start + delta, end=self.end + delta)


@dataclass(frozen=True, slots=True)
class Fix:
    """A suggested correction: one or more non-overlapping edits."""

    message: str
    edits: tuple[Edit, ...]

    def shifted(self, delta: int) -> "Fix":
        return replace(self, edits=tuple(edit.shifted(delta) for edit in self.edits))


@dataclass(frozen=True, slots=True)
class Related:
    """Another place in the same document that explains a finding."""

    start: int
    end: int
    message: str

    def shifted(self, delta: int) -> "Related":
        return replace(self, start=self.start + delta, end=self.end + delta)


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule's check yields: a span of the document and why it is wrong."""

    start: int
    end: int
    message: str
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    #: Overrides the rule's severity for this one finding, if set.
    severity: Severity | None = None

    def shifted(self, delta: int) -> "Finding":
        if not delta:
            return self
        return replace(
            self,
            start=self.start + delta,
            end=self.end + delta,
            related=tuple(r.shifted(delta) for r in self.related),
            fix=self.fix.shifted(delta) if self.fix else None,
        )


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding attributed to its rule, ready for any output format."""

    code: str
    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    related: tuple[Related, ...] = ()
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.code)


@dataclass(frozen=True, slots=True)
class RuleFailure:
    """A rule that raised or returned something that is not a finding."""

    plugin: str
    code: str
    rule: str
    reason: str

    def describe(self) -> str:
        return f"rule {self.code} [{self.rule}] from plugin {self.plugin!r} failed: {self.reason}"


@dataclass(slots=True)
class LintResult:
    """Everything one lint of one document produced."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    failures: list[RuleFailure] = field(default_factory=list)
