"""Load benchmark: 50 concurrent clients against the API on 127.0.0.1, bounded in time, on both stores.

A synthetic municipality (``--size``, default medium) is generated and ingested; ``netwerk serve``
(``--workers`` processes, default one per CPU) serves it; after a cold call and one second of warm-up
per endpoint, ``--clients`` keep-alive connections call each endpoint back to back for ``--seconds`` (at
most 60) with a bearer token, from ``wrk`` when installed (Debian package ``wrk``; a C client that leaves
the server the CPU), else from a bare asyncio client:

- ``/hotspots`` (a cached whole-graph analysis),
- ``/network/Person/{id}`` (an ego network, audited per call),
- ``/health`` (the baseline of the same run: the ratio p95/p95(health) compares across machines).

Reports p50/p95/p99 latency, requests per second and errors per endpoint and store. Neo4j is used when
``--neo4j URI`` (or ``NETWERK_TEST_NEO4J_URI``) is given. Target: p95 < 50 ms for both endpoints on the
medium data.

Usage: ``python -m bench.run load [-- --size medium --seconds 20 --clients 50 --workers 2 --neo4j bolt://…]``.
Writes bench/results/load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
KEY = "bench-sleutel-niet-voor-productie-0123456789"
#: the load generator when installed (else the asyncio client below)
WRK = shutil.which("wrk")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(store_spec: str, data: Path) -> tuple[str, str]:
    """Ingest ``data`` into the store, add a user with a token; returns (token, ego person id)."""
    from netwerk.auth import add_user, create_token
    from netwerk.frames import Frames
    from netwerk.ingest import ingest_folder
    from netwerk.store import open_store

    st = open_store(store_spec, create=True) if "://" not in store_spec else open_store(store_spec)
    try:
        if "://" in store_spec:
            st.clear()
        ingest_folder(data, st)
        add_user(st, "bench", "bench-wachtwoord-lang", "analist")
        token = create_token(st, "bench")[0]
        sp = Frames.from_store(st).signal_persons
        degree = sp.groupby("person_id").size().sort_values()
        person = str(degree.index[len(degree) // 2])  # a person of median degree
    finally:
        st.close()
    return token, person


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One keep-alive HTTP/1.1 GET on an open connection; returns the status code."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    fields = dict(line.split(b":", 1) for line in lines[1:] if b":" in line)
    fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
    if b"content-length" in fields:
        await reader.readexactly(int(fields[b"content-length"]))
    else:  # chunked
        while (size := int((await reader.readuntil(b"\r\n")).strip(), 16)) > 0:
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    return int(lines[0].split()[1])


def _hammer(url: str, headers: dict[str, str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` concurrent keep-alive connections calling ``url`` for ``seconds``.

    A bare asyncio HTTP/1.1 client: httpx's async pool itself tops out near 70 requests/s with 50
    connections here (a bare FastAPI app measured 68 req/s through it and 2,000 req/s through this client),
    so it would measure the client instead of the server.
    """
    u = urlsplit(url)
    host, port = u.hostname or "127.0.0.1", u.port or 80
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {u.path}{'?' + u.query if u.query else ''} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}\r\n"
    lat: list[float] = []
    errors = [0]

    async def client(stop: float) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                try:
                    ok = await asyncio.wait_for(_get(reader, writer, request.encode()), 30) == 200
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                    ok = False
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                lat.append(time.perf_counter() - t0)
                errors[0] += not ok
        finally:
            writer.close()

    async def run() -> None:
        stop = time.monotonic() + seconds
        await asyncio.gather(*(client(stop) for _ in range(clients)))

    asyncio.run(run())
    ms = np.array(lat) * 1000
    return {"requests": len(lat), "errors": errors[0], "rps": round(len(lat) / seconds, 1),
            "p50_ms": round(float(np.percentile(ms, 50)), 1), "p95_ms": round(float(np.percentile(ms, 95)), 1),
            "p99_ms": round(float(np.percentile(ms, 99)), 1)}


_WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "errors": %d, "seconds": %.3f, "p50_us": %d, "p95_us": %d, "p99_us": %d}\\n',
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def _wrk(url: str, headers: dict[str, str], clients: int, seconds: float, tmp: Path) -> dict[str, Any]:
    """The same load from ``wrk`` (C, one thread): it leaves the server more of this machine's CPU."""
    script = tmp / "wrk.lua"
    script.write_text("".join(f'wrk.headers["{k}"] = [==[{v}]==]\n' for k, v in headers.items()) + _WRK_REPORT)
    out = subprocess.run([str(WRK), "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s",
                          "-s", str(script), url], capture_output=True, text=True, check=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return {"requests": r["requests"], "errors": r["errors"], "rps": round(r["requests"] / r["seconds"], 1),
            **{f"p{q}_ms": round(r[f"p{q}_us"] / 1000, 1) for q in (50, 95, 99)}}


def _serve(store_spec: str, port: int, audit_log: Path, workers: int) -> subprocess.Popen[bytes]:
    """``netwerk serve --workers N``, as a municipality runs it."""
    env = {**os.environ, "NETWERK_STORE": store_spec, "NETWERK_RATE_LIMIT_PER_MINUTE": "10000000",
           "NETWERK_AUDIT_LOG": str(audit_log), "NETWERK_PSEUDONYM_KEY": KEY, "NETWERK_COOKIE_SECURE": "false"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "netwerk"), "serve", "--host", "127.0.0.1", "--port",
                             str(port), "--workers", str(workers)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("de API kwam niet op")


def run_store(
    name: str, spec: str, data: Path, clients: int, seconds: float, tmp: Path, workers: int
) -> dict[str, Any]:
    token, person = _prepare(spec, data)
    port = _free_port()
    proc = _serve(spec, port, tmp / f"audit-{name}.jsonl", workers)
    base = f"http://127.0.0.1:{port}"
    h = {"Authorization": f"Bearer {token}", "X-Netwerk-Purpose": "analyse"}
    out: dict[str, Any] = {}
    try:
        for label, path in (("health", "/health"), ("hotspots", "/hotspots"),
                            ("ego", f"/network/Person/{person}")):
            t0 = time.perf_counter()
            warm = httpx.get(base + path, headers=h, timeout=600)
            assert warm.status_code == 200, warm.text[:300]
            cold = time.perf_counter() - t0
            _hammer(base + path, h, clients, 1.0)  # warms every worker process (each caches its own results)
            load = _wrk(base + path, h, clients, seconds, tmp) if WRK else _hammer(base + path, h, clients, seconds)
            out[label] = {**load, "cold_s": round(cold, 2)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    for label in ("hotspots", "ego"):
        out[label]["p95_vs_health"] = round(out[label]["p95_ms"] / max(out["health"]["p95_ms"], 0.1), 2)
    return out


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(prog="bench load")
    ap.add_argument("--size", default="medium")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--neo4j", default=os.environ.get("NETWERK_TEST_NEO4J_URI", ""))
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="server processes (`netwerk serve --workers`; default one per CPU)")
    args = ap.parse_args(argv)
    seconds = min(args.seconds, 60.0)
    os.environ["NETWERK_PSEUDONYM_KEY"] = KEY
    from netwerk.generate import generate

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["NETWERK_AUDIT_LOG"] = str(tmp / "audit-prepare.jsonl")
        generate(tmp / "data", seed=42, size=args.size)
        stores = {"embedded": str(tmp / "store")}
        if args.neo4j:
            stores["neo4j"] = args.neo4j
        results = {name: run_store(name, spec, tmp / "data", args.clients, seconds, tmp, args.workers)
                   for name, spec in stores.items()}
    report = {"size": args.size, "clients": args.clients, "seconds": seconds, "workers": args.workers,
              "cpus": os.cpu_count(), "target_p95_ms": 50, "client": "wrk, 1 thread (same machine)" if WRK
              else "asyncio keep-alive HTTP/1.1 (same machine)",
              "stores": results}
    head = ("opslag", "endpoint", "p50", "p95", "p99", "req/s", "fouten", "p95/health")
    print("{:10} {:9} {:>7} {:>7} {:>7} {:>7} {:>6} {:>10}".format(*head))
    for store, res in results.items():
        for label, r in res.items():
            print(f"{store:10} {label:9} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['p99_ms']:7.1f} {r['rps']:7.1f} "
                  f"{r['errors']:6d} {r.get('p95_vs_health', 1.0):10.2f}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "load.json"
    if out.exists():  # the previous run beside this one: p95 and requests/s per store and endpoint
        before = json.loads(out.read_text())
        report["previous"] = {k: before.get(k) for k in ("seconds", "workers", "client")} | {
            "stores": {st: {ep: {"p95_ms": r["p95_ms"], "rps": r["rps"]} for ep, r in res.items()}
                       for st, res in before.get("stores", {}).items()}}
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
