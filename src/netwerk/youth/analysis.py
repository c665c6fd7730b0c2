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
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netwerk.frames import Frames
from netwerk.youth.communities import MIN_JOINT_EVENTS, GroupDetection, detect_groups, prune_weak_members
from netwerk.youth.compare import joint_signals, joint_table, match_groups, person_lists, registered_groups
from netwerk.youth.network import EDGE_TYPES, YouthNetwork, involvements, youth_graph
from netwerk.youth.roles import (
    Centrality,
    flagged_ids,
    is_criminal_signal,
    member_roles,
    on_distinct,
    start_centrality,
    youth_adult_links,
)

__all__ = [
    "GROUP_TABLES",
    "HINT_MIN_COUNT",
    "HINT_MIN_SHARE",
    "HINT_NOTE",
    "MIN_TIES",
    "GroupAnalysis",
    "analyse_groups",
    "classification_hint",
    "run_analysis",
]

#: The frames the group analysis reads (``Frames.from_store(tables=...)``): signals and who was in them, persons,
#: registrations (shared addresses) and the registered groups; no addresses, businesses or cases.
GROUP_TABLES = ("signals", "signal_persons", "persons", "registrations", "youth_groups", "group_members")

HINT_NOTE = (
    "Dit is een hint voor professionals op basis van de soorten meldingen, geen oordeel; de groepsscan "
    "van de politie en het gesprek in het overleg zijn leidend."
)
_NUISANCE = r"intimidatie|agressie|geweld|vernieling|bedreiging|vuurwerk|drugsoverlast|straatroof|wapen|vecht|mishandel"
_ROLE_TEXT = {
    "kern": "kern van de groep (hoogste k-core)",
    "brug": "brug tussen groepen (banden met andere groepen, hoge tussenliggendheid in het hele netwerk)",
    "periferie": "lid aan de rand van de groep",
}
_MAX_EVIDENCE = 5
#: A group member shares at least this many signals (or registered groups) with the rest of its group;
#: youths with fewer stay attached as randfiguur.
MIN_TIES = 2
#: A hint rests on at least this share of the group's signals (``crimineel``: criminal signals;
#: ``overlastgevend``: nuisance and criminal signals together) ...
HINT_MIN_SHARE = 0.2
#: ... and on at least this many signals.
HINT_MIN_COUNT = 2


@dataclass(frozen=True, eq=False)
class GroupAnalysis:
    """Everything behind one run: the network, the detection, the centralities, member roles, adult
    links and the JSON-ready ``groups`` list."""

    network: YouthNetwork
    detection: GroupDetection
    centrality: Centrality
    roles: pd.DataFrame
    adult_links: pd.DataFrame
    groups: list[dict[str, Any]]

    @cached_property
    def graph(self) -> nx.Graph:
        """The network as a networkx graph (built on first use: drawing and Gephi export)."""
        return self.network.to_networkx()

    @property
    def counts(self) -> dict[str, int]:
        """Groups, their members and randfiguren, gatherings, small components and loose youths, counted
        apart (a 2-person component is not a group)."""
        det = self.detection
        return {
            "groepen": len(det.groups),
            "groepsleden": sum(len(g) for g in det.groups),
            "randfiguren": sum(len(p) for p in det.peripheral),
            "groeperingen": len(det.gatherings),
            "jongeren_in_groeperingen": sum(len(g) for g in det.gatherings),
            "kleine_componenten": len(det.small_components),
            "jongeren_in_kleine_componenten": sum(len(c) for c in det.small_components),
            "losse_jongeren": len(det.isolated) + len(det.loose),
            "uiteengevallen_groepen": sum(g["status"] == "fallen_apart" for g in self.groups),
        }


