"""Agenda items from monitoring: watch alerts on every overleg's agenda and, for the ondermijningstafel (LIO),
the flags in review, the new straw-man and facilitator signals and the outcomes of integrale controles.

:func:`with_monitor_sections` takes an agenda built by :func:`netwerk.cases.agenda.build_agenda` and adds the
structured items (``watch_alerts``, and for the ondermijningstafel ``review_items``, ``ondermijning_flags``,
``controles``) plus ``extra_sections`` (title, header, rows, empty text) that the agenda renderer prints after
its own sections. It only reads the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from netwerk.frames import Frames
from netwerk.monitor.controles import controle_frame
from netwerk.monitor.watch import address_label, match_alerts

if TYPE_CHECKING:
    from netwerk.cases.agenda import Agenda
    from netwerk.store.base import GraphStore

__all__ = ["ONDERMIJNINGSTAFEL", "with_monitor_sections"]

ONDERMIJNINGSTAFEL = "ondermijningstafel"
_OPEN = ("nieuw", "in onderzoek")
_RING_INDICATORS = {"straw_men": "katvangers", "facilitator": "facilitator"}


def with_monitor_sections(agenda: Agenda, store: GraphStore, frames: Frames,
                          flags: Sequence[dict[str, Any]] | None = None) -> Agenda:
    """The agenda with the monitoring items added (see the module docstring)."""
    from netwerk.cases.advice import json_safe
    from netwerk.cases.agenda import Agenda as _Agenda

    d = dict(agenda.to_dict())
    day = pd.Timestamp(d["date"])
    prev = pd.Timestamp(d["since"])
    domains = list(d.get("domains") or [])
    sections: list[dict[str, Any]] = list(d.get("extra_sections") or [])
    n = 6 + len(sections)

    alerts = _alerts(store, frames, prev, day, domains)
    d["watch_alerts"] = alerts
    n += 1
    sections.append({
        "title": f"{n}. Waakmeldingen (gevolgde adressen en gebieden)",
        "header": ["Waakadres", "Plaats", "Melding", "Datum", "Categorie", "Afstand", "Beoordeling"],
        "rows": [[a["watch_id"], a["place"], a["signal_id"], a["reported_at"], a["category"] or "",
                  "" if a["distance_m"] is None else f"{a['distance_m']:.0f} m",
                  a["review_status"] or "nog niet verwerkt"]
                 for a in alerts],
        "empty": "Geen nieuwe meldingen bij gevolgde adressen of gebieden.",
    })
    if d.get("overleg") == ONDERMIJNINGSTAFEL:
        ranked = list(flags or [])
        d["review_items"] = _review_items(store, ranked)
        d["ondermijning_flags"] = _ring_flags(ranked, store)
        d["controles"] = _controles(store, frames, prev, day)
        sections += [
            {"title": f"{n + 1}. Signalen in beoordeling", "header": ["Beoordeling", "Onderwerp", "Score", "Status",
                                                                      "Indicatoren"],
             "rows": [[r["review_id"], f"{r['subject_type']} {r['subject_id']}", f"{r['score']:.2f}", r["status"],
                       ", ".join(r["indicators"])] for r in d["review_items"]],
             "empty": "Geen signalen in beoordeling."},
            {"title": f"{n + 2}. Nieuwe katvanger- en facilitatorsignalen",
             "header": ["Onderwerp", "Indicator", "Score", "Toelichting", "Bewijs"],
             "rows": [[f"{f['subject_type']} {f['subject_id']}", f["indicator"], f"{f['score']:.2f}", f["reason"],
                       f["evidence"]] for f in d["ondermijning_flags"]],
             "empty": "Geen nieuwe katvanger- of facilitatorsignalen."},
            {"title": f"{n + 3}. Uitkomsten integrale controles", "header": ["Datum", "Onderwerp", "Partners",
                                                                            "Uitkomst", "Bevindingen"],
             "rows": [[c["date"], f"{c['subject_label']} ({c['subject_id']})", c["partners"], c["outcome"],
                       c["findings"] or ""] for c in d["controles"]],
             "empty": "Geen integrale controles sinds het vorige overleg."},
        ]
    d["extra_sections"] = sections
    return _Agenda(json_safe(d))


def _alerts(store: GraphStore, frames: Frames, prev: pd.Timestamp, day: pd.Timestamp,
            domains: list[str]) -> list[dict[str, Any]]:
    watches = store.nodes_df("Watch")
    if watches.empty:
        return []
    found = match_alerts(frames, watches)
    found = found[(found["reported_at"] >= prev + pd.Timedelta(days=1)) & (found["reported_at"] < day + pd.Timedelta(
        days=1))]
    sig = frames.signals.set_index("signal_id")
    found = found.join(sig[["category", "subcategory", "domain"]], on="signal_id")
    if domains:
        found = found[found["domain"].isna() | found["domain"].isin(domains)]
    reviews = store.nodes_df("ReviewItem").set_index("review_id")["status"].to_dict()
    adr = frames.addresses.set_index("address_id") if len(frames.addresses) else pd.DataFrame()
    w = watches.set_index("watch_id")
    out = []
    for r in found.itertuples():
        watch = w.loc[r.watch_id]
        if watch["kind"] == "adres" and watch["address_id"] in adr.index:
            place = address_label({"address_id": watch["address_id"], **adr.loc[watch["address_id"]].to_dict()})
        else:
            place = str(watch["address_id"] or watch["area_code"])
        out.append({"alert_id": r.alert_id, "watch_id": r.watch_id, "place": place, "reason": watch["reason"],
                    "signal_id": r.signal_id, "reported_at": pd.Timestamp(r.reported_at).date().isoformat(),
                    "category": r.subcategory if isinstance(r.subcategory, str) else r.category,
                    "distance_m": None if pd.isna(r.distance_m) else float(r.distance_m),
                    "review_status": reviews.get(f"alert:{r.alert_id}")})
    return out


def _names(flag: dict[str, Any]) -> list[str]:
    return [str(i.get("name")) for i in flag.get("indicators") or [] if isinstance(i, dict)]


def _review_items(store: GraphStore, ranked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = store.nodes_df("ReviewItem")
    items = items[items["status"].isin(_OPEN) & (items["subject_type"] != "alert")]
    names = {(f["subject_type"], str(f["subject_id"])): _names(f) for f in ranked}
    return [{"review_id": r["review_id"], "subject_type": r["subject_type"], "subject_id": r["subject_id"],
             "score": float(r["score"] or 0), "status": r["status"], "updated_at": r["updated_at"],
             "indicators": names.get((r["subject_type"], str(r["subject_id"])), [])}
            for r in items.sort_values(["score", "review_id"], ascending=[False, True]).to_dict("records")]


def _ring_flags(ranked: list[dict[str, Any]], store: GraphStore) -> list[dict[str, Any]]:
    """Straw-man and facilitator flags whose subject is not yet under review (no item, or still 'nieuw')."""
    status = store.nodes_df("ReviewItem").set_index("review_id")["status"].to_dict()
    out = []
    for f in ranked:
        rid = f"{f['subject_type']}:{f['subject_id']}"
        if status.get(rid) not in (None, "nieuw"):
            continue
        for item in f.get("indicators") or []:
            if not isinstance(item, dict) or item.get("name") not in _RING_INDICATORS:
                continue
            ev = item.get("evidence") or {}
            parts = [f"{k}: {', '.join(map(str, ev.get(k) or []))}" for k in ("businesses", "persons", "addresses")
                     if ev.get(k)]
            out.append({"subject_type": f["subject_type"], "subject_id": str(f["subject_id"]),
                        "indicator": _RING_INDICATORS[str(item["name"])], "score": float(f.get("score") or 0),
                        "reason": str(item.get("reason") or ""), "evidence": "; ".join(parts),
                        "review_status": status.get(rid)})
    return sorted(out, key=lambda x: (-x["score"], x["subject_type"], x["subject_id"], x["indicator"]))


def _controles(store: GraphStore, frames: Frames, prev: pd.Timestamp, day: pd.Timestamp) -> list[dict[str, Any]]:
    df = controle_frame(store.nodes_df("Controle"), frames)
    df = df[(df["date"] > prev) & (df["date"] <= day)]
    names = frames.businesses.set_index("business_id")["name"].to_dict() if len(frames.businesses) else {}
    adr = frames.addresses.set_index("address_id") if len(frames.addresses) else pd.DataFrame()
    out = []
    for r in df.to_dict("records"):
        if r["subject_type"] == "business":
            label = str(names.get(r["subject_id"]) or r["subject_id"])
        elif r["subject_id"] in adr.index:
            label = address_label({"address_id": r["subject_id"], **adr.loc[r["subject_id"]].to_dict()})
        else:
            label = str(r["subject_id"])
        out.append({**{k: r[k] for k in ("controle_id", "subject_type", "subject_id", "address_id", "partners",
                                         "findings", "outcome")},
                    "date": r["date"].date().isoformat(), "subject_label": label})
    return out
