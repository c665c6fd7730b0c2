"""Planted housing patterns: trafficking rings (small homes, short overlapping stays, risk-sector
businesses, a facilitator and straw men) and the confounders that must not look like rings."""

from __future__ import annotations

from typing import Any

import numpy as np

from netwerk.synth import names
from netwerk.synth.world import N_DAYS, NAT, START, World, day

RINGS = [  # number of addresses, businesses (sbi, sector, name word), share of women, start day range;
    # the buurten of each ring come from the layout (layout.rings)
    (3, [("96.02", "schoonheidsverzorging", "Nagelstudio"), ("96.04", "massagesalon", "Massagesalon"),
         ("81.21", "schoonmaak", "Schoonmaakbedrijf")], 0.85, (-60, 60)),
    (2, [("45.20", "autowasstraat", "Autowasstraat"), ("78.20", "uitzendbureau", "Uitzendbureau")], 0.2, (60, 200)),
    (3, [("56.10", "horeca", "Restaurant"), ("81.21", "schoonmaak", "Schoonmaakdienst"),
         ("96.02", "schoonheidsverzorging", "Nagelsalon")], 0.6, (200, 300)),
]
_FANTASY = np.array(["Glamour", "Lux", "Star", "Perfect", "Royal", "Sunshine", "Diamond", "Top", "Express", "Quick"])


def choose_housing(w: World) -> None:
    """Reserve ring and confounder addresses (no background household) and set their BAG attributes."""
    rng, a = w.rng, w.addr
    lay = w.layout
    rings = [w.pick(n, bu) for bu, (n, *_) in zip(lay.rings, RINGS, strict=True)]
    students = w.pick(3, lay.students)
    families = w.pick(3, lay.families)
    labour = w.pick(2, lay.spread, purpose=None)
    for idx, lo, hi in [(np.concatenate(rings), 40, 71), (students, 130, 221), (families, 120, 181),
                        (labour, 400, 901)]:
        a.loc[idx, "area"] = rng.integers(lo, hi, idx.size)
        a.loc[idx, "house_number_addition"] = ""
        w.no_household[idx] = True
    a.loc[np.concatenate([*rings, students, families]), "purpose"] = "woonfunctie"
    a.loc[labour, "purpose"] = "logiesfunctie"
    w.plan.update(rings=rings, students=students, families=families, labour=labour)


def _stays(rng: np.random.Generator, addresses: np.ndarray, beds: tuple[int, int], first: tuple[int, int],
           length: tuple[int, int], gap: tuple[int, int]) -> list[tuple[int, int, int]]:
    """Sequences of stays per bed: (address, start day, end day); ends past the window stay open."""
    out = []
    for a in addresses:
        for _ in range(int(rng.integers(*beds))):
            t = int(rng.integers(*first))
            while t < N_DAYS:
                e = t + int(rng.integers(*length))
                out.append((int(a), t, e))
                t = e + int(rng.integers(*gap))
    return sorted(out, key=lambda s: (s[1], s[0]))


def _register(w: World, person: int, address: int, s: int, e: int) -> None:
    w.add_regs(person, address, day(s), day(e) if e < N_DAYS else NAT)


