"""Derived views kept while the record stands still.

Every change to the record grows the log, so the log's size versions anything computed from
the record: a cached value keyed by it is never stale. The cache is small and per process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Versioned:
    """A bounded least-recently-used map from (log size, key) to a computed value."""

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.capacity:
                self._values.popitem(last=False)
        return value
