"""Areas as data: an :class:`AreaSet` of buurten, wijken, gemeenten and a municipality's own named areas.

An AreaSet comes from the built-in national fallback (:func:`netwerk.geo.national.national_areas`), from a
file (:func:`load_area_file`: CBS GeoPackage, GeoJSON, TopoJSON) or from the store's Area nodes
(:func:`areas_for_store`, the user's imported areas win over the fallback). Geometries are shapely 2
objects in WGS84 lon/lat; each row says how far its geometry can be trusted (``precision``):

- ``precise``: a real polygon (a CBS wijk- en buurtkaart, a municipality's own file);
- ``coarse``: the fallback's quantised polygon (about 300 m);
- ``points``: only a label point (about 30 m), no outline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from netwerk.geo.io import AreaFileError, Feature, read_features, to_wgs84, valid_areal

if TYPE_CHECKING:
    from netwerk.store.base import GraphStore

__all__ = [
    "AREA_COLUMNS",
    "KINDS",
    "AreaFileError",
    "AreaSet",
    "area_rows",
    "areas_for_store",
    "areas_from_frame",
    "load_area_file",
    "overlay_areas",
    "parent_of",
]

KINDS = ("buurt", "wijk", "gemeente", "eigen")
AREA_COLUMNS = ["area_code", "name", "kind", "parent_code", "gemeente_code", "lat", "lon", "precision", "source"]
_PRECISION_ORDER = {"precise": 0, "coarse": 1, "points": 2}


def parent_of(code: str | None) -> tuple[str | None, str | None]:
    """``(parent_code, gemeente_code)`` of a CBS code: BU GGGG WW BB → WK GGGG WW → GM GGGG.

    Codes that do not follow the CBS pattern give ``(None, None)``.
    """
    c = str(code or "").strip().upper()
    if re.fullmatch(r"BU\d{8}", c):
        return "WK" + c[2:8], "GM" + c[2:6]
    if re.fullmatch(r"WK\d{6}", c):
        return "GM" + c[2:6], "GM" + c[2:6]
    if re.fullmatch(r"GM\d{4}", c):
        return None, c
    return None, None


@dataclass(frozen=True, eq=False)
class AreaSet:
    """Areas with code, name, kind, hierarchy, label point and (optional) geometry.

    ``frame`` has the columns :data:`AREA_COLUMNS` (one row per area, unique ``area_code``);
    ``geometries`` is aligned with the rows (shapely geometry in lon/lat, or None where only a label
    point is known). ``precision`` is the weakest precision of any row.
    """

    frame: pd.DataFrame
    geometries: list[Any]
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.frame) != len(self.geometries):
            raise ValueError("frame en geometries hebben niet evenveel rijen")

    @classmethod
    def build(cls, frame: pd.DataFrame, geometries: Sequence[Any] | None = None) -> AreaSet:
        """An AreaSet from a frame with (a subset of) :data:`AREA_COLUMNS`; missing columns are derived."""
        df = frame.reset_index(drop=True).copy()
        garr = np.asarray(list(geometries) if geometries is not None else [None] * len(df), dtype=object)
        if len(garr):
            garr[shapely.is_empty(garr) | shapely.is_missing(garr)] = None
        geoms = list(garr)
        for col in AREA_COLUMNS:
            if col not in df.columns:
                df[col] = None
        codes = df["area_code"].astype(str).tolist()
        df["area_code"] = codes
        derived = [parent_of(c) for c in codes]
        df["parent_code"] = [p if _present(p) else d[0]
                             for p, d in zip(df["parent_code"].tolist(), derived, strict=True)]
        df["gemeente_code"] = [g if _present(g) else d[1]
                               for g, d in zip(df["gemeente_code"].tolist(), derived, strict=True)]
        df["kind"] = [k if _present(k) else _kind_of_code(c) for k, c in zip(df["kind"].tolist(), codes, strict=True)]
        df["name"] = [n if _present(n) else c for n, c in zip(df["name"].tolist(), codes, strict=True)]
        lat = pd.to_numeric(df["lat"], errors="coerce").to_numpy(dtype=float, copy=True)
        lon = pd.to_numeric(df["lon"], errors="coerce").to_numpy(dtype=float, copy=True)
        missing = np.isnan(lat) | np.isnan(lon)
        for i in np.flatnonzero(missing):
            if geoms[i] is not None:
                p = shapely.point_on_surface(geoms[i])
                lon[i], lat[i] = p.x, p.y
        df["lat"], df["lon"] = lat, lon
        areal = _areal_mask(garr)
        df["precision"] = [
            "points" if not a else (p if p in ("precise", "coarse") else "precise")
            for p, a in zip(df["precision"].tolist(), areal, strict=True)
        ]
        return cls(df[AREA_COLUMNS + [c for c in df.columns if c not in AREA_COLUMNS]], geoms)

    @classmethod
    def empty(cls) -> AreaSet:
        """An AreaSet without areas."""
        return cls.build(pd.DataFrame(columns=AREA_COLUMNS))

    # -- views -------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def precision(self) -> str:
        """The weakest precision of any row: ``precise``, ``coarse`` or ``points``."""
        if self.frame.empty:
            return "points"
        return max(self.frame["precision"], key=lambda p: _PRECISION_ORDER.get(p, 2))

    @property
    def codes(self) -> list[str]:
        return self.frame["area_code"].tolist()

    def select(self, mask: Any) -> AreaSet:
        """The rows where the boolean ``mask`` holds."""
        m = np.asarray(mask, dtype=bool)
        return AreaSet(self.frame[m].reset_index(drop=True), [g for g, k in zip(self.geometries, m, strict=True) if k])

    def of_kind(self, *kinds: str) -> AreaSet:
        """Only the areas of these kinds (buurt, wijk, gemeente, eigen)."""
        return self.select(self.frame["kind"].isin(kinds).to_numpy())

    def for_gemeenten(self, gemeente_codes: Iterable[str]) -> AreaSet:
        """Only the areas inside these municipalities (GM codes), the municipalities included."""
        wanted = {str(c).upper() for c in gemeente_codes}
        return self.select(self.frame["gemeente_code"].astype(str).str.upper().isin(wanted).to_numpy())

    def with_codes(self, codes: Iterable[str]) -> AreaSet:
        """Only the areas with these codes."""
        return self.select(self.frame["area_code"].isin(set(codes)).to_numpy())

    def names(self) -> dict[str, str]:
        """``area_code → name``."""
        return dict(zip(self.frame["area_code"], self.frame["name"], strict=True))

    def geometry_of(self, code: str) -> Any:
        """The geometry of one area (None if only a label point is known or the code is unknown)."""
        idx = self._index().get(code)
        return None if idx is None else self.geometries[idx]

    def _index(self) -> dict[str, int]:
        if "index" not in self._cache:
            self._cache["index"] = {c: i for i, c in enumerate(self.frame["area_code"])}
        return self._cache["index"]

    def merge(self, other: AreaSet) -> AreaSet:
        """This set plus the areas of ``other`` whose code it lacks (this set wins on conflicts)."""
        keep = ~other.frame["area_code"].isin(set(self.frame["area_code"])).to_numpy()
        add = other.select(keep)
        frame = pd.concat([self.frame, add.frame], ignore_index=True) if len(add) else self.frame
        return AreaSet(frame.reset_index(drop=True), list(self.geometries) + list(add.geometries))

    def area_m2(self) -> np.ndarray:
        """Surface of each area in m² (computed in RD New), NaN where there is no polygon."""
        from netwerk.geo.coords import wgs84_to_rd

        out = np.full(len(self), np.nan)
        for i, g in enumerate(self.geometries):
            if g is not None and _is_areal(g):
                rd = shapely.transform(g, lambda xy: np.column_stack(wgs84_to_rd(xy[:, 1], xy[:, 0])))
                out[i] = float(shapely.area(rd))
        return out

    def bounds(self) -> tuple[float, float, float, float]:
        """``(min_lon, min_lat, max_lon, max_lat)`` over geometries and label points."""
        geoms = [g for g in self.geometries if g is not None]
        lon = self.frame["lon"].to_numpy(dtype=float)
        lat = self.frame["lat"].to_numpy(dtype=float)
        boxes = [[np.nanmin(lon), np.nanmin(lat), np.nanmax(lon), np.nanmax(lat)]] if len(self) else []
        if geoms:
            boxes.append(list(shapely.total_bounds(np.asarray(geoms, dtype=object))))
        if not boxes:
            return (np.nan, np.nan, np.nan, np.nan)
        b = np.asarray(boxes, dtype=float)
        return (float(np.nanmin(b[:, 0])), float(np.nanmin(b[:, 1])), float(np.nanmax(b[:, 2])),
                float(np.nanmax(b[:, 3])))

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection (geometry, or the label point where no outline is known)."""
        feats = []
        for row, g in zip(self.frame.to_dict("records"), self.geometries, strict=True):
            geom = g if g is not None else (shapely.Point(row["lon"], row["lat"]) if _present(row["lat"]) else None)
            props = {k: (None if not _present(v) else v) for k, v in row.items() if k not in ("lat", "lon")}
            props.update(lat=_num(row["lat"]), lon=_num(row["lon"]))
            feats.append({"type": "Feature", "id": row["area_code"], "properties": props,
                          "geometry": None if geom is None else json.loads(shapely.to_geojson(geom))})
        return {"type": "FeatureCollection", "features": feats}


