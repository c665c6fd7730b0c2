"""The analyst notebooks run top to bottom on a small generated and ingested municipality (and the Cypher
cells on real Neo4j); each shows a picture, and changing its parameter cell changes its result.

A notebook marks its parameter cell with the tag ``parameters`` and the cell that prints its result with
``resultaat``; parameters are overridden papermill-style (a cell inserted after the parameter cell).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]

#: per notebook: a parameter change that must change what the ``resultaat`` cell prints
ALTERNATIVE: dict[str, dict[str, Any]] = {
    "01_hotspots": {"MIN_SIGNALS": 10},
    "02_jeugdnetwerk": {"RESOLUTION": 4.0},
    "03_ondermijning": {"MIN_ADULTS": 8},
    "04_eigen_analyse": {"DEPTH": 1},
    "05_monitoring": {"PER": "jaar"},
}
#: notebooks that show persons: their reads must be in the audit log, attributed to the notebook
PURPOSE_OF = {"02_jeugdnetwerk": "risicojongeren-overleg", "03_ondermijning": "ondermijningsanalyse",
              "04_eigen_analyse": "analyse"}


@dataclass
class Run:
    nb: nbformat.NotebookNode
    audit: list[dict[str, Any]]

    def tagged(self, tag: str) -> nbformat.NotebookNode:
        cells = [c for c in self.nb.cells if tag in c.get("metadata", {}).get("tags", [])]
        assert len(cells) == 1, f"expected one cell tagged {tag!r}"
        return cells[0]

    def text(self, tag: str) -> str:
        return "".join(o.get("text", "") for o in self.tagged(tag).get("outputs", []) if o.output_type == "stream")


def _tagged_index(nb: nbformat.NotebookNode, tag: str) -> int:
    found = [i for i, c in enumerate(nb.cells) if tag in c.get("metadata", {}).get("tags", [])]
    assert len(found) == 1, f"expected one cell tagged {tag!r}, found {len(found)}"
    return found[0]


def execute(path: Path, store: str, work: Path, params: Mapping[str, Any] | None = None,
            until_tag: str | None = None) -> Run:
    """Run ``path`` on ``store`` (a folder or Neo4j URI), optionally with parameters and only up to the
    cell tagged ``until_tag``; an error in any cell raises."""
    nb = nbformat.read(path, as_version=4)
    if until_tag:
        nb.cells = nb.cells[: _tagged_index(nb, until_tag) + 1]
    if params:
        at = _tagged_index(nb, "parameters")
        source = "\n".join(f"{k} = {v!r}" for k, v in params.items())
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]}))
    work.mkdir(parents=True, exist_ok=True)
    log = work / "audit.jsonl"
    env = {"NETWERK_STORE": store, "NETWERK_AUDIT_LOG": str(log), "MPLBACKEND": "Agg"}
    with mock.patch.dict(os.environ, env):
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(work)}}).execute()
    audit = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return Run(nb, audit)


@pytest.fixture(scope="module")
def demo_store(town_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the small generated + ingested municipality (the notebooks must not need more)."""
    copy = tmp_path_factory.mktemp("notebook-store") / "opslag"
    shutil.copytree(town_store_path, copy)
    return str(copy)


class Runs(dict[str, Run]):
    """Each notebook executed once with its own parameters, on first use."""

    def __init__(self, store: str, factory: pytest.TempPathFactory) -> None:
        super().__init__()
        self.store, self.factory = store, factory

    def __missing__(self, name: str) -> Run:
        run = self[name] = execute(NOTEBOOK_DIR / f"{name}.ipynb", self.store, self.factory.mktemp(name))
        return run


