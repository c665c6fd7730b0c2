"""The built-in national fallback: CBS buurten, wijken and gemeenten of the whole country.

Shipped in ``netwerk/data/cbs/`` as gzip'd TopoJSON, copied (re-serialised compactly) from the CBS
gebiedsindelingen 2014/2015 in ``../shared/data/cbs-nl-2014`` (see ``data/cbs/SOURCE.txt``):

- polygons quantised to about 300 m (``precision="coarse"``): right for an overview map and for most
  points in a buurt, wrong near a border;
- label points to about 30 m: the name and the point of every buurt, also those without a polygon
  (``precision="points"``).

A municipality's own CBS wijk- en buurtkaart (``netwerk gebieden import``) replaces it.
Rebuild: ``python -m netwerk.geo.national SRC_DIR [DST_DIR]``.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
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
_KEEP = ("statcode", "statnaam")


def build_national_data(src: Path, dst: Path = DATA_DIR) -> list[Path]:
    """Copy the CBS TopoJSON files compactly (gzip, only code and name properties) into ``dst``."""
    dst.mkdir(parents=True, exist_ok=True)
    written = []
    for poly_file, label_file in FILES.values():
        for name in (poly_file, label_file):
            data = json.loads((src / name).read_text(encoding="utf-8"))
            for obj in data["objects"].values():
                for g in obj.get("geometries", []):
                    g["properties"] = {k: v for k, v in (g.get("properties") or {}).items() if k in _KEEP}
            out = dst / (Path(name).stem + ".topojson.gz")
            with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
                json.dump(data, fh, separators=(",", ":"))
            written.append(out)
    if (src / "SOURCE.txt").is_file():
        shutil.copyfile(src / "SOURCE.txt", dst / "SOURCE.txt")
    return written


def _read(name: str) -> list[tuple[str, str, Any]]:
    path = DATA_DIR / (Path(name).stem + ".topojson.gz")
    feats, _ = read_topojson(path)
    out = []
    for f in feats:
        code = str(f.properties.get("statcode") or f.feature_id or "")
        if code:
            out.append((code, str(f.properties.get("statnaam") or code), f.geometry))
    return out


@lru_cache(maxsize=8)
def _national_kind(kind: str) -> AreaSet:
    poly_file, label_file = FILES[kind]
    labels = {code: (name, g) for code, name, g in _read(label_file)}
    polys = {code: (name, g) for code, name, g in _read(poly_file)}
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
        "precision": "coarse",
        "source": "CBS 2014 (ingebouwd, grof)",
    })
    return AreaSet.build(frame, list(geoms))


@lru_cache(maxsize=8)
def national_areas(kinds: tuple[str, ...] = ("buurt", "wijk", "gemeente")) -> AreaSet:
    """The built-in CBS areas of the whole country for these kinds (cached; coarse polygons + label points)."""
    kinds = tuple(kinds)
    sets = [_national_kind(k) for k in kinds]
    if not sets:
        return AreaSet.empty()
    out = sets[0]
    for s in sets[1:]:
        out = out.merge(s)
    return out


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    args = [Path(a) for a in sys.argv[1:]]
    for p in build_national_data(*args):
        print(p)
