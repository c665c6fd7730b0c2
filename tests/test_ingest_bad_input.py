"""Every class of bad input gives a clear message (file, line, field) and nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from netwerk.ingest import IngestError, IngestReport, ingest_folder
from netwerk.ingest.validate import LANDED_FOR_USE
from netwerk.store import GraphStore

HEADER = "signal_id,reported_at,category,subcategory,address_id,description\n"


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    d = tmp_path / "in"
    d.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        p = d / name
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")
    return d


def _ingest(folder: Path, store: GraphStore, tmp_path: Path, **kw: object) -> tuple[IngestReport, pd.DataFrame]:
    rej = tmp_path / "afgewezen.csv"
    report = ingest_folder(folder, store, rejects_path=rej, **kw)  # type: ignore[arg-type]
    for f in report.files:
        assert f.read == f.loaded + f.rejected, f
    rejects = pd.read_csv(rej, dtype=str, keep_default_na=False) if rej.exists() else pd.DataFrame(
        columns=["file", "line", "field", "reason", "value"])
    if report.rejected:
        assert report.rejects_path == str(rej)
    return report, rejects


def _only(rejects: pd.DataFrame, line: int) -> pd.Series:
    rows = rejects[rejects["line"] == str(line)]
    assert len(rows) == 1, rejects
    return rows.iloc[0]


def test_malformed_date_and_wrong_type(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _folder(tmp_path, {
        "signals.csv": HEADER + "S1,2025-02-30,Wonen,Leegstand,,\nS2,01-03-2025 14:30,Wonen,Leegstand,,\n",
        "addresses.csv": "address_id,house_number,lat,lon\nA1,12,53.1,7.0\nA2,twaalf,53.1,7.0\nA3,3,noord,7.0\n",
    })
    report, rej = _ingest(d, embedded_store, tmp_path)
    assert report.file("signals").loaded == 1 and report.file("signals").rejected == 1
    r = _only(rej[rej["file"] == "signals.csv"], 2)
    assert r["field"] == "reported_at" and "ongeldige datum" in r["reason"] and r["value"] == "2025-02-30"
    adr = rej[rej["file"] == "addresses.csv"]
    assert _only(adr, 3)["field"] == "house_number" and "geheel getal" in _only(adr, 3)["reason"]
    assert _only(adr, 4)["field"] == "lat"
    assert embedded_store.get_node("Signal", "S2")["reported_at"] == "2025-03-01T14:30:00"  # type: ignore[index]


def test_missing_required_column_names_file_and_column(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _folder(tmp_path, {
        "signals.csv": HEADER + "S1,2025-02-03,Wonen,Leegstand,,\n",
        "persons.csv": "bsn,first_name\n1,Jan\n",
    })
    with pytest.raises(IngestError, match=r"persons\.csv: verplichte kolom person_id ontbreekt"):
        ingest_folder(d, embedded_store, rejects_path=tmp_path / "r.csv")
    assert embedded_store.counts()["nodes"]["Signal"] == 0  # checked before anything is written


def test_missing_required_file(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _folder(tmp_path, {"persons.csv": "person_id\nP1\n"})
    with pytest.raises(IngestError, match=r"signals\.csv ontbreekt"):
        ingest_folder(d, embedded_store, rejects_path=tmp_path / "r.csv")


def test_duplicate_keys_first_wins(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _folder(tmp_path, {
        "signals.csv": HEADER + "S1,2025-02-03,Wonen,Leegstand,,eerste\nS2,2025-02-03,Wonen,Leegstand,,\n"
                                "S1,2025-02-04,Wonen,Leegstand,,tweede\n",
        "signal_persons.csv": "signal_id,person_id,role\nS1,P1,betrokkene\nS1,P1,verdachte\n",
        "persons.csv": "person_id\nP1\n",
    })
    report, rej = _ingest(d, embedded_store, tmp_path)
    r = _only(rej[rej["file"] == "signals.csv"], 4)
    assert "dubbele sleutel" in r["reason"] and r["field"] == "signal_id"
    assert embedded_store.get_node("Signal", "S1")["description"] == "eerste"  # type: ignore[index]
    assert _only(rej[rej["file"] == "signal_persons.csv"], 3)["field"] == "signal_id,person_id"
    assert report.file("signal_persons").loaded == 1


def test_dangling_reference(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _folder(tmp_path, {
        "signals.csv": HEADER + "S1,2025-02-03,Wonen,Leegstand,A9,\nS2,2025-02-03,Wonen,Leegstand,A9,\n",
        "signal_persons.csv": "signal_id,person_id,role\nS1,P1,betrokkene\nS404,P1,betrokkene\nS1,P2,betrokkene\n"
                              "S404,P2,betrokkene\n",
        "persons.csv": "person_id\nP1\n",
    })
    report, rej = _ingest(d, embedded_store, tmp_path)
    # S2: unknown address, no location, nothing refers to it: rejected
    r = _only(rej[rej["file"] == "signals.csv"], 3)
    assert r["field"] == "address_id" and "onbekende Address" in r["reason"] and "geen eigen locatie" in r["reason"]
    # S1: the same unknown address, but persons refer to it: it lands without the address (noted)
    assert report.file("signals").notes == {LANDED_FOR_USE: 1} and embedded_store.get_node("Signal", "S1")
    assert embedded_store.counts()["relationships"]["AT"] == 0
    sp = rej[rej["file"] == "signal_persons.csv"]
    assert _only(sp, 3)["field"] == "signal_id"
    p = _only(sp, 4)
    assert p["field"] == "person_id" and "onbekende Person" in p["reason"]
    assert p["value"] == "(verborgen: persoonsgegeven)"  # no raw person ids in the rejects file
    assert set(sp[sp["line"] == "5"]["field"]) == {"signal_id", "person_id"}  # every problem of a row is listed
    assert report.file("signal_persons").loaded == 1 and report.loaded == 3


def test_wrong_delimiter(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _folder(tmp_path, {"signals.csv": "signal_id|reported_at|category\nS1|2025-01-01|Wonen\n"})
    with pytest.raises(IngestError, match=r"signals\.csv: verplichte kolom .*scheidingsteken \(\|\)"):
        ingest_folder(d, embedded_store, rejects_path=tmp_path / "r.csv")


def test_row_with_too_many_fields(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _folder(tmp_path, {"signals.csv": HEADER + "S1,2025-02-03,Wonen,Leegstand,,a\nS2,2025-02-03,Wonen,x,,b,c\n"
                                                   'S3,2025-02-03,Wonen,Leegstand,,"twee\nregels"\nS4,2025-02-05,Wonen,,,\n'})
    report, rej = _ingest(d, embedded_store, tmp_path)
    assert "verwacht 6 velden" in _only(rej, 3)["reason"]
    assert report.file("signals").loaded == 3 and report.file("signals").read == 4


def test_non_utf8_rejects_the_rows(embedded_store: GraphStore, tmp_path: Path) -> None:
    body = (HEADER + "S1,2025-02-03,Wonen,Leegstand,,caf\u00e9\n").encode() + \
        b"S2,2025-02-03,Wonen,Leegstand,,caf\xe9 in cp1252\nS3,2025-02-03,Wonen,Leegstand,,ok\n"
    report, rej = _ingest(_folder(tmp_path, {"signals.csv": body}), embedded_store, tmp_path)
    r = _only(rej, 3)
    assert r["field"] == "description" and "geen UTF-8" in r["reason"]
    assert report.file("signals").loaded == 2
    assert any("UTF-8" in w for w in report.warnings)


def test_oversized_field(embedded_store: GraphStore, tmp_path: Path) -> None:
    big = "x" * 10_001
    d = _folder(tmp_path, {"signals.csv": HEADER + f"S1,2025-02-03,Wonen,Leegstand,,{big}\nS2,2025-02-03,Wonen,,,\n"})
    report, rej = _ingest(d, embedded_store, tmp_path)
    r = _only(rej, 2)
    assert r["field"] == "description" and "10.000" in r["reason"]
    assert report.file("signals").loaded == 1


def test_empty_files(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _folder(tmp_path, {"signals.csv": HEADER + "S1,2025-02-03,Wonen,Leegstand,,\n", "persons.csv": "",
                           "partners.csv": "partner_id,name,type\n"})
    report, _ = _ingest(d, embedded_store, tmp_path)
    assert report.loaded == 1
    assert any("persons.csv: het bestand is leeg" in w for w in report.warnings)
    assert report.file("partners").read == 0
    with pytest.raises(IngestError, match=r"signals\.csv: het bestand is leeg"):
        ingest_folder(_folder(tmp_path / "b", {"signals.csv": ""}), embedded_store, rejects_path=tmp_path / "r")


def test_required_field_empty_and_allowed_values(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _folder(tmp_path, {
        "signals.csv": HEADER + ",2025-02-03,Wonen,,,\nS2,2025-02-03,,,,\nS3,2025-02-03,Wonen,,,\n",
        "persons.csv": "person_id\nP1\n",
        "signal_persons.csv": "signal_id,person_id,role\nS3,P1,baas\nS3,P1,Betrokkene\n",
    })
    _report, rej = _ingest(d, embedded_store, tmp_path)
    sig = rej[rej["file"] == "signals.csv"]
    assert _only(sig, 2)["field"] == "signal_id" and _only(sig, 3)["field"] == "category"
    r = _only(rej[rej["file"] == "signal_persons.csv"], 2)
    assert r["field"] == "role" and "toegestaan: betrokkene" in r["reason"]
    assert embedded_store.relationships_df("INVOLVES")["role"].tolist() == ["betrokkene"]


def test_strict_writes_nothing_when_a_row_is_rejected(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = _folder(tmp_path, {"signals.csv": HEADER + "S1,2025-02-03,Wonen,,,\nS2,gisteren,Wonen,,,\n"})
    report, rej = _ingest(d, embedded_store, tmp_path, strict=True)
    assert not report.written and report.rejected == 1 and len(rej) == 1
    assert embedded_store.counts()["nodes"]["Signal"] == 0


def test_bom_crlf_semicolon_and_decimal_comma(embedded_store: GraphStore, tmp_path: Path) -> None:
    body = "\ufeffsignal_id;reported_at;category;lat;lon\r\nS1;03-02-2025 08:05;Wonen;53,1433;7,0349\r\n"
    report, _ = _ingest(_folder(tmp_path, {"signals.csv": body.encode()}), embedded_store, tmp_path)
    assert report.loaded == 1
    node = embedded_store.get_node("Signal", "S1")
    assert node["lat"] == pytest.approx(53.1433) and node["reported_at"] == "2025-02-03T08:05:00"  # type: ignore[index]
