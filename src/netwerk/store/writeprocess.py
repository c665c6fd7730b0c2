"""The writes of a large load into the embedded store, from a process of their own.

Python threads share one interpreter lock, and ``sqlite3``'s ``executemany`` takes it for every row and lets
go of it for every row's step: a writing thread and the thread that reads and validates the next chunk of
an ingest then take turns at each row instead of working at the same time. A child process
(``python -m netwerk.store.writeprocess``) has an interpreter of its own: it opens the store and runs the
writes on the second core while the parent reads and validates. The two meet only at the write calls, whose
arguments (columns of plain values) travel pickled through a pipe, each column of text joined into one string
(pickling a million strings one by one costs the parent a second); a failure, and the end, come back the same
way. The column writes are validated in the parent, which then waits less for the child: the child runs the
store's writes of valid columns. SQLite's own locks keep the processes apart, as any two processes that share a
store.
"""

from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, NamedTuple

from netwerk.model import Model
from netwerk.store.base import (
    DEFAULT_BATCH,
    Edges,
    StoreError,
    valid_node_columns,
    valid_node_edges,
    valid_relationship_columns,
)

__all__ = ["ProcessWriter"]

#: rows per transaction of the child (see EmbeddedStore.loading): its writes are seen at close anyway
TRANSACTION_ROWS = 100_000
#: joins the values of a text column (the unit separator: a control character, refused in a CSV by ingest)
_SEP = "\x1f"


class _Joined(NamedTuple):
    """A column of text (None for missing) as one string: pickled as one value instead of one per value."""

    text: str
    size: int
    nones: list[int]  #: positions of None


def _join(values: list[Any]) -> list[Any] | _Joined:
    """``values`` as :class:`_Joined` when they are all text or None (and none holds the separator)."""
    nones: list[int] = []
    try:
        text = _SEP.join(values)
    except TypeError:  # None or other values
        if not values.count(None):
            return values
        nones = [i for i, v in enumerate(values) if v is None]
        try:
            text = _SEP.join(["" if v is None else v for v in values])
        except TypeError:
            return values
    return _Joined(text, len(values), nones) if text.count(_SEP) == len(values) - 1 else values


def _split(joined: _Joined) -> list[Any]:
    values: list[Any] = joined.text.split(_SEP) if joined.size else []
    for i in joined.nones:
        values[i] = None
    return values


def _packed(arg: Any) -> Any:
    """A call's argument with its long columns (lists in dicts and tuples) joined (:class:`_Joined`)."""
    if type(arg) is dict:
        return {k: _packed(v) for k, v in arg.items()}
    if type(arg) is tuple or (type(arg) is list and arg and type(arg[0]) is tuple):
        return type(arg)(_packed(v) for v in arg)
    return _join(arg) if type(arg) is list and len(arg) >= 64 else arg


def _unpacked(arg: Any) -> Any:
    """The argument :func:`_packed` was given."""
    if type(arg) is _Joined:
        return _split(arg)
    if type(arg) is dict:
        return {k: _unpacked(v) for k, v in arg.items()}
    if type(arg) is tuple or (type(arg) is list and arg and type(arg[0]) is tuple):
        return type(arg)(_unpacked(v) for v in arg)
    return arg


