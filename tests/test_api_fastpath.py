"""Cached answers on the event loop: still checked, audited once, durable, and revocations still bite."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from netwerk import audit, durable
from netwerk.access import Actor
from netwerk.auth import add_user, create_token, revoke_tokens
from netwerk.frames import Frames
from netwerk.store import GraphStore
from netwerk.store.embedded import EmbeddedStore
from tests.api_helpers import PASSWORD, copy_store, headers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _entries(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_a_cached_ego_network_is_audited_once_per_request(
    town_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    st = copy_store(town_store_path, tmp_path / "s")
    add_user(st, "anna", PASSWORD, "analist")
    token, _ = create_token(st, "anna")
    person = str(Frames.from_store(st).signal_persons["person_id"].iloc[0])
    with TestClient(create_app(store=st)) as client:
        before = len(_entries(log))
        first = client.get(f"/network/Person/{person}", headers=headers(token, "analyse"))  # computed in a thread
        second = client.get(f"/network/Person/{person}", headers=headers(token, "analyse"))  # cached: on the loop
        refused = client.get(f"/network/Person/{person}", headers=headers(token, "privacytoezicht"))
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    assert person in {n.get("key") for n in second.json()["nodes"]}
    assert refused.status_code == 403
    reads = [e for e in _entries(log)[before:] if e["subject"] == f"Person:{person}"]
    assert [(e["user"], e["purpose"], e["outcome"]) for e in reads] == [
        ("anna", "analyse", "toegestaan"), ("anna", "analyse", "toegestaan"), ("anna", "privacytoezicht", "geweigerd")]
    assert audit.verify(log).ok
    st.close()


def test_a_token_revoked_by_another_process_is_refused_at_once(embedded_store: GraphStore) -> None:
    add_user(embedded_store, "beheer", PASSWORD, "beheerder")
    token, _ = create_token(embedded_store, "beheer")
    with TestClient(create_app(store=embedded_store)) as client:
        assert client.get("/stats", headers=headers(token)).status_code == 200
        assert client.get("/stats", headers=headers(token)).status_code == 200  # now from the token cache
        assert isinstance(embedded_store, EmbeddedStore)
        other = EmbeddedStore(embedded_store.path)  # e.g. `netwerk token revoke` in another process
        assert revoke_tokens(other, "beheer") == 1
        other.close()
        r = client.get("/stats", headers=headers(token))
    assert r.status_code == 401 and "ingetrokken" in r.json()["detail"]


def test_concurrent_entries_share_fsyncs_and_keep_one_chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    actor = Actor.of("anna", "analist", "analyse", via="test")
    threads = [threading.Thread(target=lambda i=i: [audit.record(actor, "lezen", f"Person:P-{i}-{j}", "test")
                                                    for j in range(5)]) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = _entries(log)
    assert [e["seq"] for e in entries] == list(range(1, 201))
    assert len({e["subject"] for e in entries}) == 200
    head = json.loads((tmp_path / "audit.jsonl.head").read_text())
    assert head == {"seq": 200, "hash": entries[-1]["hash"]}
    assert audit.verify(log).ok
    log.write_text("\n".join(log.read_text().splitlines()[:-1]) + "\n")  # remove the last entry
    assert not audit.verify(log).ok


def test_waits_on_an_event_loop_share_one_fsync_and_cover_every_append(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "durable.log"
    log.write_text("")
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.fstat(fd).st_size), real_fsync(fd))[1])

    async def writer(i: int) -> int:
        with log.open("a") as fh:
            fh.write(f"regel {i}\n")
        await durable.wait_async(log)
        return len(synced)

    async def main() -> list[int]:
        return await asyncio.gather(*(writer(i) for i in range(50)))

    after = asyncio.run(main())
    assert min(after) >= 1 and len(synced) < 50  # every writer returned after an fsync; fsyncs were shared
    assert synced[-1] == log.stat().st_size  # the last fsync covered every line appended


def test_openapi_documents_the_credentials_that_the_routes_read() -> None:
    schema = create_app().openapi()
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "`netwerk token create NAAM`"}
    ego = schema["paths"]["/network/{label}/{key}"]["get"]
    assert ego["security"] == [{"bearer": []}, {"sessie": []}]
    assert {"X-Netwerk-Purpose", "depth"} <= {p["name"] for p in ego["parameters"]}
    assert "security" not in schema["paths"]["/health"]["get"]


def test_a_pinned_version_holds_for_its_context_and_still_counts_own_writes(embedded_store: GraphStore) -> None:
    import contextvars

    assert isinstance(embedded_store, EmbeddedStore)

    def request() -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        embedded_store.pin_version()
        first = embedded_store.version()
        other = EmbeddedStore(embedded_store.path)  # another process writes during this request
        add_user(other, "piet", PASSWORD, "analist")
        other.close()
        during = embedded_store.version()
        add_user(embedded_store, "joke", PASSWORD, "analist")  # this request's own write
        return first, during, embedded_store.version()

    first, during, own = contextvars.copy_context().run(request)
    assert during == first and own != first
    assert embedded_store.version() != own  # the next request reads the counter again: piet's write counts
