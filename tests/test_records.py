"""The value classes written out by hand behave as the dataclasses they replaced.

Settings travel to worker processes (``--jobs``, Dask) by pickle, settings
and spans are used as cache keys, and plugins compare spans and paragraphs:
equality, hashing, immutability and pickling must all hold.
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from copydesk.config import ConfigProblem, Settings
from copydesk.document import Paragraph, Span
from copydesk.positions import Location
from copydesk.repetition import DuplicateSettings
from copydesk.runner import RunOptions
from copydesk.suppression import Directive

MAKERS = [
    lambda: Settings(path=Path("pyproject.toml"), select=("CD",), problems=(ConfigProblem("pyproject.toml", "bad key"),)),
    lambda: RunOptions(select=("CD101",), overrides=(("encoding", "latin-1"),), cache_dir="/tmp/cache", plugins=("house",)),
    lambda: Span(3, 9),
    lambda: Paragraph(2, 10, 40),
    lambda: Location(12, 2, 5),
    lambda: Directive("disable", frozenset({"CD101"}), 0, 20, selectors=("CD101",)),
    lambda: DuplicateSettings(threshold=0.8, min_words=5),
]


@pytest.mark.parametrize("make", MAKERS, ids=lambda make: type(make()).__name__)
def test_equal_by_value_hashable_frozen_and_picklable(make) -> None:  # type: ignore[no-untyped-def]
    value, twin = make(), make()
    fields = type(value)._fields
    assert twin is not value and twin == value and hash(twin) == hash(value)
    assert pickle.loads(pickle.dumps(value)) == value
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, fields[0], None)
    shown = repr(value)
    assert shown.startswith(f"{type(value).__qualname__}(") and all(f"{name}=" in shown for name in fields)


def test_changed_copies_differ_and_keep_the_other_fields() -> None:
    settings = Settings(select=("CD",), encoding="latin-1")
    changed = settings.replace(select=("PL",))
    assert changed != settings
    assert (changed.select, changed.encoding) == (("PL",), "latin-1")
    assert DuplicateSettings() == DuplicateSettings() != DuplicateSettings(threshold=0.5)


def test_defaults_are_the_documented_ones() -> None:
    options = RunOptions()
    assert (options.fix, options.entry_points, options.plugins, options.cache_dir) == (False, True, (), None)
    assert Settings().encoding == "utf-8" and Settings().select is None
