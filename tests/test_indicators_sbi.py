"""SBI codes as the KvK writes them: normalised before every comparison, unreadable codes reported."""

from __future__ import annotations

import pandas as pd
import pytest
from test_indicators import _adults, _flags, _frames, _labour_frames

from netwerk.indicators import IndicatorConfig, run_indicators
from netwerk.indicators.sbi import normalise_sbi, sbi_matches, unparseable_sbi


@pytest.mark.parametrize(("raw", "want"), [
    ("9602", "9602"), ("96021", "96021"), ("96.02", "9602"), ("96.02.1", "96021"), (" 96 02 1 ", "96021"),
    ("0113", "0113"), ("01.13", "0113"), (9602, "9602"), (96021.0, "96021"), ("9602.0", "9602"),
    ("96-02", "9602"), (None, None), ("", None), ("onbekend", None), ("9", None), ("96.02a", None),
    (float("nan"), None),
])
def test_normalise_sbi_notations(raw, want) -> None:  # type: ignore[no-untyped-def]
    assert normalise_sbi(raw) == want


def test_risk_sector_matches_every_notation_both_ways() -> None:
    cfg = IndicatorConfig()
    for code in ("9602", "96021", "96.02", "96.02.1", "4520", "45.20.1", "0113"):
        assert cfg.is_risk_sector(code), code
    for code in ("9603", "62.01", "960", "96", "x", None):
        assert not cfg.is_risk_sector(code), code
    # a configuration written without dots matches dotted data as well
    assert sbi_matches("62.01.2", ["6201"]) and not sbi_matches("62.02", ["6201"])
    with pytest.raises(ValueError, match="onleesbare SBI-code"):
        IndicatorConfig(risk_sectors={"kapper": "x"})


def _two_salons(codes: tuple[str, str]):  # type: ignore[no-untyped-def]
    """A boss behind two businesses, each housing six of its workers in a house of its own."""
    return _frames(
        addresses=[{"address_id": f"h{i}", "purpose": "woonfunctie", "floor_area_m2": 300.0} for i in range(2)]
        + [{"address_id": f"shop{i}", "purpose": "winkelfunctie", "floor_area_m2": 100.0} for i in range(2)],
        persons=[*_adults("w", 12), ("boss", 1975)],
        regs=[(f"w{i}", f"h{i // 6}", "2025-01-01", None) for i in range(12)]
        + [("boss", "h0", "2024-12-01", None), ("boss", "h1", "2024-12-01", None)],
        businesses=[("b0", "Salon", codes[0], "x", "shop0", "2020-01-01"),
                    ("b1", "Wasstraat", codes[1], "x", "shop1", "2020-01-01")],
        roles=[("b0", "boss", "eigenaar", "2020-01-01", None), ("b1", "boss", "eigenaar", "2020-01-01", None)],
    )


@pytest.mark.parametrize("codes", [("9602", "4520"), ("96021", "45201"), ("96.02.1", "45.20")])
def test_labour_dependency_and_facilitator_with_kvk_codes(codes) -> None:  # type: ignore[no-untyped-def]
    frames = _two_salons(codes)
    labour = _flags(frames, "labour_dependency")
    assert set(labour) == {"b0", "b1"}
    assert all(f.threshold == 5 and "risicosector" in f.reason for f in labour.values())
    fac = {f.subject_id: f for f in run_indicators(frames) if f.indicator == "facilitator"}
    assert set(fac) == {"boss"}
    assert set(fac["boss"].evidence.businesses) == {"b0", "b1"}


def test_not_a_risk_sector_needs_the_higher_threshold() -> None:
    assert set(_flags(_labour_frames("96021"), "labour_dependency")) == {"b1"}  # six dependants, risk sector
    assert _flags(_labour_frames("6201"), "labour_dependency") == {}  # six dependants, threshold 10


def test_unparseable_codes_are_reported() -> None:
    biz = pd.DataFrame({"business_id": ["a", "b", "c", "d"], "sbi_code": ["9602", "kapsalon", None, "9"]})
    bad = unparseable_sbi(biz)
    assert bad.to_dict("list") == {"business_id": ["b", "d"], "sbi_code": ["kapsalon", "9"]}


def test_cli_reports_unreadable_codes(embedded_store) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from netwerk.cli import app

    embedded_store.upsert_nodes("Business", [{"business_id": "b1", "name": "Salon", "sbi_code": "96021"},
                                             {"business_id": "b2", "name": "Winkel", "sbi_code": "kapper"}])
    embedded_store.upsert_nodes("Signal", [{"signal_id": "s1", "reported_at": "2025-06-01T10:00:00",
                                            "category": "Overlast"}])
    path = str(embedded_store.path)
    embedded_store.close()
    res = CliRunner().invoke(app, ["indicators", "--store", path, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "1 onderneming(en) met een onleesbare SBI-code" in " ".join(res.stderr.split()) and "'kapper'" in res.stderr
