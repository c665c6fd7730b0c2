"""Case operations through the store port and the `netwerk cases` CLI, on both backends."""

from __future__ import annotations

import json

import pytest
from conftest import NEO4J_URI
from typer.testing import CliRunner

from netwerk.cases import (
    add_agreement,
    case_frames,
    change_phase,
    close_case,
    load_ladder,
    open_case,
    set_criteria,
    show_case,
    update_agreement,
)
from netwerk.cli import app
from netwerk.store import GraphStore

LADDER = load_ladder("almelo")
runner = CliRunner()


def seed(store: GraphStore) -> None:
    """Partners, persons, addresses and signals a case can refer to."""
    store.upsert_nodes("Partner", [
        {"partner_id": "politie", "name": "Politie", "type": "politie"},
        {"partner_id": "wijkteam", "name": "Wijkteam", "type": "zorg"},
    ])
    store.upsert_nodes("Person", [{"person_id": "p1"}, {"person_id": "p2"}])
    store.upsert_nodes("Address", [{"address_id": "a1", "buurt_code": "BU01"}])
    store.upsert_nodes("Signal", [
        {"signal_id": "s1", "reported_at": "2025-01-02T10:00:00", "category": "Woonoverlast", "domain": "woon"},
        {"signal_id": "s2", "reported_at": "2025-03-01T10:00:00", "category": "Woonoverlast", "domain": "woon"},
        {"signal_id": "s3", "reported_at": "2025-03-05T10:00:00", "category": "Zorg", "domain": "zorg"},
    ])
    store.upsert_relationships("AT", [{"start": s, "end": "a1"} for s in ("s1", "s2", "s3")])


def spec(store: GraphStore) -> str:
    """What a user passes as --store for this backend."""
    return str(store.path) if store.kind == "embedded" else NEO4J_URI  # type: ignore[attr-defined]


def cli(store: GraphStore, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--store", spec(store)])
    return result.exit_code, result.output


def test_case_lifecycle(store: GraphStore) -> None:
    seed(store)
    case = open_case(store, LADDER, title="Woonoverlast a1", phase="fase 1", opened_at="2025-01-05",
                     domain="woon", casusregisseur="wijkcoach",
                     partners=[("wijkteam", "casusregie"), ("politie", None)], persons=["p1"],
                     addresses=["a1"], signals=["s1"], decided_by="MZO")
    cid = case["case_id"]
    assert (cid, case["phase"]) == ("casus-0001", "1")
    ag = add_agreement(store, LADDER, cid, what="huisbezoek", owner="wijkteam", due_date="2025-02-01",
                       created_at="2025-01-05")
    assert ag["agreement_id"] == f"{cid}-A001" and ag["status"] == "open"
    change_phase(store, LADDER, cid, "2", decided_by="procesregisseur", reason="stagnatie", date="2025-03-10",
                 criteria=["stagnatie"])
    assert set_criteria(store, LADDER, cid, ["gevaar"], ["stagnatie"]) == ["gevaar"]
    update_agreement(store, ag["agreement_id"], "gereed")
    change_phase(store, LADDER, cid, "1", decided_by="procesregisseur", date="2025-05-01")
    close_case(store, LADDER, cid, decided_by="casusregisseur", reason="stabiel", date="2025-06-01")

    shown = show_case(store, LADDER, cid, as_of="2025-06-02")
    assert shown["phase"] == "gesloten" and shown["closed_at"] == "2025-06-01"
    assert [(c["from_phase"], c["to_phase"], c["date"]) for c in shown["timeline"]] == [
        (None, "1", "2025-01-05"), ("1", "2", "2025-03-10"), ("2", "1", "2025-05-01"), ("1", "gesloten", "2025-06-01")]
    assert shown["timeline"][1]["reason"] == "stagnatie" and shown["timeline"][1]["decided_by"] == "procesregisseur"
    assert {(p["partner_id"], p["role"]) for p in shown["partners"]} == {("wijkteam", "casusregie"), ("politie", None)}
    assert shown["persons"] == [{"person_id": "p1", "role": "betrokkene"}]
    assert shown["addresses"] == [{"address_id": "a1", "role": "adres"}] and shown["signals"] == ["s1"]
    assert shown["agreements"][0]["status"] == "gereed" and shown["agreements"][0]["owner"] == "wijkteam"
    assert shown["criteria"] == ["gevaar"]

    cf = case_frames(store)
    assert cf.agreements[["case_id", "agreement_id", "owner", "status"]].values.tolist() == [
        [cid, f"{cid}-A001", "wijkteam", "gereed"]]
    assert cf.phase_changes["to_phase"].tolist() == ["1", "2", "1", "gesloten"]
    assert str(cf.phase_changes["date"].dtype).startswith("datetime64")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"partners": [("onbekend", None)]}, "onbekende partner"),
        ({"partners": []}, "minstens één verantwoordelijke partner"),
        ({"persons": ["p404"]}, "onbekende persoon"),
        ({"phase": "7"}, "onbekende fase"),
        ({"phase": "gesloten"}, "kan niet geopend worden"),
        ({"title": " "}, "titel"),
        ({"criteria": ["bestaat_niet"]}, "onbekend criterium"),
    ],
)
def test_open_validation(embedded_store: GraphStore, kwargs: dict, message: str) -> None:
    seed(embedded_store)
    args = {"title": "t", "partners": [("politie", None)], **kwargs}
    with pytest.raises(ValueError, match=message):
        open_case(embedded_store, LADDER, **args)
    assert embedded_store.nodes_df("Case").empty  # nothing written


