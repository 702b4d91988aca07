"""Which rules run, with which options and severity (flake8's semantics).

* With no ``select``, the rules enabled by default are selected
  (implicitly); ``select`` replaces that set, ``extend-select`` adds to it.
* Explicit beats implicit: an ignored rule that was only selected by
  default is off; a rule named in ``extend-select`` runs even if it is off
  by default.
* A rule both selected and ignored explicitly goes to the more specific
  selector: a code or name beats any code prefix or dotted name prefix
  (``typography`` for ``typography.symbols.curly_quotes``), a longer prefix
  beats a shorter one, any prefix beats a group (``proselint``), a group
  beats ``ALL``. On a tie, ignore wins.
* A rule that is off by default runs only when selected by its code or
  name: ``ALL``, a group or a prefix does not turn it on.
* ``per-file-ignores`` switch rules off for matching files whatever was
  selected.

The decision is made once per configuration, before any text is read, so a
disabled rule costs nothing. Every selector, severity entry and option is
checked against the registry and what names no rule is reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from copydesk.config import ConfigProblem, Settings, _CfgText, _split_list
from copydesk.diagnostics import Severity
from copydesk.plugin.rule import ConfiguredRule, Option, Rule

if TYPE_CHECKING:
    from copydesk.plugin.manager import RuleRegistry

_EXACT = 10_000
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class Selection:
    """The rules one configuration runs, and what was wrong with it."""

    def __init__(self, rules: list[ConfiguredRule] | None = None, problems: list[ConfigProblem] | None = None) -> None:
        self.rules: list[ConfiguredRule] = [] if rules is None else rules
        self.problems: list[ConfigProblem] = [] if problems is None else problems

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(configured.rule.code for configured in self.rules)


def specificity(selector: str, rule: Rule, registry: "RuleRegistry") -> int | None:
    """How specifically ``selector`` names ``rule``, or None if it does not."""
    selector = selector.strip()
    if not selector:
        return None
    if selector.upper() == "ALL":
        return 0
    if selector.upper() == rule.code or selector == rule.name:
        return _EXACT
    exact = registry.get(selector)
    if exact is not None:
        return None  # names another rule exactly
    if rule.group is not None and selector == rule.group:
        return 1
    upper = selector.upper()
    if upper[:1].isalpha() and upper.isalnum() and rule.code.startswith(upper):
        return 1 + len(upper)
    if rule.name.startswith(selector + "."):
        return 1 + len(selector)  # a dotted family of names: "typography"
    return None


def _best(selectors: Iterable[str], rule: Rule, registry: "RuleRegistry") -> int | None:
    best: int | None = None
    for selector in selectors:
        score = specificity(selector, rule, registry)
        if score is not None and (best is None or score > best):
            best = score
    return best


def is_selected(
    rule: Rule,
    settings: Settings,
    registry: "RuleRegistry",
    extra_ignores: Iterable[str] = (),
) -> bool:
    """Whether ``rule`` runs under ``settings`` (plus per-file ``extra_ignores``)."""
    if _best(extra_ignores, rule, registry) is not None:
        return False
    explicit = tuple(settings.select or ()) + settings.extend_select
    selected = _best(explicit, rule, registry)
    ignored = _best(settings.ignore + settings.extend_ignore, rule, registry)
    if selected is not None and not rule.enabled_by_default and selected < _EXACT:
        # Rules off by default (proselint's word-frequency checks flag most
        # words) are turned on only by name, never swept in by a group,
        # prefix or ALL.
        selected = None
    if selected is not None and ignored is not None:
        return selected > ignored
    if selected is not None:
        return True
    if ignored is not None:
        return False
    return settings.select is None and rule.enabled_by_default


def severity_for(rule: Rule, settings: Settings, registry: "RuleRegistry") -> Severity | None:
    """The configured severity of ``rule``: the most specific entry wins,
    the later one on a tie; None keeps the rule's own."""
    chosen: Severity | None = None
    chosen_score = -1
    for selector, level in settings.severity:
        score = specificity(selector, rule, registry)
        if score is not None and score >= chosen_score:
            try:
                chosen = Severity.parse(level)
            except ValueError:
                continue  # reported when the settings were read
            chosen_score = score
    return chosen


