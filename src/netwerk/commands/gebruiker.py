"""`netwerk gebruiker add|list|disable|reset`: users kept server-side (argon2id password hashes)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, fail, print_json, store_from, user_errors

__all__ = ["register"]

app = typer.Typer(help="Gebruikers beheren (rol per gebruiker; wachtwoorden gehasht met argon2id).",
                  no_args_is_help=True)
RolOpt = Annotated[str | None, typer.Option("--rol", help="Rol: analist, coordinator_jeugd, veiligheidsadviseur, "
                                                          "privacy_officer of beheerder (zie rollen.yaml).")]
StdinOpt = Annotated[bool, typer.Option("--wachtwoord-stdin", help="Lees het wachtwoord van standaardinvoer.")]


def _password(stdin: bool) -> str:
    if stdin:
        text = sys.stdin.readline().rstrip("\r\n")
        if not text:
            raise fail("geen wachtwoord op standaardinvoer")
        return text
    first = typer.prompt("Wachtwoord", hide_input=True)
    if typer.prompt("Nogmaals", hide_input=True) != first:
        raise fail("de wachtwoorden verschillen")
    return str(first)


@app.command("add")
def add(name: str, rol: RolOpt = None, wachtwoord_stdin: StdinOpt = False, store: StoreOpt = None) -> None:
    """Voeg een gebruiker toe met een rol."""
    from netwerk.auth import add_user

    if not rol:
        raise fail("geef --rol op")
    password = _password(wachtwoord_stdin)
    with store_from(store, create=True) as st, user_errors():
        user = add_user(st, name, password, rol)
    console.print(f"Gebruiker {user.name} toegevoegd met rol {user.role}.")


@app.command("list")
def list_(store: StoreOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Toon de gebruikers (zonder wachtwoorden)."""
    from netwerk.auth import list_users

    with store_from(store) as st:
        users = list_users(st)
    if fmt is Format.json:
        print_json([u.to_dict() for u in users])
        return
    for u in users:
        console.print(f"{u.name}\t{u.role}\t{'actief' if u.active else 'uitgeschakeld'}")
    if not users:
        console.print("Nog geen gebruikers (de CLI werkt dan als één lokale gebruiker, zie docs/beveiliging.md).")


@app.command("disable")
def disable(name: str, store: StoreOpt = None) -> None:
    """Schakel een gebruiker uit: wachtwoord, tokens en sessies werken direct niet meer."""
    from netwerk.auth import disable_user

    with store_from(store) as st, user_errors():
        disable_user(st, name)
    console.print(f"Gebruiker {name} uitgeschakeld.")


@app.command("reset")
def reset(name: str, rol: RolOpt = None, wachtwoord_stdin: StdinOpt = False, store: StoreOpt = None) -> None:
    """Zet een nieuw wachtwoord (en eventueel een andere rol) en schakel de gebruiker weer in."""
    from netwerk.auth import reset_user

    password = _password(wachtwoord_stdin)
    with store_from(store) as st, user_errors():
        user = reset_user(st, name, password, rol)
    console.print(f"Gebruiker {user.name} hersteld (rol {user.role}).")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="gebruiker")