def classification_hint(
    signals: pd.DataFrame, *, min_share: float = HINT_MIN_SHARE, min_count: int = HINT_MIN_COUNT
) -> tuple[str, str, dict[str, int]]:
    """A hint in the spirit of the old shortlist from a group's signals (one row per signal).

    Counted: *criminal* signals (ondermijning domain or drugs categories, see
    :func:`~netwerk.youth.roles.is_criminal_signal`) and *nuisance* signals (intimidation, aggression,
    violence, fights, vandalism, drugs nuisance in category or description). A hint needs both a
    minimum number and a minimum share of the group's signals: ``crimineel`` when at least
    ``min_count`` and ``min_share`` of the signals are criminal; ``overlastgevend`` when criminal and
    nuisance signals together reach ``min_count`` and ``min_share``; else ``hinderlijk``. One criminal
    signal among 19 is not enough for ``crimineel``. Returns ``(hint, Dutch reason, counts)``.

    Examples
    --------
    >>> s = pd.DataFrame({"category": ["Overlast"] * 3, "subcategory": ["Jongerenoverlast"] * 3,
    ...                   "domain": ["jeugd"] * 3, "description": ["", "Vechtpartij", "Vechtpartij"]})
    >>> classification_hint(s)[0]
    'overlastgevend'
    """
    if not 0 <= min_share <= 1:
        raise ValueError(f"minimaal aandeel moet tussen 0 en 1 liggen, kreeg {min_share}")
    kinds = signal_kinds(signals)
    domains = {str(k): int(v) for k, v in signals["domain"].fillna("onbekend").value_counts().sort_index().items()}
    counts = {
        "signals": len(signals), "criminal": int(kinds["criminal"].sum()), "nuisance": int(kinds["nuisance"].sum()),
        "criminal_or_nuisance": int((kinds["criminal"] | kinds["nuisance"]).sum()),
        **{f"domain_{k}": v for k, v in domains.items()},
    }
    hint, reason = _hint(counts, min_share, min_count)
    return hint, reason, counts


def signal_kinds(signals: pd.DataFrame) -> pd.DataFrame:
    """Per signal: ``criminal`` and ``nuisance`` flags (vectorised text matching)."""
    if signals.empty:
        return pd.DataFrame({"criminal": pd.Series(dtype=bool), "nuisance": pd.Series(dtype=bool)}, index=signals.index)
    cols = [c for c in ("category", "subcategory", "description") if c in signals]

    def nuisance(t: pd.DataFrame) -> np.ndarray:
        text = t[cols[0]]
        for c in cols[1:]:
            text = text + " " + t[c]
        return text.str.contains(_NUISANCE, flags=re.I, regex=True).to_numpy()

    return pd.DataFrame({"criminal": is_criminal_signal(signals).to_numpy(bool),
                         "nuisance": on_distinct(signals, cols, nuisance)}, index=signals.index)


def _hint(counts: dict[str, int], min_share: float, min_count: int) -> tuple[str, str]:
    n, crim, nuis = counts["signals"], counts["criminal"], counts["nuisance"]
    # criminal and nuisance may flag the same signal (drugs nuisance): count a signal once
    either = counts["criminal_or_nuisance"]

    def enough(k: int) -> bool:
        return n > 0 and k >= min_count and k >= min_share * n

    found = (f"{crim} van {n} meldingen ({_pct(crim, n)}) gaan over ondermijning of drugs, {nuis} ({_pct(nuis, n)}) "
             "over intimidatie, geweld, vechtpartijen, vernieling of drugsoverlast")
    rule = f"een hint vraagt minstens {min_count} meldingen en {min_share:.0%} van de meldingen van de groep"
    if enough(crim):
        hint, why = "crimineel", found
    elif enough(either):
        hint, why = "overlastgevend", found + ("" if crim == 0 else f" (te weinig voor 'crimineel': {rule})")
    else:
        hint = "hinderlijk"
        why = f"de {n} meldingen gaan vooral over lichtere overlast ({found}; {rule})"
    return hint, f"Hint '{hint}': {why}. {HINT_NOTE}"


