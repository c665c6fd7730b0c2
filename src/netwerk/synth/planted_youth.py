"""Planted youth groups: co-involvement in jeugdoverlast, partial registrations, an emerging and a
fallen-apart group, cross-group fights, loose youths, siblings and links to adults in ondermijning."""

from __future__ import annotations

from typing import Any

import numpy as np

from netwerk.synth import names
from netwerk.synth.geo import keep_inside, offset, push_out
from netwerk.synth.planted_places import JEUGD
from netwerk.synth.signals import DESCRIPTIONS
from netwerk.synth.world import N_DAYS, NAT, START, World

GROUPS = [  # hangplek (layout.locations index), size range, status, classification (None = unregistered)
    (0, (8, 11), "active", "overlastgevend"),
    (1, (6, 9), "active", "hinderlijk"),
    (None, (7, 10), "active", "crimineel"),
    (None, (5, 7), "emerging", None),
    (None, (5, 7), "fallen_apart", "hinderlijk"),
]  # names and buurten come from the layout (layout.groups)
YEAR_AGO = N_DAYS - 365


def _youths(w: World, n: int, buurt: str, age: tuple[int, int], siblings: bool) -> np.ndarray:
    """Youths living in ``buurt``; with ``siblings`` the first two share an address and surname."""
    rng = w.rng
    birth = START - rng.integers(age[0] * 365, age[1] * 365, n).astype("timedelta64[D]")
    homes = w.pick(n, [buurt])
    last = None
    if siblings:
        homes[1] = homes[0]
        last = names.last_names(rng, n)
        last[1] = last[0]
    p = w.add_persons(birth, np.where(rng.random(n) < 0.8, "M", "V"), last)
    since = np.maximum(birth, START - rng.integers(200, 4000, n).astype("timedelta64[D]"))
    w.add_regs(p, homes, since, np.full(n, NAT))
    return p


def _place(w: World, buurt: str) -> dict[str, Any]:
    """Where a group incident happens: near the buurt centre by coordinates, or at a home address."""
    rng, b = w.rng, w.buurten
    if rng.random() < 0.5:
        homes = np.flatnonzero((w.addr["buurt_code"] == buurt).to_numpy() & (w.addr["purpose"] == "woonfunctie"))
        return {"address": int(rng.choice(homes))}
    k = b.index(buurt)
    lat, lon = offset(np.array([b.lat[k]]), np.array([b.lon[k]]), rng.normal(0, 250, 1), rng.normal(0, 250, 1))
    lat, lon = keep_inside(b, np.array([k]), lat, lon)
    lat, lon = push_out(lat, lon, [(y, x) for _, y, x, _ in w.layout.locations], 120.0)
    return {"lat": round(float(lat[0]), 6), "lon": round(float(lon[0]), 6), "buurt": buurt}


def _source(w: World) -> str:
    return str(w.rng.choice(["politie-oldambt", "jongerenwerk-oldambt", "gemeente-boa", "melder"])).replace(
        "melder", w.melder())


def _incident(w: World, d: int, buurt: str, people: list[int], desc: str = "") -> int:
    rng = w.rng
    roles = [(p, "verdachte" if rng.random() < 0.3 else "betrokkene") for p in people]
    return w.add_signal(d, *JEUGD, _source(w), persons=roles, hour=int(rng.integers(15, 24)),
                        description=desc or str(rng.choice(DESCRIPTIONS["jeugd"])), **_place(w, buurt))


