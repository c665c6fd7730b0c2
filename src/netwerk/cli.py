"""The `netwerk` command line: a thin layer over the library, one module per verb group."""

from __future__ import annotations

import importlib

import typer

from netwerk import __version__

app = typer.Typer(
    name="netwerk",
    help="Netwerkanalyse voor integrale veiligheid: meldingen, personen, adressen en casussen als graaf.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

#: Command modules in src/netwerk/commands/, each with ``register(app)``.
COMMAND_MODULES = (
    "stats",
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
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"netwerk {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Toon de versie."),
) -> None:
    """Netwerkanalyse voor integrale veiligheid."""


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
