"""Re-identification under control: only with the vault key, an entitled role and purpose and a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from netwerk.auth.vault import Vault, VaultError, new_key, open_vault
from netwerk.frames import Frames
from netwerk.settings import Settings
from tests.api_helpers import copy_store, headers, users_with_tokens

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
REASON = "casusoverleg 12 november, besluit over aanpak"


def test_weak_or_missing_keys_are_refused(tmp_path: Path) -> None:
    for weak in ("a", "wachtwoord", "A" * 44):
        with pytest.raises(VaultError, match="ongeldig of zwak"):
            Vault(tmp_path / "v", weak)
    with pytest.raises(VaultError, match="geen kluissleutel"):
        open_vault(tmp_path / "v", None)
    vault = Vault(tmp_path / "v", new_key())
    vault.put({"P-1": {"first_name": "Jan", "last_name": "Jansen", "birth_date": "2008-03-01"}})
    assert "Jansen" not in (tmp_path / "v").read_text()  # encrypted at rest
    with pytest.raises(VaultError, match="past niet"):
        Vault(tmp_path / "v", new_key())._decrypt("P-1")


def test_reveal_needs_key_role_purpose_domain_and_reason(town_store_path: Path, town_frames: Frames,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    st = copy_store(town_store_path, tmp_path / "s")
    tokens = users_with_tokens(st)
    jeugd = str(town_frames.group_members.person_id.iloc[0])
    key = new_key()
    Vault(tmp_path / "kluis", key).put({jeugd: {"first_name": "Sam", "last_name": "de Vries",
                                                "birth_date": "2009-05-04"}})
    with_key = Settings(vault_path=tmp_path / "kluis", vault_key=key)
    coord = headers(tokens["coordinator_jeugd"], "casusoverleg")
    with TestClient(create_app(with_key, store=st)) as client:
        ok = client.post(f"/reveal/{jeugd}", json={"reason": REASON}, headers=coord)
        assert ok.status_code == 200 and ok.json()["last_name"] == "de Vries"
        refusals = [
            client.post(f"/reveal/{jeugd}", json={"reason": REASON},
                        headers=headers(tokens["analist"], "casusoverleg")),  # the analyst works pseudonymised
            client.post(f"/reveal/{jeugd}", json={"reason": REASON},
                        headers=headers(tokens["coordinator_jeugd"], "risicojongeren-overleg")),  # wrong purpose
            client.post(f"/reveal/{jeugd}", json={"reason": "omdat"}, headers=coord),  # no real reason
            client.post(f"/reveal/{jeugd}", json={"reason": REASON},
                        headers=headers(tokens["veiligheidsadviseur"], "casusoverleg")),  # not their domain
        ]
        assert [r.status_code for r in refusals] == [403, 403, 403, 403]
        assert client.post(f"/reveal/{jeugd}", json={"reason": REASON}).status_code == 401
    with TestClient(create_app(Settings(vault_path=tmp_path / "kluis"), store=st)) as client:
        no_key = client.post(f"/reveal/{jeugd}", json={"reason": REASON}, headers=coord)
        assert no_key.status_code == 403 and "kluissleutel" in no_key.json()["detail"]
    st.close()
    reveals = [json.loads(x) for x in log.read_text().splitlines() if '"herleiden"' in x]
    assert [(e["user"], e["outcome"]) for e in reveals] == [
        ("coordinator_jeugd", "toegestaan"), ("analist", "geweigerd"), ("coordinator_jeugd", "geweigerd"),
        ("coordinator_jeugd", "geweigerd"), ("veiligheidsadviseur", "geweigerd"), ("coordinator_jeugd", "geweigerd")]
    assert REASON in reveals[0]["detail"] and reveals[0]["purpose"] == "casusoverleg"
