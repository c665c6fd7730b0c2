"""Hotspots on the synthetic municipality: planted hotspots found, burst not, evidence complete; CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from netwerk.cli import app
from netwerk.frames import Frames
from netwerk.hotspots import Hotspot, find_hotspots
from netwerk.hotspots.geo import M_PER_DEG

CONTRACT = {"level", "key", "domain", "category", "n_signals", "n_sources", "first_at", "last_at", "trend", "score",
            "significance", "fenomeen_advice", "reason", "evidence"}


@pytest.fixture(scope="module")
def found(town: dict, town_frames: Frames) -> list[Hotspot]:
    return find_hotspots(town_frames, since=town["truth"]["start_date"])


def _dist_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(np.hypot((lat1 - lat2) * M_PER_DEG, (lon1 - lon2) * M_PER_DEG * np.cos(np.radians(lat2))))


def test_planted_address_hotspots_recall_precision(town: dict, found: list[Hotspot]) -> None:
    planted = {str(h["address_id"]) for h in town["truth"]["address_hotspots"]}
    addr = [h for h in found if h.level == "address"]
    top = {h.key for h in addr[: len(planted)]}
    recall = len(top & planted) / len(planted)
    precision = len(top & planted) / len(top)
    assert recall >= 0.9 and precision >= 0.8, (recall, precision)
    # each found planted hotspot carries all its planted signals as evidence, in its category
    by_key = {(h.key, h.category): h for h in addr}
    for p in town["truth"]["address_hotspots"]:
        h = by_key.get((str(p["address_id"]), p["category"]))
        if h is not None:
            assert {str(s) for s in p["signal_ids"]} <= set(h.evidence)
            assert h.n_sources >= 2


def test_location_hotspots_found_as_clusters(town: dict, found: list[Hotspot]) -> None:
    clusters = [h for h in found if h.level == "cluster"]
    for loc in town["truth"]["location_hotspots"]:
        near = [h for h in clusters if h.lat is not None and h.lon is not None
                and _dist_m(h.lat, h.lon, loc["lat"], loc["lon"]) <= loc["radius_m"]]
        assert near, f"geen cluster bij {loc['name']}"
        best = max(near, key=lambda h: len(set(h.evidence) & {str(s) for s in loc["signal_ids"]}))
        hit = set(best.evidence) & {str(s) for s in loc["signal_ids"]}
        assert len(hit) >= 0.9 * len(loc["signal_ids"])
        assert len(hit) >= 0.8 * best.n_signals  # the cluster is the planted place, not a smear


def test_fenomeen_area_found_at_buurt_level_with_advice(town: dict, found: list[Hotspot]) -> None:
    for fen in town["truth"]["fenomeen_areas"]:
        match = [h for h in found if h.level == "buurt" and h.key == fen["buurt_code"]
                 and h.category == fen["category"]]
        assert match, fen["buurt_code"]
        h = match[0]
        assert h.fenomeen_advice, h.reason
        assert h.trend == "rising"
        assert {str(s) for s in fen["signal_ids"]} <= set(h.evidence)
        assert "Advies: fenomeenaanpak" in h.reason
        # among the top buurt-level hotspots of its category (the planted youth squares are rising too)
        same = [x.key for x in found if x.level == "buurt" and x.category == fen["category"]]
        assert fen["buurt_code"] in same[:3]


def test_burst_is_not_a_top_hotspot(town: dict, found: list[Hotspot]) -> None:
    burst = town["truth"]["burst"]
    ids = {str(s) for s in burst["signal_ids"]}
    k = len(town["truth"]["address_hotspots"])
    top_addr = [h for h in found if h.level == "address"][:k]
    assert str(burst["address_id"]) not in {h.key for h in top_addr}
    for h in found[:20]:
        assert len(ids & set(h.evidence)) <= 0.5 * h.n_signals, h.key


def test_every_hotspot_has_evidence_and_contract_fields(town_frames: Frames, found: list[Hotspot]) -> None:
    assert found
    known = set(town_frames.signals["signal_id"])
    for h in found:
        d = h.to_dict()
        assert set(d) >= CONTRACT
        assert len(d["evidence"]) == d["n_signals"] and set(d["evidence"]) <= known
        assert d["level"] in ("address", "cluster", "buurt") and d["trend"] in ("rising", "stable", "falling")
        assert 0 <= d["score"] <= 10 and 0 <= d["significance"] <= 1
        assert d["score"] == pytest.approx(sum(d["score_parts"].values()), abs=0.01)
        if h.level == "cluster":
            assert d["lat"] is not None and d["lon"] is not None and "addresses" in d
    scores = [h.score for h in found]
    assert scores == sorted(scores, reverse=True)


def test_filters_and_period(town: dict, town_frames: Frames) -> None:
    woon = find_hotspots(town_frames, domain="woon", since=town["truth"]["start_date"])
    assert woon and all(h.domain == "woon" for h in woon)
    cat = find_hotspots(town_frames, category="woonoverlast", since=town["truth"]["start_date"])
    assert cat and all(h.category == "Woonoverlast" for h in cat)
    recent = find_hotspots(town_frames, since="2025-07-01", until="2025-10-31")
    assert recent and len(recent) < len(find_hotspots(town_frames, since=town["truth"]["start_date"]))
    assert min(h.first_at for h in recent) >= pd.Timestamp("2025-07-01")
    assert max(h.last_at for h in recent) < pd.Timestamp("2025-11-01")
    with pytest.raises(ValueError, match="onbekend domein"):
        find_hotspots(town_frames, domain="verkeer")
    with pytest.raises(ValueError, match="periode ongeldig"):
        find_hotspots(town_frames, since="2025-05-01", until="2025-01-01")


def test_cli_json_map_and_fenomeen_flow(town: dict, town_store_path: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(town_store_path, store)
    runner = CliRunner()
    since = town["truth"]["start_date"]
    res = runner.invoke(app, ["hotspots", "--store", str(store), "--format", "json", "--since", since,
                              "--map", str(tmp_path / "k.html"), "--png", str(tmp_path / "k.png"),
                              "--charts", str(tmp_path / "charts"), "--top", "5"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout[: res.stdout.rindex("]") + 1])
    assert len(data) == 5 and all(set(d) >= CONTRACT for d in data)
    assert (tmp_path / "k.png").stat().st_size > 10_000 and len(list((tmp_path / "charts").glob("*.png"))) == 5
    assert "<svg" in (tmp_path / "k.html").read_text()
    fen = town["truth"]["fenomeen_areas"][0]
    res = runner.invoke(app, ["fenomeen", "create", fen["buurt_code"], "--category", fen["category"], "--level",
                              "buurt", "--by", "team integrale veiligheid", "--date", "2025-08-01", "--since", since,
                              "--store", str(store), "--format", "json"])
    assert res.exit_code == 0, res.output
    made = json.loads(res.stdout)
    assert made["fenomeen_advice"] and {str(s) for s in fen["signal_ids"]} <= set(made["signals"])
    res = runner.invoke(app, ["fenomeen", "follow", made["fenomeen_id"], "--store", str(store), "--format", "json",
                              "--png", str(tmp_path / "f.png")])
    assert res.exit_code == 0, res.output
    follow = json.loads(res.stdout)
    assert follow["n_covered"] == len(made["signals"]) and follow["months"][0]["phase"] == "voor"
    assert (tmp_path / "f.png").is_file()
    res = runner.invoke(app, ["hotspots", "--store", str(store), "--domain", "verkeer"])
    assert res.exit_code == 1 and "onbekend domein" in res.output
    res = runner.invoke(app, ["hotspots", "--store", str(store), "--near-repeat", "--format", "json"])
    assert res.exit_code == 0 and "cells" in res.stdout


def test_agenda_shows_the_trend_of_hotspots_on_its_date(town_store_path: Path, tmp_path: Path) -> None:
    """One trend computation: the agenda of a day lists each hotspot with the trend `hotspots --until` gives."""
    store = tmp_path / "store"
    shutil.copytree(town_store_path, store)
    runner = CliRunner()
    day = "2025-09-15"
    res = runner.invoke(app, ["agenda", "--overleg", "gio", "--date", day, "--top", "50", "--format", "json",
                              "--store", str(store)])
    assert res.exit_code == 0, res.output
    on_agenda = {(h["level"], h["key"], h["category"]): h["trend"] for h in json.loads(res.stdout)["hotspots"]}
    res = runner.invoke(app, ["hotspots", "--until", day, "--format", "json", "--store", str(store)])
    assert res.exit_code == 0, res.output
    listed = {(h["level"], h["key"], h["category"]): h["trend"] for h in json.loads(res.stdout)}
    assert on_agenda and set(on_agenda) <= set(listed)
    assert {k: listed[k] for k in on_agenda} == on_agenda
