"""Analysis input: the graph as pandas DataFrames with the column names of import format v1.

Analyses are plain functions over a :class:`Frames` (and networkx graphs built from it); they never
see a store. :meth:`Frames.from_store` projects either backend into the same frames, so every
analysis is written once.

Time windows are relative to :attr:`Frames.reference_date`, the latest date in the data, unless the
user gives ``since``/``until`` (see :func:`period`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from netwerk.store.base import GraphStore

__all__ = ["COLUMNS", "Frames", "period"]

#: The columns of each frame (format v1 names; ``domain`` and ``wijk_code`` are derived at ingest).
COLUMNS: dict[str, list[str]] = {
    "signals": [
        "signal_id", "reported_at", "category", "subcategory", "domain", "source", "address_id",
        "lat", "lon", "buurt_code", "wijk_code", "status", "description",
    ],
    "addresses": [
        "address_id", "street", "house_number", "house_letter", "house_number_addition", "postcode",
        "city", "buurt_code", "wijk_code", "lat", "lon", "purpose", "floor_area_m2",
    ],
    "persons": ["person_id", "birth_year", "gender"],
    "registrations": ["person_id", "address_id", "start_date", "end_date"],
    "signal_persons": ["signal_id", "person_id", "role"],
    "youth_groups": ["group_id", "name", "classification", "buurt_code"],
    "group_members": ["group_id", "person_id", "since"],
    "partners": ["partner_id", "name", "type"],
    "businesses": ["business_id", "name", "sbi_code", "sector", "address_id", "registered_at"],
    "business_persons": ["business_id", "person_id", "role", "start_date", "end_date"],
    "cases": [
        "case_id", "opened_at", "closed_at", "phase", "title", "domain", "casusregisseur", "procesregisseur",
    ],
    "case_links": ["case_id", "kind", "ref_id", "role"],
    "areas": ["area_code", "name", "kind", "wijk_code", "lat", "lon"],
}
_DATETIME_COLUMNS = {
    "signals": ["reported_at"],
    "registrations": ["start_date", "end_date"],
    "group_members": ["since"],
    "businesses": ["registered_at"],
    "business_persons": ["start_date", "end_date"],
    "cases": ["opened_at", "closed_at"],
}


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
        """The latest signal date in the data (the 'today' of relative time windows)."""
        if self.signals.empty or self.signals["reported_at"].isna().all():
            return pd.Timestamp.now().normalize()
        return pd.Timestamp(self.signals["reported_at"].max()).normalize()

    @classmethod
    def from_tables(cls, tables: Mapping[str, pd.DataFrame]) -> Frames:
        """Frames from format-v1 tables (missing tables and columns become empty/None)."""
        out: dict[str, pd.DataFrame] = {}
        for f in fields(cls):
            cols = COLUMNS[f.name]
            df = tables.get(f.name)
            df = pd.DataFrame(columns=cols) if df is None else df.copy()
            for c in cols:
                if c not in df.columns:
                    df[c] = None
            for c in _DATETIME_COLUMNS.get(f.name, []):
                df[c] = pd.to_datetime(df[c], errors="coerce", format="mixed")
            out[f.name] = df[cols + [c for c in df.columns if c not in cols]].reset_index(drop=True)
        sig, adr = out["signals"], out["addresses"]
        if not sig.empty and not adr.empty:
            lookup = adr.set_index("address_id")
            for col in ("buurt_code", "wijk_code", "lat", "lon"):
                fill = sig["address_id"].map(lookup[col])
                sig[col] = sig[col].where(sig[col].notna(), fill)
        areas = out["areas"]
        if not sig.empty and not areas.empty:
            wijk = areas.set_index("area_code")["wijk_code"]
            sig["wijk_code"] = sig["wijk_code"].where(sig["wijk_code"].notna(), sig["buurt_code"].map(wijk))
        return cls(**out)

    @classmethod
    def from_store(cls, store: GraphStore) -> Frames:
        """Project a store (either backend) into frames."""

        def rel(rel_type: str, start: str, end: str, start_col: str, end_col: str, **kw: str) -> pd.DataFrame:
            df = store.relationships_df(rel_type, **kw)
            return df.drop(columns=["start_label", "end_label"]).rename(columns={"start": start_col, "end": end_col})

        signals = store.nodes_df("Signal").merge(
            rel("AT", "Signal", "Address", "signal_id", "address_id"), on="signal_id", how="left"
        )
        businesses = store.nodes_df("Business").merge(
            rel("LOCATED_AT", "Business", "Address", "business_id", "address_id"), on="business_id", how="left"
        )
        cases = store.nodes_df("Case")
        links = []
        for rel_type, kind, end in (
            ("CONCERNS", "person", "Person"),
            ("CONCERNS", "address", "Address"),
            ("BASED_ON", "signal", "Signal"),
            ("HANDLED_BY", "partner", "Partner"),
        ):
            df = rel(rel_type, "Case", end, "case_id", "ref_id", end_label=end)
            df["kind"] = kind
            links.append(df)
        persons = store.nodes_df("Person")[COLUMNS["persons"]]
        tables = {
            "signals": signals,
            "addresses": store.nodes_df("Address"),
            "persons": persons,
            "registrations": rel("REGISTERED_AT", "Person", "Address", "person_id", "address_id"),
            "signal_persons": rel("INVOLVES", "Signal", "Person", "signal_id", "person_id"),
            "youth_groups": store.nodes_df("YouthGroup"),
            "group_members": rel("MEMBER_OF", "Person", "YouthGroup", "person_id", "group_id"),
            "partners": store.nodes_df("Partner"),
            "businesses": businesses,
            "business_persons": rel("ROLE_IN", "Person", "Business", "person_id", "business_id"),
            "cases": cases,
            "case_links": pd.concat(links, ignore_index=True),
            "areas": store.nodes_df("Area"),
        }
        return cls.from_tables(tables)


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
