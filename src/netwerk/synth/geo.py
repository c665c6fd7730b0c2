"""Generator geography: buurten as arrays (Oldambt's from its CBS 2014 file), metre offsets, and keeping
points inside their buurt's polygon where polygons are known."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "oldambt"
M_PER_DEG = 111_320.0

# (city, postcode digits) per wijk; a few buurten lie in another village of the wijk.
_WIJK_CITY = {
    "WK189500": ("Winschoten", 9671), "WK189501": ("Finsterwolde", 9682), "WK189502": ("Drieborg", 9695),
    "WK189503": ("Beerta", 9686), "WK189504": ("Nieuw-Beerta", 9695), "WK189505": ("Nieuweschans", 9693),
    "WK189506": ("Scheemda", 9679), "WK189507": ("Westerlee", 9678), "WK189508": ("Nieuw-Scheemda", 9943),
    "WK189509": ("Midwolda", 9681), "WK189510": ("Nieuwolda", 9944),
}
_BUURT_CITY = {
    "BU18950002": ("Winschoten", 9672), "BU18950003": ("Winschoten", 9673), "BU18950004": ("Winschoten", 9673),
    "BU18950005": ("Winschoten", 9675), "BU18950006": ("Winschoten", 9674), "BU18950007": ("Winschoten", 9675),
    "BU18950008": ("Winschoten", 9672), "BU18950009": ("Winschoten", 9672),
    "BU18950602": ("Heiligerlee", 9677), "BU18950605": ("Heiligerlee", 9677),
    "BU18950801": ("'t Waar", 9943), "BU18950803": ("Scheemda", 9679), "BU18950901": ("Oostwold", 9682),
}
# Relative number of addresses per buurt (Winschoten is the town; 'Verspreide huizen' is countryside).
_WEIGHT = {
    "BU18950000": 8, "BU18950001": 6, "BU18950002": 10, "BU18950003": 8, "BU18950004": 5,
    "BU18950005": 6, "BU18950006": 6, "BU18950007": 8, "BU18950008": 1.5, "BU18950600": 5,
}


@dataclass(frozen=True)
class Buurten:
    """The municipality's buurten as parallel arrays (index = buurt index)."""

    code: np.ndarray
    name: np.ndarray
    wijk: np.ndarray
    city: np.ndarray
    pc4: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    weight: np.ndarray  # probability of an address lying in the buurt
    sigma_m: np.ndarray  # spread of addresses around the label point
    polygons: list[Any] | None = None  # shapely geometry per buurt (None: label points only)

    def index(self, code: str) -> int:
        return int(np.flatnonzero(self.code == code)[0])


def load_buurten() -> Buurten:
    df = pd.read_csv(DATA_DIR / "oldambt_buurten_2014.csv", dtype=str)
    codes = df["buurtcode"].to_numpy()
    spread = df["buurtnaam"].str.startswith("Verspreide").to_numpy()
    city = [_BUURT_CITY.get(c, _WIJK_CITY[w]) for c, w in zip(codes, df["wijkcode"], strict=True)]
    weight = np.array([_WEIGHT.get(c, 0.4 if s else 1.5) for c, s in zip(codes, spread, strict=True)])
    sigma = np.where(spread, 1100.0, np.where(df["wijkcode"].to_numpy() == "WK189500", 260.0, 220.0))
    return Buurten(
        code=codes, name=df["buurtnaam"].to_numpy(), wijk=df["wijkcode"].to_numpy(),
        city=np.array([c for c, _ in city]), pc4=np.array([p for _, p in city]),
        lat=df["label_lat"].astype(float).to_numpy(), lon=df["label_lon"].astype(float).to_numpy(),
        weight=weight / weight.sum(), sigma_m=sigma,
    )


def offset(lat: np.ndarray, lon: np.ndarray, dx_m: np.ndarray, dy_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Move points dx metres east and dy metres north."""
    lat = np.asarray(lat, dtype=float)
    return lat + dy_m / M_PER_DEG, lon + dx_m / (M_PER_DEG * np.cos(np.radians(lat)))


def distance_m(lat1: np.ndarray, lon1: np.ndarray, lat2: float, lon2: float) -> np.ndarray:
    """Equirectangular distance in metres (accurate at municipal scale)."""
    dy = (np.asarray(lat1) - lat2) * M_PER_DEG
    dx = (np.asarray(lon1) - lon2) * M_PER_DEG * np.cos(np.radians(lat2))
    return np.asarray(np.hypot(dx, dy))


def push_out(
    lat: np.ndarray, lon: np.ndarray, centres: list[tuple[float, float]], radius_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Move points lying within ``radius_m`` of a centre radially to just outside it."""
    lat, lon = lat.copy(), lon.copy()
    for clat, clon in centres:
        d = distance_m(lat, lon, clat, clon)
        near = d < radius_m
        if not near.any():
            continue
        dy = (lat[near] - clat) * M_PER_DEG
        dx = (lon[near] - clon) * M_PER_DEG * np.cos(np.radians(clat))
        ang = np.arctan2(dy, dx)
        r = radius_m + (radius_m - d[near])
        lat[near], lon[near] = offset(np.full(near.sum(), clat), np.full(near.sum(), clon),
                                      r * np.cos(ang), r * np.sin(ang))
    return lat, lon


def keep_inside(b: Buurten, bi: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pull points lying outside their buurt's polygon towards its label point until inside (no-op
    without polygons); the label point itself is the last resort."""
    if b.polygons is None:
        return lat, lon
    lat, lon = np.asarray(lat, dtype=float).copy(), np.asarray(lon, dtype=float).copy()
    bi = np.asarray(bi)
    for k in np.unique(bi):
        poly = b.polygons[int(k)]
        if poly is None:
            continue
        rows = np.flatnonzero(bi == k)
        for f in (0.6, 0.3, 0.1, 0.0):
            out = rows[~shapely.contains_xy(poly, lon[rows], lat[rows])]
            if out.size == 0:
                break
            lat[out] = b.lat[k] + f * (lat[out] - b.lat[k])
            lon[out] = b.lon[k] + f * (lon[out] - b.lon[k])
    return lat, lon


def disk(rng: np.random.Generator, lat: float, lon: float, radius_m: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points uniform in a disk around (lat, lon)."""
    r = radius_m * np.sqrt(rng.random(n))
    a = rng.random(n) * 2 * np.pi
    return offset(np.full(n, lat), np.full(n, lon), r * np.cos(a), r * np.sin(a))
