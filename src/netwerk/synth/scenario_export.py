"""Scenario B: a police export of another municipality (Zwolle), written directly, not by the generator.

Deliberately its own code path, naming and habits, so the analyses are tested on data nobody shaped
for them: police incident numbers, BAG nummeraanduiding ids and combined house numbers ("12 A",
"7-2"), RD New ``x``/``y`` only, ``;`` as delimiter, the police's own category names ("Overlast /
Burenconflict", "Drugs- en drankoverlast", "Zorgmelding / Verwarde persoon") and categories no mapping
table knows, KvK SBI codes without dots ("9602", "96021"), and a single source (the police) for all
but one planted part. Planted, with the truth in ``scenario_truth.json``:

- ``address_hotspots``: recurring incidents at ten addresses (police only), one of them in a category
  no table knows;
- ``fenomeen``: a stable, long-running overlast in one buurt: ~70 reports over the last six months at
  ~50 addresses from several sources, about as many each month (not rising);
- ``burst``: one address with ~20 incidents on a single day;
- ``rings``: two labour-exploitation rings (small homes with many short stays, risk-sector businesses
  with KvK codes, a facilitator, straw-man owners) and ``confounders`` that must rank below them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

GEMEENTE = "GM0193"
FIRST, LAST = np.datetime64("2021-01-01"), np.datetime64("2022-12-31")
DAYS = int((LAST - FIRST).astype(int)) + 1
POLICE = "pol-on-zwolle"
PARTNERS = [
    (POLICE, "Politie Eenheid Oost-Nederland, basisteam Zwolle", "politie"),
    ("zwolle-handhaving", "Gemeente Zwolle, Toezicht en Handhaving", "gemeente"),
    ("woonbedrijf-zwolle", "Woningstichting (Zwolle)", "woningcorporatie"),
]
# the police's own (main, sub) names with background weights; two mains no table knows
BACKGROUND = [
    ("Overlast", "Burenconflict", 6), ("Overlast", "Geluidsoverlast", 5), ("Overlast", "Drugs- en drankoverlast", 3),
    ("Zorgmelding", "Verwarde persoon", 4), ("Burengerucht", "Burengerucht binnen", 3),
    ("Vernieling", "Vernieling auto", 3), ("Verkeer", "Verkeersongeval", 4), ("Diefstal", "Fietsdiefstal", 4),
]
HOTSPOT_KINDS = [
    ("Overlast", "Burenconflict"), ("Zorgmelding", "Verwarde persoon"), ("Overlast", "Drugs- en drankoverlast"),
    ("Burengerucht", "Burengerucht binnen"), ("Overlast", "Geluidsoverlast"),
]
FENOMEEN = ("Overlast", "Drugs- en drankoverlast")
RING_BUSINESSES = [
    [("Nagelstudio Bella", "96021", "nagelstudio"), ("Massage Oase", "9604", "massagesalon"),
     ("Schoonmaak Sneller", "8121", "schoonmaak")],
    [("Carwash Centrum", "4520", "autowasstraat"), ("Flex Uitzend", "7820", "uitzendbureau"),
     ("Restaurant De Gouden Draak", "56101", "restaurant")],
]
_BG_SBI = ["4711", "47710", "4120", "43221", "6201", "6920", "8621", "9602", "5610", "4520", "6820", "8559",
           "9312", "1071", "4941", "7410"]
_STREETS = ["Assendorperstraat", "Diezerstraat", "Luttekestraat", "Melkmarkt", "Thorbeckegracht", "Koestraat",
            "Bagijnesingel", "Ossenmarkt", "Kamperstraat", "Hoogstraat", "Wipstrikkerallee", "Veerallee",
            "Deventerstraatweg", "Stationsweg", "Eekwal", "Pletterstraat", "Rhijnvis Feithlaan", "Dobbe",
            "Zeven Alleetjes", "Boerendanserdijk", "Palestinastraat", "Hortensiastraat", "Vechtstraat"]


@dataclass
class _Export:
    rng: np.random.Generator
    addresses: pd.DataFrame = field(default_factory=pd.DataFrame)
    persons: list[tuple[str, int, str]] = field(default_factory=list)  # id, birth year, gender
    regs: list[tuple[str, str, str, str]] = field(default_factory=list)
    incidents: list[dict[str, Any]] = field(default_factory=list)
    businesses: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    roles: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)

    def person(self, age_lo: int, age_hi: int, female: float = 0.5) -> str:
        pid = f"BVH{len(self.persons) + 100_001:07d}"
        age = int(self.rng.integers(age_lo, age_hi + 1))
        self.persons.append((pid, 2022 - age, "V" if self.rng.random() < female else "M"))
        return pid

    def register(self, person: str, addr: int, start: int, end: int | None) -> None:
        self.regs.append((person, self.aid(addr), _date(start), "" if end is None or end >= DAYS else _date(end)))

    def aid(self, addr: int) -> str:
        return str(self.addresses.at[addr, "address_id"])

    def incident(self, d: int, main: str, sub: str, addr: int, source: str = POLICE, hour: int | None = None) -> str:
        h = int(self.rng.integers(7, 24)) if hour is None else hour
        sid = f"PL0193-{2021 + d // 365}{len(self.incidents) + 1:06d}"
        a = self.addresses.loc[addr]
        self.incidents.append({"signal_id": sid, "day": d, "sec": h * 3600 + int(self.rng.integers(0, 3600)),
                               "category": main, "subcategory": sub, "source": source,
                               "address_id": a.address_id, "x": a.x, "y": a.y, "buurt_code": a.buurt_code})
        return sid

    def pick(self, n: int, buurten: list[str] | None = None, small: bool | None = None) -> list[int]:
        a = self.addresses
        ok = (a["purpose"] == "woonfunctie") & ~a.index.isin(list(self.taken))
        if buurten is not None:
            ok &= a["buurt_code"].isin(buurten)
        if small is not None:
            ok &= (a["floor_area_m2"] < 80) == small
        chosen = [int(i) for i in self.rng.choice(a.index[ok], n, replace=False)]
        self.taken.update(chosen)
        return chosen


def _date(d: int) -> str:
    return str(FIRST + np.timedelta64(int(d), "D"))


def _addresses(ex: _Export, n: int) -> str:
    """BAG-like addresses spread over Zwolle's real buurten (label points), RD x/y; returns the biggest buurt."""
    from netwerk.geo.coords import wgs84_to_rd
    from netwerk.geo.national import national_areas

    rng = ex.rng
    f = national_areas().for_gemeenten([GEMEENTE]).frame
    bu = f[(f["kind"] == "buurt") & ~f["name"].str.contains("Bedrijventerrein|Verspreide", regex=True)]
    bu = bu.sort_values("area_code").reset_index(drop=True)
    weight = rng.lognormal(0, 0.5, len(bu))
    big = int(rng.integers(0, len(bu)))
    weight[big] = 0.07 * weight.sum() / 0.93  # one big buurt (the fenomeen's), ~7% of the addresses
    k = rng.choice(len(bu), n, p=weight / weight.sum())
    x0, y0 = wgs84_to_rd(bu["lat"].to_numpy(float), bu["lon"].to_numpy(float))
    x = np.round(x0[k] + rng.normal(0, 140, n), 2)
    y = np.round(y0[k] + rng.normal(0, 140, n), 2)
    street = np.array(_STREETS)[(k * 7 + rng.integers(0, 2, n)) % len(_STREETS)]
    num = rng.integers(1, 180, n)
    letter = np.where(rng.random(n) < 0.07, rng.choice(np.array(["A", "B", "a"]), n), "")
    addition = np.where(rng.random(n) < 0.06, rng.choice(np.array(["1", "2", "bis", "hs"]), n), "")
    text = [f"{nu}{' ' if lt.isupper() else ''}{lt}{'-' if ad.isdigit() else ' ' if ad else ''}{ad}"
            for nu, lt, ad in zip(num, letter, addition, strict=True)]
    purpose = np.where(rng.random(n) < 0.9, "woonfunctie", rng.choice(np.array(["winkelfunctie", "kantoorfunctie"]), n))
    area = np.clip(np.round(rng.lognormal(np.log(105), 0.3, n)), 40, 400).astype(int)
    ex.addresses = pd.DataFrame({
        "address_id": [f"0193200000{i:06d}" for i in rng.permutation(n) + 10_000],
        "street": street, "house_number": text,
        "postcode": [f"80{11 + kk % 30:02d} {chr(65 + kk % 26)}{chr(65 + nu % 26)}"
                     for kk, nu in zip(k, num, strict=True)],
        "city": "Zwolle", "buurt_code": bu["area_code"].to_numpy()[k], "x": x, "y": y,
        "purpose": purpose, "floor_area_m2": area,
    }).drop_duplicates(["street", "house_number", "postcode"]).reset_index(drop=True)
    return str(bu["area_code"].iloc[big])


