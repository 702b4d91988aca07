"""The rule model: what a rule is called, what it checks, how it is tuned."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal, Mapping

from copydesk.diagnostics import Finding, Severity

if TYPE_CHECKING:
    from copydesk.document import Document

Check = Callable[["Document", Mapping[str, Any]], Iterable[Finding]]
Scope = Literal["document", "paragraph", "run"]

CODE_PATTERN = re.compile(r"^[A-Z]{1,5}[0-9]{1,5}$")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:[-._][a-z0-9]+)*$")

_OPTION_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "str": (str,),
    "list": (list, tuple),
}


@dataclass(frozen=True)
class Option:
    """A setting of one rule, set under ``[tool.copydesk.rules.<rule>]``."""

    name: str
    default: Any
    description: str
    type: Literal["int", "float", "bool", "str", "list"] = "int"
    minimum: float | None = None

    def coerce(self, value: Any) -> Any:
        """Validate a configured value; raise ``ValueError`` saying why not."""
        expected = _OPTION_TYPES[self.type]
        if isinstance(value, bool) and self.type in ("int", "float"):
            raise ValueError(f"option {self.name!r} must be {self.type}, not a boolean")
        if not isinstance(value, expected):
            raise ValueError(f"option {self.name!r} must be {self.type}, not {type(value).__name__}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"option {self.name!r} must be at least {self.minimum}, got {value}")
        if self.type == "float":
            return float(value)
        if self.type == "list":
            return tuple(value)
        return value


@dataclass(frozen=True)
class Rule:
    """One check, with the metadata that documents and configures it.

    ``scope="paragraph"`` declares that the check looks at one paragraph at a
    time: the engine then hands it each paragraph as a document of its own
    and caches the findings by the paragraph's text, so re-linting after an
    edit re-runs it only on paragraphs that changed. ``scope="run"`` marks a
    rule whose findings come from comparing the files of a whole run (CD202):
    it is selected, configured and documented like any rule, but the engine
    does not call its check on single documents.
    """

    code: str
    name: str
    summary: str
    check: Check
    severity: Severity = Severity.WARNING
    documentation: str = ""
    options: tuple[Option, ...] = ()
    scope: Scope = "document"
    enabled_by_default: bool = True
    #: A family of rules selectable by one word (e.g. ``proselint``).
    group: str | None = None
    #: Filled in by the plugin manager: the plugin that registered the rule.
    plugin: str = ""

    def __post_init__(self) -> None:
        if not CODE_PATTERN.match(self.code):
            raise ValueError(f"rule code {self.code!r} must be 1-5 capital letters then 1-5 digits")
        if not NAME_PATTERN.match(self.name):
            raise ValueError(f"rule name {self.name!r} must be lower-case words joined by '-'")

    def option_defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}

    def with_plugin(self, plugin: str) -> "Rule":
        return replace(self, plugin=plugin)


def rule(
    code: str,
    name: str,
    summary: str,
    *,
    severity: Severity | str = Severity.WARNING,
    options: Iterable[Option] = (),
    scope: Scope = "document",
    enabled_by_default: bool = True,
    group: str | None = None,
) -> Callable[[Check], Rule]:
    """Turn a check function into a :class:`Rule`; its docstring is its documentation."""

    def make(check: Check) -> Rule:
        return Rule(
            code=code,
            name=name,
            summary=summary,
            check=check,
            severity=Severity.parse(severity),
            documentation=inspect.cleandoc(check.__doc__ or ""),
            options=tuple(options),
            scope=scope,
            enabled_by_default=enabled_by_default,
            group=group,
        )

    return make


@dataclass(frozen=True)
class ConfiguredRule:
    """A rule as one lint will run it: options resolved, severity decided."""

    rule: Rule
    options: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity | None = None

    @property
    def effective_severity(self) -> Severity:
        return self.severity or self.rule.severity

    @cached_property
    def cache_key(self) -> tuple[Any, ...]:
        """The rule and its option values: what its findings on a text depend on.

        Computed once: the engine looks it up for every paragraph, and the
        options of a configured rule do not change.
        """
        return (self.rule.code, tuple(sorted((k, _hashable(v)) for k, v in self.options.items())))


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value
