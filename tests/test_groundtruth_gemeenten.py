"""The ground-truth tests of hotspots, youth groups and indicators on other geographies.

The same test functions that run on the generated Oldambt (``test_hotspots``, ``test_youth``,
``test_indicators_groundtruth``) run here on a generated Almelo written in RD New x/y with BAG house
numbers and on a generated Koggenland in WGS84, each ingested through the normal ingest into an
embedded store. Nothing is copied: the test functions are called with this module's fixtures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import test_hotspots as th
import test_indicators_groundtruth as ti
import test_youth as ty
from conftest import PSEUDONYM_KEY

from netwerk.frames import Frames
from netwerk.generate import generate
from netwerk.hotspots import find_hotspots
from netwerk.indicators import run_indicators
from netwerk.youth import run_analysis

pytestmark = pytest.mark.slow

GEOGRAPHIES = {
    "almelo-rd-bag": {"gemeente": "GM0141", "rd": True, "bag": True},
    "koggenland-wgs84": {"gemeente": "GM1598", "rd": False, "bag": False},
}


@pytest.fixture(scope="module", params=list(GEOGRAPHIES))
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Generated, ingested and framed: ``{"town": {"dir", "truth"}, "frames": Frames}``."""
    from netwerk.ingest import ingest_folder
    from netwerk.store.embedded import EmbeddedStore

    opts = GEOGRAPHIES[request.param]
    out = tmp_path_factory.mktemp(request.param)
    truth = generate(out, seed=7, size="small", **opts)
    mp = pytest.MonkeyPatch()
    mp.setenv("NETWERK_PSEUDONYM_KEY", PSEUDONYM_KEY)
    mp.setenv("NETWERK_AUDIT_LOG", str(tmp_path_factory.mktemp("audit") / "audit.jsonl"))
    store = EmbeddedStore(tmp_path_factory.mktemp("store"))
    try:
        report = ingest_folder(out, store)
        frames = Frames.from_store(store)
    finally:
        store.close()
        mp.undo()
    rejected = {f.file: f.rejected for f in report.files if f.rejected}
    assert not rejected, f"{request.param}: rijen afgewezen bij ingest: {rejected}"
    return {"town": {"dir": out, "truth": truth}, "frames": frames, "name": request.param}


@pytest.fixture(scope="module")
def found(world: dict[str, Any]) -> list[Any]:
    return find_hotspots(world["frames"], since=world["town"]["truth"]["start_date"])


@pytest.fixture(scope="module")
def analysis(world: dict[str, Any]) -> Any:
    return run_analysis(world["frames"])


@pytest.fixture(scope="module")
def flags(world: dict[str, Any]) -> Any:
    return run_indicators(world["frames"])


def test_ingested_geography_is_the_municipalitys(world: dict[str, Any]) -> None:
    code = GEOGRAPHIES[world["name"]]["gemeente"]
    a = world["frames"].addresses
    assert len(a) == world["town"]["truth"]["counts"]["addresses"]
    assert a["buurt_code"].str.startswith("BU" + code[2:]).all()
    assert a["lat"].notna().mean() > 0.99  # RD x/y arrive as lat/lon


def test_bag_house_numbers_parsed_as_planted(world: dict[str, Any]) -> None:
    """Combined BAG house numbers ("15 A", "15a", "15-1", "15A-2", "15 bis") land as number, letter, addition."""
    expected = world["town"]["truth"]["bag_house_numbers"]
    if not GEOGRAPHIES[world["name"]]["bag"]:
        assert expected == []
        return
    a = world["frames"].addresses.set_index("address_id")
    got = [(int(a.at[e["address_id"], "house_number"]), a.at[e["address_id"], "house_letter"] or "",
            a.at[e["address_id"], "house_number_addition"] or "") for e in expected]
    want = [(e["expected"]["house_number"], e["expected"]["house_letter"], e["expected"]["house_number_addition"])
            for e in expected]
    assert len(expected) >= 50 and got == want