def test_escalate_and_agree_validation(embedded_store: GraphStore) -> None:
    st = embedded_store
    seed(st)
    cid = open_case(st, LADDER, title="t", partners=[("politie", None)], opened_at="2025-01-05")["case_id"]
    with pytest.raises(ValueError, match="sprong van fase 1 naar fase 3"):
        change_phase(st, LADDER, cid, "3", decided_by="x", date="2025-02-01")
    with pytest.raises(ValueError, match="wie het besluit neemt"):
        change_phase(st, LADDER, cid, "2", decided_by=" ")
    with pytest.raises(ValueError, match="staat al in fase 1"):
        change_phase(st, LADDER, cid, "1", decided_by="x")
    with pytest.raises(ValueError, match="vóór de opening"):
        change_phase(st, LADDER, cid, "2", decided_by="x", date="2024-12-31")
    with pytest.raises(ValueError, match="cases close"):
        change_phase(st, LADDER, cid, "gesloten", decided_by="x")
    with pytest.raises(ValueError, match="bestaat niet"):
        change_phase(st, LADDER, "casus-9999", "2", decided_by="x")
    assert change_phase(st, LADDER, cid, "3", decided_by="x", reason="gevaar", date="2025-02-01")["to_phase"] == "3"
    with pytest.raises(ValueError, match="zonder eigenaar"):
        add_agreement(st, LADDER, cid, what="iets", owner=None, due_date="2025-03-01")
    with pytest.raises(ValueError, match="onbekende partner 'brandweer'"):
        add_agreement(st, LADDER, cid, what="iets", owner="brandweer", due_date="2025-03-01")
    with pytest.raises(ValueError, match="geen geldige datum"):
        add_agreement(st, LADDER, cid, what="iets", owner="politie", due_date="volgende week")
    with pytest.raises(ValueError, match="onbekende status"):
        update_agreement(st, "x", "klaar")
    close_case(st, LADDER, cid, decided_by="x", reason="klaar", date="2025-03-01")
    with pytest.raises(ValueError, match="is gesloten"):
        change_phase(st, LADDER, cid, "2", decided_by="x")
    with pytest.raises(ValueError, match="is gesloten"):
        add_agreement(st, LADDER, cid, what="iets", owner="politie", due_date="2025-04-01")
    assert st.nodes_df("Agreement").empty


