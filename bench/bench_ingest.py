"""Ingest speed per backend, side by side with Neo4j's own LOAD CSV and a naive row-by-row MERGE.

    python -m bench.run ingest -- --size huge [--seed 1] [--naive-rows 5000] [--batch-sizes 10000,20000,50000]
                                  [--backends embedded,neo4j] [--no-warmup]

All three methods load the SAME rows of the same files of a generated municipality (``FILES``:
addresses, persons, signals, registrations, signal_persons), into the same graph: Address, Person,
Signal and buurt Area nodes with AT, IN, REGISTERED_AT and INVOLVES relationships (netwerk's ingest
also validates and pseudonymises every row and adds wijk Areas; LOAD CSV and the naive loop do not).
The LOAD CSV and naive statements are ``cypher/bench/load_csv_<file>.cypher`` and
``cypher/bench/naive_<file>.cypher``. LOAD CSV runs ``CALL { ... } IN TRANSACTIONS OF 10000 ROWS``; the
naive loop runs one transaction per row on a sample of ``--naive-rows`` rows spread over the files.
Rates are input rows per second; ratios are against the baselines measured in the same run. The embedded
store writes a large input from a process of its own (``netwerk.store.writeprocess``); its in-run baseline is
the same ingest with the writes on a thread (``embedded_vs_writer_thread``).
The embedded runs come first, with the Neo4j server idle; then an untimed netwerk ingest and LOAD CSV of the
medium town warm up the server's JIT (``--no-warmup``: time from a cold start, where the first method pays for
it) before netwerk on Neo4j and LOAD CSV are timed.
Targets: netwerk on Neo4j ≥ 0.5 x LOAD CSV and ≥ 20 x naive. Memory: the process's peak RSS (the
municipality is generated in a subprocess, so that peak is the ingest's); ``peak_rss_children_mb``: the
largest child's (the embedded store's writing process, or the generator when it ran in this run).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, neo4j_uri, report
from netwerk import cypher

FILES = ("addresses", "persons", "signals", "registrations", "signal_persons")  # in load order
TARGET_VS_LOAD_CSV = 0.5
TARGET_VS_NAIVE = 20.0
#: issue 15: netwerk on Neo4j at least as fast as LOAD CSV; the embedded store at 3x the issue's rate
ISSUE15 = {"vs_load_csv": 1.0, "embedded_rows_per_s": 90_000}
#: the in-run baseline of the embedded store: its writes on a thread instead of a process of their own
THREAD = "netwerk embedded (schrijfthread)"
#: the figures the issue reports for huge (before the columnar write path)
PREVIOUS = {"netwerk embedded": 29_700, "netwerk neo4j": 11_500, "vs_load_csv": 0.70}


def _town(size: str, seed: int, cache: Path) -> Path:
    """The generated municipality (cached), and a folder with just the benchmark's files."""
    town = cache / f"ingest-{size}-s{seed}"
    if not (town / "signals.csv").exists():
        print(f"genereren: {size}, seed {seed} …", flush=True)
        code = "import sys; from netwerk.generate import generate; generate(sys.argv[1], int(sys.argv[2]), sys.argv[3])"
        subprocess.run([sys.executable, "-c", code, str(town), str(seed), size], check=True, stdout=subprocess.DEVNULL)
    sub = cache / f"ingest-{size}-s{seed}-bench"
    sub.mkdir(parents=True, exist_ok=True)
    for f in FILES:
        if not (sub / f"{f}.csv").exists():
            shutil.copy(town / f"{f}.csv", sub / f"{f}.csv")
    return sub


def _count_rows(folder: Path) -> dict[str, int]:
    out = {}
    for f in FILES:
        with (folder / f"{f}.csv").open(newline="", encoding="utf-8") as fh:
            out[f] = sum(1 for _ in csv.reader(fh)) - 1
    return out


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _store(backend: str, tmp: Path) -> Any:
    if backend == "embedded":
        from netwerk.store.embedded import EmbeddedStore

        return EmbeddedStore(tmp / f"store-{time.time_ns()}")
    from netwerk.store.neo4j import Neo4jStore

    st = Neo4jStore(neo4j_uri(import_dir=_import_dir()))
    st.clear()
    return st


def _import_dir() -> Path:
    return Path(os.environ.get("NETWERK_NEO4J_IMPORT_DIR") or ROOT / ".cache" / "neo4j-bench-import")


