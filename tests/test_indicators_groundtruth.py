"""Ground truth: the planted trafficking rings of the small synthetic municipality rank on top,
their facilitators among the top persons, the confounders below the rings, every flag with evidence."""

from __future__ import annotations

import json

import pytest
from conftest import pid

from netwerk.indicators import rank_flags, run_indicators


def average_precision(ranked_ids: list[str], positives: set[str]) -> float:
    hits, total = 0, 0.0
    for i, sid in enumerate(ranked_ids, 1):
        if sid in positives:
            hits += 1
            total += hits / i
    return total / len(positives)


@pytest.fixture(scope="module")
def town_flags(town_frames):  # type: ignore[no-untyped-def]
    return run_indicators(town_frames)


def test_ring_addresses_rank_on_top(town, town_flags) -> None:  # type: ignore[no-untyped-def]
    rings = town["truth"]["rings"]
    positives = {a for r in rings for a in r["addresses"]}
    ranked = rank_flags(town_flags, "address")
    assert average_precision([d["subject_id"] for d in ranked], positives) >= 0.8


def test_ring_businesses_rank_on_top(town, town_flags) -> None:  # type: ignore[no-untyped-def]
    positives = {b for r in town["truth"]["rings"] for b in r["businesses"]}
    ranked = rank_flags(town_flags, "business")
    assert average_precision([d["subject_id"] for d in ranked], positives) >= 0.8


def test_facilitators_among_top_persons(town, town_flags) -> None:  # type: ignore[no-untyped-def]
    top = [d["subject_id"] for d in rank_flags(town_flags, "person", top=10)]
    for ring in town["truth"]["rings"]:
        assert pid(ring["facilitator"]) in top, ring["ring_id"]
    straw = {pid(p) for r in town["truth"]["rings"] for p in r["straw_men"]}
    fac = {f.subject_id for f in town_flags if f.indicator == "facilitator"}
    assert not fac & straw  # straw men are not mistaken for the person behind them


def test_confounders_rank_below_rings(town, town_flags) -> None:  # type: ignore[no-untyped-def]
    truth = town["truth"]
    rings = {a for r in truth["rings"] for a in r["addresses"]}
    conf = truth["confounders"]
    confounders = {a for k in ("student_houses", "big_families", "labour_migrant_housing") for a in conf[k]}
    scores = {d["subject_id"]: d["score"] for d in rank_flags(town_flags, "address")}
    lowest_ring = min(scores.get(a, 0.0) for a in rings)
    assert lowest_ring > 0
    for a in confounders:
        assert scores.get(a, 0.0) < lowest_ring, a
    over = {f.subject_id for f in town_flags if f.indicator in ("overcrowding", "turnover")}
    assert not over & confounders


def test_every_flag_has_evidence(town_flags, town_frames) -> None:  # type: ignore[no-untyped-def]
    assert {f.indicator for f in town_flags} >= {
        "overcrowding", "turnover", "labour_dependency", "straw_men", "signal_cluster", "facilitator"
    }
    persons = set(town_frames.persons["person_id"])
    signals = set(town_frames.signals["signal_id"])
    for f in town_flags:
        assert f.evidence.ids(), f
        assert set(f.evidence.persons) <= persons
        assert set(f.evidence.signals) <= signals
        assert 0 < f.strength <= 1 and f.value >= f.threshold and f.reason
    for subject in ("address", "person", "business"):
        json.dumps(rank_flags(town_flags, subject))


def test_same_flags_from_the_columns_indicators_read(town_store_path, town_frames, town_flags) -> None:  # type: ignore[no-untyped-def]
    from netwerk.frames import Frames
    from netwerk.indicators import INDICATOR_COLUMNS, INDICATOR_TABLES
    from netwerk.store.embedded import EmbeddedStore

    with EmbeddedStore(town_store_path) as st:
        got = Frames.from_store(st, tables=INDICATOR_TABLES, columns=INDICATOR_COLUMNS)
    for name, kept in INDICATOR_COLUMNS.items():
        left_out = [c for c in getattr(town_frames, name).columns if c not in kept]
        assert left_out and getattr(got, name)[left_out].isna().all().all()  # not read
    assert got.youth_groups.empty and got.cases.empty
    assert town_flags and run_indicators(got) == town_flags
