"""Vectorised area assignment: which buurt (wijk, gemeente, own area) holds each point.

Method (see docs/geografie.md):

1. point-in-polygon, vectorised: bounding-box candidates from a uniform grid over the polygons (numpy,
   no point objects), then shapely 2 ``contains_xy`` on the prepared polygons. ``bron`` is ``"polygoon"`` for a precise
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

from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Grid:
    """A uniform grid over the polygons' bounding boxes: cell → polygons whose box touches it (CSR)."""

    geoms: np.ndarray  # polygons (prepared)
    rows: np.ndarray  # the AreaSet row of each polygon
    bounds: np.ndarray  # (n, 4) minx, miny, maxx, maxy
    origin: tuple[float, float]
    shape: tuple[int, int]  # nx, ny
    cell: float
    start: np.ndarray  # CSR offsets per cell
    members: np.ndarray  # polygon indices, grouped by cell

    @classmethod
    def build(cls, geoms: np.ndarray, rows: np.ndarray) -> _Grid:
        b = shapely.bounds(geoms)
        size = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
        cell = float(np.clip(np.median(size), 1e-3, 0.1))
        x0, y0 = float(b[:, 0].min()), float(b[:, 1].min())
        nx = int((b[:, 2].max() - x0) // cell) + 1
        ny = int((b[:, 3].max() - y0) // cell) + 1
        i0, i1 = ((b[:, 0] - x0) // cell).astype(np.int64), ((b[:, 2] - x0) // cell).astype(np.int64)
        j0, j1 = ((b[:, 1] - y0) // cell).astype(np.int64), ((b[:, 3] - y0) // cell).astype(np.int64)
        width = i1 - i0 + 1
        cnt = width * (j1 - j0 + 1)
        poly = np.repeat(np.arange(len(geoms)), cnt)
        off = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        w = np.repeat(width, cnt)
        cid = (np.repeat(j0, cnt) + off // w) * nx + np.repeat(i0, cnt) + off % w
        order = np.argsort(cid, kind="stable")
        start = np.searchsorted(cid[order], np.arange(nx * ny + 1))
        return cls(geoms, rows, b, (x0, y0), (nx, ny), cell, start, poly[order])

    def candidates(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(point index, polygon index)`` pairs whose bounding box holds the point (no point objects)."""
        nx, ny = self.shape
        ci = np.floor((x - self.origin[0]) / self.cell)
        cj = np.floor((y - self.origin[1]) / self.cell)
        ok = (ci >= 0) & (ci < nx) & (cj >= 0) & (cj < ny)
        pi = np.flatnonzero(ok)
        cid = cj[ok].astype(np.int64) * nx + ci[ok].astype(np.int64)
        s = self.start[cid]
        c = self.start[cid + 1] - s
        p = np.repeat(pi, c)
        q = self.members[np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c) + np.repeat(s, c)]
        b = self.bounds
        keep = (x[p] >= b[q, 0]) & (x[p] <= b[q, 2]) & (y[p] >= b[q, 1]) & (y[p] <= b[q, 3])
        return p[keep], q[keep]


def _grid(areas: AreaSet) -> tuple[_Grid | None, np.ndarray]:
    """The grid over the rows with a polygon and the code rank of each row (cached on the AreaSet)."""
    cache = areas._cache
    if "grid" not in cache:
        rows = np.asarray([i for i, g in enumerate(areas.geometries)
                           if g is not None and shapely.get_type_id(g) in (3, 6, 7)], dtype=np.int64)
        geoms = np.asarray([areas.geometries[i] for i in rows], dtype=object)
        if len(geoms):
            shapely.prepare(geoms)
        grid = _Grid.build(geoms, rows) if len(geoms) else None
        rank = np.argsort(np.argsort(areas.frame["area_code"].to_numpy(dtype=str), kind="stable"), kind="stable")
        cache["grid"] = (grid, rank)
    return cache["grid"]


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
    return cache["labels"]


def _point_in_polygon(grid: _Grid, rank: np.ndarray, x: np.ndarray, y: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """``(point index, row index)`` of the area holding each point that lies in one (lowest code wins).

    Bounding-box candidates from the grid, then ``contains_xy`` on the prepared polygons with the pairs
    sorted by polygon (several times faster than in point order); only points inside none of their
    candidates are tested again with ``intersects_xy``, which also holds on the boundary (the
    shared-border case).
    """
    p_i, t_i = grid.candidates(x, y)
    if not len(p_i):
        return p_i, p_i
    order = np.argsort(t_i, kind="stable")
    p_i, t_i = p_i[order], t_i[order]
    inside = shapely.contains_xy(grid.geoms[t_i], x[p_i], y[p_i])
    has_inside = np.zeros(len(x), dtype=bool)
    has_inside[p_i[inside]] = True
    again = ~inside & ~has_inside[p_i]
    if again.any():
        inside[again] = shapely.intersects_xy(grid.geoms[t_i[again]], x[p_i[again]], y[p_i[again]])
    p_i, row = p_i[inside], grid.rows[t_i[inside]]
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
    sub = _of_kind(areas, kind)
    ok = np.isfinite(lat_a) & np.isfinite(lon_a)
    # work with row numbers and a status code; strings only at the end
    row = np.full(n, -1, dtype=np.int64)
    status = np.where(ok, _BUITEN, _GEEN).astype(np.int8)
    if ok.any() and len(sub):
        precise = (sub.frame["precision"] == "precise").to_numpy()
        grid, rank = _grid(sub)
        idx_ok = np.flatnonzero(ok)
        if grid is not None:
            hit_pt, hit_row = _point_in_polygon(grid, rank, lon_a[idx_ok], lat_a[idx_ok])
            hit_pt = idx_ok[hit_pt]
            row[hit_pt] = hit_row
            status[hit_pt] = np.where(precise[hit_row], _POLYGOON, _GROF)
        rest = np.flatnonzero(status == _BUITEN)
        if len(rest) and max_distance_m > 0:
            kd, label_rows = _labels(sub)
            if kd is not None:
                x, y = wgs84_to_rd(lat_a[rest], lon_a[rest])
                dist, j = kd.query(np.column_stack([x, y]), k=1, distance_upper_bound=max_distance_m)
                found = np.isfinite(dist)
                row[rest[found]] = label_rows[j[found]]
                status[rest[found]] = _LABEL
    all_codes = np.empty(len(sub) + 1, dtype=object)  # the last entry (row -1) is None
    all_codes[:-1] = sub.frame["area_code"].to_numpy(dtype=object)
    return all_codes[row], _STATUS[status]


_POLYGOON, _GROF, _LABEL, _BUITEN, _GEEN = range(5)
_STATUS = np.array(["polygoon", "grof", "label", "buiten", "geen"], dtype=object)


def _of_kind(areas: AreaSet, kind: str | None) -> AreaSet:
    """The rows of one kind, cached on ``areas`` so that repeated calls reuse its grid and label tree."""
    if kind is None:
        return areas
    key = f"kind:{kind}"
    if key not in areas._cache:
        areas._cache[key] = areas.of_kind(kind)
    return areas._cache[key]