def _households(ex: _Export) -> None:
    rng = ex.rng
    homes = ex.addresses.index[(ex.addresses["purpose"] == "woonfunctie").to_numpy()]
    for a in homes[rng.random(homes.size) < 0.7]:
        size = int(rng.choice([1, 2, 2, 3, 4]))
        for j in range(size):
            p = ex.person(25, 80) if j < 2 else ex.person(0, 17)
            ex.register(p, int(a), -int(rng.integers(100, 6000)), None)


def _background(ex: _Export, n: int) -> None:
    rng = ex.rng
    w = np.array([c[2] for c in BACKGROUND], dtype=float)
    kinds = rng.choice(len(BACKGROUND), n, p=w / w.sum())
    cand = np.setdiff1d(ex.addresses.index.to_numpy(), list(ex.taken))
    addr = rng.choice(cand, n)
    for k, a, d in zip(kinds, addr, rng.integers(0, DAYS, n), strict=True):
        main, sub, _ = BACKGROUND[k]
        ex.incident(int(d), main, sub, int(a))


def _hotspots(ex: _Export, buurten: list[str], avoid: str) -> list[dict[str, Any]]:
    rng, out = ex.rng, []
    for i, a in enumerate(ex.pick(10, [b for b in buurten if b != avoid])):
        main, sub = HOTSPOT_KINDS[i % len(HOTSPOT_KINDS)]
        n = int(rng.integers(12, 30))
        span = int(rng.integers(150, 420))
        start = int(rng.integers(DAYS - 540, DAYS - span))
        days = np.sort(rng.choice(np.arange(start, start + span), n, replace=False))
        ids = [ex.incident(int(d), main, sub, a) for d in days]
        out.append({"address_id": ex.aid(a), "buurt_code": str(ex.addresses.at[a, "buurt_code"]), "category": main,
                    "subcategory": sub, "signal_ids": ids})
    return out


