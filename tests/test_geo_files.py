"""Area files as users bring them: a CBS-style GeoPackage (RD New) and a GeoJSON of own named areas.

The GeoPackage is written here with sqlite3 following the OGC GeoPackage 1.3 spec (gpkg_spatial_ref_sys,
gpkg_contents, gpkg_geometry_columns, geometry blobs with the ``GP`` header and an envelope), as the
CBS *wijk- en buurtkaart* is published: layers ``buurten`` and ``wijken`` in EPSG:28992.
"""

from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path

import numpy as np
import pytest
import shapely

from netwerk.geo.areas import AreaFileError, load_area_file
from netwerk.geo.assign import assign_areas
from netwerk.geo.coords import rd_to_wgs84, wgs84_to_rd

# Two Almelo-like buurten side by side in RD New (metres), one wijk around both.
X0, Y0 = 238_000.0, 488_000.0
BUURTEN_RD = {
    "BU01410301": ("Binnenstad-Noord", shapely.box(X0, Y0, X0 + 800, Y0 + 600)),
    "BU01410302": ("Binnenstad-Zuid", shapely.box(X0 + 800, Y0, X0 + 1600, Y0 + 600)),
}


def gpkg_blob(geom: shapely.Geometry, srs_id: int) -> bytes:
    """A GeoPackage geometry blob: 'GP', version 0, flags (little endian, envelope [minx,maxx,miny,maxy])."""
    minx, miny, maxx, maxy = geom.bounds
    header = b"GP" + bytes([0, 0b0000_0011]) + struct.pack("<i", srs_id)
    return header + struct.pack("<4d", minx, maxx, miny, maxy) + shapely.to_wkb(geom, byte_order=1)


def write_gpkg(path: Path, layers: dict[str, list[dict]], srs_id: int = 28992) -> Path:
    """A minimal GeoPackage: ``layers`` maps table name to rows (``geom`` + attribute columns)."""
    con = sqlite3.connect(path)
    con.executescript("""
        PRAGMA application_id = 1196444487;
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
            organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
            description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT,
            description TEXT DEFAULT '', last_change DATETIME, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE,
            max_y DOUBLE, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL);
    """)
    con.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('Amersfoort / RD New', ?, 'EPSG', 28992, 'PROJCS[...]', '')",
                (srs_id,))
    for table, rows in layers.items():
        cols = [c for c in rows[0] if c != "geom"]
        con.execute(f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY, geom BLOB, '
                    + ", ".join(f'"{c}" TEXT' for c in cols) + ")")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                    "VALUES (?, 'features', ?, ?)", (table, table, srs_id))
        con.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', ?, 0, 0)", (table, srs_id))
        for r in rows:
            con.execute(f'INSERT INTO "{table}" (geom, {", ".join(cols)}) VALUES (?, {", ".join("?" * len(cols))})',
                        [gpkg_blob(r["geom"], srs_id), *[r[c] for c in cols]])
    con.commit()
    con.close()
    return path


def cbs_gpkg(path: Path) -> Path:
    """The two buurten and their wijk, with CBS field names (buurtcode, buurtnaam, wijkcode, gemeentecode)."""
    buurten = [{"geom": shapely.MultiPolygon([g]), "buurtcode": code, "buurtnaam": name, "wijkcode": "WK014103",
                "gemeentecode": "GM0141", "gemeentenaam": "Almelo"} for code, (name, g) in BUURTEN_RD.items()]
    wijken = [{"geom": shapely.MultiPolygon([shapely.box(X0, Y0, X0 + 1600, Y0 + 600)]), "wijkcode": "WK014103",
               "wijknaam": "Wijk 03 Centrum", "gemeentecode": "GM0141"}]
    return write_gpkg(path, {"wijken": wijken, "buurten": buurten})


