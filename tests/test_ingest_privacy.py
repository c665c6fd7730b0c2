"""AVG: no raw identifier (person ids, BSN, names, birth dates) reaches either backend."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netwerk.ingest import IngestError, ingest_folder
from netwerk.privacy import PseudonymKeyMissing
from netwerk.store import GraphStore

MINIMAL = Path(__file__).resolve().parent.parent / "ingest" / "examples" / "minimal"


def _raw_identifiers() -> set[str]:
    persons = pd.read_csv(MINIMAL / "persons.csv", sep=";", dtype=str, keep_default_na=False)
    raw: set[str] = set()
    for col in ("person_id", "bsn", "first_name", "last_name", "birth_date"):
        raw |= {v for v in persons[col] if v}
    # birth dates also in ISO form
    raw |= {f"{d[6:]}-{d[3:5]}-{d[:2]}" for d in persons["birth_date"] if d}
    return raw


def _all_values(store: GraphStore) -> list[str]:
    values: list[str] = []
    for label in store.model.nodes:
        values += [str(v) for v in store.nodes_df(label).to_numpy().ravel() if v is not None]
    for t in store.model.relationships:
        values += [str(v) for v in store.relationships_df(t).to_numpy().ravel() if v is not None]
    return values


def test_no_raw_identifier_in_the_store(store: GraphStore, tmp_path: Path) -> None:
    ingest_folder(MINIMAL, store, rejects_path=tmp_path / "rej.csv")
    raw = _raw_identifiers()
    assert {"P100", "123456782", "Fatima", "El Amrani", "14-02-1988", "1988-02-14"} <= raw
    values = _all_values(store)
    assert len(values) > 100
    leaks = sorted({v for v in values for r in raw if r in v.split() or v == r})
    assert not leaks
    assert not any(r in v for v in values for r in raw if len(r) >= 5), "raw identifier inside a value"
    person = store.nodes_df("Person")
    assert person["person_id"].str.startswith("P-").all()
    assert person["bsn"].dropna().str.startswith("B-").all()


def test_without_key_ingest_refuses(store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETWERK_PSEUDONYM_KEY")
    with pytest.raises(PseudonymKeyMissing, match="NETWERK_PSEUDONYM_KEY"):
        ingest_folder(MINIMAL, store, rejects_path=tmp_path / "rej.csv")
    assert store.counts()["nodes"]["Signal"] == 0
    with pytest.raises(IngestError, match=r"--no-pseudonymise met persoonsgegevens \(persons\.csv.*"
                                          r"--ik-begrijp-het-risico"):
        ingest_folder(MINIMAL, store, pseudonymise=False, rejects_path=tmp_path / "rej.csv")
    assert store.counts()["nodes"]["Signal"] == 0
    report = ingest_folder(MINIMAL, store, pseudonymise=False, acknowledge_risk=True,
                           rejects_path=tmp_path / "rej.csv")
    assert report.loaded == report.read
    assert any("NIET gepseudonimiseerd" in w for w in report.warnings)
    assert store.get_node("Person", "P100") is not None
    assert "birth_date" not in store.get_node("Person", "P100")  # type: ignore[operator]


def test_drop_descriptions(embedded_store: GraphStore, tmp_path: Path) -> None:
    ingest_folder(MINIMAL, embedded_store, drop_descriptions=True, rejects_path=tmp_path / "rej.csv")
    assert embedded_store.nodes_df("Signal")["description"].isna().all()
