"""Loading plugins and collecting their rules into one registry.

Entry points are loaded one by one and each hook implementation is called
on its own, so a plugin that fails to import or to declare its rules is
reported by name (:attr:`RuleRegistry.load_errors`) and the others load.

When no distribution declares a ``copydesk.plugins`` entry point and no
plugin is passed in, only the built-in plugins' hooks are called, directly
and in the order pluggy would call them: importing pluggy and building a
plugin manager for them alone is most of the cost of loading the rules.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from copydesk._record import Record, set_field
from copydesk.plugin._names import ENTRY_POINT_GROUP
from copydesk.plugin.rule import Rule

if TYPE_CHECKING:
    import pluggy

#: Modules registered before any entry point, through the same hooks.
BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (
    ("copydesk", "copydesk.rules"),
    ("copydesk-proselint", "copydesk.rules.proselint_rules"),
)


class PluginLoadError(Record):
    """A plugin that could not be imported or whose rules could not be read."""

    __slots__ = ("plugin", "reason")
    plugin: str
    reason: str

    def __init__(self, plugin: str, reason: str) -> None:
        set_field(self, "plugin", plugin)
        set_field(self, "reason", reason)

    def describe(self) -> str:
        return f"plugin {self.plugin!r} could not be loaded: {self.reason}"


class RuleRegistry:
    """Every known rule, by code and by name, in code order."""

    def __init__(self, rules: dict[str, Rule] | None = None, load_errors: list[PluginLoadError] | None = None) -> None:
        self.rules: dict[str, Rule] = {} if rules is None else rules
        self.load_errors: list[PluginLoadError] = [] if load_errors is None else load_errors
        self._by_name: dict[str, Rule] = {rule.name: rule for rule in self.rules.values()}

    def add(self, rule: Rule) -> None:
        clash = self.rules.get(rule.code) or self._by_name.get(rule.name)
        if clash is not None:
            self.load_errors.append(
                PluginLoadError(
                    rule.plugin,
                    f"rule {rule.code} [{rule.name}] clashes with {clash.code} [{clash.name}] "
                    f"from plugin {clash.plugin!r}; it was not registered",
                )
            )
            return
        self.rules[rule.code] = rule
        self._by_name[rule.name] = rule

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self.rules.values(), key=lambda r: _code_sort_key(r.code)))

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, code_or_name: str) -> Rule | None:
        return self.rules.get(code_or_name.upper()) or self._by_name.get(code_or_name)

    @property
    def groups(self) -> set[str]:
        return {r.group for r in self.rules.values() if r.group}

    def match(self, selector: str) -> list[Rule]:
        """Rules a selector names: ``ALL``, a code, a code prefix, a name, a
        dotted name prefix or a group (see :mod:`copydesk.selection`)."""
        from copydesk.selection import specificity

        return [rule for rule in self if specificity(selector, rule, self) is not None]


def _code_sort_key(code: str) -> tuple[str, int]:
    letters = code.rstrip("0123456789")
    return letters, int(code[len(letters) :] or 0)


def _plugin_name(manager: pluggy.PluginManager, plugin: object) -> str:
    return manager.get_name(plugin) or getattr(plugin, "__name__", repr(plugin))


def create_manager(*, entry_points: bool = True, extra_plugins: Iterable[object] = ()) -> tuple[pluggy.PluginManager, list[PluginLoadError]]:
    import pluggy

    from copydesk.plugin import hookspecs

    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    errors: list[PluginLoadError] = []
    for name, module_name in BUILTIN_PLUGINS:
        module = importlib.import_module(module_name)
        hookspecs.hookimpl(module.copydesk_rules)  # see copydesk.rules: not marked at import
        manager.register(module, name=name)
    for plugin in extra_plugins:
        manager.register(plugin)
    if entry_points:
        errors.extend(_load_entry_points(manager))
    return manager, errors


def _load_entry_points(manager: pluggy.PluginManager) -> Iterator[PluginLoadError]:
    if not distributions_may_declare(ENTRY_POINT_GROUP):
        return
    from importlib.metadata import entry_points

    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        name = entry_point.name
        if entry_point.dist is not None:
            name = f"{entry_point.dist.name}:{entry_point.name}"
        if manager.get_plugin(name) is not None or manager.is_blocked(name):
            continue
        try:
            plugin = entry_point.load()
            manager.register(plugin, name=name)
        except Exception as error:  # a broken plugin must not stop the run
            yield PluginLoadError(name, f"{type(error).__name__}: {error}")


def distributions_may_declare(group: str) -> bool:
    """Whether an installed distribution may declare entry points in ``group``.

    False only when no ``entry_points.txt`` of a distribution on ``sys.path``
    mentions the group, which is read straight from the ``*.dist-info`` and
    ``*.egg-info`` directories, where importlib.metadata looks: about a
    millisecond, where importing importlib.metadata and parsing every
    distribution's metadata costs tens. Anything this scan cannot read as
    importlib.metadata would (a zip on ``sys.path``, a finder of
    distributions other than the standard one) answers True, so the full
    lookup decides.
    """
    if any(_finds_distributions_elsewhere(finder) for finder in sys.meta_path):
        return True
    needle = group.encode("utf-8")
    for entry in sys.path:
        if not isinstance(entry, str):
            return True
        root = entry or "."
        base_is_egg = os.path.basename(root).lower().endswith(".egg")
        try:
            children = os.scandir(root)
        except NotADirectoryError:
            return True  # a zip file or egg: importlib.metadata reads inside it
        except OSError:
            continue  # missing or unreadable: importlib.metadata finds nothing there either
        with children:
            for child in children:
                name = child.name.lower()
                if not (name.endswith((".dist-info", ".egg-info")) or (base_is_egg and name == "egg-info")):
                    continue
                try:
                    with open(os.path.join(child.path, "entry_points.txt"), "rb") as handle:
                        if needle in handle.read():
                            return True
                except OSError:
                    continue  # no entry points (or a one-file egg-info)
    return False


def _finds_distributions_elsewhere(finder: object) -> bool:
    from importlib.machinery import PathFinder

    if finder is PathFinder or not callable(getattr(finder, "find_distributions", None)):
        return False
    # The importlib_metadata backport, once imported, adds a finder reading
    # the same sys.path directories as the standard one.
    kind = type(finder)
    return not (kind.__name__ == "MetadataPathFinder" and kind.__module__.partition(".")[0] == "importlib_metadata")


def load_registry(*, entry_points: bool = True, extra_plugins: Iterable[object] = ()) -> RuleRegistry:
    """Load every plugin and collect the rules each one declares."""
    extra_plugins = list(extra_plugins)
    errors: list[PluginLoadError]
    implementations: list[tuple[str, Callable[[], Iterable[object]]]]
    if extra_plugins or (entry_points and distributions_may_declare(ENTRY_POINT_GROUP)):
        manager, errors = create_manager(entry_points=entry_points, extra_plugins=extra_plugins)
        implementations = [
            (_plugin_name(manager, implementation.plugin), implementation.function)
            for implementation in manager.hook.copydesk_rules.get_hookimpls()
        ]
    else:
        # Only the built-in plugins, in the order pluggy calls them.
        errors = []
        implementations = [
            (name, importlib.import_module(module_name).copydesk_rules) for name, module_name in BUILTIN_PLUGINS
        ]
    registry = RuleRegistry(load_errors=errors)
    # Call implementations one at a time so one failing plugin is isolated.
    for name, function in implementations:
        try:
            declared = list(function())
        except Exception as error:
            registry.load_errors.append(PluginLoadError(name, f"copydesk_rules() raised {type(error).__name__}: {error}"))
            continue
        for rule in declared:
            if not isinstance(rule, Rule):
                registry.load_errors.append(
                    PluginLoadError(name, f"copydesk_rules() returned {type(rule).__name__}, not a Rule")
                )
                continue
            registry.add(rule.with_plugin(name))
    return registry