def test_geopackage_in_rd_is_read_reprojected_with_names_and_hierarchy(tmp_path: Path) -> None:
    areas = load_area_file(cbs_gpkg(tmp_path / "wijkenbuurten.gpkg"), "buurt")
    f = areas.frame.set_index("area_code")
    assert sorted(f.index) == ["BU01410301", "BU01410302"]
    assert f.loc["BU01410302", "name"] == "Binnenstad-Zuid"
    assert set(f["parent_code"]) == {"WK014103"} and set(f["gemeente_code"]) == {"GM0141"}
    assert areas.precision == "precise"
    # reprojected to WGS84: the buurt's centre lies where pyproj puts the RD centre
    lat, lon = rd_to_wgs84(X0 + 400, Y0 + 300)
    codes, bron = assign_areas([lat], [lon], areas)
    assert codes.tolist() == ["BU01410301"] and bron.tolist() == ["polygoon"]
    assert 52.2 < float(lat) < 52.5 and 6.5 < float(lon) < 6.8  # Almelo
    # about 800 m x 600 m
    assert areas.area_m2()[0] == pytest.approx(480_000, rel=0.001)
    wijken = load_area_file(tmp_path / "wijkenbuurten.gpkg", "wijk")
    assert wijken.codes == ["WK014103"] and wijken.frame.at[0, "parent_code"] == "GM0141"


def test_rd_and_wgs84_give_the_same_buurt_within_a_metre(tmp_path: Path) -> None:
    areas = load_area_file(cbs_gpkg(tmp_path / "b.gpkg"), "buurt")
    rng = np.random.default_rng(7)
    x = rng.uniform(X0 + 5, X0 + 1595, 2_000)
    y = rng.uniform(Y0 + 5, Y0 + 595, 2_000)
    lat, lon = rd_to_wgs84(x, y)
    x2, y2 = wgs84_to_rd(lat, lon)
    assert float(np.max(np.hypot(x2 - x, y2 - y))) < 1.0
    codes, _ = assign_areas(lat, lon, areas)
    expected = np.where(x < X0 + 800, "BU01410301", "BU01410302")
    # exact except within a metre of the internal border
    far = np.abs(x - (X0 + 800)) > 1.0
    assert (codes[far] == expected[far]).all()
    assert far.sum() > 1_900


def test_a_geopackage_with_several_layers_needs_the_soort(tmp_path: Path) -> None:
    path = cbs_gpkg(tmp_path / "b.gpkg")
    with pytest.raises(AreaFileError, match=r"meerdere lagen.*--laag"):
        load_area_file(path, "eigen")
    own = load_area_file(path, "eigen", laag="wijken", naam_veld="wijknaam")
    assert own.names() == {"EIGEN-WIJK-03-CENTRUM": "Wijk 03 Centrum"}


def test_a_broken_geometry_blob_names_file_layer_and_row(tmp_path: Path) -> None:
    path = cbs_gpkg(tmp_path / "b.gpkg")
    con = sqlite3.connect(path)
    con.execute("UPDATE buurten SET geom = X'00112233' WHERE fid = 2")
    con.commit()
    con.close()
    with pytest.raises(AreaFileError, match=r"b\.gpkg: laag buurten, rij 2, veld geom"):
        load_area_file(path, "buurt")


