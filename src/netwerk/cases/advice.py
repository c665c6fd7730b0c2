"""Escalation advice: rules over the graph that suggest scaling a case up or down the ladder.

The rules are plain functions over :class:`~netwerk.frames.Frames`, the case matrix/timeline
(:class:`~netwerk.cases.ops.CaseFrames`) and, optionally, precomputed hotspots and indicator flags. Each
rule yields, per case, a :class:`RuleHit` with a Dutch text and its evidence (ids). The ladder maps rules
to its criteria; :func:`advise` combines rule hits with the criteria recorded on the case into an
:class:`Advice`. Advice is never applied: a person records the decision (``netwerk cases escalate``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from netwerk.cases.ladder import Ladder
from netwerk.cases.ops import CaseFrames, phase_of
from netwerk.frames import Frames

__all__ = [
    "RULES",
    "Advice",
    "RuleHit",
    "advise",
    "as_of_day",
    "as_records",
    "case_signals",
    "fenomeen_of",
    "indicator_names",
    "json_safe",
    "open_cases",
    "reference_day",
    "rule_hits",
    "supporting_evidence",
]

#: The rules (ids used in the ladder YAML) with their Dutch description.
RULES: dict[str, str] = {
    "stagnation": "Stagnatie: afspraken in de matrix staan nog open na de vervaldatum.",
    "new_signals": "Nieuwe meldingen op adressen of over personen van de casus sinds de opening of het laatste "
                   "fasebesluit.",
    "several_domains": "Meerdere domeinen (zorg, woon, jeugd, openbare orde, ondermijning) in de meldingen van "
                       "de casus.",
    "victims_perpetrators": "Meerdere verdachten en/of slachtoffers in de meldingen van de casus.",
    "hotspot": "Een adres of buurt van de casus is een terugkerende hotspot.",
    "fenomeen_hotspot": "Een adres of buurt van de casus ligt in een hotspot met advies voor een fenomeenaanpak.",
    "indicator_flags": "Indicatorvlaggen bij personen of adressen van de casus.",
    "quiet": "Rust: geen nieuwe meldingen en geen verlopen afspraken in de afgelopen periode.",
}

_PERP_VICTIM_ROLES = ("verdachte", "slachtoffer")


def supporting_evidence(advice: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The evidence items of an advice dict whose rule carries one of its met criteria."""
    rules = {r for m in advice.get("criteria_met", []) for r in m.get("rules", [])}
    return [dict(e) for e in advice.get("evidence", []) if e.get("rule") in rules]


@dataclass(frozen=True)
class RuleHit:
    """One rule firing for one case.

    Attributes
    ----------
    rule : str
        Rule id (key of :data:`RULES`).
    case_id : str
        The case.
    text : str
        Dutch explanation with the numbers.
    evidence : dict
        Ids behind the hit (signal_ids, agreement ids, address ids, buurt codes, person pseudonyms).
    """

    rule: str
    case_id: str
    text: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "text": self.text, **self.evidence}


