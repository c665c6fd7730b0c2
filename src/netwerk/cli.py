"""The `netwerk` command line: a thin layer over the library, one module per verb group."""

from __future__ import annotations

import importlib
import sys

import typer

from netwerk import __version__
from netwerk.commands import dutch
from netwerk.commands.common import require_access

dutch.install()

app = typer.Typer(
    name="netwerk",
    help="Netwerkanalyse voor integrale veiligheid: meldingen, personen, adressen en casussen als graaf.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

#: Command modules in src/netwerk/commands/, each with ``register(app)``.
COMMAND_MODULES = (
    "stats",
    "categorieen",
    "schema",
    "generate",
    "ingest",
    "hotspots",
    "fenomeen",
    "groups",
    "indicators",
    "review",
    "cases",
    "agenda",
    "demo",
    "gebruiker", "token", "auditlog", "bewaartermijn",
    "gebieden",
    "monitor", "waak", "maatregel", "controle",
    "serve",
)


#: top-level command → resource checked against the acting role and purpose (src/netwerk/access.py)
RESOURCE_OF = {
    "stats": "stats",
    "categorieen": "stats",
    "schema": "schema",
    "ingest": "ingest",
    "signalen": "ingest",
    "hotspots": "hotspots",
    "fenomeen": "fenomeen",
    "groups": "groups",
    "indicators": "indicators",
    "review": "review",
    "cases": "cases",
    "agenda": "agenda",
    "gebruiker": "users", "token": "users", "audit": "audit", "bewaartermijn": "retention",
    "gebieden": "ingest",
    "monitor": "monitor", "waak": "waak", "maatregel": "maatregel", "controle": "controle",
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"netwerk {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Toon de versie."),
) -> None:
    """Netwerkanalyse voor integrale veiligheid. Rol en doel: NETWERK_ROLE en NETWERK_PURPOSE."""
    resource = RESOURCE_OF.get(ctx.invoked_subcommand or "")
    if resource and "--help" not in sys.argv:
        require_access(resource)


for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"netwerk.commands.{_name}")
    except ModuleNotFoundError as exc:  # a verb group still being built
        if exc.name != f"netwerk.commands.{_name}":
            raise
        continue
    _module.register(app)


def main() -> None:
    app()
