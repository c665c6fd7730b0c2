"""Both backends project the same municipality into identical frames, so every analysis agrees."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from netwerk.frames import Frames, period
from netwerk.ingest import ingest_folder
from netwerk.store import GraphStore


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_and_embedded_give_identical_frames_and_results(
    town: dict, town_frames: Frames, neo4j_store: GraphStore
) -> None:
    ingest_folder(town["dir"], neo4j_store)
    other = Frames.from_store(neo4j_store)
    for f in fields(Frames):
        a = getattr(town_frames, f.name)
        b = getattr(other, f.name)
        key = list(a.columns[: 2 if f.name in ("registrations", "signal_persons") else 1])
        assert_frame_equal(
            a.sort_values(list(a.columns[:3])).reset_index(drop=True),
            b.sort_values(list(b.columns[:3])).reset_index(drop=True),
            check_dtype=False,
            obj=f"{f.name} (sorted by {key})",
        )
    from netwerk.hotspots import find_hotspots
    from netwerk.indicators import rank_subjects
    from netwerk.youth import analyse_groups

    def dump(x: object) -> str:
        return json.dumps(x, sort_keys=True, default=str)

    since = town["truth"]["start_date"]
    assert dump([h.to_dict() for h in find_hotspots(other, since=since)]) == dump(
        [h.to_dict() for h in find_hotspots(town_frames, since=since)]
    )
    assert dump(rank_subjects(other, "address")) == dump(rank_subjects(town_frames, "address"))
    assert dump(analyse_groups(other)) == dump(analyse_groups(town_frames))


def test_period_is_relative_to_the_latest_date_in_the_data(town_frames: Frames) -> None:
    latest = town_frames.signals["reported_at"].max().normalize()
    start, end = period(town_frames)
    assert end.normalize() == latest and (end.normalize() - start).days == 364
    start, end = period(town_frames, since="2024-01-01", until="2024-03-31")
    assert (start, end.normalize()) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))
    with pytest.raises(ValueError, match="ligt na"):
        period(town_frames, since="2025-01-01", until="2024-01-01")


def test_signals_inherit_area_from_their_address(town_frames: Frames) -> None:
    sig = town_frames.signals
    with_address = sig[sig.address_id.notna()]
    assert with_address.buurt_code.notna().all()
    assert sig.wijk_code.notna().mean() > 0.9


def test_frames_follow_the_one_file_declaration(embedded_store: GraphStore, tmp_path: Path) -> None:
    """The frame columns and the store projection come from ``ingest.schema.FILES``: personal and input-only
    columns never reach an analysis; edge key columns (a signal's address) come back from the store."""
    from netwerk.frames import COLUMNS
    from netwerk.ingest.schema import FILES

    minimal = Path(__file__).resolve().parent.parent / "ingest" / "examples" / "minimal"
    assert COLUMNS["persons"] == ["person_id", "birth_year", "gender"]
    assert {"x", "y"}.isdisjoint(COLUMNS["signals"] + COLUMNS["addresses"])
    assert {"domain", "buurt_bron", "wijk_code", "address_id"} <= set(COLUMNS["signals"])
    ingest_folder(minimal, embedded_store, rejects_path=tmp_path / "r.csv")
    frames = Frames.from_store(embedded_store)
    for name, spec in FILES.items():
        df = getattr(frames, name)
        assert list(df.columns[: len(spec.frame_columns)]) == spec.frame_columns, name
        raw = pd.read_csv(minimal / f"{name}.csv", sep=None, engine="python", dtype=str)
        assert len(df) == len(raw), name
    sig = frames.signals.set_index("signal_id")
    raw = pd.read_csv(minimal / "signals.csv", dtype=str, keep_default_na=False).set_index("signal_id")
    assert sig["address_id"].fillna("").to_dict() == raw["address_id"].to_dict()
    assert set(frames.case_links["kind"]) == {"person", "address", "signal", "partner"} & set(
        pd.read_csv(minimal / "case_links.csv", dtype=str)["kind"])


def test_text_columns_are_objects_whatever_the_string_storage() -> None:
    """Tables with pandas' string dtype (Arrow or Python storage) give the frames the stores give: object text."""
    sig = pd.DataFrame({"signal_id": ["s1", "s2", None], "category": ["Jongerenoverlast", None, "Drugs"],
                        "reported_at": ["2024-05-01", "2024-05-02", "2024-05-03"]}, dtype="str")
    sp = pd.DataFrame({"signal_id": ["s1", "s2"], "person_id": ["p1", "p2"], "role": ["verdachte", "betrokkene"]},
                      dtype=pd.StringDtype("python", na_value=float("nan")))
    frames = Frames.from_tables({"signals": sig, "signal_persons": sp})
    for df in (frames.signals, frames.signal_persons):
        text = [c for c in df.columns if c != "reported_at"]
        assert all(df[c].dtype == object for c in text), df.dtypes
    assert frames.signals["category"].iat[0] == "Jongerenoverlast"
    assert pd.isna(frames.signals["category"].iat[1]) and frames.signal_persons["person_id"].tolist() == ["p1", "p2"]
    assert str(frames.signals["reported_at"].dtype).startswith("datetime64")
    assert sig["category"].dtype != object  # the caller's table is left as it was