def plant_youth(w: World) -> None:
    rng = w.rng
    loc_keys = [h["signal_ids"] for h in w.gt["location_hotspots"]]
    out, members_of = [], []
    for gi, ((name, buurt), (loc, size, status, klass)) in enumerate(zip(w.layout.groups, GROUPS, strict=True)):
        n = int(rng.integers(size[0], size[1] + 1))
        age = (15, 20) if status == "fallen_apart" else (13, 19)
        mem = _youths(w, n, buurt, age, siblings=gi in (0, 2))
        ex = _youths(w, int(rng.integers(1, 3)), buurt, age, False) if gi in (0, 2) else np.empty(0, int)
        members_of.append(mem)
        weight = 1 / np.sqrt(np.arange(1, n + 1))
        lo, hi = {"active": (0, N_DAYS - 1), "emerging": (N_DAYS - 210, N_DAYS - 1),
                  "fallen_apart": (0, YEAR_AGO - 40)}[status]
        n_sig = int(rng.integers(14, 23) if status == "active" else rng.integers(10, 15))
        days = np.sort(rng.integers(lo, hi + 1, n_sig))
        if status == "active":  # most incidents in the last year
            days = np.sort(np.where(rng.random(n_sig) < 0.6, rng.integers(YEAR_AGO, hi + 1, n_sig), days))
        if ex.size:  # the ex-members were active in the first months
            days = np.sort(np.concatenate([rng.integers(0, YEAR_AGO - 60, 3), days[3:]]))
        groups_of_sig: list[list[int]] = []
        for d in days:
            k = min(n, int(rng.integers(2, 6)))
            people = [int(p) for p in rng.choice(mem, k, replace=False, p=weight / weight.sum())]
            if ex.size and d < YEAR_AGO - 30 and rng.random() < 0.6:
                people.append(int(rng.choice(ex)))
            groups_of_sig.append(people)
        # everyone at least twice (members) / ex-members twice in the early period
        early = [i for i, d in enumerate(days) if d < YEAR_AGO - 30]
        for p, pool in [(p, range(len(days))) for p in mem] + [(p, early) for p in ex]:
            cnt = sum(int(p) in g for g in groups_of_sig)
            without = [i for i in pool if int(p) not in groups_of_sig[i]]
            for i in rng.choice(without, max(0, 2 - cnt), replace=False):
                groups_of_sig[i].append(int(p))
        keys = [_incident(w, int(d), buurt, g) for d, g in zip(days, groups_of_sig, strict=True)]
        if loc is not None:  # the group hangs out at the planted park / square
            for key in loc_keys[loc]:
                if rng.random() < 0.5:
                    k = int(rng.integers(2, min(n, 4) + 1))
                    for p in rng.choice(mem, k, replace=False, p=weight / weight.sum()):
                        w.planted_sp.append((key, int(p), "betrokkene"))
                    keys.append(key)
        reg: list[int] = []
        gid = None
        if klass is not None:
            missing = rng.choice(n, int(rng.integers(2, 4)) if status == "active" else 0, replace=False)
            reg = [int(p) for i, p in enumerate(mem) if i not in set(missing.tolist())] + [int(p) for p in ex]
            gid = len(w.groups)
            w.groups.append({"name": name, "classification": klass, "buurt": buurt})
            for p in reg:
                w.group_members.append((gid, p, START - np.timedelta64(int(rng.integers(60, 700)), "D")))
        out.append({"planted_id": f"G{gi + 1}", "members": [int(p) for p in mem], "registered_group_id": gid,
                    "registered_members": reg, "ex_members": [int(p) for p in ex], "status": status,
                    "buurt_code": buurt, "signal_ids": keys})
    fights = []
    for ga, gb, n_f, lo in ((0, 2, 2, YEAR_AGO), (1, 3, 1, N_DAYS - 200)):
        for _ in range(n_f):
            people = [int(p) for g in (ga, gb) for p in rng.choice(members_of[g], 2, replace=False)]
            key = _incident(w, int(rng.integers(lo, N_DAYS)), w.layout.groups[ga][1], people,
                            "Vechtpartij tussen twee groepen jongeren")
            fights.append({"groups": [f"G{ga + 1}", f"G{gb + 1}"], "signal_id": key})
    w.gt["youth_groups"], w.gt["youth_fights"] = out, fights
    _loose(w, members_of)
    _adult_links(w, members_of)


def _loose(w: World, members_of: list[np.ndarray]) -> None:
    """Eight youths with one jeugd signal each; half of them alongside one member of a group."""
    rng = w.rng
    loose = []
    for i in range(8):
        buurt = str(rng.choice(w.layout.town))
        p = int(_youths(w, 1, buurt, (13, 20), False)[0])
        people = [p] + ([int(rng.choice(members_of[int(rng.integers(0, 3))]))] if i % 2 else [])
        _incident(w, int(rng.integers(0, N_DAYS)), buurt, people)
        loose.append(p)
    w.gt["loose_youths"] = loose


def _adult_links(w: World, members_of: list[np.ndarray]) -> None:
    """Two adults suspected in drug signals who share one signal with a group youth."""
    rng, links = w.rng, []
    for g in (2, 3):
        buurt = w.layout.groups[g][1]
        adult = int(w.adults(1, 28, 45, female=0.1)[0])
        home = int(w.pick(1, [buurt])[0])
        w.add_regs(adult, home, START - np.timedelta64(int(rng.integers(300, 3000)), "D"), NAT)
        for sub in ("Drugshandel", "Hennepteelt / drugslab", "Drugshandel")[: int(rng.integers(2, 4))]:
            w.add_signal(int(rng.integers(0, N_DAYS)), "Ondermijning", sub,
                         str(rng.choice(["politie-oldambt", "meld-misdaad-anoniem"])), address=home,
                         persons=[(adult, "verdachte")], description="Veel aanloop bij woning")
        youth = int(rng.choice(members_of[g]))
        key = w.add_signal(int(rng.integers(N_DAYS - 300, N_DAYS)), "Ondermijning", "Drugshandel",
                           "politie-oldambt", persons=[(adult, "verdachte"), (youth, "betrokkene")],
                           description="Jongere als koerier gezien", **_place(w, buurt))
        links.append({"youth": youth, "adult": adult, "signal_id": key})
    w.gt["youth_adult_links"] = links
