"""Recurring overlast hotspots at three levels (address, spatial cluster, buurt) with score and advice."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import cKDTree

from netwerk.frames import Frames, period
from netwerk.hotspots.advice import fenomeen_advice
from netwerk.hotspots.clusters import dbscan
from netwerk.hotspots.config import DEFAULT_CONFIG, HotspotConfig
from netwerk.hotspots.geo import buurt_geometry, to_local_xy, with_labels
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
    selection before ``start``: the buurten's own baseline.
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


# ------------------------------------------------------------------------------------- group summary
@dataclass
class _Groups:
    """Signals of one level with a group code per row and the key columns per group."""

    level: str
    rows: pd.DataFrame  # signal rows with column gid
    keys: pd.DataFrame  # one row per gid: key, category (+ level specific columns)


def _group(level: str, rows: pd.DataFrame, key: pd.Series) -> _Groups:
    combo = key.astype(str) + "\x1f" + rows["category"].astype(str)
    gid, uniq = pd.factorize(combo, sort=True)
    rows = rows.assign(gid=gid)
    parts = pd.Series(uniq).str.split("\x1f", n=1, expand=True)
    keys = pd.DataFrame({"key": parts[0], "category": parts[1]})
    return _Groups(level, rows, keys)


def _mode(rows: pd.DataFrame, col: str, n: int) -> np.ndarray:
    counts = rows.groupby(["gid", col], sort=False).size().reset_index(name="n")
    counts = counts.sort_values(["gid", "n", col], ascending=[True, False, True]).drop_duplicates("gid")
    out = np.full(n, "", dtype=object)
    out[counts["gid"].to_numpy()] = counts[col].to_numpy()
    return out


def _summaries(g: _Groups, start: pd.Timestamp, end: pd.Timestamp, cfg: HotspotConfig, level_rule: tuple[int, int]
               ) -> pd.DataFrame:
    """Per-group numbers (vectorised over all groups of the level)."""
    rows, n = g.rows, len(g.keys)
    gid = rows["gid"].to_numpy()
    day = rows["day"].to_numpy()
    s_day, e_day = _day(start) if start > pd.Timestamp("1900-01-01") else int(day.min(initial=0)), _day(end)
    rec = recurrence(gid, day, n, window_days=cfg.window_days, min_signals=level_rule[0], min_days=level_rule[1],
                     start_day=s_day, end_day=e_day, window_min_days=cfg.advice_window_min_days)
    tr = trend(gid, day, n, start_day=s_day, end_day=e_day, trend_days=cfg.trend_days, ratio=cfg.trend_ratio,
               min_diff=cfg.trend_min_diff)
    eff = rows.drop_duplicates(["gid", "day", "source"])
    out = g.keys.copy()
    out["gid"] = np.arange(n)
    out["n_signals"] = rec.n_signals
    out["n_days"] = rec.n_days
    out["n_effective"] = np.bincount(eff["gid"].to_numpy(), minlength=n)
    out["n_sources"] = rows.groupby("gid")["source"].nunique().reindex(range(n), fill_value=0).to_numpy()
    out["n_addresses"] = rows.groupby("gid")["address_id"].nunique().reindex(range(n), fill_value=0).to_numpy()
    t = rows.groupby("gid")["reported_at"].agg(["min", "max"]).reindex(range(n))
    out["first_at"], out["last_at"] = t["min"].to_numpy(), t["max"].to_numpy()
    out["best_window_signals"], out["best_window_days"] = rec.best_signals, rec.best_days
    out["qualifies"] = rec.qualifies
    out["active_windows"], out["n_windows"] = rec.active_windows, rec.n_windows
    out["trend"], out["trend_recent"], out["trend_earlier_rate"] = tr.label, tr.recent, tr.earlier_rate
    out["domain"] = _mode(rows, "domain", n)
    out["subcategory"] = _mode(rows, "subcategory", n)
    out["buurt_code"] = _mode(rows.assign(buurt_code=rows["buurt_code"].fillna("")), "buurt_code", n)
    return out


# ------------------------------------------------------------------------------------ significance
def _poisson_p(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """P(X >= observed) for X ~ Poisson(expected)."""
    return np.asarray(stats.poisson.sf(np.asarray(observed) - 1, np.maximum(np.asarray(expected, float), 1e-9)))


def _address_significance(summ: pd.DataFrame, sig: pd.DataFrame, frames: Frames) -> tuple[np.ndarray, np.ndarray]:
    """Poisson test of an address's effective count against the per-address rate of its buurt (leave-one-out)
    and of the whole municipality, whichever is higher."""
    eff = sig.drop_duplicates(["address_id", "category", "day", "source"])
    per_buurt = eff.groupby(["buurt_code", "category"]).size()
    adr = frames.addresses
    n_adr = (adr.groupby("buurt_code")["address_id"].nunique() if not adr.empty
             else sig.groupby("buurt_code")["address_id"].nunique())
    total_adr = max(1, int(adr["address_id"].nunique()) if not adr.empty else int(sig["address_id"].nunique()))
    per_cat = eff.groupby("category").size()
    idx = pd.MultiIndex.from_arrays([summ["buurt_code"], summ["category"]])
    in_buurt = per_buurt.reindex(idx).fillna(0).to_numpy() - summ["n_effective"].to_numpy()
    addrs = n_adr.reindex(summ["buurt_code"]).fillna(1).to_numpy()
    loo = np.maximum(in_buurt, 0) / np.maximum(addrs - 1, 1)
    glob = per_cat.reindex(summ["category"]).fillna(0).to_numpy() / total_adr
    expected = np.maximum(loo, glob)
    return _poisson_p(summ["n_effective"].to_numpy(), expected), expected


def _cluster_significance(summ: pd.DataFrame, sig: pd.DataFrame, areas_m2: pd.Series
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Poisson test of a cluster's effective count against the category's density in its buurt (leave-one-out)
    or in the whole municipality, whichever is higher, times the cluster's disc area."""
    eff = sig.dropna(subset=["lat", "lon"]).drop_duplicates(["signal_id"])
    eff = eff.drop_duplicates(["lat", "lon", "category", "day", "source"])
    per_buurt = eff.groupby(["buurt_code", "category"]).size()
    per_cat = eff.groupby("category").size()
    total_area = float(np.nansum(areas_m2.to_numpy())) or 1e6
    idx = pd.MultiIndex.from_arrays([summ["buurt_code"], summ["category"]])
    in_buurt = np.maximum(per_buurt.reindex(idx).fillna(0).to_numpy() - summ["n_effective"].to_numpy(), 0)
    area = areas_m2.reindex(summ["buurt_code"]).fillna(total_area / max(len(areas_m2), 1)).to_numpy()
    area = np.maximum(area, 1e4)
    disc = np.pi * summ["radius_m"].to_numpy() ** 2
    dens = np.maximum(in_buurt / area, per_cat.reindex(summ["category"]).fillna(0).to_numpy() / total_area)
    expected = dens * disc
    return _poisson_p(summ["n_effective"].to_numpy(), expected), expected


