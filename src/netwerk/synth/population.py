"""Background population: BAG-like addresses, households with BRP histories, and KvK businesses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netwerk.synth import names
from netwerk.synth.geo import keep_inside, offset, push_out
from netwerk.synth.world import N_DAYS, NAT, START, World, day

PURPOSES = np.array([
    "woonfunctie", "winkelfunctie", "kantoorfunctie", "industriefunctie", "bijeenkomstfunctie",
    "logiesfunctie", "gezondheidszorgfunctie", "onderwijsfunctie", "sportfunctie",
])
_P_TOWN = np.array([0.885, 0.04, 0.025, 0.02, 0.01, 0.004, 0.007, 0.004, 0.005])
_P_INDUSTRY = np.array([0.08, 0.12, 0.15, 0.6, 0.01, 0.01, 0.01, 0.01, 0.01])
# median floor area (m2) per purpose
_AREA = np.array([105, 140, 220, 900, 300, 350, 250, 1200, 600])

# (sbi_code, sector, weight, name word); risk sectors appear as background noise too
SECTORS = [
    ("47.11", "supermarkt", 3, "Supermarkt"), ("47.71", "detailhandel kleding", 4, "Mode"),
    ("47.30", "tankstation", 1, "Tankstation"), ("41.20", "bouw", 6, "Bouwbedrijf"),
    ("43.22", "installatie", 5, "Installatiebedrijf"), ("62.01", "ICT", 4, "IT"),
    ("69.20", "administratie", 4, "Administratiekantoor"), ("86.21", "huisartsen", 2, "Huisartsenpraktijk"),
    ("01.11", "akkerbouw", 5, "Landbouwbedrijf"), ("01.13", "teelt groenten", 2, "Kwekerij"),
    ("10.71", "bakkerij", 2, "Bakkerij"), ("49.41", "wegvervoer", 3, "Transport"),
    ("68.20", "verhuur onroerend goed", 3, "Vastgoed"), ("85.59", "onderwijs", 2, "Opleidingen"),
    ("93.12", "sportclub", 2, "Sportvereniging"), ("96.02", "kapper/schoonheidsverzorging", 4, "Kapsalon"),
    ("56.10", "horeca", 4, "Eetcafé"), ("45.20", "autoreparatie", 3, "Autobedrijf"),
    ("81.21", "schoonmaak", 2, "Schoonmaakbedrijf"), ("74.10", "design", 2, "Ontwerpstudio"),
]


def build_addresses(w: World, avoid: list[tuple[float, float]]) -> None:
    """Addresses clustered along streets around each buurt's label point (inside its polygon when known);
    none within 120 m of ``avoid``."""
    rng, b, n = w.rng, w.buurten, w.spec.addresses
    bi = np.sort(rng.choice(len(b.code), n, p=b.weight))
    street = np.empty(n, dtype=object)
    s_lat, s_lon = np.empty(n), np.empty(n)
    used: dict[str, int] = {}
    perm = rng.permutation(len(names.STREETS))
    for k in range(len(b.code)):
        rows = np.flatnonzero(bi == k)
        if rows.size == 0:
            continue
        ns = max(1, int(np.ceil(rows.size / 120)))
        city = str(b.city[k])
        first = used.get(city, 0)
        used[city] = first + ns
        st_names = names.STREETS[perm[np.arange(first, first + ns) % len(perm)]]
        sigma = b.sigma_m[k]
        c_lat, c_lon = offset(np.full(ns, b.lat[k]), np.full(ns, b.lon[k]),
                              rng.normal(0, sigma, ns), rng.normal(0, sigma, ns))
        st = rng.integers(0, ns, rows.size)
        street[rows] = st_names[st]
        s_lat[rows], s_lon[rows] = c_lat[st], c_lon[st]
    spread = np.where(b.sigma_m[bi] > 500, 300.0, 70.0)
    lat, lon = offset(s_lat, s_lon, rng.normal(0, spread), rng.normal(0, spread))
    lat, lon = keep_inside(b, bi, lat, lon)
    lat, lon = push_out(lat, lon, avoid, 120.0)
    industry = np.isin(b.code[bi], w.layout.industry)
    pi = np.where(industry, rng.choice(PURPOSES.size, n, p=_P_INDUSTRY / _P_INDUSTRY.sum()),
                  rng.choice(PURPOSES.size, n, p=_P_TOWN / _P_TOWN.sum()))
    purpose = PURPOSES[pi]
    area = np.clip(np.round(_AREA[pi] * rng.lognormal(0, 0.35, n)), 25, 20_000).astype(int)
    df = pd.DataFrame({"bi": bi, "street": street, "lat": lat, "lon": lon, "purpose": purpose, "area": area})
    df = df.sort_values(["bi", "street"], kind="stable").reset_index(drop=True)
    df["house_number"] = df.groupby(["bi", "street"]).cumcount().to_numpy() + 1
    letter = rng.random(n)
    df["house_letter"] = np.where(letter < 0.04, "A", np.where(letter < 0.05, "B", ""))
    flat = (rng.random(n) < 0.06) & (df["purpose"].to_numpy() == "woonfunctie")
    df["house_number_addition"] = np.where(flat, rng.choice(np.array(["1", "2", "3"]), n), "")
    df.loc[flat, "area"] = np.clip((df.loc[flat, "area"] * 0.6).round(), 35, None).astype(int)
    sid = pd.factorize(df["bi"].astype(str) + df["street"])[0]
    li = (sid * 13 + df["house_number"].to_numpy() // 30) % 676
    letters = np.char.add(np.array(list("ABCDEFGHIJKLMNOPRSTVWXYZAB"))[li // 26],
                          np.array(list("ABCDEFGHIJKLMNOPRSTVWXYZAB"))[li % 26])
    df["postcode"] = np.char.add(np.char.add(b.pc4[df["bi"]].astype(str), " "), letters)
    df["city"] = b.city[df["bi"]]
    df["buurt_code"] = b.code[df["bi"]]
    df["wijk_code"] = b.wijk[df["bi"]]
    df["address_id"] = np.char.add("A", np.char.zfill(np.arange(1, n + 1).astype(str), 6))
    w.addr = df
    w.no_household = np.zeros(n, bool)
    w.no_move = np.zeros(n, bool)


def _households(w: World, addresses: np.ndarray, arrive: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Create one household per address arriving on ``arrive`` (datetime64[D], may be before the window).

    Returns (head person per household, household index per member, member person indices)."""
    rng, h = w.rng, addresses.size
    size = rng.choice(np.arange(1, 7), h, p=[0.31, 0.33, 0.14, 0.13, 0.07, 0.02])
    head_age = rng.integers(20, 90, h)
    size = np.where(head_age >= 62, np.minimum(size, 2), size)
    hh = np.repeat(np.arange(h), size)
    rank = np.arange(hh.size) - np.repeat(np.cumsum(size) - size, size)
    head_birth = START - (head_age * 365 + rng.integers(0, 365, h)).astype("timedelta64[D]")
    partner = (rank == 1) & (rng.random(hh.size) < 0.8)
    age_gap = np.where(partner, rng.integers(-5, 6, hh.size) * 365, rng.integers(21, 40, hh.size) * 365)
    birth = head_birth[hh] + np.where(rank == 0, 0, age_gap).astype("timedelta64[D]")
    birth = np.minimum(birth, START - rng.integers(1, 300, hh.size).astype("timedelta64[D]"))
    head_g = np.where(rng.random(h) < 0.55, "M", "V")
    gender = np.where(rank == 0, head_g[hh], np.where(partner, np.where(head_g[hh] == "M", "V", "M"),
                                                        np.where(rng.random(hh.size) < 0.5, "M", "V")))
    fam = names.last_names(rng, h)
    last = np.where(partner & (rng.random(hh.size) < 0.4), names.last_names(rng, hh.size), fam[hh])
    persons = w.add_persons(birth, gender, last)
    adult_since = head_birth + np.timedelta64(18 * 365, "D")
    arrive = np.maximum(np.asarray(arrive, dtype="datetime64[D]"), adult_since)
    start = np.maximum(arrive[hh], birth)
    w.add_regs(persons, addresses[hh], start, np.full(hh.size, NAT))
    return persons[rank == 0], hh, persons


