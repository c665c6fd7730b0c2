"""Case operations through the store port: open, change phase, agree, record criteria, close, list, show.

Every write is validated first (Dutch :class:`ValueError` messages) and then written with
``upsert_nodes``/``upsert_relationships``, so the same code serves both backends. Decisions are always
recorded by a person (``decided_by``); nothing here changes a phase on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import pandas as pd

from netwerk.cases.ladder import AFGESCHAALD, CLOSED_PHASES, GESLOTEN, Ladder
from netwerk.store.base import GraphStore

__all__ = [
    "AGREEMENT_STATUSES",
    "CaseFrames",
    "add_agreement",
    "case_frames",
    "change_phase",
    "close_case",
    "list_cases",
    "open_case",
    "parse_date",
    "phase_of",
    "set_criteria",
    "show_case",
    "update_agreement",
]

AGREEMENT_STATUSES = ("open", "gereed", "vervallen")
AGREEMENT_COLUMNS = ["case_id", "agreement_id", "what", "owner", "due_date", "status", "created_at"]
PHASE_CHANGE_COLUMNS = ["case_id", "change_id", "from_phase", "to_phase", "date", "reason", "decided_by"]


class CaseFrames(NamedTuple):
    """The case matrix and timelines as DataFrames (dates as ``datetime64``)."""

    agreements: pd.DataFrame  #: case_id, agreement_id, what, owner (partner_id), due_date, status, created_at
    phase_changes: pd.DataFrame  #: case_id, change_id, from_phase, to_phase, date, reason, decided_by

    @classmethod
    def from_tables(
        cls, agreements: pd.DataFrame | None = None, phase_changes: pd.DataFrame | None = None
    ) -> CaseFrames:
        """Case frames from hand-made tables (missing columns become None, dates are parsed)."""
        out = []
        for df, cols, dates in (
            (agreements, AGREEMENT_COLUMNS, ("due_date", "created_at")),
            (phase_changes, PHASE_CHANGE_COLUMNS, ("date",)),
        ):
            df = pd.DataFrame(columns=cols) if df is None else df.copy()
            for c in cols:
                if c not in df.columns:
                    df[c] = None
            for c in dates:
                df[c] = pd.to_datetime(df[c], errors="coerce", format="mixed")
            out.append(df[cols].reset_index(drop=True))
        return cls(out[0], out[1])


def case_frames(store: GraphStore) -> CaseFrames:
    """Project the agreements (matrix) and phase changes (timeline) of every case from a store."""

    def rel(rel_type: str, start: str, end: str) -> pd.DataFrame:
        return store.relationships_df(rel_type)[["start", "end"]].rename(columns={"start": start, "end": end})

    agreements = store.nodes_df("Agreement").merge(
        rel("HAS_AGREEMENT", "case_id", "agreement_id"), on="agreement_id", how="left"
    ).merge(rel("OWNED_BY", "agreement_id", "owner"), on="agreement_id", how="left")
    changes = store.nodes_df("PhaseChange").merge(
        rel("HAS_PHASE_CHANGE", "case_id", "change_id"), on="change_id", how="left"
    )
    frames = CaseFrames.from_tables(agreements, changes)
    return CaseFrames(
        frames.agreements.sort_values(["case_id", "agreement_id"], kind="stable").reset_index(drop=True),
        frames.phase_changes.sort_values(["case_id", "date", "change_id"], kind="stable").reset_index(drop=True),
    )


def parse_date(value: str | dt.date | None, what: str = "datum") -> str:
    """An ISO date string from ``value`` (ISO or dd-mm-jjjj); today when None."""
    if value is None or value == "":
        return dt.date.today().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text[:10], fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"{what} {value!r} is geen geldige datum (gebruik JJJJ-MM-DD)")


def phase_of(ladder: Ladder, value: Any) -> str:
    """The ladder phase of a stored value; unknown values are returned as they are (never raise on reads)."""
    try:
        return ladder.normalise_phase(value)
    except ValueError:
        return "" if value is None else str(value)


def _require_case(store: GraphStore, case_id: str) -> dict[str, Any]:
    case = store.get_node("Case", case_id)
    if case is None:
        raise ValueError(f"casus {case_id!r} bestaat niet")
    return case


def _require_open(ladder: Ladder, case: dict[str, Any]) -> None:
    if case.get("closed_at") or phase_of(ladder, case.get("phase")) == GESLOTEN:
        raise ValueError(f"casus {case['case_id']} is gesloten op {case.get('closed_at') or '?'}")


def _require_nodes(store: GraphStore, label: str, keys: Iterable[str], what: str) -> None:
    missing = [k for k in keys if store.get_node(label, k) is None]
    if missing:
        raise ValueError(f"onbekende {what}: {', '.join(missing)}")


def _criteria_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [c for c in str(value).split(",") if c]


def _check_criteria(ladder: Ladder, criteria: Iterable[str]) -> list[str]:
    return sorted({ladder.criterion(c).id for c in criteria})


def _next_id(existing: Iterable[str], prefix: str, width: int) -> str:
    taken = set(existing)
    n = sum(1 for k in taken if k.startswith(prefix)) + 1
    while f"{prefix}{n:0{width}d}" in taken:
        n += 1
    return f"{prefix}{n:0{width}d}"


def _case_children(store: GraphStore, rel_type: str, case_id: str) -> list[str]:
    df = store.relationships_df(rel_type)
    return df.loc[df["start"] == case_id, "end"].tolist()


def _last_change_date(store: GraphStore, case_id: str) -> str | None:
    keys = _case_children(store, "HAS_PHASE_CHANGE", case_id)
    dates = [str((store.get_node("PhaseChange", k) or {}).get("date") or "") for k in keys]
    return max((d for d in dates if d), default=None)


def _record_change(
    store: GraphStore, case_id: str, from_phase: str | None, to_phase: str, date: str, reason: str | None,
    decided_by: str | None,
) -> dict[str, Any]:
    change_id = _next_id(_case_children(store, "HAS_PHASE_CHANGE", case_id), f"{case_id}-F", 3)
    row = {
        "change_id": change_id, "from_phase": from_phase, "to_phase": to_phase, "date": date,
        "reason": reason, "decided_by": decided_by,
    }
    store.upsert_nodes("PhaseChange", [row])
    store.upsert_relationships("HAS_PHASE_CHANGE", [{"start": case_id, "end": change_id}])
    return row


def open_case(
    store: GraphStore,
    ladder: Ladder,
    *,
    title: str,
    phase: str = "1",
    opened_at: str | None = None,
    domain: str | None = None,
    casusregisseur: str | None = None,
    procesregisseur: str | None = None,
    partners: Sequence[tuple[str, str | None]] = (),
    persons: Sequence[str] = (),
    addresses: Sequence[str] = (),
    signals: Sequence[str] = (),
    criteria: Sequence[str] = (),
    decided_by: str | None = None,
    reason: str | None = None,
    case_id: str | None = None,
) -> dict[str, Any]:
    """Open a case in ``phase`` with its responsible partners and linked persons, addresses and signals.

    The opening is the first entry of the timeline (from no phase to ``phase``). Returns the case's
    properties. Unknown partners, persons, addresses or signals raise ValueError and nothing is written.
    """
    if not title or not title.strip():
        raise ValueError("een casus heeft een titel nodig (--title)")
    target = ladder.normalise_phase(phase)
    if target in CLOSED_PHASES:
        raise ValueError(f"een casus kan niet geopend worden in fase {target}")
    opened = parse_date(opened_at, "openingsdatum")
    if case_id is None:
        case_id = _next_id(store.nodes_df("Case")["case_id"].tolist(), "casus-", 4)
    elif store.get_node("Case", case_id) is not None:
        raise ValueError(f"casus {case_id!r} bestaat al")
    if not partners:
        raise ValueError("geef minstens één verantwoordelijke partner op (--partner PARTNER_ID[:rol])")
    _require_nodes(store, "Partner", [p for p, _ in partners], "partner(s)")
    _require_nodes(store, "Person", persons, "persoon/personen")
    _require_nodes(store, "Address", addresses, "adres(sen)")
    _require_nodes(store, "Signal", signals, "melding(en)")
    crit = _check_criteria(ladder, criteria)
    row = {
        "case_id": case_id, "title": title.strip(), "phase": target, "opened_at": opened, "domain": domain,
        "casusregisseur": casusregisseur, "procesregisseur": procesregisseur, "criteria": ",".join(crit) or None,
    }
    store.upsert_nodes("Case", [row])
    store.upsert_relationships(
        "HANDLED_BY", [{"start": case_id, "end": p, "role": r} for p, r in partners], "Case", "Partner"
    )
    if persons:
        store.upsert_relationships(
            "CONCERNS", [{"start": case_id, "end": p, "role": "betrokkene"} for p in persons], "Case", "Person"
        )
    if addresses:
        store.upsert_relationships(
            "CONCERNS", [{"start": case_id, "end": a, "role": "adres"} for a in addresses], "Case", "Address"
        )
    if signals:
        store.upsert_relationships("BASED_ON", [{"start": case_id, "end": s} for s in signals])
    _record_change(store, case_id, None, target, opened, reason or "casus geopend", decided_by)
    return {k: v for k, v in row.items() if v is not None}


def change_phase(
    store: GraphStore,
    ladder: Ladder,
    case_id: str,
    to_phase: str,
    *,
    decided_by: str,
    reason: str | None = None,
    date: str | None = None,
    criteria: Sequence[str] = (),
) -> dict[str, Any]:
    """Record a decision to scale a case up or down (``to_phase`` may be ``afgeschaald``).

    A jump of more than one step needs a ``reason``; the decision date may not precede the opening or
    the previous change. ``criteria`` are recorded on the case as met. Returns the PhaseChange row.
    """
    if not decided_by or not decided_by.strip():
        raise ValueError("vermeld wie het besluit neemt (--by)")
    case = _require_case(store, case_id)
    _require_open(ladder, case)
    current = phase_of(ladder, case.get("phase"))
    target = ladder.normalise_phase(to_phase)
    if target == GESLOTEN:
        raise ValueError("sluit een casus met `netwerk cases close`")
    if target == current:
        raise ValueError(f"casus {case_id} staat al in fase {current}")
    if current in ladder.phase_ids or current == AFGESCHAALD:
        steps = abs(ladder.rank(target) - ladder.rank(current))
        if steps > 1 and not (reason and reason.strip()):
            raise ValueError(
                f"een sprong van fase {current} naar fase {target} ({steps} stappen) vereist een reden (--reason)"
            )
    when = parse_date(date, "besluitdatum")
    earliest = max(filter(None, [str(case.get("opened_at") or "")[:10], _last_change_date(store, case_id)]),
                   default=None)
    if earliest and when < earliest:
        raise ValueError(f"besluitdatum {when} ligt vóór de opening of de vorige fasewijziging ({earliest})")
    crit = _check_criteria(ladder, criteria)
    change = _record_change(store, case_id, current or None, target, when, reason, decided_by.strip())
    update: dict[str, Any] = {"case_id": case_id, "phase": target}
    if crit:
        update["criteria"] = ",".join(sorted(set(_criteria_list(case.get("criteria"))) | set(crit)))
    store.upsert_nodes("Case", [update])
    return change


def set_criteria(
    store: GraphStore, ladder: Ladder, case_id: str, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> list[str]:
    """Record criteria (e.g. ``gevaar``, ``onrust_social_media``) as met on a case, or withdraw them."""
    case = _require_case(store, case_id)
    _require_open(ladder, case)
    add_ids, remove_ids = _check_criteria(ladder, add), _check_criteria(ladder, remove)
    both = set(add_ids) & set(remove_ids)
    if both:
        raise ValueError(f"criterium {', '.join(sorted(both))} tegelijk toevoegen en verwijderen kan niet")
    current = set(_criteria_list(case.get("criteria")))
    new = sorted((current | set(add_ids)) - set(remove_ids))
    store.upsert_nodes("Case", [{"case_id": case_id, "criteria": ",".join(new)}])
    return new


def add_agreement(
    store: GraphStore,
    ladder: Ladder,
    case_id: str,
    *,
    what: str,
    owner: str | None,
    due_date: str | None,
    created_at: str | None = None,
) -> dict[str, Any]:
    """Add an agreement to the case matrix: what, owner partner, due date (status ``open``)."""
    case = _require_case(store, case_id)
    _require_open(ladder, case)
    if not what or not what.strip():
        raise ValueError("een afspraak heeft een omschrijving nodig (--what)")
    if not owner:
        raise ValueError("een afspraak zonder eigenaar kan niet: geef de verantwoordelijke partner op (--owner)")
    if store.get_node("Partner", owner) is None:
        raise ValueError(f"onbekende partner {owner!r}: een afspraak moet belegd zijn bij een bekende partner")
    if not due_date:
        raise ValueError("een afspraak heeft een vervaldatum nodig (--due)")
    due = parse_date(due_date, "vervaldatum")
    created = parse_date(created_at, "aanmaakdatum")
    agreement_id = _next_id(_case_children(store, "HAS_AGREEMENT", case_id), f"{case_id}-A", 3)
    row = {"agreement_id": agreement_id, "what": what.strip(), "due_date": due, "status": "open",
           "created_at": created}
    store.upsert_nodes("Agreement", [row])
    store.upsert_relationships("HAS_AGREEMENT", [{"start": case_id, "end": agreement_id}])
    store.upsert_relationships("OWNED_BY", [{"start": agreement_id, "end": owner}])
    return {**row, "case_id": case_id, "owner": owner}


def update_agreement(store: GraphStore, agreement_id: str, status: str) -> dict[str, Any]:
    """Set an agreement's status (open, gereed, vervallen)."""
    if status not in AGREEMENT_STATUSES:
        raise ValueError(f"onbekende status {status!r}; kies uit {', '.join(AGREEMENT_STATUSES)}")
    if store.get_node("Agreement", agreement_id) is None:
        raise ValueError(f"afspraak {agreement_id!r} bestaat niet")
    store.upsert_nodes("Agreement", [{"agreement_id": agreement_id, "status": status}])
    return store.get_node("Agreement", agreement_id) or {}


