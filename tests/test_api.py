"""The API on both backends: health, stats, and role/purpose scoping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from netwerk.frames import Frames
from netwerk.store import GraphStore
from netwerk.store.embedded import EmbeddedStore


def test_health_and_stats(store: GraphStore) -> None:
    store.upsert_nodes("Person", [{"person_id": "p1"}, {"person_id": "p2"}])
    with TestClient(create_app(store=store)) as client:
        health = client.get("/health")
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "version": "0.1.0", "store": store.kind}
        stats = client.get("/stats").json()
        assert stats["nodes"]["Person"] == 2
        assert set(stats["relationships"]) == set(store.counts()["relationships"])


def test_unknown_role_is_refused_in_dutch(embedded_store: GraphStore) -> None:
    with TestClient(create_app(store=embedded_store)) as client:
        r = client.get("/stats", headers={"X-Netwerk-Role": "buurman"})
        assert r.status_code == 403
        assert "onbekende rol" in r.json()["detail"]


@pytest.fixture(scope="module")
def town_client(town_store_path: Path) -> Iterator[TestClient]:
    st = EmbeddedStore(town_store_path)
    with TestClient(create_app(store=st)) as client:
        yield client
    st.close()


HOTSPOT_FIELDS = {"level", "key", "domain", "category", "n_signals", "n_sources", "first_at", "last_at", "trend",
                  "score", "significance", "fenomeen_advice", "reason", "evidence"}


def test_analyses_over_http_carry_the_contract_fields(town_client: TestClient) -> None:
    hot = town_client.get("/hotspots", params={"since": "2023-11-01"}).json()
    assert hot and all(set(h) >= HOTSPOT_FIELDS and h["evidence"] for h in hot)
    assert any(h["fenomeen_advice"] for h in hot)
    ind = town_client.get("/indicators", params={"subject": "address", "top": 5}).json()
    assert len(ind) == 5
    assert {"subject_type", "subject_id", "score", "indicators", "evidence", "review_status"} <= set(ind[0])
    groups = town_client.get("/groups", headers={"X-Netwerk-Purpose": "risicojongeren-overleg"}).json()
    assert groups and {"group_id", "members", "size", "classification_hint", "modularity"} <= set(groups[0])
    agenda = town_client.get("/agenda", params={"overleg": "gio"}).json()
    assert agenda["overleg"]


def test_person_network_read_is_scoped_and_audited(town_client: TestClient, town_frames: Frames, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    person = town_frames.signal_persons.person_id.iloc[0]
    r = town_client.get(f"/network/Person/{person}", params={"depth": 2},
                        headers={"X-Netwerk-Role": "coordinator_jeugd", "X-Netwerk-Purpose": "casusoverleg"})
    assert r.status_code == 200
    assert f"Person:{person}" in {n["id"] for n in r.json()["nodes"]}
    assert person in log.read_text()
    denied = town_client.get(f"/network/Person/{person}", headers={"X-Netwerk-Role": "beheerder"})
    assert denied.status_code == 403
    assert town_client.get("/network/Person/bestaat-niet").status_code == 404