def build_households(w: World) -> None:
    """Households at ~92% of dwellings, ~15% moving house within the window, newcomers in vacated homes."""
    rng, a = w.rng, w.addr
    n = len(a)
    res = np.flatnonzero((a["purpose"].to_numpy() == "woonfunctie") & ~w.no_household)
    occ = rng.random(res.size) < 0.92
    home, vacant = res[occ], rng.permutation(res[~occ])
    arrive = START - rng.integers(30, 40 * 365, home.size).astype("timedelta64[D]")
    heads, hh, members = _households(w, home, arrive)
    w.occ1_head, w.occ1_end = np.full(n, -1), np.full(n, N_DAYS)
    w.occ2_head, w.occ2_start = np.full(n, -1), np.full(n, N_DAYS)
    w.occ1_head[home] = heads
    can_move = np.flatnonzero(~w.no_move[home] & (rng.random(home.size) < 0.15))[: vacant.size]
    move_day = rng.integers(1, N_DAYS - 1, can_move.size)
    dest = vacant[: can_move.size]
    # end the old registrations of every member of a moving household, re-register at the destination
    hh_move_day = np.full(home.size, -1)
    hh_move_day[can_move] = move_day
    md = hh_move_day[hh]
    moving = md >= 0
    blk = w.reg_blocks[-1]
    blk["end"] = np.where(moving, day(np.maximum(md, 0)), blk["end"])
    dest_of = np.full(home.size, -1)
    dest_of[can_move] = dest
    w.add_regs(members[moving], dest_of[hh[moving]], np.maximum(day(md[moving]), blk["start"][moving]),
               np.full(moving.sum(), NAT))
    w.occ1_end[home[can_move]] = move_day
    w.occ2_head[dest], w.occ2_start[dest] = heads[can_move], move_day
    # newcomers from outside the municipality into ~60% of the vacated homes
    left = home[can_move]
    arr = move_day + rng.integers(20, 120, can_move.size)
    take = (rng.random(can_move.size) < 0.6) & (arr < N_DAYS)
    if take.any():
        new_heads, _, _ = _households(w, left[take], day(arr[take]))
        w.occ2_head[left[take]], w.occ2_start[left[take]] = new_heads, arr[take]


