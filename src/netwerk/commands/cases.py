"""`netwerk cases`: open, escalate, agree, close, list, show and advise cases on the escalation ladder."""

from __future__ import annotations

import numbers
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from netwerk.cases import (
    AGREEMENT_STATUSES,
    add_agreement,
    advise,
    case_frames,
    change_phase,
    close_case,
    list_cases,
    load_ladder,
    open_case,
    set_criteria,
    show_case,
    update_agreement,
)
from netwerk.cases.advice import as_of_day
from netwerk.cases.inputs import analyses_for
from netwerk.cases.ladder import Ladder
from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, print_json, store_from, user_errors
from netwerk.dating import record_date
from netwerk.frames import Frames
from netwerk.store import GraphStore

__all__ = ["LadderOpt", "cases_app", "ladder_from", "register"]

cases_app = typer.Typer(
    help="Casussen, partners en de escalatieladder (fasen, afspraken, advies).", no_args_is_help=True
)

LadderOpt = Annotated[
    str | None,
    typer.Option("--ladder", envvar="NETWERK_LADDER",
                 help="Escalatieladder: almelo (standaard), oldambt of een pad naar een YAML-bestand."),
]
DateOpt = Annotated[str | None, typer.Option(
    "--date", help="Datum (JJJJ-MM-DD); standaard vandaag, of de laatste datum in de data als die historisch is.")]


def _record_day(st: GraphStore, date: str | None) -> str:
    """The given date, else :func:`netwerk.dating.record_date` of the latest signal (historical data: its end)."""
    if date:
        return date
    sig = st.nodes_df("Signal")
    last = pd.to_datetime(sig["reported_at"], errors="coerce").max() if "reported_at" in sig else None
    return record_date(last).isoformat()
ByOpt = Annotated[str | None, typer.Option("--by", help="Wie het besluit neemt (naam of functie).")]
ReasonOpt = Annotated[str | None, typer.Option("--reason", help="Reden van het besluit.")]
CriteriaOpt = Annotated[
    list[str] | None,
    typer.Option("--criterium", help="Criterium dat is vastgesteld (herhaalbaar; zie `netwerk cases ladder`)."),
]
NoAnalysesOpt = Annotated[
    bool, typer.Option("--zonder-analyses", help="Sla hotspot- en indicatoranalyse over (sneller).")
]


def ladder_from(spec: str | None) -> Ladder:
    with user_errors():
        return load_ladder(spec)


def _partners(values: list[str] | None) -> list[tuple[str, str | None]]:
    out = []
    for v in values or []:
        pid, _, role = v.partition(":")
        out.append((pid.strip(), role.strip() or None))
    return out


def _emit(fmt: Format, data: Any, message: str) -> None:
    """Print a command's result: ``data`` as JSON (``--format json``) or the Dutch ``message``."""
    if fmt is Format.json:
        print_json(data)
    else:
        console.print(message)


def _value(v: Any) -> str:
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    return str(v)


