"""Planted place patterns: recurring address hotspots, location-only youth nuisance, an area-wide
fenomeen with a rising trend, and a one-day burst from a single reporter (confounder)."""

from __future__ import annotations

import numpy as np

from netwerk.synth.geo import disk
from netwerk.synth.signals import _PARTNER_W, DESCRIPTIONS, POLITIE, Categories
from netwerk.synth.world import N_DAYS, World

LOCATION_RADIUS_M = 60
JEUGD = ("Overlast van en door personen of groepen", "Jongerenoverlast")
HOTSPOT_PROFILES = [  # (main, primary sub, alternative subs of the same main/domain)
    ("Woonoverlast", "Burenoverlast geluid", ["Agressie / intimidatie door buren"]),
    ("Zorg en overlast (MZO)", "Verward persoon", ["Afwijkend gedrag"]),
    ("Overlast van en door personen of groepen", "Drank- / drugsoverlast",
     ["Overige overlast door personen", "Intimidatie"]),
    ("Woonoverlast", "Stank / vervuiling woning", ["Burenoverlast geluid"]),
    ("Zorg en overlast (MZO)", "Vereenzaming / verwaarlozing / vervuiling", ["Verward persoon"]),
    ("Woonoverlast", "Agressie / intimidatie door buren", ["Burenoverlast geluid"]),
]
FENOMEEN = ("Overlast van en door personen of groepen", "Drank- / drugsoverlast")
BURST = ("Woonoverlast", "Burenoverlast geluid")


def choose_addresses(w: World) -> None:
    """Reserve hotspot and burst addresses (their households never move) and the fenomeen buurt."""
    rng = w.rng
    lay = w.layout
    w.plan["fenomeen_buurt"] = str(rng.choice(lay.fenomeen))
    others = [c for c in w.buurten.code if c != w.plan["fenomeen_buurt"] and c not in lay.centre]
    town = [c for c in lay.town if c != w.plan["fenomeen_buurt"]]
    n_hot = int(rng.integers(9, 12))
    hot = np.concatenate([w.pick(n_hot - 3, town), w.pick(3, others)])
    burst = w.pick(1, town)
    w.plan["hotspots"], w.plan["burst"] = hot, int(burst[0])
    w.no_move[hot] = True
    w.no_move[burst] = True


def _days(rng: np.random.Generator, lo: int, hi: int, n: int) -> np.ndarray:
    """``n`` distinct sorted days in [lo, hi] including both ends."""
    inner = rng.choice(np.arange(lo + 1, hi), n - 2, replace=False)
    return np.sort(np.concatenate([[lo, hi], inner]))


def _sources(w: World, domain: str, n_partner: int, n_melder: int, n: int) -> list[str]:
    partners = list(_PARTNER_W[domain])[: max(n_partner + 1, 3)]
    src = list(w.rng.choice(partners, n_partner, replace=False)) + [w.melder() for _ in range(n_melder)]
    order = list(w.rng.permutation(len(src)))
    return [str(src[i]) for i in order] + [str(src[i]) for i in w.rng.integers(0, len(src), n - len(src))]


def plant_hotspots(w: World, cats: Categories) -> None:
    rng, out = w.rng, []
    for i, a in enumerate(w.plan["hotspots"]):
        main, sub, alts = HOTSPOT_PROFILES[i % len(HOTSPOT_PROFILES)]
        domain = str(cats.domain[cats.index(main, sub)])
        n = int(rng.integers(8, 26))
        span = int(rng.integers(125, 480))
        start = int(rng.integers(0, N_DAYS - span))
        days = _days(rng, start, start + span, n)
        srcs = _sources(w, domain, int(rng.integers(1, 3)), int(rng.integers(2, 4)), n)
        keys = []
        for d, src in zip(days, srcs, strict=True):
            s = sub if rng.random() < 0.8 else str(rng.choice(alts))
            res = w.resident(int(a), int(d))
            persons = [(res, "betrokkene")] if res >= 0 and rng.random() < 0.4 else []
            keys.append(w.add_signal(int(d), main, s, src, address=int(a), persons=persons,
                                     description=str(rng.choice(DESCRIPTIONS[domain]))))
        out.append({"address_id": int(a), "buurt_code": str(w.addr.buurt_code[a]), "category": main,
                     "subcategory": sub, "domain": domain, "signal_ids": keys, "sources": sorted(set(srcs))})
    w.gt["address_hotspots"] = out


