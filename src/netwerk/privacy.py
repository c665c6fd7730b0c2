"""Pseudonymisation (AVG): keyed HMAC-SHA256 pseudonyms for person identifiers.

The key comes from ``NETWERK_PSEUDONYM_KEY`` and never leaves the municipality; without it, the same
raw identifier cannot be linked to its pseudonym. The same key gives the same pseudonym, so exports
from different registers (BRP, meldingen, KvK) still link up.
"""

from __future__ import annotations

import hashlib
import hmac
import os

__all__ = ["PSEUDONYM_KEY_ENV", "PseudonymKeyMissing", "pseudonym_key", "pseudonymise"]

PSEUDONYM_KEY_ENV = "NETWERK_PSEUDONYM_KEY"
_PREFIX = {"person_id": "P-", "bsn": "B-", "first_name": "V-", "last_name": "A-"}


class PseudonymKeyMissing(RuntimeError):
    """No pseudonymisation key was configured."""


def pseudonym_key() -> bytes:
    """The configured key, or :class:`PseudonymKeyMissing` with a clear message."""
    key = os.environ.get(PSEUDONYM_KEY_ENV, "")
    if not key:
        raise PseudonymKeyMissing(
            f"geen pseudonimiseringssleutel: zet {PSEUDONYM_KEY_ENV} (bewaar die veilig), of gebruik "
            "--no-pseudonymise alleen voor gegevens die al gepseudonimiseerd zijn"
        )
    return key.encode("utf-8")


def pseudonymise(value: str, key: bytes | str, field: str = "person_id") -> str:
    """The pseudonym of ``value`` for ``field`` (``person_id``, ``bsn``, ``first_name``, ``last_name``).

    Examples
    --------
    >>> pseudonymise("12345", b"k") == pseudonymise("12345", "k")
    True
    >>> pseudonymise("12345", b"k").startswith("P-")
    True
    """
    raw = key.encode("utf-8") if isinstance(key, str) else key
    digest = hmac.new(raw, f"{field}\x1f{value.strip()}".encode(), hashlib.sha256).hexdigest()
    return _PREFIX.get(field, "X-") + digest[:24]
