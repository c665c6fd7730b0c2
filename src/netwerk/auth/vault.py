"""The identity vault: name, birth date and address per pseudonym, encrypted at rest (Fernet, AES-128-CBC
with HMAC-SHA256), with a key from the environment or a file, never from the store.

Pseudonyms are the default everywhere. Only an actor whose role and purpose open ``reveal`` (e.g. a
coordinator in a casusoverleg), who may see the person (scope by datum) and who states a reason, can
reveal one person; every reveal and every refusal is audited. Without the key nothing can be revealed.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from netwerk import audit
from netwerk.access import AccessDenied, Actor

__all__ = ["MIN_REASON", "Vault", "VaultError", "new_key", "open_vault"]

MIN_REASON = 10
FIELDS = ("first_name", "last_name", "birth_date", "street", "house_number", "postcode", "city")


class VaultError(RuntimeError):
    """The vault is not configured, its key is weak or wrong, or the person is not in it (Dutch)."""


def new_key() -> str:
    """A fresh, strong vault key (keep it outside the store, e.g. in a secrets manager)."""
    return Fernet.generate_key().decode("ascii")


def _check_key(key: str) -> bytes:
    """A Fernet key: 32 random bytes, URL-safe base64; anything weaker is refused."""
    try:
        raw = base64.urlsafe_b64decode(key.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raw = b""
    if len(raw) != 32 or len(set(raw)) < 16:
        raise VaultError("de kluissleutel is ongeldig of zwak: maak er een met "
                         "`python -c 'from netwerk.auth.vault import new_key; print(new_key())'`")
    return key.strip().encode("ascii")


class Vault:
    """An encrypted file of identities per pseudonym (one JSON line per person)."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = Path(path)
        self._fernet = Fernet(_check_key(key))

    def put(self, identities: Mapping[str, Mapping[str, Any]]) -> int:
        """Store (or replace) identities ``{pseudonym: {first_name, last_name, birth_date, …}}``."""
        current = self._load()
        for pid, ident in identities.items():
            clean = {k: ident[k] for k in FIELDS if ident.get(k) not in (None, "")}
            current[str(pid)] = self._fernet.encrypt(json.dumps(clean, ensure_ascii=False).encode()).decode()
        tmp = self.path.with_suffix(".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text("".join(json.dumps({"person_id": p, "data": t}) + "\n" for p, t in sorted(current.items())))
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)
        return len(identities)

    def pseudonyms(self) -> list[str]:
        return sorted(self._load())

    def remove(self, pseudonyms: Iterable[str]) -> int:
        """Drop identities (retention); returns how many were there."""
        current = self._load()
        gone = [p for p in pseudonyms if current.pop(p, None) is not None]
        if gone:
            self.path.write_text("".join(json.dumps({"person_id": p, "data": t}) + "\n"
                                         for p, t in sorted(current.items())))
        return len(gone)

    def _load(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        out = {}
        for line in self.path.read_text().splitlines():
            if line.strip():
                rec = json.loads(line)
                out[str(rec["person_id"])] = str(rec["data"])
        return out

    def _decrypt(self, pid: str) -> dict[str, Any]:
        token = self._load().get(pid)
        if token is None:
            raise VaultError(f"persoon {pid!r} staat niet in de kluis")
        try:
            data: dict[str, Any] = json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken:
            raise VaultError("de kluissleutel past niet bij deze kluis") from None
        return data

    def reveal(self, actor: Actor, pid: str, reason: str, endpoint: str, visible: bool) -> dict[str, Any]:
        """The identity behind ``pid`` for an entitled actor with a reason; audited either way.

        ``visible`` says whether the person is within the actor's domains (scope by datum).
        """
        subject = f"Person:{pid}"
        try:
            actor.check("reveal")
            if not visible:
                raise AccessDenied(f"persoon {pid} valt buiten de domeinen van uw rol en doel")
            if len((reason or "").strip()) < MIN_REASON:
                raise AccessDenied(f"geef een reden op (minstens {MIN_REASON} tekens) om iemand te herleiden")
        except AccessDenied as exc:
            audit.record(actor, "herleiden", subject, endpoint, "geweigerd", detail=str(exc))
            raise
        try:
            identity = self._decrypt(pid)
        except VaultError as exc:
            audit.record(actor, "herleiden", subject, endpoint, "fout", detail=str(exc))
            raise
        audit.record(actor, "herleiden", subject, endpoint, keys=[pid], detail=f"reden: {reason.strip()}")
        return {"person_id": pid, **identity}


def open_vault(path: Path | None, key: str | None, key_file: Path | None = None) -> Vault:
    """The configured vault (``NETWERK_VAULT_PATH`` with ``NETWERK_VAULT_KEY`` or ``NETWERK_VAULT_KEY_FILE``)."""
    if key is None and key_file is not None:
        try:
            key = Path(key_file).read_text().strip()
        except OSError as exc:
            raise VaultError(f"kan het sleutelbestand {key_file} niet lezen: {exc}") from exc
    if not key:
        raise VaultError("geen kluissleutel: zonder NETWERK_VAULT_KEY (of NETWERK_VAULT_KEY_FILE) kan niemand "
                         "worden herleid")
    if path is None:
        raise VaultError("geen kluis: zet NETWERK_VAULT_PATH")
    return Vault(path, key)
