"""Monitoring per priority: figures equal an independent pandas groupby of the input files (years and quarters,
an empty period, a theme without signals), on both stores and on a second municipality; CLI formats."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from netwerk.cli import app
from netwerk.frames import Frames
from netwerk.ingest import ingest_folder
from netwerk.monitor.monitor import monitor_table
from netwerk.monitor.themes import load_source_groups, load_themes
from netwerk.store import GraphStore

runner = CliRunner()
CATEGORIES = Path(__file__).resolve().parents[1] / "src" / "netwerk" / "data" / "category_domains.csv"

#: the test's own theme table: a domain theme, a subcategory theme, a two-rule theme and one without signals
THEMES_CSV = """theme,name,priority,domain,category,subcategory
woon,Woonoverlast,1,woon,,
jeugd_vuurwerk,Jongeren en vuurwerk,2,,,Jongerenoverlast
jeugd_vuurwerk,Jongeren en vuurwerk,2,,,Overlast door afsteken vuurwerk
ondermijning,Ondermijning,3,ondermijning,,
leeg,Thema zonder meldingen,4,,,Bestaat niet in de data
"""
#: the independent reading of the default source-group table
GROUP_OF_TYPE = {"politie": "politie", "gemeente": "gemeente", "mzo": "gemeente", "boa": "gemeente"}


def _themes(tmp_path: Path) -> Path:
    path = tmp_path / "themes.csv"
    path.write_text(THEMES_CSV, encoding="utf-8")
    return path


def expected_counts(folder: Path, themes_csv: str, per: str, area: str | None = None) -> pd.DataFrame:
    """Independent pandas groupby over the raw input files: (theme, area, period, group) → count."""
    members = expected_members(folder, themes_csv, per, area)
    return members.groupby(["theme", "area", "period", "group"]).size().rename("n").reset_index()


def expected_members(folder: Path, themes_csv: str, per: str, area: str | None = None) -> pd.DataFrame:
    """Independently: every (theme, signal) membership with the signal's area, period and source group."""
    sig = pd.read_csv(folder / "signals.csv", dtype=str, keep_default_na=False)
    partners = pd.read_csv(folder / "partners.csv", dtype=str, keep_default_na=False)
    cats = pd.read_csv(CATEGORIES, dtype=str, keep_default_na=False)
    sig = sig.merge(cats[["main_name", "sub_name", "domain"]].rename(
        columns={"main_name": "category", "sub_name": "subcategory"}), on=["category", "subcategory"], how="left")
    ptype = dict(zip(partners["partner_id"], partners["type"], strict=True))
    sig["group"] = [
        "onbekend" if not s else GROUP_OF_TYPE.get(ptype[s], "partners") if s in ptype else "bewoners"
        for s in sig["source"]
    ]
    ts = pd.to_datetime(sig["reported_at"])
    sig["period"] = ts.dt.year.astype(str) if per == "jaar" else (
        ts.dt.year.astype(str) + "-K" + ts.dt.quarter.astype(str))
    if area == "wijk":
        adr = pd.read_csv(folder / "addresses.csv", dtype=str, keep_default_na=False)
        wijk = dict(zip(adr["address_id"], adr["wijk_code"], strict=True))
        code = sig["buurt_code"].where(sig["buurt_code"] != "", sig["address_id"].map(
            dict(zip(adr["address_id"], adr["buurt_code"], strict=True))))
        sig["area"] = [wijk.get(a) or ("WK" + c[2:8] if isinstance(c, str) and c else "onbekend")
                       for a, c in zip(sig["address_id"], code, strict=True)]
    else:
        sig["area"] = ""
    rules = pd.read_csv(pd.io.common.StringIO(themes_csv), dtype=str, keep_default_na=False)
    parts = []
    for r in rules.itertuples():
        m = pd.Series(True, index=sig.index)
        for f in ("domain", "category", "subcategory"):
            v = getattr(r, f)
            if v:
                m &= sig[f].fillna("").str.strip().str.lower() == v.strip().lower()
        parts.append(sig.loc[m, ["signal_id", "area", "period", "group"]].assign(theme=r.theme))
    return pd.concat(parts).drop_duplicates(["theme", "signal_id"]).assign(total=len(sig))


