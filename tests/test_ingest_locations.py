"""Addresses as the BAG has them and coordinates as Dutch sources give them (issue 10, items 3 and 4)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netwerk.geo.coords import wgs84_to_rd
from netwerk.geo.national import national_areas
from netwerk.ingest import ingest_folder
from netwerk.ingest.validate import LANDED_FOR_USE, LANDED_ON_LOCATION
from netwerk.store import GraphStore

SIGNALS = "signal_id,reported_at,category,subcategory,address_id,lat,lon,x,y,buurt_code\n"


def _folder(tmp_path: Path, files: dict[str, str], name: str = "in") -> Path:
    d = tmp_path / name
    d.mkdir(parents=True, exist_ok=True)
    for fname, text in files.items():
        (d / fname).write_text(text, encoding="utf-8")
    return d


def _rejects(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else pd.DataFrame(
        columns=["file", "line", "field", "reason", "value"])


def test_combined_house_numbers_load_as_bag_parts(embedded_store: GraphStore, tmp_path: Path) -> None:
    rows = ["15 A", "15a", "15-1", "15A-2", "15 bis", "15 hs", "15 rood", "15 I", "15"]
    adr = "address_id,street,house_number,postcode\n" + "".join(
        f"A{i},Dorpsstraat,{v},9671AB\n" for i, v in enumerate(rows))
    # a BAG nummeraanduiding id (16 digits, leading zero) is kept exactly as the address key
    adr += "0037200000012345,Dorpsstraat,7,9671AB\n"
    d = _folder(tmp_path, {"addresses.csv": adr, "signals.csv": SIGNALS
                           + "S1,2025-03-01,Wonen,Leegstand,0037200000012345,,,,,BU00370000\n"})
    report = ingest_folder(d, embedded_store, rejects_path=tmp_path / "r.csv")
    assert report.file("addresses").rejected == 0 and report.file("addresses").loaded == len(rows) + 1
    got = embedded_store.nodes_df("Address").set_index("address_id")
    parts = [(int(got.at[f"A{i}", "house_number"]), got.at[f"A{i}", "house_letter"],
              got.at[f"A{i}", "house_number_addition"]) for i in range(len(rows))]
    assert parts == [(15, "A", None), (15, "A", None), (15, None, "1"), (15, "A", "2"), (15, None, "bis"),
                     (15, None, "hs"), (15, None, "rood"), (15, None, "I"), (15, None, None)]
    assert embedded_store.relationships_df("AT")["end"].tolist() == ["0037200000012345"]


def test_unreadable_address_rejected_but_its_signals_land_on_their_location(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    adr = ("address_id,street,house_number,lat,lon\nA1,Dorpsstraat,12,53.17,7.03\n"
           "A2,Dorpsstraat,twaalf-b-c,53.17,7.03\n")
    sig = SIGNALS + ("S1,2025-03-01,Wonen,Leegstand,A1,,,,,\n"
                     "S2,2025-03-01,Wonen,Leegstand,A2,53.171,7.031,,,\n"   # own coordinates: lands
                     "S3,2025-03-01,Wonen,Leegstand,A2,,,,,BU00370000\n"     # own buurt: lands
                     "S4,2025-03-01,Wonen,Leegstand,A2,,,,,\n"               # nothing locates it
                     "S5,2025-03-01,Wonen,Leegstand,A2,,,,,\n")              # no location, but persons
    d = _folder(tmp_path, {"addresses.csv": adr, "signals.csv": sig, "persons.csv": "person_id\nP1\n",
                           "signal_persons.csv": "signal_id,person_id,role\nS5,P1,betrokkene\n"})
    rej = tmp_path / "r.csv"
    report = ingest_folder(d, embedded_store, rejects_path=rej)
    for f in report.files:
        assert f.read == f.loaded + f.rejected
    s = report.file("signals")
    assert (s.read, s.loaded, s.rejected) == (5, 4, 1)
    assert s.notes == {LANDED_ON_LOCATION: 2, LANDED_FOR_USE: 1}
    assert f"signals.csv: 2 regel(s): {LANDED_ON_LOCATION}" in report.warnings
    r = _rejects(rej)
    assert r[r["file"] == "addresses.csv"][["line", "field"]].values.tolist() == [["3", "house_number"]]
    s4 = r[r["file"] == "signals.csv"]
    assert s4[["line", "field"]].values.tolist() == [["5", "address_id"]]
    assert "geen eigen locatie" in s4["reason"].item()
    assert embedded_store.get_node("Signal", "S2")["lat"] == pytest.approx(53.171)  # type: ignore[index]
    at = embedded_store.relationships_df("AT")
    assert at["start"].tolist() == ["S1"]
    assert embedded_store.relationships_df("INVOLVES")["start"].tolist() == ["S5"]


def test_swapped_and_foreign_coordinates_are_rejected_with_a_reason(embedded_store: GraphStore, tmp_path: Path) -> None:
    sig = SIGNALS + ("S1,2025-03-01,Wonen,Leegstand,,7.03,53.17,,,\n"        # lat/lon swapped
                     "S2,2025-03-01,Wonen,Leegstand,,48.85,2.35,,,\n"         # Paris
                     "S3,2025-03-01,Wonen,Leegstand,,,,520000,260000,\n"      # x/y swapped
                     "S4,2025-03-01,Wonen,Leegstand,,,,6.9,53.1,\n"           # degrees in x/y
                     "S5,2025-03-01,Wonen,Leegstand,,53.17,,,,\n"             # half a pair
                     "S6,2025-03-01,Wonen,Leegstand,,53.17,7.03,,,\n")        # fine
    d = _folder(tmp_path, {"signals.csv": sig})
    rej = tmp_path / "r.csv"
    report = ingest_folder(d, embedded_store, rejects_path=rej)
    assert report.file("signals").loaded == 1 and report.file("signals").rejected == 5
    r = _rejects(rej).set_index("line")
    assert r.at["2", "field"] == "lat" and "verwisseld" in r.at["2", "reason"]
    assert r.at["3", "field"] == "lat" and "buiten Nederland" in r.at["3", "reason"]
    assert r.at["4", "field"] == "x" and "x en y lijken verwisseld" in r.at["4", "reason"]
    assert r.at["5", "field"] == "x" and "buiten Nederland" in r.at["5", "reason"]
    assert r.at["6", "field"] == "lon" and "lat zonder lon" in r.at["6", "reason"]


def _points(gemeenten: tuple[str, ...]) -> pd.DataFrame:
    """Label points of a few buurten in each municipality (national CBS data)."""
    f = national_areas(("buurt",)).frame
    f = f[f["gemeente_code"].isin(gemeenten)].sort_values("area_code")
    return f.groupby("gemeente_code").head(4)[["area_code", "lat", "lon"]].reset_index(drop=True)


def test_rd_input_gives_the_same_buurt_as_wgs84(tmp_path: Path) -> None:
    from netwerk.store.embedded import EmbeddedStore

    pts = _points(("GM1895", "GM0141", "GM1598"))  # Oldambt, Almelo, Koggenland
    assert pts["area_code"].str[2:6].nunique() == 3
    x, y = wgs84_to_rd(pts["lat"].to_numpy(), pts["lon"].to_numpy())
    wgs = SIGNALS + "".join(f"S{i},2025-03-01,Wonen,Leegstand,,{la:.7f},{lo:.7f},,,\n"
                            for i, (la, lo) in enumerate(zip(pts["lat"], pts["lon"], strict=True)))
    rd = SIGNALS + "".join(f"S{i},2025-03-01,Wonen,Leegstand,,,,{a:.2f},{b:.2f},\n"
                           for i, (a, b) in enumerate(zip(x, y, strict=True)))
    out = {}
    for name, text in (("wgs", wgs), ("rd", rd)):
        st = EmbeddedStore(tmp_path / f"store-{name}")
        try:
            report = ingest_folder(_folder(tmp_path, {"signals.csv": text}, name), st,
                                   rejects_path=tmp_path / f"{name}.csv")
            assert report.rejected == 0
            out[name] = st.nodes_df("Signal").set_index("signal_id").loc[[f"S{i}" for i in range(len(pts))]]
        finally:
            st.close()
    a, b = out["wgs"], out["rd"]
    assert a["buurt_code"].tolist() == b["buurt_code"].tolist()
    # coarse built-in polygons (~300 m): a label point lies in its own municipality, not always its own buurt
    assert a["buurt_code"].str[2:6].tolist() == pts["area_code"].str[2:6].tolist()
    assert set(a["buurt_bron"]) == set(b["buurt_bron"]) and not set(a["buurt_bron"]) & {"buiten", "geen"}
    # the RD points come back within 1 m of the WGS84 ones
    dx, dy = wgs84_to_rd(b["lat"].to_numpy(), b["lon"].to_numpy())
    assert np.hypot(dx - x, dy - y).max() < 1.0


def test_buurt_bron_says_where_the_buurt_came_from(embedded_store: GraphStore, tmp_path: Path) -> None:
    p = _points(("GM0141",)).iloc[0]
    adr = f"address_id,street,house_number,lat,lon\nA1,Grotestraat,1,{p.lat:.7f},{p.lon:.7f}\n"
    sig = SIGNALS + (f"S1,2025-03-01,Wonen,Leegstand,,,,,,BU01410000\n"
                     f"S2,2025-03-01,Wonen,Leegstand,A1,,,,,\n"
                     f"S3,2025-03-01,Wonen,Leegstand,,{p.lat:.7f},{p.lon:.7f},,,\n")
    d = _folder(tmp_path, {"addresses.csv": adr, "signals.csv": sig})
    ingest_folder(d, embedded_store, rejects_path=tmp_path / "r.csv")
    s = embedded_store.nodes_df("Signal").set_index("signal_id")
    assert s["buurt_bron"].tolist()[:2] == ["bestand", "adres"]
    assert s.at["S3", "buurt_bron"] in ("polygoon", "grof", "label")
    a = embedded_store.get_node("Address", "A1")
    assert s.at["S2", "buurt_code"] == s.at["S3", "buurt_code"] == a["buurt_code"]  # type: ignore[index]
    assert a["buurt_code"].startswith("BU0141") and a["buurt_bron"] in ("polygoon", "grof", "label")  # type: ignore[index]


def test_areas_get_national_names_and_a_users_own_area_keeps_its_name(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    pts = _points(("GM0141",))
    own = pts["area_code"].iloc[1]
    embedded_store.upsert_nodes("Area", [{"area_code": own, "name": "Onze eigen naam", "kind": "buurt"}])
    sig = SIGNALS + "".join(f"S{i},2025-03-01,Wonen,Leegstand,,,,,,{code}\n"
                            for i, code in enumerate(pts["area_code"]))
    ingest_folder(_folder(tmp_path, {"signals.csv": sig}), embedded_store, rejects_path=tmp_path / "r.csv")
    areas = embedded_store.nodes_df("Area").set_index("area_code")
    names = national_areas(("buurt", "wijk")).names()
    for code in pts["area_code"]:
        assert areas.at[code, "name"] == ("Onze eigen naam" if code == own else names[code])
    wijk = "WK" + pts["area_code"].iloc[0][2:8]
    assert areas.at[wijk, "name"] == names[wijk] and areas.at[wijk, "kind"] == "wijk"


def test_generated_municipality_in_rd_and_bag_forms_loads_completely_and_like_wgs84(tmp_path: Path) -> None:
    """Almelo generated twice (same seed): WGS84 with plain house numbers, and RD x/y with BAG forms. Without
    buurt codes, both place every address and signal in the same buurt, and both load every row."""
    from netwerk.generate import generate
    from netwerk.store.embedded import EmbeddedStore

    out = {}
    for name, rd in (("wgs", False), ("rd", True)):
        src = tmp_path / f"gen-{name}"
        generate(src, seed=3, size="small", gemeente="GM0141", rd=rd, bag=rd)
        for f in ("signals.csv", "addresses.csv"):
            df = pd.read_csv(src / f, dtype=str, keep_default_na=False)
            df.drop(columns=["buurt_code", "wijk_code"], errors="ignore").to_csv(src / f, index=False)
        st = EmbeddedStore(tmp_path / f"store-{name}")
        try:
            report = ingest_folder(src, st, rejects_path=tmp_path / f"{name}.csv")
            assert report.rejected == 0 and report.loaded == report.read > 1000
            out[name] = {label: st.nodes_df(label).set_index(key) for label, key in
                         (("Signal", "signal_id"), ("Address", "address_id"))}
        finally:
            st.close()
    a, b = out["wgs"]["Signal"], out["rd"]["Signal"]
    assert a.index.tolist() == b.index.tolist()
    located = a["lat"].notna()
    assert located.sum() > 500 and (b["lat"].notna() == located).all()
    assert a["buurt_code"].tolist() == b["buurt_code"].tolist()
    assert (a.loc[located, "buurt_bron"] != "geen").all()
    ax, ay = wgs84_to_rd(a.loc[located, "lat"].to_numpy(), a.loc[located, "lon"].to_numpy())
    bx, by = wgs84_to_rd(b.loc[located, "lat"].to_numpy(), b.loc[located, "lon"].to_numpy())
    assert np.hypot(ax - bx, ay - by).max() < 1.0
    # BAG ids in the RD run: the same addresses, so the same buurten (as a multiset)
    ka, kb = out["wgs"]["Address"], out["rd"]["Address"]
    assert kb.index.str.fullmatch(r"\d{16}").any() and len(ka) == len(kb)
    assert ka["buurt_code"].value_counts().to_dict() == kb["buurt_code"].value_counts().to_dict()
    assert ka["buurt_code"].dropna().str.startswith("BU0141").all()