def build_businesses(w: World) -> None:
    """Background KvK businesses (mostly low-risk) with an owner, sometimes a director, and employees."""
    rng, n = w.rng, w.spec.businesses
    a = w.addr
    purpose = a["purpose"].to_numpy()
    commercial = np.flatnonzero(np.isin(purpose, ["winkelfunctie", "kantoorfunctie", "industriefunctie"]))
    homes = np.flatnonzero(purpose == "woonfunctie")
    at_home = rng.random(n) < 0.35
    addr = np.where(at_home, rng.choice(homes, n), rng.choice(commercial, n))
    wts = np.array([s[2] for s in SECTORS], dtype=float)
    si = rng.choice(len(SECTORS), n, p=wts / wts.sum())
    word = np.array([s[3] for s in SECTORS])[si]
    registered = START - rng.integers(60, 30 * 365, n).astype("timedelta64[D]")
    w.biz_bg = pd.DataFrame({
        "name": np.char.add(np.char.add(word.astype(str), " "), names.last_names(rng, n).astype(str)),
        "sbi": np.array([s[0] for s in SECTORS])[si], "sector": np.array([s[1] for s in SECTORS])[si],
        "address": addr, "registered": registered,
    })
    births = np.concatenate([b["birth"] for b in w.person_blocks])
    age = (START - births).astype(int) / 365.25
    pool = np.flatnonzero((age >= 22) & (age < 66))
    owner = rng.choice(pool, n)
    n_emp = np.minimum(rng.poisson(1.0, n), 6)
    director = rng.random(n) < 0.2
    emp_biz = np.repeat(np.arange(n), n_emp)
    e_start = registered[emp_biz] + rng.integers(0, 3000, emp_biz.size).astype("timedelta64[D]")
    e_start = np.minimum(e_start, START + rng.integers(0, N_DAYS - 30, emp_biz.size).astype("timedelta64[D]"))
    e_end = np.where(rng.random(emp_biz.size) < 0.15,
                     np.maximum(e_start, START) + rng.integers(30, 400, emp_biz.size).astype("timedelta64[D]"),
                     NAT)
    e_end = np.where(e_end > START + np.timedelta64(N_DAYS - 1, "D"), NAT, e_end)
    d_biz = np.flatnonzero(director)
    w.bp_bg = pd.DataFrame({
        "business": np.concatenate([np.arange(n), d_biz, emp_biz]),
        "person": np.concatenate([owner, rng.choice(pool, d_biz.size), rng.choice(pool, emp_biz.size)]),
        "role": np.concatenate([np.full(n, "eigenaar"), np.full(d_biz.size, "bestuurder"),
                                np.full(emp_biz.size, "werknemer")]),
        "start": np.concatenate([registered, registered[d_biz], e_start]),
        "end": np.concatenate([np.full(n + d_biz.size, NAT), e_end]),
    }).drop_duplicates(["business", "person", "role"])