def test_cli_cases(store: GraphStore) -> None:
    seed(store)
    code, out = cli(store, "cases", "open", "--title", "Overlast a1", "--partner", "wijkteam:casusregie",
                    "--address", "a1", "--person", "p1", "--signal", "s1", "--date", "2025-01-05", "--domain", "woon",
                    "--format", "json")
    assert code == 0, out
    cid = json.loads(out)["case_id"]
    code, out = cli(store, "cases", "agree", cid, "--what", "huisbezoek", "--owner", "politie", "--due", "2025-02-01",
                    "--date", "2025-01-06")
    assert code == 0 and "A001" in out, out
    code, out = cli(store, "cases", "list", "--format", "json", "--date", "2025-03-10")
    rows = json.loads(out)
    assert code == 0 and rows[0]["case_id"] == cid and rows[0]["overdue_agreements"] == 1, out

    # advice (without the slow analyses): new signals s2+s3 in two domains, overdue agreement
    code, out = cli(store, "cases", "advise", cid, "--date", "2025-03-10", "--zonder-analyses", "--format", "json")
    assert code == 0, out
    adv = json.loads(out)["advice"][0]
    assert (adv["direction"], adv["to_phase"]) == ("opschalen", "2")
    assert {e["rule"] for e in adv["evidence"]} == {"stagnation", "new_signals", "several_domains"}
    assert next(e for e in adv["evidence"] if e["rule"] == "new_signals")["signal_ids"] == ["s2", "s3"]

    code, out = cli(store, "cases", "escalate", cid, "--to", "3", "--by", "procesregisseur", "--date", "2025-03-11")
    assert code == 1 and "vereist een reden" in out
    code, out = cli(store, "cases", "escalate", cid, "--to", "2", "--by", "procesregisseur", "--date", "2025-03-11",
                    "--criterium", "stagnatie")
    assert code == 0 and "opgeschaald" in out, out
    code, out = cli(store, "cases", "criteria", cid, "--set", "gevaar")
    assert code == 0 and "gevaar, stagnatie" in out, out
    code, out = cli(store, "cases", "agree", cid, "--update", f"{cid}-A001", "--status", "gereed")
    assert code == 0, out
    code, out = cli(store, "cases", "agree", cid, "--what", "x", "--owner", "onbekend", "--due", "2025-04-01")
    assert code == 1 and "onbekende partner" in out
    code, out = cli(store, "cases", "agree", cid, "--what", "x", "--due", "2025-04-01")
    assert code == 1 and "zonder eigenaar" in out
    code, out = cli(store, "cases", "escalate", cid, "--to", "1", "--by", "x", "--date", "2025-04-01")
    assert code == 0 and "afgeschaald" in out, out
    code, out = cli(store, "cases", "show", cid)
    assert code == 0 and "Tijdlijn" in out and "huisbezoek" in out
    code, out = cli(store, "cases", "close", cid, "--by", "x")
    assert code == 1 and "reden" in out
    code, out = cli(store, "cases", "close", cid, "--by", "x", "--reason", "stabiel", "--date", "2025-05-01")
    assert code == 0, out
    code, out = cli(store, "cases", "show", cid, "--format", "json")
    shown = json.loads(out)
    assert [c["to_phase"] for c in shown["timeline"]] == ["1", "2", "1", "gesloten"]
    code, out = cli(store, "cases", "list", "--format", "json")
    assert json.loads(out) == []
    code, out = cli(store, "cases", "show", "casus-0404")
    assert code == 1 and "bestaat niet" in out


def test_cli_ladder_option(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["cases", "ladder", "--ladder", "oldambt", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["id"] == "oldambt"
    monkeypatch.setenv("NETWERK_LADDER", "oldambt")
    result = runner.invoke(app, ["cases", "ladder", "--format", "json"])
    assert json.loads(result.output)["id"] == "oldambt"
    result = runner.invoke(app, ["cases", "ladder", "--ladder", "utrecht"])
    assert result.exit_code == 1 and "onbekende ladder" in result.output
    monkeypatch.delenv("NETWERK_LADDER")
    result = runner.invoke(app, ["cases", "ladder"])
    assert result.exit_code == 0 and "gedragswetenschapper" in result.output and "Burgemeester" in result.output


def test_show_names_the_partner_listed_as_casusregisseur(embedded_store: GraphStore) -> None:
    seed(embedded_store)
    embedded_store.upsert_nodes("Partner", [{"partner_id": "wijkteam", "name": "Wijkteam Oost"}])
    cid = open_case(embedded_store, LADDER, title="Zorg a1", phase="fase 1", opened_at="2025-01-05",
                    partners=[("wijkteam", "casusregisseur"), ("politie", None)], addresses=["a1"],
                    decided_by="MZO")["case_id"]
    shown = show_case(embedded_store, LADDER, cid)
    assert shown["casusregisseur"] == "Wijkteam Oost" and shown["procesregisseur"] is None
    code, out = cli(embedded_store, "cases", "show", cid)
    assert code == 0, out
    assert "Casusregisseur: Wijkteam Oost" in out and "Casusregisseur: -" not in out


def test_cli_records_without_date_on_historical_data_at_its_end(embedded_store: GraphStore) -> None:
    seed(embedded_store)
    code, out = cli(embedded_store, "cases", "open", "--title", "Overlast a1", "--partner", "wijkteam:casusregie",
                    "--address", "a1", "--phase", "1", "--by", "MZO", "--format", "json")
    assert code == 0, out
    case = json.loads(out)
    assert case["opened_at"] == "2025-03-05"  # the last signal, not today: the data is historical
    code, out = cli(embedded_store, "cases", "agree", case["case_id"], "--what", "huisbezoek", "--owner", "wijkteam",
                    "--due", "2025-04-01", "--format", "json")
    assert code == 0, out
    assert json.loads(out)["created_at"] == "2025-03-05"
