"""Hotspots and maps on a municipality that is not Oldambt: the data's own buurten, names and extent.

The data set is placed in real buurten of Koggenland (GM1598) and Almelo (GM0141), from the national
CBS label points shipped with netwerk: addresses around the label points, background signals, one planted
address hotspot and one cluster of location-only reports.
"""

from __future__ import annotations

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from netwerk.frames import Frames
from netwerk.geo.national import national_areas
from netwerk.hotspots import find_hotspots
from netwerk.hotspots.maps import hotspot_map_html, hotspot_map_png, map_extent

OLDAMBT_NAMES = {"Winschoten-Centrum", "Zeeheldenbuurt", "Bad Nieuweschans"}


def placed_town(gm: str, seed: int = 5) -> tuple[Frames, dict]:
    """A small data set inside municipality ``gm``: 6 addresses per buurt, signals over 2025."""
    rng = np.random.default_rng(seed)
    buurten = national_areas(("buurt",)).for_gemeenten([gm]).frame.dropna(subset=["lat"])
    buurten = buurten[buurten["precision"] == "coarse"].head(24).reset_index(drop=True)
    city = national_areas(("gemeente",)).names()[gm]
    adr_rows = []
    for b in buurten.itertuples():
        for k in range(6):
            adr_rows.append({"address_id": f"{b.area_code}-A{k}", "street": f"{b.name.split()[0]}straat",
                             "house_number": 10 + k, "house_letter": "A" if k == 2 else None,
                             "house_number_addition": None, "postcode": None, "city": city,
                             "buurt_code": b.area_code, "lat": b.lat + rng.normal(0, 0.0003),
                             "lon": b.lon + rng.normal(0, 0.0004)})
    adr = pd.DataFrame(adr_rows)
    day0 = pd.Timestamp("2025-01-01")
    sig_rows = []
    for i, a in enumerate(adr.sample(150, replace=True, random_state=seed).itertuples()):
        sig_rows.append({"signal_id": f"S{i}", "reported_at": day0 + pd.Timedelta(days=int(rng.integers(0, 360))),
                         "category": "Overlast", "domain": "openbare_orde", "source": f"m{i}",
                         "address_id": a.address_id})
    hot = adr.iloc[14]  # planted: 12 reports in 8 weeks from 3 sources at one address
    for j in range(12):
        sig_rows.append({"signal_id": f"H{j}", "reported_at": day0 + pd.Timedelta(days=200 + 5 * j),
                         "category": "Woonoverlast", "domain": "woon", "source": ["p1", "m7", "wc"][j % 3],
                         "address_id": hot.address_id})
    spot = buurten.iloc[5]  # planted: 10 location-only reports within ~20 m
    for j in range(10):
        sig_rows.append({"signal_id": f"C{j}", "reported_at": day0 + pd.Timedelta(days=250 + 4 * j),
                         "category": "Jeugdoverlast", "domain": "jeugd", "source": ["p1", "m2", "m3"][j % 3],
                         "address_id": None, "lat": spot.lat + 0.0002 + rng.normal(0, 0.00008),
                         "lon": spot.lon + rng.normal(0, 0.0001), "buurt_code": spot.area_code})
    sig = pd.DataFrame(sig_rows)
    # the Area nodes as ingest writes them: codes of the data, without names or outlines
    areas = pd.DataFrame({"area_code": buurten["area_code"], "kind": "buurt"})
    frames = Frames.from_tables({"signals": sig, "addresses": adr, "areas": areas})
    return frames, {"hot": hot, "spot": spot, "buurten": buurten, "city": city}


