"""One settings object for every front end (CLI, API, web), read once at the edge.

All values come from ``NETWERK_*`` environment variables (or a ``.env`` file given to
:func:`get_settings`); library code and services receive what they need as arguments and never read
the environment themselves.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from netwerk.store import DEFAULT_STORE

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Configuration of netwerk (environment variables ``NETWERK_<NAME>``)."""

    model_config = SettingsConfigDict(env_prefix="NETWERK_", extra="ignore")

    # store
    store: str = DEFAULT_STORE
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None

    # acting user of the CLI (the role comes from the user store, see docs/beveiliging.md)
    user: str | None = None
    purpose: str | None = None
    #: single-user fallback for a local demo: the role used while the store holds no users at all
    role: str = "analist"

    # audit
    audit_log: Path = Path("netwerk-audit.jsonl")
    #: optional HMAC key for the audit hash chain (without it the chain uses plain SHA-256)
    audit_key: str | None = None

    # identity vault (re-identification under control)
    vault_key: str | None = None
    vault_key_file: Path | None = None
    vault_path: Path | None = None

    # API hardening
    trusted_hosts: list[str] = Field(default_factory=lambda: ["127.0.0.1", "localhost", "testserver"])
    rate_limit_per_minute: int = 600
    request_timeout_s: float = 120.0
    max_body_bytes: int = 1_000_000
    max_page_size: int = 500
    bulk_cap: int = 1000  #: most persons one request may return
    token_days_default: int = 30
    session_hours: int = 8
    cookie_secure: bool = True

    # caching of analysis results per store version
    cache_entries: int = 64
    #: seconds a cached result may be reused when the store cannot report writes by other processes
    cache_ttl_s: float = 300.0

    # retention terms in days per kind (bewaartermijnen)
    retention_signal_days: int = 5 * 365
    retention_person_days: int = 5 * 365
    retention_case_days: int = 5 * 365


def get_settings() -> Settings:
    """The settings from the environment now (front ends call this once, at start-up or per command)."""
    return Settings()