def named_areas_geojson(path: Path) -> Path:
    """A municipality's own named areas drawn in a GIS: a square and a park sharing an edge at lon 6.6650."""
    feats = [
        {"type": "Feature", "properties": {"naam": "Marktplein"},
         "geometry": json.loads(shapely.to_geojson(shapely.box(6.6600, 52.3550, 6.6650, 52.3580)))},
        {"type": "Feature", "properties": {"naam": "Park Het Groen"},
         "geometry": json.loads(shapely.to_geojson(shapely.box(6.6650, 52.3550, 6.6700, 52.3580)))},
        {"type": "Feature", "properties": {"naam": "Rond het Marktplein"},  # overlaps the square
         "geometry": json.loads(shapely.to_geojson(shapely.box(6.6590, 52.3540, 6.6660, 52.3590)))},
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    return path


def test_geojson_of_named_areas_border_overlap_and_outside(tmp_path: Path) -> None:
    areas = load_area_file(named_areas_geojson(tmp_path / "eigen.geojson"), "eigen")
    names = areas.names()
    assert names == {"EIGEN-MARKTPLEIN": "Marktplein", "EIGEN-PARK-HET-GROEN": "Park Het Groen",
                     "EIGEN-ROND-HET-MARKTPLEIN": "Rond het Marktplein"}
    # the municipality comes from the national map: this is Almelo
    assert set(areas.frame["gemeente_code"]) == {"GM0141"}
    lat = [52.3565, 52.3565, 52.3565, 52.3565, 52.0, np.nan]
    lon = [6.6680, 6.6650, 6.6620, 6.6595, 5.0, 6.66]
    codes, bron = assign_areas(lat, lon, areas, kind="eigen")
    assert codes.tolist() == [
        "EIGEN-PARK-HET-GROEN",   # only in the park
        "EIGEN-ROND-HET-MARKTPLEIN",  # on the square/park edge but inside the ring: inside beats border
        "EIGEN-MARKTPLEIN",       # inside square and the overlapping ring: lowest code
        "EIGEN-ROND-HET-MARKTPLEIN",
        None,                     # outside every area
        None,                     # no coordinates
    ]
    assert bron.tolist() == ["polygoon"] * 4 + ["buiten", "geen"]


def test_point_on_a_shared_border_gets_the_lowest_code(tmp_path: Path) -> None:
    areas = load_area_file(named_areas_geojson(tmp_path / "eigen.geojson"), "eigen")
    two = areas.with_codes(["EIGEN-MARKTPLEIN", "EIGEN-PARK-HET-GROEN"])
    codes, bron = assign_areas([52.3565, 52.3550], [6.6650, 6.6650], two, kind="eigen")
    assert codes.tolist() == ["EIGEN-MARKTPLEIN", "EIGEN-MARKTPLEIN"]
    assert bron.tolist() == ["polygoon", "polygoon"]
    # reversed file order gives the same outcome
    rev = two.select([False, True]).merge(two.select([True, False]))
    assert rev.codes == ["EIGEN-PARK-HET-GROEN", "EIGEN-MARKTPLEIN"]
    assert assign_areas([52.3565], [6.6650], rev, kind="eigen")[0].tolist() == ["EIGEN-MARKTPLEIN"]


def test_topojson_and_code_and_name_fields(tmp_path: Path) -> None:
    topo = {"type": "Topology", "transform": {"scale": [0.001, 0.001], "translate": [6.0, 52.0]},
            "arcs": [[[0, 0], [10, 0], [0, 10], [-10, 0], [0, -10]]],
            "objects": {"gebieden": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0]], "properties": {"kvo_id": "KVO-1", "titel": "KVO Centrum"}}]}}}
    path = tmp_path / "kvo.topojson"
    path.write_text(json.dumps(topo), encoding="utf-8")
    areas = load_area_file(path, "eigen", naam_veld="titel", code_veld="kvo_id")
    assert areas.names() == {"KVO-1": "KVO Centrum"}
    assert assign_areas([52.005], [6.005], areas, kind="eigen")[0].tolist() == ["KVO-1"]
    with pytest.raises(AreaFileError, match="veld 'bestaatniet'"):
        load_area_file(path, "eigen", naam_veld="bestaatniet")


def test_geojson_in_rd_with_older_cbs_field_names(tmp_path: Path) -> None:
    feats = [{"type": "Feature", "properties": {"BU_CODE": code, "BU_NAAM": name, "WK_CODE": "WK014103",
                                                 "GM_CODE": "GM0141"},
              "geometry": json.loads(shapely.to_geojson(shapely.MultiPolygon([g])))}
             for code, (name, g) in BUURTEN_RD.items()]
    path = tmp_path / "buurt_2015.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats,
                                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}}),
                    encoding="utf-8")
    areas = load_area_file(path, "buurt")
    assert areas.names() == {"BU01410301": "Binnenstad-Noord", "BU01410302": "Binnenstad-Zuid"}
    assert set(areas.frame["parent_code"]) == {"WK014103"}
    lat, lon = rd_to_wgs84(X0 + 1200, Y0 + 300)
    assert assign_areas([lat], [lon], areas)[0].tolist() == ["BU01410302"]
