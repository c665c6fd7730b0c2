"""The acting user of the command line, from the server-side user store.

``NETWERK_USER`` names a user in the store: the role comes from the store, the purpose from
``NETWERK_PURPOSE``. While the store holds no users at all (a fresh local demo), the CLI runs in
single-user mode as ``NETWERK_USER`` (or the OS user) with ``NETWERK_ROLE`` (default ``analist``) and
``NETWERK_PURPOSE`` (default ``analyse``); as soon as one user exists, ``NETWERK_USER`` must name one.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from netwerk.access import AccessDenied, Actor
from netwerk.settings import Settings
from netwerk.store.base import GraphStore

__all__ = ["cli_actor"]


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "onbekend"


def _local(settings: Settings) -> Actor:
    """Single-user mode (a store without users): the named or OS user with NETWERK_ROLE."""
    return Actor.of(settings.user or _os_user(), settings.role, settings.purpose or "analyse", via="lokaal")


def cli_actor(store: GraphStore, settings: Settings) -> Actor:
    """The actor of this CLI run; :class:`AccessDenied` (Dutch) when the named user is unknown or disabled."""
    if store.nodes_df("User").empty:
        return _local(settings)
    if settings.user:
        node = store.get_node("User", settings.user)
        if node is None or not node.get("active"):
            raise AccessDenied(f"gebruiker {settings.user!r} (NETWERK_USER) bestaat niet of is uitgeschakeld")
        return Actor.of(settings.user, str(node["role"]), settings.purpose, via="cli")
    raise AccessDenied("deze opslag heeft gebruikers: zet NETWERK_USER op uw gebruikersnaam (rol komt uit de opslag)")


def _store_arg(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--store" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--store="):
            return arg.split("=", 1)[1]
    return None


def command_actor(argv: list[str], resource: str | None = None, attribute: bool = True) -> Actor:
    """The actor of a CLI run (store from ``--store`` in ``argv``, ``NETWERK_STORE`` or the default), checked
    for ``resource``; with ``attribute`` every later store-level read in this context is audited in its name
    (the CLI itself scopes that to one command with :func:`netwerk.audit.acting`)."""
    from netwerk import audit
    from netwerk.store import EMBEDDED_FILE, is_neo4j_uri, open_store

    settings = Settings()
    spec = _store_arg(argv) or settings.store
    if not is_neo4j_uri(spec) and not (Path(spec) / EMBEDDED_FILE).is_file():
        actor = _local(settings)  # no store yet: nobody can have been registered in it
    else:
        store = open_store(spec)
        try:
            actor = cli_actor(store, settings)
        finally:
            store.close()
    if resource:
        actor.check(resource)
    if attribute:
        audit.use(actor)
    return actor
