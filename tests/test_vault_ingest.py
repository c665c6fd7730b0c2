"""`netwerk ingest --identiteiten`: identities go into the encrypted vault per pseudonym, never into the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PSEUDONYM_KEY, pid
from typer.testing import CliRunner

from netwerk.access import Actor
from netwerk.auth.vault import new_key, open_vault
from netwerk.cli import app

EXAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "examples" / "minimal"
REASON = "casusoverleg 12 november, besluit over aanpak"


def test_identities_land_in_the_vault_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = new_key()
    monkeypatch.setenv("NETWERK_VAULT_KEY", key)
    monkeypatch.setenv("NETWERK_VAULT_PATH", str(tmp_path / "kluis.jsonl"))
    store = tmp_path / "store"
    res = CliRunner().invoke(app, ["ingest", str(EXAMPLE), "--store", str(store), "--identiteiten"])
    assert res.exit_code == 0, res.output
    assert "identiteit(en) versleuteld in de kluis" in res.output

    vault = open_vault(tmp_path / "kluis.jsonl", key)
    assert pid("P100") in vault.pseudonyms()
    assert "de Vries" not in (tmp_path / "kluis.jsonl").read_text(encoding="utf-8")  # encrypted at rest
    actor = Actor.of("coord", "coordinator_jeugd", "casusoverleg", via="test")
    ident = vault.reveal(actor, pid("P100"), REASON, "test", visible=True)
    assert (ident["first_name"], ident["last_name"], ident["birth_date"]) == ("Jan", "de Vries", "14-02-1988")
    assert ident["street"] == "Langestraat 12" and ident["city"] == "Winschoten"
    assert all(b"de Vries" not in f.read_bytes() for f in store.rglob("*") if f.is_file())
    entries = [json.loads(line) for line in Path(_audit_log()).read_text().splitlines()]
    assert any(e.get("action") == "kluis gevuld" and e.get("n", 0) >= 1 for e in entries)
    assert PSEUDONYM_KEY not in (tmp_path / "kluis.jsonl").read_text(encoding="utf-8")


def test_without_a_vault_key_nothing_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETWERK_VAULT_KEY", raising=False)
    monkeypatch.delenv("NETWERK_VAULT_KEY_FILE", raising=False)
    monkeypatch.setenv("NETWERK_VAULT_PATH", str(tmp_path / "kluis.jsonl"))
    store = tmp_path / "store"
    res = CliRunner().invoke(app, ["ingest", str(EXAMPLE), "--store", str(store), "--identiteiten"])
    assert res.exit_code == 1
    assert "--identiteiten: geen kluissleutel" in res.output
    assert not (tmp_path / "kluis.jsonl").exists() and not (store / "graph.sqlite").exists()


def _audit_log() -> str:
    import os

    return os.environ["NETWERK_AUDIT_LOG"]