@dataclass(frozen=True)
class Advice:
    """Escalation advice for one case (a suggestion; a person decides).

    Attributes
    ----------
    case_id, title : str
        The case.
    phase : str
        Current phase id.
    direction : str
        ``opschalen``, ``afschalen`` or ``handhaven``.
    to_phase : str or None
        Suggested phase (None when ``handhaven``).
    ready : bool
        For ``opschalen``: every question the ladder requires is answered yes (recorded or detected).
    criteria_met : tuple of dict
        The ladder criteria met (``id``, ``text``, ``source`` = ``regel``/``vastgelegd``, ``rules``).
    open_questions : tuple of dict
        Required criteria not yet met (``id``, ``text``).
    blocked_by : tuple of dict
        Criteria that hold back scaling down.
    evidence : tuple of dict
        The rule hits for this case (``rule``, ``text`` and ids).
    decided_by : str
        Who decides according to the ladder (empty when it does not say).
    text : str
        The advice in Dutch.
    """

    case_id: str
    title: str
    phase: str
    direction: str
    to_phase: str | None
    ready: bool
    criteria_met: tuple[dict[str, Any], ...]
    open_questions: tuple[dict[str, Any], ...]
    blocked_by: tuple[dict[str, Any], ...]
    evidence: tuple[dict[str, Any], ...]
    decided_by: str
    text: str

    def supporting(self) -> list[dict[str, Any]]:
        """The evidence of the rules behind the advised direction (not every rule that fired: a case advised
        up is not explained by the 'quiet' rule)."""
        return supporting_evidence(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        return json_safe({
            "case_id": self.case_id, "title": self.title, "phase": self.phase, "direction": self.direction,
            "to_phase": self.to_phase, "ready": self.ready, "criteria_met": list(self.criteria_met),
            "open_questions": list(self.open_questions), "blocked_by": list(self.blocked_by),
            "evidence": list(self.evidence), "decided_by": self.decided_by, "text": self.text,
        })


def json_safe(value: Any) -> Any:
    """``value`` with NaN/NaT/NA replaced by None and numpy/pandas scalars by Python ones (valid JSON)."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if value is None or isinstance(value, str | bool):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value.item() if hasattr(value, "item") else value


def as_records(items: Any) -> list[dict[str, Any]]:
    """Hotspots/flags as plain dicts: accepts objects with ``to_dict()``, dicts, or a DataFrame."""
    if items is None:
        return []
    if isinstance(items, pd.DataFrame):
        return items.to_dict("records")
    out = []
    for it in items:
        out.append(it.to_dict() if hasattr(it, "to_dict") else dict(it))
    return out


def reference_day(frames: Frames, cf: CaseFrames) -> pd.Timestamp:
    """The 'today' of advice and agendas: the latest date among signals, case openings and decisions."""
    dates = [frames.reference_date, frames.cases["opened_at"].max(), cf.phase_changes["date"].max(),
             cf.agreements["created_at"].max()]
    return max(pd.Timestamp(d) for d in dates if not pd.isna(d)).normalize()


def as_of_day(frames: Frames, cf: CaseFrames, as_of: str | pd.Timestamp | None) -> pd.Timestamp:
    if as_of is None:
        return reference_day(frames, cf)
    try:
        return pd.Timestamp(as_of).normalize()
    except ValueError as exc:
        raise ValueError(f"ongeldige datum {as_of!r} (gebruik JJJJ-MM-DD)") from exc


def open_cases(frames: Frames, cf: CaseFrames, ladder: Ladder, as_of: pd.Timestamp) -> pd.DataFrame:
    """Cases open on ``as_of`` on a ladder phase, with ``since``: the opening or the last phase decision.

    Columns: case_id, title, phase, opened_at, domain, criteria (list), since.
    """
    c = frames.cases.copy()
    c["phase"] = [phase_of(ladder, p) for p in c["phase"]]
    c = c[(c["opened_at"].isna() | (c["opened_at"] <= as_of)) & c["phase"].isin(ladder.phase_ids)]
    c = c[c["closed_at"].isna() | (c["closed_at"] > as_of)]
    crit = c["criteria"] if "criteria" in c.columns else pd.Series([None] * len(c), index=c.index)
    c["criteria"] = [[x for x in str(v).split(",") if x] if isinstance(v, str) else [] for v in crit]
    pc = cf.phase_changes
    last = pc[pc["date"] <= as_of].groupby("case_id")["date"].max()
    c = c.merge(last.rename("last_change"), left_on="case_id", right_index=True, how="left")
    last_change = pd.to_datetime(c["last_change"]).astype("datetime64[ns]")
    opened = pd.to_datetime(c["opened_at"]).astype("datetime64[ns]")
    c["since"] = opened.where(last_change.isna() | (opened >= last_change), last_change)
    cols = ["case_id", "title", "phase", "opened_at", "domain", "criteria", "since"]
    return c[cols].reset_index(drop=True)


def case_signals(frames: Frames, cases: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Signals related to each case up to ``as_of``: its own (BASED_ON), at its addresses, involving its persons.

    Columns: case_id, signal_id, via (``basis``/``adres``/``persoon``), reported_at, domain, address_id,
    buurt_code, based_on (bool). One row per (case, signal); ``via`` lists every route joined with ``+``.
    """
    links = frames.case_links[frames.case_links["case_id"].isin(cases["case_id"])]
    parts = [
        links[links["kind"] == "signal"][["case_id", "ref_id"]].rename(columns={"ref_id": "signal_id"})
        .assign(via="basis"),
        links[links["kind"] == "address"][["case_id", "ref_id"]].rename(columns={"ref_id": "address_id"})
        .merge(frames.signals[["signal_id", "address_id"]], on="address_id")[["case_id", "signal_id"]]
        .assign(via="adres"),
        links[links["kind"] == "person"][["case_id", "ref_id"]].rename(columns={"ref_id": "person_id"})
        .merge(frames.signal_persons[["signal_id", "person_id"]], on="person_id")[["case_id", "signal_id"]]
        .assign(via="persoon"),
    ]
    rel = pd.concat(parts, ignore_index=True)
    rel = rel.groupby(["case_id", "signal_id"], as_index=False)["via"].agg(lambda v: "+".join(sorted(set(v))))
    sig = frames.signals[["signal_id", "reported_at", "domain", "address_id", "buurt_code", "category"]]
    rel = rel.merge(sig, on="signal_id", how="inner")
    rel = rel[rel["reported_at"].isna() | (rel["reported_at"] < as_of + pd.Timedelta(days=1))]
    rel["based_on"] = rel["via"].str.contains("basis")
    return rel.sort_values(["case_id", "reported_at", "signal_id"]).reset_index(drop=True)


def _day(ts: Any) -> str | None:
    return None if pd.isna(ts) else pd.Timestamp(ts).date().isoformat()


def _rule_stagnation(cf: CaseFrames, cases: pd.DataFrame, as_of: pd.Timestamp) -> list[RuleHit]:
    ag = cf.agreements
    late = ag[ag["case_id"].isin(cases["case_id"]) & (ag["status"].fillna("open") == "open")
              & (ag["due_date"] < as_of)].copy()
    late["days_overdue"] = (as_of - late["due_date"]).dt.days
    hits = []
    for case_id, g in late.sort_values(["case_id", "due_date", "agreement_id"]).groupby("case_id", sort=True):
        items = [
            {"agreement_id": r.agreement_id, "what": r.what, "owner": r.owner, "due_date": _day(r.due_date),
             "days_overdue": int(r.days_overdue)}
            for r in g.itertuples()
        ]
        owners = ", ".join(sorted({str(i["owner"]) for i in items}))
        hits.append(RuleHit(
            "stagnation", str(case_id),
            f"{len(items)} afspra{'ak' if len(items) == 1 else 'ken'} over de vervaldatum "
            f"(langst {max(i['days_overdue'] for i in items)} dagen; bij {owners}).",
            {"agreements": items},
        ))
    return hits


def _rule_new_signals(rel: pd.DataFrame, cases: pd.DataFrame, minimum: int) -> list[RuleHit]:
    rel = rel.merge(cases[["case_id", "since"]], on="case_id", how="left")
    new = rel[~rel["based_on"] & (rel["reported_at"] > rel["since"])]
    hits = []
    for case_id, g in new.groupby("case_id", sort=True):
        if len(g) < minimum:
            continue
        start = _day(cases.set_index("case_id").at[case_id, "since"])
        hits.append(RuleHit(
            "new_signals", str(case_id),
            f"{len(g)} nieuwe meldingen sinds {start} (laatste op {_day(g['reported_at'].max())}), "
            f"via {', '.join(sorted(set('+'.join(g['via']).split('+'))))}.",
            {"signal_ids": g["signal_id"].tolist(), "since": start,
             "address_ids": sorted(g["address_id"].dropna().unique().tolist())},
        ))
    return hits


def _rule_several_domains(rel: pd.DataFrame, cases: pd.DataFrame, minimum: int, ignore: Sequence[str]) -> list[RuleHit]:
    dom = pd.concat([
        rel[["case_id", "domain"]],
        cases[["case_id", "domain"]].dropna(),
    ], ignore_index=True)
    dom = dom[dom["domain"].notna() & ~dom["domain"].isin(list(ignore))]
    counts = rel[rel["domain"].notna()].groupby(["case_id", "domain"]).size()
    hits = []
    for case_id, g in dom.groupby("case_id", sort=True):
        domains = sorted(g["domain"].unique().tolist())
        if len(domains) < minimum:
            continue
        per = {d: int(counts.get((case_id, d), 0)) for d in domains}
        hits.append(RuleHit(
            "several_domains", str(case_id),
            f"{len(domains)} domeinen betrokken: " + ", ".join(f"{d} ({n} meldingen)" for d, n in per.items()) + ".",
            {"domains": per},
        ))
    return hits


def _rule_victims_perpetrators(frames: Frames, rel: pd.DataFrame, minimum: int) -> list[RuleHit]:
    sp = frames.signal_persons[frames.signal_persons["role"].isin(_PERP_VICTIM_ROLES)]
    m = rel[["case_id", "signal_id"]].merge(sp, on="signal_id")
    hits = []
    for case_id, g in m.groupby("case_id", sort=True):
        persons = g.drop_duplicates(["person_id", "role"])
        if persons["person_id"].nunique() < minimum:
            continue
        by_role = {r: sorted(x["person_id"].unique().tolist()) for r, x in persons.groupby("role")}
        hits.append(RuleHit(
            "victims_perpetrators", str(case_id),
            f"{persons['person_id'].nunique()} verschillende verdachten/slachtoffers in de meldingen van de casus ("
            + ", ".join(f"{len(v)} {r}" for r, v in by_role.items()) + ").",
            {"persons": by_role, "signal_ids": sorted(g["signal_id"].unique().tolist())},
        ))
    return hits


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, Mapping):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, Iterable):
        return set().union(*(_strings(v) for v in value)) if not isinstance(value, bytes) else set()
    return set()


