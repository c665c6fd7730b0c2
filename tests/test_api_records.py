"""The records an overleg keeps, over the API: fenomeen approaches and the case matrix (agreements, closing).

Each is composed once in the service layer (the CLI calls the same functions), decided by the logged-in
caller, audited in that caller's name, and refused to a role without the right.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api_helpers import headers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    return log


def test_fenomeen_recorded_followed_and_refused(api: tuple[TestClient, dict], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    client, tokens = api
    log = _log(monkeypatch, tmp_path)
    h = headers(tokens["veiligheidsadviseur"], "overlastaanpak")
    buurt = next(x for x in client.get("/hotspots", headers=h).json() if x["level"] == "buurt")
    r = client.post("/fenomeen", json={"key": buurt["key"], "category": buurt["category"]}, headers=h)
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["created_by"] == "veiligheidsadviseur" and rec["areas"] == [buurt["key"]] and rec["signals"]
    assert rec["fenomeen_id"] in [f["fenomeen_id"] for f in client.get("/fenomeen", headers=h).json()]
    follow = client.get(f"/fenomeen/{rec['fenomeen_id']}/volgen", headers=h)
    assert follow.status_code == 200 and follow.json()["months"] and follow.json()["fenomeen"]["name"] == rec["name"]
    entries = [json.loads(x) for x in log.read_text().splitlines()]
    assert [(e["user"], e["action"]) for e in entries if e["action"] == "vastleggen"] == [
        ("veiligheidsadviseur", "vastleggen")]
    # no such hotspot: 422 with the Dutch reason; unknown fenomeen: 404; a role without fenomeen: 403
    bad = client.post("/fenomeen", json={"key": "BU00000000", "category": buurt["category"]}, headers=h)
    assert bad.status_code == 422 and "geen hotspot" in bad.json()["detail"]
    assert client.get("/fenomeen/FEN-bestaat-niet/volgen", headers=h).status_code == 404
    coord = headers(tokens["coordinator_jeugd"], "risicojongeren-overleg")
    assert client.get("/fenomeen", headers=coord).status_code == 403
    assert client.post("/fenomeen", json={"key": buurt["key"], "category": buurt["category"]}).status_code == 401


def test_case_matrix_and_closing_by_the_caller(api: tuple[TestClient, dict], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    client, tokens = api
    log = _log(monkeypatch, tmp_path)
    h = headers(tokens["analist"], "casusoverleg")
    case = next(c for c in client.get("/cases", headers=h).json() if c["phase"] not in ("gesloten",))
    partner = client.get(f"/cases/{case['case_id']}", headers=h).json()
    owner = next(iter(p["partner_id"] for p in partner.get("partners", []) if p.get("partner_id")), None)
    owner = owner or "politie"
    r = client.post(f"/cases/{case['case_id']}/afspraken", json={"what": "huisbezoek", "owner": owner,
                                                                 "due_date": "2025-12-01"}, headers=h)
    assert r.status_code == 200, r.text
    agreement = r.json()["agreement_id"]
    done = client.post(f"/afspraken/{agreement}", json={"status": "gereed"}, headers=h)
    assert done.status_code == 200 and done.json()["status"] == "gereed"
    assert client.post(f"/afspraken/{agreement}", json={"status": "klaar"}, headers=h).status_code == 422
    assert client.post("/afspraken/bestaat-niet", json={"status": "gereed"}, headers=h).status_code == 404
    assert client.post(f"/cases/{case['case_id']}/sluiten", json={"reason": " "}, headers=h).status_code == 422
    closed = client.post(f"/cases/{case['case_id']}/sluiten", json={"reason": "afspraken nagekomen"}, headers=h)
    assert closed.status_code == 200, closed.text
    assert closed.json()["to_phase"] == "gesloten" and closed.json()["decided_by"] == "analist"
    entries = [json.loads(x) for x in log.read_text().splitlines() if '"wijzigen"' in x]
    assert {e["user"] for e in entries} == {"analist"} and len(entries) == 3
    beheer = headers(tokens["beheerder"], "beheer")
    assert client.post(f"/cases/{case['case_id']}/sluiten", json={"reason": "x" * 12},
                       headers=beheer).status_code == 403
