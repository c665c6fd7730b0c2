"""The built-in national fallback: CBS buurten, wijken and gemeenten of the whole country.

Shipped in ``netwerk/data/cbs/`` as one compact numpy file per kind (``cbs_buurt.npz`` …), decoded once
from the CBS gebiedsindelingen 2014/2015 TopoJSON in ``../shared/data/cbs-nl-2014`` (see
``data/cbs/SOURCE.txt``):

- polygons quantised to about 300 m (``precision="coarse"``): right for an overview map and for most
  points in a buurt, wrong near a border;
- label points to about 30 m: the name and the point of every buurt, also those without a polygon
  (``precision="points"``).

A municipality's own CBS wijk- en buurtkaart (``netwerk gebieden import``) replaces it.
Rebuild: ``python -m netwerk.geo.national SRC_DIR [DST_DIR]``.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from netwerk.geo.areas import AreaSet
from netwerk.geo.io import read_topojson, valid_areal

__all__ = ["DATA_DIR", "FILES", "build_national_data", "national_areas"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "cbs"
#: kind → (polygon file, label file) in the shared source folder
FILES = {
    "buurt": ("Buurt_2014_layer_q1e3.json", "Buurt_2014_labels.json"),
    "wijk": ("Wijk_2014_layer_q1e3.json", "Wijk_2014_labels.json"),
    "gemeente": ("Gemeente_2015_layer_q1e3.json", "Gemeente_2015_labels.json"),
}


def _read(path: Path) -> list[tuple[str, str, Any]]:
    feats, _ = read_topojson(path)
    out = []
    for f in feats:
        code = str(f.properties.get("statcode") or f.feature_id or "")
        if code:
            out.append((code, str(f.properties.get("statnaam") or code), f.geometry))
    return out


def _decode_kind(src: Path, kind: str) -> AreaSet:
    """One kind from the shared CBS TopoJSON files: label points, polygons made valid."""
    poly_file, label_file = FILES[kind]
    labels = {code: (name, g) for code, name, g in _read(src / label_file)}
    polys = {code: (name, g) for code, name, g in _read(src / poly_file)}
    codes = sorted(set(labels) | set(polys))
    geoms = np.asarray([polys[c][1] if c in polys else None for c in codes], dtype=object)
    invalid = np.flatnonzero(~shapely.is_valid(geoms) & ~shapely.is_missing(geoms))
    for i in invalid:
        geoms[i] = valid_areal(geoms[i])
    points = [labels[c][1] if c in labels else None for c in codes]
    frame = pd.DataFrame({
        "area_code": codes,
        "name": [(labels.get(c) or polys[c])[0] for c in codes],
        "kind": kind,
        "lat": [np.nan if p is None else p.y for p in points],
        "lon": [np.nan if p is None else p.x for p in points],
    })
    return AreaSet.build(frame, list(geoms))


def build_national_data(src: Path, dst: Path = DATA_DIR) -> list[Path]:
    """Decode the CBS TopoJSON files once and store each kind compactly as ``cbs_<kind>.npz``.

    Per kind: codes, names, label points and the polygons as a ragged MultiPolygon array whose
    coordinates are micro-degrees (about 0.1 m), delta-encoded as int32 (a few hundred kB, loads in
    a fraction of a second with :func:`shapely.from_ragged_array`).
    """
    dst.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in FILES:
        aset = _decode_kind(src, kind)
        multi = [shapely.MultiPolygon() if g is None else shapely.MultiPolygon([g]) if shapely.get_type_id(g) == 3
                 else g for g in aset.geometries]
        _, coords, offsets = shapely.to_ragged_array(np.asarray(multi, dtype=object))
        q = np.round(coords * 1e6).astype(np.int64)
        delta = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).astype(np.int32)
        out = dst / f"cbs_{kind}.npz"
        np.savez_compressed(
            out, codes=aset.frame["area_code"].to_numpy(dtype=str), names=aset.frame["name"].to_numpy(dtype=str),
            lat=aset.frame["lat"].to_numpy(dtype=float), lon=aset.frame["lon"].to_numpy(dtype=float),
            delta=delta, rings=offsets[0], polygons=offsets[1], geometries=offsets[2])
        written.append(out)
    if (src / "SOURCE.txt").is_file():
        shutil.copyfile(src / "SOURCE.txt", dst / "SOURCE.txt")
    return written


@lru_cache(maxsize=8)
def _national_kind(kind: str) -> AreaSet:
    with np.load(DATA_DIR / f"cbs_{kind}.npz") as z:
        coords = np.cumsum(z["delta"].astype(np.int64), axis=0) / 1e6
        geoms = shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords,
                                          (z["rings"], z["polygons"], z["geometries"]))
        frame = pd.DataFrame({"area_code": z["codes"].astype(object), "name": z["names"].astype(object),
                              "kind": kind, "lat": z["lat"], "lon": z["lon"], "precision": "coarse",
                              "source": "CBS 2014 (ingebouwd, grof)"})
    return AreaSet.build(frame, list(geoms))


def national_areas(kinds: Sequence[str] = ("buurt", "wijk", "gemeente")) -> AreaSet:
    """The built-in CBS areas of the whole country for these kinds (cached; coarse polygons + label points).

    Unknown kinds raise ``ValueError``; ``eigen`` has no national areas and is ignored.
    """
    wanted = tuple(k for k in kinds if k != "eigen")
    bad = [k for k in wanted if k not in FILES]
    if bad:
        raise ValueError(f"onbekende soort {bad[0]!r}; kies uit {', '.join(FILES)}")
    return _national(wanted)


@lru_cache(maxsize=8)
def _national(kinds: tuple[str, ...]) -> AreaSet:
    sets = [_national_kind(k) for k in kinds]
    if not sets:
        return AreaSet.empty()
    out = sets[0]
    for s in sets[1:]:
        out = out.merge(s)
    return out


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    args = [Path(a) for a in sys.argv[1:]]
    for p in build_national_data(*args):  # SRC_DIR [DST_DIR]
        print(p)
