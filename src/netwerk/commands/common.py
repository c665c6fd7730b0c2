"""Options and helpers shared by every command: the store option, output format, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console

from netwerk.access import AccessDenied, check_access
from netwerk.audit import current_context
from netwerk.model import ModelError
from netwerk.store import GraphStore, StoreError, open_store

__all__ = [
    "Format",
    "FormatOpt",
    "SinceOpt",
    "StoreOpt",
    "UntilOpt",
    "console",
    "err_console",
    "fail",
    "print_json",
    "require_access",
    "store_from",
    "user_errors",
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
SinceOpt = Annotated[str | None, typer.Option("--since", help="Begin van de periode (JJJJ-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Einde van de periode (JJJJ-MM-DD), inclusief.")]

def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a clear error (Dutch) and return the Exit to raise."""
    err_console.print(f"[bold red]Fout:[/] {message}")
    return typer.Exit(code)


def require_access(resource: str) -> None:
    """Check the acting role and purpose (NETWERK_ROLE / NETWERK_PURPOSE) for ``resource``."""
    ctx = current_context()
    try:
        check_access(ctx["role"], ctx["purpose"], resource)
    except AccessDenied as exc:
        raise fail(f"{exc} (rol via NETWERK_ROLE, doel via NETWERK_PURPOSE)", code=3) from exc


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the project's own errors into a clear message and exit code 1 at the CLI boundary."""
    try:
        yield
    except (StoreError, ModelError, ValueError, FileNotFoundError) as exc:
        raise fail(str(exc)) from exc


@contextmanager
def store_from(spec: str | None) -> Iterator[GraphStore]:
    """Open the configured store for one command and always close it."""
    with user_errors():
        store = open_store(spec)
    try:
        with user_errors():
            yield store
    finally:
        store.close()


def print_json(data: Any) -> None:
    """Machine-readable output: JSON on stdout only (no colours, no progress)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))

