"""The API on both backends: health, stats, and role/purpose scoping."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from netwerk.store import GraphStore


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
