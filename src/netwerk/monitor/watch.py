"""Watched addresses and areas (*waakadressen*): every new signal at a watched address, within its radius, or
inside a watched buurt/wijk during the watch raises exactly one alert, with the signal as evidence.

Think of the placement of vergunninghouders: signals near their address must reach the team the same day.
Pure functions (:func:`resolve_place`, :func:`watch_record`, :func:`match_alerts`) work on frames; the store
functions (:func:`save_watch`, :func:`end_watch`, :func:`sync_alerts`) write ``Watch`` -WATCHES->
``Address``/``Area`` and ``Alert`` -OF_WATCH-> ``Watch``, -RAISED_BY-> ``Signal``. Each alert enters the review
workflow as a ``ReviewItem`` about the alert (status ``nieuw``). Ids are deterministic, so re-running never
duplicates anything. Watches and alerts are person-level data (``personal`` in the model: reads are audited).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from netwerk.dating import record_timestamp
from netwerk.frames import Frames
from netwerk.hotspots.geo import to_local_xy

if TYPE_CHECKING:
    from netwerk.store.base import GraphStore

__all__ = [
    "DEFAULT_RADIUS_M",
    "Place",
    "address_label",
    "end_watch",
    "list_alerts",
    "match_alerts",
    "resolve_place",
    "save_watch",
    "sync_alerts",
    "watch_record",
    "wijk_codes",
]

DEFAULT_RADIUS_M = 100.0
ACTIVE, ENDED = "actief", "beëindigd"


@dataclass(frozen=True)
class Place:
    """A watched place: an address (with coordinates when known) or an area (buurt/wijk code)."""

    kind: str  #: ``adres`` or ``gebied``
    key: str  #: address_id or area_code
    label: str
    lat: float | None = None
    lon: float | None = None


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def address_label(row: Mapping[str, Any]) -> str:
    """``Straat 12a-2, Plaats`` from an address row (missing parts left out)."""
    parts = [_txt(row.get("street"))]
    num = row.get("house_number")
    if num is not None and not pd.isna(num):
        addition = _txt(row.get("house_number_addition"))
        parts.append(f"{int(num)}{_txt(row.get('house_letter'))}" + (f"-{addition}" if addition else ""))
    label = " ".join(p for p in parts if p)
    city = _txt(row.get("city"))
    return f"{label}, {city}" if label and city else (label or str(row.get("address_id")))


def _txt(value: Any) -> str:
    """Text of a possibly missing value ('' for None/NaN)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def resolve_place(frames: Frames, text: str) -> Place:
    """The address or area meant by ``text``: an area code, an address id, ``Straat 12a[, Plaats]`` or
    ``1234 AB 12``. Raises ``ValueError`` (Dutch) when nothing or more than one address matches."""
    wanted = text.strip()
    if not wanted:
        raise ValueError("geef een adres of gebied op")
    areas, adr = frames.areas, frames.addresses
    codes = set(areas["area_code"]) | set(frames.signals["buurt_code"].dropna()) | set(
        frames.signals["wijk_code"].dropna()) | set(adr["buurt_code"].dropna()) | set(adr["wijk_code"].dropna())
    if wanted in codes:
        names = areas.set_index("area_code")["name"].to_dict() if len(areas) else {}
        return Place("gebied", wanted, f"{names.get(wanted) or ''} ({wanted})".strip())
    hit = adr[adr["address_id"] == wanted]
    if hit.empty and len(adr):
        key = _compact(wanted)
        recs = adr.to_dict("records")
        labels = [_compact(address_label(r)) for r in recs]
        street_nr = [_compact(address_label({**r, "city": None})) for r in recs]
        postcode_nr = [_compact(f"{_txt(r.get('postcode'))}{_txt(r.get('house_number'))}"
                                f"{_txt(r.get('house_letter'))}") for r in recs]
        idx = [i for i in range(len(recs)) if key in (labels[i], street_nr[i], postcode_nr[i])]
        hit = adr.iloc[idx]
    if hit.empty:
        raise ValueError(f"adres of gebied {wanted!r} niet gevonden; geef een adres-id, 'Straat 12, Plaats', "
                         "'1234 AB 12' of een buurt-/wijkcode")
    if len(hit) > 1:
        options = "; ".join(f"{r['address_id']} ({address_label(r)})" for r in hit.head(5).to_dict("records"))
        raise ValueError(f"{wanted!r} past bij {len(hit)} adressen: {options}; geef het adres-id op")
    r = hit.iloc[0].to_dict()
    lat = None if pd.isna(r.get("lat")) else float(r["lat"])
    lon = None if pd.isna(r.get("lon")) else float(r["lon"])
    return Place("adres", str(r["address_id"]), address_label(r), lat, lon)