def _netwerk(backend: str, folder: Path, tmp: Path, rows: int, batch_size: int, *, thread: bool = False) -> float:
    """Seconds to ingest ``folder``; ``thread``: the embedded store writes from a thread, as it does for a small
    input (the baseline of its writing process)."""
    from netwerk.ingest import ingest_folder

    st = _store(backend, tmp)
    if thread:
        st.process_bytes = float("inf")
    t0 = time.perf_counter()
    rep = ingest_folder(folder, st, rejects_path=tmp / "afgewezen.csv", batch_size=batch_size)
    secs = time.perf_counter() - t0
    if rep.read != rows or rep.loaded != rows:
        raise SystemExit(f"ingest las {rep.read} en laadde {rep.loaded} van {rows} rijen: {rep.to_dict()}")
    if backend == "neo4j":
        st.clear()
    st.close()
    return secs


def _load_csv(folder: Path) -> float:
    """Seconds for Neo4j's LOAD CSV of every benchmark file (files copied into the import folder)."""
    from netwerk.store.neo4j import Neo4jStore

    imp = _import_dir()
    imp.mkdir(parents=True, exist_ok=True)
    st = Neo4jStore(neo4j_uri(import_dir=imp))
    st.clear()
    for f in FILES:
        shutil.copy(folder / f"{f}.csv", imp / f"bench_{f}.csv")
    t0 = time.perf_counter()
    with st.driver.session() as session:
        for f in FILES:
            session.run(cypher.load(f"bench/load_csv_{f}"), url=f"file:///bench_{f}.csv").consume()
    secs = time.perf_counter() - t0
    st.clear()
    for f in FILES:
        (imp / f"bench_{f}.csv").unlink()
    return secs


def _warm_up(cache: Path, seed: int, tmp: Path, batch_size: int) -> None:
    """An untimed netwerk ingest and LOAD CSV of the medium town on the benchmark's Neo4j, so its JIT has
    compiled the write path before anything is timed (on a fresh server whichever method runs first pays
    for that: measured on large, netwerk's first 45,000 addresses took 44 s of server CPU cold, 6 s warm)."""
    town = _town("medium", seed, cache)
    _netwerk("neo4j", town, tmp, sum(_count_rows(town).values()), batch_size)
    _load_csv(town)


def _naive_sample(folder: Path, rows: dict[str, int], n: int) -> dict[str, list[dict[str, str | None]]]:
    """The first rows of each file, in proportion to its size, ``n`` in all (empty fields → None)."""
    total = sum(rows.values())
    out: dict[str, list[dict[str, str | None]]] = {}
    for f in FILES:
        k = max(1, round(n * rows[f] / total))
        with (folder / f"{f}.csv").open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            out[f] = [{c: (v or None) for c, v in rec.items()} for _, rec in zip(range(k), reader, strict=False)]
    return out


