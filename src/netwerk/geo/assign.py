"""Vectorised area assignment: which buurt (wijk, gemeente, own area) holds each point.

Method (see docs/geografie.md):

1. point-in-polygon with a shapely 2 :class:`~shapely.STRtree` over the areas' polygons (bounding-box
   candidates, then ``contains_xy`` on prepared polygons). ``bron`` is ``"polygoon"`` for a precise
   polygon and ``"grof"`` for a coarse (fallback, ~300 m) polygon;
2. **shared border / overlap**: a point inside more than one area (overlapping own areas) gets the
   **lowest area code** of those; a point inside none but exactly on the border of two or more
   (a shared border) also gets the **lowest area code** of the areas it touches. Deterministic,
   whatever the file order. Inside one area beats being on the border of another;
3. a point in no polygon gets the **nearest label point** of an area without a precise polygon (coarse
   or points-only areas) within ``max_distance_m`` (default 1,500 m, measured in RD New); ``bron`` is
   ``"label"``. Areas with precise polygons never catch outside points: near a precise polygon is not in it;
4. otherwise the point is **outside every area**: code ``None``, ``bron="buiten"``;
5. a missing or non-finite coordinate gives code ``None``, ``bron="geen"``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from scipy.spatial import cKDTree

from netwerk.geo.areas import AreaSet
from netwerk.geo.coords import wgs84_to_rd

__all__ = ["BRON", "DEFAULT_MAX_DISTANCE_M", "assign_areas"]

DEFAULT_MAX_DISTANCE_M = 1_500.0
#: every value ``bron`` can take, with its meaning (Dutch, for reports)
BRON = {
    "polygoon": "in een nauwkeurige gebiedsgrens",
    "grof": "in een grove gebiedsgrens (ingebouwde CBS-kaart, ~300 m)",
    "label": "dichtstbijzijnde labelpunt van een gebied",
    "buiten": "buiten elk gebied",
    "geen": "geen coördinaten",
}


def _tree(areas: AreaSet) -> tuple[shapely.STRtree | None, np.ndarray, np.ndarray]:
    """STRtree over the rows with a polygon, the row index of each tree item and the code rank of each row."""
    cache = areas._cache
    if "tree" not in cache:
        rows = np.asarray([i for i, g in enumerate(areas.geometries)
                           if g is not None and shapely.get_type_id(g) in (3, 6, 7)], dtype=np.int64)
        geoms = np.asarray([areas.geometries[i] for i in rows], dtype=object)
        if len(geoms):
            shapely.prepare(geoms)
        tree = shapely.STRtree(geoms) if len(geoms) else None
        rank = np.argsort(np.argsort(areas.frame["area_code"].to_numpy(dtype=str), kind="stable"), kind="stable")
        cache["tree"] = (tree, rows, rank)
    return cache["tree"]  # type: ignore[no-any-return]


def _labels(areas: AreaSet) -> tuple[cKDTree | None, np.ndarray]:
    """KD-tree (RD metres) over the label points of rows without a precise polygon."""
    cache = areas._cache
    if "labels" not in cache:
        f = areas.frame
        ok = (f["precision"] != "precise").to_numpy() & f["lat"].notna().to_numpy() & f["lon"].notna().to_numpy()
        rows = np.flatnonzero(ok)
        if len(rows):
            x, y = wgs84_to_rd(f["lat"].to_numpy(dtype=float)[rows], f["lon"].to_numpy(dtype=float)[rows])
            cache["labels"] = (cKDTree(np.column_stack([x, y])), rows)
        else:
            cache["labels"] = (None, rows)
    return cache["labels"]  # type: ignore[no-any-return]


def _point_in_polygon(tree: shapely.STRtree, rows: np.ndarray, rank: np.ndarray, x: np.ndarray,
                      y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(point index, row index)`` of the area holding each point that lies in one (lowest code wins).

    Bounding-box candidates from the tree, then ``contains_xy`` on the prepared polygons (no point
    objects per pair); only points inside none of their candidates are tested again with
    ``intersects_xy``, which also holds on the boundary (the shared-border case).
    """
    p_i, t_i = tree.query(shapely.points(x, y))
    if not len(p_i):
        return p_i, p_i
    geoms = tree.geometries
    inside = shapely.contains_xy(geoms[t_i], x[p_i], y[p_i])
    has_inside = np.zeros(len(x), dtype=bool)
    has_inside[p_i[inside]] = True
    again = ~inside & ~has_inside[p_i]
    if again.any():
        inside[again] = shapely.intersects_xy(geoms[t_i[again]], x[p_i[again]], y[p_i[again]])
    p_i, row = p_i[inside], rows[t_i[inside]]
    order = np.lexsort((rank[row], p_i))
    p_sorted, row_sorted = p_i[order], row[order]
    first = np.flatnonzero(np.r_[True, p_sorted[1:] != p_sorted[:-1]])
    return p_sorted[first], row_sorted[first]


def assign_areas(lat: Any, lon: Any, areas: AreaSet, kind: str | None = "buurt",
                 max_distance_m: float = DEFAULT_MAX_DISTANCE_M) -> tuple[np.ndarray, np.ndarray]:
    """The area code and its source (``bron``) for every point (WGS84 degrees).

    Parameters
    ----------
    lat, lon : array-like
        Coordinates; NaN where unknown.
    areas : AreaSet
        Candidate areas; only rows of ``kind`` are used (``None``: all rows).
    max_distance_m : float
        Furthest distance to a label point for the ``"label"`` fallback.

    Returns
    -------
    codes, bron : numpy object arrays
        ``codes[i]`` the area code or None; ``bron[i]`` one of :data:`BRON` (see the module docstring
        for the rules, shared borders and outside points included).
    """
    lat_a = np.atleast_1d(np.asarray(lat, dtype=float))
    lon_a = np.atleast_1d(np.asarray(lon, dtype=float))
    n = len(lat_a)
    codes = np.full(n, None, dtype=object)
    bron = np.full(n, "geen", dtype=object)
    sub = areas.of_kind(kind) if kind is not None else areas
    ok = np.isfinite(lat_a) & np.isfinite(lon_a)
    if not ok.any():
        return codes, bron
    bron[ok] = "buiten"
    if not len(sub):
        return codes, bron
    all_codes = sub.frame["area_code"].to_numpy(dtype=object)
    precise = (sub.frame["precision"] == "precise").to_numpy()
    tree, rows, rank = _tree(sub)
    idx_ok = np.flatnonzero(ok)
    if tree is not None:
        hit_pt, hit_row = _point_in_polygon(tree, rows, rank, lon_a[idx_ok], lat_a[idx_ok])
        hit_pt = idx_ok[hit_pt]
        codes[hit_pt] = all_codes[hit_row]
        bron[hit_pt] = np.where(precise[hit_row], "polygoon", "grof")
    rest = np.flatnonzero(ok & (bron == "buiten"))
    if len(rest) and max_distance_m > 0:
        kd, label_rows = _labels(sub)
        if kd is not None:
            x, y = wgs84_to_rd(lat_a[rest], lon_a[rest])
            dist, j = kd.query(np.column_stack([x, y]), k=1, distance_upper_bound=max_distance_m)
            found = np.isfinite(dist)
            codes[rest[found]] = all_codes[label_rows[j[found]]]
            bron[rest[found]] = "label"
    return codes, bron
