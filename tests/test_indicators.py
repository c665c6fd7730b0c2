"""Indicator library on small hand-checkable frames: known values, thresholds, confounders, evidence."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from netwerk.frames import Frames
from netwerk.indicators import IndicatorConfig, evidence_hash, rank_flags, rank_subjects, run_indicators
from netwerk.indicators.data import max_concurrent

REF = "2025-06-30"


def _frames(addresses, persons, regs, businesses=(), roles=(), signals=(), signal_persons=()):  # type: ignore[no-untyped-def]
    sig = list(signals) or [{"signal_id": "s0", "reported_at": REF, "category": "Overig", "domain": "overig"}]
    return Frames.from_tables({
        "addresses": pd.DataFrame(addresses),
        "persons": pd.DataFrame(persons, columns=["person_id", "birth_year"]),
        "registrations": pd.DataFrame(regs, columns=["person_id", "address_id", "start_date", "end_date"]),
        "businesses": pd.DataFrame(list(businesses), columns=["business_id", "name", "sbi_code", "sector", "address_id",
                                                              "registered_at"]),
        "business_persons": pd.DataFrame(list(roles), columns=["business_id", "person_id", "role", "start_date",
                                                               "end_date"]),
        "signals": pd.DataFrame(sig),
        "signal_persons": pd.DataFrame(list(signal_persons), columns=["signal_id", "person_id", "role"]),
    })


def _adults(prefix: str, n: int, year: int = 1990) -> list[tuple[str, int]]:
    return [(f"{prefix}{i}", year) for i in range(n)]


def _flags(frames: Frames, name: str, **kw):  # type: ignore[no-untyped-def]
    return {f.subject_id: f for f in run_indicators(frames, **kw) if f.indicator == name}


def test_max_concurrent_half_open_sweep() -> None:
    regs = pd.DataFrame({
        "address_id": ["a", "a", "a", "b"],
        "start_date": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-03-01", "2025-02-01"]),
        "end_date": pd.to_datetime([None, "2025-03-01", None, "2025-02-10"]),
    })
    out = max_concurrent(regs, pd.Timestamp("2024-07-01"), pd.Timestamp("2025-06-30")).set_index("address_id")
    # a: two from January; on 1 March one ends as another starts (half-open) -> still 2
    assert out.loc["a", "max_concurrent"] == 2
    assert out.loc["a", "peak_date"] == pd.Timestamp("2025-01-01")
    assert out.loc["b", "max_concurrent"] == 1


def test_overcrowding_counts_adults_only_and_respects_floor_area() -> None:
    family = [(f"k{i}", 2015) for i in range(6)] + _adults("ouder", 2)
    frames = _frames(
        addresses=[
            {"address_id": "crowded", "purpose": "woonfunctie", "floor_area_m2": 60.0},
            {"address_id": "family", "purpose": "woonfunctie", "floor_area_m2": 60.0},
            {"address_id": "students", "purpose": "woonfunctie", "floor_area_m2": 160.0},
            {"address_id": "logies_ok", "purpose": "logiesfunctie", "floor_area_m2": 400.0},
            {"address_id": "logies_full", "purpose": "logiesfunctie", "floor_area_m2": 80.0},
        ],
        persons=_adults("w", 6) + family + _adults("st", 6, 2003) + _adults("l", 20) + _adults("m", 10),
        regs=[(f"w{i}", "crowded", "2025-01-01", None) for i in range(6)]
        + [(p, "family", "2020-01-01", None) for p, _ in family]
        + [(f"st{i}", "students", "2024-09-01", None) for i in range(6)]
        + [(f"l{i}", "logies_ok", "2025-01-01", None) for i in range(20)]
        + [(f"m{i}", "logies_full", "2025-01-01", None) for i in range(10)],
    )
    flags = _flags(frames, "overcrowding")
    assert set(flags) == {"crowded", "logies_full"}
    f = flags["crowded"]
    assert f.value == 6 and f.threshold == 5 and f.barrier == "huisvesting"
    # 10 m2 per adult against 15: strength 0.5 + (1 - 10/15) = 0.8333
    assert_allclose(f.strength, 0.5 + (1 - 10 / 15), rtol=1e-9)
    assert f.evidence.persons == tuple(sorted(f"w{i}" for i in range(6)))
    assert {r["address_id"] for r in f.evidence.registrations} == {"crowded"}
    assert flags["logies_full"].threshold == 8


def test_turnover_window_short_stays_and_seasonal_work() -> None:
    short = [(f"t{i}", "hot", f"2025-0{i + 1}-01", f"2025-0{i + 1}-20") for i in range(5)]
    old = [(f"o{i}", "old", f"2023-0{i + 1}-01", f"2023-0{i + 1}-20") for i in range(5)]
    seasonal = [(f"s{i}", "farm", f"2025-0{i + 1}-01", f"2025-0{i + 1}-25") for i in range(5)]
    frames = _frames(
        addresses=[{"address_id": a, "purpose": p, "floor_area_m2": 500.0}
                   for a, p in (("hot", "woonfunctie"), ("old", "woonfunctie"), ("farm", "logiesfunctie"))],
        persons=_adults("t", 5) + _adults("o", 5) + _adults("s", 5),
        regs=short + old + seasonal,
        businesses=[("b1", "Kwekerij", "01.13", "teelt", None, "2010-01-01")],
        roles=[("b1", f"s{i}", "werknemer", f"2025-0{i + 1}-01", None) for i in range(5)],
    )
    flags = _flags(frames, "turnover")
    assert set(flags) == {"hot"}
    assert flags["hot"].value == 5
    assert len(flags["hot"].evidence.registrations) == 5
    # an explicit earlier period brings the old address in
    assert "old" in _flags(frames, "turnover", since="2023-01-01", until="2023-12-31")


def _labour_frames(sbi: str, n_housed: int = 6) -> Frames:
    return _frames(
        addresses=[{"address_id": "house", "purpose": "woonfunctie", "floor_area_m2": 200.0},
                   {"address_id": "shop", "purpose": "winkelfunctie", "floor_area_m2": 100.0}],
        persons=[*_adults("w", n_housed), ("boss", 1975)],
        regs=[(f"w{i}", "house", "2025-01-01", None) for i in range(n_housed)]
        + [("boss", "house", "2024-12-01", None)],
        businesses=[("b1", "Salon", sbi, "sector", "shop", "2020-01-01")],
        roles=[("b1", "boss", "eigenaar", "2020-01-01", None)],
    )


def test_labour_dependency_risk_sector_threshold() -> None:
    flags = _flags(_labour_frames("96.02"), "labour_dependency")
    assert set(flags) == {"b1"}
    f = flags["b1"]
    assert f.value == 6 and f.threshold == 5  # the owner is not counted
    assert "boss" not in f.evidence.persons and f.evidence.addresses == ("house",)
    assert _flags(_labour_frames("62.01"), "labour_dependency") == {}  # not a risk sector: threshold 10
    custom = IndicatorConfig(risk_sectors={"62.01": "ICT"})
    assert "b1" in _flags(_labour_frames("62.01"), "labour_dependency", config=custom)


def test_straw_men_counts_changes_after_founding() -> None:
    frames = _frames(
        addresses=[{"address_id": "shop", "purpose": "winkelfunctie", "floor_area_m2": 100.0}],
        persons=_adults("p", 4),
        regs=[],
        businesses=[("b1", "Nagels", "96.02", "x", "shop", "2023-01-01"),
                    ("b2", "Bakker", "10.71", "x", "shop", "2023-01-01")],
        roles=[("b1", "p0", "eigenaar", "2023-01-01", "2024-09-01"), ("b1", "p1", "eigenaar", "2024-09-01", None),
               ("b1", "p2", "bestuurder", "2025-02-01", None), ("b2", "p3", "eigenaar", "2023-01-01", None)],
    )
    flags = _flags(frames, "straw_men")
    assert set(flags) == {"b1"}
    assert flags["b1"].value == 2
    assert {r["person_id"] for r in flags["b1"].evidence.roles} == {"p0", "p1", "p2"}


def test_facilitator_behind_straw_men_and_not_workers() -> None:
    frames = _frames(
        addresses=[{"address_id": f"h{i}", "purpose": "woonfunctie", "floor_area_m2": 50.0} for i in range(2)]
        + [{"address_id": "shop", "purpose": "winkelfunctie", "floor_area_m2": 100.0}],
        persons=[*_adults("w", 12), ("fac", 1975)],
        regs=[(f"w{i}", f"h{i % 2}", "2025-01-01", None) for i in range(12)]
        + [("w0", "h1", "2024-10-01", "2024-12-31"), ("fac", "h0", "2025-03-01", "2025-03-20")],
        businesses=[("b1", "Nagels", "96.02", "x", "h1", "2023-01-01")],
        roles=[("b1", "fac", "bestuurder", "2023-01-01", None), ("b1", "w1", "eigenaar", "2024-09-01", "2025-01-01"),
               ("b1", "w3", "eigenaar", "2025-01-01", None)],
    )
    flags = run_indicators(frames)
    fac = {f.subject_id: f for f in flags if f.indicator == "facilitator"}
    assert set(fac) == {"fac"}  # w0 lived at both houses but has no business link; w1/w3 are straw men
    assert fac["fac"].evidence.businesses == ("b1",) and fac["fac"].evidence.addresses == ("h0", "h1")


def test_signal_cluster_around_residents() -> None:
    frames = _frames(
        addresses=[{"address_id": "a", "purpose": "woonfunctie", "floor_area_m2": 100.0},
                   {"address_id": "b", "purpose": "woonfunctie", "floor_area_m2": 100.0}],
        persons=_adults("p", 2),
        regs=[("p0", "a", "2024-01-01", None), ("p1", "b", "2024-01-01", None)],
        signals=[
            {"signal_id": "s1", "reported_at": "2025-01-01", "subcategory": "Meld Misdaad Anoniem", "address_id": "a"},
            {"signal_id": "s2", "reported_at": "2025-03-01", "subcategory": "hennepteelt", "address_id": "b"},
            {"signal_id": "s3", "reported_at": REF, "subcategory": "Drugshandel", "domain": "ondermijning"},
            {"signal_id": "s4", "reported_at": REF, "subcategory": "Geluid", "address_id": "b"},
        ],
        signal_persons=[("s3", "p0", "verdachte"), ("s2", "p0", "melder")],
    )
    flags = {(f.subject_type, f.subject_id): f for f in run_indicators(frames) if f.indicator == "signal_cluster"}
    assert set(flags) == {("address", "a")}  # s1 at a, s3 involves its resident; the melder does not count
    assert flags[("address", "a")].evidence.signals == ("s1", "s3")


def test_ranking_is_weighted_sum_with_evidence_and_dismissal() -> None:
    frames = _labour_frames("96.02", n_housed=8)
    ranked = rank_subjects(frames, "business")
    assert [d["subject_id"] for d in ranked] == ["b1"]
    d = ranked[0]
    cfg = IndicatorConfig()
    assert d["score"] == pytest.approx(sum(cfg.weight(i["name"]) * i["strength"] for i in d["indicators"]))
    assert set(d) >= {"subject_type", "subject_id", "score", "indicators", "evidence", "review_status"}
    for i in d["indicators"]:
        assert set(i) >= {"name", "barrier", "value", "threshold", "evidence"}
    assert "geen oordeel" in d["explanation"]
    json.dumps(ranked)
    reviews = pd.DataFrame([{"subject_type": "business", "subject_id": "b1", "status": "afgewezen",
                             "evidence_hash": d["evidence_hash"]}])
    assert rank_subjects(frames, "business", reviews=reviews) == []
    stale = reviews.assign(evidence_hash="anders")
    again = rank_subjects(frames, "business", reviews=stale)
    assert again[0]["review_status"] == "nieuw" and again[0]["review_reopened"]
    assert d["evidence_hash"] == evidence_hash(
        [i for f in run_indicators(frames) if f.subject_id == "b1" for i in f.evidence.ids()]
    )


def test_bad_input_fails_at_the_door() -> None:
    frames = _labour_frames("96.02")
    with pytest.raises(ValueError, match="onbekende indicator"):
        run_indicators(frames, indicators=["bestaat_niet"])
    with pytest.raises(ValueError, match="negatief"):
        IndicatorConfig(min_adults=-1)
    with pytest.raises(ValueError, match="onbekende indicator"):
        IndicatorConfig(weights={"bestaat_niet": 1.0})
    with pytest.raises(ValueError, match="onbekend onderwerp"):
        rank_flags([], "auto")
    with pytest.raises(ValueError, match="onbekende indicatorinstelling"):
        IndicatorConfig.from_mapping({"bestaat_niet": 1})