def fenomeen_of(h: Mapping[str, Any]) -> tuple[bool, str]:
    """(fenomeen advice?, reason) of a hotspot dict; ``fenomeen_advice`` may be a bool, text or dict."""
    adv = h.get("fenomeen_advice")
    if isinstance(adv, Mapping):
        return bool(adv.get("advice")), str(adv.get("reason") or "")
    if isinstance(adv, str):
        return bool(adv.strip()), adv
    return bool(adv), str(h.get("reason") or "")


def _rule_hotspots(
    frames: Frames, rel: pd.DataFrame, cases: pd.DataFrame, hotspots: list[dict[str, Any]]
) -> list[RuleHit]:
    links = frames.case_links
    addr = links[links["kind"] == "address"].groupby("case_id")["ref_id"].agg(set)
    buurt_of = frames.addresses.set_index("address_id")["buurt_code"]
    hits = []
    for case_id in cases["case_id"]:
        a_ids = addr.get(case_id, set())
        s = rel[rel["case_id"] == case_id]
        s_ids = set(s["signal_id"])
        buurten = {buurt_of.get(a) for a in a_ids} | set(s.loc[s["based_on"], "buurt_code"].dropna())
        buurten.discard(None)
        touched: dict[str, list[dict[str, Any]]] = {"hotspot": [], "fenomeen_hotspot": []}
        for h in hotspots:
            level, key = str(h.get("level") or ""), str(h.get("key") or "")
            ids = _strings(h.get("evidence")) | _strings(h.get("addresses")) | {key}
            match = (level == "buurt" and key in buurten) or (level != "buurt" and bool(ids & (a_ids | s_ids)))
            if not match:
                continue
            fen, reason = fenomeen_of(h)
            item = {"level": level, "key": key, "fenomeen_advice": fen}
            if reason:
                item["reason"] = reason
            touched["fenomeen_hotspot" if fen else "hotspot"].append(item)
        for rule, items in touched.items():
            if items:
                where = ", ".join(f"{i['level']} {i['key']}" for i in items[:5])
                label = "hotspot(s) met fenomeenadvies" if rule == "fenomeen_hotspot" else "terugkerende hotspot(s)"
                hits.append(RuleHit(rule, str(case_id), f"{len(items)} {label}: {where}.", {"hotspots": items}))
    return hits


