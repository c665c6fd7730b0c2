"""Tests of the synthetic municipality generator: determinism, format v1 validity, planted patterns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from netwerk.generate import generate
from netwerk.synth.names import elfproef
from netwerk.synth.output import COLUMNS

RISK_SBI = {"96.02", "45.20", "81.21", "56.10", "78.20", "96.04"}
END = pd.Timestamp("2025-10-31")


class Data:
    """A generated folder loaded as string DataFrames."""

    def __init__(self, path: Path, gt: dict[str, Any]) -> None:
        self.path, self.gt = path, gt
        self.t = {n: pd.read_csv(path / f"{n}.csv", dtype=str, keep_default_na=False) for n in COLUMNS}
        s = self.t["signals"]
        s["ts"] = pd.to_datetime(s["reported_at"], format="%Y-%m-%dT%H:%M:%S")
        cats = pd.read_csv(Path(__file__).resolve().parents[1] / "src/netwerk/data/category_domains.csv", dtype=str)
        dom = dict(zip(zip(cats.main_name, cats.sub_name, strict=True), cats.domain, strict=True))
        s["domain"] = [dom[k] for k in zip(s.category, s.subcategory, strict=True)]
        r = self.t["registrations"]
        r["start"] = pd.to_datetime(r["start_date"], format="%Y-%m-%d")
        r["end"] = pd.to_datetime(r["end_date"].replace("", None), format="%Y-%m-%d")
        p = self.t["persons"]
        self.birth = dict(zip(p.person_id, pd.to_datetime(p.birth_date, format="%Y-%m-%d"), strict=True))

    def signals(self, ids: list[str]) -> pd.DataFrame:
        return self.t["signals"].set_index("signal_id").loc[ids]

    def concurrency(self, address_id: str) -> int:
        """Max number of persons registered at the address at the same time."""
        r = self.t["registrations"]
        r = r[r.address_id == address_id]
        ev = sorted([(s, 1) for s in r.start] + [(e, -1) for e in r.end.dropna()])
        cur = best = 0
        for _, k in ev:
            cur += k
            best = max(best, cur)
        return best


def _make(tmp: Path, size: str, seed: int = 42) -> Data:
    gt = generate(tmp, seed=seed, size=size)
    return Data(tmp, gt)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return _make(tmp_path_factory.mktemp("small"), "small")


def test_deterministic(tmp_path: Path, small: Data) -> None:
    generate(tmp_path, seed=42, size="small")
    for f in sorted(small.path.iterdir()):
        assert (tmp_path / f.name).read_bytes() == f.read_bytes(), f.name
    other = tmp_path / "other"
    generate(other, seed=7, size="small")
    assert (other / "signals.csv").read_bytes() != (small.path / "signals.csv").read_bytes()


def test_columns_and_keys(small: Data) -> None:
    t = small.t
    for name, cols in COLUMNS.items():
        assert list(pd.read_csv(small.path / f"{name}.csv", nrows=0).columns) == cols, name
    for name, key in [("addresses", "address_id"), ("persons", "person_id"), ("signals", "signal_id"),
                      ("partners", "partner_id"), ("businesses", "business_id"), ("youth_groups", "group_id"),
                      ("cases", "case_id")]:
        assert t[name][key].is_unique and (t[name][key] != "").all(), name
    assert t["persons"].bsn.is_unique
    assert all(len(b) == 9 and elfproef(b) for b in t["persons"].bsn)
    assert not t["registrations"].duplicated(["person_id", "address_id", "start_date"]).any()
    assert not t["business_persons"].duplicated(["business_id", "person_id", "role"]).any()


def test_references_resolve(small: Data) -> None:
    t = small.t
    A, P = set(t["addresses"].address_id), set(t["persons"].person_id)
    S, B = set(t["signals"].signal_id), set(t["businesses"].business_id)
    partners = set(t["partners"].partner_id)
    assert set(t["registrations"].person_id) <= P and set(t["registrations"].address_id) <= A
    s = t["signals"]
    assert set(s.address_id) - {""} <= A
    assert s.source.map(lambda x: x in partners or (x.startswith("melder-") and x[7:].isdigit())).all()
    assert set(t["signal_persons"].signal_id) <= S and set(t["signal_persons"].person_id) <= P
    assert set(t["signal_persons"].role) <= {"betrokkene", "verdachte", "slachtoffer", "getuige", "melder"}
    assert set(t["group_members"].group_id) <= set(t["youth_groups"].group_id)
    assert set(t["group_members"].person_id) <= P
    assert set(t["businesses"].address_id) <= A
    assert set(t["business_persons"].business_id) <= B and set(t["business_persons"].person_id) <= P
    refs = {"person": P, "address": A, "signal": S, "partner": partners}
    cl = t["case_links"]
    assert set(cl.kind) <= set(refs)
    for kind, ids in refs.items():
        assert set(cl.ref_id[cl.kind == kind]) <= ids, kind
    assert set(cl.case_id) == set(t["cases"].case_id)
    # every signal is locatable: an address or coordinates with a buurt
    assert ((s.address_id != "") | ((s.lat != "") & (s.buurt_code != ""))).all()
    buurten = set(t["addresses"].buurt_code)
    assert set(s.buurt_code) - {""} <= buurten | {"BU18950803"}


def test_values_parse(small: Data) -> None:
    t = small.t
    for name, cols in [("persons", ["birth_date"]), ("registrations", ["start_date", "end_date"]),
                       ("businesses", ["registered_at"]), ("business_persons", ["start_date", "end_date"]),
                       ("group_members", ["since"]), ("cases", ["opened_at", "closed_at"])]:
        for c in cols:
            v = t[name][c][t[name][c] != ""]
            pd.to_datetime(v, format="%Y-%m-%d")
    s = t["signals"]
    assert s.ts.min() >= pd.Timestamp("2023-11-01") and s.ts.max() < END + pd.Timedelta(days=1)
    lat, lon = s.lat[s.lat != ""].astype(float), s.lon[s.lon != ""].astype(float)
    assert lat.between(53.05, 53.30).all() and lon.between(6.85, 7.30).all()
    a = t["addresses"]
    assert a.house_number.astype(int).min() >= 1 and a.floor_area_m2.astype(float).min() > 0
    assert set(t["cases"].phase) <= {"1", "2", "3", "4"}
    r = t["registrations"]
    assert (r.end.isna() | (r.end >= r.start)).all()


def test_size_targets(small: Data) -> None:
    c = small.gt["counts"]
    assert c["signals"] == 3000 == len(small.t["signals"])
    assert 1000 <= c["addresses"] <= 1300 and 1800 <= c["persons"] <= 4000
    assert 15 <= c["cases"] <= 30
    total = sum(f.stat().st_size for f in small.path.iterdir())
    assert total < 1_200_000
    # domain mix: 'overig' is the most common
    assert small.t["signals"].domain.value_counts().index[0] == "overig"


# -- planted patterns ---------------------------------------------------------------------------


def check_hotspots(d: Data) -> None:
    s = d.t["signals"]
    hot = d.gt["address_hotspots"]
    assert 8 <= len(hot) <= 12
    for h in hot:
        x = d.signals(h["signal_ids"])
        assert (x.address_id == h["address_id"]).all() and 8 <= len(x) <= 25
        assert x.ts.dt.date.nunique() == len(x)
        assert (x.ts.max() - x.ts.min()).days >= 120
        assert x.source.nunique() >= 3 and sorted(set(x.source)) == h["sources"]
        assert (x.domain == h["domain"]).all() and h["domain"] in ("woon", "zorg", "openbare_orde")
    # no other address looks like a recurring hotspot in those domains
    rel = s[(s.address_id != "") & s.domain.isin(["woon", "zorg", "openbare_orde"])]
    per = rel.groupby("address_id").agg(n=("signal_id", "size"), days=("ts", lambda t: t.dt.date.nunique()))
    others = per.drop([h["address_id"] for h in hot] + [d.gt["burst"]["address_id"]])
    assert others.days.max() <= 6


def check_locations(d: Data) -> None:
    s = d.t["signals"]
    loc = s[s.lat != ""]
    for h in d.gt["location_hotspots"]:
        x = d.signals(h["signal_ids"])
        assert 15 <= len(x) <= 40 and (x.address_id == "").all() and (x.subcategory == "Jongerenoverlast").all()
        assert x.source.nunique() >= 3 and (x.ts.max() - x.ts.min()).days >= 90
        dist = _dist(x.lat.astype(float), x.lon.astype(float), h["lat"], h["lon"])
        assert (dist <= h["radius_m"]).all()
        near = _dist(loc.lat.astype(float), loc.lon.astype(float), h["lat"], h["lon"]) <= 100
        assert set(loc.signal_id[near]) == set(h["signal_ids"])


def _dist(lat: pd.Series, lon: pd.Series, clat: float, clon: float) -> np.ndarray:
    return np.hypot((lat - clat) * 111_320, (lon - clon) * 111_320 * np.cos(np.radians(clat))).to_numpy()


def check_fenomeen(d: Data) -> None:
    s = d.t["signals"]
    (f,) = d.gt["fenomeen_areas"]
    x = d.signals(f["signal_ids"])
    assert len(f["address_ids"]) >= 8 and set(x.address_id) == set(f["address_ids"])
    assert x.address_id.value_counts().max() <= 3
    assert (x.buurt_code == f["buurt_code"]).all() and x.ts.min() >= END - pd.Timedelta(days=185)
    assert x.source.nunique() >= 4
    area = s[(s.buurt_code == f["buurt_code"]) & (s.subcategory == f["subcategory"])]
    before = ((area.ts < END - pd.Timedelta(days=183)).sum()) / 18
    last3 = (area.ts >= END - pd.Timedelta(days=91)).sum() / 3
    assert last3 >= 2.5 * max(before, 1)
    months = x.ts.dt.to_period("M").value_counts().sort_index()
    assert months.iloc[-3:].sum() > months.iloc[:3].sum()


def check_burst(d: Data) -> None:
    b = d.gt["burst"]
    x = d.signals(b["signal_ids"])
    assert 15 <= len(x) <= 20 and (x.address_id == b["address_id"]).all()
    assert set(x.source) == {b["source"]} and set(x.ts.dt.strftime("%Y-%m-%d")) == {b["date"]}
    assert d.gt["confounders"]["burst_address"] == b["address_id"]


def check_youth(d: Data) -> None:
    s, sp = d.t["signals"], d.t["signal_persons"]
    j = sp.merge(s[["signal_id", "ts", "domain"]], on="signal_id")
    jeugd = j[j.domain == "jeugd"]
    age = (jeugd.ts - jeugd.person_id.map(d.birth)).dt.days / 365.25
    assert age.between(12, 25).all()
    gm = d.t["group_members"]
    groups = d.gt["youth_groups"]
    assert len(groups) == 5 and sorted(g["status"] for g in groups).count("active") == 3
    recent = jeugd[jeugd.ts >= END - pd.Timedelta(days=365)]
    for g in groups:
        mem = set(g["members"])
        assert 5 <= len(mem) <= 12
        gs = jeugd[jeugd.signal_id.isin(g["signal_ids"]) & jeugd.person_id.isin(mem)]
        assert (gs.groupby("person_id").signal_id.nunique() >= 2).all() and set(gs.person_id) == mem
        assert (gs.groupby("signal_id").person_id.nunique() >= 2).mean() > 0.6
        reg = set(gm.person_id[gm.group_id == g["registered_group_id"]])
        assert reg == set(g["registered_members"])
        if g["status"] == "active":
            assert mem - reg and reg & mem and g["registered_group_id"]
        elif g["status"] == "emerging":
            assert g["registered_group_id"] is None
            assert gs.ts.min() >= END - pd.Timedelta(days=215)
        else:
            assert g["registered_group_id"] and not (set(recent.person_id) & reg)
        for ex in g["ex_members"]:
            assert ex in reg and ex not in set(recent.person_id)
    # siblings: two members of a group share a registration address and surname
    r, p = d.t["registrations"], d.t["persons"].set_index("person_id")
    sib = 0
    for g in groups:
        home = r[r.person_id.isin(g["members"])].groupby("address_id").person_id.unique()
        sib += sum(len(m) >= 2 and p.loc[m, "last_name"].nunique() == 1 for m in home)
    assert sib >= 2
    assert len(d.gt["youth_fights"]) >= 2
    for link in d.gt["youth_adult_links"]:
        both = set(sp.person_id[sp.signal_id == link["signal_id"]])
        assert {link["youth"], link["adult"]} <= both
        adult = j[(j.person_id == link["adult"]) & (j.domain == "ondermijning")]
        assert adult.signal_id.nunique() >= 2
    loose = jeugd[jeugd.person_id.isin(d.gt["loose_youths"])]
    assert (loose.groupby("person_id").signal_id.nunique() == 1).all()


def check_rings(d: Data) -> None:
    a = d.t["addresses"].set_index("address_id")
    r, bp, biz = d.t["registrations"], d.t["business_persons"], d.t["businesses"].set_index("business_id")
    s = d.t["signals"]
    assert 2 <= len(d.gt["rings"]) <= 3
    for ring in d.gt["rings"]:
        assert 2 <= len(ring["addresses"]) <= 4
        for adr in ring["addresses"]:
            assert a.loc[adr, "purpose"] == "woonfunctie" and 40 <= float(a.loc[adr, "floor_area_m2"]) <= 70
            assert d.concurrency(adr) >= 8
        rr = r[r.address_id.isin(ring["addresses"])]
        assert rr.person_id.nunique() >= 20
        stay = (rr.end.fillna(END) - rr.start).dt.days
        assert stay.median() <= 150
        assert set(biz.loc[ring["businesses"], "sbi_code"]) <= RISK_SBI
        fac = bp[(bp.person_id == ring["facilitator"]) & bp.business_id.isin(ring["businesses"])]
        assert fac.business_id.nunique() >= 2 and set(fac.role) <= {"eigenaar", "bestuurder"}
        fr = rr[rr.person_id == ring["facilitator"]]
        assert len(fr) >= 1 and ((fr.end.fillna(END) - fr.start).dt.days <= 60).all()
        owners = bp[(bp.role == "eigenaar") & bp.person_id.isin(ring["straw_men"])]
        assert owners.business_id.nunique() == 1 and len(owners) >= 3
        payroll = set(bp.person_id[(bp.role == "werknemer") & bp.business_id.isin(ring["businesses"])])
        assert len(set(ring["workers"]) - payroll) > 0.5 * len(ring["workers"])
        sig = s[s.address_id.isin(ring["addresses"]) & (s.domain == "ondermijning")]
        assert len(sig) >= 2


def check_confounders(d: Data) -> None:
    c = d.gt["confounders"]
    a = d.t["addresses"].set_index("address_id")
    r, bp = d.t["registrations"], d.t["business_persons"]
    for adr in c["student_houses"]:
        rr = r[r.address_id == adr]
        assert d.concurrency(adr) < 8 and float(a.loc[adr, "floor_area_m2"]) > 100
        assert (rr.end.fillna(END) - rr.start).dt.days.median() >= 180
    for adr in c["big_families"]:
        rr = r[r.address_id == adr]
        ages = (END - rr.person_id.map(d.birth)).dt.days / 365.25
        assert 8 <= len(rr) <= 11 and (ages < 18).sum() >= 3 and rr.end.isna().all()
    for adr in c["labour_migrant_housing"]:
        rr = r[r.address_id == adr]
        assert a.loc[adr, "purpose"] == "logiesfunctie" and float(a.loc[adr, "floor_area_m2"]) >= 300
        assert d.concurrency(adr) >= 15
        assert set(rr.person_id) <= set(bp.person_id[bp.role == "werknemer"])


def check_cases(d: Data) -> None:
    cases, cl = d.t["cases"], d.t["case_links"]
    assert 15 <= len(cases) <= 80 and sorted(d.gt["cases"]) == sorted(cases.case_id)
    assert set(cases.domain) >= {"zorg", "woon", "jeugd", "ondermijning"}
    assert (cases.closed_at != "").any() and (cases.closed_at == "").any()
    hot = {h["address_id"] for h in d.gt["address_hotspots"]}
    assert len(hot & set(cl.ref_id[cl.kind == "address"])) >= 3


CHECKS = [check_hotspots, check_locations, check_fenomeen, check_burst, check_youth, check_rings,
          check_confounders, check_cases]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_planted_small(small: Data, check: Any) -> None:
    check(small)


@pytest.mark.parametrize("seed", [1, 2023])
def test_planted_other_seeds(tmp_path: Path, seed: int) -> None:
    d = _make(tmp_path, "small", seed)
    for check in CHECKS:
        check(d)


@pytest.mark.slow
def test_planted_medium(tmp_path: Path) -> None:
    d = _make(tmp_path, "medium")
    assert d.gt["counts"]["signals"] == 30_000
    for check in CHECKS:
        check(d)


def test_ground_truth_file(small: Data) -> None:
    gt = json.loads((small.path / "ground_truth.json").read_text(encoding="utf-8"))
    assert gt == small.gt
    keys = {"seed", "size", "start_date", "end_date", "counts", "address_hotspots", "location_hotspots",
            "fenomeen_areas", "burst", "youth_groups", "loose_youths", "youth_adult_links", "rings", "confounders",
            "cases"}
    assert keys <= set(gt)
    assert gt["seed"] == 42 and gt["size"] == "small" and gt["end_date"] == "2025-10-31"


def test_unknown_size(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, size="gigantic")
