"""The ondermijningstafel (LIO) as an overleg: its agenda lists the planted rings' flags (in review and new
straw-man/facilitator signals) and a recorded controle's findings; watch alerts reach every agenda; both stores."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import pid
from typer.testing import CliRunner

from netwerk.cases import build_agenda, case_frames, load_ladder, render
from netwerk.cases.inputs import compute_flags
from netwerk.cli import app
from netwerk.frames import Frames
from netwerk.indicators import run_indicators
from netwerk.ingest import ingest_folder
from netwerk.monitor.agenda import with_monitor_sections
from netwerk.monitor.controles import controle_frame, controle_record, save_controle
from netwerk.store import GraphStore

runner = CliRunner()
FINDINGS = "12 matrassen in bedrijfsruimte, geen huurcontracten; doorverwezen naar RIEC"


def _ring_truth(town: dict, frames: Frames) -> tuple[set[str], set[str], str]:
    rings = town["truth"]["rings"]
    straw = {f.subject_id for f in run_indicators(frames) if f.indicator == "straw_men"}
    ring_businesses = {b for r in rings for b in r["businesses"]}
    return {pid(r["facilitator"]) for r in rings}, straw & ring_businesses, sorted(ring_businesses)[0]


def test_ondermijningstafel_agenda_on_both_stores(town: dict, store: GraphStore) -> None:
    assert ingest_folder(town["dir"], store).rejected == 0
    frames = Frames.from_store(store)
    facilitators, straw_ring, business = _ring_truth(town, frames)
    assert straw_ring, "the planted rings should carry straw-man flags"
    node = controle_record(subject_type="business", subject_id=business, date="2025-10-20",
                           partners=["gemeente", "politie", "Belastingdienst"], findings=FINDINGS, created_by="test")
    save_controle(store, node)
    save_controle(store, node)  # idempotent
    assert len(store.nodes_df("Controle")) == 1
    checked = store.relationships_df("CHECKED")
    assert list(zip(checked["start"], checked["end"], strict=True)) == [(node["controle_id"], business)]
    ctrl = controle_frame(store.nodes_df("Controle"), frames)
    assert ctrl["address_id"].iloc[0] == frames.businesses.set_index("business_id").loc[business, "address_id"]

    flags, _ = compute_flags(frames)
    agenda = build_agenda(frames, case_frames(store), load_ladder("oldambt"), "ondermijningstafel", flags=flags)
    d = with_monitor_sections(agenda, store, frames, flags).to_dict()
    assert d["overleg"] == "ondermijningstafel" and d["interval_days"] == 28
    ring = {(f["subject_id"], f["indicator"]) for f in d["ondermijning_flags"]}
    assert {(p, "facilitator") for p in facilitators} <= ring
    assert {(b, "katvangers") for b in straw_ring} <= ring
    assert [c["findings"] for c in d["controles"]] == [FINDINGS]
    assert d["controles"][0]["partners"] == "Belastingdienst, gemeente, politie"
    md = render(type(agenda)(d), "md")
    assert "Uitkomsten integrale controles" in md and FINDINGS.split(";")[0] in md
    assert "Nieuwe katvanger- en facilitatorsignalen" in md

    # the indicators service shows the controle beside the business's flags (and its address's)
    from netwerk.access import Actor
    from netwerk.services.indicators import indicators

    analist = Actor.of("analist", "analist", "ondermijningsanalyse", via="test")
    ranked = {b["subject_id"]: b for b in indicators(store, analist, "business")}
    assert ranked[business]["controles"] == [{"controle_id": node["controle_id"], "date": "2025-10-20",
                                             "partners": "Belastingdienst, gemeente, politie",
                                             "findings": FINDINGS, "outcome": node["outcome"]}]
    assert all("controles" not in b for k, b in ranked.items() if k != business)


@pytest.fixture
def town_copy(town_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dest = tmp_path / "store"
    shutil.copytree(town_store_path, dest)
    monkeypatch.setenv("NETWERK_STORE", str(dest))  # the access check resolves the store before the command
    return dest


def test_ondermijningstafel_cli(town: dict, town_frames: Frames, town_copy: Path) -> None:
    def cli(*args: str) -> str:
        r = runner.invoke(app, [*args, "--store", str(town_copy)])
        assert r.exit_code == 0, r.output
        return r.output

    facilitators, straw_ring, business = _ring_truth(town, town_frames)
    name = town_frames.businesses.set_index("business_id").loc[business, "name"]
    rec = json.loads(cli("controle", "add", "--bedrijf", name, "--datum", "2025-10-20", "--partners",
                         "gemeente,politie", "--bevindingen", FINDINGS, "--uitkomst", "doorverwezen",
                         "--format", "json"))
    assert rec["subject_id"] == business and rec["outcome"] == "doorverwezen"
    assert [c["controle_id"] for c in json.loads(cli("controle", "list", "--format", "json"))] == [rec["controle_id"]]
    cli("review", "sync")  # the rings' flags enter the review workflow
    d = json.loads(cli("agenda", "--overleg", "ondermijningstafel", "--ladder", "oldambt", "--format", "json"))
    in_review = {(r["subject_type"], r["subject_id"]) for r in d["review_items"]}
    assert {("person", p) for p in facilitators} <= in_review
    assert {("business", b) for b in straw_ring} <= in_review
    assert {b for b, ind in ((f["subject_id"], f["indicator"]) for f in d["ondermijning_flags"])
            if ind == "katvangers"} >= straw_ring
    assert d["controles"][0]["findings"] == FINDINGS and d["controles"][0]["subject_label"] == name

    # a watch alert reaches the agenda of the twee-wekelijks overleg
    sig = town_frames.signals
    recent = sig[(sig["reported_at"] >= "2025-10-25") & sig["address_id"].notna() & sig["domain"].isin(
        ["woon", "openbare_orde", "zorg", "jeugd"])].iloc[0]
    cli("waak", "add", recent["address_id"], "--reden", "plaatsing vergunninghouder", "--van", "2025-10-20",
        "--straal", "0")
    two = json.loads(cli("agenda", "--overleg", "twee-wekelijks", "--zonder-analyses", "--format", "json"))
    assert recent["signal_id"] in {a["signal_id"] for a in two["watch_alerts"]}
    assert all(a["review_status"] == "nieuw" for a in two["watch_alerts"])
    assert "ondermijning_flags" not in two
    md = cli("agenda", "--overleg", "twee-wekelijks", "--zonder-analyses", "--format", "md")
    assert "Waakmeldingen" in md and recent["signal_id"] in md
