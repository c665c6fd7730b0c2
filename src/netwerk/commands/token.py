"""`netwerk token create|revoke|list`: API bearer tokens (shown once, stored hashed, expiring)."""

from __future__ import annotations

from typing import Annotated

import typer

from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, print_json, store_from, user_errors

__all__ = ["register"]

app = typer.Typer(help="API-tokens: eenmalig getoond, gehasht bewaard, verlopen en intrekbaar.", no_args_is_help=True)


@app.command("create")
def create(
    name: str,
    geldig: Annotated[str, typer.Option("--geldig", help="Geldigheid: 30d, 12h, 2w of 3m (hoogstens 366 dagen).")]
    = "30d",
    store: StoreOpt = None,
) -> None:
    """Maak een token voor een gebruiker; het token staat eenmalig op de laatste regel."""
    from netwerk.auth import create_token, parse_duration

    with store_from(store) as st, user_errors():
        token, info = create_token(st, name, parse_duration(geldig))
    typer.echo(f"Token {info.id} voor {info.user}, geldig tot {info.expires_at} (UTC). Bewaar het nu: "
               "het wordt niet opnieuw getoond.")
    typer.echo(token)


@app.command("revoke")
def revoke(
    name: str,
    token_id: Annotated[str | None, typer.Option("--id", help="Alleen dit token (begin van de id).")] = None,
    store: StoreOpt = None,
) -> None:
    """Trek de tokens van een gebruiker in (of één token met --id)."""
    from netwerk.auth import revoke_tokens

    with store_from(store) as st, user_errors():
        n = revoke_tokens(st, name, token_id)
    console.print(f"{n} token(s) van {name} ingetrokken.")


@app.command("list")
def list_(name: Annotated[str | None, typer.Argument()] = None, store: StoreOpt = None,
          fmt: FormatOpt = Format.table) -> None:
    """Toon tokens (id, gebruiker, geldig tot, ingetrokken); nooit de tokens zelf."""
    from netwerk.auth import list_tokens

    with store_from(store) as st:
        tokens = list_tokens(st, name)
    if fmt is Format.json:
        print_json([t.to_dict() for t in tokens])
        return
    for t in tokens:
        console.print(f"{t.id}\t{t.user}\ttot {t.expires_at}\t{'ingetrokken ' + t.revoked_at if t.revoked_at else ''}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="token")
