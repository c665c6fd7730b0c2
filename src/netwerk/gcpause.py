"""``gc_paused``: the cyclic garbage collector paused while many fresh, acyclic objects are made (a large store read
decoded into rows, the records of an analysis result); shared by the stores and the analyses."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


class _GcPause:
    """Pauses the cyclic garbage collector; counted, so pauses in several threads may overlap."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0  # reads in progress
        self._resume = False  # whether the collector ran before the first of them

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._resume:
                    gc.enable()


#: ``with gc_paused():`` around a large read or build: a million fresh row objects would otherwise set off repeated
#: full collections (more than half of such a read), while rows hold no cycles and are freed by reference
#: counting. Pauses in several threads may overlap; the collector runs again once the last one is done.
gc_paused = _GcPause()
