"""Cases, advice and agendas on the synthetic municipality (generator → ingest → store → analysis)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from netwerk.cases import CaseFrames, advise, build_agenda, load_ladder
from netwerk.cases.advice import reference_day
from netwerk.cases.inputs import compute_flags, compute_hotspots
from netwerk.cli import app
from netwerk.frames import Frames

LADDER = load_ladder("almelo")
runner = CliRunner()


def _open_cases(frames: Frames, day: pd.Timestamp) -> pd.DataFrame:
    c = frames.cases
    return c[(c["opened_at"] <= day) & (c["closed_at"].isna() | (c["closed_at"] > day))]


def _related(frames: Frames, case_id: str, day: pd.Timestamp) -> pd.DataFrame:
    """The case's signals computed independently: own, at its addresses, involving its persons."""
    links = frames.case_links[frames.case_links["case_id"] == case_id]
    ids = set(links.loc[links["kind"] == "signal", "ref_id"])
    ids |= set(frames.signals.loc[frames.signals["address_id"].isin(links.loc[links["kind"] == "address", "ref_id"]),
                                  "signal_id"])
    sp = frames.signal_persons
    ids |= set(sp.loc[sp["person_id"].isin(links.loc[links["kind"] == "person", "ref_id"]), "signal_id"])
    s = frames.signals[frames.signals["signal_id"].isin(ids)]
    return s[s["reported_at"] < day + pd.Timedelta(days=1)]


def test_town_advice_rests_on_real_evidence(town_frames: Frames) -> None:
    cf = CaseFrames.from_tables()
    day = reference_day(town_frames, cf)
    advice = advise(town_frames, cf, LADDER)
    assert sorted(a.case_id for a in advice) == sorted(_open_cases(town_frames, day)["case_id"])
    cases = town_frames.cases.set_index("case_id")
    n_new = 0
    for a in advice:
        based_on = set(town_frames.case_links.query("case_id == @a.case_id and kind == 'signal'")["ref_id"])
        rel = _related(town_frames, a.case_id, day)
        hits = {e["rule"]: e for e in a.evidence}
        new = rel[(rel["reported_at"] > cases.at[a.case_id, "opened_at"]) & ~rel["signal_id"].isin(based_on)]
        if "new_signals" in hits:
            n_new += 1
            assert sorted(hits["new_signals"]["signal_ids"]) == sorted(new["signal_id"])
        else:
            assert len(new) < LADDER.rules["new_signals_min"]
        domains = set(rel["domain"].dropna()) | {cases.at[a.case_id, "domain"]}
        domains -= set(LADDER.rules["ignore_domains"])
        if "several_domains" in hits:
            assert set(hits["several_domains"]["domains"]) == domains
        else:
            assert len(domains) < LADDER.rules["several_domains_min"]
        assert a.direction in ("opschalen", "afschalen", "handhaven")
        assert (a.to_phase is None) == (a.direction == "handhaven")
    # planted hotspot cases open after the 4th signal of a recurring address: new signals follow
    assert n_new >= 1


def test_town_with_real_hotspots_and_indicators(town_frames: Frames) -> None:
    hotspots, notes_h = compute_hotspots(town_frames)
    flags, notes_f = compute_flags(town_frames)
    assert notes_h == [] and notes_f == [] and hotspots and flags
    cf = CaseFrames.from_tables()
    advice = advise(town_frames, cf, LADDER, hotspots=hotspots, flags=flags)
    links = town_frames.case_links
    buurt_of = town_frames.addresses.set_index("address_id")["buurt_code"]
    address_hotspots = {h["key"] for h in hotspots if h["level"] == "address"}
    flagged = {(f["subject_type"], f["subject_id"]) for f in flags}
    for a in advice:
        addrs = set(links.query("case_id == @a.case_id and kind == 'address'")["ref_id"])
        persons = set(links.query("case_id == @a.case_id and kind == 'person'")["ref_id"])
        hits = {e["rule"]: e for e in a.evidence}
        # every case on a recurring address is told so
        if addrs & address_hotspots:
            assert "hotspot" in hits or "fenomeen_hotspot" in hits
        for rule in ("hotspot", "fenomeen_hotspot"):
            for h in hits.get(rule, {}).get("hotspots", []):
                if h["level"] == "buurt":
                    based = links.query("case_id == @a.case_id and kind == 'signal'")["ref_id"]
                    buurten = {buurt_of.get(x) for x in addrs} | set(
                        town_frames.signals.loc[town_frames.signals["signal_id"].isin(based), "buurt_code"])
                    assert h["key"] in buurten
                assert h["fenomeen_advice"] == (rule == "fenomeen_hotspot")
        expected = {("person", p) for p in persons} | {("address", x) for x in addrs}
        got = {(f["subject_type"], f["subject_id"]) for f in hits.get("indicator_flags", {}).get("flags", [])}
        assert got == expected & flagged
    # the planted rings are cases on flagged addresses: at least one case carries indicator evidence
    assert any("indicator_flags" in {e["rule"] for e in a.evidence} for a in advice)


