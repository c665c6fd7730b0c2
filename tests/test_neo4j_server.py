"""Smoke test: the real Neo4j server started by scripts/test answers over Bolt.

scripts/test starts Neo4j Community 5.26 (scripts/neo4j start) and exports NETWERK_TEST_NEO4J_URI.
Without that variable the test fails under CI=true and skips (loudly) otherwise.
"""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.neo4j

URI_ENV = "NETWERK_TEST_NEO4J_URI"


def _neo4j_uri() -> str:
    uri = os.environ.get(URI_ENV, "").strip()
    if uri:
        return uri
    reason = f"{URI_ENV} is not set, so there is no Neo4j server: run the tests via scripts/test"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(f"!!! NEO4J NOT AVAILABLE !!! {reason}")


def test_neo4j_server_is_community_5() -> None:
    neo4j_uri = _neo4j_uri()
    from neo4j import GraphDatabase

    with GraphDatabase.driver(neo4j_uri, auth=None) as driver:
        driver.verify_connectivity()

        one = driver.execute_query("RETURN 1 AS one").records
        assert one[0]["one"] == 1

        components = driver.execute_query(
            "CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition"
        ).records
        kernel = [r for r in components if r["name"] == "Neo4j Kernel"]
        assert kernel, f"unexpected dbms.components(): {[r.data() for r in components]}"
        assert kernel[0]["edition"] == "community"
        assert kernel[0]["versions"][0].startswith("5."), kernel[0]["versions"]
