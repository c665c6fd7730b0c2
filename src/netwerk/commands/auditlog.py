"""`netwerk audit list|verify`: show the audit log and check its hash chain (exit 0 intact, 1 otherwise)."""

from __future__ import annotations

from typing import Annotated

import typer

from netwerk.commands.common import Format, FormatOpt, console, err_console, fail, print_json, user_errors

__all__ = ["register"]

app = typer.Typer(help="Het auditlog (NETWERK_AUDIT_LOG): tonen en de hashketen controleren.", no_args_is_help=True)


@app.command("list")
def list_(
    user: Annotated[str | None, typer.Option("--user", help="Alleen deze gebruiker.")] = None,
    last: Annotated[int, typer.Option("--last", min=1, help="Alleen de laatste N regels.")] = 50,
    fmt: FormatOpt = Format.table,
) -> None:
    """Toon de laatste regels van het auditlog."""
    from netwerk import audit

    with user_errors():
        entries = [e for e in audit.read_entries() if user is None or e.get("user") == user][-last:]
    if fmt is Format.json:
        print_json(entries)
        return
    for e in entries:
        console.print(f"{e.get('seq')}\t{e.get('at')}\t{e.get('user')}\t{e.get('role')}/{e.get('purpose')}\t"
                      f"{e.get('action')}\t{e.get('subject')}\t{e.get('endpoint')}\t{e.get('outcome')}",
                      markup=False, highlight=False)


@app.command("verify")
def verify() -> None:
    """Controleer de hashketen: exit 0 als het log ongeschonden is, 1 als er iets gewijzigd of weg is."""
    from netwerk import audit

    result = audit.verify()
    if result.ok:
        console.print(f"Auditlog ongeschonden: {result.entries} regels ({audit.audit_log_path()}).")
        return
    for p in result.problems:
        err_console.print(p, markup=False)
    raise fail(f"auditlog NIET ongeschonden: {len(result.problems)} probleem/problemen in {audit.audit_log_path()}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
