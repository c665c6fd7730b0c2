"""Region scale on one machine: `netwerk generate --size regio` (10M signals, ~2M persons), ingest into the
embedded store, then every analysis with its time and peak memory.

    python -m bench.run regio -- [--fraction 0.2] [--seed 7] [--steps generate,ingest,hotspots,...]

Each step runs in its own process, so its peak memory (``ru_maxrss`` of that process, from ``os.wait4``)
is the step's own: ``generate`` (CSV folder), ``ingest`` (validation, pseudonymisation, embedded store) and
per analysis the projection (``frames_s``: only the frames and period it needs) plus the analysis itself.
``--fraction`` runs a region of that share of the ``regio`` preset (same ratios of addresses, persons and
businesses per signal) when the full region does not fit in the time at hand; the JSON then also gives
the linear extrapolation to the full region, labelled as such. Generated folders and stores are cached in
``.cache/bench/`` (``--fresh`` starts over). Results: ``bench/results/regio.json`` for the whole region,
``regio-<fraction>.json`` for a part; a run adds its steps to the earlier ones of the same size and seed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, report

CACHE = ROOT / ".cache" / "bench"
KEY = "bench-sleutel-niet-voor-productie"
#: the analysis year of the generated region (its window ends 2025-10-31)
SINCE, UNTIL = "2024-11-01", "2025-10-31"
ANALYSES = ["hotspots", "near_repeat", "indicators", "groups"]
STEPS = ["generate", "ingest", *ANALYSES]


def size_name(fraction: float) -> str:
    return "regio" if fraction == 1 else f"regio-{fraction:g}"


def _register(fraction: float) -> str:
    """Register the (scaled) regio preset; returns its name."""
    from netwerk.synth.world import SIZES, SizeSpec

    full = SIZES["regio"]
    name = size_name(fraction)
    SIZES[name] = SizeSpec(*(max(1, round(v * fraction)) for v in (full.signals, full.addresses, full.businesses)))
    return name


def _frames(store: Any, tables: Any, since: str | None, until: str | None, columns: Any = None) -> tuple[Any, float]:
    from netwerk.frames import Frames

    t = time.perf_counter()
    frames = Frames.from_store(store, since=since, until=until, tables=tables, columns=columns)
    return frames, time.perf_counter() - t


def run_step(step: str, folder: Path, store_path: Path, fraction: float, seed: int) -> dict[str, Any]:
    """One step in this process; returns its figures."""
    if step == "generate":
        from netwerk.generate import generate

        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        gt = generate(folder, seed=seed, size=_register(fraction))
        return {"seconds": time.perf_counter() - t, "rows": sum(gt["counts"].values()), "counts": gt["counts"]}
    from netwerk.store.embedded import EmbeddedStore

    if step == "ingest":
        from netwerk.ingest import ingest_folder

        shutil.rmtree(store_path, ignore_errors=True)
        with EmbeddedStore(store_path) as st:
            t = time.perf_counter()
            ingest_folder(folder, st)
            seconds = time.perf_counter() - t
            counts = st.counts()
        rows = sum(counts["nodes"].values()) + sum(counts["relationships"].values())
        return {"seconds": seconds, "rows": rows, "rows_per_s": rows / seconds}
    with EmbeddedStore(store_path) as st:
        if step in ("hotspots", "near_repeat"):  # what `netwerk hotspots` reads, up to the period's end
            from netwerk.hotspots import HOTSPOT_COLUMNS, HOTSPOT_TABLES

            frames, load = _frames(st, HOTSPOT_TABLES, None, UNTIL, HOTSPOT_COLUMNS)  # (+ the baseline before)
        elif step == "indicators":  # what `netwerk indicators` reads
            from netwerk.indicators import INDICATOR_COLUMNS, INDICATOR_TABLES

            frames, load = _frames(st, INDICATOR_TABLES, None, None, INDICATOR_COLUMNS)
        else:  # what `netwerk groepen` reads
            from netwerk.youth import GROUP_TABLES

            frames, load = _frames(st, GROUP_TABLES, None, None)
    t = time.perf_counter()
    found = _analyse(step, frames)
    return {"frames_s": load, "seconds": time.perf_counter() - t, "signals_read": len(frames.signals),
            "results": found}


def _analyse(step: str, frames: Any) -> int:
    if step == "hotspots":
        from netwerk.hotspots import find_hotspots

        return len(find_hotspots(frames, since=SINCE, until=UNTIL))
    if step == "near_repeat":
        from netwerk.hotspots import near_repeat

        return len(near_repeat(frames, since=SINCE, until=UNTIL))
    if step == "indicators":
        from bench.bench_indicators import time_python

        return time_python(frames)[2]
    if step == "groups":
        from netwerk.youth import analyse_groups

        return len(analyse_groups(frames))
    raise SystemExit(f"onbekende stap {step!r}; kies uit {', '.join(STEPS)}")


def _in_child(step: str, args: argparse.Namespace) -> tuple[dict[str, Any], float, float, float]:
    """Run a step in a fresh process: (figures, wall seconds, peak RSS in MB, CPU seconds: user + system).

    On a shared machine the CPU seconds are the steadier figure: wall time grows with the load."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", step, "--fraction", str(args.fraction),
           "--seed", str(args.seed)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"stap {step} mislukt (exitcode {proc.returncode})")
    cpu = usage.ru_utime + usage.ru_stime
    return json.loads(out.decode().strip().splitlines()[-1]), wall, usage.ru_maxrss / 1024, cpu


