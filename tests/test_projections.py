"""Projections that read only what an analysis needs equal the whole projection filtered in pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netwerk.frames import Frames
from netwerk.model import ModelError
from netwerk.store.base import GraphStore

SIGNALS = [  # reported_at as stored: date-times, a bare date, one at midnight and one just before it
    ("S1", "2024-01-31T23:59:59", "woon"),
    ("S2", "2024-02-01T00:00:00", "jeugd"),
    ("S3", "2024-02-15", "woon"),
    ("S4", "2024-02-29T12:00:00", "zorg"),
    ("S5", "2024-03-01T00:00:00", "woon"),
    ("S6", "2025-06-30T08:30:00", "overig"),
    ("S7", None, "woon"),  # undated: in the whole projection, in no period
]


def _fill(store: GraphStore) -> None:
    store.upsert_nodes("Signal", [
        {"signal_id": s, "reported_at": t, "domain": d, "category": "Overlast", "lat": 53.1 + i / 100,
         "description": f"melding {i}"}
        for i, (s, t, d) in enumerate(SIGNALS)])
    store.upsert_nodes("Person", [{"person_id": p, "birth_year": 1990 + i} for i, p in enumerate(["P1", "P2"])])
    store.upsert_relationships("INVOLVES", [
        {"start": "S1", "end": "P1", "role": "melder"}, {"start": "S4", "end": "P2", "role": "verdachte"}])


def _in_pandas(df: pd.DataFrame, since: str | None, until: str | None) -> pd.DataFrame:
    day = df["reported_at"].str.slice(0, 10)
    keep = day.notna()
    if since:
        keep &= day >= since
    if until:
        keep &= day <= until
    return df[keep].reset_index(drop=True)


@pytest.mark.parametrize(("since", "until"), [
    ("2024-02-01", "2024-02-29"), ("2024-02-01", None), (None, "2024-02-15"), ("2024-03-01", "2024-03-01"),
    ("2026-01-01", None),
])
def test_period_projection_equals_the_whole_filtered_in_pandas(
    store: GraphStore, since: str | None, until: str | None
) -> None:
    _fill(store)
    whole = store.nodes_df("Signal")
    assert len(whole) == len(SIGNALS)
    expected = _in_pandas(whole, since, until)
    got = store.nodes_df("Signal", since=since, until=until)
    pd.testing.assert_frame_equal(got, expected)
    if since == "2024-02-01" and until == "2024-02-29":  # the period's edges: midnight in, 23:59:59 before out
        assert list(got["signal_id"]) == ["S2", "S3", "S4"]


def test_column_projection_reads_the_key_and_the_asked_columns(store: GraphStore) -> None:
    _fill(store)
    whole = store.nodes_df("Signal")
    got = store.nodes_df("Signal", columns=["domain", "reported_at"], since="2024-02-01", until="2024-02-29")
    assert list(got.columns) == ["signal_id", "reported_at", "domain"]  # model order, key first
    pd.testing.assert_frame_equal(got, _in_pandas(whole, "2024-02-01", "2024-02-29")[list(got.columns)])
    rels = store.relationships_df("INVOLVES", columns=[])
    assert list(rels.columns) == ["start", "end", "start_label", "end_label"]
    full = store.relationships_df("INVOLVES")
    pd.testing.assert_frame_equal(rels, full[list(rels.columns)])
    assert list(full["role"]) == ["melder", "verdachte"]


def test_projection_refuses_unknown_columns_and_periods_without_time(store: GraphStore) -> None:
    with pytest.raises(ModelError, match="geen eigenschap"):
        store.nodes_df("Signal", columns=["bestaat_niet"])
    with pytest.raises(ModelError, match="geen tijdseigenschap"):
        store.nodes_df("Person", since="2024-01-01")


def test_frames_from_store_with_a_period_and_tables(town_store_path: Path, town_frames: Frames) -> None:
    from netwerk.store.embedded import EmbeddedStore

    since, until = "2025-01-01", "2025-06-30"
    with EmbeddedStore(town_store_path) as st:
        got = Frames.from_store(st, since=since, until=until, tables=["signals", "addresses", "areas"])
    whole = town_frames.signals
    day = whole["reported_at"].dt.normalize()
    expected = whole[(day >= since) & (day <= until)].sort_values("signal_id").reset_index(drop=True)
    assert 0 < len(expected) < len(whole)
    pd.testing.assert_frame_equal(got.signals.sort_values("signal_id").reset_index(drop=True), expected,
                                  check_dtype=False)
    pd.testing.assert_frame_equal(got.addresses, town_frames.addresses)
    pd.testing.assert_frame_equal(got.areas, town_frames.areas)
    assert got.persons.empty and got.signal_persons.empty  # not asked for: not read
    assert list(got.persons.columns) == list(town_frames.persons.columns)


def test_frames_from_store_with_the_columns_hotspots_read(town_store_path: Path, town_frames: Frames) -> None:
    from netwerk.hotspots import HOTSPOT_COLUMNS, HOTSPOT_TABLES, find_hotspots
    from netwerk.store.embedded import EmbeddedStore

    with EmbeddedStore(town_store_path) as st:
        got = Frames.from_store(st, tables=HOTSPOT_TABLES, columns=HOTSPOT_COLUMNS)
        with pytest.raises(ValueError, match=r"onbekende kolom.*signals\.bestaat_niet"):
            Frames.from_store(st, tables=["signals"], columns={"signals": ["bestaat_niet"]})
    for name in ("signals", "addresses"):
        df, whole = getattr(got, name), getattr(town_frames, name)
        assert list(df.columns) == list(whole.columns)  # every column is there ...
        kept = HOTSPOT_COLUMNS[name]
        pd.testing.assert_frame_equal(df[kept], whole[kept], check_dtype=False)  # ... the asked ones read
        left_out = [c for c in whole.columns if c not in kept]
        assert left_out and df[left_out].isna().all().all()  # ... the others not
        assert whole[left_out].notna().any().any()
    found = [h.to_dict() for h in find_hotspots(got)]
    assert found and found == [h.to_dict() for h in find_hotspots(town_frames)]


def test_the_tables_the_group_analysis_reads_give_the_same_groups(town_store_path: Path, town_frames: Frames) -> None:
    from netwerk.store.embedded import EmbeddedStore
    from netwerk.youth import GROUP_TABLES, run_analysis

    with EmbeddedStore(town_store_path) as st:
        got = Frames.from_store(st, tables=GROUP_TABLES)
    assert got.addresses.empty and not town_frames.addresses.empty  # not read ...
    mine, whole = run_analysis(got, seed=1), run_analysis(town_frames, seed=1)
    assert len(mine.detection.groups) >= 2  # ... and the same groups, roles, adult links and hints
    assert mine.detection.groups == whole.detection.groups and mine.groups == whole.groups
    assert mine.roles.equals(whole.roles) and mine.adult_links.equals(whole.adult_links)


def test_reads_at_once_give_the_same_frames_and_audit_the_real_caller(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from netwerk.access import Actor
    from netwerk.audit import acting

    _fill(store)
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(log))
    monkeypatch.setattr(store, "parallel_reads", 1)
    one = Frames.from_store(store, since="2024-02-01")
    log.unlink()
    monkeypatch.setattr(store, "parallel_reads", 4)  # reads in threads, on both stores
    with acting(Actor.of("coordinator", "coordinator_jeugd", "jeugdoverleg", via="token")):
        many = Frames.from_store(store, since="2024-02-01")
    for name in ("signals", "persons", "signal_persons", "addresses"):
        pd.testing.assert_frame_equal(getattr(many, name), getattr(one, name), obj=name)
    assert list(many.signal_persons["signal_id"]) == ["S4"]  # the period's links only
    records = [json.loads(line) for line in log.read_text().splitlines()]
    person_reads = [r for r in records if r.get("label") == "Person" or r.get("label") == "INVOLVES"]
    assert person_reads and {(r["user"], r["role"]) for r in person_reads} == {("coordinator", "coordinator_jeugd")}