class ProcessWriter:
    """The write methods of an :class:`~netwerk.store.embedded.EmbeddedStore` at ``path``, run in a child
    process in the order they are called.

    A call returns once its arguments are in the pipe: the caller goes on while the child writes. A failure
    in the child stops every later write (as the ingest's ``OrderedWriter`` does) and is raised by the next
    call or by :meth:`close`, which waits until the child has built the store's indexes and closed it.
    """

    def __init__(self, path: Path, model: Model) -> None:
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        src = str(Path(__file__).resolve().parents[2])  # the child imports this netwerk, however it was found
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (src, os.environ.get("PYTHONPATH"))))}
        try:  # a session of its own: Ctrl-C stops the ingest, which then closes this writer in order
            self._proc = subprocess.Popen([sys.executable, "-m", __name__, str(down_r), str(up_w)],
                                          pass_fds=(down_r, up_w), env=env, start_new_session=True)
        except OSError:
            for fd in (down_r, down_w, up_r, up_w):
                os.close(fd)
            raise
        os.close(down_r)
        os.close(up_w)
        self._out: IO[bytes] = os.fdopen(down_w, "wb")
        self._in: IO[bytes] = os.fdopen(up_r, "rb")
        self._model = model
        self._send("open", str(path), model)

    def _send(self, name: str, *args: Any, **kwargs: Any) -> None:
        if select.select([self._in], [], [], 0)[0]:  # the child has answered: only a failure does, before close
            self._answer()
        # pickled in memory, then one write: writing a pickle piece by piece would hand the interpreter lock
        # to the other threads at every piece
        data = pickle.dumps((name, _packed(args), kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._out.write(data)
            self._out.flush()
        except OSError as exc:
            raise self._stopped() from exc

    def _answer(self) -> None:
        """Read the child's answer: raise the failure it reports."""
        try:
            ok, value = pickle.load(self._in)
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            raise self._stopped() from exc
        if not ok:
            raise value

    def _stopped(self) -> StoreError:
        return StoreError(f"het schrijfproces van de opslag is gestopt (code {self._proc.poll()})")

    # the column writes are validated here and run in the child as the store's writes of valid columns (the
    # same checks and results as the store's methods); the others go to the store's methods
    def upsert_node_columns(self, label: str, columns: Mapping[str, Sequence[Any]],
                            batch_size: int = DEFAULT_BATCH) -> int:
        n, columns = valid_node_columns(self._model, label, columns)
        self._send("_write_node_columns", label, columns, batch_size)
        return n

    def upsert_node_edge_columns(self, label: str, columns: Mapping[str, Sequence[Any]], edges: Edges,
                                 batch_size: int = DEFAULT_BATCH) -> int:
        n, columns, edges = valid_node_edges(self._model, label, columns, edges)
        self._send("_write_node_edges", label, columns, edges, batch_size)
        return n

    def upsert_relationship_columns(self, rel_type: str, columns: Mapping[str, Sequence[Any]],
                                    start_label: str | None = None, end_label: str | None = None,
                                    batch_size: int = DEFAULT_BATCH, *, check_endpoints: bool = True) -> int:
        n, ends, columns = valid_relationship_columns(self._model, rel_type, columns, start_label, end_label)
        self._send("_write_relationship_columns", ends, columns, batch_size, check_endpoints)
        return n

    def upsert_nodes(self, *args: Any, **kwargs: Any) -> None:
        self._send("upsert_nodes", *args, **kwargs)

    def upsert_relationships(self, *args: Any, **kwargs: Any) -> None:
        self._send("upsert_relationships", *args, **kwargs)

    def settle(self, *args: Any, **kwargs: Any) -> None:
        self._send("settle", *args, **kwargs)

    def close(self) -> None:
        """Wait until every write is done and the child has finished; raise the first failure."""
        try:
            self._send("close")
            self._answer()
        finally:
            self._out.close()
            self._in.close()
            self._proc.wait()


def _serve(down: IO[bytes], up: IO[bytes]) -> None:
    """The child: open the store, run the calls in order, and answer once: at the first failure (later writes
    are skipped), or at ``close``."""
    from netwerk.store.embedded import EmbeddedStore

    def answer(ok: bool, value: Any) -> None:
        try:
            data = pickle.dumps((ok, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an error that does not pickle: its message does
            data = pickle.dumps((False, StoreError(str(value))))
        up.write(data)
        up.flush()

    with ExitStack() as stack:
        failed = False
        while True:
            try:
                name, args, kwargs = pickle.load(down)
            except EOFError:  # the parent is gone: finish what was written
                return
            if name == "close":
                try:
                    stack.close()  # the indexes are built, the store closed
                except Exception as exc:
                    answer(False, exc)
                else:
                    answer(True, None)
                return
            if failed:
                continue
            try:
                if name == "open":
                    store = EmbeddedStore(*args)
                    stack.enter_context(store)
                    stack.enter_context(store.loading(TRANSACTION_ROWS))
                else:
                    getattr(store, name)(*_unpacked(args), **kwargs)
            except Exception as exc:  # goes back to the caller, who raises it
                failed = True
                answer(False, exc)


if __name__ == "__main__":
    from netwerk.store.writeprocess import _serve as serve  # the module's own classes, as the parent pickles them

    with os.fdopen(int(sys.argv[1]), "rb") as down, os.fdopen(int(sys.argv[2]), "wb") as up:
        serve(down, up)
