"""Scope by datum: which domains each person, signal, case and group member belongs to.

A datum is shown only to an actor whose role and purpose open one of its domains, whatever the route.
Persons belong to the domains of their signals and cases, to ``jeugd`` when they are a youth-group
member, and to ``ondermijning`` when they have a business role or a review item. A BRP registration alone
opens no domain (nearly everyone has one: it would open every person to every role with ``woon``).
A datum whose domain is not known belongs to ``onbekend`` (open only to roles and purposes that span
every domain; see rollen.yaml). Labels that are not person-level (addresses, areas, partners,
businesses, fenomeen records) are visible to every actor that may use the route; access-control nodes
are never visible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from netwerk.access import Actor
from netwerk.services.cache import cached, frames
from netwerk.store.base import GraphStore

__all__ = ["HIDDEN_LABELS", "PERSON_FIELDS", "Scope", "scope"]

#: the only person properties any route returns (never bsn or names, even when stored)
PERSON_FIELDS = ("person_id", "birth_year", "gender")
#: labels never returned by any route
HIDDEN_LABELS = frozenset({"User", "ApiToken", "Session"})
#: labels whose every node belongs to fixed domains
LABEL_DOMAINS: Mapping[str, frozenset[str]] = {
    "YouthGroup": frozenset({"jeugd"}),
    "ReviewItem": frozenset({"ondermijning"}),
    "Controle": frozenset({"ondermijning"}),
    "Watch": frozenset({"openbare_orde", "woon"}),
    "Alert": frozenset({"openbare_orde", "woon"}),
}


@dataclass(frozen=True)
class Scope:
    """The domain index of one store version."""

    persons: Mapping[str, frozenset[str]]
    signals: Mapping[str, str]
    cases: Mapping[str, str]

    def person_visible(self, actor: Actor, pid: str) -> bool:
        return actor.sees(self.persons.get(pid) or frozenset({"onbekend"}))

    def visible(self, actor: Actor, label: str, props: Mapping[str, Any]) -> bool:
        """May ``actor`` see this node?"""
        if label in HIDDEN_LABELS:
            return False
        if label == "Person":
            return self.person_visible(actor, str(props.get("person_id")))
        if label == "Signal":
            return str(props.get("domain") or "onbekend") in actor.domains
        if label == "Case":
            return str(props.get("domain") or "onbekend") in actor.domains
        fixed = LABEL_DOMAINS.get(label)
        return fixed is None or actor.sees(fixed)


def _build(store: GraphStore) -> Scope:
    fr = frames(store)
    doms: dict[str, set[str]] = {}

    def add(pids: Any, domain: Any) -> None:
        for pid, dom in zip(pids, domain, strict=True):
            if isinstance(pid, str):
                doms.setdefault(pid, set()).add(str(dom) if isinstance(dom, str) and dom else "onbekend")

    sp = fr.signal_persons.merge(fr.signals[["signal_id", "domain"]], on="signal_id", how="left")
    add(sp["person_id"], sp["domain"])
    add(fr.group_members["person_id"], ["jeugd"] * len(fr.group_members))
    add(fr.business_persons["person_id"], ["ondermijning"] * len(fr.business_persons))
    links = fr.case_links[fr.case_links["kind"] == "person"].merge(
        fr.cases[["case_id", "domain"]], on="case_id", how="left")
    add(links["ref_id"], links["domain"])
    reviews = store.nodes_df("ReviewItem")
    reviews = reviews[reviews["subject_type"] == "person"]
    add(reviews["subject_id"], ["ondermijning"] * len(reviews))
    signals = dict(zip(fr.signals["signal_id"], fr.signals["domain"].fillna("onbekend"), strict=True))
    cases = dict(zip(fr.cases["case_id"], fr.cases["domain"].fillna("onbekend"), strict=True))
    return Scope({k: frozenset(v) for k, v in doms.items()}, signals, cases)


def scope(store: GraphStore) -> Scope:
    """The domain index of the store's current version (cached)."""
    return cached(store, ("scope",), lambda: _build(store))


def person_view(props: Mapping[str, Any]) -> dict[str, Any]:
    """A person as any route may show it: pseudonym, birth year and gender only."""
    return {k: props.get(k) for k in PERSON_FIELDS if props.get(k) is not None}


_DROP = object()


def redact(value: Any, actor: Actor, sc: Scope, known: frozenset[str] | set[str]) -> tuple[Any, set[str]]:
    """``value`` without the persons (and indicator flags) ``actor`` may not see, and the persons it shows.

    Walks dicts and lists: a dict with a ``person_id`` of a hidden person is dropped, a person id in a
    list is dropped, a person id as a dict key or value is dropped; dicts about a case or signal of a
    domain the actor does not see are dropped; without the ``ondermijning`` domain, indicator flags
    (dicts with ``subject_type`` and ``indicators``) are dropped too.
    """
    shown: set[str] = set()
    flags_ok = "ondermijning" in actor.domains

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            if v in known:
                if not sc.person_visible(actor, v):
                    return _DROP
                shown.add(v)
            return v
        if isinstance(v, dict):
            pid = v.get("person_id")
            if isinstance(pid, str) and pid in known and not sc.person_visible(actor, pid):
                return _DROP
            if not flags_ok and "subject_type" in v and "indicators" in v:
                return _DROP
            cid, sid = v.get("case_id"), v.get("signal_id")
            if isinstance(cid, str) and cid in sc.cases and sc.cases[cid] not in actor.domains:
                return _DROP
            if isinstance(sid, str) and sid in sc.signals and sc.signals[sid] not in actor.domains:
                return _DROP
            out = {}
            for k, x in v.items():
                if isinstance(k, str) and k in known and walk(k) is _DROP:
                    continue
                y = walk(x)
                if y is not _DROP:
                    out[k] = y
            return out
        if isinstance(v, list | tuple):
            return [y for y in (walk(x) for x in v) if y is not _DROP]
        return v

    result = walk(value)
    return (None if result is _DROP else result), shown


def known_persons(store: GraphStore) -> frozenset[str]:
    """Every person pseudonym in the store (cached per version)."""
    return cached(store, ("known_persons",), lambda: frozenset(frames(store).persons["person_id"].astype(str)))
