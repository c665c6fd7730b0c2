"""The generated small municipality flows through ingest without loss."""

from __future__ import annotations

import pandas as pd
from conftest import pid

from netwerk.frames import Frames


def test_town_ingests_completely(town: dict, town_frames: Frames) -> None:
    d = town["dir"]
    for name, frame in (("signals", town_frames.signals), ("persons", town_frames.persons),
                        ("addresses", town_frames.addresses)):
        raw = pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False, sep=None, engine="python")
        assert len(frame) == len(raw), name
    persons = pd.read_csv(d / "persons.csv", dtype=str, keep_default_na=False, sep=None, engine="python")
    assert set(town_frames.persons["person_id"]) == {pid(p) for p in persons["person_id"]}
    assert town_frames.signals["domain"].notna().all()
    assert town_frames.signals["wijk_code"].notna().mean() > 0.9
