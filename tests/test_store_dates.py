"""Dates and date-times: every form the model accepts reads back as the same canonical ISO text from both
stores (the ``store`` fixture), although Neo4j keeps them as native ``date`` / ``localdatetime`` values; a
Neo4j store written with ISO text (by an earlier version) is converted when it is opened."""

from __future__ import annotations

from typing import Any

import pytest

from netwerk.model import MODEL, ModelError, canonical, validate_value
from netwerk.store import GraphStore

#: every form of a datetime the model accepts -> the one text both stores give back
DATETIMES = {
    "2025-03-01": "2025-03-01T00:00:00",
    "2025-03-02T14:30": "2025-03-02T14:30:00",
    "2025-03-03T14:30:00": "2025-03-03T14:30:00",
    "2025-03-04T14:30:05": "2025-03-04T14:30:05",
    "2025-03-05T00:00:00.000": "2025-03-05T00:00:00",
    "2025-03-06T14:30:05.120": "2025-03-06T14:30:05.12",
    "2025-03-07T14:30:05.123456": "2025-03-07T14:30:05.123456",
    "2025-03-08T14:30:05.1234567": "2025-03-08T14:30:05.1234567",
    "2025-03-09T14:30:05.123456789": "2025-03-09T14:30:05.123456789",
    "2025-03-10T14:30:05.12345678912": "2025-03-10T14:30:05.123456789",  # beyond nanoseconds: cut off
    "0999-12-31T23:59:59": "0999-12-31T23:59:59",
}
DATES = ["2025-03-01", "2024-02-29", "0999-12-31", "2025-12-31"]


def test_canonical_form_of_every_accepted_datetime() -> None:
    for written, text in DATETIMES.items():
        assert validate_value("datetime", written)
        assert canonical("datetime", written) == text
        assert canonical("datetime", text) == text
    assert canonical("date", "2025-03-01") == "2025-03-01"
    assert canonical("str", "2025-03-01T14:30") == "2025-03-01T14:30"


@pytest.mark.parametrize(("kind", "value"), [
    ("date", "2025-02-29"), ("date", "2025-04-31"), ("date", "2025-13-01"), ("date", "0000-01-01"),
    ("datetime", "2025-02-29T10:00:00"), ("datetime", "2025-01-01T24:00"), ("datetime", "2025-01-01T10:60"),
    ("datetime", "2025-01-01T10:00:60"),
])
def test_days_and_times_that_do_not_exist_are_refused(kind: str, value: str) -> None:
    """Neo4j cannot store them as native values, so neither store accepts them."""
    assert not validate_value(kind, value)
    label, prop = ("Case", "opened_at") if kind == "date" else ("Signal", "reported_at")
    key = MODEL.node(label).key
    with pytest.raises(ModelError, match=prop):
        MODEL.validate_nodes(label, [{key: "x", prop: value}])
    with pytest.raises(ModelError, match=prop):
        MODEL.validate_node_columns(label, {key: ["x", "y"], prop: [None, value]})


def test_refused_day_writes_nothing(store: GraphStore) -> None:
    with pytest.raises(ModelError, match="reported_at"):
        store.upsert_node_columns("Signal", {"signal_id": ["s1", "s2"], "reported_at": ["2025-01-01", "2025-02-30"]})
    assert store.counts()["nodes"]["Signal"] == 0


def _signals() -> list[dict[str, Any]]:
    return [{"signal_id": f"s{i:02d}", "reported_at": w} for i, w in enumerate(DATETIMES)] + [{"signal_id": "s99"}]


def _expected_signals() -> dict[str, str | None]:
    return {**{f"s{i:02d}": t for i, t in enumerate(DATETIMES.values())}, "s99": None}


