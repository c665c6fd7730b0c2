"""Users, tokens and web sessions on both stores: hashing, expiry, revocation, CSRF, the CLI commands."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from netwerk.auth import (
    COOKIE_NAME,
    CsrfRefused,
    NotAuthenticated,
    add_user,
    authenticate,
    check_csrf,
    create_token,
    disable_user,
    login,
    parse_duration,
    reset_user,
    revoke_tokens,
    session_actor,
    token_actor,
)
from netwerk.auth.clock import iso, now
from netwerk.store import GraphStore
from tests.api_helpers import PASSWORD, headers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_users_are_kept_hashed_and_can_be_disabled(store: GraphStore) -> None:
    add_user(store, "anna", PASSWORD, "veiligheidsadviseur")
    node = store.get_node("User", "anna")
    assert node is not None and node["password_hash"].startswith("$argon2id$") and PASSWORD not in str(node)
    assert authenticate(store, "anna", PASSWORD).role == "veiligheidsadviseur"  # type: ignore[union-attr]
    assert authenticate(store, "anna", "fout-wachtwoord-xx") is None
    assert authenticate(store, "niemand", PASSWORD) is None
    with pytest.raises(ValueError, match="bestaat al"):
        add_user(store, "anna", PASSWORD, "analist")
    with pytest.raises(ValueError, match="onbekende rol"):
        add_user(store, "bert", PASSWORD, "superuser")
    with pytest.raises(ValueError, match="minstens 12"):
        add_user(store, "bert", "kort", "analist")
    disable_user(store, "anna")
    assert authenticate(store, "anna", PASSWORD) is None
    reset_user(store, "anna", "nieuw-wachtwoord-123", role="analist")
    assert authenticate(store, "anna", "nieuw-wachtwoord-123").role == "analist"  # type: ignore[union-attr]


def test_tokens_expire_and_can_be_revoked(store: GraphStore) -> None:
    add_user(store, "anna", PASSWORD, "analist")
    token, info = create_token(store, "anna", parse_duration("30d"))
    actor = token_actor(store, token, "analyse")
    assert (actor.user, actor.role, actor.purpose, actor.via) == ("anna", "analist", "analyse", "token")
    assert store.get_node("ApiToken", token) is None  # only the hash is stored
    expired, einfo = create_token(store, "anna", timedelta(days=1))
    node = next(r for r in store.nodes_df("ApiToken").to_dict("records") if r["token_id"].startswith(einfo.id))
    store.upsert_nodes("ApiToken", [{"token_id": node["token_id"], "expires_at": iso(now() - timedelta(minutes=1))}])
    with pytest.raises(NotAuthenticated, match="verlopen"):
        token_actor(store, expired, "analyse")
    assert revoke_tokens(store, "anna", info.id) == 1
    with pytest.raises(NotAuthenticated, match="ingetrokken"):
        token_actor(store, token, "analyse")
    fresh, _ = create_token(store, "anna")
    disable_user(store, "anna")
    with pytest.raises(NotAuthenticated, match="uitgeschakeld"):
        token_actor(store, fresh, "analyse")
    with pytest.raises(ValueError, match="geldigheidsduur"):
        parse_duration("altijd")


def test_expired_and_revoked_tokens_get_401_over_http(embedded_store: GraphStore) -> None:
    add_user(embedded_store, "beheer", PASSWORD, "beheerder")
    token, _ = create_token(embedded_store, "beheer")
    with TestClient(create_app(store=embedded_store)) as client:
        assert client.get("/stats", headers=headers(token)).status_code == 200
        revoke_tokens(embedded_store, "beheer")
        r = client.get("/stats", headers=headers(token))
        assert r.status_code == 401 and "ingetrokken" in r.json()["detail"]
        assert r.headers["www-authenticate"] == "Bearer"


def test_web_session_refuses_a_post_without_its_csrf_token(embedded_store: GraphStore) -> None:
    st = embedded_store
    add_user(st, "vera", PASSWORD, "veiligheidsadviseur")
    st.upsert_nodes("Address", [{"address_id": "A1"}])
    st.upsert_nodes("ReviewItem", [{"review_id": "address:A1", "subject_type": "address", "subject_id": "A1",
                                    "status": "nieuw", "score": 1.0}])
    with pytest.raises(NotAuthenticated):
        login(st, "vera", "verkeerd-wachtwoord", "ondermijningsanalyse")
    sid, csrf = login(st, "vera", PASSWORD, "ondermijningsanalyse")
    actor = session_actor(st, sid)
    assert actor is not None and (actor.role, actor.purpose, actor.via) == ("veiligheidsadviseur",
                                                                              "ondermijningsanalyse", "sessie")
    with pytest.raises(CsrfRefused):
        check_csrf(st, sid, None)
    with TestClient(create_app(store=st), base_url="https://testserver") as client:
        client.cookies.set(COOKIE_NAME, sid)
        assert client.get("/stats").status_code == 200  # reads need no CSRF token
        body = {"status": "in onderzoek"}
        refused = client.post("/review/address:A1", json=body)
        assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
        assert st.get_node("ReviewItem", "address:A1")["status"] == "nieuw"  # type: ignore[index]
        assert client.post("/review/address:A1", json=body, headers={"X-CSRF-Token": "fout"}).status_code == 403
        ok = client.post("/review/address:A1", json=body, headers={"X-CSRF-Token": csrf})
        assert ok.status_code == 200 and ok.json()["status"] == "in onderzoek"
        assert ok.json()["updated_by"] == "vera"


def test_cookie_parameters_are_strict() -> None:
    from netwerk.auth import cookie_params

    p = cookie_params()
    assert p["httponly"] is True and p["secure"] is True and p["samesite"] == "strict"


def test_cli_manages_users_and_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from netwerk.cli import app
    from netwerk.store.embedded import EmbeddedStore

    runner = CliRunner()
    store = str(tmp_path / "s")
    monkeypatch.setenv("NETWERK_STORE", store)  # the acting user is looked up before the command runs
    monkeypatch.setenv("NETWERK_ROLE", "beheerder")  # single-user mode while the store has no users
    monkeypatch.setenv("NETWERK_PURPOSE", "beheer")
    add = runner.invoke(app, ["gebruiker", "add", "admin", "--rol", "beheerder", "--wachtwoord-stdin",
                              "--store", store], input=PASSWORD + "\n")
    assert add.exit_code == 0, add.output
    # now the store has users: the acting user must be named, the role comes from the store
    refused = runner.invoke(app, ["gebruiker", "list", "--store", store])
    assert refused.exit_code == 3 and "NETWERK_USER" in refused.output
    monkeypatch.setenv("NETWERK_USER", "admin")
    monkeypatch.setenv("NETWERK_ROLE", "analist")  # ignored now
    assert runner.invoke(app, ["gebruiker", "add", "ana", "--rol", "analist", "--wachtwoord-stdin",
                               "--store", store], input=PASSWORD + "\n").exit_code == 0
    listed = runner.invoke(app, ["gebruiker", "list", "--store", store, "--format", "json"])
    assert '"ana"' in listed.output and "argon2" not in listed.output
    made = runner.invoke(app, ["token", "create", "ana", "--geldig", "7d", "--store", store])
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    st = EmbeddedStore(tmp_path / "s")
    try:
        assert token_actor(st, token, "analyse").user == "ana"
        assert runner.invoke(app, ["token", "revoke", "ana", "--store", store]).exit_code == 0
        with pytest.raises(NotAuthenticated):
            token_actor(st, token, "analyse")
    finally:
        st.close()
    monkeypatch.setenv("NETWERK_USER", "ana")
    assert runner.invoke(app, ["gebruiker", "list", "--store", store]).exit_code == 3  # an analist manages nobody
    monkeypatch.setenv("NETWERK_USER", "spook")
    assert runner.invoke(app, ["stats", "--store", store]).exit_code == 3


def test_after_the_recheck_one_request_rereads_the_token_and_a_revocation_then_holds(
    embedded_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netwerk.auth import tokens
    from netwerk.store.embedded import EmbeddedStore

    assert isinstance(embedded_store, EmbeddedStore)
    add_user(embedded_store, "anna", PASSWORD, "analist")
    token, _ = create_token(embedded_store, "anna")
    monkeypatch.setattr(embedded_store, "_external_version", lambda: 0)  # like Neo4j: no change counter
    tokens.token_actor(embedded_store, token, "analyse")
    monkeypatch.setattr(tokens, "RECHECK_S", 0.2)
    other = EmbeddedStore(embedded_store.path)
    revoke_tokens(other, "anna")  # by another process: this store object cannot tell
    other.close()
    assert tokens.cached_token_actor(embedded_store, token, "analyse") is not None  # within RECHECK_S
    time.sleep(0.25)
    assert tokens.cached_token_actor(embedded_store, token, "analyse") is None  # this request re-reads ...
    assert tokens.cached_token_actor(embedded_store, token, "analyse") is not None  # ... the others wait for it
    with pytest.raises(NotAuthenticated, match="ingetrokken"):
        tokens.token_actor(embedded_store, token, "analyse")
    assert tokens.cached_token_actor(embedded_store, token, "analyse") is None
    with pytest.raises(NotAuthenticated):
        tokens.token_actor(embedded_store, token, "analyse")
