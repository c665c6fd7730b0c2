"""Recurring overlast hotspots at three levels (address, spatial cluster, buurt) with score and advice."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import cKDTree

from netwerk.dating import day_texts
from netwerk.frames import Frames, period
from netwerk.gcpause import gc_paused
from netwerk.hotspots.advice import fenomeen_advice
from netwerk.hotspots.clusters import dbscan
from netwerk.hotspots.config import DEFAULT_CONFIG, HotspotConfig
from netwerk.hotspots.geo import buurt_geometry, hotspot_labels, to_local_xy
from netwerk.hotspots.getis import area_weights, getis_ord_gi_star
from netwerk.hotspots.nearrepeat import Knox, knox_test
from netwerk.hotspots.recurrence import recurrence
from netwerk.hotspots.score import explain_score, score_parts
from netwerk.hotspots.trend import TREND_LABELS, trend

__all__ = ["KNOWN_DOMAINS", "LEVELS", "UNKNOWN_DOMAIN", "Hotspot", "find_hotspots", "near_repeat", "select_signals"]

LEVELS = ("address", "cluster", "buurt")
#: Domain of signals whose category nobody mapped: included in every analysis and shown.
UNKNOWN_DOMAIN = "onbekend"
KNOWN_DOMAINS = ("jeugd", "woon", "zorg", "openbare_orde", "ondermijning", "overig", UNKNOWN_DOMAIN)
_EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class Hotspot:
    """One recurring hotspot: a place (address, cluster or buurt) and a main category.

    The fields of :meth:`to_dict` named in issue 4 are a contract: ``level, key, domain, category,
    n_signals, n_sources, first_at, last_at, trend, score, significance, fenomeen_advice, reason,
    evidence`` (clusters add ``lat``, ``lon``, ``addresses``).
    """

    level: str
    key: str
    domain: str
    category: str
    subcategory: str
    n_signals: int
    n_effective: int
    n_sources: int
    n_days: int
    n_addresses: int
    first_at: pd.Timestamp
    last_at: pd.Timestamp
    trend: str
    trend_recent: int
    trend_earlier_rate: float
    score: float
    score_parts: dict[str, float]
    significance: float
    significance_method: str
    expected: float
    active_windows: int
    n_windows: int
    best_window_signals: int
    best_window_days: int
    fenomeen_advice: bool
    advice_rules: dict[str, bool]
    reason: str
    evidence: list[str]
    buurt_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    addresses: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    #: readable place name next to the key ("Stationsweg 12, Winschoten", "Centrum (BU01410000)")
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the contract fields (plus more)."""
        out: dict[str, Any] = {
            "level": self.level, "key": self.key, "domain": self.domain, "category": self.category,
            "subcategory": self.subcategory, "n_signals": self.n_signals, "n_effective": self.n_effective,
            "n_sources": self.n_sources, "n_days": self.n_days, "n_addresses": self.n_addresses,
            "first_at": self.first_at.isoformat(), "last_at": self.last_at.isoformat(),
            "trend": self.trend, "trend_recent": self.trend_recent,
            "trend_earlier_rate": round(self.trend_earlier_rate, 3), "score": round(self.score, 3),
            "score_parts": {k: round(v, 3) for k, v in self.score_parts.items()},
            "significance": float(f"{self.significance:.4g}"), "significance_method": self.significance_method,
            "expected": round(self.expected, 4), "active_windows": self.active_windows,
            "n_windows": self.n_windows, "best_window_signals": self.best_window_signals,
            "best_window_days": self.best_window_days, "fenomeen_advice": self.fenomeen_advice,
            "advice_rules": dict(self.advice_rules), "reason": self.reason, "evidence": list(self.evidence),
            "buurt_code": self.buurt_code, "lat": self.lat, "lon": self.lon, "addresses": list(self.addresses),
        }
        out.update(self.extra)
        out["label"] = self.label or self.key
        return out


# --------------------------------------------------------------------------------------------- input
def select_signals(
    frames: Frames,
    *,
    domain: str | None = None,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
    config: HotspotConfig = DEFAULT_CONFIG,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp, pd.Timestamp]:
    """The signals of the analysis: ``(in_period, before_period, start, end)``.

    Filters on domain and on category (main or sub category, case-insensitive) and adds ``day`` (days
    since 1970) and a filled ``source`` (``onbekend`` when missing). A missing domain counts as ``onbekend``
    (included). Domains in ``config.exclude_domains`` are left out only when neither ``domain`` nor
    ``category`` is given: ``category`` always analyses that category. ``before_period`` holds the same
    selection before ``start``: the buurten's own baseline. (:func:`find_hotspots` selects the same rows
    in integer codes with ``_select``: a change to these filters belongs in both.)
    """
    if not isinstance(frames, Frames):
        raise ValueError("hotspots: verwacht Frames (netwerk.frames.Frames)")
    sig = frames.signals
    start, end = period(frames, since, until, config.period_days)
    cols = ["signal_id", "reported_at", "category", "subcategory", "domain", "source", "address_id",
            "lat", "lon", "buurt_code"]
    df = sig[cols]
    df = df[df["reported_at"].notna() & df["category"].notna()]
    df = df.assign(domain=df["domain"].fillna(UNKNOWN_DOMAIN))
    if not domain and not category and config.exclude_domains:
        df = df[~df["domain"].isin(config.exclude_domains)]
    if domain:
        known = set(df["domain"].unique()) | set(KNOWN_DOMAINS)
        if domain not in known:
            raise ValueError(f"onbekend domein {domain!r}; kies uit {', '.join(sorted(known))}")
        df = df[df["domain"] == domain]
    if category:
        want = category.strip().lower()
        hit = (df["category"].astype(str).str.lower() == want) | (df["subcategory"].astype(str).str.lower() == want)
        if not hit.any() and not df.empty:
            cats = sorted(set(df["category"].astype(str)))
            raise ValueError(f"geen meldingen in categorie {category!r}; hoofdcategorieën: {', '.join(cats[:20])}")
        df = df[hit]
    df = df.copy()
    df["source"] = df["source"].fillna("onbekend").astype(str)
    df["domain"] = df["domain"].astype(str)
    df["subcategory"] = df["subcategory"].fillna("").astype(str)
    df["day"] = (df["reported_at"].to_numpy().astype("datetime64[D]") - _EPOCH).astype(np.int64)
    inside = (df["reported_at"] >= start) & (df["reported_at"] <= end)
    before = df[df["reported_at"] < start]
    return df[inside].reset_index(drop=True), before.reset_index(drop=True), start, end