def _present(v: Any) -> bool:
    if v is None:
        return False
    if isinstance(v, float) and np.isnan(v):
        return False
    return not (isinstance(v, str) and not v.strip())


def _num(v: Any) -> float | None:
    return float(v) if _present(v) else None


def _is_areal(g: Any) -> bool:
    return shapely.get_type_id(g) in (3, 6, 7) and float(shapely.area(g)) > 0


def _areal_mask(geoms: np.ndarray) -> np.ndarray:
    """True where the geometry is a (Multi)Polygon (or collection) with positive area."""
    if not len(geoms):
        return np.zeros(0, dtype=bool)
    types = shapely.get_type_id(geoms)
    area = np.where(shapely.is_missing(geoms), 0.0, shapely.area(geoms))
    return np.isin(types, (3, 6, 7)) & (area > 0)


def _kind_of_code(code: str) -> str:
    c = str(code).upper()
    return {"BU": "buurt", "WK": "wijk", "GM": "gemeente"}.get(c[:2], "eigen") if re.match(r"(BU|WK|GM)\d", c) \
        else "eigen"


# -- files -------------------------------------------------------------------------------------------------

_CODE_FIELDS = {
    "buurt": ["buurtcode", "bu_code", "statcode", "code", "area_code", "id"],
    "wijk": ["wijkcode", "wk_code", "statcode", "code", "area_code", "id"],
    "gemeente": ["gemeentecode", "gm_code", "statcode", "code", "area_code", "id"],
    "eigen": ["code", "area_code", "id", "gebiedcode", "statcode"],
}
_NAME_FIELDS = {
    "buurt": ["buurtnaam", "bu_naam", "statnaam", "naam", "name"],
    "wijk": ["wijknaam", "wk_naam", "statnaam", "naam", "name"],
    "gemeente": ["gemeentenaam", "gm_naam", "statnaam", "naam", "name"],
    "eigen": ["naam", "name", "gebiedsnaam", "gebied", "titel", "title", "statnaam", "omschrijving"],
}
_PARENT_FIELDS = {"buurt": ["wijkcode", "wk_code"], "wijk": ["gemeentecode", "gm_code"], "gemeente": []}
_GEMEENTE_FIELDS = ["gemeentecode", "gm_code"]