def indicator_names(flag: Mapping[str, Any]) -> list[str]:
    """The indicator names of a ranked subject (``indicators`` as dicts or names) or of a single flag."""
    names = [str(i.get("name", i.get("indicator"))) if isinstance(i, Mapping) else str(i)
             for i in (flag.get("indicators") or [])]
    return names or ([str(flag["indicator"])] if flag.get("indicator") else [])


def _rule_flags(frames: Frames, cases: pd.DataFrame, flags: list[dict[str, Any]], min_score: float) -> list[RuleHit]:
    links = frames.case_links[frames.case_links["case_id"].isin(cases["case_id"])]
    kind = {"person": "person", "address": "address"}
    subj = pd.DataFrame(
        [(f.get("subject_type"), str(f.get("subject_id")), f) for f in flags
         if f.get("subject_type") in kind and float(f.get("score", f.get("strength", 1.0)) or 0) >= min_score],
        columns=["kind", "ref_id", "flag"],
    )
    m = links[["case_id", "kind", "ref_id"]].merge(subj, on=["kind", "ref_id"])
    hits = []
    for case_id, g in m.groupby("case_id", sort=True):
        items = []
        for f in g["flag"]:
            names = indicator_names(f)
            items.append({"subject_type": f["subject_type"], "subject_id": f["subject_id"],
                          "score": f.get("score"), "indicators": names})
        hits.append(RuleHit(
            "indicator_flags", str(case_id),
            f"{len(items)} gemarkeerde subject(en) in de casus: "
            + "; ".join(f"{i['subject_type']} {i['subject_id']} ({', '.join(map(str, i['indicators']))})"
                        for i in items[:5]) + ".",
            {"flags": items},
        ))
    return hits


