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

from copydesk.diagnostics import Edit, Finding, Fix, Related, Severity
from copydesk.plugin.hookspecs import ENTRY_POINT_GROUP, PROJECT_NAME, hookimpl, hookspec
from copydesk.plugin.rule import Option, Rule, rule

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
