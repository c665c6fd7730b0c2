"""The Signalen adapter on a realistic data-warehouse export sample, and the category mapping."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from netwerk.ingest import ingest_folder, load_categories
from netwerk.ingest.signalen import convert_signalen
from netwerk.store import GraphStore

SAMPLE = Path(__file__).resolve().parent / "data" / "signalen_export"


def test_convert_realistic_export(tmp_path: Path) -> None:
    conv = convert_signalen(SAMPLE, tmp_path / "v1")
    raw = pd.read_csv(SAMPLE / "signals.csv", dtype=str, keep_default_na=False)
    sig = pd.read_csv(tmp_path / "v1" / "signals.csv", dtype=str, keep_default_na=False)
    assert conv.signals == len(raw) == len(sig)
    assert sig["signal_id"].tolist() == raw["signal_uuid"].tolist()
    # the current category is the assignment the melding points at, else its latest assignment
    cats = pd.read_csv(SAMPLE / "categories.csv", dtype=str, keep_default_na=False).set_index("id")
    for _, row in raw[raw["category_assignment_id"] != ""].iterrows():
        got = sig.loc[sig["signal_id"] == row["signal_uuid"], "subcategory"].item()
        assert got == cats.loc[row["category_assignment_id"], "sub"]
    pointerless = raw[raw["category_assignment_id"] == ""]
    assert len(pointerless) > 0
    for sid in pointerless["id"]:
        latest = cats[cats["_signal_id"] == sid].sort_values("created_at").iloc[-1]
        uuid = raw.loc[raw["id"] == sid, "signal_uuid"].item()
        assert sig.loc[sig["signal_id"] == uuid, "subcategory"].item() == latest["sub"]
    # the export writes x as lat: coordinates are swapped back into the Netherlands
    assert pd.to_numeric(sig["lat"]).between(53, 53.3).all()
    # "Verdachte geldstromen" is not in the table, but its main category Ondermijning is
    assert set(conv.unknown_categories) == {"Parkeren / Foutparkeerders"}
    adr = pd.read_csv(tmp_path / "v1" / "addresses.csv", dtype=str, keep_default_na=False)
    assert adr["postcode"].str.fullmatch(r"\d{4}[A-Z]{2}").all()
    assert (sig["address_id"] == "").sum() > 0  # a melding with coordinates only


def test_ingest_signalen_sample(store: GraphStore, tmp_path: Path) -> None:
    convert_signalen(SAMPLE, tmp_path / "v1")
    report = ingest_folder(tmp_path / "v1", store, rejects_path=tmp_path / "rej.csv")
    assert report.rejected == 0 and report.loaded == report.read
    assert report.unknown_categories["Parkeren / Foutparkeerders"] >= 1
    n_parkeren = report.unknown_categories["Parkeren / Foutparkeerders"]
    assert f"categorie 'Parkeren / Foutparkeerders' ({n_parkeren} meldingen) is onbekend" in " ".join(
        report.warnings)
    signals = store.nodes_df("Signal")
    assert len(signals) == 40
    assert (signals["domain"] == "onbekend").sum() == n_parkeren
    assert set(signals.loc[signals["subcategory"] == "Verdachte geldstromen", "domain"]) == {"ondermijning"}
    assert set(signals["domain"]) <= {"jeugd", "woon", "zorg", "openbare_orde", "ondermijning", "overig", "onbekend"}
    assert (signals["domain"] != "overig").sum() > 10
    # created_at with time zone +00 becomes local (Amsterdam) time
    raw = pd.read_csv(SAMPLE / "signals.csv", dtype=str, keep_default_na=False).iloc[0]
    expected = pd.Timestamp(raw["created_at"].replace("+00", "+00:00")).tz_convert("Europe/Amsterdam")
    node = store.get_node("Signal", raw["signal_uuid"])
    assert node["reported_at"] == expected.strftime("%Y-%m-%dT%H:%M:%S")  # type: ignore[index]
    v1 = pd.read_csv(tmp_path / "v1" / "signals.csv", dtype=str, keep_default_na=False)
    with_address = int((v1["address_id"] != "").sum())
    assert 0 < with_address < len(v1)
    assert store.counts()["relationships"]["AT"] == with_address


def test_user_category_file_extends_the_table(tmp_path: Path) -> None:
    extra = tmp_path / "mijn.csv"
    extra.write_text(
        "main_slug,main_name,sub_slug,sub_name,domain,origin\n"
        "parkeren,Parkeren,,,openbare_orde,oldambt\n"
        "afval,Afval,grofvuil,Grofvuil,woon,oldambt\n"
    )
    cats = load_categories(extra)
    dom, unknown = cats.domains(pd.Series(["Parkeren", "afval", "Afval"]),
                                pd.Series(["Foutparkeerders", "grofvuil", "Huisafval"]))
    assert dom.tolist() == ["openbare_orde", "woon", "overig"] and not unknown.any()
    conv = convert_signalen(SAMPLE, tmp_path / "v1", categories=extra)
    assert conv.unknown_categories == {}


def test_bad_category_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("main_slug,main_name,sub_slug,sub_name,domain,origin\nx,X,,,verkeer,me\n")
    with pytest.raises(ValueError, match="onbekend domein verkeer"):
        load_categories(bad)


def test_json_address_column(tmp_path: Path) -> None:
    src = tmp_path / "export"
    shutil.copytree(SAMPLE, src)
    loc = pd.read_csv(src / "locations.csv", dtype=str, keep_default_na=False)
    loc["address"] = [
        json.dumps({"openbare_ruimte": r.address_street, "huisnummer": r.address_number, "huisletter": r.address_letter,
                    "huisnummer_toevoeging": r.address_addition, "postcode": r.address_postalcode,
                    "woonplaats": r.address_city}) if r.address_street else "null"
        for r in loc.itertuples()
    ]
    loc = loc.drop(columns=[c for c in loc.columns if c.startswith("address_") and c != "address_text"])
    loc.to_csv(src / "locations.csv", index=False)
    a = convert_signalen(src, tmp_path / "a")
    b = convert_signalen(SAMPLE, tmp_path / "b")
    assert a.addresses == b.addresses
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "a" / "signals.csv"), pd.read_csv(tmp_path / "b" / "signals.csv")
    )


def test_missing_export_file(tmp_path: Path) -> None:
    src = tmp_path / "export"
    shutil.copytree(SAMPLE, src)
    (src / "locations.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"locations\.csv ontbreekt"):
        convert_signalen(src, tmp_path / "out")
