"""Betweenness of an edge list, here or in a worker process.

igraph holds the GIL while it computes, so a thread cannot run beside group detection; a process can. The
worker is ``python -m netwerk.betweenness``: it reads the edge arrays from its stdin and writes the result to
its stdout (``.npz``/``.npy``, no pickle). It imports only numpy and igraph (without igraph's plotting), so
it starts in a third of a second, and never the caller's own script (as a ``multiprocessing`` spawn would,
re-running an unguarded script).
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import igraph as ig

__all__ = ["betweenness", "edge_graph", "start_betweenness"]


def betweenness(graph: ig.Graph, sources: Sequence[int] | None = None) -> np.ndarray:
    """igraph's unnormalised hop-count betweenness of the undirected ``graph``, from ``sources`` only (all
    vertices when None).

    Examples
    --------
    >>> betweenness(edge_graph(3, np.array([0, 1]), np.array([1, 2]))).tolist()  # a path: the middle vertex
    [0.0, 1.0, 0.0]
    """
    if sources is None:
        return np.asarray(graph.betweenness(directed=False), dtype=float)
    return np.asarray(graph.betweenness(directed=False, sources=list(sources)), dtype=float)


def edge_graph(n: int, src: np.ndarray, dst: np.ndarray) -> ig.Graph:
    """The undirected igraph on vertices ``0..n-1`` with edges ``src[k]``–``dst[k]``, in that order.

    The pairs go in as a zip iterator, not a list of tuples: igraph reads them as they come (a third faster).
    igraph is imported here, so that the worker can leave its plotting out first."""
    import igraph

    return igraph.Graph(n=n, edges=zip(src.tolist(), dst.tolist(), strict=True), directed=False)


def start_betweenness(
    n: int, src: np.ndarray, dst: np.ndarray, sources: Sequence[int] | None = None
) -> Callable[[], np.ndarray]:
    """Start :func:`betweenness` in a worker process; call the returned function for the result.

    When the worker fails (out of memory, killed), the result is computed in this process instead; when the
    returned function is dropped uncalled, the worker is stopped.
    """
    buf = io.BytesIO()
    np.savez(buf, n=np.int64(n), src=src, dst=dst, sources=np.asarray(sources or [], dtype=np.int64),
             every=np.bool_(sources is None))
    proc = subprocess.Popen([sys.executable, "-m", "netwerk.betweenness"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    stdin, stdout = proc.stdin, proc.stdout
    assert stdin is not None and stdout is not None

    def feed() -> None:  # a thread: the worker reads its input only once it has started
        with contextlib.suppress(BrokenPipeError), stdin:  # (a worker that died: result() computes it)
            stdin.write(buf.getvalue())

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()

    def result() -> np.ndarray:
        out = stdout.read()
        feeder.join()
        if proc.wait() == 0:
            return np.load(io.BytesIO(out), allow_pickle=False)
        return betweenness(edge_graph(n, src, dst), sources)

    weakref.finalize(result, _stop, proc)  # a result nobody asks for (the caller failed): stop the worker
    return result


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _main() -> None:
    sys.modules.setdefault("matplotlib", None)  # type: ignore[arg-type]  # igraph then skips its plotting (0.7 s)
    data = np.load(io.BytesIO(sys.stdin.buffer.read()), allow_pickle=False)
    sources = None if data["every"] else data["sources"].tolist()
    graph = edge_graph(int(data["n"]), data["src"], data["dst"])
    np.save(sys.stdout.buffer, betweenness(graph, sources), allow_pickle=False)


if __name__ == "__main__":
    _main()