@pytest.mark.parametrize("gm", ["GM1598", "GM0141"])
def test_hotspots_carry_the_places_own_names(gm: str) -> None:
    frames, truth = placed_town(gm)
    found = find_hotspots(frames, since="2025-01-01")
    by_key = {(h.level, h.key): h for h in found}
    hot = by_key[("address", truth["hot"]["address_id"])]
    assert truth["hot"]["house_letter"] == "A"
    assert hot.label == f"{truth['hot']['street']} {truth['hot']['house_number']} A, {truth['city']}"
    assert hot.to_dict()["label"] == hot.label
    clusters = [h for h in found if h.level == "cluster"]
    assert clusters, "the planted location-only cluster"
    assert clusters[0].label.startswith("bij ") and f"({truth['city']})" in clusters[0].label
    assert clusters[0].label.endswith(" m")
    for h in found:
        assert h.label and h.label != "", h.key
        if h.level == "buurt":
            name = truth["buurten"].set_index("area_code").at[h.key, "name"]
            assert h.label == f"{name} ({h.key})"
            assert h.to_dict()["weights"].startswith("k naaste labelpunten")


@pytest.mark.parametrize("gm", ["GM1598", "GM0141"])
def test_map_extent_holds_the_data_and_not_oldambt(gm: str) -> None:
    frames, _ = placed_town(gm)
    found = find_hotspots(frames, since="2025-01-01")
    x0, y0, x1, y1 = map_extent(found, frames.areas)
    located = [h for h in found if h.lat is not None]
    assert located
    assert all(x0 <= h.lon <= x1 and y0 <= h.lat <= y1 for h in located)  # type: ignore[operator]
    sig = frames.signals.dropna(subset=["lat"])
    assert ((sig["lon"] >= x0) & (sig["lon"] <= x1) & (sig["lat"] >= y0) & (sig["lat"] <= y1)).all()
    # framed on the municipality: a few km, nowhere near Oldambt (lon 6.9-7.2)
    assert x1 < 6.85 and (x1 - x0) < 0.5 and (y1 - y0) < 0.3


def test_png_map_draws_markers_inside_the_frame(tmp_path) -> None:  # type: ignore[no-untyped-def]
    frames, _ = placed_town("GM1598")
    found = find_hotspots(frames, since="2025-01-01")
    path = hotspot_map_png(found, tmp_path / "kaart.png", areas=frames.areas)
    img = mpimg.imread(path)[:, :, :3]
    red = np.all(np.abs(img - np.array([0xD6, 0x27, 0x28]) / 255) < 0.08, axis=2)
    purple = np.all(np.abs(img - np.array([0x94, 0x67, 0xBD]) / 255) < 0.08, axis=2)
    assert red.sum() > 20 and purple.sum() > 20  # address and cluster markers drawn, not clipped away
    buurt_fill = np.all(np.abs(img - np.array([0xF0, 0xF0, 0xF0]) / 255) < 0.01, axis=2)
    assert buurt_fill.mean() > 0.3  # the municipality's buurten fill the frame (not a corner of it)


def test_html_map_names_the_buurten_of_the_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    frames, truth = placed_town("GM1598")
    found = find_hotspots(frames, since="2025-01-01")
    page = hotspot_map_html(found, tmp_path / "kaart.html", areas=frames.areas).read_text(encoding="utf-8")
    assert sum(f'data-name="{n}"' in page for n in truth["buurten"]["name"]) == len(truth["buurten"])
    assert not any(n in page for n in OLDAMBT_NAMES)
    assert truth["hot"]["street"] in page


