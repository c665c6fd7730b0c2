"""Coordinates as Dutch sources give them: RD New (EPSG:28992) and WGS84 (EPSG:4326).

All functions are vectorised over numpy arrays; scalars work too (0-d arrays come back as floats).
The transformers are built once (pyproj with ``always_xy=True``, so the axis order is always
(x/lon, y/lat) on the pyproj side, whatever the CRS definition says).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from pyproj import Transformer

__all__ = [
    "NL_LAT",
    "NL_LON",
    "RD_X",
    "RD_Y",
    "in_netherlands",
    "looks_like_rd",
    "looks_swapped",
    "rd_to_wgs84",
    "wgs84_to_rd",
]

#: Plausible bounding box of the European Netherlands incl. territorial waters (WGS84 degrees).
NL_LAT = (50.70, 53.70)
NL_LON = (3.20, 7.30)
#: The RD New grid's valid extent for the Netherlands (metres).
RD_X = (-7_000.0, 300_000.0)
RD_Y = (289_000.0, 629_000.0)


@lru_cache(maxsize=2)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def _arrays(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(a, dtype=float), np.asarray(b, dtype=float)


def _finite(a: Any) -> np.ndarray:
    """pyproj gives ``inf`` for unknown input: make it NaN."""
    out = np.array(a, dtype=float)
    out[~np.isfinite(out)] = np.nan
    return out


def rd_to_wgs84(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """RD New ``x, y`` (metres) to WGS84 ``(lat, lon)`` (degrees); NaN stays NaN."""
    xa, ya = _arrays(x, y)
    lon, lat = _transformer("EPSG:28992", "EPSG:4326").transform(xa, ya)
    return _finite(lat), _finite(lon)


def wgs84_to_rd(lat: Any, lon: Any) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 ``lat, lon`` (degrees) to RD New ``(x, y)`` (metres); NaN stays NaN."""
    lat_a, lon_a = _arrays(lat, lon)
    x, y = _transformer("EPSG:4326", "EPSG:28992").transform(lon_a, lat_a)
    return _finite(x), _finite(y)


def in_netherlands(lat: Any, lon: Any) -> np.ndarray:
    """True where ``(lat, lon)`` lies in the bounding box of the European Netherlands (BES excluded)."""
    lat_a, lon_a = _arrays(lat, lon)
    return (lat_a >= NL_LAT[0]) & (lat_a <= NL_LAT[1]) & (lon_a >= NL_LON[0]) & (lon_a <= NL_LON[1])


def looks_swapped(lat: Any, lon: Any) -> np.ndarray:
    """True where the pair is outside the Netherlands but would be inside with lat and lon exchanged."""
    lat_a, lon_a = _arrays(lat, lon)
    return ~in_netherlands(lat_a, lon_a) & in_netherlands(lon_a, lat_a)


def looks_like_rd(x: Any, y: Any) -> np.ndarray:
    """True where ``(x, y)`` is inside the RD New extent of the Netherlands (so metres, not degrees)."""
    xa, ya = _arrays(x, y)
    return (xa >= RD_X[0]) & (xa <= RD_X[1]) & (ya >= RD_Y[0]) & (ya <= RD_Y[1])