def _pct(k: int, n: int) -> str:
    return f"{k / n:.0%}" if n else "0%"


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
    min_ties: int = MIN_TIES,
    randfiguren: bool = True,
    hint_min_share: float = HINT_MIN_SHARE,
) -> GroupAnalysis:
    """Run the whole youth-group analysis; see :func:`analyse_groups` for the parameters."""
    net = youth_graph(
        frames, since=since, until=until, min_age=min_age, max_age=max_age, half_life_days=half_life_days,
        edge_types=edge_types,
    )
    pending = start_centrality(net, seed=seed)  # alongside the detection, on a large network
    det = detect_groups(net, resolution=resolution, seed=seed, min_size=min_size, method=method)
    det = prune_weak_members(net, det, _incidence(frames, net), min_ties=min_ties, randfiguren=randfiguren)
    cent = pending()
    roles = member_roles(net, det, cent)
    flagged = flagged_ids(flagged_persons)
    links = youth_adult_links(frames, flagged, since=since, until=until, min_age=min_age, max_age=max_age)
    groups = _report(frames, net, det, roles, links, flagged, hint_min_share=hint_min_share, min_ties=min_ties)
    return GroupAnalysis(net, det, cent, roles, links, groups)


def _incidence(frames: Frames, net: YouthNetwork) -> tuple[np.ndarray, np.ndarray]:
    """Signals and registered youth groups per youth (vertex number, event code): the events that tie
    members to a group. Coded once from the network's involvement codes, no string matching."""
    person, signal = net.involvement_codes
    gm = frames.group_members[["person_id", "group_id"]].dropna().drop_duplicates()
    at = pd.Index(net.nodes["person_id"]).get_indexer(gm["person_id"])
    group = pd.factorize(gm["group_id"])[0][at >= 0] + (int(signal.max()) + 1 if len(signal) else 0)
    return np.concatenate([person, at[at >= 0]]), np.concatenate([signal, group])


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
    min_ties: int = MIN_TIES,
    randfiguren: bool = True,
    hint_min_share: float = HINT_MIN_SHARE,
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
    min_ties, randfiguren
        Members share at least ``min_ties`` events with their group; with ``randfiguren`` (default) the
        youths with fewer stay attached as randfiguur, else they are loose (see
        :func:`~netwerk.youth.communities.prune_weak_members`).
    hint_min_share : float, default :data:`HINT_MIN_SHARE`
        Smallest share of a group's signals a classification hint rests on.

    Returns
    -------
    list of dict
        One entry per group with ``group_id, status`` (``active``: matches a registered group;
        ``emerging``: found but not registered; ``fallen_apart``: registered, no longer found;
        ``gathering``: seen together in one event only; ``small_component``; ``loose``: isolated
        youths), ``status_text``, ``members``, ``size``, ``randfiguren``,
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
        flagged_persons=flagged_persons, min_ties=min_ties, randfiguren=randfiguren, hint_min_share=hint_min_share,
    ).groups


