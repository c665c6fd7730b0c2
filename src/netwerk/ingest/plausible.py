"""Plausibility of values that are well-formed but cannot be true (rejected with a Dutch reason).

- every date before :data:`EARLIEST` (1900-01-01; also 0001-01-01 and other placeholder years);
- an event date (a signal, a case, a registration start, …) after the day of the ingest
  (:func:`latest_event`: today + 1 day, for time zones): one signal dated 2099 would otherwise move
  "the end of the data" and empty every analysis; end dates (``end_date``) may lie up to
  :data:`MAX_FUTURE_YEARS` years ahead (a contract end);
- a birth year before 1900 or after this year;
- a case closed before it opened;
- a case phase that the escalation ladder (``netwerk.cases.ladder``, ``$NETWERK_LADDER``) does not know.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

import numpy as np

__all__ = ["EARLIEST", "MAX_FUTURE_YEARS", "check_plausible", "latest_event"]

EARLIEST = "1900-01-01"
MAX_FUTURE_YEARS = 50
#: Columns that may lie in the future (end of a registration or role); all other dates are events.
_END_COLUMNS = frozenset({"end_date", "closed_at"})

AddProblem = Callable[[np.ndarray, str, str, np.ndarray | None], None]


def latest_event() -> str:
    """The latest plausible event date: tomorrow (ISO)."""
    return (date.today() + timedelta(days=1)).isoformat()


def _present(values: np.ndarray) -> np.ndarray:
    return np.fromiter((v is not None for v in values), dtype=bool, count=len(values))


@cache
def _phase_normaliser() -> Callable[[object], str]:
    from netwerk.cases.ladder import load_ladder

    return load_ladder().normalise_phase


def check_plausible(file: str, kinds: dict[str, str], out: dict[str, np.ndarray], add: AddProblem) -> None:
    """Flag implausible values in the converted columns ``out`` of one chunk (``kinds``: column → type)."""
    latest = latest_event()
    far = f"{date.today().year + MAX_FUTURE_YEARS}-12-31"
    for name, kind in kinds.items():
        if kind not in ("date", "datetime") or name not in out:
            continue
        vals = out[name]
        has = _present(vals)
        if not has.any():
            continue
        day = np.where(has, vals, "").astype(str)
        day = np.char.ljust(day, 10).astype("U10")
        old = has & (day < EARLIEST)
        add(old, name, f"datum vóór {EARLIEST[:4]} (onwaarschijnlijk; een plaatshouder?)", vals)
        limit = far if name in _END_COLUMNS else latest
        future = has & ~old & (day > limit)
        reason = ("datum ligt in de toekomst (na de dag van de import)" if limit == latest
                  else f"datum ligt meer dan {MAX_FUTURE_YEARS} jaar in de toekomst")
        add(future, name, reason, vals)
    if "birth_year" in out:
        years = out["birth_year"]
        has = _present(years)
        y = np.where(has, years, 0).astype(np.int64)
        add(has & ((y < 1900) | (y > date.today().year)), "birth_year",
            f"geboortejaar buiten het bereik 1900..{date.today().year}", years)
    if file == "cases" and "closed_at" in out and "opened_at" in out:
        o, c = out["opened_at"], out["closed_at"]
        both = _present(o) & _present(c)
        early = both & (np.where(both, c, "").astype(str) < np.where(both, o, "").astype(str))
        add(early, "closed_at", "casus gesloten vóór de datum van openen (opened_at)", c)
    if file == "cases" and "phase" in out:
        phase = out["phase"]
        has = _present(phase)
        if has.any():
            norm = _phase_normaliser()
            uniq = {str(v) for v in phase[has]}
            unknown = set()
            for v in uniq:
                try:
                    norm(v)
                except ValueError:
                    unknown.add(v)
            if unknown:
                bad = has & np.fromiter((str(v) in unknown for v in phase), dtype=bool, count=len(phase))
                add(bad, "phase", "onbekende fase (niet op de escalatieladder; zie netwerk cases --help)", phase)
