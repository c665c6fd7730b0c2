"""Review workflow on both backends: items per flagged subject, status changes with who/when, and a
dismissed flag that stays away until its evidence changes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from netwerk.frames import Frames
from netwerk.indicators import rank_subjects
from netwerk.review import get_review, list_reviews, review_id, set_review, sync_reviews
from netwerk.store import GraphStore, StoreError


def _seed(store: GraphStore, n: int = 7) -> None:
    store.upsert_nodes("Address", [{"address_id": "A1", "purpose": "woonfunctie", "floor_area_m2": 50.0}])
    store.upsert_nodes("Person", [{"person_id": f"P{i}", "birth_year": 1990} for i in range(n)])
    store.upsert_nodes("Signal", [{"signal_id": "S1", "reported_at": "2025-06-30T10:00:00", "category": "Overig"}])
    store.upsert_relationships(
        "REGISTERED_AT", [{"start": f"P{i}", "end": "A1", "start_date": "2025-01-01"} for i in range(n)]
    )


def _sync(store: GraphStore) -> dict[str, int]:
    frames = Frames.from_store(store)
    return sync_reviews(store, rank_subjects(frames, "address", include_dismissed=True))


def test_review_workflow(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETWERK_USER", "adviseur-a")
    _seed(store)
    assert _sync(store)["nieuw"] == 1
    rid = review_id("address", "A1")
    item = get_review(store, rid)
    assert item["status"] == "nieuw" and item["subject_id"] == "A1" and item["score"] > 0
    assert store.neighbourhood("ReviewItem", rid).has_node("Address:A1")
    assert _sync(store) == {"nieuw": 0, "bijgewerkt": 0, "heropend": 0, "afgewezen_ongewijzigd": 0}

    monkeypatch.setenv("NETWERK_USER", "adviseur-b")
    item = set_review(store, rid, status="in onderzoek", note="huisbezoek gepland")
    assert item["status"] == "in onderzoek" and item["updated_by"] == "adviseur-b"
    assert "huisbezoek gepland" in item["notes"] and "nieuw → in onderzoek" in item["notes"]
    set_review(store, rid, status="afgewezen", note="legitieme bewoning")
    assert list(list_reviews(store, status="afgewezen")["review_id"]) == [rid]

    # dismissed with unchanged evidence: stays dismissed and out of the ranking
    assert _sync(store)["afgewezen_ongewijzigd"] == 1
    reviews = store.nodes_df("ReviewItem")
    assert rank_subjects(Frames.from_store(store), "address", reviews=reviews) == []

    # new evidence (another adult registered) reopens it
    store.upsert_nodes("Person", [{"person_id": "P9", "birth_year": 1985}])
    store.upsert_relationships("REGISTERED_AT", [{"start": "P9", "end": "A1", "start_date": "2025-02-01"}])
    assert _sync(store)["heropend"] == 1
    item = get_review(store, rid)
    assert item["status"] == "nieuw" and "bewijs is gewijzigd" in item["notes"]

    with pytest.raises(ValueError, match="onbekende status"):
        set_review(store, rid, status="klaar")
    with pytest.raises(StoreError, match="bestaat niet"):
        get_review(store, "address:onbekend")


def test_cli_indicators_and_review(embedded_store: GraphStore, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from netwerk.cli import app

    _seed(embedded_store)
    path = str(embedded_store.path)  # type: ignore[attr-defined]
    embedded_store.close()
    monkeypatch.setenv("NETWERK_USER", "adviseur-c")
    runner = CliRunner()
    out = runner.invoke(app, ["indicators", "--store", path, "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data[0]["subject_id"] == "A1" and data[0]["indicators"][0]["name"] == "overcrowding"
    assert data[0]["review_status"] is None
    out = runner.invoke(app, ["review", "list", "--store", path, "--format", "json"])
    assert out.exit_code == 0, out.output
    assert [r["review_id"] for r in json.loads(out.stdout)] == ["address:A1"]
    out = runner.invoke(app, ["review", "set", "address:A1", "--store", path, "--status", "bevestigd",
                              "--note", "bevestigd na controle"])
    assert out.exit_code == 0, out.output
    out = runner.invoke(app, ["review", "show", "address:A1", "--store", path, "--format", "json"])
    assert json.loads(out.stdout)["updated_by"] == "adviseur-c"
    out = runner.invoke(app, ["indicators", "--store", path, "--format", "json"])
    assert json.loads(out.stdout)[0]["review_status"] == "bevestigd"
    out = runner.invoke(app, ["review", "set", "address:A1", "--store", path, "--status", "klaar"])
    assert out.exit_code == 1 and "onbekende status" in out.output
    out = runner.invoke(app, ["indicators", "--store", path])
    assert out.exit_code == 0 and "geen oordeel" in out.output


def test_review_items_on_historical_data_are_dated_at_its_end(embedded_store: GraphStore) -> None:
    from netwerk.cli import app

    _seed(embedded_store)
    path = str(embedded_store.path)  # type: ignore[attr-defined]
    embedded_store.close()
    res = CliRunner().invoke(app, ["review", "sync", "--store", path])
    assert res.exit_code == 0, res.output
    from netwerk.store import open_store

    st = open_store(path)
    try:
        item = get_review(st, review_id("address", "A1"))
    finally:
        st.close()
    assert item["created_at"] == "2025-06-30T00:00:00"  # the end of the data, not today
