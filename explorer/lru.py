"""A least-recently-used cache bounded by the size of what it holds (bytes), not by its entry count.

Attention maps range from kilobytes to a gigabyte (SmolLM2 at 1,024 tokens: 30 x 9 x 1024^2
floats), so "8 entries" bounds nothing. Shared by every session's thread: a value asked for by
several at once is computed once while the others wait for it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class _Flight:
    """One computation under way: the threads that ask for its key meanwhile wait for its outcome."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value = None
        self.error: BaseException | None = None

    def outcome(self):
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.value


class SizedLRU(Generic[V]):
    """Holds values while their total `size` stays within `limit`, evicting the least recently used.

    A value larger than the whole limit is returned but never kept: the threads that waited for it get
    it too, and only a later ask computes it again.
    """

    def __init__(self, limit: int, size: Callable[[V], int]) -> None:
        self.limit = limit
        self._size = size
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, _Flight] = {}

    @property
    def total(self) -> int:
        """The summed size of the values held now."""
        with self._lock:
            return sum(size for _, size in self._items.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value for `key`, computing it (once, even when asked from several threads) if needed; a
        computation's error reaches every thread that waited for it."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
            flight = self._computing.get(key)
            mine = flight is None
            if mine:
                flight = self._computing[key] = _Flight()
        if not mine:
            return flight.outcome()
        try:
            flight.value = compute()
            self._keep(key, flight.value)
        except BaseException as err:
            flight.error = err
            raise
        finally:
            with self._lock:
                self._computing.pop(key, None)
            flight.done.set()
        return flight.value

    def _keep(self, key: Hashable, value: V) -> None:
        size = self._size(value)
        if size > self.limit:
            return
        with self._lock:
            self._items[key] = (value, size)
            total = sum(s for _, s in self._items.values())
            while total > self.limit:
                _, (_, dropped) = self._items.popitem(last=False)
                total -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
