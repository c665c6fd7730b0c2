"""Shared fixtures: stores on both backends, and a small synthetic municipality ingested once.

Neo4j tests use the server started by ``scripts/test`` (``NETWERK_TEST_NEO4J_URI``). Under ``CI=true``
a missing Neo4j fails the run; elsewhere those tests skip with a loud reason.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from netwerk.store import GraphStore

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

PSEUDONYM_KEY = "test-sleutel-niet-voor-productie"
NEO4J_URI = os.environ.get("NETWERK_TEST_NEO4J_URI", "")
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test gets the test pseudonym key and its own audit log."""
    monkeypatch.setenv("NETWERK_PSEUDONYM_KEY", PSEUDONYM_KEY)
    monkeypatch.setenv("NETWERK_AUDIT_LOG", str(tmp_path_factory.mktemp("audit") / "audit.jsonl"))
    monkeypatch.delenv("NETWERK_STORE", raising=False)


def neo4j_uri() -> str:
    """The test server's URI, or fail (CI) / skip (laptop) when none runs."""
    if not NEO4J_URI:
        if IN_CI:
            pytest.fail("CI=true maar er draait geen Neo4j (NETWERK_TEST_NEO4J_URI ontbreekt)")
        pytest.skip("GEEN NEO4J: start de tests met scripts/test om ook tegen echte Neo4j te testen")
    return NEO4J_URI


def open_test_store(backend: str, tmp_path: Path) -> GraphStore:
    """A fresh, empty store of the given backend."""
    if backend == "embedded":
        from netwerk.store.embedded import EmbeddedStore

        return EmbeddedStore(tmp_path / "store")
    from netwerk.store.neo4j import Neo4jStore

    st = Neo4jStore(neo4j_uri())
    st.clear()
    return st


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store, once per backend (the contract suite runs on both)."""
    st = open_test_store(request.param, tmp_path)
    yield st
    st.close()


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[GraphStore]:
    st = open_test_store("embedded", tmp_path)
    yield st
    st.close()


@pytest.fixture
def neo4j_store(tmp_path: Path) -> Iterator[GraphStore]:
    st = open_test_store("neo4j", tmp_path)
    yield st
    st.close()


@pytest.fixture(scope="session")
def town(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The small synthetic municipality: ``{"dir": Path, "truth": ground_truth}`` (raw ids)."""
    from netwerk.generate import generate

    out = tmp_path_factory.mktemp("town")
    truth = generate(out, seed=7, size="small")
    return {"dir": out, "truth": truth or json.loads((out / "ground_truth.json").read_text())}


@pytest.fixture(scope="session")
def town_store_path(town: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small municipality ingested (pseudonymised with the test key) into an embedded store."""
    from netwerk.ingest import ingest_folder
    from netwerk.store.embedded import EmbeddedStore

    mp = pytest.MonkeyPatch()
    mp.setenv("NETWERK_PSEUDONYM_KEY", PSEUDONYM_KEY)
    mp.setenv("NETWERK_AUDIT_LOG", str(tmp_path_factory.mktemp("audit") / "audit.jsonl"))
    path = tmp_path_factory.mktemp("townstore")
    st = EmbeddedStore(path)
    try:
        ingest_folder(town["dir"], st)
    finally:
        st.close()
        mp.undo()
    return path


@pytest.fixture(scope="session")
def town_frames(town_store_path: Path):  # type: ignore[no-untyped-def]
    """Frames of the ingested small municipality (person ids are pseudonyms: use ``pid``)."""
    from netwerk.frames import Frames
    from netwerk.store.embedded import EmbeddedStore

    st = EmbeddedStore(town_store_path)
    try:
        return Frames.from_store(st)
    finally:
        st.close()


def pid(raw: str) -> str:
    """The pseudonym the test key gives a raw person id from the ground truth."""
    from netwerk.privacy import pseudonymise

    return pseudonymise(raw, PSEUDONYM_KEY)


@pytest.fixture(scope="module")
def api(town_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The API on a private copy of the town store (one per test module), with a token per role."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.api_helpers import copy_store, users_with_tokens

    st = copy_store(town_store_path, tmp_path_factory.mktemp("api") / "s")
    tokens = users_with_tokens(st)
    with TestClient(create_app(store=st)) as client:
        yield client, tokens
    st.close()