HOTSPOT_TESTS: list[Callable[..., None]] = [
    th.test_planted_address_hotspots_recall_precision,
    th.test_location_hotspots_found_as_clusters,
    th.test_fenomeen_area_found_at_buurt_level_with_advice,
    th.test_burst_is_not_a_top_hotspot,
]


@pytest.mark.parametrize("check", HOTSPOT_TESTS, ids=lambda f: f.__name__)
def test_hotspot_ground_truth(world: dict[str, Any], found: list[Any], check: Callable[..., None]) -> None:
    check(world["town"], found)


def test_hotspot_contract(world: dict[str, Any], found: list[Any]) -> None:
    th.test_every_hotspot_has_evidence_and_contract_fields(world["frames"], found)


YOUTH_TESTS: list[Callable[..., None]] = [
    ty.test_town_groups_match_planted,
    ty.test_town_comparison_with_registered_groups,
]


@pytest.mark.parametrize("check", YOUTH_TESTS, ids=lambda f: f.__name__)
def test_youth_ground_truth(world: dict[str, Any], analysis: Any, check: Callable[..., None]) -> None:
    check(world["town"], analysis)


def test_youth_adult_links(world: dict[str, Any], analysis: Any) -> None:
    ty.test_town_youth_adult_links(world["town"], world["frames"], analysis)


INDICATOR_TESTS: list[Callable[..., None]] = [
    ti.test_ring_addresses_rank_on_top,
    ti.test_ring_businesses_rank_on_top,
    ti.test_facilitators_among_top_persons,
    ti.test_confounders_rank_below_rings,
]


@pytest.mark.parametrize("check", INDICATOR_TESTS, ids=lambda f: f.__name__)
def test_indicator_ground_truth(world: dict[str, Any], flags: Any, check: Callable[..., None]) -> None:
    check(world["town"], flags)


def test_indicator_evidence(world: dict[str, Any], flags: Any) -> None:
    ti.test_every_flag_has_evidence(flags, world["frames"])



def _ingested(folder: Path, store_dir: Path) -> Frames:
    from netwerk.ingest import ingest_folder
    from netwerk.store.embedded import EmbeddedStore

    store = EmbeddedStore(store_dir)
    try:
        ingest_folder(folder, store)
        return Frames.from_store(store)
    finally:
        store.close()


def test_rd_and_wgs84_give_the_same_places_and_hotspots(tmp_path: Path) -> None:
    """The same generated Koggenland written once in WGS84 and once in RD New: after ingest the same
    buurten, coordinates within 1 m, and the same hotspots (clusters within 1 m)."""
    for crs in ("wgs84", "rd"):
        generate(tmp_path / crs, seed=5, size="small", gemeente="GM1598", rd=crs == "rd")
    wgs, rd = (_ingested(tmp_path / c, tmp_path / f"store-{c}") for c in ("wgs84", "rd"))
    a, b = (f.addresses.set_index("address_id").sort_index() for f in (wgs, rd))
    assert (a["buurt_code"] == b["buurt_code"]).all()
    err = np.hypot((a["lat"] - b["lat"]) * 111_320, (a["lon"] - b["lon"]) * 68_000)
    assert err.max() < 1.0, err.max()
    since = "2023-11-01"
    hw, hr = (find_hotspots(f, since=since) for f in (wgs, rd))
    assert [(h.level, h.category, h.n_signals) for h in hw] == [(h.level, h.category, h.n_signals) for h in hr]
    for x, y in zip(hw, hr, strict=True):
        if x.level == "cluster":
            assert x.lat is not None and y.lat is not None and x.lon is not None and y.lon is not None
            assert np.hypot((x.lat - y.lat) * 111_320, (x.lon - y.lon) * 68_000) < 1.0
            assert set(x.evidence) == set(y.evidence)
        else:
            assert x.key == y.key