def _report(
    frames: Frames,
    net: YouthNetwork,
    det: GroupDetection,
    roles: pd.DataFrame,
    links: pd.DataFrame,
    flagged: set[str],
    *,
    hint_min_share: float,
    min_ties: int,
) -> list[dict[str, Any]]:
    """The JSON-ready list: every per-group table is computed once for all groups (no per-group scans)."""
    inv = net.involvements
    per = {"since": net.start.strftime("%Y-%m-%d"), "until": net.end.strftime("%Y-%m-%d")}
    registered = registered_groups(frames)
    names = frames.youth_groups.drop_duplicates("group_id").set_index("group_id")
    matches, gone = match_groups(det.groups, registered)
    active = set(net.nodes["person_id"])
    ages = dict(zip(net.nodes["person_id"], net.nodes["age"], strict=True))
    label = inv["person_id"].map(det.membership)
    minv = inv[label.notna()].assign(group=label[label.notna()].astype(np.int64))
    joint = joint_table(minv)
    heads = joint.groupby("group", sort=False).head(_MAX_EVIDENCE)
    refs = _refs_by_group(heads.assign(persons=person_lists(minv, heads)))
    jbounds = _bounds(joint["group"].to_numpy(), len(det.groups))
    # classification counts per group from the distinct signals of its members
    gsig = minv.drop_duplicates(["group", "signal_id"])
    kinds = signal_kinds(gsig.drop_duplicates("signal_id").set_index("signal_id")).reindex(gsig["signal_id"])
    kinds.index = gsig.index
    gsig = gsig.assign(criminal=kinds["criminal"], nuisance=kinds["nuisance"],
                       either=kinds["criminal"] | kinds["nuisance"], dom=gsig["domain"].fillna("onbekend"))
    counts_of = _group_counts(gsig)
    no_signals = {"signals": 0, "criminal": 0, "nuisance": 0, "criminal_or_nuisance": 0}
    keys_by_group = _key_persons_by_group(roles)
    link_group = links["youth"].map(det.membership)
    links_by = {int(g): df for g, df in links[link_group.notna()].groupby(link_group[link_group.notna()].astype(int))}
    empty_links = links.iloc[0:0]
    out: list[dict[str, Any]] = []
    for i, (members, m) in enumerate(zip(det.groups, matches, strict=True)):
        gid = det.group_id(i)
        mset = set(members)
        reg_members = set(registered.get(m.registered, ())) if m.registered else set()
        lo, hi = jbounds[i]
        n_joint = hi - lo
        last_joint = joint["reported_at"].iloc[lo] if n_joint else None
        counts = counts_of.get(i, no_signals)
        hint, hint_reason = _hint(counts, hint_min_share, HINT_MIN_COUNT)
        additions = _additions(minv, joint.iloc[lo:hi], i, sorted(mset - reg_members), ages, gid, m.registered) \
            if m.registered else []
        inactive = sorted(reg_members - active)
        elsewhere = sorted((reg_members & active) - mset)
        glinks = links_by.get(i, empty_links)
        adult_links = [
            {"youth": r.youth, "adult": r.adult, "signal_id": r.signal_id,
             "date": r.reported_at.strftime("%Y-%m-%d"), "evidence": r.evidence}
            for r in glinks.head(20).itertuples()
        ]
        rand = list(det.peripheral[i]) if i < len(det.peripheral) else []
        status = "active" if m.registered else "emerging"
        evidence = [
            f"{n_joint} meldingen met minstens twee leden samen in {per['since']} t/m {per['until']}"
            + (f" (laatste {last_joint:%Y-%m-%d})" if last_joint is not None else ""),
            hint_reason,
        ]
        if rand:
            evidence.append(
                f"{len(rand)} randfiguur/randfiguren: samen met de groep gezien, maar in minder dan {min_ties} "
                "meldingen; aan de groep gekoppeld, geen lid."
            )
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
        if len(glinks):
            evidence.append(
                f"{glinks['youth'].nunique()} lid/leden samen in meldingen met "
                f"{glinks['adult'].nunique()} volwassene(n) uit ondermijnings-/drugsmeldingen of gemarkeerd: "
                "risico op afglijden naar criminele netwerken."
            )
        out.append(
            {
                "group_id": gid, "status": status, "status_text": status_text, "members": list(members),
                "size": len(members), "randfiguren": rand, "n_randfiguren": len(rand),
                "registered_group": m.registered,
                "registered_classification": _field(names, m.registered, "classification"),
                "overlap": round(m.jaccard, 4), "shared_members": m.shared,
                "other_registered_overlaps": [
                    {"group_id": rid, "shared": k, "jaccard": round(j, 4)} for rid, k, j in m.overlaps[1:]
                ],
                "suggested_additions": additions, "inactive_registered_members": inactive,
                "registered_members_elsewhere": elsewhere,
                "classification_hint": hint, "classification_reason": hint_reason,
                "classification_counts": counts, "key_persons": keys_by_group.get(i, []),
                "adult_links": adult_links, "risk_persons": _risk_persons(glinks, flagged),
                "modularity": round(det.modularity, 6), "group_modularity": round(det.group_modularity[i], 6),
                "internal_signals": refs.get(i, []), "period": per, "evidence": evidence,
            }
        )
    out.extend(_fallen_apart(frames, net, det, registered, names, matches, gone, active, per))
    out.extend(_rest(inv, det, per))
    return out


