"""Retention: what is past its term is listed, then removed with --uitvoeren; nothing else is touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netwerk.store.embedded import EmbeddedStore


def _fill(st: EmbeddedStore) -> None:
    st.upsert_nodes("Address", [{"address_id": "A1"}, {"address_id": "A2"}])
    st.upsert_nodes("Person", [{"person_id": "P-oud"}, {"person_id": "P-nieuw"}, {"person_id": "P-casus"}])
    st.upsert_nodes("Signal", [{"signal_id": "S-oud", "reported_at": "2015-01-01T10:00", "domain": "woon"},
                               {"signal_id": "S-nieuw", "reported_at": "2025-06-01T10:00", "domain": "woon"},
                               {"signal_id": "S-oud2", "reported_at": "2016-01-01T10:00", "domain": "jeugd"}])
    st.upsert_relationships("AT", [{"start": "S-oud", "end": "A1"}, {"start": "S-nieuw", "end": "A2"}])
    st.upsert_relationships("INVOLVES", [{"start": "S-oud", "end": "P-oud"}, {"start": "S-nieuw", "end": "P-nieuw"},
                                         {"start": "S-oud2", "end": "P-casus"}])
    st.upsert_nodes("Case", [{"case_id": "C-dicht", "opened_at": "2014-01-01", "closed_at": "2015-06-01"},
                             {"case_id": "C-open", "opened_at": "2016-01-01"}])
    st.upsert_relationships("CONCERNS", [{"start": "C-open", "end": "P-casus"}], "Case", "Person")
    st.upsert_nodes("Agreement", [{"agreement_id": "AG1"}])
    st.upsert_relationships("HAS_AGREEMENT", [{"start": "C-dicht", "end": "AG1"}])


def test_retention_lists_then_removes_only_what_is_past_its_term(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from netwerk.cli import app

    st = EmbeddedStore(tmp_path / "s")
    _fill(st)
    st.close()
    monkeypatch.setenv("NETWERK_STORE", str(tmp_path / "s"))
    monkeypatch.setenv("NETWERK_ROLE", "beheerder")
    monkeypatch.setenv("NETWERK_PURPOSE", "beheer")
    runner = CliRunner()
    args = ["bewaartermijn", "--peildatum", "2025-12-01", "--format", "json"]
    listed = runner.invoke(app, args)
    assert listed.exit_code == 0, listed.output
    plan = json.loads(listed.output)
    assert plan["signal_ids"] == ["S-oud", "S-oud2"] and plan["case_ids"] == ["C-dicht"]
    assert plan["person_ids"] == ["P-oud"]  # P-casus stays: an open case keeps them
    st = EmbeddedStore(tmp_path / "s")
    assert st.get_node("Signal", "S-oud") is not None  # listing changed nothing
    st.close()
    done = runner.invoke(app, [*args, "--uitvoeren"])
    assert done.exit_code == 0, done.output
    st = EmbeddedStore(tmp_path / "s")
    try:
        counts = st.counts()["nodes"]
        assert (counts["Signal"], counts["Person"], counts["Case"], counts["Agreement"]) == (1, 2, 1, 0)
        assert counts["Address"] == 2  # nothing else touched
        assert st.get_node("Person", "P-oud") is None and st.get_node("Person", "P-casus") is not None
    finally:
        st.close()
    monkeypatch.setenv("NETWERK_ROLE", "analist")
    assert runner.invoke(app, args).exit_code == 3  # only the beheerder
    log = [json.loads(x) for x in Path(__import__("os").environ["NETWERK_AUDIT_LOG"]).read_text().splitlines()]
    retention = [e for e in log if e["action"] == "bewaartermijn"]
    assert {e["subject"] for e in retention} >= {"Signal", "Case", "Person"}
    assert next(e for e in retention if e["subject"] == "Person")["keys"] == ["P-oud"]
