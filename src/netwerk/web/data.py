"""What the pages read: the service layer (``netwerk.services``) plus a few page-only views.

Every person-level answer comes from a service that checks the actor, scopes by datum and audits the
read. The helpers below add what only a page needs (readable place names, the buurt shapes, the youth
network with its layout) on top of the same cached analysis input.

ADAPTER, marked for the lead: :func:`youth_network` composes the youth network for one actor here
because ``netwerk.services.groups`` returns the groups but not the graph; it applies the same scope
(:func:`netwerk.services.scope.scope`) and audit (:func:`netwerk.services.common.read`) as the service.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from netwerk.access import Actor
from netwerk.frames import Frames
from netwerk.services.cache import cached
from netwerk.services.cache import frames as _frames
from netwerk.services.common import guarded, read
from netwerk.services.scope import scope
from netwerk.store import GraphStore

__all__ = ["areas", "frames", "ladder", "new_signals", "place_names", "youth_network"]


def frames(store: GraphStore) -> Frames:
    """The analysis input of the whole store (cached per store version)."""
    return _frames(store)


def ladder() -> Any:
    """The escalation ladder in use (``NETWERK_LADDER`` or the default)."""
    from netwerk.cases import load_ladder

    return load_ladder()


def new_signals(store: GraphStore, overleg: str = "twee-wekelijks") -> tuple[str, str, pd.DataFrame]:
    """Signals since the previous overleg of this kind: ``(since, day, signals)``, as on its agenda.

    The window of :func:`netwerk.cases.build_agenda`: after ``day - interval`` up to and including
    ``day`` (the latest date in the data), in the overleg's domains. Aggregate: counts only.
    """
    from netwerk.cases import case_frames
    from netwerk.cases.advice import as_of_day

    fr = frames(store)
    ov = ladder().overleg(overleg)
    day = as_of_day(fr, case_frames(store), None)
    prev = day - pd.Timedelta(days=ov.interval_days)
    sig = fr.signals
    new = sig[(sig["reported_at"] >= prev + pd.Timedelta(days=1)) & (sig["reported_at"] < day + pd.Timedelta(days=1))]
    if ov.domains:
        new = new[new["domain"].isin(list(ov.domains))]
    return str(prev.date()), str(day.date()), new.sort_values("reported_at", ascending=False)


def areas(store: GraphStore) -> list[tuple[str, str, Any]]:
    """The data's own buurten with their geometry: ``(code, name, shapely geometry)``.

    From the areas module (imported areas first, the national CBS areas as fallback), limited to the
    buurt codes the store holds.
    """
    from netwerk.geo.areas import areas_for_store

    def compute() -> list[tuple[str, str, Any]]:
        own = frames(store).areas
        codes = set(own.loc[own["kind"] == "buurt", "area_code"].astype(str))
        found = areas_for_store(store, ("buurt",))
        return [(str(c), str(n), g) for c, n, g in zip(found.frame["area_code"], found.frame["name"],
                                                        found.geometries, strict=True)
                if str(c) in codes and g is not None]

    return cached(store, ("web-areas",), compute)


def place_names(store: GraphStore) -> dict[str, str]:
    """Readable names for area codes, addresses (``"Acacialaan 2, Winschoten"``) and businesses."""

    def compute() -> dict[str, str]:
        fr = frames(store)
        names = {str(r.area_code): str(r.name) for r in fr.areas.itertuples() if isinstance(r.name, str)}
        for r in fr.addresses.itertuples():
            number = "" if pd.isna(r.house_number) else str(int(r.house_number))
            letter = "" if pd.isna(r.house_letter) else str(r.house_letter)
            names[str(r.address_id)] = f"{r.street} {number}{letter}, {r.city}".strip()
        for r in fr.businesses.itertuples():
            names[str(r.business_id)] = str(r.name)
        return names

    return cached(store, ("web-names",), compute)


def youth_network(store: GraphStore, actor: Actor, *, since: str | None = None, until: str | None = None,
                  endpoint: str = "web:/jeugdnetwerk") -> tuple[Any, set[str]]:
    """The youth-network analysis (``GroupAnalysis``) and the persons of it this actor may see.

    Checked for ``groups``; the visible persons are audited as one bulk read naming the caller.
    """
    from netwerk.youth.analysis import run_analysis

    with guarded(actor, "groups", endpoint):
        res = cached(store, ("web-youth", since, until),
                     lambda: run_analysis(frames(store), since=since, until=until))
        sc = scope(store)
        visible = {str(n) for n in res.graph.nodes if sc.person_visible(actor, str(n))}
        read(actor, "jeugdnetwerk", endpoint, sorted(visible), bulk=True)
        return res, visible
