"""The data's own geography for the hotspot analyses: local metres, the buurten of the municipality
(or municipalities) in the data, their areas and outlines, spatial weights and readable labels.

The buurten come from the store's Area nodes (a user's imported CBS wijk- en buurtkaart or own areas
win) completed with the built-in national CBS map (:mod:`netwerk.geo.national`) for the municipalities
detected from the data's buurt codes (:func:`netwerk.geo.detect.detect_municipalities`). Nothing is
assumed about which municipality that is; the Oldambt files are only the demo's data
(:func:`data_dir`, used by the generator).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from netwerk.geo.areas import AreaSet, areas_from_frame, overlay_areas
from netwerk.geo.detect import detect_municipalities, gemeente_of_code
from netwerk.geo.labels import address_label, buurt_label, cluster_label

if TYPE_CHECKING:
    from netwerk.frames import Frames
    from netwerk.hotspots.detect import Hotspot

__all__ = [
    "M_PER_DEG",
    "buurt_geometry",
    "data_areas",
    "data_dir",
    "hotspot_labels",
    "polygon_area_m2",
    "to_local_xy",
    "with_labels",
]

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
    """The folder with the Oldambt demo buurt files (package copy, else the shared data folder)."""
    if (_PACKAGE_DATA / "oldambt_buurten_2014.csv").is_file():
        return _PACKAGE_DATA
    return _SHARED_DATA


def polygon_area_m2(ring: np.ndarray) -> float:
    """Area of a lon/lat ring (shoelace in local metres)."""
    xy = to_local_xy(ring[:, 1], ring[:, 0])
    x, y = xy[:, 0], xy[:, 1]
    return float(abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))) / 2)


def _as_areaset(areas: pd.DataFrame | AreaSet | None) -> AreaSet:
    if isinstance(areas, AreaSet):
        return areas
    if areas is None or areas.empty:
        return AreaSet.empty()
    return areas_from_frame(areas)


def data_areas(areas: pd.DataFrame | AreaSet | None, codes: Iterable[Any] = (),
               kinds: Sequence[str] = ("buurt",)) -> AreaSet:
    """The areas of the municipalities in the data: the store's areas over the national fallback.

    Parameters
    ----------
    areas : DataFrame or AreaSet, optional
        The store's Area nodes (``Frames.areas``); their buurt codes (and ``codes``) name the
        municipalities; their names and precise outlines win over the fallback.
    codes : iterable
        More buurt codes seen in the data (signals, addresses).
    kinds : sequence of str
        Kinds to return (default only buurten).
    """
    data_codes = [str(c) for c in codes if isinstance(c, str) and c]
    frame = areas.frame if isinstance(areas, AreaSet) else areas
    own_codes = frame["area_code"].astype(str) if frame is not None and not frame.empty else pd.Series([], dtype=str)
    # the municipalities of the data's own codes; the store's areas only when the data names none
    gms = detect_municipalities(buurt_codes=data_codes, min_share=0.0)
    if not gms:
        gms = detect_municipalities(buurt_codes=own_codes, min_share=0.0)
        if frame is not None and "gemeente_code" in frame.columns:
            gms += sorted({g for g in frame["gemeente_code"].dropna() if isinstance(g, str)} - set(gms))
    if frame is not None and not frame.empty and gms:
        # only the rows of those municipalities (and rows without one) are parsed: a whole imported
        # country stays cheap
        gm_of = own_codes.map(gemeente_of_code)
        if "gemeente_code" in frame.columns:
            gm_of = frame["gemeente_code"].where(frame["gemeente_code"].notna(), gm_of)
        keep = (gm_of.isin(gms) | gm_of.isna() | own_codes.isin(set(data_codes))).to_numpy()
        areas = areas.select(keep) if isinstance(areas, AreaSet) else frame[keep]
    own = _as_areaset(areas)
    own_kind = own.of_kind(*kinds) if len(own) else own
    if not gms:
        return own_kind
    from netwerk.geo.national import national_areas

    nat = national_areas(tuple(k for k in kinds if k != "eigen")).for_gemeenten(gms)
    return overlay_areas(own_kind, nat) if len(own_kind) else nat


def buurt_geometry(areas: pd.DataFrame | AreaSet | None = None, codes: Iterable[Any] = ()
                   ) -> tuple[pd.DataFrame, dict[str, list[list[list[float]]]]]:
    """Buurt label points and outlines of the municipality (or municipalities) in the data.

    Returns ``(points, polys)``: ``points`` has ``buurt_code, name, wijk_code, gemeente_code, lat, lon,
    area_m2, precision`` (one row per buurt, also those without signals); ``polys`` maps a buurt code to
    its outer rings as ``[[lon, lat], …]`` lists. Empty when the data names no buurt at all.
    """
    aset = data_areas(areas, codes)
    f = aset.frame
    points = pd.DataFrame({
        "buurt_code": f["area_code"], "name": f["name"], "wijk_code": f["parent_code"],
        "gemeente_code": f["gemeente_code"], "lat": f["lat"].astype(float), "lon": f["lon"].astype(float),
        "area_m2": aset.area_m2() if len(aset) else np.zeros(0), "precision": f["precision"],
    })
    polys: dict[str, list[list[list[float]]]] = {}
    for code, g in zip(f["area_code"], aset.geometries, strict=True):
        if g is None:
            continue
        rings = [np.asarray(p.exterior.coords)[:, :2].tolist() for p in shapely.get_parts(g)
                 if shapely.get_type_id(p) == 3]
        if rings:
            polys[str(code)] = rings
    return points.reset_index(drop=True), polys


# ------------------------------------------------------------------------------------------------ labels
def _nearest_streets(lat: np.ndarray, lon: np.ndarray, addresses: pd.DataFrame
                     ) -> tuple[list[str | None], list[str | None], np.ndarray]:
    adr = addresses.dropna(subset=["lat", "lon"])
    if "street" in adr.columns:
        adr = adr[adr["street"].notna()]
    if adr.empty or "street" not in adr.columns:
        n = len(lat)
        return [None] * n, [None] * n, np.full(n, np.nan)
    lat0 = float(np.nanmean(adr["lat"]))
    tree = cKDTree(to_local_xy(adr["lat"].to_numpy(float), adr["lon"].to_numpy(float), lat0))
    dist, idx = tree.query(to_local_xy(lat, lon, lat0), k=1)
    streets = adr["street"].astype(str).to_numpy()[idx]
    cities = (adr["city"] if "city" in adr.columns else pd.Series([None] * len(adr))).to_numpy()[idx]
    return list(streets), [c if isinstance(c, str) else None for c in cities], dist


def hotspot_labels(hotspots: Sequence[Hotspot], frames: Frames, areas: AreaSet | None = None) -> list[str]:
    """A readable place name for each hotspot (see :mod:`netwerk.geo.labels`).

    Address: ``"Stationsweg 12 A, Winschoten"`` (the key when the address is unknown); cluster: the own
    named area (kind ``eigen``) holding its centre, else ``"bij <nearest street> (<place>), <m> m"``;
    buurt: ``"<name> (<code>)"``.
    """
    codes = [h.buurt_code for h in hotspots if h.buurt_code] + [h.key for h in hotspots if h.level == "buurt"]
    aset = areas if areas is not None else data_areas(frames.areas, codes, kinds=("buurt", "eigen"))
    names = aset.names()
    adr = frames.addresses.drop_duplicates("address_id").set_index("address_id") if not frames.addresses.empty \
        else pd.DataFrame()
    out: list[str] = [""] * len(hotspots)
    cl = [i for i, h in enumerate(hotspots) if h.level == "cluster" and h.lat is not None and h.lon is not None]
    if cl:
        lat = np.array([float(hotspots[i].lat or 0) for i in cl])
        lon = np.array([float(hotspots[i].lon or 0) for i in cl])
        from netwerk.geo.assign import assign_areas

        own = aset.of_kind("eigen")
        named, _ = assign_areas(lat, lon, own, kind="eigen", max_distance_m=0) if len(own) else ([None] * len(cl), None)
        streets, cities, dist = _nearest_streets(lat, lon, frames.addresses)
        for j, i in enumerate(cl):
            out[i] = cluster_label(lat[j], lon[j], area_name=names.get(str(named[j])) if named[j] else None,
                                   street=streets[j], city=cities[j], distance_m=float(dist[j]))
    at = [i for i, h in enumerate(hotspots) if h.level == "address"]
    if at:
        cols = ["street", "house_number", "house_letter", "house_number_addition", "city"]
        rows = adr.reindex([hotspots[i].key for i in at], columns=cols) if len(adr) else None
        recs = rows.to_dict("records") if rows is not None else [{}] * len(at)
        for i, r in zip(at, recs, strict=True):
            out[i] = address_label(*(r.get(c) for c in cols)) or hotspots[i].key
    for i, h in enumerate(hotspots):
        if h.level == "buurt":
            out[i] = buurt_label(h.key, names.get(h.key) or h.extra.get("name"))
        elif not out[i]:
            out[i] = cluster_label(h.lat, h.lon)
    return out


def with_labels(hotspots: Sequence[Hotspot], frames: Frames) -> list[Hotspot]:
    """The hotspots with their readable ``label`` filled in (see :func:`hotspot_labels`)."""
    labels = hotspot_labels(hotspots, frames)
    return [replace(h, label=lab) for h, lab in zip(hotspots, labels, strict=True)]
