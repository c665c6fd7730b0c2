"""Every Cypher pattern in cypher/patterns/ returns the same subjects as its Python indicator (real Neo4j)."""

from __future__ import annotations

import pytest

from netwerk.cypher import CYPHER_DIR
from netwerk.frames import Frames
from netwerk.indicators import REGISTRY, run_indicators
from netwerk.indicators.patterns import PATTERNS, pattern_params, run_pattern

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def neo4j_town(town: dict, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The small municipality ingested into real Neo4j (once for this module)."""
    from conftest import PSEUDONYM_KEY, open_test_store

    from netwerk.ingest import ingest_folder

    mp = pytest.MonkeyPatch()
    mp.setenv("NETWERK_PSEUDONYM_KEY", PSEUDONYM_KEY)
    mp.setenv("NETWERK_AUDIT_LOG", str(tmp_path_factory.mktemp("audit") / "audit.jsonl"))
    st = open_test_store("neo4j", tmp_path_factory.mktemp("neo"))
    try:
        ingest_folder(town["dir"], st)
        frames = Frames.from_store(st)
        yield st, frames
    finally:
        st.clear()
        st.close()
        mp.undo()


def test_every_pattern_file_is_known() -> None:
    files = sorted(p.stem for p in (CYPHER_DIR / "patterns").glob("*.cypher"))
    assert files == sorted(PATTERNS)
    assert set(PATTERNS) <= set(REGISTRY)


@pytest.mark.neo4j
@pytest.mark.parametrize("since", [None, "2024-06-01"])
@pytest.mark.parametrize("name", PATTERNS)
def test_pattern_matches_python(neo4j_town, name: str, since: str | None) -> None:  # type: ignore[no-untyped-def]
    store, frames = neo4j_town
    flags = run_indicators(frames, since=since)
    params = pattern_params(frames, since=since, flags=flags)
    rows = run_pattern(store, name, params)
    got = {(r["subject_type"], r["subject_id"]): r["value"] for r in rows}
    want = {(f.subject_type, f.subject_id): f.value for f in flags if f.indicator == name}
    assert want, f"{name}: the small municipality should raise at least one flag"
    assert set(got) == set(want)
    assert got == pytest.approx(want)