def _rule_quiet(
    cf: CaseFrames, rel: pd.DataFrame, cases: pd.DataFrame, as_of: pd.Timestamp, days: int
) -> list[RuleHit]:
    start = as_of - pd.Timedelta(days=days)
    recent = set(rel.loc[rel["reported_at"] > start, "case_id"])
    ag = cf.agreements
    late = set(ag.loc[(ag["status"].fillna("open") == "open") & (ag["due_date"] < as_of), "case_id"])
    hits = []
    for r in cases.itertuples():
        if r.case_id in recent or r.case_id in late or pd.isna(r.since) or r.since > start:
            continue
        last = rel.loc[rel["case_id"] == r.case_id, "reported_at"].max()
        hits.append(RuleHit(
            "quiet", str(r.case_id),
            f"Geen nieuwe meldingen en geen verlopen afspraken in de afgelopen {days} dagen "
            f"(laatste melding {_day(last) or 'geen'}, laatste besluit {_day(r.since)}).",
            {"quiet_days": days, "last_signal": _day(last), "since": _day(r.since)},
        ))
    return hits


def rule_hits(
    frames: Frames,
    cf: CaseFrames,
    ladder: Ladder,
    *,
    as_of: str | pd.Timestamp | None = None,
    hotspots: Any = None,
    flags: Any = None,
    case_ids: Sequence[str] | None = None,
) -> list[RuleHit]:
    """Every rule hit for the cases open on ``as_of`` (default: the latest date in the data).

    Parameters
    ----------
    frames : Frames
        The graph.
    cf : CaseFrames
        Agreements and phase changes (:func:`netwerk.cases.case_frames`).
    ladder : Ladder
        Supplies the thresholds (``rules`` section of the YAML).
    as_of : date, optional
        The day of the assessment; overdue and 'recent' are relative to it. Default
        :func:`reference_day`, the latest date in the data (signals, openings, decisions).
    hotspots, flags : list, optional
        Precomputed hotspots (``level``, ``key``, ``fenomeen_advice``, ``evidence``) and indicator flags
        (``subject_type``, ``subject_id``, ``score``, ``indicators``); rules without input do not fire.
    case_ids : list of str, optional
        Restrict to these cases.

    Returns
    -------
    list of RuleHit
        Sorted by case and rule.
    """
    day = as_of_day(frames, cf, as_of)
    cases = open_cases(frames, cf, ladder, day)
    if case_ids is not None:
        cases = cases[cases["case_id"].isin(list(case_ids))]
    rel = case_signals(frames, cases, day)
    r = ladder.rules
    hits = [
        *_rule_stagnation(cf, cases, day),
        *_rule_new_signals(rel, cases, int(r["new_signals_min"])),
        *_rule_several_domains(rel, cases, int(r["several_domains_min"]), list(r["ignore_domains"] or [])),
        *_rule_victims_perpetrators(frames, rel, int(r["victims_perpetrators_min"])),
        *_rule_hotspots(frames, rel, cases, as_records(hotspots)),
        *_rule_flags(frames, cases, as_records(flags), float(r["indicator_min_score"])),
        *_rule_quiet(cf, rel, cases, day, int(r["quiet_days"])),
    ]
    order = list(RULES)
    return sorted(hits, key=lambda h: (h.case_id, order.index(h.rule)))


