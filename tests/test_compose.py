"""docker-compose.yml agrees with the code's defaults: env names, ports, images."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from api.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_compose_matches_code_defaults() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j, api = compose["services"]["neo4j"], compose["services"]["api"]
    assert neo4j["image"].startswith("neo4j:5") and "community" in neo4j["image"]
    assert "apoc" in neo4j["environment"]["NEO4J_PLUGINS"]
    bolt_port = re.search(r":(\d+)$", api["environment"]["NETWERK_STORE"]).group(1)  # type: ignore[union-attr]
    assert f"127.0.0.1:{bolt_port}:{bolt_port}" in neo4j["ports"]
    fields = {f"NETWERK_{name.upper()}" for name in Settings.model_fields}
    used = {k for k in api["environment"] if k != "NETWERK_PSEUDONYM_KEY"}
    assert used <= fields, f"compose sets env names the API does not read: {used - fields}"
    src = (ROOT / "src" / "netwerk" / "store" / "__init__.py").read_text()
    for name in ("NETWERK_NEO4J_USER", "NETWERK_NEO4J_PASSWORD", "NETWERK_NEO4J_DATABASE"):
        assert name in api["environment"] and name in src
    assert api["environment"]["NETWERK_STORE"].startswith("bolt://")
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "8000" in dockerfile and any("8000:8000" in p for p in api["ports"])
    assert "api.main:app" in dockerfile
