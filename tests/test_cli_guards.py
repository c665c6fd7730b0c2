"""CLI guards: a read on a store that does not exist fails in Dutch without creating one; every option,
value and date error reaches the user in Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from netwerk.cli import app
from netwerk.commands.dutch import translate
from netwerk.store import StoreError, open_store

ENGLISH = ("Missing option", "No such option", "Invalid value", "Unknown datetime", "Usage:", "Error",
           "Possible options", "Input should", "Got unexpected", "requires an argument", "No such command")

READS = [
    ["hotspots"], ["stats"], ["indicators"], ["groups"], ["agenda", "--overleg", "twee-wekelijks"],
    ["cases", "list"], ["fenomeen", "list"], ["review", "list"],
]


@pytest.fixture(autouse=True)
def _local_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETWERK_USER", raising=False)


def _run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, args)


@pytest.mark.parametrize("command", READS, ids=lambda c: " ".join(c))
def test_read_on_missing_store_exits_1_in_dutch_and_creates_nothing(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "typfout"
    res = _run([*command, "--store", str(missing)])
    assert res.exit_code == 1, res.output
    text = " ".join(res.output.split())  # rich wraps long lines
    assert "er is geen opslag in" in text and "netwerk ingest" in text
    assert not missing.exists()


def test_open_store_creates_only_when_asked(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="er is geen opslag in"):
        open_store(tmp_path / "nieuw")
    assert not (tmp_path / "nieuw").exists()
    st = open_store(tmp_path / "nieuw", create=True)
    st.close()
    open_store(tmp_path / "nieuw").close()  # now it exists: a read opens it


@pytest.mark.parametrize(("args", "dutch"), [
    (["agenda"], "Ontbrekende optie '--overleg'."),
    (["hotspots", "--stor", "x"], "Onbekende optie: --stor"),
    (["hotspots", "--level", "straat"], "Ongeldige waarde voor '--level': 'straat' is niet een van"),
    (["hotspots", "--top", "veel"], "Ongeldige waarde voor '--top': geef een geheel getal"),
    (["indicators", "--top", "0"], "Ongeldige waarde voor '--top': moet minstens 1 zijn"),
    (["hotspots", "--store"], "Optie '--store' vraagt een waarde."),
    (["hotspots", "extra"], "Onverwacht extra argument (extra)"),
    (["onzin"], "Onbekend commando 'onzin'."),
    (["hotspots", "--since", "gisteren"], "Ongeldige waarde voor '--since': ongeldige datum 'gisteren'"),
    (["hotspots", "--until", "2025-13-45"], "Ongeldige waarde voor '--until': ongeldige datum '2025-13-45'"),
    (["agenda", "--overleg", "gio", "--date", "1-1-x"], "Ongeldige waarde voor '--date': ongeldige datum"),
    (["fenomeen", "create", "BU1", "--category", "x", "--by", "team", "--date", "morgen"],
     "Ongeldige waarde voor '--date': ongeldige datum 'morgen'"),
])
def test_usage_errors_are_dutch(args: list[str], dutch: str) -> None:
    res = _run(args)
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())  # the error panel wraps lines
    assert dutch in text
    for word in ENGLISH:
        assert word not in text, word
    assert "Fout" in text


def test_unknown_messages_pass_unchanged() -> None:
    assert translate("iets anders") == "iets anders"


def test_a_library_error_gets_a_dutch_sentence() -> None:
    import pandas as pd

    from netwerk.commands.common import _dutch_message

    with pytest.raises(ValueError) as info:
        pd.Timestamp("geen datum")
    text = _dutch_message(info.value)
    assert text.startswith("onverwachte fout bij het verwerken van de gegevens") and "beheerder" in text
    from netwerk.hotspots.config import DEFAULT_CONFIG

    with pytest.raises(ValueError) as own:
        DEFAULT_CONFIG.updated(min_days=0)
    assert _dutch_message(own.value) == "hotspot-instelling min_days moet minstens 1 zijn, kreeg 0"  # as it is