def _earlier_steps(args: argparse.Namespace) -> dict[str, Any]:
    """The figures of the previous run on the same region and seed (steps not rerun keep them)."""
    path = ROOT / "bench" / "results" / f"{size_name(args.fraction)}.json"  # each size its own file
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    same = old.get("size") == size_name(args.fraction) and old.get("seed") == args.seed and not args.fresh
    return dict(old.get("steps", {})) if same else {}


def _paths(fraction: float) -> tuple[Path, Path]:
    name = size_name(fraction)
    return CACHE / f"{name}-town", CACHE / f"{name}-store"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="bench_regio", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fraction", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--steps", default=",".join(STEPS))
    ap.add_argument("--fresh", action="store_true", help="genereer en laad opnieuw, ook als de cache er is")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv or [])
    os.environ.setdefault("NETWERK_PSEUDONYM_KEY", KEY)
    os.environ.setdefault("NETWERK_AUDIT_LOG", str(CACHE / "audit.jsonl"))
    CACHE.mkdir(parents=True, exist_ok=True)
    folder, store_path = _paths(args.fraction)
    if args.child:
        print(json.dumps(run_step(args.child, folder, store_path, args.fraction, args.seed), default=int))
        return
    steps = [s for s in args.steps.split(",") if s]
    if not args.fresh:  # a cached folder / store is reused
        steps = [s for s in steps if not (s == "generate" and (folder / "ground_truth.json").exists())
                 and not (s == "ingest" and (store_path / "graph.sqlite").exists() and "generate" not in steps)]
    meta: dict[str, Any] = {"fraction": args.fraction, "size": size_name(args.fraction), "seed": args.seed,
                            "period": [SINCE, UNTIL], "steps": _earlier_steps(args)}
    for step in steps:
        load_before = os.getloadavg()[0]
        figures, wall, peak, cpu = _in_child(step, args)
        figures.update(wall_s=wall, cpu_s=cpu, peak_rss_mb=round(peak),
                       load_avg_1m=[load_before, os.getloadavg()[0]])
        if step in meta["steps"]:  # the figures this run replaces, beside the new ones
            meta.setdefault("previous_run", {})[step] = meta["steps"][step]
        meta["steps"][step] = figures
        (CACHE / f"{size_name(args.fraction)}-partial.json").write_text(json.dumps(meta, indent=1, default=str))
    if args.fraction != 1 and meta["steps"]:
        meta["extrapolated_to_regio"] = {  # linear in the number of rows: labelled, not measured
            s: {"seconds": round((f["seconds"] + f.get("frames_s", 0)) / args.fraction),
                "peak_rss_mb": round(f["peak_rss_mb"] / args.fraction)}
            | ({"cpu_s": round(f["cpu_s"] / args.fraction)} if "cpu_s" in f else {})
            for s, f in meta["steps"].items()}
        meta["note"] = (f"gemeten op {args.fraction:g} van de regio; extrapolated_to_regio is een lineaire "
                        "schatting (tijd en geheugen evenredig met het aantal rijen), geen meting")
    rows = [[step, f.get("frames_s", ""), f["seconds"], round(f["cpu_s"], 1) if "cpu_s" in f else "", f["peak_rss_mb"],
             f.get("rows", f.get("results", "")), f"{f['load_avg_1m'][0]:.1f}"] for step, f in meta["steps"].items()]
    columns = ["stap", "frames_s", "seconden", "cpu_s", "piek_rss_mb", "rijen/resultaten", "load_1m"]
    report(size_name(args.fraction), columns, rows, meta)


if __name__ == "__main__":
    main(sys.argv[1:])
