"""Coordinates of signals and addresses as Dutch sources give them: WGS84 ``lat``/``lon`` or RD New
(EPSG:28992) ``x``/``y``, as BAG and police exports do.

RD is converted to WGS84 with :mod:`netwerk.geo.coords` (pyproj); only ``lat``/``lon`` are stored.
A row with both keeps its ``lat``/``lon``. Rejected, each with a Dutch reason naming the field:
half a pair (``lat`` without ``lon``), swapped pairs (lat/lon or x/y exchanged), and points outside
the Netherlands. A row with a location but no ``buurt_code`` gets its buurt at load time
(:func:`netwerk.geo.assign.assign_areas`); ``buurt_bron`` records how (see ``ingest/FORMAT.md``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from netwerk.geo.coords import in_netherlands, looks_like_rd, looks_swapped, rd_to_wgs84

__all__ = ["check_coordinates"]

AddProblem = Callable[[np.ndarray, str, str, np.ndarray | None], None]


def _floats(values: np.ndarray | None, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, np.nan)
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _objects(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    out = np.full(len(values), None, dtype=object)
    out[keep] = values[keep]
    return out


def check_coordinates(out: dict[str, np.ndarray], add: AddProblem, rejected: np.ndarray) -> None:
    """Validate ``lat``/``lon`` and ``x``/``y`` in the converted columns ``out`` (in place); rows already
    ``rejected`` (e.g. a coordinate that is not a number) get no second reason.

    Afterwards ``out`` holds WGS84 ``lat``/``lon`` (RD converted) and no ``x``/``y``."""
    if not ({"lat", "lon", "x", "y"} & out.keys()):
        return
    n = len(next(iter(out.values())))
    lat, lon = _floats(out.get("lat"), n), _floats(out.get("lon"), n)
    x, y = _floats(out.pop("x", None), n), _floats(out.pop("y", None), n)
    for a, b, name_a, name_b in ((lat, lon, "lat", "lon"), (x, y, "x", "y")):
        half = (np.isnan(a) != np.isnan(b)) & ~rejected
        add(half & np.isnan(b), name_b, f"{name_a} zonder {name_b}: geef beide of geen van beide", None)
        add(half & np.isnan(a), name_a, f"{name_b} zonder {name_a}: geef beide of geen van beide", None)
    has_ll = ~np.isnan(lat) & ~np.isnan(lon)
    has_xy = ~np.isnan(x) & ~np.isnan(y) & ~has_ll
    if has_xy.any():
        rd = looks_like_rd(x, y)
        swapped = has_xy & ~rd & looks_like_rd(y, x)
        add(swapped, "x", "x en y lijken verwisseld (RD New: x ≈ 0–300.000, y ≈ 300.000–620.000 m)", x)
        outside = has_xy & ~rd & ~swapped
        add(outside, "x", "x/y liggen buiten Nederland (verwacht RD New, EPSG:28992, in meters)", x)
        conv = has_xy & rd
        if conv.any():
            clat, clon = rd_to_wgs84(x[conv], y[conv])
            lat[conv], lon[conv] = clat, clon
    if has_ll.any():
        swapped = has_ll & looks_swapped(lat, lon)
        add(swapped, "lat", "lat en lon lijken verwisseld (in Nederland: lat ≈ 50,7–53,7 en lon ≈ 3,2–7,3)",
            out.get("lat"))
        outside = has_ll & ~swapped & ~in_netherlands(lat, lon)
        add(outside, "lat", "lat/lon liggen buiten Nederland (verwacht WGS84-graden)", out.get("lat"))
    keep = ~np.isnan(lat) & ~np.isnan(lon)
    out["lat"], out["lon"] = _objects(lat.astype(object), keep), _objects(lon.astype(object), keep)
