"""Nothing vanishes from a hotspot analysis: `onbekend` is analysed and shown, `overig` is left out with a
count and the option that brings it back, `--category` always analyses that category, and 0 results say why."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from netwerk.cli import app
from netwerk.frames import Frames
from netwerk.hotspots import find_hotspots
from netwerk.hotspots.selection import describe_selection, why_none
from netwerk.store.embedded import EmbeddedStore

DAYS = ["2025-01-06", "2025-02-03", "2025-03-10", "2025-04-07", "2025-05-12", "2025-06-09", "2025-07-07",
        "2025-08-04"]


def _signals() -> list[dict]:
    rows = []
    for addr, cat, dom in (("A1", "Burenconflict", None), ("A2", "Afval", "overig"), ("A3", "Woonoverlast", "woon")):
        for i, day in enumerate(DAYS):
            rows.append({"signal_id": f"{addr}-{i}", "reported_at": f"{day}T10:00:00", "category": cat, "domain": dom,
                         "source": f"melder-{i % 3}", "buurt_code": "BU1", "address_id": addr})
    return rows


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    st = EmbeddedStore(tmp_path / "store")
    st.upsert_nodes("Address", [{"address_id": f"A{i}", "buurt_code": "BU1"} for i in range(40)])
    rows = _signals()
    st.upsert_nodes("Signal", [{k: v for k, v in r.items() if k != "address_id" and v is not None} for r in rows])
    st.upsert_relationships("AT", [{"start": r["signal_id"], "end": r["address_id"]} for r in rows])
    st.close()
    return tmp_path / "store"


def _frames() -> Frames:
    return Frames.from_tables({"signals": pd.DataFrame(_signals()),
                               "addresses": pd.DataFrame({"address_id": [f"A{i}" for i in range(40)],
                                                          "buurt_code": "BU1"})})


def test_unknown_domain_included_overig_left_out_and_counted() -> None:
    frames = _frames()
    found = find_hotspots(frames, levels=["address"])
    assert {(h.key, h.domain) for h in found} == {("A1", "onbekend"), ("A3", "woon")}
    sel = describe_selection(frames)
    assert (sel.n_selected, sel.n_unknown_domain, sel.n_excluded) == (16, 8, 8)
    assert sel.to_dict()["excluded"] == [{"domain": "overig", "n_signals": 8, "include_with": "--domain overig",
                                          "reason": sel.excluded[0]["reason"]}]
    assert [h.key for h in find_hotspots(frames, domain="overig", levels=["address"])] == ["A2"]
    assert [h.key for h in find_hotspots(frames, category="afval", levels=["address"])] == ["A2"]
    assert [h.key for h in find_hotspots(frames, domain="onbekend", levels=["address"])] == ["A1"]


def test_why_none_names_the_cause() -> None:
    frames = _frames()
    empty = Frames.from_tables({"signals": pd.DataFrame(columns=["signal_id", "reported_at", "category"])})
    assert "geen meldingen" in why_none(describe_selection(empty))
    late = describe_selection(frames, since="2026-01-01", until="2026-03-01")
    assert "de gegevens lopen van 2025-01-06 t/m 2025-08-04" in why_none(late)
    strict = describe_selection(frames)
    assert "geen plek haalt de drempel" in why_none(strict) and "16 meldingen bekeken" in why_none(strict)


def test_cli_shows_left_out_and_unknown(store_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["hotspots", "--store", str(store_path), "--level", "address"])
    assert res.exit_code == 0, res.output
    assert "8 meldingen in domein 'overig' weggelaten" in res.output and "--domain overig" in res.output
    assert "onbekend" in res.output and "8 meldingen met een onbekende categorie" in res.output
    res = runner.invoke(app, ["hotspots", "--store", str(store_path), "--domein", "overig", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert [(h["key"], h["category"]) for h in json.loads(res.stdout) if h["level"] == "address"] == [("A2", "Afval")]
    res = runner.invoke(app, ["hotspots", "--store", str(store_path), "--format", "json", "--level", "address"])
    assert {h["key"] for h in json.loads(res.stdout)} == {"A1", "A3"}
    assert "weggelaten" in res.stderr


def test_cli_zero_results_says_why(store_path: Path) -> None:
    res = CliRunner().invoke(app, ["hotspots", "--store", str(store_path), "--since", "2026-01-01",
                                   "--until", "2026-02-01"])
    assert res.exit_code == 0, res.output
    assert "Hotspots (0)" in res.output and "Geen meldingen in de periode 2026-01-01 t/m 2026-02-01" in res.output