def advise(
    frames: Frames,
    cf: CaseFrames,
    ladder: Ladder,
    *,
    as_of: str | pd.Timestamp | None = None,
    hotspots: Any = None,
    flags: Any = None,
    case_ids: Sequence[str] | None = None,
) -> list[Advice]:
    """Advice to scale each open case up, down or keep it, with the ladder criteria met and the evidence.

    A criterion of the case's phase is met when one of its rules fires (:func:`rule_hits`) or when it is
    recorded on the case (``Case.criteria``). One met ``up.triggers`` criterion advises ``opschalen``
    (``ready`` when every ``up.required`` question is met too); otherwise the ``down`` criteria (mode
    all/any), unless a ``blocked_by`` criterion is met, advise ``afschalen``; else ``handhaven``.

    Parameters are those of :func:`rule_hits`.

    Returns
    -------
    list of Advice
        One per open case on a ladder phase, sorted by case id.

    Examples
    --------
    >>> import pandas as pd
    >>> from netwerk.cases import CaseFrames, load_ladder
    >>> frames = Frames.from_tables({
    ...     "signals": pd.DataFrame({"signal_id": ["s1"], "reported_at": ["2025-06-01"], "domain": ["zorg"]}),
    ...     "cases": pd.DataFrame({"case_id": ["c1"], "opened_at": ["2025-01-01"], "phase": ["2"]}),
    ... })
    >>> cf = CaseFrames.from_tables(pd.DataFrame({
    ...     "case_id": ["c1"], "agreement_id": ["a1"], "owner": ["politie"], "due_date": ["2025-03-01"],
    ...     "status": ["open"]}))
    >>> a = advise(frames, cf, load_ladder("almelo"))[0]
    >>> a.direction, a.to_phase, [c["id"] for c in a.criteria_met]
    ('opschalen', '3', ['stagnatie'])

    Notes
    -----
    The advice is a signal for professionals: it never changes a phase. Thresholds live in the ladder's
    ``rules`` section; see docs/cases.md for every rule.
    """
    day = as_of_day(frames, cf, as_of)
    cases = open_cases(frames, cf, ladder, day)
    if case_ids is not None:
        unknown = sorted(set(case_ids) - set(frames.cases["case_id"]))
        if unknown:
            raise ValueError(f"onbekende casus(sen): {', '.join(unknown)}")
        cases = cases[cases["case_id"].isin(list(case_ids))]
    hits = rule_hits(frames, cf, ladder, as_of=day, hotspots=hotspots, flags=flags,
                     case_ids=cases["case_id"].tolist())
    by_case: dict[str, list[RuleHit]] = {}
    for h in hits:
        by_case.setdefault(h.case_id, []).append(h)
    return [_advise_case(ladder, r, by_case.get(r.case_id, [])) for r in cases.sort_values("case_id").itertuples()]