def _day(ts: pd.Timestamp) -> int:
    return int((np.datetime64(ts.normalize().date(), "D") - _EPOCH) // np.timedelta64(1, "D"))


# -------------------------------------------------------------------------------------- integer codes
#: The frames and columns hotspot detection and the near-repeat test read (``Frames.from_store(tables=...,
#: columns=...)``): signals with their places, and the addresses' names; no persons, no free text.
HOTSPOT_TABLES = ("signals", "addresses", "areas")
HOTSPOT_COLUMNS = {
    "signals": ["signal_id", "reported_at", "category", "subcategory", "domain", "source", "address_id", "lat", "lon",
                "buurt_code", "wijk_code"],
    "addresses": ["address_id", "street", "house_number", "house_letter", "house_number_addition", "city",
                  "buurt_code", "wijk_code", "lat", "lon"],
}

#: String columns of the selected signals that find_hotspots codes once (sorted, -1 for missing), so that
#: the grouping, de-duplication and sorting below work on integer codes instead of strings (issue 15).
_CODED = ("category", "source", "address_id", "buurt_code", "domain", "subcategory")


def _c(col: str) -> str:
    """Name of the code column of ``col``."""
    return f"_code_{col}"


def _factor(values: np.ndarray | pd.Series, *, fill: Any = None, as_str: bool = False, sort: bool = True
            ) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for missing) and uniques of ``values`` after ``fillna(fill)`` and ``astype(str)`` (when asked);
    with ``sort`` the codes follow the order of the values."""
    codes, uniq = pd.factorize(values)
    codes, uniq = np.asarray(codes, dtype=np.int64), np.asarray(uniq, dtype=object)
    merge = False  # values that may have become equal
    if fill is not None and (codes < 0).any():
        uniq = np.concatenate([uniq, np.array([fill], dtype=object)])
        codes = np.where(codes < 0, len(uniq) - 1, codes)
        merge = True
    if as_str and pd.api.types.infer_dtype(uniq, skipna=False) != "string":
        uniq = np.array([str(u) for u in uniq], dtype=object)
        merge = True
    if sort or merge:  # merge equal values, then order: on the uniques only
        new, uniq2 = pd.factorize(uniq, sort=sort)
        codes = np.where(codes >= 0, np.asarray(new, dtype=np.int64)[np.maximum(codes, 0)], -1)
        uniq = np.asarray(uniq2, dtype=object)
    return codes, uniq


def _compact(codes: np.ndarray, uniq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber so that only the values that occur in ``codes`` are left (order kept); returns the mapping
    old code -> new code (-1 when gone) and the new uniques."""
    present = np.bincount(codes[codes >= 0], minlength=len(uniq)) > 0
    remap = np.where(present, np.cumsum(present) - 1, -1)
    return remap, uniq[present]


def _via(remap: np.ndarray, codes: np.ndarray) -> np.ndarray:
    return np.where(codes >= 0, remap[np.maximum(codes, 0)], -1) if len(remap) else np.full(len(codes), -1)


@dataclass
class _Selection:
    """:func:`select_signals` in codes: the same rows, with only the columns find_hotspots reads."""

    sig: pd.DataFrame  # signal_id, reported_at, lat, lon, day and a code column per _CODED column
    before: pd.DataFrame  # reported_at and the codes of buurt_code and category (in the codes of sig)
    uniques: dict[str, np.ndarray]  # per _CODED column: the values of the codes (values that occur in sig)
    start: pd.Timestamp
    end: pd.Timestamp


def _select(frames: Frames, *, domain: str | None, category: str | None, since: str | None, until: str | None,
            config: HotspotConfig, coded: Iterable[str] = _CODED) -> _Selection:
    """The rows of :func:`select_signals` (same filters, same errors), with the string columns as codes (of
    ``coded``; category and domain always)."""
    if not isinstance(frames, Frames):
        raise ValueError("hotspots: verwacht Frames (netwerk.frames.Frames)")
    sig = frames.signals
    start, end = period(frames, since, until, config.period_days)
    cat_c, cat_u = _factor(sig["category"], sort=False)
    dom_c, dom_u = _factor(sig["domain"], fill=UNKNOWN_DOMAIN, sort=False)  # the filled domain, not yet str
    keep = sig["reported_at"].notna().to_numpy() & (cat_c >= 0)
    if not domain and not category and config.exclude_domains:
        out = pd.Series(dom_u, dtype=object).isin(config.exclude_domains).to_numpy()
        keep &= ~out[dom_c] if len(dom_u) else keep
    if domain:
        known = set(dom_u[np.unique(dom_c[keep])]) | set(KNOWN_DOMAINS)
        if domain not in known:
            raise ValueError(f"onbekend domein {domain!r}; kies uit {', '.join(sorted(known))}")
        keep &= (dom_u == domain)[dom_c] if len(dom_u) else keep
    if category:
        df = sig.loc[keep, ["category", "subcategory"]]
        want = category.strip().lower()
        hit = (df["category"].astype(str).str.lower() == want) | (df["subcategory"].astype(str).str.lower() == want)
        if not hit.any() and not df.empty:
            cats = sorted(set(df["category"].astype(str)))
            raise ValueError(f"geen meldingen in categorie {category!r}; hoofdcategorieën: {', '.join(cats[:20])}")
        keep[np.flatnonzero(keep)[~hit.to_numpy()]] = False
    t = sig["reported_at"]
    inside = np.flatnonzero(keep & ((t >= start) & (t <= end)).to_numpy())
    before = np.flatnonzero(keep & (t < start).to_numpy())
    at = sig["reported_at"].to_numpy()[inside]
    out_sig = pd.DataFrame({
        "signal_id": pd.Series(sig["signal_id"].to_numpy()[inside], dtype=object), "reported_at": at,
        "lat": sig["lat"].to_numpy()[inside], "lon": sig["lon"].to_numpy()[inside],
        "day": (at.astype("datetime64[D]") - _EPOCH).astype(np.int64),
    })
    uniques: dict[str, np.ndarray] = {}
    out_before = pd.DataFrame({"reported_at": sig["reported_at"].to_numpy()[before]})
    # category and buurt_code: sorted values, in sig and before alike
    buurt = [("buurt_code", *_factor(sig["buurt_code"], sort=False))] if "buurt_code" in coded else []
    for col, codes, uniq in (("category", cat_c, cat_u), *buurt):
        new, uniq = _factor(uniq, sort=True)  # uniq has no missing values: new[i] is the sorted code of value i
        codes = _via(new, codes)
        remap, uniques[col] = _compact(codes[inside], uniq)
        out_sig[_c(col)] = _via(remap, codes[inside])
        out_before[_c(col)] = _via(remap, codes[before])
    dom_str, dom_str_u = _factor(dom_u, as_str=True)
    remap, uniques["domain"] = _compact(_via(dom_str, dom_c[inside]), dom_str_u)
    out_sig[_c("domain")] = _via(remap, _via(dom_str, dom_c[inside]))
    for col, fill, as_str, sort in (("source", "onbekend", True, False), ("subcategory", "", True, True),
                                    ("address_id", None, False, False)):
        if col in coded:
            out_sig[_c(col)], uniques[col] = _factor(sig[col].to_numpy()[inside], fill=fill, as_str=as_str,
                                                     sort=sort)
    return _Selection(out_sig, out_before, uniques, start, end)


