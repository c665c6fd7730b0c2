"""Readers for area files without GDAL: GeoPackage (sqlite3 + WKB), GeoJSON and TopoJSON.

Every reader returns a list of :class:`Feature` (properties + a shapely 2 geometry or None) and the EPSG
code of the coordinates (4326 unless the file says otherwise or the numbers are obviously RD metres).
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

__all__ = [
    "AreaFileError",
    "Feature",
    "gpkg_geometry",
    "guess_epsg",
    "read_features",
    "read_geojson",
    "read_gpkg",
    "read_topojson",
    "to_wgs84",
    "valid_areal",
]


class AreaFileError(ValueError):
    """An area file that cannot be read; the message (Dutch) names the file and what is wrong."""


@dataclass(frozen=True)
class Feature:
    """One area of a file: its attribute values and its geometry (shapely, or None for none)."""

    properties: dict[str, Any]
    geometry: shapely.Geometry | None
    feature_id: str | None = None


# -- GeoPackage ------------------------------------------------------------------------------------------

_ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}


def gpkg_geometry(blob: bytes | None) -> shapely.Geometry | None:
    """A GeoPackage geometry blob (``GP`` header + standard WKB) as a shapely geometry.

    Header (GeoPackage 1.x, §2.1.3): magic ``GP``, version, flags (bit 0 byte order of the header,
    bits 1–3 envelope kind, bit 4 empty), ``srs_id`` int32, the envelope doubles, then the WKB.
    """
    if blob is None:
        return None
    data = bytes(blob)
    if len(data) < 8 or data[:2] != b"GP":
        raise AreaFileError("geen GeoPackage-geometrie (de kop 'GP' ontbreekt)")
    flags = data[3]
    envelope = (flags >> 1) & 0b111
    if envelope not in _ENVELOPE_DOUBLES:
        raise AreaFileError(f"onbekend envelop-type {envelope} in GeoPackage-geometrie")
    if flags & 0b10000:
        return None
    start = 8 + 8 * _ENVELOPE_DOUBLES[envelope]
    geom = shapely.from_wkb(data[start:])
    return shapely.force_2d(geom)


def _gpkg_srs(con: sqlite3.Connection, srs_id: int) -> int:
    row = con.execute(
        "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (srs_id,)
    ).fetchone()
    if row and str(row[0]).upper() == "EPSG":
        return int(row[1])
    return srs_id


def read_gpkg(path: Path, layer: str | None = None, soort: str | None = None) -> tuple[list[Feature], int]:
    """Features of one layer of a GeoPackage; the layer is ``layer``, else the one whose name holds
    ``soort`` (buurt/wijk/gemeente), else the only feature layer."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise AreaFileError(f"{path}: geen leesbare GeoPackage ({exc})") from exc
    try:
        try:
            layers = con.execute(
                "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c "
                "JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features'"
            ).fetchall()
        except sqlite3.Error as exc:
            raise AreaFileError(
                f"{path}: geen GeoPackage (tabel gpkg_contents of gpkg_geometry_columns ontbreekt)"
            ) from exc
        if not layers:
            raise AreaFileError(f"{path}: de GeoPackage heeft geen laag met geometrieën")
        chosen = _choose_layer(path, layers, layer, soort)
        table, column, srs_id = chosen
        cur = con.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cur.description]
        gi = names.index(column)
        features: list[Feature] = []
        for n, row in enumerate(cur, start=1):
            try:
                geom = gpkg_geometry(row[gi])
            except (AreaFileError, shapely.errors.GEOSException) as exc:
                raise AreaFileError(f"{path}: laag {table}, rij {n}, veld {column}: {exc}") from exc
            props = {k: v for k, v in zip(names, row, strict=True) if k != column}
            features.append(Feature(props, geom))
        return features, _gpkg_srs(con, int(srs_id))
    finally:
        con.close()


def _choose_layer(path: Path, layers: list[Any], layer: str | None, soort: str | None) -> Any:
    if layer is not None:
        for row in layers:
            if row[0] == layer:
                return row
        raise AreaFileError(f"{path}: laag {layer!r} niet gevonden (lagen: {', '.join(r[0] for r in layers)})")
    if len(layers) == 1:
        return layers[0]
    if soort:
        hits = [r for r in layers if soort.lower() in str(r[0]).lower()]
        if len(hits) >= 1:
            return sorted(hits, key=lambda r: len(str(r[0])))[0]
    raise AreaFileError(
        f"{path}: meerdere lagen ({', '.join(r[0] for r in layers)}); "
        "kies er een met --laag (of --soort buurt|wijk|gemeente)"
    )


