"""The youth-group analysis for the risicojongeren overleg: detect, compare, explain.

:func:`analyse_groups` is what ``netwerk groups`` prints: a list of groups (detected groups, registered
groups that fell apart, small components and loose youths), each with members, the registered group it
matches, suggested additions with the signals that link them, key persons with their role, links to
adults in ondermijning/drugs signals, and a classification *hint* — every item with evidence, in Dutch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netwerk.frames import Frames
from netwerk.youth.communities import GroupDetection, detect_groups, prune_weak_members
from netwerk.youth.compare import joint_signals, match_groups, registered_groups
from netwerk.youth.network import EDGE_TYPES, involvements, youth_network
from netwerk.youth.roles import (
    Centrality,
    centrality,
    flagged_ids,
    is_criminal_signal,
    member_roles,
    youth_adult_links,
)

__all__ = ["HINT_NOTE", "GroupAnalysis", "analyse_groups", "classification_hint", "run_analysis"]

HINT_NOTE = (
    "Dit is een hint voor professionals op basis van de soorten meldingen, geen oordeel; de groepsscan "
    "van de politie en het gesprek in het overleg zijn leidend."
)
_NUISANCE = r"intimidatie|agressie|geweld|vernieling|bedreiging|vuurwerk|drugsoverlast|straatroof|wapen|vecht|mishandel"
_ROLE_TEXT = {
    "kern": "kern van de groep (hoogste k-core)",
    "brug": "brug naar andere groepen (hoge tussenliggendheid)",
    "periferie": "rand van de groep",
}
_MAX_EVIDENCE = 5
#: A group member shares at least this many signals (or registered groups) with the rest of its group.
MIN_TIES = 2


@dataclass(frozen=True)
class GroupAnalysis:
    """Everything behind one run: the graph, the detection, the centralities, member roles, adult
    links and the JSON-ready ``groups`` list."""

    graph: nx.Graph
    detection: GroupDetection
    centrality: Centrality
    roles: pd.DataFrame
    adult_links: pd.DataFrame
    groups: list[dict[str, Any]]


def classification_hint(signals: pd.DataFrame) -> tuple[str, str, dict[str, int]]:
    """A hint in the spirit of the old shortlist from a group's signals (one row per signal).

    Counted: *criminal* signals (ondermijning domain or drugs categories, see
    :func:`~netwerk.youth.roles.is_criminal_signal`) and *nuisance* signals (intimidation, aggression,
    violence, fights, vandalism, drugs nuisance in category or description). ``crimineel`` when at
    least 2 criminal signals, or 1 together with 2 nuisance signals; ``overlastgevend`` when at least
    2 nuisance signals (or 25 %) or any criminal signal; else ``hinderlijk``. Returns
    ``(hint, Dutch reason, counts)``.

    Examples
    --------
    >>> s = pd.DataFrame({"category": ["Overlast"] * 3, "subcategory": ["Jongerenoverlast"] * 3,
    ...                   "domain": ["jeugd"] * 3, "description": ["", "Vechtpartij", "Vechtpartij"]})
    >>> classification_hint(s)[0]
    'overlastgevend'
    """
    n = len(signals)
    crim = int(is_criminal_signal(signals).sum()) if n else 0
    text = (
        signals["category"].fillna("").astype(str) + " " + signals["subcategory"].fillna("").astype(str) + " "
        + (signals["description"].fillna("").astype(str) if "description" in signals else "")
    )
    nuis = int(text.str.contains(_NUISANCE, flags=re.I, regex=True).sum()) if n else 0
    domains = {str(k): int(v) for k, v in signals["domain"].fillna("onbekend").value_counts().sort_index().items()}
    counts = {"signals": n, "criminal": crim, "nuisance": nuis, **{f"domain_{k}": v for k, v in domains.items()}}
    found = f"{crim} van {n} meldingen gaan over ondermijning of drugs, {nuis} over intimidatie, geweld, " \
        "vechtpartijen, vernieling of drugsoverlast"
    if crim >= 2 or (crim >= 1 and nuis >= 2):
        hint = "crimineel"
    elif nuis >= 2 or (n and nuis >= 0.25 * n) or crim >= 1:
        hint = "overlastgevend"
    else:
        hint = "hinderlijk"
    why = found if hint != "hinderlijk" else f"de {n} meldingen gaan vooral over lichtere overlast ({found})"
    return hint, f"Hint '{hint}': {why}. {HINT_NOTE}", counts


def _signal_refs(js: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "signal_id": r.signal_id, "date": r.reported_at.strftime("%Y-%m-%d"),
            "category": r.subcategory if isinstance(r.subcategory, str) else r.category, "persons": r.persons,
        }
        for r in js.head(_MAX_EVIDENCE).itertuples()
    ]


def run_analysis(
    frames: Frames,
    *,
    since: str | None = None,
    until: str | None = None,
    min_age: int = 12,
    max_age: int = 24,
    half_life_days: float = 180.0,
    edge_types: Iterable[str] = EDGE_TYPES,
    resolution: float = 1.0,
    seed: int = 42,
    min_size: int = 3,
    method: str = "leiden",
    flagged_persons: Iterable[str] | pd.DataFrame | None = None,
) -> GroupAnalysis:
    """Run the whole youth-group analysis; see :func:`analyse_groups` for the parameters."""
    graph = youth_network(
        frames, since=since, until=until, min_age=min_age, max_age=max_age, half_life_days=half_life_days,
        edge_types=edge_types,
    )
    det = detect_groups(graph, resolution=resolution, seed=seed, min_size=min_size, method=method)
    det = prune_weak_members(graph, det, _incidence(frames, graph), min_ties=MIN_TIES)
    cent = centrality(graph, seed=seed)
    roles = member_roles(graph, det, cent)
    flagged = flagged_ids(flagged_persons)
    links = youth_adult_links(frames, flagged, since=since, until=until, min_age=min_age, max_age=max_age)
    groups = _report(frames, graph, det, cent, roles, links, flagged)
    return GroupAnalysis(graph, det, cent, roles, links, groups)


def _incidence(frames: Frames, graph: nx.Graph) -> pd.DataFrame:
    """Signals and registered youth groups per youth: the events that tie members to a group."""
    inv = graph.graph["involvements"][["person_id", "signal_id"]].rename(columns={"signal_id": "event_id"})
    gm = frames.group_members[["person_id", "group_id"]].dropna()
    gm = gm.assign(event_id="group:" + gm["group_id"].astype(str))[["person_id", "event_id"]]
    return pd.concat([inv, gm], ignore_index=True)


def analyse_groups(
    frames: Frames,
    *,
    since: str | None = None,
    until: str | None = None,
    min_age: int = 12,
    max_age: int = 24,
    half_life_days: float = 180.0,
    edge_types: Iterable[str] = EDGE_TYPES,
    resolution: float = 1.0,
    seed: int = 42,
    min_size: int = 3,
    method: str = "leiden",
    flagged_persons: Iterable[str] | pd.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """Youth groups of a period, compared with the registered groups, with roles, risks and evidence.

    Parameters
    ----------
    frames : Frames
    since, until, min_age, max_age, half_life_days, edge_types
        The youth network (see :func:`~netwerk.youth.network.youth_network`).
    resolution, seed, min_size, method
        Group detection (see :func:`~netwerk.youth.communities.detect_groups`).
    flagged_persons : set of str or DataFrame with ``person_id``, optional
        Adults flagged elsewhere (e.g. by ``netwerk.indicators``); links to them count as risk next to
        links to adults in ondermijning/drugs signals.

    Returns
    -------
    list of dict
        One entry per group with ``group_id, status`` (``active``: matches a registered group;
        ``emerging``: found but not registered; ``fallen_apart``: registered, no longer found;
        ``small_component``; ``loose``: isolated youths), ``status_text``, ``members``, ``size``,
        ``registered_group``, ``overlap`` (Jaccard with the registered group), ``suggested_additions``,
        ``inactive_registered_members``, ``classification_hint``, ``classification_reason``,
        ``key_persons``, ``adult_links``, ``modularity``, ``group_modularity``, ``evidence`` and more.

    Examples
    --------
    >>> from netwerk.frames import Frames
    >>> sig = pd.DataFrame({"signal_id": ["s1", "s2"], "reported_at": ["2025-01-01", "2025-02-01"],
    ...                     "category": ["Overlast"] * 2, "subcategory": ["Jongerenoverlast"] * 2,
    ...                     "domain": ["jeugd"] * 2})
    >>> sp = pd.DataFrame({"signal_id": ["s1"] * 3 + ["s2"] * 3, "person_id": list("abcabc"),
    ...                    "role": ["betrokkene"] * 6})
    >>> f = Frames.from_tables({"signals": sig, "signal_persons": sp,
    ...     "persons": pd.DataFrame({"person_id": list("abc"), "birth_year": [2008, 2009, 2010]})})
    >>> [(g["group_id"], g["status"], g["members"], g["classification_hint"]) for g in analyse_groups(f)]
    [('G1', 'emerging', ['a', 'b', 'c'], 'hinderlijk')]
    """
    return run_analysis(
        frames, since=since, until=until, min_age=min_age, max_age=max_age, half_life_days=half_life_days,
        edge_types=edge_types, resolution=resolution, seed=seed, min_size=min_size, method=method,
        flagged_persons=flagged_persons,
    ).groups


def _report(
    frames: Frames,
    graph: nx.Graph,
    det: GroupDetection,
    cent: Centrality,
    roles: pd.DataFrame,
    links: pd.DataFrame,
    flagged: set[str],
) -> list[dict[str, Any]]:
    inv: pd.DataFrame = graph.graph["involvements"]
    start, end = graph.graph["start"], graph.graph["end"]
    per = {"since": start.strftime("%Y-%m-%d"), "until": end.strftime("%Y-%m-%d")}
    registered = registered_groups(frames)
    names = frames.youth_groups.drop_duplicates("group_id").set_index("group_id")
    matches, gone = match_groups(det.groups, registered)
    active = set(graph.nodes)
    role_of = roles.set_index("person_id")
    ages = dict(graph.nodes(data="age"))
    sig_rows = inv.drop_duplicates("signal_id").set_index("signal_id")
    out: list[dict[str, Any]] = []
    for i, (members, m) in enumerate(zip(det.groups, matches, strict=True)):
        gid = det.group_id(i)
        mset = set(members)
        reg_members = set(registered.get(m.registered, ())) if m.registered else set()
        js = joint_signals(inv, mset)
        group_sigs = sig_rows.loc[sorted(set(inv.loc[inv["person_id"].isin(mset), "signal_id"]))]
        hint, hint_reason, hint_counts = classification_hint(group_sigs)
        additions = []
        for p in sorted(mset - reg_members) if m.registered else []:
            pj = js[js["persons"].map(lambda ps, p=p: p in ps)]
            additions.append(
                {
                    "person_id": p, "age": _int(ages.get(p)), "signals": _signal_refs(pj),
                    "reason": f"{len(pj)} gezamenlijke melding(en) met leden van {gid}, niet geregistreerd als lid "
                    f"van {m.registered}",
                }
            )
        inactive = sorted(reg_members - active)
        elsewhere = sorted((reg_members & active) - mset)
        keys = _key_persons(role_of, members)
        glinks = links[links["youth"].isin(mset)]
        adult_links = [
            {"youth": r.youth, "adult": r.adult, "signal_id": r.signal_id,
             "date": r.reported_at.strftime("%Y-%m-%d"), "evidence": r.evidence}
            for r in glinks.head(20).itertuples()
        ]
        status = "active" if m.registered else "emerging"
        evidence = [
            f"{len(js)} meldingen met minstens twee leden samen in {per['since']} t/m {per['until']}"
            + (f" (laatste {js['reported_at'].iloc[0]:%Y-%m-%d})" if len(js) else ""),
            hint_reason,
        ]
        if m.registered:
            reg_name = _name(names, m.registered)
            status_text = (
                f"Komt overeen met geregistreerde groep {m.registered}{reg_name} "
                f"({m.shared} gedeelde leden, overlap {m.jaccard:.2f})."
            )
            if additions:
                evidence.append(f"{len(additions)} jongere(n) gevonden die niet als lid geregistreerd zijn.")
            if inactive:
                evidence.append(f"{len(inactive)} geregistreerde le(e)d(en) zonder recente betrokkenheid.")
        else:
            status_text = "Nieuwe groep: gevonden in de meldingen maar (nog) door niemand geregistreerd."
        if glinks["youth"].nunique():
            evidence.append(
                f"{glinks['youth'].nunique()} lid/leden samen in meldingen met "
                f"{glinks['adult'].nunique()} volwassene(n) uit ondermijnings-/drugsmeldingen of gemarkeerd: "
                "risico op afglijden naar criminele netwerken."
            )
        out.append(
            {
                "group_id": gid, "status": status, "status_text": status_text, "members": list(members),
                "size": len(members), "registered_group": m.registered,
                "registered_classification": _field(names, m.registered, "classification"),
                "overlap": round(m.jaccard, 4), "shared_members": m.shared,
                "other_registered_overlaps": [
                    {"group_id": rid, "shared": k, "jaccard": round(j, 4)} for rid, k, j in m.overlaps[1:]
                ],
                "suggested_additions": additions, "inactive_registered_members": inactive,
                "registered_members_elsewhere": elsewhere,
                "classification_hint": hint, "classification_reason": hint_reason,
                "classification_counts": hint_counts, "key_persons": keys, "adult_links": adult_links,
                "risk_persons": _risk_persons(glinks, flagged),
                "modularity": round(det.modularity, 6), "group_modularity": round(det.group_modularity[i], 6),
                "internal_signals": _signal_refs(js), "period": per, "evidence": evidence,
            }
        )
    for rid in gone:
        reg = registered[rid]
        if not reg:
            continue
        now_active = sorted(set(reg) & active)
        spread = sorted({det.group_id(det.membership[p]) for p in now_active if p in det.membership})
        best = max(((det.group_id(i), len(set(reg) & set(g))) for i, g in enumerate(det.groups)),
                   key=lambda t: t[1], default=(None, 0))
        js_all = joint_signals(involvements(frames, pd.Timestamp.min, end), reg)
        last = f"{js_all['reported_at'].iloc[0]:%Y-%m-%d}" if len(js_all) else None
        out.append(
            {
                "group_id": f"R-{rid}", "status": "fallen_apart",
                "status_text": f"Geregistreerde groep {rid}{_name(names, rid)} is in deze periode niet (meer) als "
                "groep terug te vinden.",
                "members": list(reg), "size": len(reg), "registered_group": rid,
                "registered_classification": _field(names, rid, "classification"),
                "overlap": round(max((o[2] for m in matches for o in m.overlaps if o[0] == rid), default=0.0), 4),
                "suggested_additions": [], "inactive_registered_members": sorted(set(reg) - active),
                "registered_members_elsewhere": now_active, "classification_hint": None,
                "classification_reason": None, "key_persons": [], "adult_links": [], "risk_persons": [],
                "modularity": round(det.modularity, 6), "now_in_groups": spread, "last_joint_signal": last,
                "internal_signals": [], "period": per,
                "evidence": [
                    f"{len(now_active)} van {len(reg)} leden hebben recente meldingen"
                    + (f", verspreid over {', '.join(spread)}" if spread else "")
                    + (f" (meeste in {best[0]}: {best[1]})" if best[1] else "") + ".",
                    f"Laatste melding met minstens twee leden samen: {last or 'geen'}.",
                ],
            }
        )
    for k, comp in enumerate(det.small_components):
        js = joint_signals(inv, comp)
        out.append(
            _small(f"K{k + 1}", "small_component", list(comp), det, per,
                   f"Kleine losse component van {len(comp)} jongeren (te klein voor een groep).",
                   [f"{len(js)} gezamenlijke melding(en)."], _signal_refs(js))
        )
    loose = sorted(set(det.isolated) | set(det.loose), key=str)
    if loose:
        out.append(
            _small("LOS", "loose", loose, det, per,
                   "Losse jongeren: wel meldingen, maar geen (of te weinig) verbindingen met anderen om bij een "
                   "groep te horen.",
                   [f"{len(det.isolated)} zonder enige verbinding, {len(det.loose)} aan de rand van een netwerk."],
                   [])
        )
    return out


def _small(
    gid: str, status: str, members: list[str], det: GroupDetection, per: dict[str, str], text: str,
    evidence: list[str], signals: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "group_id": gid, "status": status, "status_text": text, "members": members, "size": len(members),
        "registered_group": None, "overlap": 0.0, "suggested_additions": [], "inactive_registered_members": [],
        "classification_hint": None, "classification_reason": None, "key_persons": [], "adult_links": [],
        "risk_persons": [], "modularity": round(det.modularity, 6), "internal_signals": signals, "period": per,
        "evidence": evidence,
    }


def _key_persons(role_of: pd.DataFrame, members: tuple[str, ...], top: int = 5) -> list[dict[str, Any]]:
    df = role_of.loc[[str(p) for p in members]].reset_index()
    rank = df["role"].map({"brug": 0, "kern": 1, "periferie": 2})
    df = df.assign(rank=rank).sort_values(["rank", "betweenness", "degree", "person_id"],
                                          ascending=[True, False, False, True]).head(top)
    return [
        {
            "person_id": r.person_id, "role": r.role, "degree": int(r.degree),
            "betweenness": round(float(r.betweenness), 6), "core": int(r.core), "other_groups": int(r.other_groups),
            "reason": f"{_ROLE_TEXT[r.role]}: {int(r.degree)} verbindingen, k-core {int(r.core)}"
            + (f", verbonden met {int(r.other_groups)} andere groep(en)" if r.other_groups else ""),
        }
        for r in df.itertuples()
    ]


def _risk_persons(glinks: pd.DataFrame, flagged: set[str]) -> list[dict[str, Any]]:
    out = []
    for youth, rows in glinks.groupby("youth", sort=True):
        adults = sorted(rows["adult"].unique())
        out.append(
            {
                "person_id": youth, "adults": adults, "signals": sorted(rows["signal_id"].unique().tolist()),
                "reason": f"samen in {rows['signal_id'].nunique()} melding(en) met {len(adults)} volwassene(n) "
                "betrokken bij ondermijning/drugs" + (" of gemarkeerd" if flagged & set(adults) else "")
                + ": risico op afglijden, bespreken in het overleg.",
            }
        )
    return out


def _name(names: pd.DataFrame, rid: str) -> str:
    n = _field(names, rid, "name")
    return f" ({n})" if n else ""


def _field(names: pd.DataFrame, rid: str | None, col: str) -> str | None:
    if rid is None or rid not in names.index or col not in names.columns:
        return None
    v = names.at[rid, col]
    return str(v) if isinstance(v, str) and v else None


def _int(x: Any) -> int | None:
    return int(x) if x is not None and not (isinstance(x, float) and np.isnan(x)) else None
