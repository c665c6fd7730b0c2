"""`netwerk gebieden import|list`: area files become Area nodes with hierarchy on both stores."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from test_geo_files import X0, Y0, cbs_gpkg, named_areas_geojson
from typer.testing import CliRunner

from netwerk.cli import app
from netwerk.commands.gebieden import import_areas
from netwerk.geo.areas import areas_for_store, load_area_file
from netwerk.geo.assign import assign_areas
from netwerk.geo.coords import rd_to_wgs84
from netwerk.store.base import GraphStore

runner = CliRunner()


def test_import_and_list_on_the_embedded_store(tmp_path: Path) -> None:
    gpkg = cbs_gpkg(tmp_path / "wijkenbuurten_2024.gpkg")
    own = named_areas_geojson(tmp_path / "eigen.geojson")
    s = str(tmp_path / "s")
    res = runner.invoke(app, ["gebieden", "import", str(gpkg), "--soort", "buurt", "--store", s, "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["gebieden"] == 2 and out["precisie"] == "precise"
    assert out["bovenliggend_toegevoegd"] == 2  # WK014103 and GM0141 from the national map
    assert "Binnenstad-Noord (BU01410301)" in out["voorbeelden"]
    res = runner.invoke(app, ["gebieden", "import", str(own), "--soort", "eigen", "--naam-veld", "naam",
                              "--store", s])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["gebieden", "list", "--store", s, "--format", "json"])
    rows = {r["area_code"]: r for r in json.loads(res.output)}
    assert rows["BU01410301"]["parent_code"] == "WK014103" and rows["BU01410301"]["has_geometry"]
    assert rows["WK014103"]["parent_code"] == "GM0141" and rows["GM0141"]["name"] == "Almelo"
    assert rows["EIGEN-MARKTPLEIN"]["label"] == "Marktplein (EIGEN-MARKTPLEIN)"
    assert rows["EIGEN-MARKTPLEIN"]["gemeente_code"] == "GM0141"
    res = runner.invoke(app, ["gebieden", "list", "--soort", "eigen", "--store", s])
    assert res.exit_code == 0 and "Park Het Groen" in res.output and "Binnenstad" not in res.output
    # re-running is idempotent
    res = runner.invoke(app, ["gebieden", "import", str(gpkg), "--store", s, "--format", "json"])
    assert json.loads(res.output)["bovenliggend_toegevoegd"] == 0
    res = runner.invoke(app, ["gebieden", "list", "--store", s, "--format", "json"])
    assert len(json.loads(res.output)) == len(rows)


def test_bad_file_and_soort_give_a_dutch_message(tmp_path: Path) -> None:
    bad = tmp_path / "kapot.geojson"
    bad.write_text("{niet json", encoding="utf-8")
    res = runner.invoke(app, ["gebieden", "import", str(bad), "--store", str(tmp_path / "s")])
    assert res.exit_code == 1 and "kapot.geojson: geen geldige JSON" in " ".join(res.output.split())
    res = runner.invoke(app, ["gebieden", "import", str(bad), "--soort", "plein", "--store", str(tmp_path / "s")])
    assert res.exit_code == 1 and "onbekende soort" in " ".join(res.output.split())


def _import_and_check(st: GraphStore, tmp_path: Path) -> None:
    areas = load_area_file(cbs_gpkg(tmp_path / "b.gpkg"), "buurt")
    import_areas(st, areas)
    import_areas(st, areas)
    rel = st.relationships_df("IN", "Area", "Area")
    pairs = set(zip(rel["start"], rel["end"], strict=True))
    assert {("BU01410301", "WK014103"), ("BU01410302", "WK014103"), ("WK014103", "GM0141")} <= pairs
    assert len(rel) == 3
    # the imported precise buurten win over the national fallback of the same code...
    merged = areas_for_store(st)
    f = merged.frame.set_index("area_code")
    assert f.loc["BU01410301", "precision"] == "precise" and f.loc["BU01410301", "name"] == "Binnenstad-Noord"
    lat, lon = rd_to_wgs84(np.array([X0 + 400, X0 + 1200]), np.array([Y0 + 300, Y0 + 300]))
    codes, bron = assign_areas(lat, lon, merged)
    assert codes.tolist() == ["BU01410301", "BU01410302"] and bron.tolist() == ["polygoon", "polygoon"]
    # ...and the rest of the country still comes from the fallback
    assert f.loc["BU18950000", "name"] == "Winschoten-Centrum"


def test_import_on_embedded(embedded_store: GraphStore, tmp_path: Path) -> None:
    _import_and_check(embedded_store, tmp_path)


def test_import_on_neo4j(neo4j_store: GraphStore, tmp_path: Path) -> None:
    _import_and_check(neo4j_store, tmp_path)
