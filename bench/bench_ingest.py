"""Ingest speed per backend, side by side with Neo4j's own LOAD CSV and a naive row-by-row MERGE.

    python bench/bench_ingest.py [small|medium|large|huge] [--neo4j URI] [--import-dir DIR] [--naive-rows N]

All three load the SAME rows: ``addresses.csv`` + ``signals.csv`` of a generated municipality, i.e.
Address and Signal nodes plus the AT relationships (netwerk's ingest also writes Areas and IN links,
which only makes it slower). Rates are rows read per second. The naive baseline runs one transaction
per row (MERGE signal, MERGE address, MERGE AT) on a sample of ``--naive-rows`` rows. The full ingest
of every file is timed as well. LOAD CSV reads from the Neo4j server's import folder: start the server
with ``NETWERK_NEO4J_IMPORT_DIR=DIR scripts/neo4j start`` and pass the same folder as ``--import-dir``.
Targets: netwerk ≥ 50% of LOAD CSV's rate and ≥ 20x the naive rate.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

LOAD_ADDRESSES = """
LOAD CSV WITH HEADERS FROM 'file:///bench_addresses.csv' AS row
CALL { WITH row
  MERGE (a:Address {address_id: row.address_id})
  SET a.street = row.street, a.house_number = toInteger(row.house_number), a.postcode = row.postcode,
      a.city = row.city, a.buurt_code = row.buurt_code, a.lat = toFloat(row.lat), a.lon = toFloat(row.lon)
} IN TRANSACTIONS OF 10000 ROWS
"""
LOAD_SIGNALS = """
LOAD CSV WITH HEADERS FROM 'file:///bench_signals.csv' AS row
CALL { WITH row
  MERGE (s:Signal {signal_id: row.signal_id})
  SET s.reported_at = row.reported_at, s.category = row.category, s.subcategory = row.subcategory,
      s.source = row.source, s.buurt_code = row.buurt_code, s.status = row.status
  WITH s, row WHERE row.address_id IS NOT NULL AND row.address_id <> ''
  MATCH (a:Address {address_id: row.address_id})
  MERGE (s)-[:AT]->(a)
} IN TRANSACTIONS OF 10000 ROWS
"""
NAIVE = """
MERGE (s:Signal {signal_id: $signal_id})
SET s.reported_at = $reported_at, s.category = $category, s.subcategory = $subcategory, s.source = $source
WITH s
MERGE (a:Address {address_id: $address_id})
MERGE (s)-[:AT]->(a)
"""


def _rows(folder: Path, names: list[str]) -> int:
    total = 0
    for n in names:
        with (folder / n).open("rb") as fh:
            total += sum(1 for _ in fh) - 1
    return total


def _town(size: str, cache: Path) -> Path:
    folder = cache / f"town-{size}"
    if not (folder / "signals.csv").exists():
        from netwerk.generate import generate

        print(f"genereren: {size} …", flush=True)
        generate(folder, seed=7, size=size)
    return folder


def _subset(town: Path, tmp: Path) -> Path:
    sub = tmp / "sig_addr"
    sub.mkdir(exist_ok=True)
    for n in ("addresses.csv", "signals.csv"):
        shutil.copy(town / n, sub / n)
    return sub


def _ingest(folder: Path, store: Any) -> tuple[float, Any, int]:
    from netwerk.ingest import ingest_folder

    tracemalloc.start()
    t0 = time.perf_counter()
    report = ingest_folder(folder, store, rejects_path=folder.parent / "rejects.csv")
    secs = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return secs, report, peak


def _open(backend: str, uri: str | None, tmp: Path) -> Any:
    if backend == "embedded":
        from netwerk.store.embedded import EmbeddedStore

        return EmbeddedStore(tmp / f"store-{time.time_ns()}")
    from netwerk.store.neo4j import Neo4jStore

    st = Neo4jStore(uri or "")
    st.clear()
    return st


def _load_csv(uri: str, import_dir: Path, sub: Path) -> float:
    from netwerk.store.neo4j import Neo4jStore

    st = Neo4jStore(uri)
    st.clear()
    for n in ("addresses.csv", "signals.csv"):
        shutil.copy(sub / n, import_dir / f"bench_{n}")
    t0 = time.perf_counter()
    with st.driver.session() as s:
        s.run(LOAD_ADDRESSES).consume()
        s.run(LOAD_SIGNALS).consume()
    secs = time.perf_counter() - t0
    st.clear()
    return secs


def _naive(uri: str, sub: Path, n: int) -> tuple[int, float]:
    from netwerk.store.neo4j import Neo4jStore

    st = Neo4jStore(uri)
    st.clear()
    sig = pd.read_csv(sub / "signals.csv", dtype=str, keep_default_na=False, nrows=n)
    sig = sig[sig["address_id"] != ""]
    rows = sig[["signal_id", "reported_at", "category", "subcategory", "source", "address_id"]].to_dict("records")
    def one(tx: Any, row: dict[str, Any]) -> None:
        tx.run(NAIVE, row).consume()

    t0 = time.perf_counter()
    with st.driver.session() as s:
        for r in rows:
            s.execute_write(one, r)
    secs = time.perf_counter() - t0
    st.clear()
    return len(rows), secs


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("size", nargs="?", default="medium", choices=["small", "medium", "large", "huge"])
    ap.add_argument("--neo4j", default=os.environ.get("NETWERK_BENCH_NEO4J_URI", ""))
    ap.add_argument("--import-dir", default=os.environ.get("NETWERK_NEO4J_IMPORT_DIR", ""))
    ap.add_argument("--naive-rows", type=int, default=5000)
    ap.add_argument("--cache", default=str(ROOT / ".cache" / "bench"))
    ap.add_argument("--full", action="store_true", help="also time the ingest of every file per backend")
    args = ap.parse_args(argv)
    os.environ.setdefault("NETWERK_PSEUDONYM_KEY", "bench-sleutel")
    os.environ.setdefault("NETWERK_AUDIT_LOG", str(Path(tempfile.gettempdir()) / "netwerk-bench-audit.jsonl"))
    town = _town(args.size, Path(args.cache))
    out: dict[str, Any] = {"size": args.size, "rows": {}, "rate": {}, "seconds": {}, "peak_mb": {}}
    backends = ["embedded"] + (["neo4j"] if args.neo4j else [])
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as t:
        tmp = Path(t)
        sub = _subset(town, tmp)
        n = _rows(sub, ["addresses.csv", "signals.csv"])
        out["rows"]["signals+addresses"] = n
        for b in backends:
            st = _open(b, args.neo4j, tmp)
            secs, report, peak = _ingest(sub, st)
            assert report.loaded == n, report.to_dict()
            out["seconds"][f"netwerk-{b}"] = secs
            out["rate"][f"netwerk-{b}"] = n / secs
            out["peak_mb"][f"netwerk-{b}"] = peak / 2**20
            if args.full:
                st.clear()
                secs, report, peak = _ingest(town, st)
                out["rows"]["all files"] = report.read
                out["seconds"][f"netwerk-{b} (alle bestanden)"] = secs
                out["rate"][f"netwerk-{b} (alle bestanden)"] = report.read / secs
                out["peak_mb"][f"netwerk-{b} (alle bestanden)"] = peak / 2**20
            if b == "neo4j":
                st.clear()
            st.close()
        if args.neo4j and args.import_dir:
            secs = _load_csv(args.neo4j, Path(args.import_dir), sub)
            out["seconds"]["neo4j LOAD CSV"] = secs
            out["rate"]["neo4j LOAD CSV"] = n / secs
        if args.neo4j:
            k, secs = _naive(args.neo4j, sub, args.naive_rows)
            out["seconds"][f"naive MERGE ({k} rijen)"] = secs
            out["rate"]["naive MERGE"] = k / secs
    rate = out["rate"]
    if "neo4j LOAD CSV" in rate and "netwerk-neo4j" in rate:
        out["vs_load_csv"] = rate["netwerk-neo4j"] / rate["neo4j LOAD CSV"]
    if "naive MERGE" in rate and "netwerk-neo4j" in rate:
        out["vs_naive"] = rate["netwerk-neo4j"] / rate["naive MERGE"]
    print(f"\ningest-benchmark, gemeente {args.size}: {n:,} rijen (addresses + signals, met AT)")
    print(f"{'methode':38} {'rijen/s':>12} {'seconden':>10} {'piek MB':>8}")
    for k, v in rate.items():
        secs = next((s for kk, s in out["seconds"].items() if kk.startswith(k)), float("nan"))
        print(f"{k:38} {v:12,.0f} {secs:10.1f} {out['peak_mb'].get(k, float('nan')):8.0f}")
    if "vs_load_csv" in out:
        print(f"netwerk-neo4j / LOAD CSV = {out['vs_load_csv']:.2f} (doel ≥ 0.50)")
    if "vs_naive" in out:
        print(f"netwerk-neo4j / naïef    = {out['vs_naive']:.1f}x (doel ≥ 20x)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
