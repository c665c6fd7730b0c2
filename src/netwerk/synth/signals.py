"""Partners, the category table and the vectorised background signals (meldingen)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netwerk.synth.gemeente import OLDAMBT_PARTNERS
from netwerk.synth.geo import keep_inside, offset, push_out
from netwerk.synth.world import N_DAYS, START, World

CATEGORY_FILE = Path(__file__).resolve().parent.parent / "data" / "category_domains.csv"

PARTNERS = OLDAMBT_PARTNERS  # internal partner keys; written under the municipality's own ids
PARTNER_IDS = [p[0] for p in PARTNERS]
N_PARTNERS = len(PARTNERS)
POLITIE = PARTNER_IDS[0]

DOMAIN_SHARE = {"overig": 0.575, "woon": 0.10, "openbare_orde": 0.10, "zorg": 0.075, "jeugd": 0.09,
                "ondermijning": 0.025}
_P_ADDRESS = {"overig": 0.3, "woon": 0.97, "zorg": 0.85, "openbare_orde": 0.5, "jeugd": 0.12,
              "ondermijning": 0.9}
_P_RESIDENT_SOURCE = {"overig": 0.75, "woon": 0.6, "zorg": 0.3, "openbare_orde": 0.5, "jeugd": 0.45,
                      "ondermijning": 0.15}
_PARTNER_W: dict[str, dict[str, float]] = {
    "overig": {"gemeente-oldambt": 5, "gemeente-boa": 2, "acantus": 1, "politie-oldambt": 0.5},
    "woon": {"acantus": 5, "gemeente-mzo": 3, "politie-oldambt": 1, "gemeente-boa": 1, "wijkteam-oldambt": 1},
    "zorg": {"gemeente-mzo": 4, "wijkteam-oldambt": 3, "lentis": 2, "politie-oldambt": 2,
             "veilig-thuis-groningen": 1},
    "openbare_orde": {"politie-oldambt": 5, "gemeente-boa": 3, "gemeente-mzo": 1},
    "jeugd": {"politie-oldambt": 4, "jongerenwerk-oldambt": 3, "halt-noord": 1, "gemeente-boa": 2},
    "ondermijning": {"politie-oldambt": 3, "meld-misdaad-anoniem": 3, "riec-noord": 2, "gemeente-oldambt": 1,
                     "acantus": 1},
}
_SUB_BOOST = {"Jongerenoverlast": 8, "Overlast door afsteken vuurwerk": 2, "Burenoverlast geluid": 4,
              "Drank- / drugsoverlast": 3, "Verward persoon": 3, "Vakantieverhuur": 0.2, "Leegstand": 0.5,
              "Grofvuil": 3, "Huisafval": 2, "Container is vol": 2, "Parkeeroverlast": 2}
_MAIN_DAMP = {"Overlast op het water": 0.15, "Civiele Constructies": 0.15}
DESCRIPTIONS = {
    "overig": ["Graag oppakken", "Al eerder gemeld", "Ligt er al een week", "Gevaarlijke situatie",
               "Melding via app"],
    "woon": ["Harde muziek tot laat", "Ruzie bij de buren", "Stankoverlast uit woning", "Geschreeuw in portiek",
             "Buren blijven overlast geven"],
    "zorg": ["Bewoner maakt verwarde indruk", "Zorgen om bewoner", "Woning ernstig vervuild",
             "Bewoner loopt verward op straat", "Buurt maakt zich zorgen"],
    "openbare_orde": ["Overlast op straat", "Dronken personen", "Dealen op straat vermoed",
                      "Intimiderend gedrag", "Herrie en rommel"],
    "jeugd": ["Groep jongeren hangt rond", "Jongeren maken lawaai", "Vernielingen door jongeren",
              "Jongeren op scooters", "Jongeren intimideren voorbijgangers"],
    "ondermijning": ["Veel aanloop bij woning", "Vermoeden hennepteelt", "Veel wisselende bewoners",
                     "Verdachte situatie", "Anonieme tip"],
}


@dataclass(frozen=True)
class Categories:
    """The category table with generator weights."""

    main: np.ndarray
    sub: np.ndarray
    domain: np.ndarray
    weight: np.ndarray  # probability of a background signal having this (main, sub)

    def index(self, main: str, sub: str) -> int:
        hit = np.flatnonzero((self.main == main) & (self.sub == sub))
        if hit.size == 0:
            raise KeyError(f"unknown category {main!r} / {sub!r}")
        return int(hit[0])


def load_categories() -> Categories:
    df = pd.read_csv(CATEGORY_FILE, dtype=str, keep_default_na=False)
    df = df[df["origin"] != "netwerk-alias"]  # aliases map other exports' names; we write canonical ones
    wt = np.array([_SUB_BOOST.get(s, 1.0) * _MAIN_DAMP.get(m, 1.0)
                   for m, s in zip(df["main_name"], df["sub_name"], strict=True)])
    dom = df["domain"].to_numpy()
    for d, share in DOMAIN_SHARE.items():
        sel = dom == d
        wt[sel] = share * wt[sel] / wt[sel].sum()
    return Categories(df["main_name"].to_numpy(), df["sub_name"].to_numpy(), dom, wt / wt.sum())


@dataclass
class SignalArrays:
    """Signals as parallel arrays of codes (memory-friendly at 1M rows)."""

    t: np.ndarray  # int64 seconds since window start
    cat: np.ndarray  # index into Categories
    src: np.ndarray  # partner index, or N_PARTNERS + melder number
    address: np.ndarray  # address idx or -1
    lat: np.ndarray
    lon: np.ndarray
    buurt: np.ndarray  # buurt index or -1
    desc: np.ndarray  # index into the description list
    sp_row: np.ndarray  # signal_persons: row index, person idx, role code
    sp_person: np.ndarray
    sp_role: np.ndarray


LOCATION_ONLY_CAP = 1_500  # per domain (jeugd, openbare_orde), independent of size
ROLES = np.array(["betrokkene", "verdachte", "slachtoffer", "getuige", "melder"])


def background_signals(
    w: World, cats: Categories, n: int, desc_list: list[str], melders: np.ndarray,
    bg_persons: int, avoid: list[tuple[float, float]],
) -> SignalArrays:
    """``n`` background signals: addresses get at most 3 safety-domain and 2 'overig' signals each."""
    rng, a, b = w.rng, w.addr, w.buurten
    cat = rng.choice(cats.main.size, n, p=cats.weight)
    dom = cats.domain[cat]
    doms = list(DOMAIN_SHARE)
    di = np.searchsorted(np.array(doms), dom, sorter=np.argsort(doms))
    di = np.argsort(doms)[di]
    has_addr = rng.random(n) < np.array([_P_ADDRESS[d] for d in doms])[di]
    # location-only youth / public-order signals stay sparse at every size: the excess gets an address
    for dname in ("jeugd", "openbare_orde"):
        loc_only = np.flatnonzero(~has_addr & (dom == dname))
        has_addr[loc_only[LOCATION_ONLY_CAP:]] = True
    address = np.full(n, -1)
    purpose = a["purpose"].to_numpy()
    homes = np.flatnonzero(purpose == "woonfunctie")
    planted = w.plan["taken"][homes]
    pools = (  # (rows, addresses, max signals per address); planted addresses get little background
        (np.isin(dom, ["woon", "zorg", "openbare_orde", "ondermijning"]), homes, np.where(planted, 1, 3)),
        (dom == "jeugd", homes, np.where(planted, 0, 2)),
        (dom == "overig", np.arange(len(a)), np.full(len(a), 2)),
    )
    for sel, pool, cap in pools:
        rows = np.flatnonzero(has_addr & sel)
        slots = rng.permutation(np.repeat(pool, cap))
        if slots.size < rows.size:  # tiny worlds: raise the cap rather than fail
            slots = rng.permutation(np.repeat(pool, int(np.ceil(rows.size / pool.size))))
        address[rows] = slots[: rows.size]
    has_addr = address >= 0
    buurt_of_addr = a["bi"].to_numpy()
    buurt = np.where(has_addr, buurt_of_addr[np.maximum(address, 0)], rng.choice(b.code.size, n, p=b.weight))
    lat = np.where(has_addr, a["lat"].to_numpy()[np.maximum(address, 0)], np.nan)
    lon = np.where(has_addr, a["lon"].to_numpy()[np.maximum(address, 0)], np.nan)
    free = ~has_addr
    sig = 1.6 * b.sigma_m[buurt[free]]  # public-space reports spread wider than the address cores
    flat, flon = offset(b.lat[buurt[free]], b.lon[buurt[free]], rng.normal(0, sig), rng.normal(0, sig))
    flat, flon = keep_inside(b, buurt[free], flat, flon)
    lat[free], lon[free] = push_out(flat, flon, avoid, 120.0)
    only_addr = has_addr & (rng.random(n) < 0.08)  # some signals carry only the address
    lat[only_addr], lon[only_addr] = np.nan, np.nan
    buurt = np.where(only_addr, -1, buurt)
    d = rng.integers(0, N_DAYS, n)
    hour_w = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 5, 5, 4, 3, 2])
    hour = rng.choice(24, n, p=hour_w / hour_w.sum())
    t = d.astype(np.int64) * 86400 + hour * 3600 + rng.integers(0, 3600, n)
    # sources: residents (melder pseudonyms) or partners weighted per domain
    src = np.empty(n, dtype=np.int64)
    resident = rng.random(n) < np.array([_P_RESIDENT_SOURCE[d] for d in doms])[di]
    src[resident] = N_PARTNERS + rng.choice(melders, resident.sum())
    for k, dname in enumerate(doms):
        rows = np.flatnonzero(~resident & (di == k))
        pw = _PARTNER_W[dname]
        p = np.array(list(pw.values()), dtype=float)
        src[rows] = np.array([PARTNER_IDS.index(x) for x in pw])[rng.choice(p.size, rows.size, p=p / p.sum())]
    offsets = {}
    for dname in doms:
        offsets[dname] = len(desc_list)
        desc_list.extend(DESCRIPTIONS[dname])
    desc = np.array([offsets[x] for x in doms])[di] + rng.integers(0, 5, n)
    sp = _involvement(w, rng, dom, address, d, bg_persons)
    return SignalArrays(t, cat, src, address, lat, lon, buurt, desc, *sp)


def _involvement(
    w: World, rng: np.random.Generator, dom: np.ndarray, address: np.ndarray, d: np.ndarray, bg_persons: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Residents involved in address signals; local youths (each in ONE signal) in jeugd signals."""
    a = np.maximum(address, 0)
    res = np.where((w.occ1_head[a] >= 0) & (d < w.occ1_end[a]), w.occ1_head[a],
                   np.where((w.occ2_head[a] >= 0) & (d >= w.occ2_start[a]), w.occ2_head[a], -1))
    rel = (address >= 0) & np.isin(dom, ["woon", "zorg", "openbare_orde", "ondermijning"]) & (res >= 0)
    rows1 = np.flatnonzero(rel & (rng.random(dom.size) < 0.25))
    role1 = np.where(dom[rows1] == "ondermijning", 1, np.where(rng.random(rows1.size) < 0.15, 1, 0))
    births = np.concatenate([blk["birth"] for blk in w.person_blocks])[:bg_persons]
    age = (START - births).astype(int) / 365.25
    youths = rng.permutation(np.flatnonzero((age >= 13) & (age < 22)))
    jrows = np.flatnonzero(dom == "jeugd")
    p_inv = min(0.3, youths.size / max(1, 2 * jrows.size))
    jrows = jrows[rng.random(jrows.size) < p_inv]
    k = rng.choice([1, 2, 3], jrows.size, p=[0.5, 0.35, 0.15])
    rows2 = np.repeat(jrows, k)[: youths.size]
    persons2 = youths[: rows2.size]
    role2 = np.where(rng.random(rows2.size) < 0.3, 1, 0)
    return (np.concatenate([rows1, rows2]), np.concatenate([res[rows1], persons2]),
            np.concatenate([role1, role2]))