@pytest.mark.parametrize("columns", [False, True], ids=["rows", "columns"])
def test_every_accepted_form_reads_back_as_the_same_text(store: GraphStore, columns: bool) -> None:
    signals = _signals()
    cases = [{"case_id": f"c{i}", "opened_at": d, "closed_at": DATES[-1]} for i, d in enumerate(DATES)]
    regs = [{"start": "p1", "end": "a1", "start_date": d, "end_date": DATES[-1] if i else None}
            for i, d in enumerate(DATES)]
    if columns:
        store.upsert_node_columns("Signal", {"signal_id": [r["signal_id"] for r in signals],
                                             "reported_at": [r.get("reported_at") for r in signals]})
        store.upsert_node_columns("Case", {k: [r[k] for r in cases] for k in cases[0]})
    else:
        store.upsert_nodes("Signal", signals)
        store.upsert_nodes("Case", cases)
    store.upsert_nodes("Person", [{"person_id": "p1"}])
    store.upsert_nodes("Address", [{"address_id": "a1"}])
    store.upsert_nodes("Watch", [{"watch_id": "w1", "start_date": "2025-01-01", "created_at": "2025-01-01T09:05"}])
    if columns:
        store.upsert_relationship_columns("REGISTERED_AT", {k: [r[k] for r in regs] for k in regs[0]})
    else:
        store.upsert_relationships("REGISTERED_AT", regs)

    expected = _expected_signals()
    df = store.nodes_df("Signal")
    assert dict(zip(df.signal_id, df.reported_at, strict=True)) == expected
    assert {k: (store.get_node("Signal", k) or {})["reported_at"] for k in expected} == expected
    assert list(store.nodes_df("Case").opened_at) == DATES and set(store.nodes_df("Case").closed_at) == {DATES[-1]}
    assert store.get_node("Case", "c1") == {**dict.fromkeys(MODEL.node("Case").properties),
                                            "case_id": "c1", "opened_at": DATES[1], "closed_at": DATES[-1]}
    assert store.get_node("Watch", "w1")["created_at"] == "2025-01-01T09:05:00"  # type: ignore[index]

    rel = store.relationships_df("REGISTERED_AT")
    assert list(rel.start_date) == sorted(DATES) and list(rel.end_date) == [DATES[-1], DATES[-1], None, DATES[-1]]
    # the relationship key is the (native) start date: writing the same one again changes nothing
    store.upsert_relationships("REGISTERED_AT", regs[:1])
    assert store.counts()["relationships"]["REGISTERED_AT"] == len(DATES)

    g = store.neighbourhood("Person", "p1", depth=1)
    assert sorted(d["start_date"] for _, _, d in g.edges(data=True)) == sorted(DATES)
    assert g.nodes["Address:a1"]["address_id"] == "a1"
    g = store.neighbourhood("Address", "a1", depth=2, since="2025-03-01", until="2025-03-01")
    assert {n for n in g if n.startswith("Person")} == {"Person:p1"}

    period = store.nodes_df("Signal", since="2025-03-02", until="2025-03-05")
    assert list(period.signal_id) == ["s01", "s02", "s03", "s04"]
    assert list(period.reported_at) == [DATETIMES[w] for w in list(DATETIMES)[1:5]]
    assert list(store.nodes_df("Signal", since="2025-03-09").signal_id) == ["s08", "s09"]
    assert list(store.nodes_df("Signal", until="2000-01-01").signal_id) == ["s10"]
    assert list(store.nodes_df("Case", since="2024-02-29", until="2024-02-29").opened_at) == ["2024-02-29"]
    assert list(store.nodes_df("Case", until="2000-01-01").case_id) == ["c2"]


@pytest.mark.neo4j
def test_neo4j_keeps_native_values(neo4j_store: GraphStore) -> None:
    test_every_accepted_form_reads_back_as_the_same_text(neo4j_store, columns=True)
    rows = neo4j_store.query(  # type: ignore[attr-defined]
        "MATCH (s:Signal {signal_id: 's07'}), (c:Case {case_id: 'c0'}), ()-[r:REGISTERED_AT]->() "
        "RETURN valueType(s.reported_at) AS s, valueType(c.opened_at) AS c, collect(DISTINCT valueType(r.start_date)) "
        "AS r, s.reported_at.nanosecond AS ns")
    assert rows == [{"s": "LOCAL DATETIME NOT NULL", "c": "DATE NOT NULL", "r": ["DATE NOT NULL"], "ns": 123456700}]


def _raw(store: GraphStore, statement: str, **params: Any) -> None:
    with store.driver.session() as session:  # type: ignore[attr-defined]
        session.run(statement, params).consume()


