"""Guards around an ingest: a strong pseudonym key, the same key as the store's earlier ingests, and a
record of every import run (so an interrupted one is visible).

The store keeps a *keyed fingerprint* of the pseudonym key: ``HMAC-SHA256(key, constant)``. It reveals
nothing about the key (nor lets anyone pseudonymise), but a second ingest with another key — which would
silently give every person a second pseudonym — is recognised and refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from collections import Counter
from datetime import datetime
from typing import Any

from netwerk.store.base import GraphStore

__all__ = [
    "FINGERPRINT_META", "MIN_KEY_CHARS", "RUNS_META", "finish_run", "import_runs", "key_fingerprint",
    "key_mismatch", "key_weakness", "last_unfinished_run", "remember_key", "start_run",
]

FINGERPRINT_META = "pseudonym_key_fingerprint"
RUNS_META = "import_runs"
MIN_KEY_CHARS = 16
MIN_KEY_BITS = 48.0  #: length × Shannon entropy per character, in bits
_FINGERPRINT_MESSAGE = b"netwerk: vingerafdruk van de pseudonimiseringssleutel v1"
_KEEP_RUNS = 50


def key_weakness(key: bytes) -> str | None:
    """Why ``key`` is too weak to pseudonymise with (Dutch), or None when it is strong enough.

    Refused: fewer than :data:`MIN_KEY_CHARS` characters, or too little variation (length times the
    entropy of its character frequencies below :data:`MIN_KEY_BITS` bits: ``aaaaaaaaaaaaaaaaaaaa``,
    ``abababab…``).

    Examples
    --------
    >>> key_weakness(b"a") is not None, key_weakness(b"q7-Vrk2!mZp0w9sLx4") is None
    (True, True)
    """
    text = key.decode("utf-8", errors="replace")
    if len(text) < MIN_KEY_CHARS:
        return (f"de pseudonimiseringssleutel is te kort ({len(text)} tekens; minimaal {MIN_KEY_CHARS}): "
                "kies een lange, willekeurige sleutel (bijv. `python -c \"import secrets; "
                "print(secrets.token_urlsafe(32))\"`)")
    counts = Counter(text)
    entropy = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    if entropy * len(text) < MIN_KEY_BITS or len(counts) < 6:
        return ("de pseudonimiseringssleutel is te voorspelbaar (te weinig verschillende tekens): "
                "kies een lange, willekeurige sleutel")
    return None


def key_fingerprint(key: bytes) -> str:
    """The keyed fingerprint of ``key`` stored in the store (never the key itself)."""
    return hmac.new(key, _FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()


def key_mismatch(store: GraphStore, key: bytes) -> str | None:
    """A Dutch message when the store was filled with another pseudonym key, else None."""
    stored = store.get_meta(FINGERPRINT_META)
    if stored is None or hmac.compare_digest(stored, key_fingerprint(key)):
        return None
    return ("deze opslag is eerder gevuld met een ANDERE pseudonimiseringssleutel (NETWERK_PSEUDONYM_KEY): "
            "met deze sleutel zou elke persoon een tweede pseudoniem krijgen. Gebruik de sleutel van de "
            "eerdere import, of een nieuwe, lege opslag (--store)")


def remember_key(store: GraphStore, key: bytes) -> None:
    """Store the fingerprint of ``key`` (on the first pseudonymised ingest into this store)."""
    if store.get_meta(FINGERPRINT_META) is None:
        store.set_meta(FINGERPRINT_META, key_fingerprint(key))


def import_runs(store: GraphStore) -> list[dict[str, Any]]:
    """The recorded import runs, oldest first (``started``, ``finished`` (None: not finished), counts)."""
    text = store.get_meta(RUNS_META)
    if not text:
        return []
    try:
        runs = json.loads(text)
    except json.JSONDecodeError:
        return []
    return [r for r in runs if isinstance(r, dict)] if isinstance(runs, list) else []


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def start_run(store: GraphStore, folder: str) -> None:
    """Record the start of an import run (before the first write)."""
    runs = import_runs(store)[-(_KEEP_RUNS - 1):]
    runs.append({"started": _now(), "finished": None, "folder": folder})
    store.set_meta(RUNS_META, json.dumps(runs))


def finish_run(store: GraphStore, counts: dict[str, int]) -> None:
    """Record that the last started import run finished, with its counts (read, loaded, rejected)."""
    runs = import_runs(store)
    if not runs:
        return
    runs[-1].update({"finished": _now(), **counts})
    store.set_meta(RUNS_META, json.dumps(runs))


def last_unfinished_run(store: GraphStore) -> dict[str, Any] | None:
    """The last import run when it never finished (interrupted: the store may be incomplete), else None."""
    runs = import_runs(store)
    return runs[-1] if runs and runs[-1].get("finished") is None else None