def plant_locations(w: World) -> None:
    """Jongerenoverlast reported by coordinates only, within ~55 m of a park / square centre."""
    rng, out = w.rng, []
    for name, lat, lon, buurt in w.layout.locations:
        n = int(rng.integers(18, 36))
        span = int(rng.integers(120, 300))
        end = N_DAYS - 1 - int(rng.integers(0, 45))
        days = _days(rng, end - span, end, n)
        srcs = _sources(w, "jeugd", 2, int(rng.integers(2, 4)), n)
        plat, plon = disk(rng, lat, lon, LOCATION_RADIUS_M - 5, n)
        keys = [
            w.add_signal(int(d), *JEUGD, s, lat=round(float(y), 6), lon=round(float(x), 6), buurt=buurt,
                         hour=int(rng.integers(19, 24)), description=str(rng.choice(DESCRIPTIONS["jeugd"])))
            for d, s, y, x in zip(days, srcs, plat, plon, strict=True)
        ]
        out.append({"name": name, "lat": lat, "lon": lon, "radius_m": LOCATION_RADIUS_M, "buurt_code": buurt,
                    "signal_ids": keys})
    w.gt["location_hotspots"] = out


def plant_fenomeen(w: World, cats: Categories, n_signals: int) -> None:
    """A rising category over the last six months in one buurt, spread thin over many addresses."""
    rng = w.rng
    buurt = w.plan["fenomeen_buurt"]
    ci = cats.index(*FENOMEEN)
    share = float((w.addr["buurt_code"] == buurt).mean())
    base = 1.5 * n_signals * float(cats.weight[ci]) * share * 30 / N_DAYS  # ~background per month, x1.5
    counts = [max(2 + m, int(np.ceil(base * (0.6 + 0.6 * m)))) for m in range(6)]
    total = sum(counts)
    n_addr = max(8, int(np.ceil(total / 2)))
    addrs = w.pick(n_addr, [buurt])
    assign = rng.permutation(np.concatenate([addrs, rng.permutation(np.repeat(addrs, 2))[: total - n_addr]]))
    days = np.concatenate([
        rng.integers(N_DAYS - 183 + 30 * m, N_DAYS - 183 + 30 * (m + 1), c) for m, c in enumerate(counts)
    ])
    n_mel = max(4, total // 2)
    melders = [w.melder() for _ in range(n_mel)]
    keys = []
    for j, (d, a) in enumerate(zip(np.sort(days), assign, strict=True)):
        src = melders[j % n_mel] if rng.random() < 0.65 else str(rng.choice([POLITIE, "gemeente-boa"]))
        keys.append(w.add_signal(int(d), *FENOMEEN, src, address=int(a),
                                 description=str(rng.choice(DESCRIPTIONS["openbare_orde"]))))
    w.gt["fenomeen_areas"] = [{"buurt_code": buurt, "category": FENOMEEN[0], "subcategory": FENOMEEN[1],
                               "domain": str(cats.domain[ci]), "address_ids": [int(a) for a in addrs],
                               "signal_ids": keys, "monthly_counts": counts}]


def plant_burst(w: World) -> None:
    """15-20 complaints on one day from one resident about one address."""
    rng, a = w.rng, w.plan["burst"]
    d = int(rng.integers(30, N_DAYS - 30))
    n = int(rng.integers(15, 21))
    src = w.melder()
    minutes = np.sort(rng.choice(np.arange(7 * 60, 24 * 60), n, replace=False))
    keys = [w.add_signal(d, *BURST, src, address=a, hour=int(m // 60), minute=int(m % 60),
                         description="Weer harde muziek bij de buren") for m in minutes]
    w.gt["burst"] = {"address_id": a, "source": src, "date": d, "signal_ids": keys}