def _field(props: Sequence[str], wanted: str | None, candidates: list[str], path: Path, what: str) -> str | None:
    lower = {p.lower(): p for p in props}
    if wanted:
        if wanted.lower() not in lower:
            raise AreaFileError(f"{path}: veld {wanted!r} ({what}) bestaat niet; velden: {', '.join(props)}")
        return lower[wanted.lower()]
    for c in candidates:
        if c in lower:
            return lower[c]
    return None


def _slug(text: str) -> str:
    s = re.sub(r"[^0-9A-Za-z]+", "-", str(text)).strip("-").upper()
    return s[:40] or "GEBIED"


def load_area_file(path: str | Path, soort: str, naam_veld: str | None = None, code_veld: str | None = None,
                   *, laag: str | None = None, source: str | None = None) -> AreaSet:
    """Areas of one kind from a GeoPackage, GeoJSON or TopoJSON file (RD New reprojected to WGS84).

    ``soort`` is buurt, wijk, gemeente or eigen (a municipality's own named areas). Code and name fields
    are found by their CBS names (``buurtcode``/``buurtnaam``, ``statcode``/``statnaam``, ``BU_CODE``…)
    or given with ``code_veld``/``naam_veld``; ``laag`` picks a GeoPackage layer (default: the one named
    after ``soort``, or the only one). Own areas without a code get ``EIGEN-<NAAM>`` (stable for
    the same name; a number is appended to repeated names). CBS codes give the hierarchy (buurt IN wijk
    IN gemeente); the municipality of an own area is the national gemeente holding its label point.
    Raises :class:`AreaFileError` (Dutch message naming the file, row and field) on bad input.
    """
    path = Path(path)
    if soort not in KINDS:
        raise AreaFileError(f"{path}: onbekende soort {soort!r}; kies uit {', '.join(KINDS)}")
    features, epsg = read_features(path, soort=soort, laag=laag)
    if not features:
        raise AreaFileError(f"{path}: het bestand bevat geen gebieden")
    props = list(dict.fromkeys(k for f in features for k in f.properties))
    code_f = _field(props, code_veld, _CODE_FIELDS[soort], path, "code")
    name_f = _field(props, naam_veld, _NAME_FIELDS[soort], path, "naam")
    if code_f is None and name_f is None and not all(f.feature_id for f in features):
        raise AreaFileError(f"{path}: geen code- of naamveld gevonden; geef --code-veld of --naam-veld "
                            f"(velden: {', '.join(props)})")
    parent_f = _field(props, None, _PARENT_FIELDS.get(soort, []), path, "ouder")
    gm_f = _field(props, None, _GEMEENTE_FIELDS, path, "gemeente")
    geoms = to_wgs84([f.geometry for f in features], epsg)
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for n, (feat, geom) in enumerate(zip(features, geoms, strict=True), start=1):
        code = _code(feat, code_f, name_f, soort, seen)
        if code is None:
            raise AreaFileError(f"{path}: gebied {n}, veld {code_f or name_f}: code en naam ontbreken")
        geom = valid_areal(geom)
        name = feat.properties.get(name_f) if name_f else None
        rows.append({
            "area_code": code, "name": str(name).strip() if _present(name) else code, "kind": soort,
            "parent_code": _cbs(feat.properties.get(parent_f) if parent_f else None,
                                "WK" if soort == "buurt" else "GM"),
            "gemeente_code": _cbs(feat.properties.get(gm_f) if gm_f else None, "GM"),
            "precision": "precise", "source": source or path.name, "_geom": geom,
        })
    frame = pd.DataFrame(rows)
    dup = frame["area_code"].duplicated(keep="first")
    if dup.any():
        raise AreaFileError(f"{path}: code {frame.loc[dup, 'area_code'].iloc[0]!r} komt meer dan eens voor "
                            f"(veld {code_f}); kies een ander veld met --code-veld")
    out = AreaSet.build(frame.drop(columns="_geom"), frame["_geom"].tolist())
    if soort == "eigen":
        out = _eigen_gemeenten(out)
    return out


