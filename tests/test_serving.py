"""`netwerk serve --workers 2`: real processes, each on its own socket; the kernel spreads connections,
and a second server on the same port is refused."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="leest /proc (Linux)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _workers(pid: int) -> list[int]:
    """The worker processes started by ``pid`` (not multiprocessing's resource tracker)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid and b"spawn_main" in (stat.parent / "cmdline").read_bytes():
                out.append(int(stat.parent.name))
        except OSError:
            continue
    return out


def _sockets(pid: int, port: int, state: str = "01") -> int:
    """Sockets on local ``port`` in ``state`` (01 established, 0A listening) that process ``pid`` holds."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        if int(f[1].rsplit(":", 1)[1], 16) == port and f[3] == state:
            inodes.add(f[9])
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        held += target.startswith("socket:[") and target[8:-1] in inodes
    return held


def _health(conn: socket.socket) -> bytes:
    conn.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def test_two_workers_share_the_connections_refuse_a_second_server_and_stop_together(tmp_path: Path) -> None:
    from netwerk.store import open_store

    open_store(str(tmp_path / "opslag"), create=True).close()
    port = _free_port()
    env = {**os.environ, "NETWERK_STORE": str(tmp_path / "opslag"), "NETWERK_AUDIT_LOG": str(tmp_path / "a.jsonl")}
    netwerk = str(Path(sys.executable).parent / "netwerk")
    proc = subprocess.Popen([netwerk, "serve", "--port", str(port), "--workers", "2"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    conns: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers := _workers(proc.pid)) < 2 or not all(_sockets(w, port, "0A") for w in workers):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout and proc.stdout.read()
            time.sleep(0.2)
        for _ in range(40):
            conn = socket.create_connection(("127.0.0.1", port))
            assert _health(conn).startswith(b"HTTP/1.1 200")
            conns.append(conn)
        held = [_sockets(w, port) for w in workers]
        assert sum(held) == 40 and min(held) >= 5, held  # a shared socket gave splits such as 40/0
        second = subprocess.run([netwerk, "serve", "--port", str(port)], env=env, capture_output=True, text=True,
                                timeout=60)  # the port is taken: refused, not silently shared
        assert second.returncode != 0 and "kan niet luisteren" in second.stdout + second.stderr
        # the first server still serves the port with its workers (the 40 idle connections may have reached
        # uvicorn's keep-alive timeout while the second server started on a busy machine)
        conns.append(socket.create_connection(("127.0.0.1", port)))
        assert _health(conns[-1]).startswith(b"HTTP/1.1 200")
        assert all(w in _workers(proc.pid) for w in workers) and sum(_sockets(w, port) for w in workers) >= 1
    finally:
        for conn in conns:
            conn.close()
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    time.sleep(0.5)
    assert not [w for w in workers if Path(f"/proc/{w}").exists()]

