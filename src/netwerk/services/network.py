"""Use case: the network around a subject, the path between two subjects, search.

Every node passes scope by datum: a hidden node is neither returned nor traversed, persons show only
their pseudonym, birth year and gender, and the number of persons one answer may hold is capped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import Any

import networkx as nx

from netwerk.access import Actor
from netwerk.services.cache import cached, frames
from netwerk.services.common import NotFound, TooLarge, guarded, read
from netwerk.services.scope import HIDDEN_LABELS, PERSON_FIELDS, scope
from netwerk.store.base import GraphStore, StoreError

__all__ = ["MAX_PERSONS", "Network", "ego", "path", "search"]

#: most persons one answer shows (bulk reads beyond it are cut off, and say so)
MAX_PERSONS = 1000
_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s*$")


@dataclass(frozen=True)
class Network:
    """A scoped subgraph: nodes ``{"id", "label", "key", ...}``, edges ``{"source", "target", "type", ...}``."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    truncated: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "edges": self.edges, "truncated": self.truncated, "notes": self.notes}

    @cached_property
    def encoded(self) -> bytes:
        """:meth:`to_dict` as UTF-8 JSON, encoded once per (cached) network."""
        return json.dumps(self.to_dict(), ensure_ascii=False, default=str).encode()


def _node_view(node: str, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("label") == "Person":
        return {"id": node, "label": "Person", "key": data.get("key"),
                **{k: data[k] for k in PERSON_FIELDS if data.get(k) is not None}}
    return {"id": node, **data}


def _to_network(g: nx.MultiDiGraph, max_persons: int) -> tuple[Network, list[str]]:
    persons = [n for n, d in g.nodes(data=True) if d.get("label") == "Person"]
    truncated = len(persons) > max_persons
    if truncated:
        g = g.copy()
        g.remove_nodes_from(sorted(persons)[max_persons:])
        persons = sorted(persons)[:max_persons]
    notes = [f"afgekapt: meer dan {max_persons} personen; verklein de diepte of de periode"] if truncated else []
    net = Network(
        [_node_view(n, d) for n, d in g.nodes(data=True)],
        [{"source": a, "target": b, **d} for a, b, d in g.edges(data=True)],
        truncated, notes,
    )
    return net, [str(g.nodes[n]["key"]) for n in persons]


def ego(
    store: GraphStore, actor: Actor, label: str, key: str, *, depth: int = 1, since: str | None = None,
    until: str | None = None, max_persons: int = MAX_PERSONS, endpoint: str = "bibliotheek",
) -> Network:
    """The neighbourhood (``depth`` 1-3) of one node, as far as the actor may see."""
    if label in HIDDEN_LABELS or label not in store.model.nodes:
        raise NotFound(f"onbekend label {label!r}")
    if not 1 <= depth <= 3:
        raise TooLarge("diepte moet 1, 2 of 3 zijn")
    subject = f"{label}:{key}"
    with guarded(actor, "network", endpoint, subject):

        def compute() -> tuple[Network, list[str]]:
            sc = scope(store)
            start = store.get_node(label, key)
            if start is None or not sc.visible(actor, label, start):
                raise NotFound(f"{label} {key!r} bestaat niet of valt buiten uw rol en doel")
            try:
                g = store.neighbourhood(label, key, depth=depth, since=since, until=until,
                                        visible=lambda lab, props: sc.visible(actor, lab, props))
            except StoreError as exc:
                raise NotFound(str(exc)) from exc
            return _to_network(g, max_persons)

        try:  # what an actor sees depends only on its role and purpose: cached per store version
            net, persons = cached(store, ("ego", label, key, depth, since, until, max_persons, actor.role,
                                          actor.purpose), compute)
        except NotFound:
            read(actor, subject, endpoint, [])
            raise
        read(actor, subject, endpoint, persons, bulk=len(persons) > 1)
        return net


_LINKS = (
    ("signal_persons", "signal_id", "Signal", "person_id", "Person", "INVOLVES"),
    ("registrations", "person_id", "Person", "address_id", "Address", "REGISTERED_AT"),
    ("business_persons", "person_id", "Person", "business_id", "Business", "ROLE_IN"),
    ("group_members", "person_id", "Person", "group_id", "YouthGroup", "MEMBER_OF"),
    ("signals", "signal_id", "Signal", "address_id", "Address", "AT"),
    ("businesses", "business_id", "Business", "address_id", "Address", "LOCATED_AT"),
)


def _link_graph(store: GraphStore) -> nx.Graph:
    fr = frames(store)
    g = nx.Graph()
    for name, a, la, b, lb, rel in _LINKS:
        df = getattr(fr, name)
        pairs = df[[a, b]].dropna().drop_duplicates()
        g.add_edges_from((f"{la}:{x}", f"{lb}:{y}", {"type": rel}) for x, y in pairs.itertuples(index=False))
    labels = {n: n.split(":", 1)[0] for n in g}
    nx.set_node_attributes(g, labels, "label")
    return g


def _node_visible(actor: Actor, node: str, sc: Any) -> bool:
    label, key = node.split(":", 1)
    if label == "Person":
        return bool(sc.person_visible(actor, key))
    if label == "Signal":
        return sc.signals.get(key, "overig") in actor.domains
    return bool(sc.visible(actor, label, {}))


def path(
    store: GraphStore, actor: Actor, source: str, target: str, *, max_length: int = 8, endpoint: str = "bibliotheek",
) -> Network:
    """The shortest chain of links between two subjects (``"Label:key"``) through visible nodes only."""
    with guarded(actor, "network", endpoint, f"{source}→{target}"):
        sc = scope(store)
        g = cached(store, ("link_graph",), lambda: _link_graph(store))
        for node in (source, target):
            if node not in g or not _node_visible(actor, node, sc):
                raise NotFound(f"{node} bestaat niet, heeft geen verbindingen of valt buiten uw rol en doel")
        view = nx.subgraph_view(g, filter_node=lambda n: _node_visible(actor, n, sc))
        try:
            chain = nx.shortest_path(view, source, target)
        except nx.NetworkXNoPath:
            chain = []
        if len(chain) - 1 > max_length:
            chain = []
        nodes = [{"id": n, "label": n.split(":", 1)[0], "key": n.split(":", 1)[1]} for n in chain]
        edges = [{"source": a, "target": b, "type": g.edges[a, b]["type"]} for a, b in pairwise(chain)]
        persons = [n["key"] for n in nodes if n["label"] == "Person"]
        read(actor, f"pad {source}→{target}", endpoint, persons)
        notes = [] if chain else [f"geen verbinding van hoogstens {max_length} stappen via wat u mag zien"]
        return Network(nodes, edges, False, notes)


def search(
    store: GraphStore, actor: Actor, query: str, *, limit: int = 50, endpoint: str = "bibliotheek",
) -> list[dict[str, Any]]:
    """Persons by pseudonym, addresses by street or postcode (``9671AB`` or ``9671 AB``), visible ones only."""
    q = (query or "").strip()
    if len(q) < 2 or len(q) > 100:
        raise TooLarge("zoekterm moet 2 tot 100 tekens hebben")
    if not 1 <= limit <= 500:
        raise TooLarge("limit moet tussen 1 en 500 liggen")
    with guarded(actor, "network", endpoint, f"zoeken:{q}"):
        sc = scope(store)
        fr = frames(store)
        hits: list[dict[str, Any]] = []
        persons = fr.persons[fr.persons["person_id"].astype(str).str.upper().str.startswith(q.upper())]
        for pid in persons["person_id"].astype(str):
            if sc.person_visible(actor, pid):
                hits.append({"id": f"Person:{pid}", "label": "Person", "key": pid})
        m = _POSTCODE.match(q)
        adr = fr.addresses
        if m:
            code = (m.group(1) + m.group(2)).upper()
            sel = adr[adr["postcode"].astype(str).str.replace(" ", "").str.upper() == code]
        else:
            sel = adr[adr["street"].astype(str).str.contains(q, case=False, regex=False)]
        for rec in sel.head(limit).to_dict("records"):
            text = " ".join(str(rec[c]) for c in ("street", "house_number", "postcode", "city")
                            if rec.get(c) is not None)
            hits.append({"id": f"Address:{rec['address_id']}", "label": "Address", "key": rec["address_id"],
                         "text": text})
        hits = hits[:limit]
        read(actor, f"zoeken:{q}", endpoint, [h["key"] for h in hits if h["label"] == "Person"])
        return hits