def _bounds(sorted_labels: np.ndarray, n: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of each label ``0..n-1`` in a sorted label array."""
    lo = np.searchsorted(sorted_labels, np.arange(n), side="left")
    hi = np.searchsorted(sorted_labels, np.arange(n), side="right")
    return list(zip(lo.tolist(), hi.tolist(), strict=True))


def _refs_by_group(rows: pd.DataFrame) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for r in rows.itertuples():
        out.setdefault(int(r.group), []).append(
            {"signal_id": r.signal_id, "date": r.reported_at.strftime("%Y-%m-%d"),
             "category": r.subcategory if isinstance(r.subcategory, str) else r.category, "persons": r.persons}
        )
    return out


def _group_counts(gsig: pd.DataFrame) -> dict[int, dict[str, int]]:
    """Hint counts per group from its distinct signals (``group, criminal, nuisance, either, dom``)."""
    cols = ("signals", "criminal", "nuisance", "criminal_or_nuisance")
    per_group = gsig.groupby("group").agg(signals=("signal_id", "size"), criminal=("criminal", "sum"),
                                          nuisance=("nuisance", "sum"), criminal_or_nuisance=("either", "sum"))
    out = {int(g): dict(zip(cols, map(int, row), strict=True))
           for g, row in zip(per_group.index, per_group[list(cols)].itertuples(index=False), strict=True)}
    for (g, dom), k in gsig.groupby(["group", "dom"]).size().items():
        out[int(g)][f"domain_{dom}"] = int(k)
    return out


def _additions(
    minv: pd.DataFrame, js: pd.DataFrame, i: int, candidates: list[str], ages: dict[Any, Any], gid: str,
    registered: str | None,
) -> list[dict[str, Any]]:
    """Unregistered members with the joint signals that link them to the group."""
    if not candidates:
        return []
    mine = minv[(minv["group"] == i) & minv["signal_id"].isin(js["signal_id"])]
    rows = js.assign(persons=person_lists(minv, js))
    by_person = mine.groupby("person_id")["signal_id"].agg(set)
    out = []
    for p in candidates:
        pj = rows[rows["signal_id"].isin(by_person.get(p, set()))]
        out.append(
            {
                "person_id": p, "age": _int(ages.get(p)), "signals": _signal_refs(pj),
                "reason": f"{len(pj)} gezamenlijke melding(en) met leden van {gid}, niet geregistreerd als lid "
                f"van {registered}",
            }
        )
    return out


def _fallen_apart(
    frames: Frames, net: YouthNetwork, det: GroupDetection, registered: dict[str, tuple[str, ...]],
    names: pd.DataFrame, matches: list[Any], gone: list[str], active: set[str], per: dict[str, str],
) -> list[dict[str, Any]]:
    out = []
    history = None
    for rid in gone:
        reg = registered[rid]
        if not reg:
            continue
        if history is None:
            history = involvements(frames, pd.Timestamp.min, net.end)
        now_active = sorted(set(reg) & active)
        spread = sorted({det.group_id(det.membership[p]) for p in now_active if p in det.membership})
        best = max(((det.group_id(i), len(set(reg) & set(g))) for i, g in enumerate(det.groups)),
                   key=lambda t: t[1], default=(None, 0))
        js_all = joint_signals(history, reg)
        last = f"{js_all['reported_at'].iloc[0]:%Y-%m-%d}" if len(js_all) else None
        out.append(
            {
                "group_id": f"R-{rid}", "status": "fallen_apart",
                "status_text": f"Geregistreerde groep {rid}{_name(names, rid)} is in deze periode niet (meer) als "
                "groep terug te vinden.",
                "members": list(reg), "size": len(reg), "randfiguren": [], "n_randfiguren": 0, "registered_group": rid,
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
    return out


def _rest(inv: pd.DataFrame, det: GroupDetection, per: dict[str, str]) -> list[dict[str, Any]]:
    """Gatherings, small components and loose youths: reported apart from the groups, never dropped."""
    out = []
    parts = [("S", "gathering", det.gatherings), ("K", "small_component", det.small_components)]
    labelled = {p: f"{kind}:{k}" for _, kind, blocks in parts for k, comp in enumerate(blocks) for p in comp}
    lab = inv["person_id"].map(labelled)
    sub = inv[lab.notna()].assign(group=lab[lab.notna()])
    joint = joint_table(sub)
    heads = joint.groupby("group", sort=False).head(_MAX_EVIDENCE)
    refs = _refs_by_group_key(heads.assign(persons=person_lists(sub, heads)))
    n_joint = joint.groupby("group").size()
    for prefix, kind, blocks in parts:
        for k, comp in enumerate(blocks):
            key = f"{kind}:{k}"
            n = int(n_joint.get(key, 0))
            text = (
                f"Groepering van {len(comp)} jongeren: samen gezien in {n} melding(en), te weinig voor een groep "
                f"(een groep vraagt minstens {MIN_JOINT_EVENTS} gezamenlijke meldingen)."
                if kind == "gathering" else
                f"Kleine losse component van {len(comp)} jongeren (te klein voor een groep)."
            )
            out.append(_small(f"{prefix}{k + 1}", kind, list(comp), det, per, text,
                              [f"{n} gezamenlijke melding(en)."], refs.get(key, [])))
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


def _refs_by_group_key(rows: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows.itertuples():
        out.setdefault(str(r.group), []).append(
            {"signal_id": r.signal_id, "date": r.reported_at.strftime("%Y-%m-%d"),
             "category": r.subcategory if isinstance(r.subcategory, str) else r.category, "persons": r.persons}
        )
    return out


def _small(
    gid: str, status: str, members: list[str], det: GroupDetection, per: dict[str, str], text: str,
    evidence: list[str], signals: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "group_id": gid, "status": status, "status_text": text, "members": members, "size": len(members),
        "randfiguren": [], "n_randfiguren": 0,
        "registered_group": None, "overlap": 0.0, "suggested_additions": [], "inactive_registered_members": [],
        "classification_hint": None, "classification_reason": None, "key_persons": [], "adult_links": [],
        "risk_persons": [], "modularity": round(det.modularity, 6), "internal_signals": signals, "period": per,
        "evidence": evidence,
    }


def _key_persons_by_group(roles: pd.DataFrame, top: int = 5) -> dict[int, list[dict[str, Any]]]:
    """Up to ``top`` key persons per group (members only): bridges, then core, then the rest."""
    df = roles[roles["member"]]
    df = df.assign(rank=df["role"].map({"brug": 0, "kern": 1, "periferie": 2}))
    df = df.sort_values(["group", "rank", "betweenness", "degree", "person_id"],
                        ascending=[True, True, False, False, True]).groupby("group", sort=False).head(top)
    out: dict[int, list[dict[str, Any]]] = {}
    for r in df.itertuples():
        out.setdefault(int(r.group), []).append(
            {
                "person_id": r.person_id, "role": r.role, "degree": int(r.degree),
                "betweenness": round(float(r.betweenness), 6), "core": int(r.core),
                "other_groups": int(r.other_groups), "outside_share": round(float(r.outside_share), 4),
                "reason": f"{_ROLE_TEXT[r.role]}: {int(r.degree)} verbindingen, k-core {int(r.core)}"
                + (f", banden met {int(r.other_groups)} andere groep(en) ({r.outside_share:.0%} van het "
                   "verbindingsgewicht)" if r.other_groups else ""),
            }
        )
    return out


def _risk_persons(glinks: pd.DataFrame, flagged: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if glinks.empty:
        return out
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