def _fenomeen(ex: _Export, buurt: str) -> dict[str, Any]:
    """~70 reports over the last six months at ~50 addresses, several sources, flat month by month."""
    rng = ex.rng
    addrs = ex.pick(50, [buurt])
    monthly = [12, 11, 12, 12, 11, 12]
    sources = [POLICE] * 5 + ["zwolle-handhaving"] * 2 + ["woonbedrijf-zwolle"] + ["melder"] * 2
    ids, k = [], 0
    for m, c in enumerate(monthly):
        for d in np.sort(rng.integers(DAYS - 180 + 30 * m, DAYS - 180 + 30 * (m + 1), c)):
            a = addrs[k % len(addrs)] if k < len(addrs) else int(rng.choice(addrs))
            src = str(rng.choice(sources))
            src = f"melder-{9000 + k}" if src == "melder" else src
            ids.append(ex.incident(int(d), *FENOMEEN, a, source=src))
            k += 1
    return {"buurt_code": buurt, "category": FENOMEEN[0], "subcategory": FENOMEEN[1],
            "address_ids": [ex.aid(a) for a in addrs], "signal_ids": ids, "monthly_counts": monthly}


def _burst(ex: _Export, buurten: list[str]) -> dict[str, Any]:
    a = ex.pick(1, buurten)[0]
    d = DAYS - 120
    ids = [ex.incident(d, "Overlast", "Geluidsoverlast", a, hour=h % 24) for h in range(8, 28)]
    return {"address_id": ex.aid(a), "date": _date(d), "signal_ids": ids}


