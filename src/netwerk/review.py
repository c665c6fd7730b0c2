"""Review workflow for indicator flags (like alerts/cases in Linkurious): each flagged subject becomes a
``ReviewItem`` (ABOUT its Person/Address/Business) with a status, notes and who changed it.

Statuses: ``nieuw``, ``in onderzoek``, ``bevestigd``, ``afgewezen``. A dismissed item (afgewezen) stays
dismissed — its subject is left out of the ranking — until the evidence changes: the item keeps the
``evidence_hash`` (over the sorted evidence ids) it was dismissed with, and a sync with different
evidence reopens it as ``nieuw`` with a note. This is the one module besides ``Frames.from_store`` that
uses the store (writes).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from netwerk.audit import current_context
from netwerk.indicators.ranking import STATUSES
from netwerk.store.base import GraphStore, StoreError

__all__ = ["STATUSES", "get_review", "list_reviews", "review_id", "set_review", "sync_reviews"]

_LABEL = {"address": "Address", "person": "Person", "business": "Business", "alert": "Alert"}


def _now() -> str:
    return datetime.now().strftime("%Y-%m-%dT%H:%M:%S")


def review_id(subject_type: str, subject_id: str) -> str:
    """The stable id of the review item of a subject: one item per subject."""
    if subject_type not in _LABEL:
        raise ValueError(f"onbekend onderwerp {subject_type!r}; kies uit {', '.join(_LABEL)}")
    return f"{subject_type}:{subject_id}"


def _note(existing: Any, text: str, user: str, at: str) -> str:
    line = f"[{at} {user}] {text}"
    return f"{existing}\n{line}" if isinstance(existing, str) and existing else line


def list_reviews(
    store: GraphStore, status: str | None = None, subject_type: str | None = None
) -> pd.DataFrame:
    """Review items (optionally of one status/subject type), highest score first."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"onbekende status {status!r}; kies uit {', '.join(STATUSES)}")
    df = store.nodes_df("ReviewItem")
    if status is not None:
        df = df[df["status"] == status]
    if subject_type is not None:
        df = df[df["subject_type"] == subject_type]
    return df.sort_values(["score", "review_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def get_review(store: GraphStore, rid: str) -> dict[str, Any]:
    """One review item, or a StoreError naming the id."""
    item = store.get_node("ReviewItem", rid)
    if item is None:
        raise StoreError(f"beoordeling {rid!r} bestaat niet (zie `netwerk review list`)")
    return item


def sync_reviews(store: GraphStore, ranked: Sequence[dict[str, Any]], *, at: str | None = None) -> dict[str, int]:
    """Create or update the review items of ranked subjects (``rank_subjects(..., include_dismissed=True)``).

    New subjects get an item ``nieuw``; existing items get the new score and evidence hash; a
    dismissed item keeps its status while its evidence hash is unchanged and is reopened as
    ``nieuw`` (with a note) when it changed. Returns counts ``{"nieuw", "bijgewerkt",
    "heropend", "afgewezen_ongewijzigd"}``. ``at`` dates the changes (ISO timestamp); pass
    :func:`netwerk.dating.record_timestamp` of the data's end so items on a historical export are dated in
    its time; default now.
    """
    user, at = current_context()["user"], at or _now()
    existing = {r["review_id"]: r for r in store.nodes_df("ReviewItem").to_dict("records")}
    rows: list[dict[str, Any]] = []
    about: dict[str, list[dict[str, str]]] = {}
    counts = {"nieuw": 0, "bijgewerkt": 0, "heropend": 0, "afgewezen_ongewijzigd": 0}
    for d in ranked:
        rid = review_id(d["subject_type"], d["subject_id"])
        old = existing.get(rid)
        row: dict[str, Any] = {"review_id": rid, "score": float(d["score"]), "evidence_hash": d["evidence_hash"]}
        if old is None:
            row.update(subject_type=d["subject_type"], subject_id=d["subject_id"], status="nieuw",
                       created_at=at, updated_at=at, updated_by=user)
            counts["nieuw"] += 1
            about.setdefault(_LABEL[d["subject_type"]], []).append({"start": rid, "end": d["subject_id"]})
        elif old.get("status") == "afgewezen":
            if old.get("evidence_hash") == d["evidence_hash"]:
                counts["afgewezen_ongewijzigd"] += 1
                continue
            row.update(status="nieuw", updated_at=at, updated_by=user,
                       notes=_note(old.get("notes"), "heropend: het bewijs is gewijzigd sinds de afwijzing", user, at))
            counts["heropend"] += 1
        elif old.get("evidence_hash") == d["evidence_hash"] and old.get("score") == row["score"]:
            continue
        else:
            counts["bijgewerkt"] += 1
        rows.append(row)
    if rows:
        store.upsert_nodes("ReviewItem", rows)
    for label, rels in about.items():
        store.upsert_relationships("ABOUT", rels, "ReviewItem", label)
    return counts


def set_review(store: GraphStore, rid: str, status: str | None = None, note: str | None = None) -> dict[str, Any]:
    """Change an item's status and/or add a note; records who (``NETWERK_USER``) and when."""
    if status is None and not note:
        raise ValueError("geef --status en/of --note op")
    if status is not None and status not in STATUSES:
        raise ValueError(f"onbekende status {status!r}; kies uit {', '.join(STATUSES)}")
    item = get_review(store, rid)
    user, at = current_context()["user"], _now()
    row: dict[str, Any] = {"review_id": rid, "updated_at": at, "updated_by": user}
    text = []
    if status is not None and status != item.get("status"):
        row["status"] = status
        text.append(f"status {item.get('status')} → {status}")
    if note:
        text.append(note)
    if text:
        row["notes"] = _note(item.get("notes"), "; ".join(text), user, at)
    store.upsert_nodes("ReviewItem", [row])
    return get_review(store, rid)
