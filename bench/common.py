"""Shared benchmark plumbing: timing, a real Neo4j for the run, result tables and JSON files."""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
console = Console()


@contextmanager
def timer(into: dict[str, float], name: str) -> Iterator[None]:
    """Add the wall time of the block to ``into[name]`` (seconds)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        into[name] = into.get(name, 0.0) + time.perf_counter() - start


_STARTED: dict[str, str] = {}


def neo4j_uri(import_dir: Path | None = None) -> str:
    """``NETWERK_BENCH_NEO4J_URI``, or a private Neo4j started with scripts/neo4j for this run.

    ``import_dir``: the folder a server started here reads ``LOAD CSV`` ``file:///`` URLs from (with
    ``NETWERK_BENCH_NEO4J_URI`` the server was started by someone else: start it with the same
    ``NETWERK_NEO4J_IMPORT_DIR``)."""
    uri = os.environ.get("NETWERK_BENCH_NEO4J_URI") or _STARTED.get("uri")
    if uri:
        return uri
    env = {**os.environ, "NETWERK_NEO4J_STATE": str(ROOT / ".cache" / "neo4j-bench")}
    if import_dir is not None:
        import_dir.mkdir(parents=True, exist_ok=True)
        env["NETWERK_NEO4J_IMPORT_DIR"] = str(import_dir)
    out = subprocess.run([str(ROOT / "scripts" / "neo4j"), "start"], env=env, check=True,
                         capture_output=True, text=True)
    uri = out.stdout.strip().splitlines()[-1]
    _STARTED["uri"] = uri
    atexit.register(lambda: subprocess.run([str(ROOT / "scripts" / "neo4j"), "stop"], env=env, check=False))
    return uri


def report(name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], meta: dict[str, Any]) -> Path:
    """Print a table and write ``bench/results/<name>.json``."""
    table = Table(title=name)
    for c in columns:
        table.add_column(c)
    for r in rows:
        table.add_row(*[f"{v:,.2f}" if isinstance(v, float) else str(v) for v in r])
    console.print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"name": name, "columns": list(columns), "rows": [list(r) for r in rows], **meta},
                               indent=2, default=str))
    console.print(f"→ {path}")
    return path
