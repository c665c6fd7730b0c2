"""Store writes in submission order on one background thread, so the next chunk is read and validated
while the database is still writing the previous one (the Python side and the database server then
work at the same time instead of taking turns)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["OrderedWriter"]

_STOP = object()


class OrderedWriter:
    """Runs submitted writes one at a time, in order; ``threaded=False`` runs each one immediately.

    At most ``depth`` writes wait in the queue (bounded memory: a slow database makes ``submit``
    wait). The first failure stops all later writes and is raised again by the next ``submit`` or by
    ``close``.
    """

    def __init__(self, threaded: bool = False, depth: int = 4) -> None:
        self.threaded = threaded
        self._error: BaseException | None = None
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._thread: threading.Thread | None = None
        if threaded:
            self._thread = threading.Thread(target=self._work, name="netwerk-ingest-writer", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        while True:
            task = self._queue.get()
            try:
                if task is _STOP:
                    return
                if self._error is None:
                    task()
            except BaseException as exc:
                self._error = exc
            finally:
                self._queue.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def submit(self, write: Callable[[], object]) -> None:
        """Run ``write`` after every earlier submitted write."""
        self._raise()
        if self._thread is None:
            write()
        else:
            self._queue.put(write)

    def flush(self) -> None:
        """Wait until every submitted write is done; raise the first failure."""
        if self._thread is not None:
            self._queue.join()
        self._raise()

    def close(self) -> None:
        """Finish the submitted writes (skipped after a failure) and stop the thread; raise the first failure."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None
        self._raise()