def _code(feat: Feature, code_f: str | None, name_f: str | None, soort: str, seen: dict[str, int]) -> str | None:
    raw = feat.properties.get(code_f) if code_f else None
    if _present(raw):
        return str(raw).strip()
    if soort != "eigen" and feat.feature_id:
        return feat.feature_id
    name = feat.properties.get(name_f) if name_f else None
    if not _present(name):
        return feat.feature_id
    base = "EIGEN-" + _slug(str(name))
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def _cbs(value: Any, prefix: str) -> str | None:
    """A CBS code from a field that may hold ``GM0141``, ``0141`` or ``141``."""
    if not _present(value):
        return None
    s = str(value).strip().upper()
    if s.isdigit():
        width = 4 if prefix == "GM" else 6
        return prefix + s.zfill(width)
    return s


def _eigen_gemeenten(areas: AreaSet) -> AreaSet:
    missing = ~areas.frame["gemeente_code"].map(_present).to_numpy(dtype=bool)
    if not missing.any():
        return areas
    from netwerk.geo.assign import assign_areas
    from netwerk.geo.national import national_areas

    codes, _ = assign_areas(areas.frame["lat"].to_numpy(), areas.frame["lon"].to_numpy(),
                            national_areas(("gemeente",)), kind="gemeente")
    frame = areas.frame.copy()
    frame.loc[missing, "gemeente_code"] = codes[missing]
    return AreaSet(frame, list(areas.geometries))