# -- GeoJSON / TopoJSON ----------------------------------------------------------------------------------

def _load_json(path: Path) -> Any:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig") as fh:
            return json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AreaFileError(f"{path}: geen geldige JSON ({exc})") from exc


def _crs_epsg(data: dict[str, Any]) -> int | None:
    name = str(((data.get("crs") or {}).get("properties") or {}).get("name", ""))
    if not name:
        return None
    if "CRS84" in name.upper():
        return 4326
    digits = name.rsplit(":", 1)[-1]
    return int(digits) if digits.isdigit() else None


def read_geojson(path: Path, data: dict[str, Any] | None = None) -> tuple[list[Feature], int | None]:
    """Features of a GeoJSON FeatureCollection (or a single Feature); the EPSG code from ``crs`` if given."""
    data = data if data is not None else _load_json(path)
    kind = data.get("type")
    feats = data.get("features", []) if kind == "FeatureCollection" else [data] if kind == "Feature" else None
    if feats is None:
        raise AreaFileError(f"{path}: GeoJSON zonder FeatureCollection of Feature (type {kind!r})")
    out = []
    for n, feat in enumerate(feats, start=1):
        geom = feat.get("geometry")
        try:
            g = shape(geom) if geom else None
        except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
            raise AreaFileError(f"{path}: object {n}, veld geometry: ongeldige geometrie ({exc})") from exc
        fid = feat.get("id")
        out.append(Feature(dict(feat.get("properties") or {}), g, None if fid is None else str(fid)))
    return out, _crs_epsg(data)


