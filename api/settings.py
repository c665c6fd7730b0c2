"""API settings from the environment (same names as the CLI)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from netwerk.store import DEFAULT_STORE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NETWERK_", extra="ignore")

    store: str = DEFAULT_STORE
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None