# -- store ---------------------------------------------------------------------------------------------------

def area_rows(areas: AreaSet) -> list[dict[str, Any]]:
    """Area node rows for the store (geometry as GeoJSON text; ``wijk_code`` kept for older readers)."""
    rows = []
    for row, g in zip(areas.frame.to_dict("records"), areas.geometries, strict=True):
        wijk = row["parent_code"] if row["kind"] == "buurt" else None
        rows.append({
            "area_code": row["area_code"], "name": row["name"], "kind": row["kind"],
            "parent_code": row["parent_code"] if _present(row["parent_code"]) else None,
            "gemeente_code": row["gemeente_code"] if _present(row["gemeente_code"]) else None,
            "wijk_code": wijk if _present(wijk) else None,
            "lat": _num(row["lat"]), "lon": _num(row["lon"]),
            "geometry": None if g is None else shapely.to_geojson(shapely.set_precision(g, 1e-7)),
            "precision": row["precision"], "source": row["source"] if _present(row["source"]) else None,
        })
    return rows


def areas_from_frame(df: pd.DataFrame) -> AreaSet:
    """An AreaSet from Area node rows (``geometry`` as GeoJSON text; older rows with only ``wijk_code``)."""
    if df is None or df.empty:
        return AreaSet.empty()
    frame = df.copy()
    geoms: list[Any] = []
    text = frame["geometry"] if "geometry" in frame.columns else pd.Series([None] * len(frame))
    for t in text:
        try:
            geoms.append(shapely.from_geojson(t) if _present(t) else None)
        except shapely.errors.GEOSException:
            geoms.append(None)
    if "parent_code" not in frame.columns and "wijk_code" in frame.columns:
        frame["parent_code"] = frame["wijk_code"]
    elif "wijk_code" in frame.columns:
        frame["parent_code"] = frame["parent_code"].where(frame["parent_code"].map(_present), frame["wijk_code"])
    if "precision" in frame.columns:
        # an Area node without geometry is a label point, whatever it says
        frame["precision"] = [p if g is not None else "points" for p, g in zip(frame["precision"], geoms, strict=True)]
    if "source" not in frame.columns:
        frame["source"] = "opslag"
    return AreaSet.build(frame, geoms)


def areas_for_store(store: GraphStore, kinds: Sequence[str] = ("buurt", "wijk", "gemeente", "eigen"),
                    *, fallback: bool = True) -> AreaSet:
    """The store's Area nodes, completed with the national fallback for codes the store lacks.

    A user's imported areas win: an Area node with a geometry replaces the fallback's row of the same
    code; an Area node without geometry keeps its name but borrows the fallback geometry (and then has
    the fallback's precision).
    """
    own = areas_from_frame(store.nodes_df("Area"))
    own = own.of_kind(*kinds) if len(own) else own
    if not fallback:
        return own
    from netwerk.geo.national import national_areas

    nat = national_areas(tuple(k for k in kinds if k != "eigen"))
    return overlay_areas(own, nat)


def overlay_areas(own: AreaSet, nat: AreaSet) -> AreaSet:
    """``own`` wins; rows of ``own`` without geometry borrow the geometry and precision of ``nat``."""
    if not len(own):
        return nat
    frame = own.frame.copy()
    geoms = list(own.geometries)
    nat_idx = nat._index()
    for i, (code, g) in enumerate(zip(frame["area_code"], geoms, strict=True)):
        j = nat_idx.get(code)
        if g is None and j is not None:
            geoms[i] = nat.geometries[j]
            frame.loc[i, "precision"] = nat.frame.at[j, "precision"]
            for col in ("parent_code", "gemeente_code", "lat", "lon"):
                if not _present(frame.at[i, col]):
                    frame.loc[i, col] = nat.frame.at[j, col]
            if frame.at[i, "name"] == code:
                frame.loc[i, "name"] = nat.frame.at[j, "name"]
    return AreaSet(frame, geoms).merge(nat)
