"""Agendas for the overleggen: windows, contents, JSON ids, Markdown and self-contained HTML."""

from __future__ import annotations

import dataclasses
import json
import re

import pandas as pd
import pytest
from test_cases_advice import AS_OF, FLAGS, HOTSPOTS, hand_made

from netwerk.cases import build_agenda, load_ladder, render

LADDER = load_ladder("almelo")


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return hand_made()


def test_window_is_since_previous_overleg(data) -> None:
    frames, cf = data
    # politie: 56 days before 2025-06-30 = 2025-05-05 (exclusive) .. 2025-06-30 (inclusive), its domains only
    ag = build_agenda(frames, cf, LADDER, "politie", date=AS_OF).to_dict()
    assert (ag["since"], ag["date"], ag["interval_days"]) == ("2025-05-05", "2025-06-30", 56)
    assert ag["new_signals"]["signal_ids"] == []  # s20/s21 (openbare_orde) lie before 2025-05-05
    ag = build_agenda(frames, cf, LADDER, "politie", date=AS_OF, interval_days=60).to_dict()
    assert ag["new_signals"]["signal_ids"] == ["s21"]  # since 2025-05-01 exclusive: s20 (05-01) not, s21 yes
    ag = build_agenda(frames, cf, LADDER, "politie", date=AS_OF, since="2025-04-30").to_dict()
    assert ag["new_signals"]["signal_ids"] == ["s20", "s21"]
    # gio: every domain but overig
    gio = build_agenda(frames, cf, LADDER, "gio", date="2025-06-01").to_dict()
    expected = frames.signals[(frames.signals["reported_at"] > "2025-04-20 23:59:59")
                              & (frames.signals["reported_at"] < "2025-06-02")
                              & frames.signals["domain"].isin(LADDER.overleg("gio").domains)]
    assert gio["new_signals"]["signal_ids"] == sorted(expected["signal_id"])
    assert gio["new_signals"]["total"] == len(expected) > 0


def test_domain_filter(data) -> None:
    frames, cf = data
    politie = build_agenda(frames, cf, LADDER, "politie", date=AS_OF, since="2025-01-01").to_dict()
    assert "s04" not in politie["new_signals"]["signal_ids"]  # zorg is not a politie domain
    assert set(politie["new_signals"]["signal_ids"]) == {"s20", "s21"}
    # only cases in openbare orde, jeugd or without a domain
    assert all(c["case_id"] in {"c_vp", "c_unrest", "c_dom"} for c in politie["cases"])


def test_contents(data) -> None:
    frames, cf = data
    ag = build_agenda(frames, cf, LADDER, "gio", date=AS_OF, since="2025-01-01", hotspots=HOTSPOTS, flags=FLAGS,
                      top_hotspots=1).to_dict()
    by_case = {c["case_id"]: c for c in ag["cases"]}
    assert by_case["c_stag"]["direction"] == "opschalen" and by_case["c_quiet4"]["direction"] == "afschalen"
    assert "c_quiet3" not in by_case  # advice 'handhaven' needs no decision
    # scale-up decisions first
    dirs = [c["direction"] for c in ag["cases"]]
    assert dirs == sorted(dirs, key=lambda d: d != "opschalen")
    assert [(a["case_id"], a["agreement_id"], a["days_overdue"]) for a in ag["overdue_agreements"]] == [
        ("c_ready", "c_ready-A001", 121), ("c_stag", "c_stag-A001", 60), ("c_stag", "c_stag-A002", 15)]
    assert ag["overdue_agreements"][0]["owner_name"] == "Wijkteam"
    # top 1 hotspot plus every other hotspot with fenomeen advice
    assert [(h["key"], h["fenomeen_advice"]) for h in ag["hotspots"]] == [("BU04", True), ("BU99", True)]
    assert ag["hotspots"][0]["buurt_code"] == "BU04"
    # c_new's signals s03, s04, s05 are new at its address / person
    at = {(a["case_id"], a["signal_id"]) for a in ag["new_signals"]["at_cases"]}
    assert {("c_new", "s03"), ("c_new", "s04")} <= at and ("c_new", "s05") not in at  # s05 is 'overig'
    buurten = {b["buurt_code"]: b for b in ag["new_signals"]["by_buurt"]}
    assert buurten["BU01"]["address_ids"] == ["a1", "a3"]