def test_gi_weights_follow_the_precision_of_the_areas() -> None:
    import shapely

    from netwerk.geo.areas import area_rows
    from netwerk.hotspots.getis import WEIGHTS_CONTIGUITY, area_weights, contiguity_weights

    # 2 x 2 boxes: queen contiguity makes every box a neighbour of the other three
    boxes = [shapely.box(i, j, i + 1, j + 1) for i in range(2) for j in range(2)]
    assert contiguity_weights(boxes).toarray().sum(axis=1).tolist() == [3, 3, 3, 3]
    frames, _ = placed_town("GM1598")
    nat = national_areas(("buurt",)).for_gemeenten(["GM1598"])
    nat = nat.select(np.array([g is not None for g in nat.geometries]))
    rows = pd.DataFrame(area_rows(nat)).assign(precision="precise")  # as if the CBS kaart were imported
    precise = Frames.from_tables({"signals": frames.signals, "addresses": frames.addresses, "areas": rows})
    codes = rows["area_code"].tolist()
    xy = np.column_stack([rows["lon"], rows["lat"]]) * 70_000
    w, name = area_weights(codes, xy, 5, precise.areas)
    assert name == WEIGHTS_CONTIGUITY and w.shape == (len(codes), len(codes))
    assert (np.asarray(w.sum(axis=1)).ravel() >= 1).all()  # islands got their nearest neighbour
    assert (w != w.T).nnz == 0
    found = [h for h in find_hotspots(precise, since="2025-01-01") if h.level == "buurt"]
    assert found and all(h.to_dict()["weights"] == WEIGHTS_CONTIGUITY for h in found)
    coarse = [h for h in find_hotspots(frames, since="2025-01-01") if h.level == "buurt"]
    assert coarse and all(h.to_dict()["weights"] == "k naaste labelpunten (k=5)" for h in coarse)


def test_the_same_data_via_rd_gives_the_same_buurten_and_hotspot_keys() -> None:
    from netwerk.geo.assign import assign_areas
    from netwerk.geo.coords import rd_to_wgs84, wgs84_to_rd

    frames, _ = placed_town("GM0141")
    tables = {"signals": frames.signals.copy(), "addresses": frames.addresses.copy(), "areas": frames.areas}
    moved = 0.0
    for name in ("signals", "addresses"):
        df = tables[name]
        x, y = wgs84_to_rd(df["lat"].to_numpy(float), df["lon"].to_numpy(float))  # as a police export gives them
        lat, lon = rd_to_wgs84(x, y)
        moved = max(moved, float(np.nanmax(np.abs(lat - df["lat"].to_numpy(float)))) * 111_320)
        df["lat"], df["lon"] = lat, lon
    assert moved < 1.0
    via_rd = Frames.from_tables(tables)
    buurten = national_areas(("buurt",))
    a, _ = assign_areas(frames.addresses["lat"], frames.addresses["lon"], buurten)
    b, _ = assign_areas(via_rd.addresses["lat"], via_rd.addresses["lon"], buurten)
    assert (a == b).all() and (a != None).sum() > 100  # noqa: E711
    keys = [(h.level, h.key, h.label) for h in find_hotspots(frames, since="2025-01-01")]
    assert keys and keys == [(h.level, h.key, h.label) for h in find_hotspots(via_rd, since="2025-01-01")]


def test_a_cluster_inside_an_own_named_area_is_called_by_that_name() -> None:
    import shapely

    from netwerk.geo.areas import AreaSet, area_rows

    frames, truth = placed_town("GM0141")
    spot = truth["spot"]
    square = shapely.box(spot.lon - 0.002, spot.lat - 0.001, spot.lon + 0.002, spot.lat + 0.0015)
    own = AreaSet.build(pd.DataFrame({"area_code": ["EIGEN-MARKTPLEIN"], "name": ["Marktplein"], "kind": ["eigen"],
                                      "gemeente_code": ["GM0141"], "precision": ["precise"]}), [square])
    areas = pd.concat([frames.areas, pd.DataFrame(area_rows(own))], ignore_index=True)
    with_square = Frames.from_tables({"signals": frames.signals, "addresses": frames.addresses, "areas": areas})
    clusters = [h for h in find_hotspots(with_square, since="2025-01-01") if h.level == "cluster"]
    assert clusters and clusters[0].label == "Marktplein"
    before = [h for h in find_hotspots(frames, since="2025-01-01") if h.level == "cluster"]
    assert before[0].key == clusters[0].key and before[0].label.startswith("bij ")
