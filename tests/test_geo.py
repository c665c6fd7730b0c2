"""Coordinates, the national fallback, municipality detection and readable labels, on several municipalities."""

from __future__ import annotations

import numpy as np
import pytest

from netwerk.geo.assign import assign_areas
from netwerk.geo.coords import in_netherlands, looks_like_rd, looks_swapped, rd_to_wgs84, wgs84_to_rd
from netwerk.geo.detect import detect_municipalities, gemeente_of_code
from netwerk.geo.labels import address_label, buurt_label, cluster_label, safe_filename
from netwerk.geo.national import national_areas

MUNICIPALITIES = {"GM0141": "Almelo", "GM1598": "Koggenland", "GM1895": "Oldambt"}


def test_rd_wgs84_known_point_and_round_trip() -> None:
    # the Onze Lieve Vrouwetoren in Amersfoort is the RD origin: x 155000, y 463000
    lat, lon = rd_to_wgs84(155_000.0, 463_000.0)
    assert float(lat) == pytest.approx(52.15517, abs=1e-4) and float(lon) == pytest.approx(5.38721, abs=1e-4)
    rng = np.random.default_rng(3)
    lat = rng.uniform(50.8, 53.5, 1000)
    lon = rng.uniform(3.4, 7.2, 1000)
    x, y = wgs84_to_rd(lat, lon)
    assert looks_like_rd(x, y).all()
    lat2, lon2 = rd_to_wgs84(x, y)
    assert np.max(np.abs(lat2 - lat)) < 1e-8 and np.max(np.abs(lon2 - lon)) < 1e-8
    assert np.isnan(rd_to_wgs84([np.nan], [1.0])[0]).all()


def test_plausibility_checks() -> None:
    lat = np.array([53.14, 7.03, 48.85, 52.37])
    lon = np.array([7.03, 53.14, 2.35, 4.89])
    assert in_netherlands(lat, lon).tolist() == [True, False, False, True]
    assert looks_swapped(lat, lon).tolist() == [False, True, False, False]
    assert not looks_like_rd(lat, lon).any()


@pytest.mark.parametrize("gm", sorted(MUNICIPALITIES))
def test_national_buurten_label_points_fall_in_their_own_municipality(gm: str) -> None:
    buurten = national_areas(("buurt",)).for_gemeenten([gm])
    assert len(buurten) >= 10
    assert set(buurten.frame["parent_code"].str[:6]) == {"WK" + gm[2:]}
    located = buurten.frame.dropna(subset=["lat"])
    codes, bron = assign_areas(located["lat"], located["lon"], national_areas(("gemeente",)), kind="gemeente")
    # coarse gemeente polygons: nearly every buurt label point is in its own municipality
    assert np.mean(codes == gm) > 0.9
    assert set(bron) <= {"grof", "label"}
    assert detect_municipalities(lat=located["lat"], lon=located["lon"])[0] == gm
    assert detect_municipalities(buurt_codes=buurten.codes) == [gm]


def test_national_fallback_names_and_precision() -> None:
    nat = national_areas()
    names = nat.names()
    assert names["GM0141"] == "Almelo" and names["GM1598"] == "Koggenland" and names["GM1895"] == "Oldambt"
    assert names["BU18950000"] == "Winschoten-Centrum"
    assert nat.precision == "points"  # some buurten are only label points
    assert set(nat.frame["precision"]) == {"coarse", "points"}
    assert len(nat.of_kind("buurt")) > 11_000


def test_points_only_areas_use_the_nearest_label_point_within_the_limit() -> None:
    pts = national_areas(("buurt",)).for_gemeenten(["GM0141"])
    only_points = pts.select(np.ones(len(pts), dtype=bool))
    only_points = type(only_points).build(only_points.frame.assign(precision="points"), None)
    row = only_points.frame.iloc[0]
    codes, bron = assign_areas([row["lat"] + 0.0001, 50.9], [row["lon"], 4.0], only_points)
    assert codes.tolist() == [row["area_code"], None]
    assert bron.tolist() == ["label", "buiten"]


def test_detect_from_codes_coordinates_and_postcodes() -> None:
    assert gemeente_of_code("BU15980001") == "GM1598" and gemeente_of_code("WK014103") == "GM0141"
    assert gemeente_of_code("1234AB-4") is None
    # two municipalities, most frequent first; stray rows below 1 % left out
    codes = ["BU01410001"] * 300 + ["BU15980101"] * 100 + ["BU03630000"]
    assert detect_municipalities(buurt_codes=codes) == ["GM0141", "GM1598"]
    alm = national_areas(("buurt",)).for_gemeenten(["GM0141"]).frame.dropna(subset=["lat"])
    lat = alm["lat"].tolist() + [np.nan] * 50
    lon = alm["lon"].tolist() + [np.nan] * 50
    postcodes = ["7601"] * len(alm) + ["7601 AB"] * 50
    assert detect_municipalities(postcodes=postcodes, lat=lat, lon=lon) == ["GM0141"]
    assert detect_municipalities(buurt_codes=["onbekend"]) == []


def test_labels_for_people() -> None:
    assert address_label("Stationsweg", 12, "A", None, "Winschoten") == "Stationsweg 12 A, Winschoten"
    assert address_label("Grotestraat", 15.0, None, "1", "Almelo") == "Grotestraat 15-1, Almelo"
    assert address_label("Dorpsstraat", 3, "b", "2", None) == "Dorpsstraat 3 b-2"
    assert address_label(None, None, None, None, None) == ""
    assert buurt_label("BU00140002", "Binnenstad-Zuid") == "Binnenstad-Zuid (BU00140002)"
    assert buurt_label("BU00140002", None) == "BU00140002"
    assert cluster_label(53.1, 7.0, street="Stationsweg", city="Winschoten", distance_m=48.4) == \
        "bij Stationsweg (Winschoten), 48 m"
    assert cluster_label(53.1, 7.0, area_name="Marktplein", street="Stationsweg") == "Marktplein"


@pytest.mark.parametrize("key", [
    "cluster:winschoten:53.17903,6.97219", 'a/b\\c*d?e"f<g>h|i', "CON", "aux.txt", " . ", "é" * 300,
    "BU18950000", "1234AB-4",
])
def test_safe_filename_is_safe_bounded_and_stable(key: str) -> None:
    name = safe_filename(key)
    assert name and not set(name) & set('<>:"/\\|?*') and len(name) <= 80
    assert name == safe_filename(key)
    assert not name.endswith((".", " "))
    assert name.split(".")[0].upper() not in {"CON", "AUX", "NUL", "PRN"}


def test_safe_filename_keeps_plain_keys_and_separates_similar_ones() -> None:
    assert safe_filename("BU18950000") == "BU18950000"
    assert safe_filename("a:b") != safe_filename("a/b")