def close_case(
    store: GraphStore, ladder: Ladder, case_id: str, *, decided_by: str, reason: str, date: str | None = None
) -> dict[str, Any]:
    """Close a case (phase ``gesloten``, ``closed_at``) with the decision in the timeline."""
    if not decided_by or not decided_by.strip():
        raise ValueError("vermeld wie het besluit neemt (--by)")
    if not reason or not reason.strip():
        raise ValueError("vermeld de reden om de casus te sluiten (--reason)")
    case = _require_case(store, case_id)
    _require_open(ladder, case)
    when = parse_date(date, "sluitdatum")
    opened = str(case.get("opened_at") or "")[:10]
    if opened and when < opened:
        raise ValueError(f"sluitdatum {when} ligt vóór de openingsdatum {opened}")
    change = _record_change(
        store, case_id, phase_of(ladder, case.get("phase")) or None, GESLOTEN, when, reason.strip(), decided_by.strip()
    )
    store.upsert_nodes("Case", [{"case_id": case_id, "phase": GESLOTEN, "closed_at": when}])
    return change


def list_cases(
    cases: pd.DataFrame, cf: CaseFrames, ladder: Ladder, as_of: pd.Timestamp, include_closed: bool = False
) -> pd.DataFrame:
    """One row per case: id, title, phase, domain, opened_at, casusregisseur, open and overdue agreements."""
    df = cases.copy()
    df["phase"] = [phase_of(ladder, p) for p in df["phase"]]
    if not include_closed:
        df = df[df["closed_at"].isna() & (df["phase"] != GESLOTEN)]
    ag = cf.agreements
    open_ag = ag[ag["status"].fillna("open") == "open"]
    n_open = open_ag.groupby("case_id").size()
    n_overdue = open_ag[open_ag["due_date"] < as_of.normalize()].groupby("case_id").size()
    df["open_agreements"] = df["case_id"].map(n_open).fillna(0).astype(int)
    df["overdue_agreements"] = df["case_id"].map(n_overdue).fillna(0).astype(int)
    cols = ["case_id", "title", "phase", "domain", "opened_at", "closed_at", "casusregisseur", "procesregisseur",
            "open_agreements", "overdue_agreements"]
    return df[cols].sort_values("case_id").reset_index(drop=True)