@pytest.fixture
def town_copy(town_store_path: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "store"
    shutil.copytree(town_store_path, dest)
    return dest


def _cli(store: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--store", str(store)])
    return result.exit_code, result.output


def test_town_cli_cases_and_agenda(town_copy: Path, town_frames: Frames) -> None:
    day = town_frames.reference_date
    code, out = _cli(town_copy, "cases", "list", "--format", "json")
    assert code == 0, out
    listed = json.loads(out)
    assert sorted(r["case_id"] for r in listed) == sorted(
        town_frames.cases.loc[town_frames.cases["closed_at"].isna(), "case_id"])
    case = next(r for r in listed if r["phase"] in ("1", "2"))
    cid = case["case_id"]
    partner = town_frames.case_links.query("case_id == @cid and kind == 'partner'")["ref_id"].iloc[0]
    due = (day - pd.Timedelta(days=20)).date().isoformat()
    code, out = _cli(town_copy, "cases", "agree", cid, "--what", "huisbezoek", "--owner", partner, "--due", due,
                     "--date", (day - pd.Timedelta(days=40)).date().isoformat(), "--format", "json")
    assert code == 0, out
    agreement = json.loads(out)["agreement_id"]

    code, out = _cli(town_copy, "cases", "advise", cid, "--zonder-analyses", "--format", "json")
    assert code == 0, out
    adv = json.loads(out)["advice"][0]
    stag = next(e for e in adv["evidence"] if e["rule"] == "stagnation")
    assert stag["agreements"][0]["agreement_id"] == agreement and stag["agreements"][0]["days_overdue"] == 20
    assert adv["direction"] == "opschalen" and "stagnatie" in {c["id"] for c in adv["criteria_met"]}

    code, out = _cli(town_copy, "agenda", "--overleg", "gio", "--zonder-analyses", "--format", "json")
    assert code == 0, out
    ag = json.loads(out)
    assert ag["date"] == day.date().isoformat()
    assert [a["agreement_id"] for a in ag["overdue_agreements"]] == [agreement]
    assert cid in {c["case_id"] for c in ag["cases"]}
    sig = town_frames.signals
    window = sig[(sig["reported_at"] >= day - pd.Timedelta(days=41)) & (sig["reported_at"] < day + pd.Timedelta(days=1))
                 & sig["domain"].isin(LADDER.overleg("gio").domains)]
    assert ag["new_signals"]["total"] == len(window) > 0
    assert sum(b["count"] for b in ag["new_signals"]["by_buurt"]) == len(window)
    assert all(re.match(r"^BU\d{8}$", b["buurt_code"]) for b in ag["new_signals"]["by_buurt"] if b["buurt_code"])

    code, out = _cli(town_copy, "cases", "escalate", cid, "--to", str(int(case["phase"]) + 1), "--by",
                     "procesregisseur", "--reason", "stagnatie", "--criterium", "stagnatie")
    assert code == 0, out
    code, out = _cli(town_copy, "cases", "show", cid, "--format", "json")
    assert json.loads(out)["timeline"][-1]["reason"] == "stagnatie"


def test_town_agenda_html_with_analyses(town_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "agenda.html"
    code, out = _cli(town_copy, "agenda", "--overleg", "twee-wekelijks", "--format", "html", "--output", str(target))
    assert code == 0, out
    html = target.read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "Terugkerende hotspots" in html
    assert not re.search(r"https?://|<script|<link|src=", html)
    code, out = _cli(town_copy, "agenda", "--overleg", "politie", "--format", "json")
    ag = json.loads(out)
    assert ag["notes"] == [] and ag["hotspots"]
    assert all(h["domain"] in (None, *ag["domains"]) for h in ag["hotspots"])
    assert {"level", "key", "fenomeen_advice", "rank"} <= set(ag["hotspots"][0])


def test_build_agenda_on_town_frames(town_frames: Frames) -> None:
    cf = CaseFrames.from_tables()
    ag = build_agenda(town_frames, cf, LADDER, "twee-wekelijks").to_dict()
    assert ag["interval_days"] == 14 and ag["overdue_agreements"] == []
    json.dumps(ag, allow_nan=False)