def coerce_option(option: Option, value: Any) -> Any:
    """A configured option value in its declared type; ``ValueError`` if it
    is not one. Text from setup.cfg is converted first."""
    if isinstance(value, _CfgText):
        value = _from_text(option, str(value))
    return option.coerce(value)


def _from_text(option: Option, text: str) -> Any:
    text = text.strip()
    try:
        if option.type == "int":
            return int(text)
        if option.type == "float":
            return float(text)
    except ValueError:
        raise ValueError(f"option {option.name!r} must be {option.type}, not {text!r}") from None
    if option.type == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(f"option {option.name!r} must be true or false, not {text!r}")
    if option.type == "list":
        return _split_list(text)
    return text


def _find_option(rule: Rule, name: str) -> Option | None:
    wanted = name.strip().replace("-", "_")
    for option in rule.options:
        if option.name.replace("-", "_") == wanted:
            return option
    return None


def rule_options(rule: Rule, settings: Settings, problems: list[ConfigProblem] | None = None) -> dict[str, Any]:
    """The rule's option defaults with the configured values laid over them."""
    values = rule.option_defaults()
    for rule_key, configured in settings.rule_options:
        if rule_key.upper() != rule.code and rule_key != rule.name:
            continue
        for name, value in configured:
            option = _find_option(rule, name)
            if option is None:
                if problems is not None:
                    problems.append(ConfigProblem(settings.label, _unknown_option(rule, rule_key, name)))
                continue
            try:
                values[option.name] = coerce_option(option, value)
            except ValueError as error:
                if problems is not None:
                    problems.append(ConfigProblem(settings.label, f"rules.{rule_key}: {error}"))
    return values


def _unknown_option(rule: Rule, rule_key: str, name: str) -> str:
    known = ", ".join(option.name for option in rule.options)
    choices = f"its options are {known}" if known else "it has no options"
    return f"rules.{rule_key}: {rule.code} [{rule.name}] has no option {name!r} ({choices})"


def check_selectors(settings: Settings, registry: "RuleRegistry") -> list[ConfigProblem]:
    """A problem for each selector, severity entry or rules table naming no rule."""
    problems: list[ConfigProblem] = []

    def check(selector: str, attribute: str, where: str) -> None:
        if not registry.match(selector):
            message = f"{where}: {selector!r} matches no known rule{_hint(selector, registry)}"
            problems.append(ConfigProblem(settings.label_for(attribute), message))

    for attribute in ("select", "ignore", "extend_select", "extend_ignore"):
        for selector in getattr(settings, attribute) or ():
            check(selector, attribute, attribute.replace("_", "-"))
    for pattern, selectors in settings.per_file_ignores:
        for selector in selectors:
            check(selector, "per_file_ignores", f"per-file-ignores[{pattern!r}]")
    for selector, _level in settings.severity:
        check(selector, "severity", "severity")
    for rule_key, _values in settings.rule_options:
        if registry.get(rule_key) is None:
            message = f"rules.{rule_key}: no rule has that code or name{_hint(rule_key, registry)}"
            problems.append(ConfigProblem(settings.label, message))
    return problems


def _hint(selector: str, registry: "RuleRegistry") -> str:
    import difflib

    names = [rule.name for rule in registry] + [rule.code for rule in registry]
    close = difflib.get_close_matches(selector, names, n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def resolve(
    settings: Settings,
    registry: "RuleRegistry",
    *,
    extra_ignores: Iterable[str] = (),
) -> Selection:
    """The configured rules ``settings`` select, in code order, and every
    problem found in the settings."""
    extra_ignores = tuple(extra_ignores)
    selection = Selection(problems=list(settings.problems))
    selection.problems.extend(check_selectors(settings, registry))
    for rule in registry:
        # Options are validated for every rule named, selected or not, so a
        # typo is reported even while the rule is switched off.
        options = rule_options(rule, settings, selection.problems)
        if not is_selected(rule, settings, registry, extra_ignores):
            continue
        selection.rules.append(
            ConfiguredRule(rule=rule, options=options, severity=severity_for(rule, settings, registry))
        )
    return selection


def parse_selectors(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Selectors as given on a command line: ``"CD101,proselint"`` or a list."""
    if value is None:
        return None
    if isinstance(value, str):
        return tuple(_split_list(value))
    items: list[str] = []
    for item in value:
        items.extend(_split_list(item))
    return tuple(items)
