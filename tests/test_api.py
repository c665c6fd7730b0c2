"""The API on real data: credentials, contract fields, scope by datum, audit of the real caller, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from netwerk.frames import Frames
from netwerk.settings import Settings
from netwerk.store import GraphStore
from tests.api_helpers import PURPOSE_OF, copy_store, headers, users_with_tokens


def test_health_is_open_and_stats_need_a_token(store: GraphStore) -> None:
    store.upsert_nodes("Person", [{"person_id": "p1"}, {"person_id": "p2"}])
    tokens = users_with_tokens(store)
    with TestClient(create_app(store=store)) as client:
        health = client.get("/health")
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "version": "0.1.0", "store": store.kind}
        assert health.headers["x-content-type-options"] == "nosniff"
        refused = client.get("/stats")
        assert refused.status_code == 401 and refused.json()["code"] == "niet_ingelogd"
        stats = client.get("/stats", headers=headers(tokens["beheerder"])).json()
        assert stats["nodes"]["Person"] == 2 and "User" not in stats["nodes"]


def test_role_headers_are_ignored_and_no_credentials_is_401(api: tuple[TestClient, dict],
                                                           town_frames: Frames) -> None:
    client, tokens = api
    person = town_frames.signal_persons.person_id.iloc[0]
    r = client.get(f"/network/Person/{person}", headers={"X-Netwerk-Role": "analist", "X-Netwerk-Purpose": "analyse"})
    assert r.status_code == 401
    assert client.get("/groups", headers={"Authorization": "Bearer nw_verzonnen"}).status_code == 401
    beheer = client.get(f"/network/Person/{person}", headers={**headers(tokens["beheerder"], "beheer"),
                                                              "X-Netwerk-Role": "analist"})
    assert beheer.status_code == 403 and "geen toegang" in beheer.json()["detail"]


HOTSPOT_FIELDS = {"level", "key", "domain", "category", "n_signals", "n_sources", "first_at", "last_at", "trend",
                  "score", "significance", "fenomeen_advice", "reason", "evidence"}


def test_analyses_over_http_carry_the_contract_fields(api: tuple[TestClient, dict]) -> None:
    client, tokens = api
    h = headers(tokens["analist"], "analyse")
    hot = client.get("/hotspots", params={"since": "2023-11-01"}, headers=h)
    assert hot.status_code == 200 and int(hot.headers["x-total-count"]) >= len(hot.json()) > 0
    assert all(set(x) >= HOTSPOT_FIELDS and x["evidence"] for x in hot.json())
    ind = client.get("/indicators", params={"subject": "address", "top": 5}, headers=h).json()
    assert len(ind) == 5
    assert {"subject_type", "subject_id", "score", "indicators", "evidence", "review_status"} <= set(ind[0])
    groups = client.get("/groups", headers=headers(tokens["coordinator_jeugd"], "risicojongeren-overleg")).json()
    assert groups and {"group_id", "members", "size", "classification_hint", "modularity"} <= set(groups[0])
    agenda = client.get("/agenda", params={"overleg": "gio"}, headers=h).json()
    assert agenda["overleg"] == "gio" and agenda["date"] > agenda["since"]
    assert {"new_signals", "cases", "overdue_agreements", "hotspots", "indicator_flags"} <= set(agenda)
    assert agenda["hotspots"] and all(x["trend"] in ("rising", "stable", "falling") for x in agenda["hotspots"])


def _log(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def test_person_read_leaves_one_entry_naming_the_caller(api: tuple[TestClient, dict], town_frames: Frames,
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client, tokens = api
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    jeugd = town_frames.group_members.person_id.iloc[0]
    r = client.get(f"/network/Person/{jeugd}", params={"depth": 1},
                   headers=headers(tokens["coordinator_jeugd"], "risicojongeren-overleg"))
    assert r.status_code == 200
    assert f"Person:{jeugd}" in {n["id"] for n in r.json()["nodes"]}
    entries = _log(log)
    assert len(entries) == 1
    assert entries[0]["user"] == "coordinator_jeugd" and entries[0]["purpose"] == "risicojongeren-overleg"
    assert entries[0]["endpoint"] == f"GET /network/Person/{jeugd}" and jeugd in entries[0]["keys"]
    denied = client.get(f"/network/Person/{jeugd}", headers=headers(tokens["privacy_officer"], "privacytoezicht"))
    assert denied.status_code == 403
    assert _log(log)[-1]["outcome"] == "geweigerd" and _log(log)[-1]["user"] == "privacy_officer"


def test_traversal_stops_at_what_the_role_may_see(api: tuple[TestClient, dict], town_frames: Frames) -> None:
    client, tokens = api
    fr = town_frames
    jeugd = set(fr.group_members.person_id)
    for_jeugd = headers(tokens["coordinator_jeugd"], "risicojongeren-overleg")
    # a business owner never seen in jeugd data is invisible to the coordinator, on every route
    owner = next(p for p in fr.business_persons.person_id if p not in jeugd
                 and p not in set(fr.signal_persons.merge(fr.signals[fr.signals.domain == "jeugd"], on="signal_id")
                                  .person_id))
    assert client.get(f"/network/Person/{owner}", headers=for_jeugd).status_code == 404
    analist = client.get(f"/network/Person/{owner}", params={"depth": 2}, headers=headers(tokens["analist"], "analyse"))
    assert analist.status_code == 200
    biz = fr.business_persons[fr.business_persons.person_id == owner].business_id.iloc[0]
    via_business = client.get(f"/network/Business/{biz}", params={"depth": 2}, headers=for_jeugd).json()
    assert f"Person:{owner}" not in {n["id"] for n in via_business["nodes"]}
    assert not {n["label"] for n in via_business["nodes"]} & {"ReviewItem", "User", "ApiToken"}
    for n in via_business["nodes"]:
        if n["label"] == "Person":
            assert n["key"] in jeugd or n["key"] in set(fr.signal_persons.person_id)
            assert set(n) <= {"id", "label", "key", "person_id", "birth_year", "gender"}


@pytest.mark.parametrize("date", ["", "0001-01-01", "2025-13-01", "gisteren"])
def test_bad_agenda_dates_are_422_in_the_error_format(api: tuple[TestClient, dict], date: str) -> None:
    client, tokens = api
    r = client.get("/agenda", params={"date": date}, headers=headers(tokens["analist"], "analyse"))
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"detail", "status", "code", "fields"} and isinstance(body["detail"], str)


def test_errors_share_one_format(api: tuple[TestClient, dict]) -> None:
    client, tokens = api
    h = headers(tokens["analist"], "analyse")
    for r, status in ((client.get("/network/Person/bestaat-niet", headers=h), 404),
                      (client.get("/network/Person/x", params={"depth": 9}, headers=h), 422),
                      (client.get("/groups", headers=headers(tokens["veiligheidsadviseur"], "ondermijningsanalyse")),
                       403),
                      (client.get("/stats"), 401)):
        assert r.status_code == status
        assert set(r.json()) == {"detail", "status", "code", "fields"} and r.json()["status"] == status


def test_untrusted_host_and_rate_limit(town_store_path: Path, tmp_path: Path) -> None:
    st = copy_store(town_store_path, tmp_path / "s")
    tokens = users_with_tokens(st)
    settings = Settings(rate_limit_per_minute=3, trusted_hosts=["netwerk.example"])
    with TestClient(create_app(settings, store=st), base_url="http://netwerk.example") as client:
        assert TestClient(client.app, base_url="http://evil.example").get("/health").status_code == 400
        h = headers(tokens["beheerder"])
        codes = [client.get("/stats", headers=h).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[-1] == 429
    st.close()


def test_swagger_ui_is_served_locally(api: tuple[TestClient, dict]) -> None:
    client, _ = api
    page = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_every_role_has_a_purpose(api: tuple[TestClient, dict]) -> None:
    assert set(PURPOSE_OF) == set(__import__("netwerk.access", fromlist=["ROLES"]).ROLES)


def test_export_of_a_scoped_subgraph(api: tuple[TestClient, dict], town_frames: Frames) -> None:
    import networkx as nx

    client, tokens = api
    jeugd = town_frames.group_members.person_id.iloc[0]
    for fmt in ("graphml", "gexf", "csv"):
        r = client.get(f"/export/network/Person/{jeugd}", params={"format": fmt},
                       headers=headers(tokens["coordinator_jeugd"], "risicojongeren-overleg"))
        assert r.status_code == 200 and jeugd in r.text
    g = nx.read_graphml(__import__("io").BytesIO(client.get(
        f"/export/network/Person/{jeugd}", headers=headers(tokens["analist"], "analyse")).content))
    assert f"Person:{jeugd}" in g
    assert client.get(f"/export/network/Person/{jeugd}",
                      headers=headers(tokens["privacy_officer"], "privacytoezicht")).status_code == 403


def test_case_phase_decision_names_the_caller(api: tuple[TestClient, dict], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from netwerk.cases import load_ladder

    client, tokens = api
    log = tmp_path / "a.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    h = headers(tokens["analist"], "analyse")
    case = next(c for c in client.get("/cases", headers=h).json() if c["phase"] in load_ladder().phase_ids)
    ladder = load_ladder()
    to = ladder.phase_ids[min(ladder.phase_ids.index(case["phase"]) + 1, len(ladder.phase_ids) - 1)]
    if to == case["phase"]:
        to = ladder.phase_ids[ladder.phase_ids.index(case["phase"]) - 1]
    r = client.post(f"/cases/{case['case_id']}/phase", json={"to": to, "reason": "besproken in het overleg"},
                    headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["decided_by"] == "analist"
    assert json.loads(log.read_text().splitlines()[-1])["action"] == "wijzigen"
    again = client.post(f"/cases/{case['case_id']}/phase", json={"to": to}, headers=h)
    assert again.status_code == 422 and "staat al in fase" in again.json()["detail"]
    assert client.post(f"/cases/{case['case_id']}/phase", json={"to": to}).status_code == 401
