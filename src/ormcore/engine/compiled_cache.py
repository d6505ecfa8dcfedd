"""The engine's cache of compiled statements: a dict, least recently used entries pruned.

A cache hit is on the path of every repeated statement, so it costs one dict probe and a
stamp on the Compiled found (`compiled._last_used = next_tick()`; an OrderedDict's
move_to_end() would hash the nested key a second time). Recency is read only when the
cache has grown half again past its capacity: it is then cut back to the `capacity` most
recently used entries with one sort. A plain dict passed as the `compiled_cache`
execution option is used as it is (its owner decides its size).
"""

from __future__ import annotations

import itertools
from typing import Any

__all__ = ["LRUCache", "next_tick"]

next_tick = itertools.count().__next__


class LRUCache(dict):
    """compiled-cache key -> Compiled, each stamped with the tick of its last use."""

    __slots__ = ("capacity",)

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def __setitem__(self, key: Any, value: Any) -> None:
        value._last_used = next_tick()
        super().__setitem__(key, value)
        if len(self) > self.capacity + self.capacity // 2:
            self._prune()

    def _prune(self) -> None:
        by_use = sorted(self.items(), key=lambda item: item[1]._last_used, reverse=True)
        for key, _ in by_use[self.capacity:]:
            del self[key]
