"""Agendas for the recurring overleggen (two-weekly, Groot Integraal Overleg, politieoverleg).

:func:`build_agenda` gathers, for one overleg on one date: the new signals since the previous overleg of
that type, the cases needing a decision (with their escalation advice), overdue agreements, the top
recurring hotspots (fenomeen advice marked) and new indicator flags in the overleg's domains.
:func:`render` writes it as Markdown, self-contained HTML (no external resources) or JSON.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from netwerk.cases.advice import (
    Advice,
    advise,
    as_of_day,
    as_records,
    fenomeen_of,
    indicator_names,
    json_safe,
    open_cases,
    supporting_evidence,
)
from netwerk.cases.ladder import Ladder
from netwerk.cases.ops import CaseFrames
from netwerk.frames import Frames

#: Domain of a category nobody mapped (see netwerk.hotspots.detect.UNKNOWN_DOMAIN): shown on every agenda.
UNKNOWN_DOMAIN = "onbekend"

__all__ = ["FORMATS", "Agenda", "build_agenda", "render"]

FORMATS = ("md", "html", "json")


@dataclass(frozen=True)
class Agenda:
    """The agenda of one overleg; :meth:`to_dict` is the JSON contract (ids included)."""

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.data


def _day(ts: Any) -> str | None:
    return None if ts is None or pd.isna(ts) else pd.Timestamp(ts).date().isoformat()


def build_agenda(
    frames: Frames,
    cf: CaseFrames,
    ladder: Ladder,
    overleg: str,
    *,
    date: str | pd.Timestamp | None = None,
    since: str | pd.Timestamp | None = None,
    interval_days: int | None = None,
    hotspots: Any = None,
    flags: Any = None,
    advice: list[Advice] | None = None,
    top_hotspots: int = 10,
    notes: list[str] | None = None,
) -> Agenda:
    """The agenda of ``overleg`` (an id from the ladder's ``overleggen``) on ``date``.

    Parameters
    ----------
    frames, cf, ladder
        The graph, the case matrix/timeline and the ladder (which also defines the overleggen).
    overleg : str
        ``twee-wekelijks``, ``gio`` or ``politie`` (or any overleg the ladder defines).
    date : date, optional
        Day of the overleg; default the latest date in the data (:func:`~netwerk.cases.advice.reference_day`).
    since : date, optional
        Day of the previous overleg (exclusive); default ``date`` minus the overleg's interval.
    interval_days : int, optional
        Override the interval from the ladder.
    hotspots, flags : list, optional
        Precomputed hotspots and indicator flags (see :func:`netwerk.cases.advice.rule_hits`).
    advice : list of Advice, optional
        Precomputed advice (default: :func:`netwerk.cases.advice.advise` on ``date``).
    top_hotspots : int
        How many hotspots to list; hotspots with fenomeen advice are always listed.
    notes : list of str, optional
        Remarks to print on the agenda (e.g. a module that was not available).

    Returns
    -------
    Agenda
    """
    ov = ladder.overleg(overleg)
    day = as_of_day(frames, cf, date)
    interval = interval_days if interval_days is not None else ov.interval_days
    if interval <= 0:
        raise ValueError("de termijn van een overleg moet positief zijn")
    prev = pd.Timestamp(since).normalize() if since is not None else day - pd.Timedelta(days=interval)
    if prev >= day:
        raise ValueError(f"vorig overleg ({_day(prev)}) moet vóór de datum van dit overleg ({_day(day)}) liggen")
    domains = list(ov.domains)
    end = day + pd.Timedelta(days=1)

    sig = frames.signals
    new = sig[(sig["reported_at"] >= prev + pd.Timedelta(days=1)) & (sig["reported_at"] < end)]
    if domains:  # a signal of unknown domain belongs to no overleg yet: every overleg sees it
        new = new[new["domain"].isin(domains) | new["domain"].isna() | (new["domain"] == UNKNOWN_DOMAIN)]
    cases = open_cases(frames, cf, ladder, day)
    if domains:
        cases = cases[cases["domain"].isna() | cases["domain"].isin(domains)]
    if advice is None:
        advice = advise(frames, cf, ladder, as_of=day, hotspots=hotspots, flags=flags)
    data: dict[str, Any] = {
        "overleg": ov.id,
        "name": ov.name,
        "participants": ov.participants,
        "ladder": ladder.id,
        "date": _day(day),
        "since": _day(prev),
        "interval_days": interval,
        "domains": domains,
        "new_signals": _new_signals(frames, new, cases),
        "cases": _cases_for_decision(advice, cases),
        "overdue_agreements": _agreements(frames, cf, cases, day, interval),
        "hotspots": _hotspots(frames, as_records(hotspots), domains, top_hotspots),
        "indicator_flags": _flags(frames, new, as_records(flags)),
        "notes": list(notes or []),
    }
    return Agenda(json_safe(data))


def _new_signals(frames: Frames, new: pd.DataFrame, cases: pd.DataFrame) -> dict[str, Any]:
    names = frames.areas.set_index("area_code")["name"] if not frames.areas.empty else pd.Series(dtype=object)
    by_buurt = []
    for code, g in new.groupby(new["buurt_code"].fillna("onbekend"), sort=False):
        cats = g["category"].fillna("onbekend").value_counts()
        by_buurt.append({
            "buurt_code": None if code == "onbekend" else code, "buurt_name": names.get(code),
            "count": len(g), "categories": {str(k): int(v) for k, v in cats.items()},
            "address_ids": sorted(g["address_id"].dropna().unique().tolist()),
        })
    by_buurt.sort(key=lambda b: (-b["count"], str(b["buurt_code"])))
    by_cat = (new.assign(category=new["category"].fillna("onbekend"), domain=new["domain"].fillna("onbekend"))
              .groupby(["domain", "category"]).size().reset_index(name="count")
              .sort_values(["count", "domain", "category"], ascending=[False, True, True]))
    # signals at the addresses or involving the persons of open cases
    links = frames.case_links[frames.case_links["case_id"].isin(cases["case_id"])]
    at_addr = links[links["kind"] == "address"].rename(columns={"ref_id": "address_id"})[["case_id", "address_id"]] \
        .merge(new[["signal_id", "address_id"]], on="address_id")[["case_id", "signal_id"]]
    at_pers = links[links["kind"] == "person"].rename(columns={"ref_id": "person_id"})[["case_id", "person_id"]] \
        .merge(frames.signal_persons[["signal_id", "person_id"]], on="person_id") \
        .merge(new[["signal_id"]], on="signal_id")[["case_id", "signal_id"]]
    at_cases = pd.concat([at_addr, at_pers]).drop_duplicates().merge(
        new[["signal_id", "reported_at", "category", "address_id", "buurt_code"]], on="signal_id"
    ).sort_values(["case_id", "reported_at", "signal_id"])
    return {
        "total": len(new),
        "signal_ids": sorted(new["signal_id"].tolist()),
        "by_buurt": by_buurt,
        "by_category": [
            {"domain": r.domain, "category": r.category, "count": int(r.count)} for r in by_cat.itertuples()
        ],
        "at_cases": [
            {"case_id": r.case_id, "signal_id": r.signal_id, "reported_at": _day(r.reported_at),
             "category": r.category, "address_id": r.address_id, "buurt_code": r.buurt_code}
            for r in at_cases.itertuples()
        ],
    }


def _cases_for_decision(advice: list[Advice], cases: pd.DataFrame) -> list[dict[str, Any]]:
    wanted = set(cases["case_id"])
    out = [a.to_dict() for a in advice if a.direction != "handhaven" and a.case_id in wanted]
    order = {"opschalen": 0, "afschalen": 1}
    return sorted(out, key=lambda a: (order[a["direction"]], -len(a["criteria_met"]), a["case_id"]))


def _agreements(
    frames: Frames, cf: CaseFrames, cases: pd.DataFrame, day: pd.Timestamp, interval: int
) -> list[dict[str, Any]]:
    ag = cf.agreements
    ag = ag[ag["case_id"].isin(cases["case_id"]) & (ag["status"].fillna("open") == "open") & (ag["due_date"] < day)]
    partners = frames.partners.set_index("partner_id")["name"] if not frames.partners.empty else pd.Series(dtype=object)
    titles = cases.set_index("case_id")["title"]
    return [
        {"case_id": r.case_id, "case_title": titles.get(r.case_id), "agreement_id": r.agreement_id, "what": r.what,
         "owner": r.owner, "owner_name": partners.get(r.owner), "due_date": _day(r.due_date),
         "days_overdue": int((day - r.due_date).days)}
        for r in ag.sort_values(["due_date", "case_id", "agreement_id"]).itertuples()
    ]


def _hotspots(frames: Frames, hotspots: list[dict[str, Any]], domains: list[str], top: int) -> list[dict[str, Any]]:
    buurt_of = frames.addresses.set_index("address_id")["buurt_code"] if not frames.addresses.empty else {}
    out = []
    for rank, h in enumerate(hotspots, start=1):
        dom = h.get("domain")
        if domains and isinstance(dom, str) and dom not in domains and dom != UNKNOWN_DOMAIN:
            continue
        fen, reason = fenomeen_of(h)
        level, key = str(h.get("level") or ""), str(h.get("key") or "")
        item = {k: v for k, v in h.items() if k != "evidence" and isinstance(v, str | int | float | bool | None)}
        item.update({"rank": rank, "level": level, "key": key, "fenomeen_advice": fen, "fenomeen_reason": reason})
        if level == "buurt":
            item["buurt_code"] = key
        elif level == "address":
            item["address_id"] = key
            item["buurt_code"] = buurt_of.get(key) if hasattr(buurt_of, "get") else None
        out.append(item)
    top_items = out[:top]
    return top_items + [h for h in out[top:] if h["fenomeen_advice"]]


def _flags(frames: Frames, new: pd.DataFrame, flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    persons = frames.signal_persons.merge(new[["signal_id"]], on="signal_id")
    by_person = persons.groupby("person_id")["signal_id"].agg(lambda s: sorted(set(s)))
    by_address = new.dropna(subset=["address_id"]).groupby("address_id")["signal_id"].agg(lambda s: sorted(set(s)))
    biz_addr = frames.businesses.set_index("business_id")["address_id"] if not frames.businesses.empty else {}
    out = []
    for f in flags:
        st, sid = f.get("subject_type"), str(f.get("subject_id"))
        if st == "person":
            sigs = by_person.get(sid, [])
        elif st == "address":
            sigs = by_address.get(sid, [])
        elif st == "business":
            sigs = by_address.get(biz_addr.get(sid), []) if hasattr(biz_addr, "get") else []
        else:
            sigs = []
        if not len(sigs):
            continue
        names = indicator_names(f)
        out.append({"subject_type": st, "subject_id": sid, "score": f.get("score"), "indicators": names,
                    "signal_ids": list(sigs)})
    return sorted(out, key=lambda x: (-(x["score"] or 0), x["subject_type"], x["subject_id"]))


# ----------------------------------------------------------------------------------------------- render
_DIRECTION = {"opschalen": "▲ opschalen", "afschalen": "▼ afschalen", "handhaven": "= handhaven"}


def render(agenda: Agenda, fmt: str) -> str:
    """The agenda as ``md``, ``html`` (self-contained, Dutch) or ``json``."""
    if fmt == "json":
        return json.dumps(agenda.to_dict(), ensure_ascii=False, indent=2, default=str)
    if fmt == "md":
        return _markdown(agenda.to_dict())
    if fmt == "html":
        return _html(agenda.to_dict())
    raise ValueError(f"onbekend formaat {fmt!r}; kies uit {', '.join(FORMATS)}")


def _sections(d: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]], str]]:
    """(title, header, rows, empty text) per agenda item, shared by Markdown and HTML."""
    ns = d["new_signals"]
    return [
        (f"1. Nieuwe meldingen per buurt ({min(15, len(ns['by_buurt']))} van {len(ns['by_buurt'])} buurten)",
         ["Buurt", "Aantal", "Categorieën"],
         [[f"{b['buurt_name'] or ''} ({b['buurt_code'] or 'onbekend'})".strip(), str(b["count"]),
           ", ".join(f"{k} ({v})" for k, v in list(b["categories"].items())[:4])] for b in ns["by_buurt"][:15]],
         "Geen nieuwe meldingen."),
        ("2. Nieuwe meldingen bij lopende casussen", ["Casus", "Melding", "Datum", "Categorie", "Adres"],
         [[a["case_id"], a["signal_id"], a["reported_at"] or "", a["category"] or "", a["address_id"] or ""]
          for a in ns["at_cases"]],
         "Geen nieuwe meldingen bij lopende casussen."),
        ("3. Casussen voor besluit (advies escalatieladder)", ["Casus", "Fase", "Advies", "Criteria", "Toelichting"],
         [[f"{c['case_id']} {c['title']}".strip(), c["phase"],
           f"{_DIRECTION[c['direction']]} → {c['to_phase']}" + ("" if c["ready"] else " (vragen open)"),
           "; ".join(m["text"] for m in c["criteria_met"]), _explain(c)] for c in d["cases"]],
         "Geen casussen met een advies om op of af te schalen."),
        ("4. Verlopen afspraken (matrix)", ["Casus", "Afspraak", "Eigenaar", "Vervaldatum", "Dagen over"],
         [[a["case_id"], f"{a['agreement_id']}: {a['what']}", a["owner_name"] or a["owner"] or "",
           a["due_date"] or "", str(a["days_overdue"])] for a in d["overdue_agreements"]],
         "Geen verlopen afspraken."),
        ("5. Terugkerende hotspots", ["#", "Niveau", "Plaats", "Fenomeenadvies", "Toelichting"],
         [[str(h["rank"]), h["level"], h["key"], "ja – fenomeenaanpak" if h["fenomeen_advice"] else "nee",
           h["fenomeen_reason"]] for h in d["hotspots"]],
         "Geen hotspots (of de hotspotanalyse is niet uitgevoerd)."),
        ("6. Nieuwe indicatorsignalen", ["Subject", "Score", "Indicatoren", "Nieuwe meldingen"],
         [[f"{f['subject_type']} {f['subject_id']}", "" if f["score"] is None else f"{float(f['score']):.2f}",
           ", ".join(map(str, f["indicators"])), ", ".join(f["signal_ids"][:5])] for f in d["indicator_flags"]],
         "Geen nieuwe indicatorsignalen in de domeinen van dit overleg."),
    ] + [(s["title"], s["header"], s["rows"], s["empty"]) for s in d.get("extra_sections", [])]


def _explain(c: dict[str, Any]) -> str:
    """Why this direction: only the evidence of the criteria that carry it (a case advised up is never
    explained by the 'quiet' rule that also fired), plus criteria recorded on the case."""
    parts = [e["text"] for e in supporting_evidence(c)]
    parts += [f"Vastgelegd: {m['text']}" for m in c["criteria_met"] if m.get("source") == "vastgelegd"]
    if c["open_questions"]:
        parts.append("Nog te beantwoorden: " + " ".join(q["text"] for q in c["open_questions"]))
    if c["decided_by"]:
        parts.append(f"Besluit door: {c['decided_by']}.")
    return " ".join(parts)


def _intro(d: dict[str, Any]) -> list[str]:
    return [
        f"Datum: {d['date']} · vorig overleg: {d['since']} ({d['interval_days']} dagen) · ladder: {d['ladder']}",
        f"Deelnemers: {d['participants'] or '-'} · domeinen: {', '.join(d['domains']) or 'alle'}",
        f"Nieuwe meldingen sinds het vorige overleg: {d['new_signals']['total']}",
        "Signalen zijn aanleiding voor bespreking, geen oordeel; besluiten worden door de deelnemers vastgelegd.",
    ]


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(d: dict[str, Any]) -> str:
    lines = [f"# Agenda {d['name']} – {d['date']}", ""]
    lines += [f"- {line}" for line in _intro(d)] + [""]
    for title, header, rows, empty in _sections(d):
        lines += [f"## {title}", ""]
        if not rows:
            lines += [f"_{empty}_", ""]
            continue
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows] + [""]
    if d["notes"]:
        lines += ["## Opmerkingen", ""] + [f"- {n}" for n in d["notes"]] + [""]
    return "\n".join(lines)


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem;color:#222;max-width:75rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.8rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}.leeg{color:#666;font-style:italic}
.intro{color:#444}.fen{background:#fde0dd}
@media print{body{margin:0}}
"""


def _html(d: dict[str, Any]) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="nl">', "<head>", '<meta charset="utf-8">',
        f"<title>Agenda {e(d['name'])} {e(d['date'])}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>Agenda {e(d['name'])} – {e(d['date'])}</h1>", '<ul class="intro">',
        *[f"<li>{e(line)}</li>" for line in _intro(d)], "</ul>",
    ]
    for title, header, rows, empty in _sections(d):
        parts.append(f"<h2>{e(title)}</h2>")
        if not rows:
            parts.append(f'<p class="leeg">{e(empty)}</p>')
            continue
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr></thead><tbody>")
        for row in rows:
            cls = ' class="fen"' if title.startswith("5.") and row[3].startswith("ja") else ""
            parts.append(f"<tr{cls}>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>")
        parts.append("</tbody></table>")
    if d["notes"]:
        parts += ["<h2>Opmerkingen</h2>", "<ul>", *[f"<li>{e(n)}</li>" for n in d["notes"]], "</ul>"]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
