"""The audit log (AVG): an append-only, hash-chained record of every person-level read and every change.

Each line is one JSON entry with the real caller (user, role, purpose), the action, the subject, the
endpoint, the time and the outcome (``toegestaan``, ``geweigerd``, ``fout``), plus ``prev`` (the hash
of the entry before) and ``hash`` (SHA-256 over ``prev`` and the entry; an HMAC when
``NETWERK_AUDIT_KEY`` is set). A sidecar ``<log>.head`` holds the last sequence number and hash, so
removing the last lines is detected too. :func:`verify` checks the whole chain.

Front ends record through :func:`record` with an explicit :class:`~netwerk.access.Actor`. Inside
``with acting(actor):`` (the services use it) reads by the store itself are attributed to that actor,
or left to the service that records one entry per request (``quiet=True``). Keys are pseudonyms.

Usage (e.g. the monitoring module auditing a watched-place read)::

    from netwerk import audit
    audit.record(actor, "lezen", "WatchedPlace:WP-1", "GET /monitor/WP-1", "toegestaan")
"""

from __future__ import annotations

import contextvars
import fcntl
import getpass
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from netwerk import durable

if TYPE_CHECKING:
    from netwerk.access import Actor

__all__ = [
    "GENESIS",
    "VerifyResult",
    "acting",
    "audit_log_path",
    "audit_read",
    "current_actor",
    "current_context",
    "deferred",
    "read_entries",
    "record",
    "use",
    "verify",
]

GENESIS = "0" * 64
_LOCK = threading.Lock()
_MAX_KEYS = 1000
_ACTOR: contextvars.ContextVar[tuple[Actor, bool] | None] = contextvars.ContextVar("netwerk_actor", default=None)
_PENDING: contextvars.ContextVar[set[Path] | None] = contextvars.ContextVar("netwerk_audit_pending", default=None)


def audit_log_path() -> Path:
    """Where the log lives: ``$NETWERK_AUDIT_LOG``, default ``./netwerk-audit.jsonl``."""
    return _path(os.environ.get("NETWERK_AUDIT_LOG") or "netwerk-audit.jsonl")


_path = lru_cache(maxsize=16)(Path)


def _key() -> bytes | None:
    key = os.environ.get("NETWERK_AUDIT_KEY")
    return key.encode("utf-8") if key else None


@contextmanager
def acting(actor: Actor, quiet: bool = False) -> Iterator[Actor]:
    """Attribute everything inside to ``actor``; ``quiet`` leaves store-level reads to the caller's own entry."""
    token = _ACTOR.set((actor, quiet))
    try:
        yield actor
    finally:
        _ACTOR.reset(token)


def use(actor: Actor) -> None:
    """Attribute the rest of this context (a CLI run) to ``actor``."""
    _ACTOR.set((actor, False))


def current_actor() -> Actor | None:
    """The actor set by :func:`acting`, if any."""
    cur = _ACTOR.get()
    return cur[0] if cur else None


def current_context() -> dict[str, str]:
    """The acting user, role and purpose: the :func:`acting` actor, else the local environment."""
    actor = current_actor()
    if actor is not None:
        return {"user": actor.user, "role": actor.role, "purpose": actor.purpose or ""}
    try:
        user = os.environ.get("NETWERK_USER") or getpass.getuser()
    except (KeyError, OSError):
        user = "onbekend"
    return {
        "user": user,
        "role": os.environ.get("NETWERK_ROLE", "analist"),
        "purpose": os.environ.get("NETWERK_PURPOSE", "analyse"),
    }


