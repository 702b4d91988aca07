"""The hooks a copydesk plugin implements (pluggy project name ``copydesk``).

A plugin is any module or object with functions marked ``@hookimpl``.
Built-in rules are registered through these same hooks; third-party
packages are found through the ``copydesk.plugins`` entry-point group::

    [options.entry_points]
    copydesk.plugins =
        house_style = newsroom_rules

Hooks only *declare* rules (data plus a check callable). The engine runs
each rule itself, one at a time, so a rule that raises is reported with its
plugin's name and the other rules' findings are still reported -- pluggy
alone would stop at the first exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import pluggy

from copydesk.plugin._names import ENTRY_POINT_GROUP, PROJECT_NAME

if TYPE_CHECKING:
    from copydesk.plugin.rule import Rule

__all__ = ["ENTRY_POINT_GROUP", "PROJECT_NAME", "copydesk_rules", "hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def copydesk_rules() -> "Iterable[Rule]":
    """Return the rules this plugin provides.

    Called once per run, when the rule registry is built. Return
    :class:`copydesk.plugin.Rule` objects, usually made with the
    :func:`copydesk.plugin.rule` decorator. Codes must be unique across all
    plugins: pick a prefix of your own (e.g. ``NWS``) followed by digits.
    """
