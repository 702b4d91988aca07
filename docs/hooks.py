"""MkDocs hooks: the rule reference is generated from the rule registry.

``mkdocs.yml`` names this file under ``hooks:``. The rule pages never exist
on disk; they are rendered by :mod:`copydesk.docgen` from the rules' own
metadata and docstrings on every build, so the site cannot drift from the
code.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files

from copydesk import docgen

_pages: dict[str, str] = {}


def on_config(config: Any) -> Any:
    rules = docgen.documented_rules()
    _pages.clear()
    _pages.update(docgen.generate_pages(rules))
    config["nav"] = _expand_rules_entry(config["nav"], docgen.nav_entries(rules))
    return config


def _expand_rules_entry(nav: Any, rule_entries: list[object]) -> Any:
    """Replace the nav item pointing at the rules index with the full section."""
    if nav is None:
        return nav
    expanded = []
    for item in nav:
        if isinstance(item, dict) and list(item.values()) == [docgen.RULES_INDEX]:
            (title,) = item
            expanded.append({title: rule_entries})
        else:
            expanded.append(item)
    return expanded


def on_files(files: Files, config: Any) -> Files:
    for path, content in _pages.items():
        files.append(File.generated(config, path, content=content))
    return files