def _canonical(entry: dict[str, Any]) -> str:
    """The hashed form of an entry: sorted compact JSON of everything but its hash."""
    return json.dumps({k: v for k, v in entry.items() if k != "hash"}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def _digest(prev: str, body: str, key: bytes | None) -> str:
    data = (prev + body).encode("utf-8")
    return hmac.new(key, data, hashlib.sha256).hexdigest() if key else hashlib.sha256(data).hexdigest()


def _last_entry(fh: Any) -> dict[str, Any] | None:
    """The last complete line of an open log (read backwards from the end)."""
    fh.seek(0, os.SEEK_END)
    end = fh.tell()
    if end == 0:
        return None
    size, data = 4096, b""
    while True:
        start = max(0, end - size)
        fh.seek(start)
        data = fh.read(end - start)
        lines = data.rstrip(b"\n").split(b"\n")
        if len(lines) > 1 or start == 0:
            last: dict[str, Any] = json.loads(lines[-1])
            return last
        size *= 4


def record(
    actor: Actor | None,
    action: str,
    subject: str,
    endpoint: str,
    outcome: str = "toegestaan",
    *,
    keys: Sequence[str] | None = None,
    n: int | None = None,
    detail: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Append one entry (``actor=None``: an unknown caller, e.g. a request without credentials).

    Parameters
    ----------
    actor : Actor or None
        The real caller.
    action : str
        ``lezen``, ``wijzigen``, ``herleiden``, ``inloggen``, ``gebruiker``, ``bewaartermijn``, …
    subject : str
        What was read or changed (``Person:P-…``, ``groups``, ``user:anna``); pseudonyms only.
    endpoint : str
        ``GET /network/Person/P-…``, ``cli:indicators``, …
    outcome : str
        ``toegestaan``, ``geweigerd`` or ``fout``.
    keys, n : optional
        The person keys returned (at most 1000 listed) and how many there were.
    extra : dict, optional
        Further fields (never overriding the ones above).
    """
    entry: dict[str, Any] = {
        "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "user": actor.user if actor else "onbekend",
        "role": actor.role if actor else None,
        "purpose": actor.purpose if actor else None,
        "via": actor.via if actor else None,
        "action": action,
        "subject": subject,
        "endpoint": endpoint,
        "outcome": outcome,
    }
    if keys is not None:
        entry["keys"] = [str(k) for k in list(keys)[:_MAX_KEYS]]
        entry["n"] = len(keys) if n is None else n
    elif n is not None:
        entry["n"] = n
    if detail:
        entry["detail"] = detail
    for k, v in (extra or {}).items():
        entry.setdefault(k, v)
    path = audit_log_path()
    key = _key()
    with _LOCK:
        log = _Log.of(path)
        fcntl.flock(log.fh, fcntl.LOCK_EX)
        try:
            last = log.last()
            entry["seq"] = int(last.get("seq", 0)) + 1 if last else 1
            entry["prev"] = str(last.get("hash") or GENESIS) if last else GENESIS
            body = _canonical(entry)
            entry["hash"] = _digest(entry["prev"], body, key)
            log.append(entry, f'{body[:-1]},"hash":"{entry["hash"]}"}}')
        finally:
            fcntl.flock(log.fh, fcntl.LOCK_UN)
    pending = _PENDING.get()
    if pending is not None:
        pending.add(path)
    else:
        durable.wait(path)
    return entry


@contextmanager
def deferred(pending: set[Path]) -> Iterator[None]:
    """Inside, :func:`record` does not wait for the disk; it adds the log's path to ``pending``.

    For an event loop: the caller awaits :func:`netwerk.durable.wait_async` for each path before it
    answers, so the entry is on disk before the answer leaves, without blocking the loop.
    """
    token = _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.reset(token)


def _head(path: Path) -> Path:
    return path.with_name(path.name + ".head")


class _Log:
    """An open log and its head file, kept open between entries (reopened when the file is replaced).

    The last entry is remembered while nobody else appended (same inode and size), so it is read back
    from the file only after another process wrote. The head is rewritten in place at a fixed width.
    """

    _open: ClassVar[dict[Path, _Log]] = {}
    HEAD_WIDTH: ClassVar[int] = 120

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = path.open("a+b")
        self.head = os.open(_head(path), os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self.head).st_size > self.HEAD_WIDTH:
            os.ftruncate(self.head, self.HEAD_WIDTH)
        self.inode = os.fstat(self.fh.fileno()).st_ino
        self.tail: tuple[int, dict[str, Any]] | None = None  # (size after our last entry, that entry)

    @classmethod
    def of(cls, path: Path) -> _Log:
        log = cls._open.get(path)
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if log is None or current != log.inode:
            if log is not None:
                log.fh.close()
                os.close(log.head)
            log = cls._open[path] = cls(path)
        return log

    def last(self) -> dict[str, Any] | None:
        size = os.fstat(self.fh.fileno()).st_size
        if self.tail is not None and self.tail[0] == size:
            return self.tail[1]
        return _last_entry(self.fh)

    def append(self, entry: dict[str, Any], line: str) -> None:
        """Append ``line`` (``entry`` as JSON) and make ``entry`` the head."""
        self.fh.seek(0, os.SEEK_END)
        self.fh.write((line + "\n").encode("utf-8"))
        self.fh.flush()
        self.tail = (self.fh.tell(), {"seq": entry["seq"], "hash": entry["hash"]})
        head = json.dumps({"seq": entry["seq"], "hash": entry["hash"]}).ljust(self.HEAD_WIDTH - 1) + "\n"
        os.pwrite(self.head, head.encode("ascii"), 0)


def audit_read(backend: str, operation: str, label: str, keys: Sequence[str] | None, n: int | None = None) -> None:
    """A read of person-level data by the store itself (skipped inside a quiet :func:`acting` block)."""
    cur = _ACTOR.get()
    if cur is not None and cur[1]:
        return
    actor = cur[0] if cur else _local_actor()
    record(actor, "lezen", label, f"opslag:{backend}:{operation}", keys=keys, n=n,
           extra={"backend": backend, "operation": operation, "label": label})


def _local_actor() -> Actor:
    from netwerk.access import Actor

    ctx = current_context()
    return Actor.of(ctx["user"], ctx["role"], ctx["purpose"], via="lokaal")


def read_entries(path: Path | None = None) -> list[dict[str, Any]]:
    """All entries of the log (an unreadable line raises ValueError naming its line number)."""
    path = path or audit_log_path()
    if not path.exists():
        return []
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} regel {i}: geen geldige JSON ({exc.msg})") from None
    return out


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    problems: tuple[str, ...]


def verify(path: Path | None = None) -> VerifyResult:
    """Check the chain: every hash, every ``prev`` link, consecutive ``seq`` and the head file."""
    path = path or audit_log_path()
    problems: list[str] = []
    key = _key()
    prev, seq, n = GENESIS, 0, 0
    if path.exists():
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                problems.append(f"regel {i}: lege regel")
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                problems.append(f"regel {i}: geen geldige JSON")
                continue
            n += 1
            if entry.get("seq") != seq + 1:
                problems.append(
                    f"regel {i}: volgnummer {entry.get('seq')} verwacht {seq + 1} (regel weg of verplaatst)"
                )
            if entry.get("prev") != prev:
                problems.append(f"regel {i}: de keten is verbroken (vorige hash klopt niet)")
            if _digest(str(entry.get("prev")), _canonical(entry), key) != entry.get("hash"):
                problems.append(f"regel {i}: de inhoud is gewijzigd (hash klopt niet)")
            prev, seq = str(entry.get("hash")), int(entry.get("seq") or 0)
    head = _head(path)
    if head.exists():
        try:
            h = json.loads(head.read_text())
        except json.JSONDecodeError:
            problems.append(f"{head.name}: onleesbaar")
        else:
            if h.get("seq") != seq or h.get("hash") != (prev if n else None):
                problems.append(f"laatste regel {h.get('seq')} ontbreekt of wijkt af (het log eindigt bij {seq})")
    elif n:
        problems.append(f"{head.name} ontbreekt")
    return VerifyResult(not problems, n, tuple(problems))
