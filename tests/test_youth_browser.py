"""The youth-network HTML in headless Chromium: draws offline, with every node of the graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest

from netwerk.youth import centrality, detect_groups
from netwerk.youth.visual import write_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = pytest.mark.browser


def _open(path: Path) -> tuple[int, list[str]]:
    """Open ``path`` in Chromium; return the vis node count and every non-file request."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("geen chromium: apt-get install -y chromium")
    outside: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-drawn='1']", timeout=60_000)
        count = page.evaluate("network.body.data.nodes.length")
        canvas = page.evaluate("document.querySelectorAll('#mynetwork canvas').length")
        browser.close()
    assert canvas == 1
    return int(count), outside


def test_town_network_html_offline(tmp_path: Path, town_frames) -> None:  # type: ignore[no-untyped-def]
    from netwerk.youth import run_analysis

    res = run_analysis(town_frames)
    path = write_html(res.graph, res.detection, tmp_path / "net.html", cent=res.centrality)
    count, outside = _open(path)
    assert count == res.graph.number_of_nodes()
    assert outside == []


@pytest.mark.slow
def test_large_network_html_stays_usable(tmp_path: Path) -> None:
    G = nx.relabel_nodes(nx.planted_partition_graph(250, 20, 0.3, 0.0005, seed=2), str)
    det = detect_groups(G)
    path = write_html(G, det, tmp_path / "big.html", cent=centrality(G), max_edges=15_000)
    count, outside = _open(path)
    assert count == G.number_of_nodes() == 5000
    assert outside == []
