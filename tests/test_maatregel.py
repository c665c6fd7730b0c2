"""The effect of measures: a planted drop after a measure is recovered with an interval covering the planted
effect; a measure without effect is reported as such; too few signals say so; both stores and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from netwerk.cli import app
from netwerk.frames import Frames
from netwerk.monitor.measures import TOO_FEW, measure_effect, measure_record, save_measure
from netwerk.monitor.watch import Place
from netwerk.store import GraphStore
from netwerk.store.embedded import EmbeddedStore

runner = CliRunner()
START = pd.Timestamp("2025-01-01")
PLANTED_RR = 0.4
SUB = "Samenscholing bij winkelcentrum"  # a subcategory the generator never produces: only planted signals


def planted_signals(buurten: list[str], seed: int = 11) -> pd.DataFrame:
    """Daily Poisson signals 2023-11-01 … 2025-10-31: the treated buurt drops to 40 % at START, one buurt stays
    level (its own measure without effect), one has almost nothing, the rest are comparison areas."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2023-11-01", "2025-10-31", freq="D")
    treated, flat, tiny, *comparison = buurten
    rate = {treated: 20 / 30.4, flat: 15 / 30.4, tiny: 0.5 / 30.4, **{b: 6 / 30.4 for b in comparison}}
    rows = []
    for b, lam in rate.items():
        for d in days:
            k = rng.poisson(lam * (PLANTED_RR if b == treated and d >= START else 1.0))
            rows += [{"signal_id": f"M-{b}-{d.date()}-{i}", "reported_at": d + pd.Timedelta(hours=14, minutes=i),
                      "category": "Overlast van en door personen of groepen", "subcategory": SUB,
                      "domain": "openbare_orde", "buurt_code": b} for i in range(k)]
    return pd.DataFrame(rows)


def _buurten(frames: Frames) -> list[str]:
    return sorted(frames.signals["buurt_code"].dropna().unique())[:8]


def _measures(frames: Frames, buurten: list[str]) -> dict[str, dict]:
    out = {}
    for name, b in (("camera", buurten[0]), ("toezicht", buurten[1]), ("buurtbemiddeling", buurten[2])):
        out[name] = measure_record(frames, Place("gebied", b, b), kind=name, start=str(START.date()),
                                   category=SUB, created_by="test")
    return out


def test_planted_drop_is_recovered_and_no_effect_is_reported(town_frames: Frames) -> None:
    buurten = _buurten(town_frames)
    sig = pd.concat([town_frames.signals, planted_signals(buurten)], ignore_index=True)
    frames = Frames.from_tables({"signals": sig, "addresses": town_frames.addresses, "areas": town_frames.areas})
    ms = _measures(frames, buurten)
    others = pd.DataFrame(ms.values())

    drop = measure_effect(frames, ms["camera"], other_measures=others)
    assert drop.enough and drop.rate_ratio is not None and drop.ci_low is not None and drop.ci_high is not None
    assert drop.ci_low <= PLANTED_RR <= drop.ci_high and drop.ci_high < 1
    assert drop.verdict.startswith("daling")
    # comparison: the other buurten with signals, never the treated one or one with its own measure
    assert set(drop.comparison_areas) == set(buurten[3:])
    # the windows have equal length and meet at the start; the counts are those of the planted signals
    assert drop.after == ("2025-01-01", "2025-10-31") and drop.before[1] == "2024-12-31"
    planted = sig[sig["subcategory"] == SUB]
    ts = planted["reported_at"]
    in_before = (ts >= pd.Timestamp(drop.before[0])) & (ts < START)
    assert drop.treated_before == int((in_before & (planted["buurt_code"] == buurten[0])).sum())
    assert drop.comparison_after == int(((ts >= START) & planted["buurt_code"].isin(buurten[3:])).sum())

    flat = measure_effect(frames, ms["toezicht"], other_measures=others)
    assert flat.enough and flat.ci_low is not None and flat.ci_high is not None
    assert flat.ci_low < 1 < flat.ci_high and flat.verdict.startswith("geen aantoonbaar effect")

    tiny = measure_effect(frames, ms["buurtbemiddeling"], other_measures=others)
    assert not tiny.enough and tiny.verdict.startswith(TOO_FEW)


