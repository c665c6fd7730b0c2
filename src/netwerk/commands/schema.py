"""`netwerk schema`: show, write or check the Neo4j schema derived from the domain model."""

from __future__ import annotations

from typing import Annotated

import typer

from netwerk import cypher
from netwerk.commands.common import console, fail

SCHEMA_FILE = cypher.CYPHER_DIR / "schema" / "schema.cypher"


def schema(
    write: Annotated[bool, typer.Option("--write", help="Schrijf cypher/schema/schema.cypher opnieuw.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Controleer of het bestand bij het model past.")] = False,
) -> None:
    """Toon het Neo4j-schema (constraints en indexen) dat uit het domeinmodel volgt."""
    text = cypher.schema_statements()
    if write:
        SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        console.print(f"Geschreven: {SCHEMA_FILE}")
    elif check:
        if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text(encoding="utf-8") != text:
            raise fail(f"{SCHEMA_FILE} past niet bij het model: draai `netwerk schema --write`")
        console.print("Schema klopt met het model.")
    else:
        typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
