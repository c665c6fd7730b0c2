"""The building blocks of the indicator library: :class:`Flag`, :class:`Indicator` and the registry.

An indicator is a plain function ``fn(frames, ctx) -> list[Flag]`` registered with
:func:`indicator`. Every flag names its subject (address, person or business), the indicator, the
barrier-model step, the measured value against its threshold, a strength in [0, 1] (the input of the
explainable ranking) and the evidence: node ids, signal ids and registration periods. Flags are
signals for professionals ("signaal voor nader onderzoek, geen oordeel"), never verdicts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

from netwerk.frames import Frames
from netwerk.indicators.config import IndicatorConfig

__all__ = [
    "BARRIERS",
    "REGISTRY",
    "SUBJECTS",
    "Context",
    "Evidence",
    "Flag",
    "Indicator",
    "count_strength",
    "evidence_hash",
    "indicator",
]

#: The steps of the barrier model (Dutch labels shown to the adviser).
BARRIERS = {
    "entree": "Entree",
    "huisvesting": "Huisvesting",
    "identiteit": "Registratie/identiteit",
    "arbeid": "Arbeid",
    "financien": "Financiën",
}
SUBJECTS = ("address", "person", "business")


@dataclass(frozen=True)
class Evidence:
    """What a flag rests on: ids of nodes and signals, and registration/role periods.

    ``registrations`` and ``roles`` are tuples of dicts (person_id, address_id/business_id, role,
    start_date, end_date as ISO strings or None), so a flag can be checked by hand against the BRP/KvK.
    """

    persons: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    businesses: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()
    registrations: tuple[Mapping[str, Any], ...] = ()
    roles: tuple[Mapping[str, Any], ...] = ()

    def ids(self) -> list[str]:
        """Every evidence id as ``kind:id`` (registrations/roles as their key), sorted and unique."""
        out = {f"person:{x}" for x in self.persons} | {f"address:{x}" for x in self.addresses}
        out |= {f"business:{x}" for x in self.businesses} | {f"signal:{x}" for x in self.signals}
        out |= {"registration:{person_id}|{address_id}|{start_date}".format(**r) for r in self.registrations}
        out |= {"role:{person_id}|{business_id}|{role}".format(**r) for r in self.roles}
        return sorted(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "persons": list(self.persons),
            "addresses": list(self.addresses),
            "businesses": list(self.businesses),
            "signals": list(self.signals),
            "registrations": [dict(r) for r in self.registrations],
            "roles": [dict(r) for r in self.roles],
        }


def evidence_hash(ids: Iterable[str]) -> str:
    """SHA-256 (hex, 16 chars) over the sorted unique evidence ids: changes iff the evidence changes."""
    text = "\n".join(sorted(set(ids)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def count_strength(count: float, threshold: float) -> float:
    """Strength of a count that reached its threshold: ``count / (2 x threshold)``, between 0.5 and 1.

    >>> count_strength(3, 3), count_strength(4, 2), count_strength(9, 3)
    (0.5, 1.0, 1.0)
    """
    return min(1.0, max(0.5, count / (2 * max(threshold, 1))))


@dataclass(frozen=True)
class Flag:
    """One indicator firing on one subject.

    Attributes
    ----------
    indicator : str
        Registry name of the indicator (``overcrowding``, ``turnover``, ...).
    subject_type : str
        ``address``, ``person`` or ``business``.
    subject_id : str
        The subject's key (pseudonym for persons).
    barrier : str
        Barrier-model step (key of :data:`BARRIERS`).
    value : float
        The measured quantity (e.g. the maximum number of adults registered at the same time).
    threshold : float
        The threshold the value was compared with (from the config).
    strength : float
        How strongly the indicator fires, in [0, 1]; the ranking multiplies it by the indicator weight.
    reason : str
        Dutch explanation for the adviser.
    evidence : Evidence
        What the flag rests on.
    """

    indicator: str
    subject_type: str
    subject_id: str
    barrier: str
    value: float
    threshold: float
    strength: float
    reason: str
    evidence: Evidence = field(default_factory=Evidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.indicator,
            "barrier": self.barrier,
            "value": self.value,
            "threshold": self.threshold,
            "strength": round(self.strength, 4),
            "reason": self.reason,
            "evidence": self.evidence.to_dict(),
        }


_T = TypeVar("_T")


@dataclass
class Context:
    """What every indicator gets besides the frames: the period, the config and earlier flags."""

    start: pd.Timestamp
    end: pd.Timestamp
    config: IndicatorConfig
    flags: list[Flag] = field(default_factory=list)
    since_given: bool = False  #: the user gave --since: look-back windows start there
    _shared: dict[str, tuple[Frames, Any]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def shared(self, key: str, frames: Frames, compute: Callable[[], _T]) -> _T:
        """``compute()`` once per run and frames: an intermediate result more indicators use (read-only)."""
        hit = self._shared.get(key)
        if hit is None or hit[0] is not frames:
            hit = self._shared[key] = (frames, compute())
        return hit[1]

    def window_start(self, days: int) -> pd.Timestamp:
        """Start of a look-back window of ``days`` days ending at the period end (or the given --since)."""
        if self.since_given:
            return self.start.normalize()
        return self.end.normalize() - pd.Timedelta(days=days - 1)

    def flagged(self, subject_type: str, indicators: Sequence[str] | None = None) -> set[str]:
        """Subjects of a type flagged so far (optionally only by the named indicators)."""
        return {
            f.subject_id
            for f in self.flags
            if f.subject_type == subject_type and (indicators is None or f.indicator in indicators)
        }


@dataclass(frozen=True)
class Indicator:
    """A registered indicator: its name, Dutch title, barrier step, subject types and function."""

    name: str
    title: str
    barrier: str
    subjects: tuple[str, ...]
    func: Callable[[Frames, Context], list[Flag]]

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


#: Indicators in run order (later ones may use earlier flags through ``ctx.flags``).
REGISTRY: dict[str, Indicator] = {}


def indicator(
    name: str, title: str, barrier: str, subjects: Sequence[str]
) -> Callable[[Callable[[Frames, Context], list[Flag]]], Callable[[Frames, Context], list[Flag]]]:
    """Register an indicator function under ``name`` (decorator)."""
    if barrier not in BARRIERS:
        raise ValueError(f"onbekende barrière {barrier!r}")

    def wrap(func: Callable[[Frames, Context], list[Flag]]) -> Callable[[Frames, Context], list[Flag]]:
        REGISTRY[name] = Indicator(name, title, barrier, tuple(subjects), func)
        return func

    return wrap