@pytest.fixture(scope="module")
def default_runs(demo_store: str, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return Runs(demo_store, tmp_path_factory)


def test_the_five_notebooks_exist() -> None:
    assert NAMES == ["01_hotspots", "02_jeugdnetwerk", "03_ondermijning", "04_eigen_analyse", "05_monitoring"]
    assert set(ALTERNATIVE) == set(NAMES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_committed_notebook_has_no_outputs_and_says_what_it_needs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.get("outputs") == [], f"{path.name} cel {i}: uitvoer niet gestript"
            assert cell.get("execution_count") is None, f"{path.name} cel {i}: execution_count niet gestript"
        assert "execution" not in cell.get("metadata", {}), f"{path.name} cel {i}: uitvoertijden niet gestript"
    assert "widgets" not in nb.metadata
    head = nb.cells[0]
    assert head.cell_type == "markdown"
    for part in ("**Vraag.**", "**Gegevens en doel.**", "**Looptijd.**"):
        assert part in head.source, f"{path.name}: de eerste cel noemt {part} niet"
    _tagged_index(nb, "parameters")
    _tagged_index(nb, "resultaat")
    for name in ALTERNATIVE[path.stem]:
        assert f"\n{name} = " in "\n" + nb.cells[_tagged_index(nb, "parameters")].source


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_the_demo_store(name: str, default_runs: Runs) -> None:
    run = default_runs[name]
    outputs = [o for c in run.nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.data]
    assert images, f"{name}: geen kaart, grafiek of netwerk"
    assert all(len(o.data["image/png"]) > 2000 for o in images), f"{name}: een lege afbeelding"
    result = run.text("resultaat")
    for param in ALTERNATIVE[name]:
        assert f"{param}=" in result
    if name in PURPOSE_OF:
        mine = [e for e in run.audit if e.get("via") == "notebook" and e.get("keys")]
        assert mine, f"{name}: geen auditregel met personen vanuit het notebook"
        assert {e["purpose"] for e in mine} == {PURPOSE_OF[name]}


@pytest.mark.slow
def test_notebook_3_says_cypher_needs_neo4j_on_the_embedded_store(default_runs: Runs) -> None:
    run = default_runs["03_ondermijning"]
    assert "ingebouwde opslag" in run.text("cypher")
    shown = "".join(str(o.get("text", "")) for c in run.nb.cells for o in c.get("outputs", []))
    assert "MATCH (p:Person)-[r:REGISTERED_AT]->(a:Address)" in shown  # the pattern text is shown


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_changing_the_parameter_cell_changes_the_result(
    name: str, default_runs: Runs, demo_store: str, tmp_path: Path
) -> None:
    before = default_runs[name].text("resultaat")
    changed = execute(NOTEBOOK_DIR / f"{name}.ipynb", demo_store, tmp_path, ALTERNATIVE[name], until_tag="resultaat")
    after = changed.text("resultaat")
    for param, value in ALTERNATIVE[name].items():
        assert f"{param}={value}" in after
    assert before.split(":", 1)[1] != after.split(":", 1)[1], f"{name}: de parameter verandert het resultaat niet"


@pytest.mark.neo4j
@pytest.mark.slow
def test_cypher_cells_run_on_neo4j(town: dict, tmp_path: Path) -> None:
    from conftest import open_test_store

    from netwerk.ingest import ingest_folder

    st = open_test_store("neo4j", tmp_path)
    try:
        ingest_folder(town["dir"], st)
        uri = os.environ["NETWERK_TEST_NEO4J_URI"]
        ondermijning = execute(NOTEBOOK_DIR / "03_ondermijning.ipynb", uri, tmp_path / "nb3", until_tag="cypher")
        eigen = execute(NOTEBOOK_DIR / "04_eigen_analyse.ipynb", uri, tmp_path / "nb4")
    finally:
        st.clear()
        st.close()
    text = ondermijning.text("cypher")
    assert "Cypher op Neo4j" in text and "zelfde onderwerpen en waarden" in text, text
    assert "ingebouwde opslag" not in text
    assert "Cypher op Neo4j en pandas geven dezelfde tabel" in eigen.text("cypher")
    assert any("image/png" in o.get("data", {}) for c in eigen.nb.cells for o in c.get("outputs", []))
    assert any(e.get("via") == "notebook" for e in ondermijning.audit)


def _in_own_context(fn: Any, *args: Any) -> Any:
    """Run ``fn`` in a copy of the context: ``start`` attributes the rest of its context to the analyst."""
    import contextvars

    return contextvars.copy_context().run(fn, *args)


def test_start_opens_the_store_as_the_analyst_with_the_notebooks_purpose(
    town_store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netwerk.notebook import start

    monkeypatch.setenv("NETWERK_STORE", str(town_store_path))
    monkeypatch.setenv("NETWERK_ROLE", "coordinator_jeugd")
    nb = _in_own_context(start, "risicojongeren-overleg", "groups")
    try:
        assert (nb.actor.role, nb.actor.purpose, nb.actor.via) == ("coordinator_jeugd", "risicojongeren-overleg",
                                                                    "notebook")
        assert nb.actor.domains == {"jeugd"}
        assert f"{len(nb.frames.signals):,}".replace(",", ".") in nb.summary()
        members = set(nb.frames.group_members["person_id"])
        outside = set(nb.frames.business_persons["person_id"]) - set(nb.frames.signal_persons["person_id"]) - members
        assert members and outside
        shown = nb.visible(members | outside)
        assert members <= set(shown) and not outside & set(shown)  # scope by datum: jeugd only
    finally:
        nb.store.close()


def test_start_refuses_a_role_without_the_resource_and_audits_it(
    town_store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netwerk import audit
    from netwerk.access import AccessDenied
    from netwerk.notebook import start

    monkeypatch.setenv("NETWERK_STORE", str(town_store_path))
    monkeypatch.setenv("NETWERK_ROLE", "beheerder")
    with pytest.raises(AccessDenied, match="beheerder"):
        _in_own_context(start, "risicojongeren-overleg", "groups")
    refused = [e for e in audit.read_entries() if e["outcome"] == "geweigerd"]
    assert [(e["role"], e["via"], e["endpoint"]) for e in refused] == [("beheerder", "notebook", "notebook")]


def test_excel_neutralises_formula_cells(tmp_path: Path) -> None:
    import pandas as pd
    from openpyxl import load_workbook

    from netwerk.notebook import excel

    frame = pd.DataFrame({"naam": ["=HYPERLINK(\"x\")", "Markt 1"], "n": [-3, 4]})
    path = excel({"knopen": frame}, tmp_path / "x.xlsx")
    ws = load_workbook(path)["knopen"]
    assert [c.value for c in ws["A"]] == ["naam", "'=HYPERLINK(\"x\")", "Markt 1"]
    assert [c.value for c in ws["B"]] == ["n", -3, 4]


@pytest.mark.slow
def test_start_without_a_store_builds_the_demo_municipality() -> None:
    from netwerk.notebook import start

    nb = _in_own_context(start, "overlastaanpak", "hotspots")
    try:
        assert "synthetische demogemeente" in nb.summary()
        assert len(nb.frames.signals) > 1000 and len(nb.frames.youth_groups) > 0
        assert nb.actor.purpose == "overlastaanpak"
    finally:
        nb.store.close()
