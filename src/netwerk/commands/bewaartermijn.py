"""`netwerk bewaartermijn [--uitvoeren]`: list, then remove what is past its retention term."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, print_json, store_from, user_errors

__all__ = ["register"]


def bewaartermijn(
    uitvoeren: Annotated[bool, typer.Option("--uitvoeren", help="Verwijder echt (zonder: alleen tonen).")] = False,
    peildatum: Annotated[str | None, typer.Option("--peildatum", help="Rekenen vanaf deze datum (standaard "
                                                                       "vandaag), JJJJ-MM-DD.")] = None,
    store: StoreOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Toon (en verwijder met --uitvoeren) meldingen, casussen en personen voorbij hun bewaartermijn.

    Termijnen: NETWERK_RETENTION_SIGNAL_DAYS, NETWERK_RETENTION_CASE_DAYS, NETWERK_RETENTION_PERSON_DAYS.
    Adressen, gebieden, ondernemingen en partners blijven staan.
    """
    from netwerk.audit import current_actor
    from netwerk.auth.retention import apply_retention, plan_retention
    from netwerk.settings import Settings

    s = Settings()
    with user_errors():
        today = date.fromisoformat(peildatum) if peildatum else None
    with store_from(store) as st:
        plan = plan_retention(st, signal_days=s.retention_signal_days, case_days=s.retention_case_days,
                              person_days=s.retention_person_days, today=today)
        done = None
        if uitvoeren:
            vault = None
            if s.vault_path and (s.vault_key or s.vault_key_file):
                from netwerk.auth.vault import open_vault

                vault = open_vault(s.vault_path, s.vault_key, s.vault_key_file)
            done = apply_retention(st, plan, current_actor(), vault)
    if fmt is Format.json:
        print_json({**plan.to_dict(), "uitgevoerd": done})
        return
    console.print(f"Voorbij de bewaartermijn: {len(plan.signals)} meldingen (vóór {plan.cutoffs['signal']}), "
                  f"{len(plan.cases)} afgesloten casussen (vóór {plan.cutoffs['case']}), "
                  f"{len(plan.persons)} personen (niets sinds {plan.cutoffs['person']}).")
    console.print("Verwijderd." if done is not None else "Niets verwijderd; gebruik --uitvoeren om te verwijderen.")


def register(app: typer.Typer) -> None:
    app.command("bewaartermijn")(bewaartermijn)
