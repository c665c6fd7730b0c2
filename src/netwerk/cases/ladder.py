"""The escalation ladder as data: phases, roles, criteria and overleggen from one YAML file per ladder.

Ladders live in ``src/netwerk/data/ladders/<id>.yaml``; ``almelo`` is the default, ``NETWERK_LADDER`` or
the CLI's ``--ladder`` name another one (or a path to a YAML file of the same structure, see docs/cases.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "AFGESCHAALD",
    "CLOSED_PHASES",
    "DEFAULT_LADDER",
    "GESLOTEN",
    "RULE_IDS",
    "Criterion",
    "Ladder",
    "Overleg",
    "Phase",
    "available_ladders",
    "load_ladder",
]

DEFAULT_LADDER = "almelo"
AFGESCHAALD = "afgeschaald"
GESLOTEN = "gesloten"
CLOSED_PHASES = frozenset({AFGESCHAALD, GESLOTEN})

#: The advice rules a criterion may name (implemented in :mod:`netwerk.cases.advice`).
RULE_IDS = frozenset({
    "stagnation", "new_signals", "several_domains", "victims_perpetrators", "hotspot", "fenomeen_hotspot",
    "indicator_flags", "quiet",
})
_RULE_DEFAULTS: dict[str, Any] = {
    "new_signals_min": 2,
    "several_domains_min": 2,
    "victims_perpetrators_min": 3,
    "quiet_days": 90,
    "indicator_min_score": 0.0,
    "ignore_domains": ["overig", "onbekend"],  # an unknown category is no evidence of another domain
}
_PHASE_RE = re.compile(r"^\s*(?:fase|ave|niveau)?\s*([0-9]+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Criterion:
    """A criterion to scale up or down; ``rules`` are the graph rules that can signal it."""

    id: str
    text: str
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Phase:
    """One rung of the ladder with its roles and the criteria to leave it upwards or downwards."""

    id: str
    name: str
    description: str = ""
    roles: Mapping[str, str] = field(default_factory=dict)
    action: str = ""
    routes: str = ""
    up_triggers: tuple[str, ...] = ()
    up_required: tuple[str, ...] = ()
    up_text: str = ""
    down_mode: str = "all"
    down_criteria: tuple[str, ...] = ()
    down_blocked_by: tuple[str, ...] = ()
    down_text: str = ""
    down_decided_by: str = ""


@dataclass(frozen=True)
class Overleg:
    """A recurring meeting: its interval and the domains it discusses."""

    id: str
    name: str
    interval_days: int
    domains: tuple[str, ...] = ()
    participants: str = ""


@dataclass(frozen=True)
class Ladder:
    """An escalation ladder loaded from YAML (see :func:`load_ladder`)."""

    id: str
    name: str
    source: str
    phases: tuple[Phase, ...]
    criteria: Mapping[str, Criterion]
    rules: Mapping[str, Any]
    overleggen: Mapping[str, Overleg]

    @property
    def phase_ids(self) -> list[str]:
        return [p.id for p in self.phases]

    def phase(self, phase_id: str) -> Phase:
        for p in self.phases:
            if p.id == phase_id:
                return p
        raise ValueError(f"onbekende fase {phase_id!r} in ladder {self.id}; kies uit {', '.join(self.phase_ids)}")

    def normalise_phase(self, value: object) -> str:
        """The ladder's phase id for ``value`` ('3', 3, 'fase 3', 'AVE 3', 'afgeschaald', 'gesloten')."""
        if value is None or (isinstance(value, float) and value != value):
            raise ValueError("fase ontbreekt")
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text.lower() in CLOSED_PHASES:
            return text.lower()
        m = _PHASE_RE.match(text)
        if m and m.group(1) in self.phase_ids:
            return m.group(1)
        if text in self.phase_ids:
            return text
        raise ValueError(
            f"onbekende fase {value!r}; kies uit {', '.join(self.phase_ids)}, {AFGESCHAALD} of {GESLOTEN}"
        )

    def rank(self, phase_id: str) -> int:
        """Position on the ladder: afgeschaald 0, the phases 1..n, gesloten n+1."""
        if phase_id == AFGESCHAALD:
            return 0
        if phase_id == GESLOTEN:
            return len(self.phases) + 1
        return self.phase_ids.index(self.phase(phase_id).id) + 1

    def up(self, phase_id: str) -> str | None:
        """The next phase up, or None at the top."""
        r = self.rank(phase_id)
        return self.phases[r].id if r < len(self.phases) else None

    def down(self, phase_id: str) -> str:
        """The next phase down (below the first phase: afgeschaald)."""
        r = self.rank(phase_id)
        return self.phases[r - 2].id if r >= 2 else AFGESCHAALD

    def criterion(self, criterion_id: str) -> Criterion:
        try:
            return self.criteria[criterion_id]
        except KeyError:
            raise ValueError(
                f"onbekend criterium {criterion_id!r} in ladder {self.id}; bekend: {', '.join(sorted(self.criteria))}"
            ) from None

    def overleg(self, overleg_id: str) -> Overleg:
        try:
            return self.overleggen[overleg_id]
        except KeyError:
            raise ValueError(
                f"onbekend overleg {overleg_id!r}; kies uit {', '.join(self.overleggen)}"
            ) from None


