"""Load and render the Cypher files in ``cypher/``.

Every statement the project runs lives in a ``.cypher`` file. Placeholders in capitals between double
underscores (``__LABEL__``) are filled only with names from the domain model, never with user input;
values always travel as parameters (``$rows``, ``$key``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from netwerk.model import MODEL, Model, ModelError

__all__ = ["CYPHER_DIR", "load", "render", "schema_statements", "split_statements"]

CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher"
_PLACEHOLDER = re.compile(r"__([A-Z_]+?)__")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@cache
def load(name: str) -> str:
    """The text of ``cypher/<name>.cypher``."""
    path = CYPHER_DIR / f"{name}.cypher"
    if not path.exists():
        raise FileNotFoundError(f"Cypher-bestand ontbreekt: {path}")
    return path.read_text(encoding="utf-8")


def render(name: str, **names: str) -> str:
    """Fill a template's placeholders; identifiers must be plain names (they come from the model)."""
    text = load(name)
    for placeholder in set(_PLACEHOLDER.findall(text)):
        value = names.get(placeholder.lower())
        if value is None:
            raise KeyError(f"{name}.cypher needs {placeholder.lower()}")
        text = text.replace(f"__{placeholder}__", value)
    return text


def ident(name: str) -> str:
    """Guard for names spliced into Cypher: only model identifiers pass."""
    if not _IDENT.match(name):
        raise ModelError(f"ongeldige naam in Cypher: {name!r}")
    return name


def split_statements(text: str) -> list[str]:
    """Split a file of ``;``-terminated statements, dropping ``//`` comment lines."""
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))
    return [s.strip() for s in body.split(";") if s.strip()]


def schema_statements(model: Model = MODEL) -> str:
    """The Neo4j schema derived from the model: a named uniqueness constraint per key, and indexes on
    time properties and on the properties analyses filter by. Kept in ``cypher/schema/schema.cypher``
    (a test checks the file equals this text)."""
    lines = ["// Generated from src/netwerk/model.py by `netwerk schema --write`; do not edit by hand."]
    for nt in model.nodes.values():
        lines.append(
            f"CREATE CONSTRAINT {nt.label.lower()}_{nt.key}_key IF NOT EXISTS "
            f"FOR (n:{nt.label}) REQUIRE n.{nt.key} IS UNIQUE;"
        )
    for nt in model.nodes.values():
        for prop in _indexed(nt.label, nt.time_property):
            lines.append(
                f"CREATE INDEX {nt.label.lower()}_{prop} IF NOT EXISTS FOR (n:{nt.label}) ON (n.{prop});"
            )
    return "\n".join(lines) + "\n"


_EXTRA_INDEXES = {"Signal": ("domain", "buurt_code"), "Address": ("buurt_code",), "ReviewItem": ("subject_id",)}


def _indexed(label: str, time_property: str | None) -> list[str]:
    return ([time_property] if time_property else []) + list(_EXTRA_INDEXES.get(label, ()))
