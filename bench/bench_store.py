"""Bulk upsert through the port vs a naive one-row-per-transaction loop, per backend.

100k nodes + 200k relationships in batches (UNWIND on Neo4j, executemany on SQLite), against the
naive loop measured on a sample of the same rows. Reported as rows/s and the speed-up ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import neo4j_uri, report
from netwerk.store import GraphStore
from netwerk.store.embedded import EmbeddedStore
from netwerk.store.neo4j import Neo4jStore


def _rows(n_nodes: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    half = n_nodes // 2
    persons = [{"person_id": f"P{i}", "birth_year": 1950 + i % 60} for i in range(half)]
    signals = [{"signal_id": f"S{i}", "reported_at": "2025-01-01T10:00:00", "domain": "woon"} for i in range(half)]
    rels = [{"start": f"S{i % half}", "end": f"P{(i * 7 + i // half) % half}", "role": "betrokkene"}
            for i in range(2 * n_nodes)]
    return persons, signals, rels


def _bulk(store: GraphStore, persons: list, signals: list, rels: list) -> float:
    start = time.perf_counter()
    store.upsert_nodes("Person", persons)
    store.upsert_nodes("Signal", signals)
    store.upsert_relationships("INVOLVES", rels)
    return (len(persons) + len(signals) + len(rels)) / (time.perf_counter() - start)


def _naive(store: GraphStore, persons: list, signals: list, rels: list, sample: int) -> float:
    start, n = time.perf_counter(), 0
    for label, rows in (("Person", persons[:sample]), ("Signal", signals[:sample])):
        for row in rows:
            store.upsert_nodes(label, [row])
            n += 1
    keys = {p["person_id"] for p in persons[:sample]}
    sigs = {s["signal_id"] for s in signals[:sample]}
    for row in [r for r in rels if r["end"] in keys and r["start"] in sigs][: 2 * sample]:
        store.upsert_relationships("INVOLVES", [row])
        n += 1
    return n / (time.perf_counter() - start)


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(prog="bench_store")
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=1_000, help="rows per label in the naive loop")
    ap.add_argument("--backends", default="embedded,neo4j")
    args = ap.parse_args(argv)
    persons, signals, rels = _rows(args.nodes)
    rows = []
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            def fresh(backend: str = backend, tmp: str = tmp) -> GraphStore:
                if backend == "embedded":
                    return EmbeddedStore(Path(tmp) / f"s{time.perf_counter_ns()}")
                st = Neo4jStore(neo4j_uri())
                st.clear()
                return st

            st = fresh()
            bulk = _bulk(st, persons, signals, rels)
            st.close()
            st = fresh()
            naive = _naive(st, persons, signals, rels, args.sample)
            st.clear()
            st.close()
        rows.append((backend, args.nodes, 2 * args.nodes, bulk, naive, bulk / naive))
    report("store", ["backend", "nodes", "relationships", "bulk rows/s", "naive rows/s", "speed-up"], rows,
           {"sample": args.sample})
