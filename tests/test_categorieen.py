"""No category vanishes: normalised matching, main-category fallback, domain onbekend, `netwerk categorieen`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from netwerk.cli import app
from netwerk.ingest import ingest_folder, load_categories
from netwerk.ingest.categories import normalise
from netwerk.ingest.signalen import convert_signalen
from netwerk.store import GraphStore

SAMPLE = Path(__file__).resolve().parent / "data" / "signalen_export"
runner = CliRunner()


def test_names_match_after_normalisation_and_fall_back_to_their_main_category() -> None:
    assert normalise("Drank- / drugsoverlast") == normalise("drank en drugs-overlast") == "drankdrugsoverlast"
    assert normalise("DRANK & DRUGSOVERLAST") == normalise("Dránk-Drugsoverlast") == "drankdrugsoverlast"
    assert normalise("Overlast Bedrijven en Horeca") == normalise("overlast-bedrijven-en-horeca")
    cats = load_categories()
    main = pd.Series(["Overlast van en door personen of groepen", "overlast-van-en-door-personen-of-groepen",
                      "Overlast", "Zorgmelding", "WONEN", "Wonen", "Afval", "Parkeren", "Openbaar groen en water"])
    sub = pd.Series(["Drank- / drugsoverlast", "Drank-  en Drugsoverlast", "Burenconflict", "Verwarde persoon",
                     "leegstand", "Iets nieuws", "Grofvuil", "Foutparkeerders", ""])
    dom, kind = cats.match(main, sub)
    assert dom.tolist() == ["openbare_orde", "openbare_orde", "woon", "zorg", "woon", "woon", "overig", "onbekend",
                            "overig"]
    assert kind.tolist() == ["exact", "genormaliseerd", "exact", "exact", "exact", "hoofdcategorie", "exact",
                             "onbekend", "hoofdcategorie"]


def test_categorieen_on_the_signalen_export(tmp_path: Path) -> None:
    res = runner.invoke(app, ["categorieen", str(SAMPLE), "--format", "json", "--schrijf", str(tmp_path / "m.csv")])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    convert_signalen(SAMPLE, tmp_path / "v1")
    sig = pd.read_csv(tmp_path / "v1" / "signals.csv", dtype=str, keep_default_na=False)
    expected = sig.groupby(["category", "subcategory"]).size().to_dict()
    got = {(r["category"], r["subcategory"]): r["count"] for r in out["categories"]}
    assert got == expected and out["signals"] == len(sig) == 40
    rows = {(r["category"], r["subcategory"]): r for r in out["categories"]}
    park = rows[("Parkeren", "Foutparkeerders")]
    assert (park["domain"], park["match"]) == ("onbekend", "onbekend") and park["suggested_domain"]
    geld = rows[("Ondermijning", "Verdachte geldstromen")]
    assert (geld["domain"], geld["match"]) == ("ondermijning", "hoofdcategorie")
    assert rows[("Afval", "Grofvuil")]["match"] == "exact" and rows[("Afval", "Grofvuil")]["domain"] == "overig"
    assert out["categories"][0]["match"] == "onbekend"  # unknown first
    # the starter mapping is a valid category table: with it nothing is unknown any more
    mapped = load_categories(tmp_path / "m.csv")
    _, kind = mapped.match(sig["category"], sig["subcategory"])
    assert not (kind == "onbekend").any()
    starter = pd.read_csv(tmp_path / "m.csv", dtype=str, keep_default_na=False)
    assert starter.loc[starter["sub_name"] == "Foutparkeerders", "origin"].item() == "voorstel: controleren"


def test_categorieen_from_the_store_and_as_csv(embedded_store: GraphStore, tmp_path: Path) -> None:
    convert_signalen(SAMPLE, tmp_path / "v1")
    ingest_folder(tmp_path / "v1", embedded_store, rejects_path=tmp_path / "r.csv")
    path = str(embedded_store.path)  # type: ignore[attr-defined]
    res = runner.invoke(app, ["categorieen", "--store", path, "--format", "csv"])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(pd.io.common.StringIO(res.stdout), dtype=str, keep_default_na=False)
    assert table.columns.tolist()[:5] == ["category", "subcategory", "count", "domain", "match"]
    assert table["count"].astype(int).sum() == 40
    assert table.loc[table["category"] == "Parkeren", "match"].item() == "onbekend"
    res = runner.invoke(app, ["categorieen", "--store", path])
    text = " ".join(res.stdout.split())
    assert res.exit_code == 0 and "Categorieën (40 meldingen)" in text
    assert "2 melding(en) in 1 onbekende categorie(ën) krijgen domein 'onbekend'" in text


def test_ingest_warns_one_line_per_unknown_category(embedded_store: GraphStore, tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "signals.csv").write_text(
        "signal_id,reported_at,category,subcategory\n"
        + "".join(f"S{i},2025-03-01,Parkeren,Foutparkeerders\n" for i in range(3))
        + "T1,2025-03-01,Verkeer,Hardrijders\nW1,2025-03-01,Wonen,Iets nieuws\n", encoding="utf-8")
    report = ingest_folder(d, embedded_store, rejects_path=tmp_path / "r.csv")
    lines = [w for w in report.warnings if "is onbekend" in w]
    assert lines == [
        "categorie 'Parkeren / Foutparkeerders' (3 meldingen) is onbekend: domein 'onbekend' (wordt wel "
        "meegenomen); zie `netwerk categorieen` en vul de categorietabel aan met --categories",
        "categorie 'Verkeer / Hardrijders' (1 meldingen) is onbekend: domein 'onbekend' (wordt wel "
        "meegenomen); zie `netwerk categorieen` en vul de categorietabel aan met --categories",
    ]
    assert report.unknown_categories == {"Parkeren / Foutparkeerders": 3, "Verkeer / Hardrijders": 1}
    dom = embedded_store.nodes_df("Signal").set_index("signal_id")["domain"]
    assert dom["W1"] == "woon" and dom["T1"] == "onbekend"
