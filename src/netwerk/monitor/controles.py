"""Integrale controles (gemeente, politie, Belastingdienst, brandweer, …) recorded as events on a business or
an address: date, partners, findings and an outcome. They appear on the ondermijningstafel agenda, and
indicators can use them as evidence through :func:`controle_frame` (one row per controle, with the address of
a controlled business).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from netwerk.frames import Frames

if TYPE_CHECKING:
    from netwerk.store.base import GraphStore

__all__ = ["COLUMNS", "OUTCOMES", "controle_frame", "controle_record", "resolve_business", "save_controle"]

#: Outcomes; everything but the first is a finding an indicator may use as evidence.
OUTCOMES = ("geen bijzonderheden", "bevindingen", "overtreding", "bestuurlijke maatregel", "doorverwezen")
COLUMNS = ["controle_id", "date", "subject_type", "subject_id", "address_id", "partners", "findings", "outcome",
           "created_by"]


def resolve_business(frames: Frames, text: str) -> str:
    """The business id for a KvK/business id or an exact (case-insensitive) trade name."""
    b = frames.businesses
    wanted = text.strip()
    if wanted in set(b["business_id"]):
        return wanted
    hit = b[b["name"].fillna("").str.strip().str.lower() == wanted.lower()]
    if len(hit) == 1:
        return str(hit["business_id"].iloc[0])
    if len(hit) > 1:
        raise ValueError(f"{wanted!r} past bij {len(hit)} ondernemingen: "
                         f"{', '.join(hit['business_id'].head(5))}; geef het id op")
    raise ValueError(f"onderneming {wanted!r} niet gevonden (geef het id of de exacte handelsnaam)")


def controle_record(
    *,
    subject_type: str,
    subject_id: str,
    date: str,
    partners: Sequence[str],
    findings: str,
    outcome: str | None = None,
    created_by: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The ``Controle`` node (id ``CTRL-<date>-<subject>``: one controle per subject per day, re-recording
    updates it). ``outcome`` defaults to ``bevindingen`` when findings are given, else ``geen bijzonderheden``."""
    if subject_type not in ("business", "address"):
        raise ValueError("een controle betreft een onderneming (--bedrijf) of een adres (--adres)")
    day = pd.Timestamp(date).normalize()
    parts = sorted({p.strip() for p in partners if p.strip()})
    if not parts:
        raise ValueError("geef de partners op die controleerden (--partners 'gemeente,politie')")
    out = outcome or ("bevindingen" if findings.strip() else "geen bijzonderheden")
    if out not in OUTCOMES:
        raise ValueError(f"onbekende uitkomst {out!r}; kies uit {', '.join(OUTCOMES)}")
    slug = re.sub(r"[^a-z0-9]+", "-", subject_id.lower()).strip("-")
    return {
        "controle_id": f"CTRL-{day.date().isoformat()}-{slug}", "date": day.date().isoformat(),
        "subject_type": subject_type, "subject_id": subject_id, "partners": ", ".join(parts),
        "findings": findings.strip() or None, "outcome": out,
        "created_at": (now or datetime.now()).strftime("%Y-%m-%dT%H:%M:%S"), "created_by": created_by,
    }


def save_controle(store: GraphStore, node: Mapping[str, Any]) -> None:
    """Write the controle and its CHECKED relationship to the business or address (idempotent)."""
    label = "Business" if node["subject_type"] == "business" else "Address"
    store.upsert_nodes("Controle", [dict(node)])
    store.upsert_relationships("CHECKED", [{"start": node["controle_id"], "end": node["subject_id"]}],
                               "Controle", label)


def controle_frame(controles: pd.DataFrame, frames: Frames) -> pd.DataFrame:
    """Controles (``store.nodes_df("Controle")``) as analysis input: ``date`` as datetime and ``address_id`` (the
    address itself, or the address of the controlled business), sorted by date."""
    if controles.empty:
        return pd.DataFrame(columns=COLUMNS)
    df = controles.copy()
    df["date"] = pd.to_datetime(df["date"])
    biz = frames.businesses.set_index("business_id")["address_id"] if len(frames.businesses) else pd.Series(
        dtype=object)
    df["address_id"] = df["subject_id"].where(df["subject_type"] == "address", df["subject_id"].map(biz))
    return df[COLUMNS].sort_values(["date", "controle_id"]).reset_index(drop=True)
