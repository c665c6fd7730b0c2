"""Property-based run of the whole OpenAPI schema (schemathesis), bounded: 0 server errors.

Every operation is called with generated input as an analyst with a purpose (and once more without
credentials); answers must never be 5xx and every error body must match the documented format.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from api.main import create_app
from tests.api_helpers import copy_store, headers, users_with_tokens

ERROR_KEYS = {"detail", "status", "code", "fields"}
#: whole-graph analyses: every new parameter combination recomputes, so fewer examples keep the run bounded
EXPENSIVE = {"/hotspots", "/groups", "/indicators", "/agenda"}
_STATE: dict[str, Any] = {}


@pytest.fixture(scope="module")
def api_schema(town_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from netwerk.settings import Settings

    st = copy_store(town_store_path, tmp_path_factory.mktemp("schemathesis") / "s")
    tokens = users_with_tokens(st)
    app = create_app(Settings(rate_limit_per_minute=100_000), store=st)
    app.state.store = st  # the ASGI transport does not run the lifespan
    _STATE["headers"] = headers(tokens["analist"], "analyse")
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    st.close()


def test_no_server_errors_and_errors_match_the_format(api_schema: Any) -> None:
    operations = [r.ok() for r in api_schema.get_all_operations()]
    assert len(operations) >= 10
    calls = {"n": 0}
    for operation in operations:
        examples = 3 if operation.path in EXPENSIVE else 12

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case: Any) -> None:
            response = case.call_and_validate(headers=_STATE["headers"], checks=[not_a_server_error], timeout=300)
            calls["n"] += 1
            if response.status_code >= 400:
                assert set(response.json()) == ERROR_KEYS, response.text[:300]
            anonymous = case.call(timeout=300)
            assert anonymous.status_code in (401, 404, 405, 422) or case.path == "/health", anonymous.status_code

        run()
    assert calls["n"] >= len(operations)
