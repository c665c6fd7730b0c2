"""Serve an app with one or more processes; each process listens on its own ``SO_REUSEPORT`` socket.

With one shared socket (``uvicorn --workers``) the process that wakes first accepts a whole burst of
connections: 50 keep-alive clients were split 50/0 or 37/13 over two processes, and the fuller one set
the latency of all. With a socket per process the kernel spreads new connections over the processes.
Analysis results are cached per process.
"""

from __future__ import annotations

import importlib
import multiprocessing
import signal
import socket
from typing import Any

__all__ = ["serve"]


def serve(factory: str, settings: Any, host: str, port: int, workers: int = 1) -> None:
    """Run ``factory(settings)`` (``"module:function"``) on ``host:port`` in ``workers`` processes.

    A port another server already listens on is refused, also when that is another ``netwerk serve``:
    ``SO_REUSEPORT`` alone would let the two share it silently."""
    _bind(host, port, shared=False).close()
    if workers <= 1:
        _worker(factory, settings, host, port)
        return
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_worker, args=(factory, settings, host, port), daemon=True) for _ in range(workers)]
    for p in procs:
        p.start()
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        for p in procs:
            p.join()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for p in procs:
            p.terminate()
        for p in procs:
            p.join(10)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _worker(factory: str, settings: Any, host: str, port: int) -> None:
    import uvicorn

    module, _, name = factory.partition(":")
    app = getattr(importlib.import_module(module), name)(settings)
    sock = _bind(host, port, shared=True)
    sock.listen(2048)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)  # no software banner
    uvicorn.Server(config).run(sockets=[sock])


def _bind(host: str, port: int, *, shared: bool) -> socket.socket:
    """A socket bound to ``host:port``; ``shared``: with ``SO_REUSEPORT`` (one per worker process)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SystemExit(f"kan niet luisteren op {host}:{port}: {exc.strerror}") from exc
    return sock
