"""The full matrix: every route × every role × with and without credentials and purpose.

The expected statuses are the table in docs/beveiliging.md, written out here by hand (not derived from
rollen.yaml), and every 200 answer is checked for persons and fields the role may not see.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from netwerk.frames import Frames
from tests.api_helpers import PURPOSE_OF, copy_store, headers, users_with_tokens

ROUTES = ("stats", "hotspots", "groups", "indicators", "agenda", "cases", "network", "path", "search", "audit",
          "fenomeen")
#: role → routes answered 200 with the role's own purpose (PURPOSE_OF); every other route is 403
OK_WITH_PURPOSE = {
    "analist": {"stats", "hotspots", "groups", "indicators", "agenda", "cases", "network", "path", "search",
                "fenomeen"},
    "coordinator_jeugd": {"stats", "hotspots", "groups", "agenda", "cases", "network", "path", "search"},
    "veiligheidsadviseur": {"stats", "hotspots", "indicators", "agenda", "cases", "network", "path", "search",
                            "fenomeen"},
    "privacy_officer": {"stats", "audit"},
    "beheerder": {"stats"},
}
#: routes without person-level output: no purpose needed
AGGREGATE = {"stats", "hotspots", "fenomeen"}
PERSON_FIELDS_NEVER = ("bsn", "first_name", "last_name", "password_hash", "token_id")


@pytest.fixture(scope="module")
def matrix(town_store_path: Path, town_frames: Frames,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict, dict[str, str]]]:
    st = copy_store(town_store_path, tmp_path_factory.mktemp("matrix") / "s")
    tokens = users_with_tokens(st)
    addresses = town_frames.registrations.address_id.value_counts().index[:2].tolist()
    urls = {
        "stats": "/stats", "hotspots": "/hotspots", "groups": "/groups", "indicators": "/indicators?top=20",
        "agenda": "/agenda?overleg=twee-wekelijks", "cases": "/cases?include_closed=true",
        "network": f"/network/Address/{addresses[0]}?depth=2",
        "path": f"/network/path?source=Address:{addresses[0]}&target=Address:{addresses[1]}",
        "search": "/search?q=P-", "audit": "/audit", "fenomeen": "/fenomeen",
    }
    with TestClient(create_app(store=st)) as client:
        yield client, tokens, urls
    st.close()


def _visible_persons(fr: Frames, domains: set[str]) -> set[str]:
    """Persons of the given domains, computed here independently of the services."""
    sp = fr.signal_persons.merge(fr.signals[["signal_id", "domain"]], on="signal_id")
    out = set(sp[sp["domain"].fillna("onbekend").isin(domains)].person_id)
    if "jeugd" in domains:
        out |= set(fr.group_members.person_id)
    if "ondermijning" in domains:
        out |= set(fr.business_persons.person_id)
    links = fr.case_links[fr.case_links.kind == "person"].merge(fr.cases[["case_id", "domain"]], on="case_id")
    return out | set(links[links["domain"].fillna("onbekend").isin(domains)].ref_id)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


DOMAINS = {"analist": {"jeugd", "woon", "zorg", "openbare_orde", "ondermijning", "overig", "onbekend"},
           "coordinator_jeugd": {"jeugd"}, "veiligheidsadviseur": {"ondermijning", "woon"},
           "privacy_officer": set(), "beheerder": set()}


@pytest.mark.parametrize("role", sorted(PURPOSE_OF))
def test_matrix(matrix: tuple[TestClient, dict, dict[str, str]], town_frames: Frames, role: str) -> None:
    client, tokens, urls = matrix
    fr = town_frames
    all_persons = set(fr.persons.person_id)
    allowed = _visible_persons(fr, DOMAINS[role])
    # the reviewed or flagged persons count as ondermijning
    if "ondermijning" in DOMAINS[role]:
        allowed |= all_persons - _visible_persons(fr, DOMAINS["analist"])
    seen: dict[str, int] = {}
    for route in ROUTES:
        url = urls[route]
        assert client.get(url).status_code == 401, route
        no_purpose = client.get(url, headers=headers(tokens[role])).status_code
        expected_np = 200 if route in AGGREGATE and route in OK_WITH_PURPOSE[role] else 403
        assert no_purpose == expected_np, (role, route, "zonder doel")
        r = client.get(url, headers=headers(tokens[role], PURPOSE_OF[role]))
        expected = 200 if route in OK_WITH_PURPOSE[role] else 403
        assert r.status_code == expected, (role, route, r.text[:300])
        assert set(r.json()) >= {"detail", "status", "code"} if expected != 200 else True
        if r.status_code != 200:
            continue
        body = r.json()
        text = json.dumps(body)
        for field in PERSON_FIELDS_NEVER:
            assert f'"{field}"' not in text, (role, route, field)
        if route == "audit":
            continue
        shown = {s for s in _strings(body) if s in all_persons} | {
            s.split(":", 1)[1] for s in _strings(body) if s.startswith("Person:") and s.split(":", 1)[1] in all_persons}
        hidden = shown - allowed
        assert not hidden, (role, route, sorted(hidden)[:5])
        seen[route] = len(shown)
        if "ondermijning" not in DOMAINS[role]:
            assert '"indicators": [' not in text or route == "indicators", (role, route)
    if role == "coordinator_jeugd":
        assert seen["groups"] > 0  # the coordinator does see the youth
    if role == "analist":
        assert seen["network"] > 0 and seen["indicators"] >= 0


def test_a_persons_flags_do_not_leak_to_the_coordinator_via_the_agenda(
    matrix: tuple[TestClient, dict, dict[str, str]]
) -> None:
    client, tokens, _ = matrix
    overleg = next(o for o in ("twee-wekelijks", "gio", "politie")
                   if client.get("/agenda", params={"overleg": o},
                                 headers=headers(tokens["analist"], "analyse")).json()["indicator_flags"])
    jeugd = client.get("/agenda", params={"overleg": overleg},
                       headers=headers(tokens["coordinator_jeugd"], "risicojongeren-overleg")).json()
    assert jeugd["overleg"] and not jeugd["indicator_flags"]
    assert not [d for d in _dicts(jeugd) if "subject_type" in d and "indicators" in d]


def _dicts(value: Any) -> Iterator[dict]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _dicts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _dicts(v)


def test_bulk_reads_are_capped_and_audited_as_such(matrix: tuple[TestClient, dict, dict[str, str]],
                                                  town_frames: Frames, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    client, tokens, _ = matrix
    log = tmp_path / "a.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    wijk = town_frames.addresses.wijk_code.dropna().value_counts().index[0]
    r = client.get(f"/network/Area/{wijk}", params={"depth": 3}, headers=headers(tokens["analist"], "analyse"))
    assert r.status_code == 200
    persons = [n for n in r.json()["nodes"] if n["label"] == "Person"]
    assert 0 < len(persons) <= 1000
    entries = [json.loads(x) for x in log.read_text().splitlines()]
    assert len(entries) == 1 and entries[0]["action"] == "bulklezen" and entries[0]["n"] == len(persons)
    assert pd.notna(entries[0]["user"]) and entries[0]["user"] == "analist"
