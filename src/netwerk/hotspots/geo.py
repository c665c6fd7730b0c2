"""Local metric coordinates and the Oldambt buurt geometry (label points, polygons, areas)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["M_PER_DEG", "buurt_geometry", "data_dir", "polygon_area_m2", "to_local_xy"]

M_PER_DEG = 111_320.0
_PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data" / "oldambt"
_SHARED_DATA = Path("/work/shared/data/oldambt")


def to_local_xy(lat: np.ndarray, lon: np.ndarray, lat0: float | None = None) -> np.ndarray:
    """Equirectangular projection to metres around ``lat0`` (default: the mean latitude).

    At municipal scale (tens of km) the error against haversine distances is far below 0.1 %.
    Returns an ``(n, 2)`` array of (x east, y north) metres.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    if lat0 is None:
        lat0 = float(np.nanmean(lat)) if lat.size else 0.0
    return np.column_stack([lon * M_PER_DEG * np.cos(np.radians(lat0)), lat * M_PER_DEG])


def data_dir() -> Path:
    """The folder with the CBS buurt files (package copy, else the shared data folder)."""
    if (_PACKAGE_DATA / "oldambt_buurten_2014.csv").is_file():
        return _PACKAGE_DATA
    return _SHARED_DATA


def polygon_area_m2(ring: np.ndarray) -> float:
    """Area of a lon/lat ring (shoelace in local metres)."""
    xy = to_local_xy(ring[:, 1], ring[:, 0])
    x, y = xy[:, 0], xy[:, 1]
    return float(abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))) / 2)


@lru_cache(maxsize=1)
def _load() -> tuple[pd.DataFrame, dict[str, list[list[list[float]]]]]:
    folder = data_dir()
    csv = folder / "oldambt_buurten_2014.csv"
    if csv.is_file():
        df = pd.read_csv(csv, dtype=str)
        pts = pd.DataFrame({
            "buurt_code": df["buurtcode"], "name": df["buurtnaam"], "wijk_code": df["wijkcode"],
            "lat": df["label_lat"].astype(float), "lon": df["label_lon"].astype(float),
        })
    else:
        pts = pd.DataFrame(columns=["buurt_code", "name", "wijk_code", "lat", "lon"])
    polys: dict[str, list[list[list[float]]]] = {}
    gj = folder / "oldambt_buurten_2014_polygons.geojson"
    if gj.is_file():
        data: dict[str, Any] = json.loads(gj.read_text(encoding="utf-8"))
        for feat in data.get("features", []):
            code = feat.get("id") or feat["properties"].get("statcode")
            geom = feat.get("geometry") or {}
            if geom.get("type") == "Polygon":
                polys[code] = [geom["coordinates"][0]]
            elif geom.get("type") == "MultiPolygon":
                polys[code] = [p[0] for p in geom["coordinates"]]
    return pts, polys


def buurt_geometry(areas: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict[str, list[list[list[float]]]]]:
    """Buurt label points (``buurt_code, name, lat, lon, area_m2``) and polygons (outer rings, lon/lat).

    The CBS files give the 50 Oldambt buurten; buurten only known from ``areas`` (kind buurt, with
    lat/lon) are added.
    """
    pts, polys = _load()
    pts = pts.copy()
    if areas is not None and not areas.empty:
        extra = areas[(areas["kind"].astype(str).str.lower() == "buurt") | areas["area_code"].astype(str)
                      .str.startswith("BU")]
        extra = extra[~extra["area_code"].isin(pts["buurt_code"])].dropna(subset=["lat", "lon"])
        if not extra.empty:
            add = pd.DataFrame({"buurt_code": extra["area_code"], "name": extra["name"],
                                "wijk_code": extra["wijk_code"], "lat": extra["lat"].astype(float),
                                "lon": extra["lon"].astype(float)})
            pts = pd.concat([pts, add], ignore_index=True)
    pts["area_m2"] = [sum(polygon_area_m2(np.asarray(r, dtype=float)) for r in polys[c]) if c in polys else np.nan
                      for c in pts["buurt_code"]]
    return pts.reset_index(drop=True), polys
