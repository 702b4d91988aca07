"""Everything a plugin author needs: the hook markers and the rule model.

Example::

    from copydesk.plugin import Finding, hookimpl, rule

    @rule("NWS101", "spelled-out-percent", "Write 'per cent', not '%'.")
    def spelled_out_percent(doc, options):
        '''## What it does ...'''
        for match in PERCENT.finditer(doc.prose):
            yield Finding(match.start(), match.end(), "write 'per cent'")

    @hookimpl
    def copydesk_rules():
        return [spelled_out_percent]
"""

from typing import TYPE_CHECKING, Any

from copydesk.diagnostics import Edit, Finding, Fix, Related, Severity
from copydesk.plugin._names import ENTRY_POINT_GROUP, PROJECT_NAME
from copydesk.plugin.rule import Option, Rule, rule

if TYPE_CHECKING:
    from copydesk.plugin.hookspecs import hookimpl, hookspec


def __getattr__(name: str) -> Any:
    # The hook markers come from pluggy, which a run with only the built-in
    # plugins never imports (it costs start-up time); plugins get them here.
    if name in ("hookimpl", "hookspec"):
        from copydesk.plugin import hookspecs

        return getattr(hookspecs, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ENTRY_POINT_GROUP",
    "PROJECT_NAME",
    "Edit",
    "Finding",
    "Fix",
    "Option",
    "Related",
    "Rule",
    "Severity",
    "hookimpl",
    "hookspec",
    "rule",
]