def plant_rings(w: World, cats: Any) -> None:
    rng, out = w.rng, []
    for r, ((_, bizdef, female, start_rng), buurten, addrs) in enumerate(
            zip(RINGS, w.layout.rings, w.plan["rings"], strict=True)):
        r0 = int(rng.integers(*start_rng))
        stays = _stays(rng, addrs, (8, 13), (r0, r0 + 60), (30, 151), (0, 21))
        # some workers move on to another address of the same ring
        owner_of: list[int] = []  # worker slot per stay
        free: list[tuple[int, int, int]] = []  # (slot, end day, address) of finished stays
        n_workers = 0
        for a, s, e in stays:
            cand = [f for f in free if s - 15 <= f[1] <= s and f[2] != a]
            if cand and rng.random() < 0.3:
                slot = cand[0][0]
                free.remove(cand[0])
            else:
                slot, n_workers = n_workers, n_workers + 1
            owner_of.append(slot)
            free.append((slot, e, a))
        workers = w.adults(n_workers, 19, 45, migrant=True, female=female)
        for (a, s, e), slot in zip(stays, owner_of, strict=True):
            _register(w, int(workers[slot]), a, s, e)
        biz = []
        for j, (sbi, sector, word) in enumerate(bizdef):
            at = int(addrs[0]) if j == 0 else int(w.pick(1, buurten, purpose="winkelfunctie")[0])
            reg = day(r0 - int(rng.integers(100, 600)))
            biz.append(w.add_business(f"{word} {rng.choice(_FANTASY)}", sbi, sector, at, reg))
        # facilitator: owner/director of the ring businesses, registered only briefly at ring addresses
        fac = int(w.adults(1, 35, 55, migrant=bool(rng.random() < 0.5), female=0.2)[0])
        home = int(w.pick(1)[0])
        t_prev = -int(rng.integers(1000, 6000))
        s = max(r0, 0) + int(rng.integers(20, 120))
        while s < N_DAYS - 60:
            e = s + int(rng.integers(14, 46))
            _register(w, fac, home, t_prev, s)
            _register(w, fac, int(rng.choice(addrs)), s, e)
            t_prev, s = e, e + int(rng.integers(90, 400))
        _register(w, fac, home, t_prev, N_DAYS)
        w.add_role(biz[0], fac, "eigenaar", w.business_rows[biz[0] - len(w.biz_bg)]["registered"])
        w.add_role(biz[1], fac, "bestuurder", w.business_rows[biz[1] - len(w.biz_bg)]["registered"])
        if len(biz) > 2:
            w.add_role(biz[2], fac, "eigenaar", w.business_rows[biz[2] - len(w.biz_bg)]["registered"])
        # straw men: owners of business 1 changing every few months
        n_straw = int(rng.integers(3, 5))
        straw = [int(p) for p in rng.choice(workers, n_straw, replace=False)]
        t = max(r0, 0) + int(rng.integers(0, 60))
        for k, p in enumerate(straw):
            e = t + int(rng.integers(60, 150))
            w.add_role(biz[1], p, "eigenaar", day(t), NAT if k == n_straw - 1 or e >= N_DAYS else day(e))
            t = e
        for p in rng.choice(workers, len(workers) // 4, replace=False):  # a minority on the payroll
            a, s, e = stays[owner_of.index(int(np.flatnonzero(workers == p)[0]))]
            w.add_role(int(rng.choice(biz)), int(p), "werknemer", day(s), day(e) if e < N_DAYS else NAT)
        keys = _ring_signals(w, addrs, stays, owner_of, workers, max(r0, 0))
        out.append({"ring_id": f"R{r + 1}", "addresses": [int(a) for a in addrs], "businesses": biz,
                    "facilitator": fac, "straw_men": straw, "workers": [int(p) for p in workers],
                    "signal_ids": keys})
    w.gt["rings"] = out


def _ring_signals(w: World, addrs: np.ndarray, stays: list[tuple[int, int, int]], owner_of: list[int],
                  workers: np.ndarray, lo: int) -> list[int]:
    rng, keys = w.rng, []
    kinds = [("Wonen", "Woningdelen / spookburgers", "gemeente-oldambt", "Veel wisselende bewoners"),
             ("Ondermijning", "Meld Misdaad Anoniem", "meld-misdaad-anoniem", "Anonieme tip"),
             ("Ondermijning", "Signalen mensenhandel / uitbuiting", "politie-oldambt", "Vermoeden uitbuiting"),
             ("Wonen", "Woningdelen / spookburgers", "acantus", "Overbewoning")]
    for main, sub, src, desc in kinds[: int(rng.integers(3, 5))]:
        d = int(rng.integers(lo + 30, N_DAYS))
        a = int(rng.choice(addrs))
        here = [int(workers[o]) for (aa, s, e), o in zip(stays, owner_of, strict=True) if aa == a and s <= d < e]
        victims = [(p, "slachtoffer") for p in here[:2]] if "mensenhandel" in sub else []
        keys.append(w.add_signal(d, main, sub, src, address=a, persons=victims, description=desc))
    return keys


def plant_confounders(w: World) -> None:
    rng = w.rng
    # student houses: 5-7 rooms, 8-24 month stays, young adults
    for stays in (_stays(rng, np.array([a]), (5, 8), (-600, 1), (240, 721), (0, 61)) for a in w.plan["students"]):
        starts = np.array([s for _, s, _ in stays])
        birth = day(starts) - rng.integers(17 * 365, 23 * 365, len(stays)).astype("timedelta64[D]")
        ps = w.add_persons(birth, np.where(rng.random(len(stays)) < 0.5, "M", "V"))
        for p, (a, s, e) in zip(ps, stays, strict=True):
            _register(w, int(p), a, s, e)
    # big families: parents, 6-9 children, sometimes a grandparent; long stays
    for a in w.plan["families"]:
        n_kids = int(rng.integers(6, 10))
        parent_age = int(rng.integers(35, 50))
        pb = START - np.array([parent_age, parent_age + int(rng.integers(-3, 4))]) * 365
        kb = START - rng.integers(0, 17, n_kids) * 365 - rng.integers(0, 365, n_kids)
        grandparent = [START - np.array([72 * 365])] if n_kids < 9 and rng.random() < 0.4 else []
        births = np.concatenate([pb, kb, *grandparent])
        gender = np.concatenate([["M", "V"], np.where(rng.random(births.size - 2) < 0.5, "M", "V")])
        ps = w.add_persons(births.astype("datetime64[D]"), gender, np.full(births.size, rng.choice(names.LAST)))
        since = START - np.timedelta64(int(rng.integers(3, 15)) * 365, "D")
        w.add_regs(ps, int(a), np.maximum(since, w.birth_of(ps)), np.full(ps.size, NAT))
    # legitimate labour-migrant housing: logiesfunctie, many adults, on the payroll of the employer
    for k, a in enumerate(w.plan["labour"]):
        stays = _stays(rng, np.array([a]), (20, 33), (-200, 60), (90, 271), (0, 31))
        ps = w.adults(len(stays), 20, 55, migrant=True, female=0.35)
        sbi, sector, word = [("01.13", "teelt groenten", "Kwekerij"), ("78.20", "uitzendbureau", "Uitzendbureau")][k]
        bu = str(w.addr.buurt_code[a])
        site = int(w.pick(1, [bu], purpose=None)[0])
        b = w.add_business(f"{word} {rng.choice(names.LAST)}", sbi, sector, site,
                           START - np.timedelta64(int(rng.integers(3000, 9000)), "D"))
        w.add_role(b, int(w.adults(1, 40, 65)[0]), "eigenaar", w.business_rows[-1]["registered"])
        for p, (aa, s, e) in zip(ps, stays, strict=True):
            _register(w, int(p), aa, s, e)
            w.add_role(b, int(p), "werknemer", day(s), day(e) if e < N_DAYS else NAT)
    w.gt["confounders"] = {
        "student_houses": [int(a) for a in w.plan["students"]],
        "big_families": [int(a) for a in w.plan["families"]],
        "labour_migrant_housing": [int(a) for a in w.plan["labour"]],
        "burst_address": int(w.plan["burst"]),
    }