def _iso(value: Any) -> str | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)[:10]


def show_case(store: GraphStore, ladder: Ladder, case_id: str, as_of: str | None = None) -> dict[str, Any]:
    """Everything about one case: properties, phase roles, links, timeline and agreement matrix."""
    case = _require_case(store, case_id)
    phase = phase_of(ladder, case.get("phase"))
    roles = dict(ladder.phase(phase).roles) if phase in ladder.phase_ids else {}
    today = parse_date(as_of)

    def linked(rel_type: str, end_label: str) -> pd.DataFrame:
        df = store.relationships_df(rel_type, "Case", end_label)
        return df[df["start"] == case_id]

    partners = store.nodes_df("Partner").set_index("partner_id")["name"]
    cf_ag = []
    owners = store.relationships_df("OWNED_BY")
    for aid in _case_children(store, "HAS_AGREEMENT", case_id):
        a = store.get_node("Agreement", aid) or {}
        owner = owners.loc[owners["start"] == aid, "end"].tolist()
        status = a.get("status") or "open"
        cf_ag.append({
            "agreement_id": aid, "what": a.get("what"), "owner": owner[0] if owner else None,
            "owner_name": partners.get(owner[0]) if owner else None, "due_date": a.get("due_date"),
            "status": status, "overdue": status == "open" and bool(a.get("due_date")) and a["due_date"] < today,
            "created_at": a.get("created_at"),
        })
    timeline = [store.get_node("PhaseChange", k) or {} for k in _case_children(store, "HAS_PHASE_CHANGE", case_id)]
    timeline.sort(key=lambda c: (str(c.get("date") or ""), str(c.get("change_id"))))
    hp = linked("HANDLED_BY", "Partner")

    def by_role(role: str) -> str | None:
        """The case's own value, else the partners listed in that role (never '-' above a listed partner)."""
        own = case.get(role)
        if isinstance(own, str) and own.strip():
            return own
        stem = role.removesuffix("sseur")  # "casusregisseur" and "casusregie" name the same role
        names = [str(partners.get(p) or p) for p, r in zip(hp["end"], hp["role"], strict=True)
                 if isinstance(r, str) and r.strip().lower().startswith(stem)]
        return ", ".join(names) or None

    return {
        "case_id": case_id,
        "title": case.get("title"),
        "phase": phase,
        "phase_name": ladder.phase(phase).name if phase in ladder.phase_ids else phase,
        "domain": case.get("domain"),
        "opened_at": _iso(case.get("opened_at")),
        "closed_at": _iso(case.get("closed_at")),
        "casusregisseur": by_role("casusregisseur"),
        "procesregisseur": by_role("procesregisseur"),
        "criteria": _criteria_list(case.get("criteria")),
        "roles": roles,
        "partners": [
            {"partner_id": p, "name": partners.get(p), "role": r} for p, r in zip(hp["end"], hp["role"], strict=True)
        ],
        "persons": [{"person_id": p, "role": r} for p, r in linked("CONCERNS", "Person")[["end", "role"]].values],
        "addresses": [{"address_id": a, "role": r} for a, r in linked("CONCERNS", "Address")[["end", "role"]].values],
        "signals": sorted(linked("BASED_ON", "Signal")["end"].tolist()),
        "timeline": timeline,
        "agreements": sorted(cf_ag, key=lambda a: a["agreement_id"]),
    }
