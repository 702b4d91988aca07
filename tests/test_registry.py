from __future__ import annotations

import pytest

from copydesk.plugin import Finding, hookimpl, rule
from copydesk.plugin.manager import load_registry


@rule("NWS101", "per-cent", "Write 'per cent'.", group="house")
def per_cent(doc, options):
    """Flags '%'."""
    for index, char in enumerate(doc.prose):
        if char == "%":
            yield Finding(index, index + 1, "write 'per cent'")


@rule("NWS102", "no-whom", "Avoid 'whom'.", group="house")
def no_whom(doc, options):
    """Flags nothing."""
    return []


class HousePlugin:
    @hookimpl
    def copydesk_rules(self):
        return [per_cent, no_whom]


class BrokenPlugin:
    @hookimpl
    def copydesk_rules(self):
        raise RuntimeError("cannot declare")


class ClashingPlugin:
    @hookimpl
    def copydesk_rules(self):
        return [rule("NWS101", "another-name", "clash")(lambda doc, options: [])]


class GarbagePlugin:
    @hookimpl
    def copydesk_rules(self):
        return ["not a rule"]


def test_plugin_rules_are_registered_with_the_plugin_name() -> None:
    registry = load_registry(entry_points=False, extra_plugins=[HousePlugin()])
    assert registry.get("NWS101") is not None
    assert registry.get("nws101") is registry.get("per-cent")
    assert registry.get("per-cent").plugin


@pytest.mark.parametrize(
    ("selector", "codes"),
    [
        ("NWS101", ["NWS101"]),
        ("per-cent", ["NWS101"]),
        ("NWS", ["NWS101", "NWS102"]),
        ("NWS10", ["NWS101", "NWS102"]),
        ("house", ["NWS101", "NWS102"]),
        ("nosuch", []),
    ],
)
def test_selectors_name_codes_prefixes_names_and_groups(selector: str, codes: list[str]) -> None:
    registry = load_registry(entry_points=False, extra_plugins=[HousePlugin()])
    assert [r.code for r in registry.match(selector)] == codes


def test_all_selects_every_rule() -> None:
    registry = load_registry(entry_points=False, extra_plugins=[HousePlugin()])
    assert len(registry.match("ALL")) == len(registry)


def test_a_plugin_that_fails_to_declare_rules_is_reported_and_others_load() -> None:
    registry = load_registry(entry_points=False, extra_plugins=[BrokenPlugin(), HousePlugin()])
    assert registry.get("NWS101") is not None
    assert any("cannot declare" in error.describe() for error in registry.load_errors)


def test_clashing_codes_and_non_rules_are_reported_not_registered() -> None:
    registry = load_registry(entry_points=False, extra_plugins=[HousePlugin(), ClashingPlugin(), GarbagePlugin()])
    assert registry.get("another-name") is None
    messages = " | ".join(error.describe() for error in registry.load_errors)
    assert "clashes with NWS101" in messages
    assert "returned str, not a Rule" in messages


def test_rule_codes_and_names_are_validated() -> None:
    with pytest.raises(ValueError, match="code"):
        rule("cd-1", "fine-name", "x")(lambda doc, options: [])
    with pytest.raises(ValueError, match="name"):
        rule("CD999", "Not A Name", "x")(lambda doc, options: [])


def test_a_dotted_name_prefix_selects_a_family_of_proselint_checks() -> None:
    registry = load_registry(entry_points=False)
    typography = registry.match("typography")
    assert typography
    assert all(r.name.startswith("typography.") for r in typography)
    assert registry.match("typography.symbols") == [r for r in typography if r.name.startswith("typography.symbols.")]
    assert registry.match("typo") == []
