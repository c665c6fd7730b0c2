"""The generator for any municipality: real buurten of Almelo and Koggenland, RD coordinates, BAG forms.

The planted-pattern checks of ``test_generate`` run unchanged on every geography; the tests here add
what only holds elsewhere than Oldambt (its own buurten, names, partners, coordinate systems, BAG).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from test_generate import CHECKS, Data
from typer.testing import CliRunner

from netwerk.cli import app
from netwerk.generate import generate
from netwerk.geo.coords import rd_to_wgs84
from netwerk.geo.national import national_areas
from netwerk.synth.gemeente import resolve_gemeente

GEMEENTEN = {"GM0141": "Almelo", "GM1598": "Koggenland"}
OLDAMBT_WORDS = re.compile(r"Oldambt|oldambt|Winschoten|Scheemda|BU1895|WK1895|Finsterwolde")


def _load(path: Path, gt: dict[str, Any]) -> Data:
    """A generated folder as strings; x/y (RD) also as lat/lon so the shared checks run unchanged."""
    d = Data(path, gt)
    for name in ("addresses", "signals"):
        t = d.t[name]
        if "x" in t:
            has = (t["x"] != "").to_numpy()
            lat, lon = rd_to_wgs84(pd.to_numeric(t["x"].where(has)), pd.to_numeric(t["y"].where(has)))
            t["lat"] = np.where(has, np.char.mod("%.6f", np.nan_to_num(lat)), "")
            t["lon"] = np.where(has, np.char.mod("%.6f", np.nan_to_num(lon)), "")
    return d


@pytest.fixture(scope="module", params=[("GM0141", True, True), ("GM1598", False, False)],
                ids=["almelo-rd-bag", "koggenland-wgs84"])
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Data:
    code, rd, bag = request.param
    out = tmp_path_factory.mktemp(code)
    gt = generate(out, seed=11, size="small", gemeente=code, rd=rd, bag=bag)
    d = _load(out, gt)
    d.gt["_options"] = {"gemeente": code, "rd": rd, "bag": bag}
    return d


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_planted_patterns_hold_elsewhere(made: Data, check: Any) -> None:
    check(made)


def test_only_the_municipalitys_own_buurten_and_names(made: Data) -> None:
    code = made.gt["_options"]["gemeente"]
    assert made.gt["gemeente"] == {"code": code, "name": GEMEENTEN[code]}
    areas = national_areas().for_gemeenten([code]).of_kind("buurt")
    real = set(areas.frame["area_code"])
    a, s = made.t["addresses"], made.t["signals"]
    assert set(a.buurt_code) <= real and set(s.buurt_code) - {""} <= real
    assert len(set(a.buurt_code)) >= 0.6 * len(real)  # spread over the municipality, not one corner
    assert set(a.wijk_code) <= {"WK" + c[2:8] for c in real}
    planted = [x["buurt_code"] for k in ("address_hotspots", "fenomeen_areas", "location_hotspots", "youth_groups")
               for x in made.gt[k]]
    assert set(planted) <= real
    for f in made.path.glob("*.csv"):
        assert not OLDAMBT_WORDS.search(f.read_text(encoding="utf-8")), f.name
    assert not OLDAMBT_WORDS.search(json.dumps(made.gt))
    assert set(made.t["partners"].partner_id) >= {f"politie-{GEMEENTEN[code].lower()}"}


def test_points_lie_in_their_own_buurt(made: Data) -> None:
    """Each address is near its buurt's label point, in the municipality, and inside its buurt's
    polygon where the coarse polygon holds its own label point (elsewhere only the point is known)."""
    code = made.gt["_options"]["gemeente"]
    areas = national_areas().for_gemeenten([code]).of_kind("buurt")
    f = areas.frame.set_index("area_code")
    a = made.t["addresses"]
    lat, lon = a.lat.astype(float).to_numpy(), a.lon.astype(float).to_numpy()
    blat, blon = f.loc[a.buurt_code, "lat"].to_numpy(float), f.loc[a.buurt_code, "lon"].to_numpy(float)
    d = np.hypot((lat - blat) * 111_320, (lon - blon) * 111_320 * np.cos(np.radians(blat)))
    assert np.median(d) < 400 and np.quantile(d, 0.95) < 2_500, (np.median(d), np.quantile(d, 0.95))
    # nearest label point of the whole municipality: the own buurt's for most addresses
    lab_lat, lab_lon = f["lat"].to_numpy(float), f["lon"].to_numpy(float)
    dd = np.hypot((lat[:, None] - lab_lat) * 111_320, (lon[:, None] - lab_lon) * 68_000)
    own = f.index.to_numpy()[dd.argmin(axis=1)] == a.buurt_code.to_numpy()
    assert own.mean() >= 0.6, own.mean()
    geoms = dict(zip(areas.frame["area_code"], areas.geometries, strict=True))
    inside, n = 0, 0
    for bu, rows in a.groupby("buurt_code").groups.items():
        g = geoms[bu]
        if g is None or not shapely.contains_xy(g, f.at[bu, "lon"], f.at[bu, "lat"]):
            continue
        r = a.loc[rows]
        inside += int(shapely.contains_xy(g, r.lon.astype(float), r.lat.astype(float)).sum())
        n += len(r)
    assert n > 100 and inside / n >= 0.9, (inside, n)


def test_rd_and_bag_forms(made: Data) -> None:
    opt = made.gt["_options"]
    header_a = (made.path / "addresses.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    header_s = (made.path / "signals.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert made.gt["coordinates"] == ("rd" if opt["rd"] else "wgs84")
    if opt["rd"]:
        assert {"x", "y"} <= set(header_a) & set(header_s) and not {"lat", "lon"} & set(header_a + header_s)
        raw = pd.read_csv(made.path / "addresses.csv", dtype=str, keep_default_na=False)
        x, y = raw.x.astype(float), raw.y.astype(float)
        assert x.between(0, 300_000).all() and y.between(300_000, 620_000).all()
        for loc in made.gt["location_hotspots"]:
            lat, lon = rd_to_wgs84(loc["x"], loc["y"])
            assert abs(float(lat) - loc["lat"]) * 111_320 < 1 and abs(float(lon) - loc["lon"]) * 68_000 < 1
    else:
        assert {"lat", "lon"} <= set(header_a) and "x" not in header_a
    a = made.t["addresses"]
    combined = ~a.house_number.str.fullmatch(r"\d+")
    bag_ids = a.address_id.str.fullmatch(r"\d{16}")
    expected = made.gt["bag_house_numbers"]
    if not opt["bag"]:
        assert not combined.any() and not bag_ids.any() and expected == []
        return
    assert 0.3 <= bag_ids.mean() <= 0.7 and a.address_id[bag_ids].str.slice(0, 6).eq(opt["gemeente"][2:] + "20").all()
    assert combined.sum() == len(expected) >= 20
    forms = {re.sub(r"\d+", "9", re.sub(r"[A-Za-z]{2,}", "w", re.sub(r"(?<=\d)[A-Za-z]\b", "L", h)))
             for h in a.house_number[combined]}
    assert len(forms) >= 4, forms  # "15 A", "15a", "15-1", "15A-2", "15 bis", ...
    by_id = a.set_index("address_id")
    for e in expected:
        row = by_id.loc[e["address_id"]]
        assert row.house_number == e["house_number"] and row.house_letter == "" and row.house_number_addition == ""
        x = e["expected"]
        assert e["house_number"].startswith(str(x["house_number"]))
        assert x["house_letter"] or x["house_number_addition"]
    # separate BAG columns still carry letters and additions for the other addresses
    assert (a.house_letter != "").any() and (a.house_number_addition != "").any()


def test_same_world_in_rd_and_wgs84(tmp_path: Path) -> None:
    """--rd only changes how coordinates are written: same ids, same planted truth, within 1 m."""
    wgs = generate(tmp_path / "wgs", seed=5, size="small", gemeente="GM1598")
    rd = generate(tmp_path / "rd", seed=5, size="small", gemeente="GM1598", rd=True)
    for h in rd["location_hotspots"]:
        h.pop("x"), h.pop("y")
    assert {**rd, "coordinates": "wgs84"} == wgs
    a = pd.read_csv(tmp_path / "wgs" / "addresses.csv", dtype={"address_id": str})
    b = pd.read_csv(tmp_path / "rd" / "addresses.csv", dtype={"address_id": str})
    assert (a.address_id == b.address_id).all()
    lat, lon = rd_to_wgs84(b.x, b.y)
    err = np.hypot((lat - a.lat) * 111_320, (lon - a.lon) * 68_000)
    assert err.max() < 1.0
    assert (tmp_path / "wgs" / "persons.csv").read_bytes() == (tmp_path / "rd" / "persons.csv").read_bytes()


def test_deterministic_elsewhere(tmp_path: Path) -> None:
    generate(tmp_path / "a", seed=9, size="small", gemeente="GM0141", bag=True)
    generate(tmp_path / "b", seed=9, size="small", gemeente="GM0141", bag=True)
    for f in sorted((tmp_path / "a").iterdir()):
        assert (tmp_path / "b" / f.name).read_bytes() == f.read_bytes(), f.name


def test_cli_gemeente_rd_bag_and_bad_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["generate", "--out", str(tmp_path / "k"), "--gemeente", "GM1598", "--rd", "--bag",
                              "--seed", "3"])
    assert res.exit_code == 0, res.output
    assert "Koggenland (GM1598)" in res.output
    assert json.loads((tmp_path / "k" / "ground_truth.json").read_text())["coordinates"] == "rd"
    res = runner.invoke(app, ["generate", "--out", str(tmp_path / "x"), "--gemeente", "GM9999"])
    assert res.exit_code == 1 and "onbekende gemeente 'GM9999'" in res.output
    res = runner.invoke(app, ["generate", "--out", str(tmp_path / "x"), "--gemeente", "Nergenshuizen"])
    assert res.exit_code == 1 and "onbekende gemeente 'Nergenshuizen'" in res.output
    assert resolve_gemeente("almelo") == resolve_gemeente("gm0141") == resolve_gemeente("0141") == "GM0141"
