"""The network service on both stores: scope by datum in ego, path and search; caching per store version."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from netwerk.access import Actor
from netwerk.services import network
from netwerk.services.cache import cached
from netwerk.services.common import NotFound
from netwerk.store import GraphStore

JEUGD = Actor.of("c", "coordinator_jeugd", "risicojongeren-overleg", via="token")
ANALIST = Actor.of("a", "analist", "analyse", via="token")


def _town(store: GraphStore) -> None:
    """Two youths at one address, a landlord (ondermijning only) at the same address, a group."""
    store.upsert_nodes("Address", [{"address_id": "A1", "street": "Kerkstraat", "house_number": 1,
                                    "postcode": "9671 AB", "city": "Winschoten"}])
    store.upsert_nodes("Person", [{"person_id": "P-j1", "birth_year": 2008, "bsn": "B-x"},
                                  {"person_id": "P-j2", "birth_year": 2009},
                                  {"person_id": "P-eig", "birth_year": 1970}])
    store.upsert_nodes("Business", [{"business_id": "K1", "name": "Verhuur BV"}])
    store.upsert_nodes("YouthGroup", [{"group_id": "G1", "name": "Plein"}])
    store.upsert_nodes("Signal", [{"signal_id": "S1", "reported_at": "2025-05-01T20:00", "domain": "jeugd"}])
    store.upsert_relationships("INVOLVES", [{"start": "S1", "end": "P-j1"}, {"start": "S1", "end": "P-j2"}])
    store.upsert_relationships("AT", [{"start": "S1", "end": "A1"}])
    store.upsert_relationships("REGISTERED_AT", [{"start": p, "end": "A1", "start_date": "2020-01-01"}
                                                 for p in ("P-j1", "P-eig")])
    store.upsert_relationships("ROLE_IN", [{"start": "P-eig", "end": "K1", "role": "eigenaar"}])
    store.upsert_relationships("MEMBER_OF", [{"start": "P-j1", "end": "G1"}])


def test_scope_by_datum_on_every_network_route(store: GraphStore, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "a.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    _town(store)
    ego = network.ego(store, JEUGD, "Address", "A1", depth=2)
    ids = {n["id"] for n in ego.nodes}
    assert {"Person:P-j1", "Person:P-j2", "YouthGroup:G1"} <= ids
    assert "Person:P-eig" not in ids and "Business:K1" not in ids  # not traversed through the landlord
    assert all("bsn" not in n for n in ego.nodes)
    full = {n["id"] for n in network.ego(store, ANALIST, "Address", "A1", depth=2).nodes}
    assert {"Person:P-eig", "Business:K1"} <= full
    with pytest.raises(NotFound):
        network.ego(store, JEUGD, "Person", "P-eig")
    with pytest.raises(NotFound):
        network.ego(store, ANALIST, "User", "iemand")
    assert [n["id"] for n in network.path(store, JEUGD, "Person:P-j2", "Person:P-j1").nodes] == [
        "Person:P-j2", "Signal:S1", "Person:P-j1"]
    with pytest.raises(NotFound):
        network.path(store, JEUGD, "Person:P-j1", "Person:P-eig")
    assert network.path(store, ANALIST, "Person:P-j1", "Business:K1").nodes[-1]["id"] == "Business:K1"
    assert [h["key"] for h in network.search(store, JEUGD, "9671ab")] == ["A1"]
    assert {h["key"] for h in network.search(store, JEUGD, "P-")} == {"P-j1", "P-j2"}
    assert {h["key"] for h in network.search(store, ANALIST, "P-")} == {"P-j1", "P-j2", "P-eig"}
    entries = [json.loads(x) for x in log.read_text().splitlines()]
    assert entries[0]["user"] == "c" and set(entries[0]["keys"]) == {"P-j1", "P-j2"}
    assert all(e["user"] in ("a", "c") for e in entries)
    assert os.environ["NETWERK_AUDIT_LOG"] == str(log)


def test_results_are_cached_per_store_version(store: GraphStore) -> None:
    calls = []

    def compute() -> int:
        calls.append(1)
        return store.counts()["nodes"]["Person"]

    assert cached(store, ("test-count",), compute) == 0
    assert cached(store, ("test-count",), compute) == 0 and len(calls) == 1
    store.upsert_nodes("Person", [{"person_id": "P-1"}])
    assert cached(store, ("test-count",), compute) == 1 and len(calls) == 2
