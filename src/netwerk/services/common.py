"""Shared steps of every service: the access check (refusals audited), one audit entry per read."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from netwerk import audit
from netwerk.access import AccessDenied, Actor

__all__ = ["NotFound", "TooLarge", "guarded", "read"]


class NotFound(LookupError):
    """The subject does not exist or is not visible to the caller (HTTP 404; message in Dutch)."""


class TooLarge(ValueError):
    """A request asks for more than the limits allow (HTTP 422)."""


@contextmanager
def guarded(actor: Actor, resource: str, endpoint: str, subject: str | None = None) -> Iterator[Actor]:
    """Check ``actor`` for ``resource`` (a refusal is audited and re-raised); inside, store reads are
    attributed to the actor and left to the service's own audit entry."""
    try:
        actor.check(resource)
    except AccessDenied as exc:
        audit.record(actor, "lezen", subject or resource, endpoint, "geweigerd", detail=str(exc))
        raise
    with audit.acting(actor, quiet=True):
        yield actor


def read(actor: Actor, subject: str, endpoint: str, persons: Sequence[str], *, bulk: bool = False) -> None:
    """One audit entry for a read that returned ``persons`` (none: nothing person-level, no entry)."""
    if persons:
        audit.record(actor, "bulklezen" if bulk else "lezen", subject, endpoint, keys=sorted(set(persons)))