def _decode_arcs(topo: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """All arcs as one ``(n, 2)`` coordinate array and the offsets of each arc (delta-decoded, transformed)."""
    arcs = topo.get("arcs", [])
    lengths = np.fromiter((len(a) for a in arcs), dtype=np.int64, count=len(arcs))
    offsets = np.r_[0, np.cumsum(lengths)]
    flat = np.fromiter((v for a in arcs for pt in a for v in pt[:2]), dtype=float, count=2 * int(offsets[-1]))
    flat = flat.reshape(-1, 2)
    tf = topo.get("transform")
    if tf and len(flat):
        cs = np.cumsum(flat, axis=0)
        starts = offsets[:-1][lengths > 0]
        base = cs[starts] - flat[starts]
        flat = (cs - np.repeat(base, lengths[lengths > 0], axis=0)) * np.asarray(tf["scale"]) \
            + np.asarray(tf["translate"])
    return flat, offsets


class _Rings:
    """Collects ring coordinate indices for a ragged MultiPolygon array (rings < 4 points are dropped)."""

    def __init__(self, offsets: np.ndarray) -> None:
        self.offsets = offsets
        self.index: list[np.ndarray] = []
        self.ring_len: list[int] = []
        self.poly_rings: list[int] = []
        self.geom_polys: list[int] = []

    def ring(self, refs: list[int]) -> np.ndarray:
        parts = []
        for i, ref in enumerate(refs):
            arc = ref if ref >= 0 else ~ref
            a, b = self.offsets[arc], self.offsets[arc + 1]
            idx = np.arange(a, b) if ref >= 0 else np.arange(b - 1, a - 1, -1)
            parts.append(idx if i == 0 else idx[1:])
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def add(self, polygons: list[list[list[int]]]) -> None:
        n_polys = 0
        for poly in polygons:
            rings = [r for r in (self.ring(refs) for refs in poly)]
            if not rings or len(rings[0]) < 4:
                continue
            rings = [rings[0]] + [r for r in rings[1:] if len(r) >= 4]
            self.index.extend(rings)
            self.ring_len.extend(len(r) for r in rings)
            self.poly_rings.append(len(rings))
            n_polys += 1
        self.geom_polys.append(n_polys)

    def build(self, coords: np.ndarray) -> np.ndarray:
        if not self.geom_polys:
            return np.empty(0, dtype=object)
        idx = np.concatenate(self.index) if self.index else np.empty(0, dtype=np.int64)
        ring_off = np.r_[0, np.cumsum(self.ring_len)].astype(np.int64)
        poly_off = np.r_[0, np.cumsum(self.poly_rings)].astype(np.int64)
        geom_off = np.r_[0, np.cumsum(self.geom_polys)].astype(np.int64)
        return np.asarray(shapely.from_ragged_array(
            shapely.GeometryType.MULTIPOLYGON, coords[idx] if len(idx) else np.empty((0, 2)),
            (ring_off, poly_off, geom_off)), dtype=object)


def read_topojson(path: Path, data: dict[str, Any] | None = None,
                  obj: str | None = None) -> tuple[list[Feature], int | None]:
    """Features of every object (or of ``obj``) of a TopoJSON topology, arcs decoded with its transform.

    Polygons come back as MultiPolygons (a single part for a TopoJSON Polygon); rings that the
    quantisation collapsed to fewer than 4 points are dropped, and a geometry left without polygons is None.
    """
    data = data if data is not None else _load_json(path)
    coords, offsets = _decode_arcs(data)
    tf = data.get("transform")
    geoms: list[dict[str, Any]] = []
    for name, collection in (data.get("objects") or {}).items():
        if obj is None or name == obj:
            is_coll = collection.get("type") == "GeometryCollection"
            geoms.extend(collection.get("geometries", []) if is_coll else [collection])
    rings = _Rings(offsets)
    poly_at: list[int] = []
    point_at: list[int] = []
    point_xy: list[list[float]] = []
    for i, g in enumerate(geoms):
        kind = g.get("type")
        if kind in ("Polygon", "MultiPolygon"):
            rings.add([g["arcs"]] if kind == "Polygon" else g["arcs"])
            poly_at.append(i)
        elif kind == "Point":
            point_at.append(i)
            point_xy.append(list(g["coordinates"][:2]))
    out_geoms: list[Any] = [None] * len(geoms)
    for i, geom in zip(poly_at, rings.build(coords), strict=True):
        out_geoms[i] = None if shapely.is_empty(geom) else geom
    if point_at:
        xy = np.asarray(point_xy, dtype=float)
        if tf:
            xy = xy * np.asarray(tf["scale"]) + np.asarray(tf["translate"])
        for i, p in zip(point_at, shapely.points(xy), strict=True):
            out_geoms[i] = p
    out = [Feature(dict(g.get("properties") or {}), geom, None if g.get("id") is None else str(g["id"]))
           for g, geom in zip(geoms, out_geoms, strict=True)]
    return out, _crs_epsg(data)


def valid_areal(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """A valid (Multi)Polygon from a possibly invalid one (self-intersections, collapsed parts); other
    geometry types unchanged; None when nothing areal is left."""
    if geom is None or shapely.get_type_id(geom) not in (3, 6) or shapely.is_valid(geom):
        return geom
    try:
        fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    except shapely.errors.GEOSException:
        fixed = shapely.buffer(geom, 0)
    parts = [p for p in shapely.get_parts(fixed) if shapely.get_type_id(p) in (3, 6) and not shapely.is_empty(p)]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


# -- any file ---------------------------------------------------------------------------------------------

def guess_epsg(features: list[Feature]) -> int:
    """4326 when the coordinates look like degrees, 28992 when they look like RD metres."""
    geoms = [f.geometry for f in features if f.geometry is not None]
    if not geoms:
        return 4326
    bounds = shapely.total_bounds(np.asarray(geoms, dtype=object))
    return 28992 if float(np.nanmax(np.abs(bounds))) > 1000 else 4326


def read_features(path: Path, soort: str | None = None, laag: str | None = None) -> tuple[list[Feature], int]:
    """Features and EPSG code of a GeoPackage (layer ``laag``, else chosen by ``soort``), GeoJSON or
    TopoJSON file (optionally gzip'd; a TopoJSON ``laag`` is one of its objects)."""
    path = Path(path)
    if not path.is_file():
        raise AreaFileError(f"{path}: bestand niet gevonden")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head.startswith(b"SQLite format 3"):
        return read_gpkg(path, layer=laag, soort=soort)
    data = _load_json(path)
    if not isinstance(data, dict):
        raise AreaFileError(f"{path}: JSON zonder GeoJSON- of TopoJSON-object")
    feats, epsg = read_topojson(path, data, laag) if data.get("type") == "Topology" else read_geojson(path, data)
    return feats, epsg if epsg is not None else guess_epsg(feats)


def to_wgs84(geoms: list[shapely.Geometry | None], epsg: int) -> list[shapely.Geometry | None]:
    """Geometries reprojected from ``epsg`` to WGS84 lon/lat (unchanged when already 4326)."""
    if epsg == 4326:
        return list(geoms)
    from pyproj import Transformer

    tr = Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)

    def fn(xy: np.ndarray) -> np.ndarray:
        lon, lat = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return [None if g is None else shapely.transform(g, fn) for g in geoms]