def test_flags_only_with_new_signals(data) -> None:
    frames, cf = data
    flags = [*FLAGS, {"subject_type": "address", "subject_id": "a6", "score": 1.0, "indicators": ["turnover"]}]
    ag = build_agenda(frames, cf, LADDER, "twee-wekelijks", date=AS_OF, since="2025-05-15", flags=flags).to_dict()
    assert ag["indicator_flags"] == [
        {"subject_type": "address", "subject_id": "a6", "score": 1.0, "indicators": ["turnover"],
         "signal_ids": ["s42"]}]


def test_errors(data) -> None:
    frames, cf = data
    with pytest.raises(ValueError, match="onbekend overleg"):
        build_agenda(frames, cf, LADDER, "wekelijks")
    with pytest.raises(ValueError, match="vorig overleg"):
        build_agenda(frames, cf, LADDER, "gio", date=AS_OF, since=AS_OF)
    with pytest.raises(ValueError, match="positief"):
        build_agenda(frames, cf, LADDER, "gio", interval_days=0)
    with pytest.raises(ValueError, match="onbekend formaat"):
        render(build_agenda(frames, cf, LADDER, "gio"), "pdf")


def test_renderings(data) -> None:
    frames, cf = data
    agenda = build_agenda(frames, cf, LADDER, "gio", date=AS_OF, since="2025-01-01", hotspots=HOTSPOTS, flags=FLAGS)
    d = json.loads(render(agenda, "json"))
    assert d == json.loads(json.dumps(agenda.to_dict()))
    md = render(agenda, "md")
    assert md.startswith("# Agenda Groot Integraal Overleg – 2025-06-30")
    for section in ("Nieuwe meldingen per buurt", "Casussen voor besluit", "Verlopen afspraken",
                    "Terugkerende hotspots", "Nieuwe indicatorsignalen"):
        assert section in md
    assert "c_stag-A001" in md and "ja – fenomeenaanpak" in md
    html = render(agenda, "html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    assert not re.search(r"https?://|<script|<link|@import|src=", html)  # self-contained
    assert "Verlopen afspraken" in html and 'class="fen"' in html


def test_html_escapes(data) -> None:
    frames, cf = data
    cases = frames.cases.copy()
    cases.loc[cases["case_id"] == "c_stag", "title"] = "<b>Overlast & zo</b>"
    frames2 = type(frames)(**{**frames.__dict__, "cases": cases})
    html = render(build_agenda(frames2, cf, LADDER, "gio", date=AS_OF), "html")
    assert "<b>Overlast" not in html and "&lt;b&gt;Overlast &amp; zo" in html


def test_default_date_is_latest_in_data(data) -> None:
    frames, cf = data
    ag = build_agenda(frames, cf, LADDER, "twee-wekelijks").to_dict()
    assert ag["date"] == pd.Timestamp("2025-07-15").date().isoformat()


def test_unknown_domain_reaches_every_overleg(data) -> None:  # type: ignore[no-untyped-def]
    frames, cf = data
    sig = frames.signals.copy()
    extra = sig[sig["signal_id"] == "s04"].assign(signal_id="s99", domain="onbekend", category="Burengerucht")
    frames = dataclasses.replace(frames, signals=pd.concat([sig, extra], ignore_index=True))
    politie = build_agenda(frames, cf, LADDER, "politie", date=AS_OF, since="2025-01-01").to_dict()
    assert set(politie["new_signals"]["signal_ids"]) == {"s20", "s21", "s99"}  # zorg s04 stays out