def _observed(table, area: bool = False) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    long = table.rows.melt(id_vars=["theme", "area_code", "period"], value_vars=list(table.groups),
                           var_name="group", value_name="n")
    long["area"] = long["area_code"].fillna("") if area else ""
    return long[long["n"] > 0][["theme", "area", "period", "group", "n"]]


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    key = ["theme", "area", "period", "group"]
    a = a.sort_values(key).reset_index(drop=True).astype({"n": int})
    b = b.sort_values(key).reset_index(drop=True).astype({"n": int})
    pd.testing.assert_frame_equal(a[[*key, "n"]], b[[*key, "n"]])


@pytest.fixture
def town_in_store(town: dict, store: GraphStore) -> GraphStore:
    report = ingest_folder(town["dir"], store)
    assert report.rejected == 0
    return store


@pytest.mark.parametrize("per", ["jaar", "kwartaal"])
def test_monitor_equals_independent_groupby(town: dict, town_in_store: GraphStore, tmp_path: Path, per: str) -> None:
    frames = Frames.from_store(town_in_store)
    table = monitor_table(frames, load_themes(_themes(tmp_path)), per, since="2022-07-01")
    _same(_observed(table), expected_counts(town["dir"], THEMES_CSV, per))
    # every period from the given start, the empty ones (before the data) included, for every theme
    first_signal = pd.Timestamp(frames.signals["reported_at"].min())
    empty = "2022" if per == "jaar" else "2022-K3"
    assert table.periods[0] == empty and pd.Timestamp("2022-12-31") < first_signal
    assert len(table.rows) == len(table.periods) * 4  # 3 themes with signals and one without: every period
    assert (table.rows.loc[table.rows["period"] == empty, "total"] == 0).all()
    members = expected_members(town["dir"], THEMES_CSV, per)
    assert table.excluded == {"in geen thema": members["total"].iloc[0] - members["signal_id"].nunique()}
    leeg = table.rows[table.rows["theme"] == "leeg"]
    assert len(leeg) == len(table.periods) and (leeg["total"] == 0).all()
    # totals, change and the too-small rule
    r = table.rows
    assert (r["total"] == r[list(table.groups)].sum(axis=1)).all()
    later = r[r["previous"].notna()]
    assert (later["change_abs"] == later["total"] - later["previous"]).all()
    small = later[(later["previous"] < table.min_count)]
    assert not small.empty and not small["comparable"].any()
    notes = set(small["note"])
    assert "te weinig meldingen om te vergelijken" in notes and notes <= {
        "te weinig meldingen om te vergelijken", "onvolledige periode"}
    # the last period ends after the data (2025-10-31): incomplete, so never compared
    assert r.loc[r["period"] == table.periods[-1], "partial"].all()


def test_monitor_per_wijk_equals_groupby(town: dict, town_frames: Frames, tmp_path: Path) -> None:
    table = monitor_table(town_frames, load_themes(_themes(tmp_path)), "kwartaal", "wijk")
    _same(_observed(table, area=True), expected_counts(town["dir"], THEMES_CSV, "kwartaal", "wijk"))
    assert set(table.rows["area_code"].dropna()) >= {"WK189500"}


