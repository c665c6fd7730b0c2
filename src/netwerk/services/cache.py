"""Results cached per store version: every write through the store invalidates them.

Writes by other processes are seen through the store's own change counter where the backend has
one (embedded: SQLite ``data_version``); otherwise entries expire after ``ttl`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from netwerk.frames import Frames
from netwerk.store.base import GraphStore

__all__ = ["Miss", "cached", "clear", "frames", "only_cached", "ttl"]

T = TypeVar("T")
_LOCK = threading.Lock()
_KEY_LOCKS: dict[Hashable, threading.Lock] = {}
_CACHE: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
_MAX = 64
_TTL = {"s": 300.0}
_ONLY_CACHED: ContextVar[bool] = ContextVar("netwerk_only_cached", default=False)


class Miss(LookupError):
    """Raised by :func:`cached` inside :func:`only_cached` when the result is not cached yet."""


@contextmanager
def only_cached() -> Iterator[None]:
    """Inside, :func:`cached` answers from the cache or raises :class:`Miss` instead of computing.

    A server runs a request this way on its event loop first and moves it to a worker thread only on a
    miss: cached answers cost no thread switch.
    """
    token = _ONLY_CACHED.set(True)
    try:
        yield
    finally:
        _ONLY_CACHED.reset(token)


def ttl(seconds: float, entries: int | None = None) -> None:
    """Configure the expiry (for backends without a change counter) and the size (from Settings)."""
    global _MAX
    _TTL["s"] = seconds
    if entries:
        _MAX = entries


def clear() -> None:
    with _LOCK:
        _CACHE.clear()


def cached(store: GraphStore, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per store version and key (one computation at a time per key)."""
    full = (id(store), store.version(), *key)
    with _LOCK:
        hit = _CACHE.get(full)
        if hit is not None and time.monotonic() - hit[0] < _TTL["s"]:
            _CACHE.move_to_end(full)
            return cast(T, hit[1])
        if _ONLY_CACHED.get():
            raise Miss(key)
        lock = _KEY_LOCKS.setdefault((id(store), *key), threading.Lock())
    with lock:
        with _LOCK:
            hit = _CACHE.get(full)
        if hit is not None and time.monotonic() - hit[0] < _TTL["s"]:
            return cast(T, hit[1])
        value = compute()
        with _LOCK:
            _CACHE[full] = (time.monotonic(), value)
            while len(_CACHE) > _MAX:
                _CACHE.popitem(last=False)
    return value


def frames(store: GraphStore) -> Frames:
    """The analysis input of the whole store (read once per store version)."""
    return cached(store, ("frames",), lambda: Frames.from_store(store))
