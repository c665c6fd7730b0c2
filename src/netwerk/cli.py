"""The `netwerk` command line: a thin layer over the library, one module per verb group."""

from __future__ import annotations

import importlib
import sys

import typer
from typer.core import TyperGroup

from netwerk import __version__, audit
from netwerk.commands import dutch
from netwerk.commands.common import require_access

dutch.install()


class _Group(TyperGroup):
    """Keeps the subcommand's own arguments for the access check (``--store`` names the user store)."""

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        ctx.meta["netwerk_argv"] = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        return super().invoke(ctx)


app = typer.Typer(
    cls=_Group,
    name="netwerk",
    help="Netwerkanalyse voor integrale veiligheid: meldingen, personen, adressen en casussen als graaf.",
    no_args_is_help=True,
    add_completion=False,  # its options are English-only; netwerk speaks Dutch
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
    argv = ctx.meta.get("netwerk_argv", sys.argv)
    if resource and "--help" not in argv:
        # every store-level read of this one command is audited in the acting user's name
        ctx.with_resource(audit.acting(require_access(resource, argv)))


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