def _advise_case(ladder: Ladder, case: Any, hits: list[RuleHit]) -> Advice:
    fired = {h.rule for h in hits}
    recorded = set(case.criteria)
    phase = ladder.phase(case.phase)

    def met(cid: str) -> dict[str, Any] | None:
        c = ladder.criterion(cid)
        rules = sorted(set(c.rules) & fired)
        if cid in recorded:
            return {"id": cid, "text": c.text, "source": "vastgelegd", "rules": rules}
        if rules:
            return {"id": cid, "text": c.text, "source": "regel", "rules": rules}
        return None

    def collect(ids: Iterable[str]) -> list[dict[str, Any]]:
        return [m for m in (met(c) for c in ids) if m]

    up_met, req_met = collect(phase.up_triggers), collect(phase.up_required)
    open_q = [{"id": c, "text": ladder.criterion(c).text} for c in phase.up_required
              if c not in {m["id"] for m in req_met}]
    down_met, blocked = collect(phase.down_criteria), collect(phase.down_blocked_by)
    down_ok = bool(phase.down_criteria) and (
        len(down_met) == len(phase.down_criteria) if phase.down_mode == "all" else bool(down_met))
    up_to = ladder.up(phase.id)
    title = "" if case.title is None or pd.isna(case.title) else str(case.title)
    decided_by = ""
    if up_met and up_to is not None:
        direction, to_phase, criteria = "opschalen", up_to, up_met + req_met
        ready = not open_q
        text = f"Advies: opschalen van {phase.name} naar {ladder.phase(up_to).name}. Voldaan: " + "; ".join(
            m["text"] for m in up_met) + "."
        if phase.up_required:
            text += (" Alle voorwaarden om op te schalen zijn met 'ja' beantwoord." if ready else
                     " Nog te beantwoorden vóór opschalen: " + " ".join(q["text"] for q in open_q))
        if phase.up_text:
            text += f" {phase.up_text}"
        blocked_out: list[dict[str, Any]] = []
    elif down_ok and not blocked:
        to_phase = ladder.down(phase.id)
        direction, criteria, ready = "afschalen", down_met, True
        target = ladder.phase(to_phase).name if to_phase in ladder.phase_ids else to_phase
        text = f"Advies: afschalen van {phase.name} naar {target}. Voldaan: " + "; ".join(
            m["text"] for m in down_met) + "."
        if phase.down_text:
            text += f" {phase.down_text}"
        decided_by = phase.down_decided_by
        blocked_out = []
    else:
        direction, to_phase, ready = "handhaven", None, False
        criteria = req_met + down_met
        text = f"Advies: fase handhaven ({phase.name})."
        if blocked and down_ok:
            text += " Afschalen wordt tegengehouden door: " + "; ".join(m["text"] for m in blocked) + "."
        elif up_met and up_to is None:
            text += " Hoogste fase van de ladder."
        blocked_out = blocked
    text += " Dit is een advies: een persoon legt het besluit vast."
    return Advice(
        case_id=str(case.case_id), title=title, phase=phase.id, direction=direction, to_phase=to_phase,
        ready=ready, criteria_met=tuple(criteria), open_questions=tuple(open_q if direction == "opschalen" else []),
        blocked_by=tuple(blocked_out), evidence=tuple(h.to_dict() for h in hits), decided_by=decided_by, text=text,
    )
