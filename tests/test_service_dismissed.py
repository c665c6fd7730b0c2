"""A dismissed flag stays dismissed in the CLI, the API and the agenda (one indicators service)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from netwerk.review import review_id, sync_reviews
from netwerk.services.cache import frames
from netwerk.services.indicators import review_aware_flags
from tests.api_helpers import copy_store, headers, users_with_tokens

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_dismissed_flag_stays_dismissed_in_cli_api_and_agenda(town_store_path: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from netwerk.cli import app

    st = copy_store(town_store_path, tmp_path / "s")
    tokens = users_with_tokens(st)
    sync_reviews(st, review_aware_flags(frames(st), None, include_dismissed=True))
    analist = headers(tokens["analist"], "analyse")
    runner = CliRunner()
    monkeypatch.setenv("NETWERK_STORE", str(tmp_path / "s"))
    monkeypatch.setenv("NETWERK_USER", "analist")
    monkeypatch.setenv("NETWERK_PURPOSE", "analyse")
    with TestClient(create_app(store=st)) as client:
        agenda = client.get("/agenda", params={"overleg": "gio"}, headers=analist).json()
        assert agenda["indicator_flags"], "the gio agenda has flags (else this test proves nothing)"
        flag = agenda["indicator_flags"][0]
        subject, sid = flag["subject_type"], flag["subject_id"]

        def everywhere() -> dict[str, bool]:
            api_ind = client.get("/indicators", params={"subject": subject, "limit": 500}, headers=analist).json()
            api_agenda = client.get("/agenda", params={"overleg": "gio"}, headers=analist).json()
            cli_ind = runner.invoke(app, ["indicators", "--subject", subject, "--format", "json"])
            cli_agenda = runner.invoke(app, ["agenda", "--overleg", "gio", "--format", "json"])
            assert cli_ind.exit_code == 0 and cli_agenda.exit_code == 0, cli_ind.output + cli_agenda.output
            return {
                "api indicators": any(d["subject_id"] == sid for d in api_ind),
                "api agenda": any(d["subject_id"] == sid for d in api_agenda["indicator_flags"]),
                "cli indicators": any(d["subject_id"] == sid for d in json.loads(cli_ind.output)),
                "cli agenda": any(d["subject_id"] == sid for d in json.loads(cli_agenda.output)["indicator_flags"]),
            }

        assert all(everywhere().values())
        dismissed = client.post(f"/review/{review_id(subject, sid)}", json={"status": "afgewezen", "note": "test"},
                                headers=headers(tokens["veiligheidsadviseur"], "ondermijningsanalyse"))
        assert dismissed.status_code == 200 and dismissed.json()["status"] == "afgewezen"
        assert not any(everywhere().values())
    st.close()
