"""Shared, vectorised preparation of the frames for the indicators (adults, periods, ISO dates)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from netwerk.dating import day_texts
from netwerk.frames import Frames
from netwerk.indicators.base import Context

__all__ = [
    "INDICATOR_COLUMNS",
    "INDICATOR_TABLES",
    "adult_ids",
    "adult_registrations",
    "iso",
    "max_concurrent",
    "overlapping",
    "records",
    "reg_records",
    "role_records",
    "runs",
]

#: The frames and columns the indicators (and the youth links they use) read
#: (``Frames.from_store(tables=..., columns=...)``); frames not named in the columns are read whole.
INDICATOR_TABLES = ("signals", "addresses", "persons", "registrations", "signal_persons", "businesses",
                    "business_persons")
INDICATOR_COLUMNS = {
    "signals": ["signal_id", "reported_at", "category", "subcategory", "domain", "address_id"],
    "addresses": ["address_id", "purpose", "floor_area_m2"],
    "persons": ["person_id", "birth_year"],
    "businesses": ["business_id", "sbi_code", "sector", "address_id", "registered_at"],
}


def iso(ts: Any) -> str | None:
    """A date as ``YYYY-MM-DD`` (None for NaT/None)."""
    if ts is None or pd.isna(ts):
        return None
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def adult_ids(frames: Frames, end: pd.Timestamp, adult_age: int) -> np.ndarray:
    """Ids of persons aged ``adult_age`` or more in the year of ``end`` (unknown birth year counts as adult:
    the conservative choice for a signal that is reviewed by a person), as text; for ``isin``."""
    p = frames.persons
    year = pd.to_numeric(p["birth_year"], errors="coerce")
    ok = (year.isna() | (end.year - year >= adult_age)).to_numpy()
    ids = p["person_id"]
    if ids.dtype == object and pd.api.types.infer_dtype(ids, skipna=False) == "string":  # text: no conversion
        return ids.to_numpy()[ok]
    return np.asarray(list(set(ids[ok].astype(str))), dtype=object)


def adult_registrations(frames: Frames, ctx: Context) -> pd.DataFrame:
    """Registrations overlapping the period of persons adult at its end (computed once per run)."""

    def compute() -> pd.DataFrame:
        regs = overlapping(frames.registrations, ctx.start, ctx.end)
        return regs[regs["person_id"].isin(adult_ids(frames, ctx.end, ctx.config.adult_age))]

    return ctx.shared("adult_registrations", frames, compute)


def overlapping(df: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                start_col: str = "start_date", end_col: str = "end_date") -> pd.DataFrame:
    """Rows whose half-open period [start_col, end_col) overlaps the days ``start``..``end``.

    A missing start counts as 'always', a missing end as 'still running'."""
    s, e = df[start_col], df[end_col]
    keep = (s.isna() | (s.dt.normalize() <= end.normalize())) & (e.isna() | (e > start))
    return df.loc[keep.to_numpy()]


def factorize_sorted(values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=True)`` (codes, uniques as an object array), faster for text: the uniques
    are sorted as fixed-width unicode (the same code-point order) instead of as Python objects."""
    codes, uniq = pd.factorize(values)
    uniq = np.asarray(uniq, dtype=object)
    order = np.argsort(uniq.astype(str), kind="stable") if pd.api.types.infer_dtype(uniq) == "string" else None
    if order is None or not pd.Index(uniq[order]).is_monotonic_increasing:  # not text, or not that order
        codes, uniq = pd.factorize(values, sort=True)
        return np.asarray(codes, dtype=np.int64), np.asarray(uniq, dtype=object)
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return np.where(codes >= 0, rank[codes], -1), uniq[order]


def max_concurrent(regs: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Maximum number of registrations active at the same moment per address (interval sweep).

    ``regs`` has address_id, start_date, end_date; each registration is active on [start, end)
    clipped to the period. Returns address_id, max_concurrent, peak_date (first moment of the
    maximum), sorted by address. Vectorised on integer address codes: one sort of 2n events and a
    cumulative sum restarted per address.
    """
    code, uniq = factorize_sorted(regs["address_id"])
    keep = code >= 0  # no address: no group
    if not keep.any():
        return pd.DataFrame({"address_id": pd.Series([], dtype=object), "max_concurrent": pd.Series([], dtype="int64"),
                             "peak_date": pd.Series([], dtype="datetime64[ns]")})
    s = regs["start_date"].fillna(start).clip(lower=start.normalize()).dt.normalize().to_numpy()[keep]
    e = regs["end_date"].to_numpy()[keep]
    code = code[keep]
    ends = ~pd.isna(e) & (e <= end.to_datetime64())
    a = np.concatenate([code, code[ends]])
    t = np.concatenate([s, e[ends]])
    d = np.concatenate([np.ones(len(s), np.int64), -np.ones(int(ends.sum()), np.int64)])
    # ends before starts at the same moment: [start, end) is half-open
    order = np.lexsort((d, t, a))
    a, t, d = a[order], t[order], d[order]
    first = np.flatnonzero(np.r_[True, a[1:] != a[:-1]])
    size = np.diff(np.r_[first, len(a)])
    n = np.cumsum(d)
    n -= np.repeat(n[first] - d[first], size)  # the count restarts at each address
    peak = np.maximum.reduceat(n, first)
    hit = np.flatnonzero(n == np.repeat(peak, size))
    group = np.repeat(np.arange(len(first)), size)[hit]
    at = hit[np.r_[True, group[1:] != group[:-1]]]  # the first moment of each maximum
    return pd.DataFrame({"address_id": uniq[a[first]], "max_concurrent": peak, "peak_date": t[at]})


def _iso_values(col: pd.Series) -> np.ndarray:
    """:func:`iso` of every value of a datetime column, as an object array (vectorised for the years 1000-9999)."""
    text = day_texts(col.to_numpy())
    return text if text is not None else np.array([iso(v) for v in col.to_numpy()], dtype=object)


def records(df: pd.DataFrame, cols: Iterable[str]) -> list[dict[str, Any]]:
    """Rows as dicts with dates as ISO strings (one conversion for the whole frame: slice it per group)."""
    cols = list(cols)
    sub = df[cols]
    dates = [c for c in cols if isinstance(sub[c].dtype, np.dtype) and sub[c].dtype.kind == "M"]
    if dates:
        sub = sub.assign(**{c: pd.Series(_iso_values(sub[c]), index=sub.index, dtype=object) for c in dates})
    out = sub.to_dict("records")
    other = [c for c in cols if c not in dates]
    for rec in out:
        for k in other:
            v = rec[k]
            if isinstance(v, pd.Timestamp) or v is pd.NaT:
                rec[k] = iso(v)
    return out


def runs(keys: np.ndarray | pd.Series) -> Iterator[tuple[Any, int, int]]:
    """``(key, start, stop)`` of each run of equal consecutive keys: the groups of a frame sorted by its key."""
    k = np.asarray(keys)
    if not len(k):
        return
    bounds = np.r_[0, np.flatnonzero(k[1:] != k[:-1]) + 1, len(k)]
    for i, j in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        yield k[i], i, j


def reg_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return records(df, ["person_id", "address_id", "start_date", "end_date"])


def role_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return records(df, ["person_id", "business_id", "role", "start_date", "end_date"])


def group_lists(df: pd.DataFrame, key: str, col: str) -> Mapping[str, list[Any]]:
    """``{key: sorted unique values of col}``."""
    if df.empty:
        return {}
    return {k: sorted(set(v)) for k, v in df.groupby(key)[col]}
