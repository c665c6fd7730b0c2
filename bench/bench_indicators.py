"""Indicator library speed: every indicator on the embedded store, the Cypher patterns on Neo4j beside it.

    python bench/bench_indicators.py [small|medium|large|huge] [--neo4j-size SIZE] [--no-neo4j]

Generates the synthetic municipality (cached in .cache/bench/), ingests it into an embedded store,
loads the frames the indicators read (``INDICATOR_TABLES``, ``INDICATOR_COLUMNS``) and times each
indicator (Python, vectorised) and all together; target: all indicators together under a minute at
``huge`` (1M signals). On Neo4j (``NETWERK_BENCH_NEO4J_URI`` or
a private server) the municipality of ``--neo4j-size`` (default ``large``: ingesting ``huge`` into
Neo4j takes long on this machine) is ingested and each Cypher pattern is timed beside the Python
indicator on the same data; the ratio Cypher / Python is the figure that compares across machines.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, neo4j_uri, report

CACHE = ROOT / ".cache" / "bench"
KEY = "bench-sleutel-niet-voor-productie"


def _town(size: str) -> Path:
    from netwerk.generate import generate

    out = CACHE / f"indicators-{size}-town"
    if not (out / "ground_truth.json").exists():
        out.mkdir(parents=True, exist_ok=True)
        generate(out, seed=7, size=size)
    return out


def _embedded(size: str) -> Any:
    from netwerk.ingest import ingest_folder
    from netwerk.store.embedded import EmbeddedStore

    path = CACHE / f"indicators-{size}-store"
    fresh = not path.exists()
    st = EmbeddedStore(path)
    if fresh or st.counts()["nodes"]["Signal"] == 0:
        ingest_folder(_town(size), st)
    return st


def time_python(frames: Any) -> tuple[dict[str, float], list[Any], int]:
    """Seconds per indicator (run order, each seeing the earlier flags), the flags."""
    from netwerk.frames import period
    from netwerk.indicators import DEFAULT_DAYS, REGISTRY
    from netwerk.indicators.base import Context
    from netwerk.indicators.config import IndicatorConfig

    start, end = period(frames, None, None, DEFAULT_DAYS)
    ctx = Context(start=start, end=end, config=IndicatorConfig())
    times = {}
    for name, ind in REGISTRY.items():
        t = time.perf_counter()
        ctx.flags.extend(ind.func(frames, ctx))
        times[name] = time.perf_counter() - t
    return times, ctx.flags, len(ctx.flags)


def time_cypher(store: Any, frames: Any, flags: list[Any]) -> dict[str, tuple[float, int]]:
    from netwerk.indicators.patterns import PATTERNS, pattern_params, run_pattern

    params = pattern_params(frames, flags=flags)
    out = {}
    for name in PATTERNS:
        t = time.perf_counter()
        rows = run_pattern(store, name, params)
        out[name] = (time.perf_counter() - t, len(rows))
    return out


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(prog="bench_indicators")
    ap.add_argument("size", nargs="?", default="huge")
    ap.add_argument("--neo4j-size", default="large")
    ap.add_argument("--no-neo4j", action="store_true")
    args = ap.parse_args(argv)
    os.environ.setdefault("NETWERK_PSEUDONYM_KEY", KEY)
    os.environ.setdefault("NETWERK_AUDIT_LOG", str(CACHE / "audit.jsonl"))
    CACHE.mkdir(parents=True, exist_ok=True)
    from netwerk.frames import Frames
    from netwerk.indicators import INDICATOR_COLUMNS, INDICATOR_TABLES

    rows: list[list[Any]] = []
    meta: dict[str, Any] = {"size": args.size, "neo4j_size": None if args.no_neo4j else args.neo4j_size}
    st = _embedded(args.size)
    t = time.perf_counter()
    frames = Frames.from_store(st, tables=INDICATOR_TABLES, columns=INDICATOR_COLUMNS)
    load = time.perf_counter() - t
    st.close()
    times, flags, n = time_python(frames)
    total = sum(times.values())
    meta.update(signals=len(frames.signals), registrations=len(frames.registrations), flags=n,
                load_frames_s=load, total_s=total, target_met=total < 60, with_frames_s=total + load,
                with_frames_target_s=15, with_frames_target_met=total + load <= 15,
                load_avg_1m=os.getloadavg()[0],
                previous={"huge_total_s": 13.8, "huge_load_frames_s": 23.0})  # issue 15, before column reads
    for name, s in times.items():
        rows.append([args.size, "embedded (Python)", name, s, sum(f.indicator == name for f in flags), ""])
    rows.append([args.size, "embedded (Python)", "ALLE INDICATOREN", total, n, "doel < 60 s"])
    rows.append([args.size, "embedded", "frames laden (indicatorkolommen)", load, len(frames.registrations), ""])
    rows.append([args.size, "embedded", "INDICATOREN + FRAMES", total + load, n,
                 f"doel <= 15 s; load {os.getloadavg()[0]:.1f}"])
    if not args.no_neo4j:
        from netwerk.ingest import ingest_folder
        from netwerk.store.neo4j import Neo4jStore

        neo = Neo4jStore(neo4j_uri())
        neo.clear()
        t = time.perf_counter()
        ingest_folder(_town(args.neo4j_size), neo)
        meta["neo4j_ingest_s"] = time.perf_counter() - t
        nframes = Frames.from_store(neo)
        ptimes, pflags, _ = time_python(nframes)
        for name, (s, k) in time_cypher(neo, nframes, pflags).items():
            py = ptimes[name]
            rows.append([args.neo4j_size, "neo4j (Cypher)", name, s, k, f"{s / py:.1f}x Python ({py:.2f} s)"])
        neo.close()
    report("indicators", ["grootte", "backend", "indicator", "seconden", "treffers", "opmerking"], rows, meta)


if __name__ == "__main__":
    main(sys.argv[1:])