def _naive(sample: dict[str, list[dict[str, str | None]]]) -> tuple[int, float]:
    """(rows, seconds) of one managed write transaction per row."""
    from netwerk.store.neo4j import Neo4jStore

    st = Neo4jStore(neo4j_uri(import_dir=_import_dir()))
    st.clear()
    n = 0

    def one(tx: Any, query: str, row: dict[str, str | None]) -> None:
        tx.run(query, row=row).consume()

    t0 = time.perf_counter()
    with st.driver.session() as session:
        for f in FILES:
            query = cypher.load(f"bench/naive_{f}")
            for row in sample[f]:
                session.execute_write(one, query, row)
                n += 1
    secs = time.perf_counter() - t0
    st.clear()
    return n, secs


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(prog="bench_ingest", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="large", choices=["small", "medium", "large", "huge"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--backends", default="embedded,neo4j")
    ap.add_argument("--naive-rows", type=int, default=5000)
    ap.add_argument("--batch-sizes", default="", help="also time netwerk on Neo4j with these batch sizes")
    ap.add_argument("--cache", default=str(ROOT / ".cache" / "bench"))
    ap.add_argument("--no-warmup", action="store_true",
                    help="time Neo4j from a cold start (without the untimed medium run that warms its JIT)")
    args = ap.parse_args(argv)
    os.environ.setdefault("NETWERK_PSEUDONYM_KEY", "bench-sleutel-niet-voor-productie")
    os.environ.setdefault("NETWERK_AUDIT_LOG", str(Path(tempfile.gettempdir()) / "netwerk-bench-audit.jsonl"))
    from netwerk.store.base import DEFAULT_BATCH

    folder = _town(args.size, args.seed, Path(args.cache))
    per_file = _count_rows(folder)
    n = sum(per_file.values())
    backends = [b for b in args.backends.split(",") if b]
    load = os.getloadavg()
    rows: list[tuple[Any, ...]] = []
    rate: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as t:
        tmp = Path(t)
        # the embedded runs first: the Neo4j server's work after its warm-up load (checkpoints, garbage
        # collection) would take the second core from them
        if "embedded" in backends:
            for name, thread in (("netwerk embedded", False), (THREAD, True)):
                secs = _netwerk("embedded", folder, tmp, n, DEFAULT_BATCH, thread=thread)
                rate[name] = n / secs
                rows.append((name, n, secs, n / secs, _peak_rss_mb()))
        if "neo4j" in backends:
            if not args.no_warmup:
                _warm_up(Path(args.cache), args.seed, tmp, DEFAULT_BATCH)
            secs = _netwerk("neo4j", folder, tmp, n, DEFAULT_BATCH)
            rate["netwerk neo4j"] = n / secs
            rows.append(("netwerk neo4j", n, secs, n / secs, _peak_rss_mb()))
            for size in [int(x) for x in args.batch_sizes.split(",") if x]:
                secs = _netwerk("neo4j", folder, tmp, n, size)
                rate[f"netwerk neo4j batch {size}"] = n / secs
                rows.append((f"netwerk neo4j batch {size}", n, secs, n / secs, _peak_rss_mb()))
            secs = _load_csv(folder)
            rate["neo4j LOAD CSV"] = n / secs
            rows.append(("neo4j LOAD CSV", n, secs, n / secs, float("nan")))
            k, secs = _naive(_naive_sample(folder, per_file, args.naive_rows))
            rate["naive MERGE"] = k / secs
            rows.append((f"naive MERGE ({k} rijen)", k, secs, k / secs, float("nan")))
    meta: dict[str, Any] = {"size": args.size, "seed": args.seed, "rows": per_file, "rate": rate,
                            "loadavg_before": load, "loadavg_after": os.getloadavg(), "cpus": os.cpu_count(),
                            "batch_size": DEFAULT_BATCH,
                            "peak_rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                            "neo4j_warmup": None if args.no_warmup or "neo4j" not in backends else "medium"}
    last = ROOT / "bench" / "results" / "ingest.json"
    if last.exists():  # the previous run of the same size beside this one
        old = json.loads(last.read_text(encoding="utf-8"))
        if old.get("size") == args.size:
            meta["previous_run"] = {k: old.get(k) for k in ("rate", "vs_load_csv", "loadavg_before")}
    if args.size == "huge":
        meta["previous"] = PREVIOUS
        if "netwerk embedded" in rate:
            meta["issue15_embedded_met"] = rate["netwerk embedded"] >= ISSUE15["embedded_rows_per_s"]
            meta["embedded_vs_writer_thread"] = rate["netwerk embedded"] / rate[THREAD]
    if "netwerk neo4j" in rate and "neo4j LOAD CSV" in rate:
        meta["issue15_vs_load_csv_met"] = rate["netwerk neo4j"] / rate["neo4j LOAD CSV"] >= ISSUE15["vs_load_csv"]
        meta["vs_load_csv"] = rate["netwerk neo4j"] / rate["neo4j LOAD CSV"]
        meta["vs_naive"] = rate["netwerk neo4j"] / rate["naive MERGE"]
        meta["targets_met"] = meta["vs_load_csv"] >= TARGET_VS_LOAD_CSV and meta["vs_naive"] >= TARGET_VS_NAIVE
        print(f"netwerk neo4j / LOAD CSV = {meta['vs_load_csv']:.2f} (doel ≥ {TARGET_VS_LOAD_CSV}); "
              f"/ naïef = {meta['vs_naive']:.1f}x (doel ≥ {TARGET_VS_NAIVE:g}x)")
    report("ingest", ["methode", "rijen", "seconden", "rijen/s", "piek RSS MB"], rows, meta)