def test_monitor_second_municipality(tmp_path: Path) -> None:
    """A Koggenland-like export: other codes, partner ids, partner types and categories."""
    folder = tmp_path / "koggenland"
    folder.mkdir()
    pd.DataFrame({
        "partner_id": ["pol-nhn", "gem-kog", "woonschakel", "boa-kog"],
        "name": ["Politie Noord-Holland Noord", "Gemeente Koggenland", "Woonschakel", "Handhaving"],
        "type": ["politie", "gemeente", "woningcorporatie", "boa"],
    }).to_csv(folder / "partners.csv", index=False)
    rows = []
    sources = ["pol-nhn", "gem-kog", "woonschakel", "boa-kog", "melder-x", ""]
    subs = [("Woonoverlast", "Burenoverlast geluid"), ("Overlast van en door personen of groepen",
                                                          "Jongerenoverlast"), ("Ondermijning", "Drugshandel")]
    for i in range(120):
        main, sub = subs[i % 3]
        day = pd.Timestamp("2022-01-03") + pd.Timedelta(days=(i * 11) % 700)
        if day.year == 2022 and day.quarter == 3:  # an empty quarter in the middle
            day += pd.Timedelta(days=100)
        rows.append({"signal_id": f"K{i:04d}", "reported_at": day.isoformat(), "category": main, "subcategory": sub,
                     "source": sources[i % 6], "buurt_code": f"BU1598{(i % 4):04d}"})
    pd.DataFrame(rows).to_csv(folder / "signals.csv", index=False)
    pd.DataFrame(columns=["address_id", "wijk_code"]).to_csv(folder / "addresses.csv", index=False)
    sig = pd.read_csv(folder / "signals.csv", dtype=str, keep_default_na=False)
    cats = pd.read_csv(CATEGORIES, dtype=str, keep_default_na=False)
    dom = dict(zip(zip(cats["main_name"], cats["sub_name"], strict=True), cats["domain"], strict=True))
    sig["domain"] = [dom[(a, b)] for a, b in zip(sig["category"], sig["subcategory"], strict=True)]
    sig["source"] = sig["source"].replace("", None)
    frames = Frames.from_tables({"signals": sig, "partners": pd.read_csv(folder / "partners.csv")})
    table = monitor_table(frames, load_themes(_themes(tmp_path)), "kwartaal")
    _same(_observed(table), expected_counts(folder, THEMES_CSV, "kwartaal"))
    assert "2022-K3" in table.periods
    assert (table.rows.loc[table.rows["period"] == "2022-K3", "total"] == 0).all()
    groups = table.rows.groupby("theme")[list(table.groups)].sum().sum()
    assert groups["politie"] == 20 and groups["gemeente"] == 40 and groups["onbekend"] == 20


def test_default_theme_table_is_oldambt_priorities() -> None:
    themes = {t.id: t for t in load_themes()}
    assert {"zorg_en_veiligheid", "kwetsbare_jongeren", "ondermijning", "woonoverlast",
            "verkeersveiligheid"} <= set(themes)
    assert themes["kwetsbare_jongeren"].priority == "2" and themes["ondermijning"].priority == "3"
    assert load_source_groups().groups[:3] == ("politie", "gemeente", "partners")


def test_bad_theme_table_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "t.csv"
    bad.write_text("theme,name,priority,domain,category,subcategory\nx,X,1,,,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"t\.csv regel 2"):
        load_themes(bad)


def test_cli_monitor_formats(town_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETWERK_STORE", str(town_store_path))  # the access check resolves the store first
    themes = tmp_path / "themes.csv"
    themes.write_text(THEMES_CSV + "formule,=HYPERLINK(\"http://x\"),5,zorg,,\n", encoding="utf-8")
    base = ["monitor", "--store", str(town_store_path), "--themas", str(themes)]
    res = runner.invoke(app, [*base, "--format", "json", "--per", "kwartaal"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["per"] == "kwartaal" and data["periods"][0] == "2023-K4"
    assert {"theme", "period", "politie", "gemeente", "partners", "total", "change_abs", "change_rel", "comparable",
            "note"} <= set(data["rows"][0])
    xlsx, figs = tmp_path / "m.xlsx", tmp_path / "figs"
    res = runner.invoke(app, [*base, "--format", "xlsx", "--uit", str(xlsx), "--figuren", str(figs)])
    assert res.exit_code == 0, res.output
    ws = load_workbook(xlsx)["Monitor"]
    names = [c.value for c in ws["B"]]
    assert "'=HYPERLINK(\"http://x\")" in names and not any(str(n).startswith("=") for n in names if n)
    assert ws["E1"].value == "2023" and ws["E2"].value == "politie"
    assert sorted(p.name for p in figs.glob("*.png")) == sorted(
        f"monitor_{t}.png" for t in ("woon", "jeugd_vuurwerk", "ondermijning", "leeg", "formule"))
    res = runner.invoke(app, [*base, "--format", "csv", "--gebied", "buurt"])
    assert res.exit_code == 0, res.output
    csv_rows = pd.read_csv(pd.io.common.StringIO(res.output))
    assert csv_rows["area_code"].str.startswith("BU").any()
    res = runner.invoke(app, [*base, "--format", "xlsx"])
    assert res.exit_code == 1 and "--uit" in res.output
