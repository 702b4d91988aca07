"""A small bounded least-recently-used map, shared by every cache keyed by
paragraph text (the engine's paragraph cache, the repetition rules' memos).

Safe to use from the language server's lint thread and its request
threads: an entry evicted by one while another looks it up is a miss or a
still-valid value, never an error.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, Hashable, TypeVar

V = TypeVar("V")


class LRU(Generic[V]):
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        value = self._entries.get(key)
        if value is not None:
            try:
                self._entries.move_to_end(key)
            except KeyError:  # evicted meanwhile by another thread
                pass
        return value

    def put(self, key: Hashable, value: V) -> None:
        self._entries[key] = value
        if len(self._entries) > self.max_entries:
            try:
                self._entries.popitem(last=False)
            except KeyError:  # emptied meanwhile by another thread
                pass

    def clear(self) -> None:
        """Forget every entry (benchmarks time a cold start with it)."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
