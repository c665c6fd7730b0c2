"""The benchmark's Cypher (``cypher/bench/``) runs on real Neo4j and builds the graph netwerk's ingest builds.

bench/bench_ingest.py compares netwerk's ingest with Neo4j's own LOAD CSV and with a naive one-row-per-
transaction MERGE; that comparison is only fair when all three load the same rows into the same graph.
"""

from __future__ import annotations

import csv
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from netwerk import cypher
from netwerk.ingest import ingest_folder
from netwerk.store import GraphStore

pytestmark = pytest.mark.neo4j

FILES = ("addresses", "persons", "signals", "registrations", "signal_persons")
COUNTED = {
    "Address": "MATCH (n:Address) RETURN count(n) AS n",
    "Person": "MATCH (n:Person) RETURN count(n) AS n",
    "Signal": "MATCH (n:Signal) RETURN count(n) AS n",
    "buurt Area": "MATCH (:Address|Signal)-[:IN]->(b:Area) RETURN count(DISTINCT b) AS n",
    "AT": "MATCH ()-[r:AT]->() RETURN count(r) AS n",
    "IN": "MATCH (:Address|Signal)-[r:IN]->(:Area) RETURN count(r) AS n",
    "REGISTERED_AT": "MATCH ()-[r:REGISTERED_AT]->() RETURN count(r) AS n",
    "INVOLVES": "MATCH ()-[r:INVOLVES]->() RETURN count(r) AS n",
}


def _counts(store: GraphStore) -> dict[str, int]:
    with store.driver.session() as session:  # type: ignore[attr-defined]
        return {name: session.run(q).single(strict=True)["n"] for name, q in COUNTED.items()}


@pytest.fixture(scope="module")
def folder(town: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's files of the small municipality."""
    out = tmp_path_factory.mktemp("bench-files")
    for f in FILES:
        shutil.copy(town["dir"] / f"{f}.csv", out / f"{f}.csv")
    return out


@pytest.fixture(scope="module")
def served(folder: Path) -> Iterator[str]:
    """The folder over HTTP on 127.0.0.1 (LOAD CSV reads http:// URLs; no server import folder needed)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_load_csv_builds_the_graph_ingest_builds(neo4j_store: GraphStore, folder: Path, served: str,
                                                  tmp_path: Path) -> None:
    report = ingest_folder(folder, neo4j_store, rejects_path=tmp_path / "afgewezen.csv")
    assert report.rejected == 0 and report.loaded > 1000
    by_ingest = _counts(neo4j_store)
    neo4j_store.clear()
    with neo4j_store.driver.session() as session:  # type: ignore[attr-defined]
        for f in FILES:
            session.run(cypher.load(f"bench/load_csv_{f}"), url=f"{served}/{f}.csv").consume()
    by_load_csv = _counts(neo4j_store)
    assert by_load_csv == by_ingest
    assert all(v > 0 for v in by_ingest.values()), by_ingest


def _read(folder: Path, f: str) -> list[dict[str, str]]:
    with (folder / f"{f}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_naive_statements_load_row_by_row(neo4j_store: GraphStore, folder: Path) -> None:
    involves = _read(folder, "signal_persons")[:3]
    persons = {r["person_id"] for r in involves}
    signal_ids = {r["signal_id"] for r in involves}
    regs = [r for r in _read(folder, "registrations") if r["person_id"] in persons]
    signals = [r for r in _read(folder, "signals") if r["signal_id"] in signal_ids]
    addresses = {r["address_id"] for r in regs} | {r["address_id"] for r in signals if r["address_id"]}
    sample = {
        "addresses": [r for r in _read(folder, "addresses") if r["address_id"] in addresses],
        "persons": [r for r in _read(folder, "persons") if r["person_id"] in persons],
        "signals": signals,
        "registrations": regs,
        "signal_persons": involves,
    }
    with neo4j_store.driver.session() as session:  # type: ignore[attr-defined]
        for f in FILES:
            query = cypher.load(f"bench/naive_{f}")
            for row in sample[f]:
                params = {c: (v or None) for c, v in row.items()}
                session.execute_write(lambda tx, q=query, p=params: tx.run(q, row=p).consume())
    counts = _counts(neo4j_store)
    assert counts["Address"] == len(addresses) and counts["Person"] == len(persons)
    assert counts["Signal"] == len(signal_ids) and counts["INVOLVES"] == len({(r["signal_id"], r["person_id"])
                                                                              for r in involves})
    assert counts["REGISTERED_AT"] == len({(r["person_id"], r["address_id"], r["start_date"]) for r in regs}) > 0
    assert counts["AT"] == sum(1 for r in signals if r["address_id"])
    assert counts["IN"] == sum(1 for r in [*sample["addresses"], *signals] if r["buurt_code"])