def _buurt_significance(summ: pd.DataFrame, sig: pd.DataFrame, before: pd.DataFrame, points: pd.DataFrame,
                        start: pd.Timestamp, end: pd.Timestamp, cfg: HotspotConfig, frames: Frames
                        ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Gi* per category over all buurten (k nearest label points) and the buurt's own baseline; the p-value is
    the smaller of the two, Bonferroni-corrected for two tests."""
    codes = pd.Index(sorted(set(points["buurt_code"]) | set(sig["buurt_code"].dropna())))
    pts = points.set_index("buurt_code").reindex(codes)
    # buurten without a label point: the mean of their signals' coordinates
    fill = sig.groupby("buurt_code")[["lat", "lon"]].mean().reindex(codes)
    lat = pts["lat"].fillna(fill["lat"]).to_numpy(dtype=float)
    lon = pts["lon"].fillna(fill["lon"]).to_numpy(dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    codes, lat, lon = codes[ok], lat[ok], lon[ok]
    cats = pd.Index(sorted(summ["category"].unique()))
    counts = (sig[sig["buurt_code"].isin(codes)].groupby(["buurt_code", "category"]).size()
              .unstack(fill_value=0).reindex(index=codes, columns=cats, fill_value=0))
    values = counts.to_numpy(dtype=float)
    if cfg.gi_rate:
        adr = frames.addresses if not frames.addresses.empty else sig
        n_adr = adr.groupby("buurt_code")["address_id"].nunique().reindex(codes).fillna(0).to_numpy()
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
    hist = pd.concat([before[["buurt_code", "category", "reported_at"]], sig[["buurt_code", "category",
                                                                                "reported_at"]]])
    first = hist["reported_at"].min() if not hist.empty else start
    hist_days = max(1.0, (recent_from - first.normalize()).days)
    recent = sig[sig["reported_at"] >= recent_from].groupby(["buurt_code", "category"]).size()
    older = hist[hist["reported_at"] < recent_from].groupby(["buurt_code", "category"]).size()
    idx = pd.MultiIndex.from_arrays([summ["key"], summ["category"]])
    n_recent = recent.reindex(idx).fillna(0).to_numpy()
    base = older.reindex(idx).fillna(0).to_numpy() / hist_days * cfg.window_days
    p_base = _poisson_p(n_recent, np.maximum(base, 0.5))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(base > 0, n_recent / base, np.inf)
    p = np.minimum(1.0, 2 * np.minimum(p_gi, p_base))
    # the expected count over the period: the category's signals shared over the buurten by their addresses
    adr = frames.addresses if not frames.addresses.empty else sig
    n_adr = adr.groupby("buurt_code")["address_id"].nunique()
    share = n_adr.reindex(summ["key"]).fillna(0).to_numpy() / max(1, int(n_adr.sum()))
    share = np.where(share > 0, share, 1 / max(len(codes), 1))
    per_cat = sig.groupby("category").size().reindex(summ["category"]).fillna(0).to_numpy()
    expected_period = per_cat * share
    extra = {"weights": np.full(len(summ), weights, dtype=object),
             "gi_z": z, "gi_p": p_gi, "baseline_recent": n_recent, "baseline_expected": base,
             "baseline_ratio": ratio, "baseline_p": p_base, "expected_period": expected_period}
    return p, base, extra


# ----------------------------------------------------------------------------------------- levels
def _cluster_groups(sig: pd.DataFrame, cfg: HotspotConfig) -> tuple[_Groups, pd.DataFrame] | None:
    """DBSCAN per main category on unique locations; returns the clustered rows and per-cluster geometry."""
    pts = sig.dropna(subset=["lat", "lon"])
    if cfg.cluster_unaddressed_only:
        pts = pts[pts["address_id"].isna()]
    if pts.empty:
        return None
    lat0 = float(pts["lat"].mean())
    xy_all = to_local_xy(pts["lat"].to_numpy(), pts["lon"].to_numpy(), lat0)
    pts = pts.assign(x=np.round(xy_all[:, 0], 1), y=np.round(xy_all[:, 1], 1))
    labelled = []
    for cat, sub in pts.groupby("category", sort=True):  # a loop over categories, vectorised inside
        loc, inv, cnt = np.unique(sub[["x", "y"]].to_numpy(), axis=0, return_inverse=True, return_counts=True)
        lab = dbscan(loc, cfg.cluster_radius_m, cfg.cluster_min_signals, weights=cnt)[np.ravel(inv)]
        keep = lab >= 0
        if keep.any():
            labelled.append(sub[keep].assign(cluster=[f"{cat}\x1e{v}" for v in lab[keep]]))
    if not labelled:
        return None
    rows = pd.concat(labelled)
    geo = rows.groupby("cluster").agg(lat=("lat", "mean"), lon=("lon", "mean"), x=("x", "mean"), y=("y", "mean"))
    rows = rows.join(geo[["x", "y"]].rename(columns={"x": "cx", "y": "cy"}), on="cluster")
    rows["dist"] = np.hypot(rows["x"] - rows["cx"], rows["y"] - rows["cy"])
    geo["radius_m"] = np.maximum(rows.groupby("cluster")["dist"].max(), cfg.cluster_radius_m)
    geo["key"] = [f"cluster:{_slug(c.split(chr(0x1e))[0])}:{la:.5f},{lo:.5f}" for c, la, lo in
                  zip(geo.index, geo["lat"], geo["lon"], strict=True)]
    g = _group("cluster", rows, rows["cluster"].map(geo["key"]))
    return g, geo.set_index("key")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def _evidence(rows: pd.DataFrame, gids: np.ndarray, cap: int | None) -> dict[int, list[str]]:
    sub = rows[rows["gid"].isin(gids)].sort_values(["gid", "reported_at", "signal_id"])
    ev = sub.groupby("gid")["signal_id"].agg(list)
    return {int(k): (v if cap is None else v[:cap]) for k, v in ev.items()}


def _reason(level: str, r: Mapping[str, Any], cfg: HotspotConfig, rule: tuple[int, int]) -> str:
    where = {"address": f"adres {r['key']}", "cluster": "locatiecluster", "buurt": f"buurt {r['key']}"}[level]
    return (f"{where}: {int(r['n_signals'])} meldingen '{r['category']}' ({r['subcategory']}) op {int(r['n_days'])} "
            f"dagen van {int(r['n_sources'])} melder(s)/partner(s), {r['first_at']:%d-%m-%Y} t/m "
            f"{r['last_at']:%d-%m-%Y}; max. {int(r['best_window_signals'])} meldingen binnen {cfg.window_days} "
            f"dagen (drempel {rule[0]} op {rule[1]} dagen); trend {TREND_LABELS[str(r['trend'])]}.")


def _build(level: str, g: _Groups, frames: Frames, sig: pd.DataFrame, before: pd.DataFrame, start: pd.Timestamp,
           end: pd.Timestamp, cfg: HotspotConfig, geo: pd.DataFrame | None, points: pd.DataFrame,
           areas_m2: pd.Series, lap: Callable[[str], None], multi_source: bool = True) -> list[Hotspot]:
    rule = (cfg.buurt_min_signals, cfg.buurt_min_days) if level == "buurt" else (cfg.min_signals, cfg.min_days)
    summ = _summaries(g, start, end, cfg, rule)
    lap("recurrence")
    summ = summ[summ["qualifies"]].reset_index(drop=True)
    if summ.empty:
        return []
    extra: dict[str, np.ndarray] = {}
    if level == "address":
        summ["buurt_code"] = summ["buurt_code"].replace("", None)
        summ = summ.join(g.rows.groupby("gid")[["lat", "lon"]].mean(), on="gid")
        p, expected = _address_significance(summ, sig, frames)
        method = "poisson: adres tegen gemiddelde per adres in de buurt/gemeente"
    elif level == "cluster":
        assert geo is not None
        summ = summ.join(geo[["lat", "lon", "radius_m"]], on="key")
        p, expected = _cluster_significance(summ, sig, areas_m2)
        method = "poisson: cluster tegen dichtheid van de categorie in de buurt/gemeente"
    else:
        p, expected, extra = _buurt_significance(summ, sig, before, points, start, end, cfg, frames)
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
        sub = g.rows[g.rows["gid"].isin(gids) & g.rows["address_id"].notna()]
        members = {int(k): sorted(v) for k, v in sub.groupby("gid")["address_id"].unique().items()}
    nearby: dict[str, list[str]] = {}
    if level == "cluster" and not frames.addresses.empty:
        adr = frames.addresses.dropna(subset=["lat", "lon"])
        if not adr.empty:
            tree = cKDTree(to_local_xy(adr["lat"].to_numpy(), adr["lon"].to_numpy(), float(sig["lat"].mean())))
            cxy = to_local_xy(summ["lat"].to_numpy(), summ["lon"].to_numpy(), float(sig["lat"].mean()))
            hits = tree.query_ball_point(cxy, summ["radius_m"].to_numpy())
            ids = adr["address_id"].to_numpy()
            nearby = {k: sorted(ids[h].tolist())[:25] for k, h in zip(summ["key"], hits, strict=True)}
    out = []
    recs = summ.to_dict("records")
    for i, r in enumerate(recs):  # one Python step per hotspot (not per signal)
        gid = int(r["gid"])
        adv = fenomeen_advice(level, active_windows=int(r["active_windows"]), n_windows=int(r["n_windows"]),
                              n_addresses=int(r["n_addresses"]), n_sources=int(r["n_sources"]),
                              trend=str(r["trend"]), p_value=float(p[i]), config=cfg,
                              above_baseline=(bool(extra["baseline_p"][i] <= cfg.alpha) if level == "buurt"
                                              else None),
                              multi_source=multi_source, recent=int(r["trend_recent"]))
        more: dict[str, Any] = {k: _jsonable(v[i]) for k, v in extra.items()}
        more["ratio_expected"] = _jsonable(float(ratio[i]))
        more["multi_source"] = multi_source
        more["period_start"], more["period_end"] = f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"
        lat = lon = None
        addrs: list[str] = []
        if level == "cluster":
            lat, lon = round(float(r["lat"]), 6), round(float(r["lon"]), 6)
            addrs = members.get(gid, [])
            more["radius_m"] = round(float(r["radius_m"]), 1)
            more["nearby_addresses"] = nearby.get(r["key"], [])
        elif level == "buurt":
            addrs = members.get(gid, [])
            pt = points.set_index("buurt_code")
            if r["key"] in pt.index:
                lat, lon = float(pt.at[r["key"], "lat"]), float(pt.at[r["key"], "lon"])
                more["name"] = str(pt.at[r["key"], "name"])
        else:
            addrs = [str(r["key"])]
            if np.isfinite(r["lat"]) and np.isfinite(r["lon"]):
                lat, lon = round(float(r["lat"]), 6), round(float(r["lon"]), 6)
        my_parts = {k: float(v[i]) for k, v in parts.items()}
        explained = explain_score(my_parts, n_effective=int(r["n_effective"]), active_windows=int(r["active_windows"]),
                                  n_sources=int(r["n_sources"]), trend=str(r["trend"]), p_value=float(p[i]),
                                  ratio=float(ratio[i]), multi_source=multi_source)
        reason = _reason(level, r, cfg, rule) + " " + explained + " " + adv.reason
        out.append(Hotspot(
            level=level, key=str(r["key"]), domain=str(r["domain"]), category=str(r["category"]),
            subcategory=str(r["subcategory"]), n_signals=int(r["n_signals"]), n_effective=int(r["n_effective"]),
            n_sources=int(r["n_sources"]), n_days=int(r["n_days"]), n_addresses=int(r["n_addresses"]),
            first_at=pd.Timestamp(r["first_at"]), last_at=pd.Timestamp(r["last_at"]), trend=str(r["trend"]),
            trend_recent=int(r["trend_recent"]), trend_earlier_rate=float(r["trend_earlier_rate"]),
            score=float(total[i]), score_parts=my_parts,
            significance=float(p[i]), significance_method=method, expected=float(expected[i]),
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
    if isinstance(v, float) and not np.isfinite(v):
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

    sig, before, start, end = select_signals(frames, domain=domain, category=category, since=since, until=until,
                                             config=cfg)
    points, _ = buurt_geometry(frames.areas, sig["buurt_code"].dropna().unique())
    areas_m2 = points.set_index("buurt_code")["area_m2"]
    lap("select")
    out: list[Hotspot] = []
    if sig.empty:
        return out
    multi = int(sig["source"].nunique()) > 1

    def by_place(level: str, column: str) -> list[Hotspot]:
        rows = sig[sig[column].notna()]
        if rows.empty:
            return []
        g = _group(level, rows, rows[column])
        lap("recurrence")
        return _build(level, g, frames, sig, before, start, end, cfg, None, points, areas_m2, lap, multi)

    if "address" in levels:
        out += by_place("address", "address_id")
    if "cluster" in levels:
        made = _cluster_groups(sig, cfg)
        lap("clusters")
        if made is not None:
            out += _build("cluster", made[0], frames, sig, before, start, end, cfg, made[1], points, areas_m2, lap,
                          multi)
    if "buurt" in levels:
        out += by_place("buurt", "buurt_code")
    out = with_labels(out, frames)
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
    sig, _, _, _ = select_signals(frames, domain=domain, category=category, since=since, until=until, config=cfg)
    sig = sig.dropna(subset=["lat", "lon"])
    out: dict[str, Knox] = {}
    if sig.empty:
        return out
    lat0 = float(sig["lat"].mean())
    for dom, sub in sig.groupby("domain", sort=True):
        if len(sub) < 10:
            continue
        xy = to_local_xy(sub["lat"].to_numpy(), sub["lon"].to_numpy(), lat0)
        t = (sub["reported_at"] - sub["reported_at"].min()).dt.total_seconds().to_numpy() / 86400
        out[str(dom)] = knox_test(xy, t, cfg.knox_distance_m, cfg.knox_time_days, cfg.knox_permutations,
                                  cfg.seed, cfg.knox_max_events)
    return out
