"""Watched addresses and areas on a generated municipality with planted harassment signals: every planted signal
near a watched address during the watch raises exactly one alert; outside the radius or period none; re-running
creates no duplicates; alerts enter the review workflow; both stores."""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from netwerk.cli import app
from netwerk.frames import Frames
from netwerk.ingest import ingest_folder
from netwerk.monitor.watch import end_watch, resolve_place, save_watch, sync_alerts, watch_record
from netwerk.store import GraphStore
from netwerk.store.embedded import EmbeddedStore

runner = CliRunner()
VAN, TOT = "2025-03-01", "2025-06-30"
AREA_VAN = "2025-09-01"
M_PER_DEG_LAT = 111_320.0


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def build_scenario(town_dir: Path, out: Path) -> dict:
    """`netwerk generate` output plus planted harassment signals around one address and in one buurt."""
    shutil.copytree(town_dir, out)
    adr = pd.read_csv(out / "addresses.csv", dtype={"house_number": "Int64"}, keep_default_na=False)
    adr = adr[(adr["lat"] != "") & (adr["purpose"] == "woonfunctie")]
    target = adr.iloc[len(adr) // 3]
    other = adr[adr["buurt_code"] != target["buurt_code"]].iloc[0]
    lat, lon = float(target["lat"]), float(target["lon"])
    planted: dict[str, list[str]] = {"inside": [], "outside_radius": [], "outside_period": [], "area": []}
    rows = []

    def plant(kind: str, day: str, north_m: float, at_address: bool, buurt: str) -> None:
        sid = f"H{len(rows) + 1:04d}"
        rows.append({"signal_id": sid, "reported_at": f"{day}T21:15:00", "category":
                     "Overlast van en door personen of groepen", "subcategory": "Intimidatie",
                     "source": "melder-waak", "address_id": target["address_id"] if at_address else "",
                     "lat": round(lat + north_m / M_PER_DEG_LAT, 7), "lon": lon, "buurt_code": buurt,
                     "description": "Bewoners worden uitgescholden", "status": "gemeld"})
        planted[kind].append(sid)

    b = target["buurt_code"]
    for day in ("2025-03-01", "2025-04-10", "2025-06-30"):
        plant("inside", day, 0, True, b)
    for day, m in (("2025-03-15", 30), ("2025-05-02", 60), ("2025-06-01", 90)):
        plant("inside", day, m, False, b)
    for day, m in (("2025-04-01", 130), ("2025-05-20", 250)):
        plant("outside_radius", day, m, False, b)
    for day in ("2025-02-28", "2025-07-01"):
        plant("outside_period", day, 0, True, b)
    plant("area", "2025-09-15", 0, False, other["buurt_code"])
    rows[-1].update(lat=other["lat"], lon=other["lon"])
    sig = pd.read_csv(out / "signals.csv", dtype=str, keep_default_na=False)
    pd.concat([sig, pd.DataFrame(rows).astype(str)], ignore_index=True).to_csv(out / "signals.csv", index=False)
    label = f"{target['street']} {target['house_number']}{target['house_letter']}, {target['city']}"
    return {"dir": out, "address_id": target["address_id"], "label": label, "lat": lat, "lon": lon,
            "buurt": other["buurt_code"], "planted": planted}


@pytest.fixture
def scenario(town: dict, tmp_path: Path) -> dict:
    return build_scenario(town["dir"], tmp_path / "scenario")


def _expected(frames: Frames, sc: dict) -> tuple[set[str], set[str]]:
    """Independent expectation: haversine distance ≤ 100 m or at the address, within the dates; area: buurt."""
    s = frames.signals
    day = s["reported_at"].dt.normalize()
    in_period = (day >= pd.Timestamp(VAN)) & (day <= pd.Timestamp(TOT))
    near = {r.signal_id for r in s[in_period].itertuples()
            if r.address_id == sc["address_id"]
            or (not pd.isna(r.lat) and _haversine(sc["lat"], sc["lon"], r.lat, r.lon) <= 100.0)}
    area = set(s.loc[(day >= pd.Timestamp(AREA_VAN)) & ((s["buurt_code"] == sc["buurt"])
                                                       | (s["wijk_code"] == sc["buurt"])), "signal_id"])
    return near, area


def test_planted_harassment_raises_exactly_one_alert_each(scenario: dict, store: GraphStore) -> None:
    report = ingest_folder(scenario["dir"], store)
    assert report.rejected == 0
    frames = Frames.from_store(store)
    place = resolve_place(frames, scenario["label"])
    assert (place.kind, place.key) == ("adres", scenario["address_id"])
    w_addr = watch_record(frames, place, reason="plaatsing vergunninghouder", radius_m=100, start=VAN, end=TOT,
                          created_by="test")
    w_area = watch_record(frames, resolve_place(frames, scenario["buurt"]), reason="onrust in de buurt",
                          start=AREA_VAN, created_by="test")
    save_watch(store, w_addr)
    save_watch(store, w_area)

    first = sync_alerts(store, frames)
    alerts = store.nodes_df("Alert")
    near, area = _expected(frames, scenario)
    by_watch = alerts.groupby("watch_id")["signal_id"].apply(list).to_dict()
    assert sorted(by_watch[w_addr["watch_id"]]) == sorted(near)
    assert sorted(by_watch[w_area["watch_id"]]) == sorted(area)
    planted = scenario["planted"]
    addr_alerts = by_watch[w_addr["watch_id"]]
    for sid in planted["inside"]:
        assert addr_alerts.count(sid) == 1
    assert not set(planted["outside_radius"] + planted["outside_period"]) & set(alerts["signal_id"])
    assert by_watch[w_area["watch_id"]].count(planted["area"][0]) == 1
    assert first == {"nieuw": len(near) + len(area), "al_bekend": 0}

    # the signal is the evidence; every alert is a review item 'nieuw'
    raised = store.relationships_df("RAISED_BY")
    assert sorted(zip(raised["start"], raised["end"], strict=True)) == sorted(
        zip(alerts["alert_id"], alerts["signal_id"], strict=True))
    reviews = store.nodes_df("ReviewItem").set_index("review_id")
    for aid in alerts["alert_id"]:
        assert reviews.loc[f"alert:{aid}", "status"] == "nieuw"

    # re-running creates no duplicates
    assert sync_alerts(store, frames) == {"nieuw": 0, "al_bekend": len(alerts)}
    assert len(store.nodes_df("Alert")) == len(alerts)
    assert len(store.nodes_df("ReviewItem")) == len(reviews)

    # a new signal arriving later inside a watched area raises exactly one new alert
    store.upsert_nodes("Signal", [{"signal_id": "H9999", "reported_at": "2025-10-20T10:00:00",
                                   "category": "Overlast van en door personen of groepen",
                                   "subcategory": "Intimidatie", "domain": "openbare_orde",
                                   "buurt_code": scenario["buurt"]}])
    frames = Frames.from_store(store)
    assert sync_alerts(store, frames)["nieuw"] == 1
    assert list(store.nodes_df("Alert").query("signal_id == 'H9999'")["watch_id"]) == [w_area["watch_id"]]

    # an ended watch raises nothing after its end
    end_watch(store, w_area["watch_id"], "2025-10-01")
    store.upsert_nodes("Signal", [{"signal_id": "H9998", "reported_at": "2025-10-21T10:00:00",
                                   "category": "Overlast van en door personen of groepen",
                                   "subcategory": "Intimidatie", "domain": "openbare_orde",
                                   "buurt_code": scenario["buurt"]}])
    assert sync_alerts(store, Frames.from_store(store))["nieuw"] == 0


def test_waak_cli(scenario: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    st = str(tmp_path / "store")
    monkeypatch.setenv("NETWERK_STORE", st)  # the access check resolves the store before the command runs
    with EmbeddedStore(st) as es:
        assert ingest_folder(scenario["dir"], es).rejected == 0

    def cli(*args: str) -> str:
        r = runner.invoke(app, [*args, "--store", st])
        assert r.exit_code == 0, r.output
        return r.output

    added = json.loads(cli("waak", "add", scenario["label"], "--reden", "plaatsing vergunninghouder",
                           "--van", VAN, "--tot", TOT, "--format", "json"))
    assert added["kind"] == "adres" and added["address_id"] == scenario["address_id"] and added["radius_m"] == 100
    assert added["alerts"]["nieuw"] >= len(scenario["planted"]["inside"])
    # without --van the watch starts at the end of the data (a historical export)
    default = json.loads(cli("waak", "add", scenario["buurt"], "--reden", "r", "--format", "json"))
    assert default["start_date"] == "2025-10-31"
    alerts = json.loads(cli("waak", "alerts", "--format", "json"))
    ids = [a["signal_id"] for a in alerts if a["watch_id"] == added["watch_id"]]
    assert set(scenario["planted"]["inside"]) <= set(ids) and len(ids) == len(set(ids))
    assert not set(scenario["planted"]["outside_radius"]) & set(ids)
    assert {"alert_id", "signal_id", "reported_at", "distance_m", "review_status"} <= set(alerts[0])
    again = json.loads(cli("waak", "alerts", "--format", "json"))
    assert len(again) == len(alerts)
    listed = json.loads(cli("waak", "list", "--format", "json"))
    assert {w["watch_id"] for w in listed} == {added["watch_id"], default["watch_id"]}
    assert "beëindigd" in cli("waak", "end", default["watch_id"], "--datum", "2025-10-31")
    assert len(json.loads(cli("waak", "list", "--format", "json"))) == 1
    reviews = json.loads(cli("review", "list", "--no-sync", "--format", "json"))
    assert {f"alert:{a['alert_id']}" for a in alerts} <= {r["review_id"] for r in reviews}
    audit = Path(os.environ["NETWERK_AUDIT_LOG"]).read_text(encoding="utf-8")
    assert '"Watch"' in audit and '"Alert"' in audit
    r = runner.invoke(app, ["waak", "add", "Nergensstraat 999", "--reden", "x", "--store", st])
    assert r.exit_code == 1 and "niet gevonden" in r.output
    # role-scoped: a youth coordinator sees only the alerts of jeugd signals
    monkeypatch.setenv("NETWERK_ROLE", "coordinator_jeugd")
    monkeypatch.setenv("NETWERK_PURPOSE", "risicojongeren-overleg")
    jeugd = json.loads(cli("waak", "alerts", "--format", "json"))
    assert {a["alert_id"] for a in jeugd} == {a["alert_id"] for a in alerts if a["domain"] == "jeugd"}
    assert len(jeugd) < len(alerts)


def test_places_and_matching_in_another_municipality() -> None:
    """Koggenland-like data: other codes, house letters and additions, postcode notation, a wijk watch."""
    from netwerk.monitor.watch import match_alerts

    addresses = pd.DataFrame({
        "address_id": ["0416200000012345", "0416200000012346", "0416200000099999"],
        "street": ["Dorpsstraat", "Dorpsstraat", "Kerkweg"], "house_number": [5, 5, 1],
        "house_letter": ["a", "a", None], "house_number_addition": ["2", None, None],
        "postcode": ["1647 AB", "1647 AB", "1648 CD"], "city": ["De Goorn", "De Goorn", "Avenhorn"],
        "buurt_code": ["BU15980101", "BU15980101", "BU15980201"], "wijk_code": ["WK159801", "WK159801", "WK159802"],
        "lat": [52.6301, 52.6301, 52.6170], "lon": [4.9402, 4.9402, 4.9630],
    })
    signals = pd.DataFrame({
        "signal_id": ["k1", "k2", "k3", "k4"],
        "reported_at": ["2024-05-02", "2024-05-03", "2024-05-04", "2024-04-01"],
        "address_id": [None, "0416200000012345", None, None],
        "lat": [52.6301 + 80 / 111_320, None, 52.6301 + 150 / 111_320, 52.6301],
        "lon": [4.9402, None, 4.9402, 4.9402], "buurt_code": ["BU15980101", None, "BU15980101", "BU15980201"],
    })
    frames = Frames.from_tables({"addresses": addresses, "signals": signals})
    assert resolve_place(frames, "Dorpsstraat 5a-2, De Goorn").key == "0416200000012345"
    assert resolve_place(frames, "dorpsstraat 5A, de goorn").key == "0416200000012346"
    assert resolve_place(frames, "1648CD 1").key == "0416200000099999"
    assert resolve_place(frames, "WK159801").kind == "gebied"
    with pytest.raises(ValueError, match="2 adressen"):
        resolve_place(frames, "1647 AB 5a")
    place = resolve_place(frames, "Dorpsstraat 5a-2, De Goorn")
    w1 = watch_record(frames, place, reason="r", start="2024-05-01", created_by="t")
    w2 = watch_record(frames, resolve_place(frames, "WK159801"), reason="r", start="2024-05-01", created_by="t")
    found = match_alerts(frames, pd.DataFrame([w1, w2]))
    assert sorted(found.loc[found["watch_id"] == w1["watch_id"], "signal_id"]) == ["k1", "k2"]
    assert sorted(found.loc[found["watch_id"] == w2["watch_id"], "signal_id"]) == ["k1", "k2", "k3"]
    assert found.set_index(["watch_id", "signal_id"]).loc[(w1["watch_id"], "k1"), "distance_m"] == pytest.approx(
        80, abs=0.5)


def test_ingest_raises_the_alerts_the_same_day(scenario: dict, town: dict, tmp_path: Path) -> None:
    """A watch set on the existing data; the next `netwerk ingest` with new signals raises their alerts at once."""
    path = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(town["dir"]), "--store", str(path)]).exit_code == 0
    store = EmbeddedStore(path)
    try:
        frames = Frames.from_store(store)
        save_watch(store, watch_record(frames, resolve_place(frames, scenario["label"]), reason="vergunninghouder",
                                       radius_m=100, start=VAN, end=TOT, created_by="test"))
        assert store.nodes_df("Alert").empty
    finally:
        store.close()
    res = runner.invoke(app, ["ingest", str(scenario["dir"]), "--store", str(path)])
    assert res.exit_code == 0, res.output
    assert "waakmeldingen: " in res.output
    store = EmbeddedStore(path)
    try:
        raised = set(store.nodes_df("Alert")["signal_id"])
    finally:
        store.close()
    assert set(scenario["planted"]["inside"]) <= raised
    assert not set(scenario["planted"]["outside_radius"] + scenario["planted"]["outside_period"]) & raised
