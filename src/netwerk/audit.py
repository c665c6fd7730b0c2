"""Audit log of person-level reads (AVG): who read which persons, in which role, for which purpose.

Each read of person data through the store appends one JSON line to the audit log
(``$NETWERK_AUDIT_LOG``, default ``./netwerk-audit.jsonl``). Keys are pseudonyms, never raw ids.
"""

from __future__ import annotations

import getpass
import json
import os
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["audit_log_path", "audit_read", "current_context"]

_LOCK = threading.Lock()
_MAX_KEYS = 1000


def audit_log_path() -> Path:
    return Path(os.environ.get("NETWERK_AUDIT_LOG") or "netwerk-audit.jsonl")


def current_context() -> dict[str, str]:
    """The acting user, role and purpose, from ``NETWERK_USER``/``NETWERK_ROLE``/``NETWERK_PURPOSE``."""
    try:
        user = os.environ.get("NETWERK_USER") or getpass.getuser()
    except (KeyError, OSError):
        user = "onbekend"
    return {
        "user": user,
        "role": os.environ.get("NETWERK_ROLE", "analist"),
        "purpose": os.environ.get("NETWERK_PURPOSE", "analyse"),
    }


def audit_read(backend: str, operation: str, label: str, keys: Sequence[str] | None, n: int | None = None) -> None:
    """Append one audit record for a read of person-level data."""
    record = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        **current_context(),
        "backend": backend,
        "operation": operation,
        "label": label,
        "n": n if n is not None else len(keys or ()),
    }
    if keys is not None:
        record["keys"] = list(keys)[:_MAX_KEYS]
    path = audit_log_path()
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