def available_ladders() -> list[str]:
    """Names of the ladders shipped with netwerk."""
    folder = resources.files("netwerk") / "data" / "ladders"
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_ladder(spec: str | Path | None = None) -> Ladder:
    """Load a ladder by name (``almelo``, ``oldambt``) or YAML path; default ``$NETWERK_LADDER`` or almelo.

    Raises ValueError (Dutch message) when the file is missing or inconsistent: unknown criteria in a
    phase, unknown rule names, duplicate phases, non-positive overleg intervals.

    Examples
    --------
    >>> ladder = load_ladder("almelo")
    >>> ladder.phase_ids, ladder.up("2"), ladder.down("1")
    (['1', '2', '3', '4'], '3', 'afgeschaald')
    """
    spec = str(spec or os.environ.get("NETWERK_LADDER") or DEFAULT_LADDER)
    if spec.endswith((".yaml", ".yml")) or os.sep in spec:
        path = Path(spec)
        if not path.is_file():
            raise ValueError(f"ladderbestand {spec} bestaat niet")
        text = path.read_text(encoding="utf-8")
    else:
        res = resources.files("netwerk") / "data" / "ladders" / f"{spec}.yaml"
        if not res.is_file():
            raise ValueError(f"onbekende ladder {spec!r}; kies uit {', '.join(available_ladders())} of geef een pad")
        text = res.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"ladder {spec}: ongeldige YAML: {exc}") from exc
    return _parse(spec, data)


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _parse(spec: str, data: Any) -> Ladder:
    if not isinstance(data, dict) or not data.get("phases"):
        raise ValueError(f"ladder {spec}: 'phases' ontbreekt")
    criteria: dict[str, Criterion] = {}
    for cid, c in (data.get("criteria") or {}).items():
        c = c or {}
        rules = _tuple(c.get("rules"))
        unknown = sorted(set(rules) - RULE_IDS)
        if unknown:
            raise ValueError(f"ladder {spec}: criterium {cid} noemt onbekende regel(s) {', '.join(unknown)}")
        criteria[str(cid)] = Criterion(str(cid), str(c.get("text") or cid), rules)
    phases: list[Phase] = []
    for raw in data["phases"]:
        up, down = raw.get("up") or {}, raw.get("down") or {}
        phase = Phase(
            id=str(raw["id"]),
            name=str(raw.get("name") or f"fase {raw['id']}"),
            description=str(raw.get("description") or "").strip(),
            roles={str(k): str(v) for k, v in (raw.get("roles") or {}).items()},
            action=str(raw.get("action") or "").strip(),
            routes=str(raw.get("routes") or "").strip(),
            up_triggers=_tuple(up.get("triggers")),
            up_required=_tuple(up.get("required")),
            up_text=str(up.get("text") or "").strip(),
            down_mode=str(down.get("mode") or "all"),
            down_criteria=_tuple(down.get("criteria")),
            down_blocked_by=_tuple(down.get("blocked_by")),
            down_text=str(down.get("text") or "").strip(),
            down_decided_by=str(down.get("decided_by") or ""),
        )
        if phase.down_mode not in ("all", "any"):
            raise ValueError(f"ladder {spec}: fase {phase.id}: down.mode moet 'all' of 'any' zijn")
        used = (*phase.up_triggers, *phase.up_required, *phase.down_criteria, *phase.down_blocked_by)
        missing = sorted(set(used) - set(criteria))
        if missing:
            raise ValueError(f"ladder {spec}: fase {phase.id} noemt onbekende criteria {', '.join(missing)}")
        if phase.id in CLOSED_PHASES or any(p.id == phase.id for p in phases):
            raise ValueError(f"ladder {spec}: fase-id {phase.id!r} is dubbel of gereserveerd")
        phases.append(phase)
    thresholds = {**_RULE_DEFAULTS, **(data.get("rules") or {})}
    overleggen: dict[str, Overleg] = {}
    for oid, o in (data.get("overleggen") or {}).items():
        interval = o.get("interval_days")
        if not isinstance(interval, int) or interval <= 0:
            raise ValueError(f"ladder {spec}: overleg {oid}: interval_days moet een positief geheel getal zijn")
        overleggen[str(oid)] = Overleg(
            str(oid), str(o.get("name") or oid), interval, _tuple(o.get("domains")), str(o.get("participants") or "")
        )
    return Ladder(
        id=str(data.get("id") or Path(spec).stem),
        name=str(data.get("name") or spec),
        source=str(data.get("source") or ""),
        phases=tuple(phases),
        criteria=criteria,
        rules=thresholds,
        overleggen=overleggen,
    )
