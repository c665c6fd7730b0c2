"""Fenomeenaanpak: record an accepted hotspot advice as a Fenomeen and follow its signal counts.

Pure functions: :func:`fenomeen_record` turns a hotspot into the node and relationship rows the CLI
writes (``Fenomeen`` -COVERS-> ``Area`` and -COVERS-> ``Signal``); :func:`follow_fenomeen` counts the
signals of the fenomeen's category in its area(s) per month before and after its creation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from netwerk.dating import record_date
from netwerk.frames import Frames
from netwerk.hotspots.detect import Hotspot

if TYPE_CHECKING:
    from netwerk.store.base import GraphStore

__all__ = ["FenomeenRecord", "FollowResult", "fenomeen_record", "follow_fenomeen", "load_fenomeen", "save_fenomeen"]


@dataclass(frozen=True)
class FenomeenRecord:
    """What `netwerk fenomeen create` writes.

    Attributes
    ----------
    fenomeen_id : str
        Deterministic id ``FEN-<date>-<place>-<category>`` (re-creating the same one is idempotent).
    node : dict
        Properties of the Fenomeen node.
    area_codes : list of str
        Buurt codes it COVERS.
    signal_ids : list of str
        Signals it COVERS (the hotspot's evidence).
    """

    fenomeen_id: str
    node: dict[str, Any]
    area_codes: list[str]
    signal_ids: list[str]


def _slug(text: str, n: int = 30) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:n].strip("-")


def fenomeen_record(
    hotspot: Hotspot, *, created_by: str, created_at: date | None = None, name: str | None = None,
    reference_date: Any = None,
) -> FenomeenRecord:
    """The Fenomeen node and its COVERS targets for an accepted hotspot.

    Parameters
    ----------
    hotspot : Hotspot
        A buurt or cluster hotspot (address hotspots call for a casus, but are accepted too).
    created_by : str
        Who decided (e.g. ``team integrale veiligheid``).
    created_at : date, optional
        Decision date; default :func:`netwerk.dating.record_date` of ``reference_date``: today, or the end of
        the data when the data is historical.
    name : str, optional
        Readable name; default ``<category> in <buurt/cluster>``.
    reference_date : Timestamp, optional
        The end of the data (``Frames.reference_date``); default the hotspot's last signal.

    Returns
    -------
    FenomeenRecord

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerk.hotspots.detect import Hotspot
    >>> h = Hotspot("buurt", "BU1", "woon", "Woonoverlast", "", 3, 3, 2, 3, 2, pd.Timestamp("2025-01-01"),
    ...             pd.Timestamp("2025-02-01"), "rising", 3, 0.0, 5.0, {}, 0.01, "", 1.0, 2, 4, 3, 3, True, {},
    ...             "", ["S1", "S2", "S3"], buurt_code="BU1")
    >>> r = fenomeen_record(h, created_by="team", created_at=date(2025, 3, 1))
    >>> r.fenomeen_id, r.area_codes, r.node["category"]
    ('FEN-2025-03-01-bu1-woonoverlast', ['BU1'], 'Woonoverlast')
    """
    if not created_by.strip():
        raise ValueError("fenomeen: geef op wie het besluit nam (--by)")
    if not hotspot.buurt_code:
        raise ValueError(f"fenomeen: hotspot {hotspot.key} ligt in geen bekende buurt")
    day = created_at or record_date(reference_date if reference_date is not None else hotspot.last_at)
    place = hotspot.buurt_code if hotspot.level != "address" else hotspot.key
    where_id = _slug(place if hotspot.level != "cluster" else hotspot.key)
    fid = f"FEN-{day.isoformat()}-{where_id}-{_slug(hotspot.category)}"
    where = hotspot.extra.get("name") or hotspot.buurt_code
    node = {
        "fenomeen_id": fid,
        "name": name or f"{hotspot.category} in {where}",
        "domain": hotspot.domain,
        "category": hotspot.category,
        "created_at": day.isoformat(),
        "created_by": created_by,
        "reason": hotspot.reason,
    }
    return FenomeenRecord(fid, node, [hotspot.buurt_code], list(hotspot.evidence))


@dataclass(frozen=True)
class FollowResult:
    """Signal counts of a fenomeen's category in its area(s), per month.

    Attributes
    ----------
    monthly : DataFrame
        ``month`` (first day), ``n_signals``, ``phase`` (``voor``/``na``) for the months around creation.
    mean_before, mean_after : float
        Mean signals per month in the (full) months before and after creation.
    change : float | None
        Relative change ``mean_after / mean_before - 1`` (None without a before-period).
    verdict : str
        Plain-Dutch reading: daling / gelijk / stijging (a signal for the team, not a verdict on the approach).
    n_covered : int
        Signals linked by COVERS.
    """

    fenomeen_id: str
    monthly: pd.DataFrame
    mean_before: float
    mean_after: float
    change: float | None
    verdict: str
    n_covered: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "fenomeen_id": self.fenomeen_id,
            "months": [{"month": m.strftime("%Y-%m"), "n_signals": int(n), "phase": p}
                       for m, n, p in self.monthly[["month", "n_signals", "phase"]].itertuples(index=False)],
            "mean_before": round(self.mean_before, 3), "mean_after": round(self.mean_after, 3),
            "change": None if self.change is None else round(self.change, 3),
            "verdict": self.verdict, "n_covered": self.n_covered,
        }


def follow_fenomeen(
    frames: Frames,
    fenomeen: Mapping[str, Any],
    area_codes: Sequence[str],
    *,
    covered: int = 0,
    months_before: int = 6,
) -> FollowResult:
    """Is the approach working? Monthly counts of the fenomeen's category in its area(s), before vs after.

    Parameters
    ----------
    frames : Frames
        The current data (signals after the creation date included).
    fenomeen : mapping
        The Fenomeen node (``fenomeen_id``, ``category``, ``created_at``, optional ``domain``).
    area_codes : sequence of str
        Buurt codes it covers.
    covered : int
        Number of signals linked by COVERS (reported only).
    months_before : int, default 6
        Months before creation in the comparison.

    Returns
    -------
    FollowResult

    Notes
    -----
    The creation month itself counts as 'na' (the approach starts that month). Months after the latest
    signal date are not shown. A change of more than 20 % either way is called a rise or a fall.
    """
    for k in ("fenomeen_id", "category", "created_at"):
        if not fenomeen.get(k):
            raise ValueError(f"fenomeen: eigenschap {k!r} ontbreekt")
    if not area_codes:
        raise ValueError(f"fenomeen {fenomeen['fenomeen_id']}: geen gebied gekoppeld (COVERS)")
    created = pd.Timestamp(str(fenomeen["created_at"])).to_period("M")
    sig = frames.signals
    sel = sig[sig["buurt_code"].isin(list(area_codes)) & (sig["category"] == fenomeen["category"])]
    last = frames.reference_date.to_period("M")
    months = pd.period_range(created - months_before, max(last, created), freq="M")
    counts = sel["reported_at"].dt.to_period("M").value_counts().reindex(months, fill_value=0)
    monthly = pd.DataFrame({"month": months.to_timestamp(), "n_signals": counts.to_numpy()})
    monthly["phase"] = ["na" if m >= created else "voor" for m in months]
    before = monthly[monthly["phase"] == "voor"]["n_signals"]
    after = monthly[(monthly["phase"] == "na") & (months < last)]["n_signals"]  # full months only
    if after.empty:
        after = monthly[monthly["phase"] == "na"]["n_signals"]
    mb = float(before.mean()) if len(before) else 0.0
    ma = float(after.mean()) if len(after) else 0.0
    change = (ma / mb - 1) if mb > 0 else None
    if change is None:
        verdict = "nog geen vergelijking mogelijk: geen meldingen vóór de start"
    elif change <= -0.2:
        verdict = f"daling: gemiddeld {ma:.1f} meldingen per maand na de start tegen {mb:.1f} ervoor"
    elif change >= 0.2:
        verdict = f"stijging: gemiddeld {ma:.1f} meldingen per maand na de start tegen {mb:.1f} ervoor"
    else:
        verdict = f"ongeveer gelijk: gemiddeld {ma:.1f} meldingen per maand na de start tegen {mb:.1f} ervoor"
    return FollowResult(str(fenomeen["fenomeen_id"]), monthly, mb, ma, change, verdict, covered)


def save_fenomeen(store: GraphStore, record: FenomeenRecord) -> None:
    """Write the Fenomeen node and its COVERS relationships (idempotent); unknown buurten become Area nodes."""
    known = set(store.nodes_df("Area")["area_code"])
    missing = [c for c in record.area_codes if c not in known]
    if missing:
        store.upsert_nodes("Area", [{"area_code": c, "kind": "buurt"} for c in missing])
    store.upsert_nodes("Fenomeen", [record.node])
    store.upsert_relationships("COVERS", [{"start": record.fenomeen_id, "end": c} for c in record.area_codes],
                               "Fenomeen", "Area")
    store.upsert_relationships("COVERS", [{"start": record.fenomeen_id, "end": s} for s in record.signal_ids],
                               "Fenomeen", "Signal")


def load_fenomeen(store: GraphStore, fenomeen_id: str) -> tuple[dict[str, Any], list[str], list[str]]:
    """The Fenomeen node, the buurt codes and the signal ids it COVERS (ValueError when unknown)."""
    node = store.get_node("Fenomeen", fenomeen_id)
    if node is None:
        raise ValueError(f"fenomeen {fenomeen_id!r} bestaat niet; zie `netwerk fenomeen list`")
    covers = store.relationships_df("COVERS", "Fenomeen")
    mine = covers[covers["start"] == fenomeen_id]
    areas = sorted(mine.loc[mine["end_label"] == "Area", "end"])
    signals = sorted(mine.loc[mine["end_label"] == "Signal", "end"])
    return node, areas, signals