@pytest.mark.neo4j
def test_an_earlier_store_with_iso_text_is_converted_when_opened(neo4j_store: GraphStore) -> None:
    from netwerk.store.neo4j import NATIVE_DATES_META, Neo4jStore

    # what the previous version wrote: ISO text, as given (also the short forms), and no note of native dates
    _raw(neo4j_store, "MATCH (m:NetwerkMeta) DELETE m")
    _raw(neo4j_store, "UNWIND $rows AS row CREATE (s:Signal) SET s = row", rows=_signals())
    _raw(neo4j_store, "CREATE (:Case {case_id: 'c1', opened_at: '2024-02-29'}), (:Case {case_id: 'c2'}), "
                      "(p:Person {person_id: 'p1'})-[:REGISTERED_AT {start_date: '2020-01-01', "
                      "end_date: '2021-06-30'}]->(a:Address {address_id: 'a1'}), "
                      "(p)-[:REGISTERED_AT {start_date: '2022-01-01'}]->(a), "
                      "(:Watch {watch_id: 'w1', start_date: date('2025-01-01'), created_at: '2025-01-01T09:05'})")
    assert neo4j_store.get_meta(NATIVE_DATES_META) is None

    opened = Neo4jStore(neo4j_store.uri)  # type: ignore[attr-defined]
    assert opened.get_meta(NATIVE_DATES_META) == "ja"
    kinds = opened.query(
        "MATCH (n) WHERE NOT n:NetwerkMeta UNWIND keys(n) AS p WITH p, valueType(n[p]) AS t WHERE p <> 'signal_id' "
        "RETURN p, collect(DISTINCT t) AS types UNION "
        "MATCH ()-[r]->() UNWIND keys(r) AS p RETURN p, collect(DISTINCT valueType(r[p])) AS types")
    assert {r["p"]: r["types"] for r in kinds} == {
        "reported_at": ["LOCAL DATETIME NOT NULL"], "opened_at": ["DATE NOT NULL"], "start_date": ["DATE NOT NULL"],
        "created_at": ["LOCAL DATETIME NOT NULL"], "end_date": ["DATE NOT NULL"],
        "case_id": ["STRING NOT NULL"], "person_id": ["STRING NOT NULL"], "address_id": ["STRING NOT NULL"],
        "watch_id": ["STRING NOT NULL"],
    }
    df = opened.nodes_df("Signal")
    assert dict(zip(df.signal_id, df.reported_at, strict=True)) == _expected_signals()
    assert list(opened.nodes_df("Case").opened_at) == ["2024-02-29", None]
    assert list(opened.relationships_df("REGISTERED_AT").end_date) == ["2021-06-30", None]
    assert opened.get_node("Watch", "w1")["created_at"] == "2025-01-01T09:05:00"  # type: ignore[index]
    # writing the same registration again finds the converted one (its key is the native start date)
    opened.upsert_relationships("REGISTERED_AT", [{"start": "p1", "end": "a1", "start_date": "2020-01-01"}])
    assert opened.counts()["relationships"]["REGISTERED_AT"] == 2


@pytest.mark.neo4j
def test_a_new_store_is_only_noted_as_native(neo4j_store: GraphStore) -> None:
    from netwerk.store.neo4j import NATIVE_DATES_META, Neo4jStore

    assert neo4j_store.get_meta(NATIVE_DATES_META) == "ja"  # cleared: nothing left to convert
    _raw(neo4j_store, "MATCH (m:NetwerkMeta) DELETE m")
    assert Neo4jStore(neo4j_store.uri).get_meta(NATIVE_DATES_META) == "ja"  # type: ignore[attr-defined]


@pytest.mark.neo4j
def test_an_impossible_old_date_stops_the_open_with_a_clear_message(neo4j_store: GraphStore) -> None:
    from netwerk.store import StoreError
    from netwerk.store.neo4j import NATIVE_DATES_META, Neo4jStore

    _raw(neo4j_store, "MATCH (m:NetwerkMeta) DELETE m")
    _raw(neo4j_store, "CREATE (:Case {case_id: 'c1', opened_at: '2025-02-30'})")
    with pytest.raises(StoreError, match="datums van Case"):
        Neo4jStore(neo4j_store.uri)  # type: ignore[attr-defined]
    assert neo4j_store.get_meta(NATIVE_DATES_META) is None
    _raw(neo4j_store, "MATCH (c:Case) SET c.opened_at = '2025-02-28'")
    assert Neo4jStore(neo4j_store.uri).nodes_df("Case").opened_at.tolist() == ["2025-02-28"]  # type: ignore[attr-defined]
