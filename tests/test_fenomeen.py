"""Fenomeen: record an accepted hotspot in the graph (both backends) and follow its counts."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from netwerk.fenomeen import fenomeen_record, follow_fenomeen, load_fenomeen, save_fenomeen
from netwerk.frames import Frames
from netwerk.hotspots import find_hotspots
from netwerk.store import GraphStore

CAT = "Woonoverlast"
# monthly signals in buurt BU1 spread over addresses: Jan..Jun 2025 rising (1..6), after the start (Jul) 2, 1, 1
MONTHS = {"2025-01": 1, "2025-02": 2, "2025-03": 3, "2025-04": 4, "2025-05": 5, "2025-06": 6,
          "2025-07": 2, "2025-08": 1, "2025-09": 1}


def _fill(store: GraphStore) -> None:
    store.upsert_nodes("Area", [{"area_code": c, "kind": "buurt", "name": c, "lat": lat, "lon": 7.03}
                                for c, lat in (("BU1", 53.14), ("BU2", 53.15), ("BU3", 53.16), ("BU4", 53.17))])
    addrs = [{"address_id": f"A{i}", "buurt_code": "BU1", "lat": 53.14 + i * 1e-3, "lon": 7.03} for i in range(6)]
    addrs.append({"address_id": "A9", "buurt_code": "BU2", "lat": 53.15, "lon": 7.03})
    store.upsert_nodes("Address", addrs)
    signals, at = [], []
    n = 0
    for month, k in MONTHS.items():
        for j in range(k):
            n += 1
            sid = f"S{n:03d}"
            signals.append({"signal_id": sid, "reported_at": f"{month}-{3 + 4 * j:02d}T10:00:00", "category": CAT,
                            "domain": "woon", "source": f"melder-{n % 5}", "buurt_code": "BU1"})
            at.append({"start": sid, "end": f"A{n % 6}"})
    signals.append({"signal_id": "S900", "reported_at": "2025-03-10T10:00:00", "category": CAT, "domain": "woon",
                    "source": "melder-9", "buurt_code": "BU2"})
    at.append({"start": "S900", "end": "A9"})
    store.upsert_nodes("Signal", signals)
    store.upsert_relationships("AT", at)


def test_fenomeen_create_and_follow_on_both_backends(store: GraphStore) -> None:
    _fill(store)
    frames = Frames.from_store(store)
    found = find_hotspots(frames, until="2025-06-30", levels=["buurt"])
    h = next(x for x in found if x.key == "BU1" and x.category == CAT)
    assert h.n_signals == 21 and h.n_addresses == 6 and h.trend == "rising"
    rec = fenomeen_record(h, created_by="team integrale veiligheid", created_at=date(2025, 7, 1))
    save_fenomeen(store, rec)
    save_fenomeen(store, rec)  # idempotent
    node, areas, signals = load_fenomeen(store, rec.fenomeen_id)
    assert node["category"] == CAT and node["created_by"] == "team integrale veiligheid"
    assert areas == ["BU1"] and signals == sorted(h.evidence)
    assert store.counts()["relationships"]["COVERS"] == 1 + 21
    res = follow_fenomeen(Frames.from_store(store), node, areas, covered=len(signals), months_before=6)
    got = dict(zip(res.monthly["month"].dt.strftime("%Y-%m"), res.monthly["n_signals"], strict=True))
    assert got == MONTHS
    assert res.mean_before == pytest.approx(21 / 6)
    assert res.mean_after == pytest.approx((2 + 1) / 2)  # Sep is the latest (incomplete) month: left out
    assert res.change is not None and res.change < -0.2 and res.verdict.startswith("daling")
    with pytest.raises(ValueError, match="bestaat niet"):
        load_fenomeen(store, "FEN-bestaat-niet")


def test_follow_rejects_missing_fields() -> None:
    frames = Frames.from_tables({"signals": pd.DataFrame({"signal_id": ["S1"], "reported_at": ["2025-01-01"],
                                                          "category": [CAT]})})
    with pytest.raises(ValueError, match="created_at"):
        follow_fenomeen(frames, {"fenomeen_id": "F", "category": CAT}, ["BU1"])
    with pytest.raises(ValueError, match="geen gebied"):
        follow_fenomeen(frames, {"fenomeen_id": "F", "category": CAT, "created_at": "2025-01-01"}, [])


def test_create_without_date_on_historical_data_is_dated_at_its_end(embedded_store: GraphStore) -> None:
    from typer.testing import CliRunner

    from netwerk.cli import app

    _fill(embedded_store)
    path = str(embedded_store.path)  # type: ignore[attr-defined]
    embedded_store.close()
    res = CliRunner().invoke(app, ["fenomeen", "create", "BU1", "--category", CAT, "--level", "buurt", "--by", "team",
                                   "--until", "2025-06-30", "--store", path, "--format", "json"])
    assert res.exit_code == 0, res.output
    made = __import__("json").loads(res.stdout)
    assert made["created_at"] == "2025-06-30"  # the end of the analysed period, not today: the data is historical
    assert made["fenomeen_id"].startswith("FEN-2025-06-30-")
    res = CliRunner().invoke(app, ["fenomeen", "follow", made["fenomeen_id"], "--store", path, "--format", "json"])
    assert res.exit_code == 0, res.output
    months = __import__("json").loads(res.stdout)["months"]
    assert [m["n_signals"] for m in months if m["phase"] == "na"][:3] == [6, 2, 1]  # June (the start) on: not empty
