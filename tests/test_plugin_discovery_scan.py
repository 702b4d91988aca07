"""Plugins are found through their entry point, even though copydesk looks
for ``entry_points.txt`` files itself before paying for importlib.metadata.

Each test lays a distribution out on ``sys.path`` the way pip leaves it (a
``*.dist-info`` directory with ``entry_points.txt``, or an ``*.egg-info``
from an old ``setup.py develop``), then installs or removes it between two
registry loads in the same process.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from copydesk.plugin.hookspecs import ENTRY_POINT_GROUP
from copydesk.plugin.manager import _finds_distributions_elsewhere, distributions_may_declare, load_registry

PLUGIN_MODULE = "copydesk_discovery_probe"

PLUGIN_SOURCE = textwrap.dedent(
    '''
    from copydesk.plugin import Finding, hookimpl, rule


    @rule("PRB101", "probe-word", "The word 'probe'.")
    def probe_word(doc, options):
        """Flags the word probe."""
        start = doc.prose.find("probe")
        if start >= 0:
            yield Finding(start, start + 5, "probe")


    @hookimpl
    def copydesk_rules():
        return [probe_word]
    '''
)


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """An empty site directory first on ``sys.path``, holding the plugin's module."""
    directory = tmp_path / "site"
    directory.mkdir()
    (directory / f"{PLUGIN_MODULE}.py").write_text(PLUGIN_SOURCE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(directory))
    monkeypatch.delitem(sys.modules, PLUGIN_MODULE, raising=False)
    # Only the standard finders, whatever earlier tests imported.
    monkeypatch.setattr(sys, "meta_path", [f for f in sys.meta_path if not _finds_distributions_elsewhere(f)])
    return directory


class ForeignFinder:
    """A finder of distributions other than the ones on sys.path (as a
    frozen application might install): the scan cannot see what it finds."""

    def find_spec(self, *args):
        return None

    def find_distributions(self, *args, **kwargs):
        return iter(())


def install(site: Path, info_dir: str, entry_points: str) -> Path:
    info = site / info_dir
    info.mkdir()
    name = info_dir.split("-")[0]
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    return info


def probe_declared(registry) -> bool:
    return registry.get("PRB101") is not None


def test_a_plugin_installed_between_two_runs_is_found_and_dropped_when_uninstalled(site):
    assert not distributions_may_declare(ENTRY_POINT_GROUP)
    assert not probe_declared(load_registry())

    info = install(site, "probe_plugin-1.0.dist-info", f"[{ENTRY_POINT_GROUP}]\nprobe = {PLUGIN_MODULE}\n")
    assert distributions_may_declare(ENTRY_POINT_GROUP)
    registry = load_registry()
    assert probe_declared(registry)
    assert registry.get("PRB101").plugin == "probe_plugin:probe"

    shutil.rmtree(info)
    assert not distributions_may_declare(ENTRY_POINT_GROUP)
    assert not probe_declared(load_registry())


def test_an_egg_info_from_a_develop_install_is_found(site):
    install(site, "probe_plugin.egg-info", f"[{ENTRY_POINT_GROUP}]\nprobe = {PLUGIN_MODULE}\n")
    assert probe_declared(load_registry())


def test_entry_points_of_other_groups_do_not_count(site):
    install(site, "other_tool-2.0.dist-info", "[console_scripts]\nother = other_tool:main\n")
    install(site, "no_entry_points-1.0.dist-info", "")
    (site / "no_entry_points-1.0.dist-info" / "entry_points.txt").unlink()
    assert not distributions_may_declare(ENTRY_POINT_GROUP)
    assert not probe_declared(load_registry())


def test_a_zip_on_the_path_is_left_to_importlib_metadata(site, monkeypatch, tmp_path):
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip archive
    monkeypatch.syspath_prepend(str(archive))
    assert distributions_may_declare(ENTRY_POINT_GROUP)
    assert not probe_declared(load_registry())


def test_a_finder_of_other_distributions_is_left_to_importlib_metadata(site, monkeypatch):
    assert not distributions_may_declare(ENTRY_POINT_GROUP)
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, ForeignFinder()])
    assert distributions_may_declare(ENTRY_POINT_GROUP)
    assert not probe_declared(load_registry())


def test_a_broken_plugin_found_by_the_scan_is_still_reported_by_name(site):
    install(site, "probe_plugin-1.0.dist-info", f"[{ENTRY_POINT_GROUP}]\nbroken = {PLUGIN_MODULE}_missing\n")
    [error] = [e for e in load_registry().load_errors if e.plugin == "probe_plugin:broken"]
    assert "ModuleNotFoundError" in error.reason