def wijk_codes(signals: pd.DataFrame) -> pd.Series:
    """The wijk code of every signal; when missing, derived from the CBS buurt code (``BUggggwwbb`` lies in
    wijk ``WKggggww``, the same for every Dutch municipality).

    >>> wijk_codes(pd.DataFrame({"wijk_code": [None, "WK000101"], "buurt_code": ["BU15980203", None]})).tolist()
    ['WK159802', 'WK000101']
    """
    buurt = signals["buurt_code"].astype(object)
    derived = buurt.where(buurt.str.match(r"^BU\d{8}$", na=False)).str.slice(2, 8)
    return signals["wijk_code"].astype(object).where(signals["wijk_code"].notna(), "WK" + derived)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def watch_record(
    frames: Frames,
    place: Place,
    *,
    reason: str,
    radius_m: float = DEFAULT_RADIUS_M,
    start: str | None = None,
    end: str | None = None,
    created_by: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The ``Watch`` node for a place. ``start`` defaults to the latest date in the data (so a historical
    export is watched from its end); ``end`` is inclusive and optional (open-ended)."""
    if not reason.strip():
        raise ValueError("geef een reden op (--reden): waarom wordt deze plek gevolgd?")
    if radius_m < 0 or radius_m > 5000:
        raise ValueError(f"--straal moet tussen 0 en 5000 meter liggen, kreeg {radius_m}")
    day = pd.Timestamp(start).normalize() if start else frames.reference_date
    until = pd.Timestamp(end).normalize() if end else None
    if until is not None and until < day:
        raise ValueError(f"--tot ({until.date()}) ligt vóór --van ({day.date()})")
    at = now.strftime("%Y-%m-%dT%H:%M:%S") if now else record_timestamp(frames.reference_date)
    return {
        "watch_id": f"WAAK-{day.date().isoformat()}-{_slug(place.key)}",
        "kind": place.kind,
        "address_id": place.key if place.kind == "adres" else None,
        "area_code": place.key if place.kind == "gebied" else None,
        "lat": place.lat, "lon": place.lon,
        "radius_m": float(radius_m) if place.kind == "adres" else None,
        "reason": reason.strip(),
        "start_date": day.date().isoformat(),
        "end_date": until.date().isoformat() if until is not None else None,
        "status": ACTIVE, "created_at": at, "created_by": created_by,
    }


def match_alerts(frames: Frames, watches: pd.DataFrame) -> pd.DataFrame:
    """Every (watch, signal) pair that raises an alert.

    A signal matches an address watch when it is AT the address or its coordinates lie within the radius
    (equirectangular metres; exact to well under 0.1 % at municipal scale), and an area watch when its buurt
    or wijk code is the area. It must be reported on or after ``start_date`` and on or before ``end_date``.

    Returns
    -------
    DataFrame
        ``alert_id, watch_id, signal_id, reported_at, distance_m`` (``distance_m`` None for area watches
        and for signals with only the address), sorted by watch, time and signal.
    """
    cols = ["alert_id", "watch_id", "signal_id", "reported_at", "distance_m"]
    sig = frames.signals[frames.signals["reported_at"].notna()]
    parts = []
    for w in watches.to_dict("records"):
        start = pd.Timestamp(w["start_date"])
        end = pd.Timestamp(w["end_date"]) + pd.Timedelta(days=1) if w.get("end_date") else None
        s = sig[(sig["reported_at"] >= start) & ((sig["reported_at"] < end) if end is not None else True)]
        if w["kind"] == "gebied":
            hit = s[(s["buurt_code"] == w["area_code"]) | (wijk_codes(s) == w["area_code"])]
            dist = pd.Series(np.nan, index=hit.index)
        else:
            dist = pd.Series(np.nan, index=s.index)
            lat, lon = w.get("lat"), w.get("lon")
            if lat is not None and lon is not None and not pd.isna(lat) and not pd.isna(lon) and len(s):
                xy = to_local_xy(s["lat"].to_numpy(float), s["lon"].to_numpy(float), lat0=float(lat))
                here = to_local_xy(np.array([lat]), np.array([lon]), lat0=float(lat))[0]
                dist = pd.Series(np.hypot(*(xy - here).T), index=s.index)
            at_addr = s["address_id"] == w["address_id"]
            near = dist <= float(w.get("radius_m") or 0)
            hit = s[at_addr | near]
            dist = dist[hit.index].where(~(at_addr[hit.index] & dist[hit.index].isna()), 0.0)
        parts.append(pd.DataFrame({
            "watch_id": w["watch_id"], "signal_id": hit["signal_id"].to_numpy(),
            "reported_at": hit["reported_at"].to_numpy(), "distance_m": dist.round(1).to_numpy(),
        }))
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out["alert_id"] = "ALERT-" + out["watch_id"] + "-" + out["signal_id"].astype(str)
    return out[cols].sort_values(["watch_id", "reported_at", "signal_id"]).reset_index(drop=True)


# ------------------------------------------------------------------------------------------------ store
def save_watch(store: GraphStore, node: Mapping[str, Any]) -> None:
    """Write the watch and its WATCHES relationship (idempotent; a missing area becomes an Area node)."""
    label, end = ("Address", node["address_id"]) if node["kind"] == "adres" else ("Area", node["area_code"])
    if label == "Area" and store.get_node("Area", end) is None:
        store.upsert_nodes("Area", [{"area_code": end}])
    store.upsert_nodes("Watch", [dict(node)])
    store.upsert_relationships("WATCHES", [{"start": node["watch_id"], "end": end}], "Watch", label)


def end_watch(store: GraphStore, watch_id: str, on: str | None = None) -> dict[str, Any]:
    """End a watch (default: today); alerts after that day are no longer raised."""
    node = store.get_node("Watch", watch_id)
    if node is None:
        raise ValueError(f"waakadres {watch_id!r} bestaat niet; zie `netwerk waak list`")
    day = pd.Timestamp(on).normalize() if on else pd.Timestamp.now().normalize()
    if day < pd.Timestamp(node["start_date"]):
        raise ValueError(f"einddatum {day.date()} ligt vóór de start {node['start_date']}")
    store.upsert_nodes("Watch", [{"watch_id": watch_id, "end_date": day.date().isoformat(), "status": ENDED}])
    return store.get_node("Watch", watch_id) or {}


def sync_alerts(store: GraphStore, frames: Frames, *, now: datetime | None = None) -> dict[str, int]:
    """Raise the alerts of every watch that are not there yet, and put them in the review workflow.

    Returns ``{"nieuw": n, "al_bekend": m}``. Idempotent: a second run raises nothing new.
    """
    from netwerk.indicators.base import evidence_hash
    from netwerk.review import sync_reviews

    watches = store.nodes_df("Watch")
    found = match_alerts(frames, watches)
    known = set(store.nodes_df("Alert")["alert_id"])
    new = found[~found["alert_id"].isin(known)]
    if len(new):
        at = now.strftime("%Y-%m-%dT%H:%M:%S") if now else record_timestamp(frames.reference_date)
        rows = [{"alert_id": r.alert_id, "watch_id": r.watch_id, "signal_id": r.signal_id,
                 "reported_at": pd.Timestamp(r.reported_at).strftime("%Y-%m-%dT%H:%M:%S"),
                 "distance_m": None if pd.isna(r.distance_m) else float(r.distance_m), "created_at": at}
                for r in new.itertuples()]
        store.upsert_nodes("Alert", rows)
        store.upsert_relationships("OF_WATCH", [{"start": r["alert_id"], "end": r["watch_id"]} for r in rows],
                                   "Alert", "Watch")
        store.upsert_relationships("RAISED_BY", [{"start": r["alert_id"], "end": r["signal_id"]} for r in rows],
                                   "Alert", "Signal")
        sync_reviews(store, [{"subject_type": "alert", "subject_id": r["alert_id"], "score": 1.0,
                              "evidence_hash": evidence_hash([f"signal:{r['signal_id']}"])} for r in rows])
    return {"nieuw": len(new), "al_bekend": len(found) - len(new)}


def list_alerts(store: GraphStore, frames: Frames, watch_id: str | None = None) -> pd.DataFrame:
    """Alerts with their watch, signal (category, place) and review status, newest first."""
    alerts = store.nodes_df("Alert")
    if watch_id is not None:
        alerts = alerts[alerts["watch_id"] == watch_id]
    watches = store.nodes_df("Watch")[["watch_id", "kind", "address_id", "area_code", "reason"]].rename(
        columns={"address_id": "watch_address_id"})
    sig = frames.signals[["signal_id", "category", "subcategory", "domain", "address_id", "buurt_code", "source"]]
    reviews = store.nodes_df("ReviewItem")
    reviews = reviews[reviews["subject_type"] == "alert"][["subject_id", "review_id", "status"]].rename(
        columns={"subject_id": "alert_id", "status": "review_status"})
    out = (alerts.merge(watches, on="watch_id", how="left").merge(sig, on="signal_id", how="left")
           .merge(reviews, on="alert_id", how="left"))
    return out.sort_values(["reported_at", "alert_id"], ascending=[False, True]).reset_index(drop=True)