@cases_app.command("list")
def list_cmd(
    store: StoreOpt = None,
    ladder: LadderOpt = None,
    all_: Annotated[bool, typer.Option("--all", help="Ook gesloten casussen.")] = False,
    date: Annotated[str | None, typer.Option("--date", help="Peildatum voor verlopen afspraken.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Toon de casussen met fase, casusregisseur en (verlopen) afspraken."""
    lad = ladder_from(ladder)
    with store_from(store) as st:
        frames, cf = Frames.from_store(st), case_frames(st)
        df = list_cases(frames.cases, cf, lad, as_of_day(frames, cf, date), include_closed=all_)
    if fmt is Format.json:
        print_json([{k: int(v) if isinstance(v, numbers.Integral) else (_value(v) or None) for k, v in r.items()}
                    for r in df.to_dict("records")])
        return
    table = Table(title=f"Casussen ({lad.name})")
    for col in ("Casus", "Titel", "Fase", "Domein", "Geopend", "Casusregisseur", "Open afspraken", "Verlopen"):
        table.add_column(col)
    for r in df.itertuples():
        table.add_row(r.case_id, _value(r.title), r.phase, _value(r.domain), _value(r.opened_at),
                      _value(r.casusregisseur), str(r.open_agreements), str(r.overdue_agreements))
    console.print(table)


@cases_app.command("show")
def show_cmd(
    case_id: Annotated[str, typer.Argument(help="Casus-id.")],
    store: StoreOpt = None,
    ladder: LadderOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Toon één casus: fase en rollen, partners, betrokkenen, tijdlijn en afsprakenmatrix."""
    lad = ladder_from(ladder)
    with store_from(store) as st:
        case = show_case(st, lad, case_id)
    if fmt is Format.json:
        print_json(case)
        return
    console.print(f"[bold]{case['case_id']}[/] {case['title'] or ''}")
    console.print(f"Fase: {case['phase_name']} · domein: {case['domain'] or '-'} · geopend {case['opened_at']}"
                  + (f" · gesloten {case['closed_at']}" if case["closed_at"] else ""))
    console.print(f"Casusregisseur: {case['casusregisseur'] or '-'} · "
                  f"procesregisseur: {case['procesregisseur'] or '-'}")
    for role, who in case["roles"].items():
        console.print(f"  {role.replace('_', ' ')}: {who}")
    if case["criteria"]:
        console.print("Vastgestelde criteria: " + ", ".join(case["criteria"]))
    console.print("Partners: " + (", ".join(f"{p['name'] or p['partner_id']} ({p['role'] or '-'})"
                                           for p in case["partners"]) or "-"))
    console.print(f"Personen: {len(case['persons'])} · adressen: {len(case['addresses'])} · "
                  f"meldingen: {len(case['signals'])}")
    tl = Table(title="Tijdlijn")
    for col in ("Datum", "Van", "Naar", "Reden", "Besluit door"):
        tl.add_column(col)
    for c in case["timeline"]:
        tl.add_row(_value(c.get("date")), _value(c.get("from_phase")), _value(c.get("to_phase")),
                   _value(c.get("reason")), _value(c.get("decided_by")))
    console.print(tl)
    ag = Table(title="Afspraken (matrix)")
    for col in ("Afspraak", "Wat", "Eigenaar", "Vervaldatum", "Status"):
        ag.add_column(col)
    for a in case["agreements"]:
        ag.add_row(a["agreement_id"], _value(a["what"]), _value(a["owner_name"] or a["owner"]),
                   _value(a["due_date"]), "verlopen" if a["overdue"] else a["status"])
    console.print(ag)


@cases_app.command("open")
def open_cmd(
    title: Annotated[str, typer.Option("--title", help="Titel van de casus.")],
    partner: Annotated[
        list[str] | None, typer.Option("--partner", help="Verantwoordelijke partner: PARTNER_ID[:rol] (herhaalbaar).")
    ] = None,
    phase: Annotated[str, typer.Option("--phase", help="Beginfase (standaard 1).")] = "1",
    person: Annotated[list[str] | None, typer.Option("--person", help="Betrokken persoon (pseudoniem).")] = None,
    address: Annotated[list[str] | None, typer.Option("--address", help="Betrokken adres (address_id).")] = None,
    signal: Annotated[list[str] | None, typer.Option("--signal", help="Melding waarop de casus rust.")] = None,
    domain: Annotated[str | None, typer.Option("--domain", help="Domein van de casus.")] = None,
    casusregisseur: Annotated[str | None, typer.Option("--casusregisseur")] = None,
    procesregisseur: Annotated[str | None, typer.Option("--procesregisseur")] = None,
    case_id: Annotated[str | None, typer.Option("--id", help="Eigen casus-id (standaard casus-NNNN).")] = None,
    criterium: CriteriaOpt = None,
    by: ByOpt = None,
    reason: ReasonOpt = None,
    date: DateOpt = None,
    store: StoreOpt = None,
    ladder: LadderOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Open een casus met verantwoordelijke partners en gekoppelde personen, adressen en meldingen."""
    lad = ladder_from(ladder)
    with store_from(store) as st:
        row = open_case(
            st, lad, title=title, phase=phase, opened_at=_record_day(st, date), domain=domain,
            casusregisseur=casusregisseur,
            procesregisseur=procesregisseur, partners=_partners(partner), persons=person or [],
            addresses=address or [], signals=signal or [], criteria=criterium or [], decided_by=by, reason=reason,
            case_id=case_id,
        )
    _emit(fmt, row, f"Casus [bold]{row['case_id']}[/] geopend in fase {row['phase']} "
                    f"({lad.phase(row['phase']).name}).")


@cases_app.command("escalate")
def escalate_cmd(
    case_id: Annotated[str, typer.Argument(help="Casus-id.")],
    to: Annotated[str, typer.Option("--to", help="Nieuwe fase (1-4 of afgeschaald); op- of afschalen.")],
    by: ByOpt = None,
    reason: ReasonOpt = None,
    criterium: CriteriaOpt = None,
    date: DateOpt = None,
    store: StoreOpt = None,
    ladder: LadderOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Leg een besluit vast om een casus op of af te schalen (een sprong vereist een reden)."""
    lad = ladder_from(ladder)
    with store_from(store) as st:
        change = change_phase(st, lad, case_id, to, decided_by=by or "", reason=reason, date=_record_day(st, date),
                              criteria=criterium or [])
    if fmt is Format.json:
        print_json(change)
        return
    verb = "opgeschaald" if lad.rank(change["to_phase"]) > lad.rank(change["from_phase"] or change["to_phase"]) \
        else "afgeschaald"
    console.print(f"Casus {case_id} {verb}: fase {change['from_phase']} → {change['to_phase']} "
                  f"op {change['date']} (besluit: {change['decided_by']}).")


@cases_app.command("criteria")
def criteria_cmd(
    case_id: Annotated[str, typer.Argument(help="Casus-id.")],
    set_: Annotated[list[str] | None, typer.Option("--set", help="Criterium vastleggen (herhaalbaar).")] = None,
    unset: Annotated[list[str] | None, typer.Option("--unset", help="Criterium intrekken (herhaalbaar).")] = None,
    store: StoreOpt = None,
    ladder: LadderOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Leg criteria vast op een casus (bijv. gevaar, onrust_social_media) of trek ze in."""
    lad = ladder_from(ladder)
    if not set_ and not unset:
        with user_errors():
            raise ValueError("geef --set en/of --unset op; criteria: " + ", ".join(sorted(lad.criteria)))
    with store_from(store) as st:
        crit = set_criteria(st, lad, case_id, set_ or [], unset or [])
    _emit(fmt, {"case_id": case_id, "criteria": crit},
          f"Casus {case_id}: vastgestelde criteria: {', '.join(crit) or 'geen'}.")


@cases_app.command("agree")
def agree_cmd(
    case_id: Annotated[str, typer.Argument(help="Casus-id.")],
    what: Annotated[str | None, typer.Option("--what", help="Wat is afgesproken.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Partner die de afspraak uitvoert (partner_id).")] = None,
    due: Annotated[str | None, typer.Option("--due", help="Vervaldatum (JJJJ-MM-DD).")] = None,
    update: Annotated[str | None, typer.Option("--update", help="Bestaande afspraak bijwerken (agreement_id).")] = None,
    status: Annotated[str | None, typer.Option("--status", help=f"Nieuwe status: {', '.join(AGREEMENT_STATUSES)}.")]
    = None,
    date: DateOpt = None,
    store: StoreOpt = None,
    ladder: LadderOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Voeg een afspraak toe aan de matrix (wat, eigenaar, vervaldatum) of werk de status bij."""
    lad = ladder_from(ladder)
    with store_from(store) as st:
        if update:
            if not status:
                raise ValueError("geef de nieuwe status op (--status)")
            agreements = case_frames(st).agreements
            if update not in set(agreements.loc[agreements["case_id"] == case_id, "agreement_id"]):
                raise ValueError(f"afspraak {update!r} hoort niet bij casus {case_id}")
            row = update_agreement(st, update, status)
            msg = f"Afspraak {update}: status {status}."
        else:
            if status:
                raise ValueError("--status hoort bij --update; een nieuwe afspraak begint als 'open'")
            row = add_agreement(st, lad, case_id, what=what or "", owner=owner, due_date=due,
                                created_at=_record_day(st, date))
            msg = (f"Afspraak {row['agreement_id']} vastgelegd: {row['what']} "
                   f"(bij {owner}, uiterlijk {row['due_date']}).")
    _emit(fmt, row, msg)


@cases_app.command("close")
def close_cmd(
    case_id: Annotated[str, typer.Argument(help="Casus-id.")],
    by: ByOpt = None,
    reason: ReasonOpt = None,
    date: DateOpt = None,
    store: StoreOpt = None,
    ladder: LadderOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Sluit een casus (het besluit komt in de tijdlijn)."""
    lad = ladder_from(ladder)
    with store_from(store) as st:
        change = close_case(st, lad, case_id, decided_by=by or "", reason=reason or "", date=_record_day(st, date))
    _emit(fmt, change, f"Casus {case_id} gesloten op {change['date']} (besluit: {change['decided_by']}).")


@cases_app.command("advise")
def advise_cmd(
    case_id: Annotated[str | None, typer.Argument(help="Casus-id (standaard: alle open casussen).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Peildatum; standaard de laatste datum in de data.")]
    = None,
    all_: Annotated[bool, typer.Option("--all", help="Ook casussen met advies 'handhaven'.")] = False,
    no_analyses: NoAnalysesOpt = False,
    store: StoreOpt = None,
    ladder: LadderOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Advies om casussen op of af te schalen, met de criteria en het bewijs (een persoon besluit)."""
    lad = ladder_from(ladder)
    with store_from(store) as st:
        frames, cf = Frames.from_store(st), case_frames(st)
        hotspots, flags, notes = analyses_for(frames, no_analyses, store=st)
        advice = advise(frames, cf, lad, as_of=date, hotspots=hotspots, flags=flags,
                        case_ids=[case_id] if case_id else None)
    if case_id is None and not all_:
        advice = [a for a in advice if a.direction != "handhaven"]
    if fmt is Format.json:
        print_json({"ladder": lad.id, "date": str(as_of_day(frames, cf, date).date()), "notes": notes,
                    "advice": [a.to_dict() for a in advice]})
        return
    if case_id and not advice:
        console.print(f"Casus {case_id} is gesloten of staat niet op een fase van de ladder: geen advies.")
    for a in advice:
        console.print(f"[bold]{a.case_id}[/] {a.title} – fase {a.phase}: [bold]{a.direction}[/]"
                      + (f" → {a.to_phase}" if a.to_phase else ""))
        console.print(f"  {a.text}")
        for e in a.supporting():
            console.print(f"  • {e['text']}")
    if not advice and not case_id:
        console.print("Geen casussen met een advies om op of af te schalen.")
    for n in notes:
        console.print(f"[yellow]{n}[/]")


@cases_app.command("ladder")
def ladder_cmd(ladder: LadderOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Toon de escalatieladder: fasen, rollen en criteria om op en af te schalen."""
    lad = ladder_from(ladder)
    if fmt is Format.json:
        print_json({
            "id": lad.id, "name": lad.name, "source": lad.source, "rules": dict(lad.rules),
            "phases": [{**p.__dict__, "roles": dict(p.roles)} for p in lad.phases],
            "criteria": {c.id: {"text": c.text, "rules": list(c.rules)} for c in lad.criteria.values()},
            "overleggen": {o.id: o.__dict__ for o in lad.overleggen.values()},
        })
        return
    console.print(f"[bold]{lad.name}[/] ({lad.source})")
    for p in lad.phases:
        console.print(f"\n[bold]Fase {p.id}: {p.name}[/]\n  {p.description}")
        for role, who in p.roles.items():
            console.print(f"  {role.replace('_', ' ')}: {who}")
        for label, ids in (("Opschalen als", p.up_triggers), ("Voorwaarden (allemaal ja)", p.up_required),
                           (f"Afschalen ({'alle' if p.down_mode == 'all' else 'één'})", p.down_criteria),
                           ("Afschalen niet bij", p.down_blocked_by)):
            if ids:
                console.print(f"  {label}:")
                for c in ids:
                    crit = lad.criterion(c)
                    rules = f" (regels: {', '.join(crit.rules)})" if crit.rules else ""
                    console.print(f"    - {c}: {crit.text}{rules}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
