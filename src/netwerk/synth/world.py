"""Shared state of one generator run: sizes, time window, and row builders for every table.

Entities are kept as internal integer indices while generating; string ids are assigned on write
(person and business ids through a seeded permutation, so planted entities do not stand out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from netwerk.synth import names
from netwerk.synth.gemeente import Layout
from netwerk.synth.geo import Buurten

START = np.datetime64("2023-11-01")
END = np.datetime64("2025-10-31")
N_DAYS = int((END - START).astype(int)) + 1  # window days 0..N_DAYS-1
NAT = np.datetime64("NaT", "D")


@dataclass(frozen=True)
class SizeSpec:
    signals: int
    addresses: int
    businesses: int


SIZES = {
    "small": SizeSpec(3_000, 1_100, 90),
    "medium": SizeSpec(30_000, 9_000, 700),
    "large": SizeSpec(200_000, 45_000, 3_500),
    "huge": SizeSpec(1_000_000, 150_000, 12_000),
    # a region (RIEC area, veiligheidsregio): 10M signals, ~2M persons (1.8 per address); signal rows are
    # written in chunks of output.CHUNK, so memory stays at the columns of codes (bench/bench_regio.py)
    "regio": SizeSpec(10_000_000, 1_120_000, 90_000),
}


def day(d: int | np.ndarray) -> np.ndarray:
    """Window day offset(s) -> datetime64[D]."""
    return START + np.asarray(d).astype("timedelta64[D]")


@dataclass
class World:
    """Mutable generator state. Tables are appended to as blocks of columns and concatenated on write."""

    rng: np.random.Generator
    size: str
    spec: SizeSpec
    buurten: Buurten
    layout: Layout
    addr: pd.DataFrame = field(default_factory=pd.DataFrame)  # index = address idx
    person_blocks: list[dict[str, np.ndarray]] = field(default_factory=list)
    n_persons: int = 0
    reg_blocks: list[dict[str, np.ndarray]] = field(default_factory=list)
    # occupancy per address for resident lookup: head of the first and second household
    occ1_head: np.ndarray = field(default_factory=lambda: np.empty(0, int))
    occ1_end: np.ndarray = field(default_factory=lambda: np.empty(0, int))
    occ2_head: np.ndarray = field(default_factory=lambda: np.empty(0, int))
    occ2_start: np.ndarray = field(default_factory=lambda: np.empty(0, int))
    # address roles: planted addresses are excluded from background households / moves
    no_household: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    no_move: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    planted_signals: list[dict[str, Any]] = field(default_factory=list)
    planted_sp: list[tuple[int, int, str]] = field(default_factory=list)  # (planted key, person, role)
    biz_bg: pd.DataFrame = field(default_factory=pd.DataFrame)  # background businesses
    bp_bg: pd.DataFrame = field(default_factory=pd.DataFrame)  # background business roles
    business_rows: list[dict[str, Any]] = field(default_factory=list)  # planted, idx after background
    bp_rows: list[dict[str, Any]] = field(default_factory=list)  # business_idx, person idx, role, dates
    groups: list[dict[str, Any]] = field(default_factory=list)
    group_members: list[tuple[int, int, np.datetime64]] = field(default_factory=list)
    case_rows: list[dict[str, Any]] = field(default_factory=list)
    case_links: list[tuple[int, str, Any, str]] = field(default_factory=list)  # case, kind, ref, role
    melder_reserved: np.ndarray = field(default_factory=lambda: np.empty(0, int))
    melder_next: int = 0
    plan: dict[str, Any] = field(default_factory=dict)  # planted choices shared between steps
    gt: dict[str, Any] = field(default_factory=dict)

    # -- persons -------------------------------------------------------------------------------
    def add_persons(
        self, birth: np.ndarray, gender: np.ndarray, last: np.ndarray | None = None, migrant: bool = False
    ) -> np.ndarray:
        """Append persons; returns their internal indices."""
        n = len(birth)
        if last is None:
            last = names.last_names(self.rng, n, migrant)
        self.person_blocks.append({
            "birth": np.asarray(birth, dtype="datetime64[D]"),
            "gender": np.asarray(gender),
            "first": names.first_names(self.rng, np.asarray(gender), migrant),
            "last": np.asarray(last, dtype=object),
        })
        idx = np.arange(self.n_persons, self.n_persons + n)
        self.n_persons += n
        return idx

    def adults(self, n: int, age_lo: int, age_hi: int, migrant: bool = False,
               female: float = 0.5) -> np.ndarray:
        """``n`` new persons aged ``age_lo``-``age_hi`` at the window start."""
        birth = START - (self.rng.integers(age_lo * 365, age_hi * 365 + 1, n)).astype("timedelta64[D]")
        gender = np.where(self.rng.random(n) < female, "V", "M")
        return self.add_persons(birth, gender, migrant=migrant)

    def birth_of(self, idx: np.ndarray) -> np.ndarray:
        births = np.concatenate([b["birth"] for b in self.person_blocks])
        return births[np.asarray(idx)]

    def add_regs(self, person: Any, address: Any, start: Any, end: Any) -> None:
        p = np.atleast_1d(np.asarray(person))
        self.reg_blocks.append({
            "person": p,
            "address": np.broadcast_to(np.asarray(address), p.shape).copy(),
            "start": np.broadcast_to(np.asarray(start, dtype="datetime64[D]"), p.shape).copy(),
            "end": np.broadcast_to(np.asarray(end, dtype="datetime64[D]"), p.shape).copy(),
        })

    # -- signals -------------------------------------------------------------------------------
    def melder(self) -> str:
        """A fresh resident reporter pseudonym (planted patterns use fresh ones)."""
        self.melder_next += 1
        return f"melder-{self.melder_reserved[self.melder_next - 1]}"

    def add_signal(
        self, d: int, category: str, subcategory: str, source: str, *, address: int = -1,
        lat: float = np.nan, lon: float = np.nan, buurt: str = "", description: str = "",
        hour: int | None = None, minute: int | None = None, persons: list[tuple[int, str]] | None = None,
    ) -> int:
        """Append a planted signal on window day ``d``; returns its planted key."""
        if address >= 0:
            a = self.addr.loc[address]
            lat, lon, buurt = float(a.lat), float(a.lon), str(a.buurt_code)
        h = int(self.rng.integers(8, 23)) if hour is None else hour
        m = int(self.rng.integers(0, 60)) if minute is None else minute
        ts = day(d).astype("datetime64[s]") + np.timedelta64(h * 3600 + m * 60 + int(self.rng.integers(60)), "s")
        key = len(self.planted_signals)
        self.planted_signals.append({
            "ts": ts, "category": category, "subcategory": subcategory, "source": source,
            "address": address, "lat": lat, "lon": lon, "buurt": buurt,
            "description": description or subcategory,
        })
        for p, role in persons or []:
            self.planted_sp.append((key, int(p), role))
        return key

    def resident(self, address: int, d: int) -> int:
        """Head of the background household living at ``address`` on day ``d`` (-1 if none)."""
        if self.occ1_head[address] >= 0 and d < self.occ1_end[address]:
            return int(self.occ1_head[address])
        if self.occ2_head[address] >= 0 and d >= self.occ2_start[address]:
            return int(self.occ2_head[address])
        return -1

    def add_business(self, name: str, sbi: str, sector: str, address: int, registered: Any) -> int:
        self.business_rows.append(
            {"name": name, "sbi": sbi, "sector": sector, "address": address, "registered": registered}
        )
        return len(self.biz_bg) + len(self.business_rows) - 1

    def add_role(self, business: int, person: int, role: str, start: Any, end: Any = NAT) -> None:
        self.bp_rows.append({"business": business, "person": int(person), "role": role,
                             "start": np.datetime64(start, "D"), "end": np.datetime64(end, "D")})

    # -- addresses -----------------------------------------------------------------------------
    def pick(self, n: int, buurten: list[str] | None = None, purpose: str | None = "woonfunctie",
             flat_ok: bool = False) -> np.ndarray:
        """``n`` distinct not-yet-planted addresses (widening to all buurten if too few); marks them taken."""
        a = self.addr
        taken = self.plan.setdefault("taken", np.zeros(len(a), bool))
        ok = ~taken
        if purpose:
            ok &= a["purpose"].to_numpy() == purpose
        if not flat_ok:
            ok &= a["house_number_addition"].to_numpy() == ""
        cand = np.flatnonzero(ok & a["buurt_code"].isin(buurten).to_numpy()) if buurten else np.empty(0, int)
        if cand.size < n:
            extra = self.rng.permutation(np.setdiff1d(np.flatnonzero(ok), cand))
            chosen = np.concatenate([self.rng.permutation(cand), extra])[:n]
        else:
            chosen = self.rng.choice(cand, n, replace=False)
        taken[chosen] = True
        return chosen