def test_measures_persist_on_both_stores(store: GraphStore, town_frames: Frames) -> None:
    buurten = _buurten(town_frames)
    sig = planted_signals(buurten)
    sig["reported_at"] = sig["reported_at"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    store.upsert_nodes("Signal", sig.to_dict("records"))
    frames = Frames.from_store(store)
    ms = _measures(frames, buurten)
    for m in ms.values():
        save_measure(store, m)
        save_measure(store, m)  # idempotent
    stored = store.nodes_df("Measure")
    assert sorted(stored["measure_id"]) == sorted(m["measure_id"] for m in ms.values())
    applies = store.relationships_df("APPLIES_TO")
    assert sorted(applies["end"]) == sorted(buurten[:3])
    node = store.get_node("Measure", ms["camera"]["measure_id"])
    assert node is not None
    result = measure_effect(frames, node, other_measures=stored)
    assert result.ci_low is not None and result.ci_high is not None
    assert result.ci_low <= PLANTED_RR <= result.ci_high


def test_maatregel_cli(town_frames: Frames, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    st = tmp_path / "store"
    monkeypatch.setenv("NETWERK_STORE", str(st))
    buurten = _buurten(town_frames)
    sig = planted_signals(buurten)
    sig["reported_at"] = sig["reported_at"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    with EmbeddedStore(st) as es:
        es.upsert_nodes("Signal", sig.to_dict("records"))

    def cli(*args: str) -> str:
        r = runner.invoke(app, [*args, "--store", str(st)])
        assert r.exit_code == 0, r.output
        return r.output

    added = json.loads(cli("maatregel", "add", "--soort", "camera", "--gebied", buurten[0], "--van", "2025-01-01",
                           "--categorie", SUB, "--format", "json"))
    assert added["measure_id"] == f"MAAT-2025-01-01-camera-{buurten[0].lower()}"
    assert [m["measure_id"] for m in json.loads(cli("maatregel", "list", "--format", "json"))] == [
        added["measure_id"]]
    png = tmp_path / "effect.png"
    out = json.loads(cli("maatregel", "effect", added["measure_id"], "--figuur", str(png), "--format", "json"))
    assert out["ci_low"] <= PLANTED_RR <= out["ci_high"] and out["verdict"].startswith("daling")
    assert png.stat().st_size > 10_000 and png.read_bytes()[:4] == b"\x89PNG"
    assert {"month", "treated", "comparison", "expected"} <= set(out["months"][0])
    # a recorded fenomeenaanpak is a measure too (generalising `fenomeen follow`)
    with EmbeddedStore(st) as es:
        es.upsert_nodes("Area", [{"area_code": buurten[1]}])
        es.upsert_nodes("Fenomeen", [{"fenomeen_id": "FEN-2025-01-01-x", "category": SUB, "created_at": "2025-01-01",
                                      "name": "Samenscholing", "created_by": "team"}])
        es.upsert_relationships("COVERS", [{"start": "FEN-2025-01-01-x", "end": buurten[1]}], "Fenomeen", "Area")
    listed = {m["measure_id"]: m for m in json.loads(cli("maatregel", "list", "--format", "json"))}
    assert listed["FEN-2025-01-01-x"]["kind"] == "fenomeenaanpak"
    fen = json.loads(cli("maatregel", "effect", "FEN-2025-01-01-x", "--format", "json"))
    assert fen["verdict"].startswith("geen aantoonbaar effect") and buurten[0] not in fen["comparison_areas"]
    r = runner.invoke(app, ["maatregel", "add", "--soort", "raket", "--gebied", buurten[0], "--van", "2025-01-01",
                            "--store", str(st)])
    assert r.exit_code == 1 and "onbekende soort" in r.output
    r = runner.invoke(app, ["maatregel", "effect", "MAAT-bestaat-niet", "--store", str(st)])
    assert r.exit_code == 1 and "bestaat niet" in r.output
