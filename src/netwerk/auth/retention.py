"""Retention (bewaartermijnen): list, then remove what is past its term; audited; nothing else touched.

Terms per kind come from the settings (``NETWERK_RETENTION_SIGNAL_DAYS``, ``…_CASE_DAYS``,
``…_PERSON_DAYS``), counted back from today (or ``peildatum``):

- a **signal** reported before the signal cutoff is removed (with its relationships);
- a **case** closed before the case cutoff is removed with its agreements and phase changes;
- a **person** is removed (with the identity in the vault, when given) when nothing keeps them: no
  signal after the person cutoff, no case that stays, no youth-group membership or business role that
  started after the cutoff.

Addresses, areas, businesses, partners and every other node are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from netwerk import audit
from netwerk.access import Actor
from netwerk.frames import Frames
from netwerk.store.base import GraphStore

__all__ = ["RetentionPlan", "apply_retention", "plan_retention"]


@dataclass(frozen=True)
class RetentionPlan:
    """What is past its term: keys per kind, with the cutoffs used."""

    cutoffs: dict[str, str]
    signals: list[str]
    cases: list[str]
    persons: list[str]
    case_parts: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        return {"cutoffs": self.cutoffs, "signals": len(self.signals), "cases": len(self.cases),
                "persons": len(self.persons), "signal_ids": self.signals, "case_ids": self.cases,
                "person_ids": self.persons}


def plan_retention(store: GraphStore, *, signal_days: int, case_days: int, person_days: int,
                   today: date | None = None) -> RetentionPlan:
    """The plan for ``store``: which signals, cases and persons are past their term (nothing is changed)."""
    today = today or date.today()
    cut = {k: pd.Timestamp(today - timedelta(days=d)) for k, d in
           (("signal", signal_days), ("case", case_days), ("person", person_days))}
    fr = Frames.from_store(store)
    sig = fr.signals
    old_signals = sorted(sig.loc[sig["reported_at"] < cut["signal"], "signal_id"].astype(str))
    cases = fr.cases
    closed = cases["closed_at"].notna() & (cases["closed_at"] < cut["case"])
    old_cases = sorted(cases.loc[closed, "case_id"].astype(str))
    keep: set[str] = set()
    sp = fr.signal_persons.merge(sig[["signal_id", "reported_at"]], on="signal_id")
    keep |= set(sp.loc[sp["reported_at"] >= cut["person"], "person_id"])
    links = fr.case_links[(fr.case_links["kind"] == "person") & ~fr.case_links["case_id"].isin(old_cases)]
    keep |= set(links["ref_id"])
    for df, col in ((fr.group_members, "since"), (fr.business_persons, "start_date")):
        keep |= set(df.loc[df[col].isna() | (df[col] >= cut["person"]), "person_id"])
    reg = fr.registrations
    keep |= set(reg.loc[reg["start_date"] >= cut["person"], "person_id"])
    persons = sorted(set(fr.persons["person_id"].astype(str)) - {str(p) for p in keep})
    parts: dict[str, list[str]] = {"Agreement": [], "PhaseChange": []}
    for rel, label in (("HAS_AGREEMENT", "Agreement"), ("HAS_PHASE_CHANGE", "PhaseChange")):
        df = store.relationships_df(rel)
        parts[label] = sorted(df.loc[df["start"].isin(old_cases), "end"].astype(str))
    return RetentionPlan({k: v.date().isoformat() for k, v in cut.items()}, old_signals, old_cases, persons, parts)


def apply_retention(store: GraphStore, plan: RetentionPlan, actor: Actor | None, vault: Any = None) -> dict[str, int]:
    """Remove what the plan lists; one audit entry per kind. Returns the counts removed."""
    done: dict[str, int] = {}
    for label, keys in (("Signal", plan.signals), ("Case", plan.cases), ("Agreement", plan.case_parts["Agreement"]),
                        ("PhaseChange", plan.case_parts["PhaseChange"]), ("Person", plan.persons)):
        n = sum(store.delete_node(label, k) for k in keys)
        done[label] = n
        audit.record(actor, "bewaartermijn", label, "bewaartermijn --uitvoeren", n=n,
                     keys=keys if label == "Person" else None,
                     detail=f"grens {plan.cutoffs.get(label.lower(), plan.cutoffs['case'])}")
    if vault is not None and plan.persons:
        done["kluis"] = vault.remove(plan.persons)
    return done