def _recode(values: pd.Series, uniq: np.ndarray) -> np.ndarray:
    """Codes of ``values`` in the code space of ``uniq`` (-1 for missing or unknown values)."""
    return np.asarray(pd.Index(uniq, dtype=object).get_indexer(values.to_numpy(dtype=object)), dtype=np.int64)


def _unique(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(key, return_index=True, return_inverse=True, return_counts=True)`` of a 1-d array, faster:
    an unstable sort, with the first position of each value as the smallest position in its run."""
    perm = np.argsort(key)
    ks = key[perm]
    new = np.r_[True, ks[1:] != ks[:-1]] if len(ks) else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(new)
    first = np.minimum.reduceat(perm, starts) if len(starts) else np.zeros(0, dtype=np.int64)
    inverse = np.empty(len(ks), dtype=np.int64)
    inverse[perm] = np.cumsum(new) - 1
    return ks[starts], first, inverse, np.diff(np.r_[starts, len(ks)])


def _lex_key(*cols: np.ndarray) -> np.ndarray:
    """One int64 key per row that orders (and groups) like the tuple of the integer columns."""
    n = len(cols[0])
    key = np.zeros(n, dtype=np.int64)
    span = 1
    for col in cols:
        c = np.asarray(col, dtype=np.int64)
        lo = int(c.min()) if n else 0
        width = int(c.max()) - lo + 1 if n else 1
        if span * width >= 2 ** 62:  # compress the key so far (order preserving) before it could overflow
            u, _, inv, _ = _unique(key)
            key, span = inv, len(u)
        key = key * width + (c - lo)
        span *= width
    return key


def _first(*cols: np.ndarray) -> np.ndarray:
    """Positions of the first row of each distinct tuple of the integer columns (like ``drop_duplicates``),
    in row order."""
    if not len(cols[0]):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(~pd.Series(_lex_key(*cols)).duplicated().to_numpy())  # a hash table: no sort


def _nunique(gid: np.ndarray, code: np.ndarray, n: int) -> np.ndarray:
    """Distinct non-missing codes per group (like ``groupby(gid)[col].nunique()``)."""
    ok = code >= 0
    g, c = gid[ok], code[ok]
    if not g.size:
        return np.zeros(n, dtype=np.int64)
    width = int(c.max()) + 1
    if n * width >= 2 ** 62:
        return np.bincount(g[_first(g, c)], minlength=n)
    key = np.sort(g * width + c)  # a plain sort of the pairs: no positions needed
    return np.bincount(key[np.r_[True, key[1:] != key[:-1]]] // width, minlength=n)


def _pair_counts(a: np.ndarray, b: np.ndarray, na: int, nb: int) -> np.ndarray:
    """Rows per (a, b) code pair as an ``na x nb`` table (rows with a missing code left out)."""
    ok = (a >= 0) & (b >= 0)
    return np.bincount(a[ok] * nb + b[ok], minlength=na * nb).reshape(na, nb)


def _lookup(table: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``table[a, b]`` with 0 where a code is missing (-1)."""
    out = np.zeros(len(a), dtype=table.dtype)
    ok = (a >= 0) & (b >= 0)
    out[ok] = table[a[ok], b[ok]]
    return out


# ------------------------------------------------------------------------------------- group summary
@dataclass
class _Groups:
    """Signals of one level with a group code per row and the key columns per group."""

    level: str
    rows: pd.DataFrame  # signal rows with column gid (and the code columns of _select)
    keys: pd.DataFrame  # one row per gid: key, category (+ level specific columns)


def _group(level: str, rows: pd.DataFrame, key_codes: np.ndarray, key_uniques: np.ndarray,
           uniques: Mapping[str, np.ndarray]) -> _Groups:
    """Groups (key x category), numbered in the order of (key, category)."""
    cat = rows[_c("category")].to_numpy()
    ncat = max(len(uniques["category"]), 1)
    u, _, gid, _ = _unique(np.asarray(key_codes, dtype=np.int64) * ncat + cat)
    rows = rows.assign(gid=gid)
    keys = pd.DataFrame({"key": [str(k) for k in key_uniques[u // ncat]],
                         "category": [str(c) for c in uniques["category"][u % ncat]]})
    return _Groups(level, rows, keys)


def _mode(gid: np.ndarray, code: np.ndarray, uniq: np.ndarray, n: int) -> np.ndarray:
    """The most frequent value per group (ties: the smallest value); ``code`` must have no missing (-1)."""
    out = np.full(n, "", dtype=object)
    if not len(gid):
        return out
    if n * len(uniq) <= 2 ** 24:  # few values: a table of counts, the first maximum is the smallest value
        table = np.bincount(gid * len(uniq) + code, minlength=n * len(uniq)).reshape(n, len(uniq))
        has = table.any(axis=1)
        out[has] = uniq[table.argmax(axis=1)[has]]
        return out
    _, idx, _, cnt = _unique(_lex_key(gid, code))
    g, c = gid[idx], code[idx]
    order = np.lexsort((c, -cnt, g))
    g, c = g[order], c[order]
    top = np.r_[True, g[1:] != g[:-1]]
    out[g[top]] = uniq[c[top]]
    return out


def _filled(code: np.ndarray, uniq: np.ndarray, fill: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Codes and uniques with missing (-1) replaced by ``fill`` (like ``fillna(fill)``), order kept."""
    if not (code < 0).any():
        return code, uniq
    strs = all(isinstance(u, str) for u in uniq)
    if strs and fill in set(uniq):
        pos = int(np.flatnonzero(uniq == fill)[0])
        return np.where(code < 0, pos, code), uniq
    at = int(np.searchsorted(uniq, fill)) if strs else len(uniq)
    new = np.where(code >= at, code + 1, code)
    new[code < 0] = at
    return new, np.concatenate([uniq[:at], np.array([fill], dtype=object), uniq[at:]])


def _span(gid: np.ndarray, at: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last time per group (NaT for a group without rows); ``at`` has no NaT."""
    ticks = at.view(np.int64)
    lo, hi = np.full(n, np.iinfo(np.int64).max), np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(lo, gid, ticks)
    np.maximum.at(hi, gid, ticks)
    empty = np.bincount(gid, minlength=n) == 0
    lo[empty] = hi[empty] = np.iinfo(np.int64).min  # NaT
    return lo.view(at.dtype), hi.view(at.dtype)


def _summaries(g: _Groups, start: pd.Timestamp, end: pd.Timestamp, cfg: HotspotConfig, level_rule: tuple[int, int],
               uniques: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Per-group numbers (vectorised over all groups of the level); beyond the recurrence only of the groups that
    qualify (the others are dropped)."""
    rows, n = g.rows, len(g.keys)
    gid = rows["gid"].to_numpy()
    day = rows["day"].to_numpy()
    s_day, e_day = _day(start) if start > pd.Timestamp("1900-01-01") else int(day.min(initial=0)), _day(end)
    rec = recurrence(gid, day, n, window_days=cfg.window_days, min_signals=level_rule[0], min_days=level_rule[1],
                     start_day=s_day, end_day=e_day, window_min_days=cfg.advice_window_min_days)
    keep = rec.qualifies[gid]  # all numbers below are per group: the rows of the other groups are not needed

    def col(name: str) -> np.ndarray:
        return rows[name].to_numpy()[keep]

    gid, day = gid[keep], day[keep]
    tr = trend(gid, day, n, start_day=s_day, end_day=e_day, trend_days=cfg.trend_days, ratio=cfg.trend_ratio,
               min_diff=cfg.trend_min_diff)
    src = col(_c("source"))
    out = g.keys.copy()
    out["gid"] = np.arange(n)
    out["n_signals"] = rec.n_signals
    out["n_days"] = rec.n_days
    out["n_effective"] = _nunique(gid, _lex_key(day, src), n)  # distinct (day, source) per group
    out["n_sources"] = _nunique(gid, src, n)
    out["n_addresses"] = _nunique(gid, col(_c("address_id")), n)
    out["first_at"], out["last_at"] = _span(gid, col("reported_at"), n)
    out["best_window_signals"], out["best_window_days"] = rec.best_signals, rec.best_days
    out["qualifies"] = rec.qualifies
    out["active_windows"], out["n_windows"] = rec.active_windows, rec.n_windows
    out["trend"], out["trend_recent"], out["trend_earlier_rate"] = tr.label, tr.recent, tr.earlier_rate
    for name in ("domain", "subcategory", "buurt_code"):
        code, uniq = _filled(col(_c(name)), uniques[name])
        out[name] = _mode(gid, code, uniq, n)
    return out


# ------------------------------------------------------------------------------------ significance
def _poisson_p(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """P(X >= observed) for X ~ Poisson(expected)."""
    return np.asarray(stats.poisson.sf(np.asarray(observed) - 1, np.maximum(np.asarray(expected, float), 1e-9)))


def _addresses_per_buurt(frames: Frames, sig: pd.DataFrame, uniques: Mapping[str, np.ndarray]) -> pd.Series:
    """Distinct addresses per buurt: of the address register, or else of the signals."""
    adr = frames.addresses
    if not adr.empty:
        return adr.groupby("buurt_code")["address_id"].nunique()
    b = sig[_c("buurt_code")].to_numpy()
    ok = b >= 0
    counts = _nunique(b[ok], sig[_c("address_id")].to_numpy()[ok], len(uniques["buurt_code"]))
    present = np.bincount(b[ok], minlength=len(uniques["buurt_code"])) > 0
    out = pd.Series(counts[present], index=pd.Index(uniques["buurt_code"][present], name="buurt_code"),
                    name="address_id")
    return out


def _address_significance(summ: pd.DataFrame, sig: pd.DataFrame, frames: Frames,
                          uniques: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Poisson test of an address's effective count against the per-address rate of its buurt (leave-one-out)
    and of the whole municipality, whichever is higher."""
    adr_c, cat, buurt = (sig[_c(c)].to_numpy() for c in ("address_id", "category", "buurt_code"))
    first = _first(adr_c, cat, sig["day"].to_numpy(), sig[_c("source")].to_numpy())
    nb, nc = len(uniques["buurt_code"]), len(uniques["category"])
    per_buurt = _pair_counts(buurt[first], cat[first], nb, nc)
    adr = frames.addresses
    n_adr = _addresses_per_buurt(frames, sig, uniques)
    total_adr = max(1, int(adr["address_id"].nunique()) if not adr.empty else len(uniques["address_id"]))
    per_cat = np.bincount(cat[first], minlength=nc)
    s_cat = _recode(summ["category"], uniques["category"])
    in_buurt = _lookup(per_buurt, _recode(summ["buurt_code"], uniques["buurt_code"]), s_cat).astype(float)
    in_buurt = in_buurt - summ["n_effective"].to_numpy()
    addrs = n_adr.reindex(summ["buurt_code"]).fillna(1).to_numpy()
    loo = np.maximum(in_buurt, 0) / np.maximum(addrs - 1, 1)
    glob = np.where(s_cat >= 0, per_cat[np.maximum(s_cat, 0)], 0).astype(float) / total_adr
    expected = np.maximum(loo, glob)
    return _poisson_p(summ["n_effective"].to_numpy(), expected), expected


def _duplicated(values: np.ndarray) -> np.ndarray:
    """``Series.duplicated()`` of an object array; without hashing when the values are increasing strings."""
    if len(values) < 2 or (pd.api.types.infer_dtype(values, skipna=False) == "string"
                           and bool((values[1:] > values[:-1]).all())):
        return np.zeros(len(values), dtype=bool)
    return pd.Series(values, dtype=object).duplicated().to_numpy()


def _cluster_significance(summ: pd.DataFrame, sig: pd.DataFrame, areas_m2: pd.Series,
                          uniques: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Poisson test of a cluster's effective count against the category's density in its buurt (leave-one-out)
    or in the whole municipality, whichever is higher, times the cluster's disc area."""
    located = np.flatnonzero(sig["lat"].notna().to_numpy() & sig["lon"].notna().to_numpy())
    once = located[~_duplicated(sig["signal_id"].to_numpy()[located])]
    place = pd.factorize(sig["lat"].to_numpy()[once] + 1j * sig["lon"].to_numpy()[once])[0]  # (lat, lon) in one
    cat_all = sig[_c("category")].to_numpy()
    cols = (place, cat_all[once], sig["day"].to_numpy()[once], sig[_c("source")].to_numpy()[once])
    eff = once[_first(*cols)]
    nb, nc = len(uniques["buurt_code"]), len(uniques["category"])
    per_buurt = _pair_counts(sig[_c("buurt_code")].to_numpy()[eff], cat_all[eff], nb, nc)
    per_cat = np.bincount(cat_all[eff], minlength=nc)
    total_area = float(np.nansum(areas_m2.to_numpy())) or 1e6
    s_cat = _recode(summ["category"], uniques["category"])
    in_buurt = _lookup(per_buurt, _recode(summ["buurt_code"], uniques["buurt_code"]), s_cat).astype(float)
    in_buurt = np.maximum(in_buurt - summ["n_effective"].to_numpy(), 0)
    area = areas_m2.reindex(summ["buurt_code"]).fillna(total_area / max(len(areas_m2), 1)).to_numpy()
    area = np.maximum(area, 1e4)
    disc = np.pi * summ["radius_m"].to_numpy() ** 2
    glob = np.where(s_cat >= 0, per_cat[np.maximum(s_cat, 0)], 0).astype(float)
    dens = np.maximum(in_buurt / area, glob / total_area)
    expected = dens * disc
    return _poisson_p(summ["n_effective"].to_numpy(), expected), expected


def _buurt_significance(summ: pd.DataFrame, sig: pd.DataFrame, before: pd.DataFrame, points: pd.DataFrame,
                        start: pd.Timestamp, end: pd.Timestamp, cfg: HotspotConfig, frames: Frames,
                        uniques: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Gi* per category over all buurten (k nearest label points) and the buurt's own baseline; the p-value is
    the smaller of the two, Bonferroni-corrected for two tests."""
    b_uniq, c_uniq = uniques["buurt_code"], uniques["category"]
    nb, nc = len(b_uniq), len(c_uniq)
    buurt, cat = sig[_c("buurt_code")].to_numpy(), sig[_c("category")].to_numpy()
    codes = pd.Index(sorted(set(points["buurt_code"]) | set(b_uniq)))
    pts = points.set_index("buurt_code").reindex(codes)
    # buurten without a label point: the mean of their signals' coordinates
    has_b = buurt >= 0
    fill = sig.loc[has_b, ["lat", "lon"]].groupby(buurt[has_b]).mean()
    fill.index = pd.Index(b_uniq[fill.index.to_numpy()], dtype=object)
    fill = fill.reindex(codes)
    lat = pts["lat"].fillna(fill["lat"]).to_numpy(dtype=float)
    lon = pts["lon"].fillna(fill["lon"]).to_numpy(dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    codes, lat, lon = codes[ok], lat[ok], lon[ok]
    cats = pd.Index(sorted(summ["category"].unique()))
    table = pd.DataFrame(_pair_counts(buurt, cat, nb, nc), index=pd.Index(b_uniq, dtype=object),
                         columns=pd.Index(c_uniq, dtype=object))
    values = table.reindex(index=codes, columns=cats, fill_value=0).to_numpy(dtype=float)
    n_adr_all = _addresses_per_buurt(frames, sig, uniques)
    if cfg.gi_rate:
        n_adr = n_adr_all.reindex(codes).fillna(0).to_numpy()
        values = values / np.maximum(n_adr, 1)[:, None] * 100
    z = np.zeros(len(summ))
    weights = "geen (minder dan 3 buurten)"
    p_gi = np.ones(len(summ))
    if len(codes) >= 3 and len(cats):
        w, weights = area_weights(list(codes), to_local_xy(lat, lon), cfg.gi_k, frames.areas)
        gi = getis_ord_gi_star(values, w)
        r = codes.get_indexer(summ["key"])
        c = cats.get_indexer(summ["category"])
        has = r >= 0
        z[has] = gi.z[r[has], c[has]]
        p_gi[has] = gi.p_hot[r[has], c[has]]
    # own baseline: the last window against the rate before it (earlier in the period and before the period)
    recent_from = end.normalize() - pd.Timedelta(days=cfg.window_days - 1)
    first = sig["reported_at"].min()
    if not before.empty:
        first = min(first, before["reported_at"].min())  # the first signal of the period or before it
    hist_days = max(1.0, (recent_from - first.normalize()).days)
    t_sig = (sig["reported_at"] >= recent_from).to_numpy()
    recent = _pair_counts(buurt[t_sig], cat[t_sig], nb, nc)
    older = _pair_counts(buurt[~t_sig], cat[~t_sig], nb, nc)
    if not before.empty:
        t_bef = (before["reported_at"] < recent_from).to_numpy()
        older = older + _pair_counts(before[_c("buurt_code")].to_numpy()[t_bef],
                                     before[_c("category")].to_numpy()[t_bef], nb, nc)
    s_b, s_c = _recode(summ["key"], b_uniq), _recode(summ["category"], c_uniq)
    n_recent = _lookup(recent, s_b, s_c)
    if (n_recent == 0).any():  # as reindex(...).fillna(0) gives: float when some pair has no signals
        n_recent = n_recent.astype(float)
    base = _lookup(older, s_b, s_c).astype(float) / hist_days * cfg.window_days
    p_base = _poisson_p(n_recent, np.maximum(base, 0.5))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(base > 0, n_recent / base, np.inf)
    p = np.minimum(1.0, 2 * np.minimum(p_gi, p_base))
    # the expected count over the period: the category's signals shared over the buurten by their addresses
    share = n_adr_all.reindex(summ["key"]).fillna(0).to_numpy() / max(1, int(n_adr_all.sum()))
    share = np.where(share > 0, share, 1 / max(len(codes), 1))
    per_cat = np.bincount(cat, minlength=nc)
    per_cat = np.where(s_c >= 0, per_cat[np.maximum(s_c, 0)], 0).astype(float)
    expected_period = per_cat * share
    extra = {"weights": np.full(len(summ), weights, dtype=object),
             "gi_z": z, "gi_p": p_gi, "baseline_recent": n_recent, "baseline_expected": base,
             "baseline_ratio": ratio, "baseline_p": p_base, "expected_period": expected_period}
    return p, base, extra


# ----------------------------------------------------------------------------------------- levels
def _cluster_groups(sig: pd.DataFrame, cfg: HotspotConfig, uniques: Mapping[str, np.ndarray]
                    ) -> tuple[_Groups, pd.DataFrame] | None:
    """DBSCAN per main category on unique locations; returns the clustered rows and per-cluster geometry."""
    pts = sig.dropna(subset=["lat", "lon"])
    if cfg.cluster_unaddressed_only:
        pts = pts[pts[_c("address_id")].to_numpy() < 0]
    if pts.empty:
        return None
    lat0 = float(pts["lat"].mean())
    xy_all = to_local_xy(pts["lat"].to_numpy(), pts["lon"].to_numpy(), lat0)
    pts = pts.assign(x=np.round(xy_all[:, 0], 1), y=np.round(xy_all[:, 1], 1))
    labelled = []
    names: list[str] = []  # per cluster number: "<category>\x1e<label>"
    for code, sub in pts.groupby(_c("category"), sort=True):  # a loop over categories, vectorised inside
        cat = uniques["category"][int(code)]
        # the unique locations, sorted on (x, y) (like np.unique(axis=0), faster)
        xu, _, xi, _ = _unique(sub["x"].to_numpy())
        yu, _, yi, _ = _unique(sub["y"].to_numpy())
        loc, _, inv, cnt = _unique(xi * len(yu) + yi)
        loc = np.column_stack([xu[loc // len(yu)], yu[loc % len(yu)]])
        lab = dbscan(loc, cfg.cluster_radius_m, cfg.cluster_min_signals, weights=cnt)[inv]
        keep = lab >= 0
        if keep.any():
            found = np.unique(lab[keep])
            num = np.full(int(found.max()) + 1, -1, dtype=np.int64)
            num[found] = np.arange(len(names), len(names) + len(found))
            names += [f"{cat}\x1e{v}" for v in found]
            labelled.append(sub[keep].assign(cluster=num[lab[keep]]))
    if not labelled:
        return None
    rows = pd.concat(labelled)
    cid = rows["cluster"].to_numpy()
    geo = rows.groupby("cluster").agg(lat=("lat", "mean"), lon=("lon", "mean"), x=("x", "mean"), y=("y", "mean"))
    # every cluster number has rows, so geo row i is cluster i
    dist = np.hypot(rows["x"].to_numpy() - geo["x"].to_numpy()[cid], rows["y"].to_numpy() - geo["y"].to_numpy()[cid])
    geo["radius_m"] = np.maximum(pd.Series(dist).groupby(cid).max(), cfg.cluster_radius_m)
    geo.index = pd.Index(names, dtype=object, name="cluster")
    geo = geo.iloc[np.argsort(np.asarray(names, dtype=object), kind="stable")]  # in the order of the names
    keys = [f"cluster:{_slug(c.split(chr(0x1e))[0])}:{la:.5f},{lo:.5f}" for c, la, lo in
            zip(geo.index, geo["lat"], geo["lon"], strict=True)]
    geo["key"] = keys
    key_of = pd.Series(keys, index=geo.index).reindex(names).to_numpy()
    kc, ku = pd.factorize(key_of, sort=True)
    g = _group("cluster", rows, np.asarray(kc, dtype=np.int64)[cid], np.asarray(ku, dtype=object), uniques)
    return g, geo.set_index("key")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _chosen(gid: np.ndarray, gids: np.ndarray) -> np.ndarray:
    """``np.isin(gid, gids)`` for group codes (non-negative integers)."""
    mask = np.zeros(max(int(gid.max(initial=-1)), int(gids.max(initial=-1))) + 1, dtype=bool)
    mask[gids] = True
    return mask[gid]


def _by_group_time(g: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``np.lexsort((t, g))`` for group codes (non-negative) and datetime64 times: one stable sort of a combined
    key (group rank, time) when it fits in int64."""
    if not len(g) or t.dtype.kind != "M" or np.isnat(t).any():
        return np.lexsort((t, g))
    present = np.zeros(int(g.max()) + 1, dtype=bool)
    present[g] = True
    rank = (np.cumsum(present) - 1)[g]
    ticks = t.view(np.int64) - int(t.view(np.int64).min())
    span = int(ticks.max()) + 1
    if int(present.sum()) * span >= 2 ** 62:
        return np.lexsort((t, g))
    return np.argsort(rank * span + ticks, kind="stable")


def _evidence(rows: pd.DataFrame, gids: np.ndarray, cap: int | None) -> dict[int, list[str]]:
    """Signal ids per group, ordered by time, then signal id (like sorting on gid, reported_at, signal_id)."""
    at = np.flatnonzero(_chosen(rows["gid"].to_numpy(), gids))
    g = rows["gid"].to_numpy()[at]
    t = rows["reported_at"].to_numpy()[at]
    ids = rows["signal_id"].to_numpy(dtype=object)[at]
    order = _by_group_time(g, t)
    g, t, ids = g[order], t[order], ids[order]
    # runs of equal (gid, time): order those by signal id (stable, missing ids last)
    same = np.r_[False, (g[1:] == g[:-1]) & (t[1:] == t[:-1])]
    if same.any():
        run_start = np.flatnonzero(~same)
        run_len = np.diff(np.r_[run_start, len(g)])
        for s, n in zip(run_start[run_len > 1], run_len[run_len > 1], strict=True):
            ids[s:s + n] = sorted(ids[s:s + n], key=lambda v: (pd.isna(v), "" if pd.isna(v) else v))
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if len(g) else np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(g)]
    if cap is not None:
        ends = np.minimum(ends, starts + cap)
    id_l = ids.tolist()
    return {k: id_l[s:e] for k, s, e in zip(g[starts].tolist(), starts.tolist(), ends.tolist(), strict=True)}


def _members(rows: pd.DataFrame, gids: np.ndarray, uniques: Mapping[str, np.ndarray]) -> dict[int, list[str]]:
    """The sorted distinct addresses per group."""
    gid, adr = rows["gid"].to_numpy(), rows[_c("address_id")].to_numpy()
    m = _chosen(gid, gids) & (adr >= 0)
    g, a = gid[m], adr[m]
    first = _first(g, a) if len(g) else np.zeros(0, dtype=np.int64)
    g, a = g[first], a[first]
    out: dict[int, list[str]] = {}
    for k, v in zip(g.tolist(), uniques["address_id"][a].tolist(), strict=True):
        out.setdefault(k, []).append(v)
    return {k: sorted(v) for k, v in out.items()}


def _reason(level: str, r: Mapping[str, Any], cfg: HotspotConfig, rule: tuple[int, int], first: str, last: str
            ) -> str:
    where = {"address": f"adres {r['key']}", "cluster": "locatiecluster", "buurt": f"buurt {r['key']}"}[level]
    return (f"{where}: {int(r['n_signals'])} meldingen '{r['category']}' ({r['subcategory']}) op {int(r['n_days'])} "
            f"dagen van {int(r['n_sources'])} melder(s)/partner(s), {first} t/m {last}; max. "
            f"{int(r['best_window_signals'])} meldingen binnen {cfg.window_days} dagen (drempel {rule[0]} op "
            f"{rule[1]} dagen); trend {TREND_LABELS[str(r['trend'])]}.")


def _dmy(at: pd.Series) -> list[str]:
    """``f"{t:%d-%m-%Y}"`` per timestamp, vectorised (years 1000-9999; else per timestamp)."""
    text = day_texts(at.to_numpy())
    if text is None or at.isna().any():
        return [f"{t:%d-%m-%Y}" for t in at]
    return [f"{s[8:10]}-{s[5:7]}-{s[:4]}" for s in text.tolist()]


def _build(level: str, g: _Groups, frames: Frames, sig: pd.DataFrame, before: pd.DataFrame, start: pd.Timestamp,
           end: pd.Timestamp, cfg: HotspotConfig, geo: pd.DataFrame | None, points: pd.DataFrame,
           areas_m2: pd.Series, lap: Callable[[str], None], uniques: Mapping[str, np.ndarray],
           multi_source: bool = True) -> list[Hotspot]:
    rule = (cfg.buurt_min_signals, cfg.buurt_min_days) if level == "buurt" else (cfg.min_signals, cfg.min_days)
    summ = _summaries(g, start, end, cfg, rule, uniques)
    lap("recurrence")
    summ = summ[summ["qualifies"]].reset_index(drop=True)
    if summ.empty:
        return []
    extra: dict[str, np.ndarray] = {}
    if level == "address":
        summ["buurt_code"] = summ["buurt_code"].replace("", None)
        kept = g.rows[_chosen(g.rows["gid"].to_numpy(), summ["gid"].to_numpy())]
        summ = summ.join(kept.groupby("gid")[["lat", "lon"]].mean(), on="gid")
        p, expected = _address_significance(summ, sig, frames, uniques)
        method = "poisson: adres tegen gemiddelde per adres in de buurt/gemeente"
    elif level == "cluster":
        assert geo is not None
        summ = summ.join(geo[["lat", "lon", "radius_m"]], on="key")
        p, expected = _cluster_significance(summ, sig, areas_m2, uniques)
        method = "poisson: cluster tegen dichtheid van de categorie in de buurt/gemeente"
    else:
        p, expected, extra = _buurt_significance(summ, sig, before, points, start, end, cfg, frames, uniques)
        keep = p <= cfg.alpha
        summ, p, expected = summ[keep].reset_index(drop=True), p[keep], expected[keep]
        extra = {k: v[keep] for k, v in extra.items()}
        method = "Gi* (k buren) en eigen basislijn, Bonferroni x2"
        if summ.empty:
            return []
    lap("gi*" if level == "buurt" else "significance")
    if level == "buurt":
        observed, base_exp = summ["n_signals"].to_numpy(dtype=float), extra["expected_period"]
    else:
        observed, base_exp = summ["n_effective"].to_numpy(dtype=float), np.asarray(expected, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(base_exp > 0, observed / base_exp, np.inf)
    parts = score_parts(summ["n_effective"].to_numpy(), summ["active_windows"].to_numpy(),
                        summ["n_sources"].to_numpy(), summ["trend"].to_numpy(), p, ratio=ratio,
                        multi_source=multi_source, alpha=cfg.alpha)
    total = np.sum(list(parts.values()), axis=0)
    gids = summ["gid"].to_numpy()
    evidence = _evidence(g.rows, gids, cfg.max_evidence)
    members: dict[int, list[str]] = {}
    if level in ("cluster", "buurt"):
        members = _members(g.rows, gids, uniques)
    nearby: dict[str, list[str]] = {}
    if level == "cluster" and not frames.addresses.empty:
        adr = frames.addresses.dropna(subset=["lat", "lon"])
        if not adr.empty:
            tree = cKDTree(to_local_xy(adr["lat"].to_numpy(), adr["lon"].to_numpy(), float(sig["lat"].mean())))
            cxy = to_local_xy(summ["lat"].to_numpy(), summ["lon"].to_numpy(), float(sig["lat"].mean()))
            hits = tree.query_ball_point(cxy, summ["radius_m"].to_numpy())
            ids = adr["address_id"].to_numpy(dtype=object)
            order = np.argsort(ids, kind="stable")  # sorted(ids[h]) is ids[order][sorted rank of h]
            rank, ids = np.empty(len(order), dtype=np.int64), ids[order]
            rank[order] = np.arange(len(order))
            nearby = {k: ids[np.sort(rank[h])[:25]].tolist() for k, h in zip(summ["key"], hits, strict=True)}
    out = []
    pt = points.set_index("buurt_code")
    # plain Python floats per hotspot (float(array[i]) in the loop is slower)
    p_l, ratio_l = np.asarray(p, float).tolist(), np.asarray(ratio, float).tolist()
    total_l, expected_l = np.asarray(total, float).tolist(), np.asarray(expected, float).tolist()
    parts_l = {k: np.asarray(v, float).tolist() for k, v in parts.items()}
    cols = list(summ.columns)  # like summ.to_dict("records"), column-wise (faster)
    recs = [dict(zip(cols, vals, strict=True)) for vals in zip(*(summ[c].tolist() for c in cols), strict=True)]
    first_l, last_l = _dmy(summ["first_at"]), _dmy(summ["last_at"])
    period_start, period_end = f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"
    for i, r in enumerate(recs):  # one Python step per hotspot (not per signal)
        gid = int(r["gid"])
        adv = fenomeen_advice(level, active_windows=int(r["active_windows"]), n_windows=int(r["n_windows"]),
                              n_addresses=int(r["n_addresses"]), n_sources=int(r["n_sources"]),
                              trend=str(r["trend"]), p_value=p_l[i], config=cfg,
                              above_baseline=(bool(extra["baseline_p"][i] <= cfg.alpha) if level == "buurt"
                                              else None),
                              multi_source=multi_source, recent=int(r["trend_recent"]))
        more: dict[str, Any] = {k: _jsonable(v[i]) for k, v in extra.items()}
        more["ratio_expected"] = _jsonable(ratio_l[i])
        more["multi_source"] = multi_source
        more["period_start"], more["period_end"] = period_start, period_end
        lat = lon = None
        addrs: list[str] = []
        if level == "cluster":
            lat, lon = round(float(r["lat"]), 6), round(float(r["lon"]), 6)
            addrs = members.get(gid, [])
            more["radius_m"] = round(float(r["radius_m"]), 1)
            more["nearby_addresses"] = nearby.get(r["key"], [])
        elif level == "buurt":
            addrs = members.get(gid, [])
            if r["key"] in pt.index:
                lat, lon = float(pt.at[r["key"], "lat"]), float(pt.at[r["key"], "lon"])
                more["name"] = str(pt.at[r["key"], "name"])
        else:
            addrs = [str(r["key"])]
            if math.isfinite(r["lat"]) and math.isfinite(r["lon"]):
                lat, lon = round(float(r["lat"]), 6), round(float(r["lon"]), 6)
        my_parts = {k: v[i] for k, v in parts_l.items()}
        explained = explain_score(my_parts, n_effective=int(r["n_effective"]), active_windows=int(r["active_windows"]),
                                  n_sources=int(r["n_sources"]), trend=str(r["trend"]), p_value=p_l[i],
                                  ratio=ratio_l[i], multi_source=multi_source)
        reason = _reason(level, r, cfg, rule, first_l[i], last_l[i]) + " " + explained + " " + adv.reason
        out.append(Hotspot(
            level=level, key=str(r["key"]), domain=str(r["domain"]), category=str(r["category"]),
            subcategory=str(r["subcategory"]), n_signals=int(r["n_signals"]), n_effective=int(r["n_effective"]),
            n_sources=int(r["n_sources"]), n_days=int(r["n_days"]), n_addresses=int(r["n_addresses"]),
            first_at=pd.Timestamp(r["first_at"]), last_at=pd.Timestamp(r["last_at"]), trend=str(r["trend"]),
            trend_recent=int(r["trend_recent"]), trend_earlier_rate=float(r["trend_earlier_rate"]),
            score=total_l[i], score_parts=my_parts,
            significance=p_l[i], significance_method=method, expected=expected_l[i],
            active_windows=int(r["active_windows"]), n_windows=int(r["n_windows"]),
            best_window_signals=int(r["best_window_signals"]), best_window_days=int(r["best_window_days"]),
            fenomeen_advice=adv.advice, advice_rules=adv.rules, reason=reason, evidence=evidence.get(gid, []),
            buurt_code=(str(r["key"]) if level == "buurt" else (r["buurt_code"] or None)), lat=lat, lon=lon,
            addresses=addrs, extra=more,
        ))
    lap("scoring")
    return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return round(v, 4) if isinstance(v, float) else v


# ------------------------------------------------------------------------------------------- public
def find_hotspots(
    frames: Frames,
    *,
    domain: str | None = None,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
    config: HotspotConfig | None = None,
    levels: Iterable[str] = LEVELS,
    timings: dict[str, float] | None = None,
) -> list[Hotspot]:
    """Recurring hotspots at address, cluster and buurt level, ranked by score (highest first).

    Parameters
    ----------
    frames : Frames
        The analysis input.
    domain : str, optional
        Only signals of this domain (jeugd, woon, zorg, openbare_orde, ondermijning, overig).
    category : str, optional
        Only signals with this main category or sub category (case-insensitive).
    since, until : str, optional
        ISO dates of the period (inclusive); default the ``config.period_days`` up to the latest signal.
    config : HotspotConfig, optional
        Thresholds and rules; default :data:`~netwerk.hotspots.config.DEFAULT_CONFIG`.
    levels : iterable of str
        Which of ``address``, ``cluster``, ``buurt`` to compute.
    timings : dict, optional
        When given, filled with seconds per step (``select``, ``recurrence``, ``clusters``, ``significance``,
        ``gi*``, ``scoring``).

    Returns
    -------
    list of Hotspot
        Sorted by score (descending), ties by volume (effective signals, then all signals), then level and key.

    Examples
    --------
    >>> t = pd.to_datetime(["2025-01-02", "2025-01-09", "2025-01-20", "2025-02-01", "2025-02-15"])
    >>> sig = pd.DataFrame({"signal_id": list("abcde"), "reported_at": t, "category": "Woonoverlast",
    ...                     "domain": "woon", "source": ["p1", "m1", "m2", "p1", "m1"], "address_id": "A1",
    ...                     "buurt_code": "BU1"})
    >>> hs = find_hotspots(Frames.from_tables({"signals": sig}), levels=["address"])
    >>> [(h.level, h.key, h.n_signals, h.n_sources) for h in hs]
    [('address', 'A1', 5, 3)]

    Notes
    -----
    A group (place x main category) is a hotspot when some window of ``window_days`` holds at least
    ``min_signals`` signals on ``min_days`` distinct days (buurt level: ``buurt_min_*`` and, in addition,
    significant at ``alpha`` by Gi* or against its own baseline). Clusters are DBSCAN groups of signals
    within ``cluster_radius_m`` (by default only signals without an address: location-only reports).
    The score (0-10) sums named indicators (:mod:`netwerk.hotspots.score`); the fenomeen advice follows
    the rules of :func:`netwerk.hotspots.advice.fenomeen_advice`. See docs/hotspots.md.
    """
    cfg = config or DEFAULT_CONFIG
    levels = list(levels)
    bad = set(levels) - set(LEVELS)
    if bad:
        raise ValueError(f"onbekend niveau {sorted(bad)}; kies uit {', '.join(LEVELS)}")
    clock = time.perf_counter()
    tick = {} if timings is None else timings

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        tick[name] = tick.get(name, 0.0) + now - clock
        clock = now

    sel = _select(frames, domain=domain, category=category, since=since, until=until, config=cfg)
    sig, before, start, end, uniques = sel.sig, sel.before, sel.start, sel.end, sel.uniques
    b = sig[_c("buurt_code")].to_numpy()
    b = b[b >= 0]
    points, _ = buurt_geometry(frames.areas, uniques["buurt_code"][pd.unique(b)])  # in the order they first occur
    areas_m2 = points.set_index("buurt_code")["area_m2"]
    lap("select")
    out: list[Hotspot] = []
    if sig.empty:
        return out
    multi = len(uniques["source"]) > 1

    def by_place(level: str, column: str) -> list[Hotspot]:
        codes = sig[_c(column)].to_numpy()
        has = codes >= 0
        if not has.any():
            return []
        rows = sig[has]
        g = _group(level, rows, codes[has], uniques[column], uniques)
        lap("recurrence")
        return _build(level, g, frames, sig, before, start, end, cfg, None, points, areas_m2, lap, uniques, multi)

    with gc_paused():
        if "address" in levels:
            out += by_place("address", "address_id")
        if "cluster" in levels:
            made = _cluster_groups(sig, cfg, uniques)
            lap("clusters")
            if made is not None:
                out += _build("cluster", made[0], frames, sig, before, start, end, cfg, made[1], points, areas_m2,
                              lap, uniques, multi)
        if "buurt" in levels:
            out += by_place("buurt", "buurt_code")
        # the labels (as geo.with_labels gives them), set on our own, not yet shared objects: no dataclasses.replace
        for h, lab in zip(out, hotspot_labels(out, frames), strict=True):
            object.__setattr__(h, "label", lab)
        out.sort(key=rank_key)
    return out


def rank_key(h: Hotspot) -> tuple[float, int, int, int, str, str]:
    """Sort key of the ranking: score, then volume (effective, then all signals), then level and key."""
    return (-round(h.score, 9), -h.n_effective, -h.n_signals, LEVELS.index(h.level), h.key, h.category)


def near_repeat(
    frames: Frames,
    *,
    domain: str | None = None,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
    config: HotspotConfig | None = None,
) -> dict[str, Knox]:
    """Knox near-repeat test per domain over the selected signals (with coordinates).

    Returns a dict domain -> :class:`~netwerk.hotspots.nearrepeat.Knox` (domains with fewer than 10
    located signals are left out).
    """
    cfg = config or DEFAULT_CONFIG
    sel = _select(frames, domain=domain, category=category, since=since, until=until, config=cfg, coded=())
    ok = sel.sig["lat"].notna().to_numpy() & sel.sig["lon"].notna().to_numpy()
    lat, lon = sel.sig["lat"].to_numpy()[ok], sel.sig["lon"].to_numpy()[ok]
    at, dom = sel.sig["reported_at"].to_numpy()[ok], sel.sig[_c("domain")].to_numpy()[ok]
    out: dict[str, Knox] = {}
    if not ok.any():
        return out
    lat0 = float(pd.Series(lat).mean())
    for code, name in enumerate(sel.uniques["domain"].tolist()):  # the domains in sorted order
        rows = np.flatnonzero(dom == code)
        if len(rows) < 10:
            continue
        xy = to_local_xy(lat[rows], lon[rows], lat0)
        when = pd.Series(at[rows])
        t = (when - when.min()).dt.total_seconds().to_numpy() / 86400
        out[name] = knox_test(xy, t, cfg.knox_distance_m, cfg.knox_time_days, cfg.knox_permutations,
                              cfg.seed, cfg.knox_max_events)
    return out
