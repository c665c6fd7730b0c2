"""Ingest never crashes on file content and guards the store (issue 11, item 7): one test per guard and per
crash class, each with its exact outcome."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import PSEUDONYM_KEY
from typer.testing import CliRunner

from netwerk.cli import app
from netwerk.frames import Frames
from netwerk.ingest import IngestError, ingest_folder
from netwerk.ingest.guards import (
    FINGERPRINT_META,
    import_runs,
    key_fingerprint,
    key_weakness,
    last_unfinished_run,
    start_run,
)
from netwerk.ingest.reader import BinaryFileError, open_csv
from netwerk.ingest.safe_csv import neutralise
from netwerk.privacy import pseudonymise
from netwerk.store import GraphStore

MINIMAL = Path(__file__).resolve().parent.parent / "ingest" / "examples" / "minimal"
HEADER = "signal_id,reported_at,category,subcategory\n"
#: raw ids of the minimal example given an "ë", so that every file holds a non-ASCII character
_ACCENTS = {"P10": "Pë10", "S000": "Së000", "A000": "Aë000", "G01": "Gë01", "K1234": "Kë1234",
            "C001": "Cë001", "politie": "politië"}


def _write(d: Path, files: dict[str, str | bytes]) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (d / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return d


def _rejects(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_cp1252_in_every_file_loads_completely(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = tmp_path / "cp1252"
    d.mkdir()
    for src in sorted(MINIMAL.glob("*.csv")):
        text = src.read_text(encoding="utf-8")
        for a, b in _ACCENTS.items():
            text = text.replace(a, b)
        assert "ë" in text, src.name
        (d / src.name).write_bytes(text.encode("cp1252"))
    report = ingest_folder(d, embedded_store, rejects_path=tmp_path / "r.csv")
    assert report.rejected == 0 and report.loaded == report.read > 0
    assert {f.file for f in report.files if f.encoding == "cp1252"} == {p.name for p in MINIMAL.glob("*.csv")}
    assert sum("gelezen als Windows-1252" in w for w in report.warnings) == 12
    assert embedded_store.get_node("Signal", "Së0001") is not None
    assert embedded_store.get_node("Person", pseudonymise("Pë100", PSEUDONYM_KEY)) is not None
    assert "politië" in embedded_store.relationships_df("REPORTED_BY")["end"].tolist()


def test_bytes_neither_utf8_nor_cp1252_reject_their_rows_only(embedded_store: GraphStore, tmp_path: Path) -> None:
    # 0x81 is undefined in Windows-1252; next to a UTF-8 "é" the file is damaged UTF-8
    persons = "person_id,first_name\nP1,Jos\u00e9\nP2,Jo\x81\n".encode("utf-8").replace(b"\xc2\x81", b"\x81")
    d = _write(tmp_path / "in", {"signals.csv": HEADER + "S1,2025-03-01,Wonen,Leegstand\n", "persons.csv": persons})
    rej = tmp_path / "r.csv"
    report = ingest_folder(d, embedded_store, rejects_path=rej)
    p = report.file("persons")
    assert (p.read, p.loaded, p.rejected) == (2, 1, 1)
    r = _rejects(rej)
    assert r[["file", "line", "field"]].values.tolist() == [["persons.csv", "3", "first_name"]]
    assert "geen UTF-8" in r["reason"].item()


@pytest.mark.parametrize("name", ["signals.csv", "persons.csv"])
def test_binary_tail_is_a_clear_file_error_and_nothing_is_written(
    embedded_store: GraphStore, tmp_path: Path, name: str
) -> None:
    files: dict[str, str | bytes] = {"signals.csv": HEADER + "S1,2025-03-01,Wonen,Leegstand\n",
                                     "persons.csv": "person_id\nP1\n"}
    files[name] = str(files[name]).encode() + b"S2,2025-03-02\x00\x01\x02\xff\xfe binary\n"
    d = _write(tmp_path / "in", files)
    with pytest.raises(IngestError, match=rf"{name}: regel 3 bevat binaire gegevens"):
        ingest_folder(d, embedded_store, rejects_path=tmp_path / "r.csv")
    assert embedded_store.counts()["nodes"]["Signal"] == 0  # all files are checked before anything is written
    assert import_runs(embedded_store) == []


@pytest.mark.parametrize(("tail", "valid"), [(b"\xa9 ok\n", True), (b" " * (1 << 20) + b"\xa9\n", False)])
def test_a_character_split_between_read_blocks(tmp_path: Path, tail: bytes, valid: bool) -> None:
    # the scan reads 1 MB blocks and skips decoding ASCII blocks: not when a character is still open
    head = b"signal_id,description\n"
    body = head + b"S1," + b"x" * ((1 << 20) - len(head) - 4) + b"\xc3"  # the block ends inside an "\u00e9"
    path = tmp_path / "signals.csv"
    path.write_bytes(body + tail)
    assert open_csv(path).encoding == ("utf-8" if valid else "cp1252")  # not UTF-8: read as Windows-1252
    path.write_bytes(body + tail + b"x" * (1 << 20) + b"\nS2,x\x01\n")  # a control byte two blocks on
    with pytest.raises(BinaryFileError, match=r"signals\.csv: regel 4 bevat binaire gegevens"):
        open_csv(path)


def test_out_of_range_and_implausible_dates_are_rejected(embedded_store: GraphStore, tmp_path: Path) -> None:
    sig = HEADER + ("S1,2300-01-01T10:00:00+01:00,Wonen,Leegstand\n"   # time zone, beyond pandas' ns range
                    "S2,2099-06-01T12:00:00,Wonen,Leegstand\n"          # far future
                    "S3,0001-01-01,Wonen,Leegstand\n"                   # placeholder year
                    "S4,1899-12-31,Wonen,Leegstand\n"
                    "S5,2025-03-01T10:00:00+01:00,Wonen,Leegstand\n")   # fine
    persons = "person_id,birth_year,birth_date\nP1,-5,\nP2,2099,\nP3,1980,\nP4,,2099-01-01\n"
    cases = ("case_id,opened_at,closed_at,phase\nC1,2025-02-01,2025-01-01,1\nC2,2025-02-01,,9\n"
             "C3,2025-02-01,2025-03-01,2\n")
    d = _write(tmp_path / "in", {"signals.csv": sig, "persons.csv": persons, "cases.csv": cases})
    rej = tmp_path / "r.csv"
    report = ingest_folder(d, embedded_store, rejects_path=rej)
    for f in report.files:
        assert f.read == f.loaded + f.rejected
    r = _rejects(rej)
    got = {(row.file, row.line, row.field): row.reason for row in r.itertuples()}
    assert set(got) == {
        ("signals.csv", "2", "reported_at"), ("signals.csv", "3", "reported_at"),
        ("signals.csv", "4", "reported_at"), ("signals.csv", "5", "reported_at"),
        ("persons.csv", "2", "birth_year"), ("persons.csv", "3", "birth_year"), ("persons.csv", "5", "birth_date"),
        ("cases.csv", "2", "closed_at"), ("cases.csv", "3", "phase"),
    }
    assert "toekomst" in got[("signals.csv", "2", "reported_at")]
    assert "toekomst" in got[("signals.csv", "3", "reported_at")]
    assert "vóór 1900" in got[("signals.csv", "4", "reported_at")]
    assert "vóór 1900" in got[("signals.csv", "5", "reported_at")]
    assert "geboortejaar" in got[("persons.csv", "2", "birth_year")]
    assert "gesloten vóór" in got[("cases.csv", "2", "closed_at")]
    assert "onbekende fase" in got[("cases.csv", "3", "phase")]
    assert embedded_store.nodes_df("Signal")["signal_id"].tolist() == ["S5"]
    assert embedded_store.nodes_df("Case")["case_id"].tolist() == ["C3"]


def test_a_2099_signal_does_not_move_the_end_of_the_data() -> None:
    signals = pd.DataFrame({"signal_id": ["S1", "S2", "S3"], "category": "Wonen",
                            "reported_at": ["2025-03-01T10:00:00", "2099-06-01T00:00:00", "1899-01-01T00:00:00"]})
    frames = Frames.from_tables({"signals": signals})
    assert frames.reference_date == pd.Timestamp("2025-03-01")


def test_formula_cells_are_neutralised_in_the_rejects_file(embedded_store: GraphStore, tmp_path: Path) -> None:
    sig = HEADER + ('"=HYPERLINK(""http://x"",""klik"")",geen datum,Wonen,Leegstand\n'
                    "S2,2025-03-01,=cmd|' /C calc'!A0,x\n"
                    "S3,2025-99-01,Wonen,+31 6 1234\n")
    d = _write(tmp_path / "in", {"signals.csv": sig})
    rej = tmp_path / "r.csv"
    ingest_folder(d, embedded_store, rejects_path=rej)
    r = _rejects(rej)
    assert r["value"].tolist() == ["geen datum", "2025-99-01"]
    text = rej.read_text(encoding="utf-8")
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")
    # every cell the rejects file can hold: none starts with a formula character
    risky = pd.DataFrame({"value": ["=1+1", "+31", "-2", "@SUM(A1)", "ok"]})
    assert neutralise(risky)["value"].tolist() == ["'=1+1", "'+31", "'-2", "'@SUM(A1)", "ok"]


def test_file_outside_the_import_folder_is_refused(embedded_store: GraphStore, tmp_path: Path) -> None:
    outside = _write(tmp_path / "elders", {"persons.csv": "person_id\nP1\n"})
    d = _write(tmp_path / "in", {"signals.csv": HEADER + "S1,2025-03-01,Wonen,Leegstand\n"})
    os.symlink(outside / "persons.csv", d / "persons.csv")
    with pytest.raises(IngestError, match=r"persons\.csv: verwijst naar een bestand buiten de importmap"):
        ingest_folder(d, embedded_store, rejects_path=tmp_path / "r.csv")
    assert embedded_store.counts()["nodes"]["Signal"] == 0


def test_another_key_is_refused_and_the_key_itself_never_stored(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_folder(MINIMAL, store, rejects_path=tmp_path / "r.csv")
    stored = store.get_meta(FINGERPRINT_META)
    assert stored == key_fingerprint(PSEUDONYM_KEY.encode()) and PSEUDONYM_KEY not in stored
    persons = store.counts()["nodes"]["Person"]
    monkeypatch.setenv("NETWERK_PSEUDONYM_KEY", "een-heel-andere-sleutel-9f3k2")
    with pytest.raises(IngestError, match="ANDERE pseudonimiseringssleutel"):
        ingest_folder(MINIMAL, store, rejects_path=tmp_path / "r.csv")
    assert store.counts()["nodes"]["Person"] == persons
    monkeypatch.setenv("NETWERK_PSEUDONYM_KEY", PSEUDONYM_KEY)
    ingest_folder(MINIMAL, store, rejects_path=tmp_path / "r.csv")  # the same key: fine, idempotent
    assert store.counts()["nodes"]["Person"] == persons


@pytest.mark.parametrize("key", ["a", "kort-sleuteltje", "aaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababababab"])
def test_weak_keys_are_refused(embedded_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               key: str) -> None:
    assert key_weakness(key.encode()) is not None
    monkeypatch.setenv("NETWERK_PSEUDONYM_KEY", key)
    with pytest.raises(IngestError, match="pseudonimiseringssleutel is te"):
        ingest_folder(MINIMAL, embedded_store, rejects_path=tmp_path / "r.csv")
    assert embedded_store.counts()["nodes"]["Signal"] == 0


def test_import_runs_are_recorded_and_stats_says_when_one_did_not_finish(tmp_path: Path) -> None:
    from netwerk.store.embedded import EmbeddedStore

    path = tmp_path / "store"
    st = EmbeddedStore(path)
    try:
        report = ingest_folder(MINIMAL, st, rejects_path=tmp_path / "r.csv")
        runs = import_runs(st)
        assert len(runs) == 1 and runs[0]["finished"] is not None
        assert (runs[0]["read"], runs[0]["loaded"], runs[0]["rejected"]) == (report.read, report.loaded, 0)
        assert last_unfinished_run(st) is None
        start_run(st, "/pad/naar/export")  # as a run killed half-way leaves it
    finally:
        st.close()
    res = CliRunner().invoke(app, ["stats", "--store", str(path), "--format", "json"])
    assert res.exit_code == 0
    assert "de laatste import (gestart" in res.stderr and "is niet afgerond" in " ".join(res.stderr.split())
    assert json.loads(res.stdout)["last_import"]["finished"] is None
    st = EmbeddedStore(path)
    try:
        ingest_folder(MINIMAL, st, rejects_path=tmp_path / "r.csv")
        assert last_unfinished_run(st) is None and len(import_runs(st)) == 3
    finally:
        st.close()


def test_registration_on_the_birth_date_does_not_reveal_it(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _write(tmp_path / "in", {
        "signals.csv": HEADER + "S1,2025-03-01,Wonen,Leegstand\n",
        "addresses.csv": "address_id\nA1\nA2\n",
        "persons.csv": "person_id,birth_date\nP1,2001-05-17\n",
        "registrations.csv": "person_id,address_id,start_date,end_date\nP1,A1,2001-05-17,2010-02-28\n"
                             "P1,A2,2010-03-01,\n",
    })
    ingest_folder(d, embedded_store, rejects_path=tmp_path / "r.csv")
    reg = embedded_store.relationships_df("REGISTERED_AT").sort_values("start_date")
    assert reg["start_date"].tolist() == ["2001-01-01", "2010-03-01"]
    values = {str(v) for v in embedded_store.nodes_df("Person").to_numpy().ravel()}
    assert not any("2001-05-17" in v for v in values | {str(v) for v in reg.to_numpy().ravel()})


def test_no_pseudonymise_without_persons_needs_no_acknowledgement(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    d = tmp_path / "zonder"
    d.mkdir()
    for name in ("signals.csv", "addresses.csv", "partners.csv"):
        shutil.copy(MINIMAL / name, d / name)
    report = ingest_folder(d, embedded_store, pseudonymise=False, rejects_path=tmp_path / "r.csv")
    assert report.loaded == report.read and any("geen persoonsbestanden" in w for w in report.warnings)


@pytest.mark.neo4j
def test_store_metadata_on_neo4j(neo4j_store: GraphStore) -> None:
    assert neo4j_store.get_meta("x") is None
    neo4j_store.set_meta("x", "1")
    neo4j_store.set_meta("x", "2")
    assert neo4j_store.get_meta("x") == "2"
    assert "NetwerkMeta" not in neo4j_store.counts()["nodes"]


def test_unclosed_quote_rejects_the_row_and_utf16_is_a_clear_file_error(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    # an unclosed quote swallows the rest of the file into one field (CSV rules); with the header's 5 fields
    # that row is rejected by field count, never a crash
    text = "signal_id,reported_at,category,subcategory,status\n"
    d = _write(tmp_path / "quote", {"signals.csv": text + 'S1,2025-03-01,Wonen,"Leeg\nS2,2025-03-01,Wonen,x,y\n'})
    rej = tmp_path / "r.csv"
    report = ingest_folder(d, embedded_store, rejects_path=rej)
    assert (report.read, report.loaded, report.rejected) == (1, 0, 1)
    assert _rejects(rej)[["line", "reason"]].values.tolist() == [["2", "verwacht 5 velden (zoals de kopregel), "
                                                                       "kreeg er 4"]]
    d = _write(tmp_path / "utf16", {"signals.csv": (HEADER + "S1,2025-03-01,Wonen,x\n").encode("utf-16")})
    with pytest.raises(IngestError, match=r"signals\.csv: het bestand is opgeslagen als UTF-16"):
        ingest_folder(d, embedded_store, rejects_path=tmp_path / "r2.csv")
