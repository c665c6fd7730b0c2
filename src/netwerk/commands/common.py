"""Options and helpers shared by every command: the store option, output format, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console

from netwerk.access import AccessDenied, Actor
from netwerk.model import ModelError
from netwerk.services.common import NotFound
from netwerk.store import GraphStore, StoreError, open_store

__all__ = [
    "Format",
    "FormatOpt",
    "SinceOpt",
    "StoreOpt",
    "UntilOpt",
    "acting_actor",
    "console",
    "err_console",
    "fail",
    "print_json",
    "require_access",
    "store_from",
    "user_errors",
    "valid_date",
]

console = Console()
err_console = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"


StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="NETWERK_STORE",
        help="Opslag: een map (ingebouwde opslag, standaard ./netwerk-data) of een neo4j://- of bolt://-adres.",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="Uitvoer: table (leesbaar) of json.")]


def valid_date(value: str | None) -> str | None:
    """Typer callback of every date option: a readable date (JJJJ-MM-DD) or a Dutch error (exit 2).

    Examples
    --------
    >>> valid_date("2025-03-01"), valid_date(None)
    ('2025-03-01', None)
    """
    if value is None:
        return None
    import pandas as pd

    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as exc:
        raise typer.BadParameter(f"ongeldige datum {value!r}: gebruik JJJJ-MM-DD, bijvoorbeeld 2025-03-01") from exc
    if pd.isna(ts):
        raise typer.BadParameter(f"ongeldige datum {value!r}: gebruik JJJJ-MM-DD")
    return value


SinceOpt = Annotated[str | None, typer.Option("--since", help="Begin van de periode (JJJJ-MM-DD).",
                                              callback=valid_date)]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Einde van de periode (JJJJ-MM-DD), inclusief.",
                                              callback=valid_date)]

def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a clear error (Dutch) and return the Exit to raise."""
    err_console.print(f"[bold red]Fout:[/] {message}")
    return typer.Exit(code)


def require_access(resource: str, argv: list[str] | None = None) -> Actor:
    """Check the acting user for ``resource``: NETWERK_USER names a user whose role comes from the store
    (single-user fallback NETWERK_ROLE while the store has no users); the purpose is NETWERK_PURPOSE.
    ``argv`` holds the command's own arguments (for ``--store``); default ``sys.argv``."""
    import sys

    from netwerk.auth.local import command_actor

    try:
        return command_actor(sys.argv if argv is None else argv, resource, attribute=False)
    except AccessDenied as exc:
        raise fail(f"{exc} (gebruiker via NETWERK_USER, doel via NETWERK_PURPOSE)", code=3) from exc
    except StoreError as exc:
        raise fail(str(exc)) from exc


def acting_actor() -> Actor:
    """The user this command acts for (checked by the CLI before the command ran)."""
    from netwerk import audit

    actor = audit.current_actor()
    if actor is None:  # called outside the CLI's access check (a library caller): refuse, never guess
        raise fail("geen handelende gebruiker bekend (NETWERK_USER / NETWERK_PURPOSE)")
    return actor


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the project's own errors into a clear message and exit code 1 at the CLI boundary."""
    try:
        yield
    except (StoreError, ModelError, ValueError, FileNotFoundError, NotFound) as exc:
        raise fail(_dutch_message(exc)) from exc


def _dutch_message(exc: BaseException) -> str:
    """The project's own messages are Dutch; an error raised inside a library (pandas, numpy) is not, so it
    gets a Dutch sentence around it."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    origin = tb.tb_frame.f_globals.get("__name__", "") if tb is not None else ""
    if origin.startswith(("netwerk", "api")) or isinstance(exc, FileNotFoundError | StoreError | ModelError):
        return str(exc)
    return (f"onverwachte fout bij het verwerken van de gegevens ({type(exc).__name__}: {exc}); "
            "meld dit bij de beheerder")


@contextmanager
def store_from(spec: str | None, *, create: bool = False) -> Iterator[GraphStore]:
    """Open the configured store for one command and always close it.

    Read commands never create a store: a missing one is a clear error (exit 1). Writers that fill a
    store (ingest, the gebieden import, the demo) pass ``create=True``.
    """
    with user_errors():
        store = open_store(spec, create=create)
    try:
        with user_errors():
            yield store
    finally:
        store.close()


def print_json(data: Any) -> None:
    """Machine-readable output: JSON on stdout only (no colours, no progress)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))

