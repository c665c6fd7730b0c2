"""Shared, vectorised preparation of the frames for the indicators (adults, periods, ISO dates)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from netwerk.frames import Frames

__all__ = ["adult_ids", "iso", "max_concurrent", "overlapping", "records", "reg_records", "role_records"]


def iso(ts: Any) -> str | None:
    """A date as ``YYYY-MM-DD`` (None for NaT/None)."""
    if ts is None or pd.isna(ts):
        return None
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def adult_ids(frames: Frames, end: pd.Timestamp, adult_age: int) -> set[str]:
    """Persons aged ``adult_age`` or more in the year of ``end`` (unknown birth year counts as adult:
    the conservative choice for a signal that is reviewed by a person)."""
    p = frames.persons
    year = pd.to_numeric(p["birth_year"], errors="coerce")
    ok = year.isna() | (end.year - year >= adult_age)
    return set(p.loc[ok.to_numpy(), "person_id"].astype(str))


def overlapping(df: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                start_col: str = "start_date", end_col: str = "end_date") -> pd.DataFrame:
    """Rows whose half-open period [start_col, end_col) overlaps the days ``start``..``end``.

    A missing start counts as 'always', a missing end as 'still running'."""
    s, e = df[start_col], df[end_col]
    keep = (s.isna() | (s.dt.normalize() <= end.normalize())) & (e.isna() | (e > start))
    return df.loc[keep.to_numpy()]


def max_concurrent(regs: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Maximum number of registrations active at the same moment per address (interval sweep).

    ``regs`` has address_id, start_date, end_date; each registration is active on [start, end)
    clipped to the period. Returns address_id, max_concurrent, peak_date (first moment of the
    maximum). Vectorised: one sort of 2n events and a grouped cumulative sum.
    """
    if regs.empty:
        return pd.DataFrame({"address_id": pd.Series([], dtype=object), "max_concurrent": pd.Series([], dtype="int64"),
                             "peak_date": pd.Series([], dtype="datetime64[ns]")})
    s = regs["start_date"].fillna(start).clip(lower=start.normalize()).dt.normalize().to_numpy()
    e = regs["end_date"].to_numpy()
    ends = ~pd.isna(e) & (e <= end.to_datetime64())
    addr = regs["address_id"].to_numpy()
    ev = pd.DataFrame({
        "address_id": np.concatenate([addr, addr[ends]]),
        "t": np.concatenate([s, e[ends]]),
        "d": np.concatenate([np.ones(len(s), np.int64), -np.ones(int(ends.sum()), np.int64)]),
    })
    # ends before starts at the same moment: [start, end) is half-open
    ev = ev.sort_values(["address_id", "t", "d"], kind="stable")
    ev["n"] = ev.groupby("address_id", sort=False)["d"].cumsum()
    idx = ev.groupby("address_id", sort=False)["n"].idxmax()
    peak = ev.loc[idx.to_numpy(), ["address_id", "n", "t"]]
    return peak.rename(columns={"n": "max_concurrent", "t": "peak_date"}).reset_index(drop=True)


def records(df: pd.DataFrame, cols: Iterable[str]) -> list[dict[str, Any]]:
    """Rows as dicts with dates as ISO strings."""
    out = []
    for rec in df[list(cols)].to_dict("records"):
        out.append({k: (iso(v) if isinstance(v, pd.Timestamp) or v is pd.NaT else v) for k, v in rec.items()})
    return out


def reg_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return records(df, ["person_id", "address_id", "start_date", "end_date"])


def role_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return records(df, ["person_id", "business_id", "role", "start_date", "end_date"])


def group_lists(df: pd.DataFrame, key: str, col: str) -> Mapping[str, list[Any]]:
    """``{key: sorted unique values of col}``."""
    if df.empty:
        return {}
    return {k: sorted(set(v)) for k, v in df.groupby(key)[col]}