def _business(ex: _Export, name: str, sbi: str, sector: str, addr: int, since: int) -> str:
    bid = f"KVK{len(ex.businesses) + 60_000_001:08d}"
    ex.businesses.append((bid, name, sbi, sector, ex.aid(addr), _date(since)))
    return bid


def _role(ex: _Export, biz: str, person: str, role: str, start: int, end: int | None = None) -> None:
    ex.roles.append((biz, person, role, _date(start), "" if end is None or end >= DAYS else _date(end)))


def _rings(ex: _Export, buurten: list[str]) -> list[dict[str, Any]]:
    rng, out = ex.rng, []
    for r, bizdef in enumerate(RING_BUSINESSES):
        area = [buurten[(7 * r + j) % len(buurten)] for j in range(4)]
        addrs = ex.pick(3, area, small=True)
        ex.addresses.loc[addrs, "floor_area_m2"] = rng.integers(45, 66, 3)
        workers: list[str] = []
        for a in addrs:
            for _ in range(int(rng.integers(9, 13))):  # beds, each a chain of short stays
                t = int(rng.integers(DAYS - 700, DAYS - 600))
                while t < DAYS:
                    e = t + int(rng.integers(30, 140))
                    p = ex.person(19, 45, female=0.7 if r == 0 else 0.3)
                    ex.register(p, a, t, e)
                    workers.append(p)
                    t = e + int(rng.integers(0, 15))
        shops = [addrs[0]] + [int(i) for i in rng.choice(ex.addresses.index[ex.addresses["purpose"] != "woonfunctie"],
                                                          len(bizdef) - 1, replace=False)]
        biz = [_business(ex, n, s, sec, shop, DAYS - 900) for (n, s, sec), shop in zip(bizdef, shops, strict=True)]
        fac = ex.person(35, 55, female=0.2)
        ex.register(fac, ex.pick(1)[0], -3000, None)
        for t in (DAYS - 560, DAYS - 300):
            ex.register(fac, int(rng.choice(addrs)), t, t + int(rng.integers(14, 40)))
        _role(ex, biz[0], fac, "eigenaar", DAYS - 900)
        _role(ex, biz[1], fac, "bestuurder", DAYS - 900)
        _role(ex, biz[2], fac, "eigenaar", DAYS - 900)
        straw = [str(p) for p in rng.choice(workers, 4, replace=False)]
        t = DAYS - 650
        for k, p in enumerate(straw):
            e = t + int(rng.integers(60, 140))
            _role(ex, biz[1], p, "eigenaar", t, None if k == len(straw) - 1 else e)
            t = e
        for p in rng.choice(workers, len(workers) // 3, replace=False):
            _role(ex, str(rng.choice(biz)), str(p), "werknemer", DAYS - 600)
        ids = [ex.incident(int(rng.integers(DAYS - 500, DAYS)), m, s, int(rng.choice(addrs)))
               for m, s in (("Ondermijning", "Woningdelen / spookburgers"),
                            ("Ondermijning", "Signalen mensenhandel / uitbuiting"),
                            ("Ondermijning", "Woningdelen / spookburgers"))]
        out.append({"ring_id": f"B{r + 1}", "addresses": [ex.aid(a) for a in addrs], "businesses": biz,
                    "facilitator": fac, "straw_men": straw, "signal_ids": ids})
    return out


def _confounders(ex: _Export, buurten: list[str]) -> dict[str, list[str]]:
    rng = ex.rng
    student, family = ex.pick(1, buurten, small=False)[0], ex.pick(1, buurten, small=False)[0]
    ex.addresses.loc[[student, family], "floor_area_m2"] = [180, 150]
    for _ in range(6):
        t = int(rng.integers(-400, DAYS - 300))
        ex.register(ex.person(18, 24), student, t, t + int(rng.integers(300, 700)))
    for age in (42, 40, 16, 14, 12, 10, 8, 5, 2):
        ex.register(ex.person(age, age), family, -2000, None)
    labour = ex.pick(1, buurten, small=False)[0]
    ex.addresses.loc[labour, ["purpose", "floor_area_m2"]] = ["logiesfunctie", 650]
    kwekerij = _business(ex, "Kwekerij Van Dijk", "0113", "teelt groenten", labour, -6000)
    _role(ex, kwekerij, ex.person(45, 60), "eigenaar", -6000)
    for _ in range(22):
        t = int(rng.integers(0, DAYS - 200))
        p = ex.person(20, 55)
        ex.register(p, labour, t, t + int(rng.integers(90, 270)))
        _role(ex, kwekerij, p, "werknemer", t, t + 270)
    return {"student_houses": [ex.aid(student)], "big_families": [ex.aid(family)],
            "labour_migrant_housing": [ex.aid(labour)]}


def _background_businesses(ex: _Export, n: int) -> None:
    rng = ex.rng
    adults = [p for p, y, _ in ex.persons if 2022 - y >= 25]
    shops = ex.addresses.index[ex.addresses["purpose"] != "woonfunctie"]
    for i in range(n):
        sbi = str(rng.choice(_BG_SBI))
        b = _business(ex, f"Bedrijf {i + 1}", sbi, "", int(rng.choice(shops)), -int(rng.integers(100, 8000)))
        _role(ex, b, str(rng.choice(adults)), "eigenaar", -int(rng.integers(100, 8000)))
        for p in rng.choice(adults, int(rng.integers(0, 3)), replace=False):
            _role(ex, b, str(p), "werknemer", -int(rng.integers(30, 3000)))


def _write(out: Path, name: str, header: list[str], rows: list[list[Any]]) -> None:
    with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


def write_police_export(
    out_dir: Path, seed: int = 2022, n_addresses: int = 1600, n_incidents: int = 4000
) -> dict[str, Any]:
    """Write scenario B into ``out_dir`` (format-v1 file names, ``;``-separated); returns the truth."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ex = _Export(np.random.default_rng(seed))
    fen_buurt = _addresses(ex, n_addresses)
    counts = ex.addresses["buurt_code"].value_counts()
    others = sorted(b for b in counts.index if b != fen_buurt and counts[b] >= 10)
    rings = _rings(ex, others)
    conf = _confounders(ex, others)
    hot = _hotspots(ex, others, fen_buurt)
    fen = _fenomeen(ex, fen_buurt)
    burst = _burst(ex, others)
    _households(ex)
    _background_businesses(ex, 70)
    _background(ex, n_incidents)
    a = ex.addresses
    _write(out, "addresses", ["address_id", "street", "house_number", "postcode", "city", "buurt_code", "x", "y",
                              "purpose", "floor_area_m2"], a.to_numpy().tolist())
    _write(out, "partners", ["partner_id", "name", "type"], [list(p) for p in PARTNERS])
    _write(out, "persons", ["person_id", "birth_year", "gender"], [list(p) for p in ex.persons])
    _write(out, "registrations", ["person_id", "address_id", "start_date", "end_date"], [list(r) for r in ex.regs])
    _write(out, "businesses", ["business_id", "name", "sbi_code", "sector", "address_id", "registered_at"],
           [list(b) for b in ex.businesses])
    _write(out, "business_persons", ["business_id", "person_id", "role", "start_date", "end_date"],
           [list(r) for r in ex.roles])
    inc = sorted(ex.incidents, key=lambda s: (s["day"], s["sec"]))
    _write(out, "signals", ["signal_id", "reported_at", "category", "subcategory", "source", "address_id", "x", "y",
                            "buurt_code", "status"],
           [[s["signal_id"], str((FIRST + np.timedelta64(s["day"], "D")).astype("datetime64[s]")
                                 + np.timedelta64(s["sec"], "s")).replace("T", " "),
             s["category"], s["subcategory"], s["source"], s["address_id"], s["x"], s["y"], s["buurt_code"],
             "afgesloten"] for s in inc])
    truth = {"scenario": "B", "gemeente": GEMEENTE, "seed": seed, "start_date": str(FIRST), "end_date": str(LAST),
             "counts": {"addresses": len(a), "persons": len(ex.persons), "signals": len(inc),
                        "businesses": len(ex.businesses)},
             "address_hotspots": hot, "fenomeen": fen, "burst": burst, "rings": rings, "confounders": conf}
    (out / "scenario_truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth
