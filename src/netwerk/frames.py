"""Analysis input: the graph as pandas DataFrames with the column names of import format v1.

Analyses are plain functions over a :class:`Frames` (and networkx graphs built from it); they never
see a store. :meth:`Frames.from_store` projects either backend into the same frames, so every
analysis is written once.

Time windows are relative to :attr:`Frames.reference_date`, the latest date in the data, unless the
user gives ``since``/``until`` (see :func:`period`).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from netwerk.ingest.schema import FILES

if TYPE_CHECKING:
    from netwerk.ingest.schema import EdgeSpec
    from netwerk.store.base import GraphStore

__all__ = ["COLUMNS", "Frames", "period"]

#: The columns of each frame: format-v1 names, from the one file declaration (``netwerk.ingest.schema``);
#: ``domain``, ``buurt_bron`` and an address's ``wijk_code`` are derived at ingest, a signal's ``wijk_code`` here.
COLUMNS: dict[str, list[str]] = {
    **{name: spec.frame_columns for name, spec in FILES.items()},
    "areas": ["area_code", "name", "kind", "wijk_code", "lat", "lon"],
}
_DATETIME_COLUMNS = {name: spec.date_columns for name, spec in FILES.items() if spec.date_columns}
#: One store read of a projection: (frame, index of the edge in its file declaration; -1 for its nodes)
_Read = tuple[str, int]
#: Dates after this many days past "now" are implausible (data errors) and never the end of the data.
FUTURE_SLACK_DAYS = 1
#: Dates before this are implausible (placeholders such as 1900-01-01 or 0001-01-01).
EARLIEST = pd.Timestamp("1900-01-01")


@dataclass(frozen=True)
class Frames:
    """The whole graph as DataFrames (dates as ``datetime64``; missing values as NaN/NaT/None)."""

    signals: pd.DataFrame
    addresses: pd.DataFrame
    persons: pd.DataFrame
    registrations: pd.DataFrame
    signal_persons: pd.DataFrame
    youth_groups: pd.DataFrame
    group_members: pd.DataFrame
    partners: pd.DataFrame
    businesses: pd.DataFrame
    business_persons: pd.DataFrame
    cases: pd.DataFrame
    case_links: pd.DataFrame
    areas: pd.DataFrame

    @property
    def reference_date(self) -> pd.Timestamp:
        """The latest plausible signal date in the data (the 'today' of relative time windows).

        Implausible dates (after tomorrow, before 1900: data errors that ingest now rejects but an older
        store may hold) are ignored, so one signal dated 2099 cannot empty every analysis."""
        if self.signals.empty:
            return pd.Timestamp.now().normalize()
        t = self.signals["reported_at"]
        limit = pd.Timestamp.now().normalize() + pd.Timedelta(days=FUTURE_SLACK_DAYS + 1)
        t = t[(t >= EARLIEST) & (t < limit)]
        if t.empty:
            return pd.Timestamp.now().normalize()
        return pd.Timestamp(t.max()).normalize()

    @classmethod
    def from_tables(cls, tables: Mapping[str, pd.DataFrame]) -> Frames:
        """Frames from format-v1 tables (missing tables and columns become empty/None; text columns object)."""
        out: dict[str, pd.DataFrame] = {}
        for f in fields(cls):
            cols = COLUMNS[f.name]
            df = tables.get(f.name)
            # a shallow copy: with copy-on-write (pandas 3) the changes below never reach the caller's frame
            df = pd.DataFrame(columns=cols) if df is None else df.copy(deep=False)
            for c in cols:
                if c not in df.columns:
                    df[c] = None
            for c in df.columns:  # text as the stores give it (Python str objects), whatever pandas' string
                if isinstance(df[c].dtype, pd.StringDtype):  # storage: the analyses see one representation
                    df[c] = df[c].astype(object)
            for c in _DATETIME_COLUMNS.get(f.name, []):
                df[c] = _to_datetime(df[c])
            out[f.name] = df[cols + [c for c in df.columns if c not in cols]].reset_index(drop=True)
        sig, adr = out["signals"], out["addresses"]
        if not sig.empty and not adr.empty:
            lookup = adr.set_index("address_id")
            fills = _address_fills(sig["address_id"], lookup, ["buurt_code", "wijk_code", "lat", "lon"])
            for col, fill in fills.items():
                sig[col] = sig[col].where(sig[col].notna(), fill)
        areas = out["areas"]
        if not sig.empty and not areas.empty:
            wijk = _address_fills(sig["buurt_code"], areas.set_index("area_code"), ["wijk_code"])["wijk_code"]
            sig["wijk_code"] = sig["wijk_code"].where(sig["wijk_code"].notna(), wijk)
        return cls(**out)

    @classmethod
    def from_store(
        cls, store: GraphStore, since: str | None = None, until: str | None = None,
        tables: Collection[str] | None = None, columns: Mapping[str, Collection[str]] | None = None,
    ) -> Frames:
        """Project a store (either backend) into frames, as the file declarations say
        (:data:`netwerk.ingest.schema.FILES`): a node file is its nodes plus the key columns its edges
        carry (a signal's ``address_id`` from AT); a link file is its edges.

        Reads only what an analysis needs: ``tables`` names the frames to read (the others stay empty,
        with their columns); ``since``/``until`` (ISO dates, inclusive) read only the signals reported in
        that period, filtered in the store, and the signal-person links of those signals; ``columns``
        names, per frame, the columns to read (the others are None; keys and links always come along).
        Each column is read only when the frame has it."""
        wanted = set(COLUMNS) if tables is None else set(tables)
        if wanted - set(COLUMNS):
            raise ValueError(f"onbekende tabel(len): {', '.join(sorted(wanted - set(COLUMNS)))}")
        unknown = sorted(f"{t}.{c}" for t, cs in (columns or {}).items() for c in cs if c not in COLUMNS.get(t, ()))
        if unknown:
            raise ValueError(f"onbekende kolom(men): {', '.join(unknown)}")
        needed = {t: set(COLUMNS[t]) & set((columns or {}).get(t, COLUMNS[t])) for t in COLUMNS}
        dated = since is not None or until is not None

        def rel(e: EdgeSpec, columns: list[str]) -> pd.DataFrame:
            props = [c for c in store.model.rel(e.rel).properties if c in columns]
            df = store.relationships_df(e.rel, start_label=e.start_label, end_label=e.end_label, columns=props)
            df = df.drop(columns=["start_label", "end_label"]).rename(columns={"start": e.start, "end": e.end})
            if e.kind is not None:
                df["kind"] = e.kind
            return df

        # every store read first (at once where the store allows it), then the frames from them
        reads: dict[_Read, Callable[[], pd.DataFrame]] = {}
        for name, spec in FILES.items():
            if name not in wanted:
                continue
            if spec.label is not None:
                props = store.model.node(spec.label).properties
                period = (since, until) if spec.label == "Signal" else (None, None)
                reads[name, -1] = partial(store.nodes_df, spec.label, [c for c in props if c in needed[name]], *period)
            elif dated and name == "signal_persons":  # the links of the signals in the period
                reads[name, -1] = partial(store.nodes_df, "Signal", [], since, until)
            for i, e in enumerate(spec.edges):
                if spec.label is None:
                    reads[name, i] = partial(rel, e, list(needed[name]))
                elif e.end not in props and e.start == store.model.node(spec.label).key:
                    reads[name, i] = partial(rel, e, [])
        if "areas" in wanted:
            reads["areas", -1] = partial(store.nodes_df, "Area")
        got = _run(reads, store.parallel_reads)

        read: dict[str, pd.DataFrame] = {}
        for name, spec in FILES.items():
            if name not in wanted:
                continue
            if spec.label is None:
                df = pd.concat([got[name, i] for i in range(len(spec.edges))], ignore_index=True)
                if (name, -1) in got:
                    df = df[df["signal_id"].isin(got[name, -1]["signal_id"])]
                read[name] = df.reset_index(drop=True)
                continue
            df = got[name, -1]
            for i, e in enumerate(spec.edges):
                if (name, i) in got:
                    df = _merge_left(df, got[name, i][[e.start, e.end]], e.start, e.end)
            read[name] = df
        if "areas" in wanted:
            read["areas"] = got["areas", -1]
        return cls.from_tables(read)


def _run(reads: Mapping[_Read, Callable[[], pd.DataFrame]], workers: int) -> dict[_Read, pd.DataFrame]:
    """Every read's result: one after the other, or up to ``workers`` at once in threads (each in a copy of the
    caller's context, so the acting user and the pinned store version hold there as well)."""
    if workers <= 1 or len(reads) <= 1:
        return {k: fn() for k, fn in reads.items()}
    with ThreadPoolExecutor(min(workers, len(reads)), thread_name_prefix="netwerk-read") as pool:
        futures = {k: pool.submit(contextvars.copy_context().run, fn) for k, fn in reads.items()}
        return {k: f.result() for k, f in futures.items()}


def _to_datetime(col: pd.Series) -> pd.Series:
    """``pd.to_datetime(col, errors="coerce", format="mixed")``, several times faster for ISO text (what the
    stores hold): the ISO parse is taken when it reads every value; else the column is parsed as before.

    For text the ISO parser reads, ``mixed`` uses that same parser (same values, same resolution)."""
    try:
        iso = pd.to_datetime(col, errors="coerce", format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        iso = None
    if iso is not None and not (iso.isna() & col.notna()).any():
        return iso
    return pd.to_datetime(col, errors="coerce", format="mixed")


def _address_fills(keys: pd.Series, lookup: pd.DataFrame, cols: list[str]) -> dict[str, pd.Series]:
    """``{col: keys.map(lookup[col])}`` with one hash lookup of the keys instead of one per column (the
    address of a signal, the wijk of a buurt).

    Taken only where it is exactly what ``Series.map`` does (object keys, a unique index, numpy object or
    float columns: missing keys become NaN); otherwise ``map`` itself."""
    fast = keys.dtype == object and lookup.index.is_unique
    indexer = lookup.index.get_indexer(pd.Index(keys.to_numpy(), dtype=object, copy=False)) if fast else None
    out: dict[str, pd.Series] = {}
    for col in cols:
        values = lookup[col].to_numpy() if indexer is not None else None
        if values is None or values.dtype.kind not in "Of" or lookup[col].dtype != values.dtype:
            out[col] = keys.map(lookup[col])
            continue
        taken = pd.api.extensions.take(values, indexer, allow_fill=True, fill_value=np.nan)
        out[col] = pd.Series(taken, index=keys.index, dtype=taken.dtype, copy=False)
    return out


def _merge_left(df: pd.DataFrame, right: pd.DataFrame, on: str, col: str) -> pd.DataFrame:
    """``df.merge(right, on=on, how="left")`` for a node frame and one edge column, by a merge join without
    hashing when both sides are sorted by a unique key (as the stores return them): nodes without an edge
    get NaN, as with ``merge``. Otherwise ``merge`` itself."""
    if (
        len(df)
        and len(right)
        and col not in df.columns
        and isinstance(df.index, pd.RangeIndex)
        and df[on].dtype == object
        and right[on].dtype == object
        and right[col].dtype == object
    ):
        left_keys = pd.Index(df[on].to_numpy(), dtype=object)
        right_keys = pd.Index(right[on].to_numpy(), dtype=object)
        if (  # monotonic first: then uniqueness is known without a hash table
            left_keys.is_monotonic_increasing
            and right_keys.is_monotonic_increasing
            and left_keys.is_unique
            and right_keys.is_unique
        ):
            _, lidx, ridx = left_keys.join(right_keys, how="left", return_indexers=True)
            if lidx is None:
                values = right[col].to_numpy()
                if ridx is not None:
                    values = pd.api.extensions.take(values, ridx, allow_fill=True, fill_value=np.nan)
                elif len(right) != len(df):
                    values = None
                if values is not None:
                    out = df.copy(deep=False)
                    out[col] = pd.Series(values, index=df.index, dtype=object)
                    return out
    return df.merge(right, on=on, how="left")


def period(
    frames: Frames, since: str | None = None, until: str | None = None, default_days: int | None = 365
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The analysis period: ``since``/``until`` when given, else the ``default_days`` up to the
    latest date in the data (so a historical export analyses as well as today's).

    ``until`` is inclusive: the returned end is the last moment of that day.
    """
    end = (pd.Timestamp(until) if until else frames.reference_date).normalize() + pd.Timedelta(days=1, microseconds=-1)
    if since:
        start = pd.Timestamp(since).normalize()
    elif default_days is None:
        start = pd.Timestamp.min
    else:
        start = end.normalize() - pd.Timedelta(days=default_days - 1)
    if start > end:
        raise ValueError(f"periode ongeldig: --since {since} ligt na --until {until}")
    return start, end
