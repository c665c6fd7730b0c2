"""Area assignment speed: 1M points against the ~12,000 CBS buurten of the whole country.

    python -m bench.run areas [-- --points 1000000 --naive-sample 20 --loop-sample 5000]

Points are addresses as a real export has them: around random buurt label points (normal jitter of
300 m), so most fall inside a buurt and some in the sea or abroad. Timed:

- ``load``: the built-in national map (decode + validate; once per process, cached after);
- ``assign``: :func:`netwerk.geo.assign.assign_areas` on all points (STRtree + ``contains_xy`` on
  prepared polygons, label-point fallback), the tree built in the same call;
- ``vectorised STRtree``: ``STRtree.query(points, predicate="intersects")`` on all points (the
  pairs only), the obvious shapely 2 alternative;
- baseline ``per-point STRtree``: a Python loop, one ``tree.query(Point, predicate="intersects")`` per
  point, on ``--loop-sample`` points, extrapolated to all points;
- baseline ``naive``: a Python loop over every polygon per point (``polygon.contains(point)``), on
  ``--naive-sample`` points, extrapolated.

Ratios are baseline time / vectorised time in the same run; the aim is 1M points in under 10 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import report


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(prog="bench_areas")
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--naive-sample", type=int, default=20)
    ap.add_argument("--loop-sample", type=int, default=5_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import shapely

    from netwerk.geo.areas import AreaSet
    from netwerk.geo.assign import assign_areas
    from netwerk.geo.national import national_areas

    t = time.perf_counter()
    buurten = national_areas(("buurt",))
    t_load = time.perf_counter() - t
    n_poly = sum(g is not None for g in buurten.geometries)

    rng = np.random.default_rng(args.seed)
    f = buurten.frame.dropna(subset=["lat", "lon"])
    pick = rng.integers(0, len(f), args.points)
    lat = f["lat"].to_numpy()[pick] + rng.normal(0, 300, args.points) / 111_320
    lon = f["lon"].to_numpy()[pick] + rng.normal(0, 300, args.points) / (111_320 * np.cos(np.radians(52.2)))

    fresh = AreaSet(buurten.frame, list(buurten.geometries))  # no cached tree: the build is timed too
    t = time.perf_counter()
    codes, bron = assign_areas(lat, lon, fresh)
    t_assign = time.perf_counter() - t
    t = time.perf_counter()
    assign_areas(lat, lon, fresh)
    t_warm = time.perf_counter() - t
    share = {b: float(np.mean(bron == b)) for b in ("grof", "label", "buiten")}

    geoms = [g for g in buurten.geometries if g is not None]
    codes_poly = [c for c, g in zip(buurten.codes, buurten.geometries, strict=True) if g is not None]
    tree = shapely.STRtree(geoms)
    t = time.perf_counter()
    tree.query(shapely.points(lon, lat), predicate="intersects")
    t_strtree = time.perf_counter() - t
    m = min(args.loop_sample, args.points)
    t = time.perf_counter()
    loop_codes = []
    for la, lo in zip(lat[:m], lon[:m], strict=True):
        hits = tree.query(shapely.Point(lo, la), predicate="intersects")
        loop_codes.append(min((codes_poly[i] for i in hits), default=None))
    t_loop = (time.perf_counter() - t) / m * args.points
    agree = float(np.mean([a == b for a, b, s in zip(loop_codes, codes[:m], bron[:m], strict=True)
                           if s in ("grof", "buiten")]))

    k = min(args.naive_sample, args.points)
    t = time.perf_counter()
    for la, lo in zip(lat[:k], lon[:k], strict=True):
        p = shapely.Point(lo, la)
        next((c for c, g in zip(codes_poly, geoms, strict=True) if g.contains(p)), None)
    t_naive = (time.perf_counter() - t) / k * args.points

    rows = [
        ["load national map (12,005 buurten)", round(t_load, 2), "", ""],
        [f"assign_areas, {args.points:,} points (tree built)", round(t_assign, 2), 1.0, ""],
        [f"assign_areas, {args.points:,} points (tree cached)", round(t_warm, 2), round(t_assign / t_warm, 2), ""],
        [f"vectorised STRtree.query(points, 'intersects'), {args.points:,} points", round(t_strtree, 2),
         round(t_strtree / t_assign, 2), "pairs only, no tie rule"],
        [f"per-point STRtree loop (sample {m:,}, extrapolated)", round(t_loop, 1), round(t_loop / t_assign, 1),
         f"same code: {agree:.4f}"],
        [f"naive per-point loop over all polygons (sample {k}, extrapolated)", round(t_naive, 0),
         round(t_naive / t_assign, 0), ""],
    ]
    report("areas", ["step", "seconds", "x slower than assign_areas", "check"], rows, {
        "points": args.points, "polygons": n_poly, "buurten": len(buurten), "bron_share": share,
        "aim_seconds": 10.0, "load_average": os.getloadavg(), "cpus": os.cpu_count(),
        "assign_seconds": t_assign, "per_point_loop_ratio": t_loop / t_assign,
        "naive_ratio": t_naive / t_assign, "strtree_vectorised_ratio": t_strtree / t_assign,
    })


if __name__ == "__main__":
    main(sys.argv[1:])
