"""Benchmark: the Jeugdnetwerk page with 5,000 persons in headless Chromium (issue 13).

A planted-partition network (250 groups of 20, ~20k links) is served through the real page with its
data dependency overridden. Measured in one run, against a 500-person baseline on the same machine:

- server: the grouped layout (igraph) and the graph JSON;
- browser: navigation to drawn (``#graaf[data-getekend]``) and the page's own draw time;
- pan/zoom: frame times (``requestAnimationFrame`` deltas) while the camera pans and zooms for 3 s
  (``frame_ms_*``, set by script every frame) and while the mouse drags the drawing (``drag_frame_ms_*``,
  real input events through sigma's mouse captor);
- still: the time of one full render (nodes, links and labels) once the camera stands still
  (``still_frame_ms``: a render and the two frames that show it).

Above 2,000 nodes the page draws nodes as points and links as 1-pixel lines and, while the camera moves,
the nodes only (graaf.js); the figures before that change are kept in the results as ``previous``.

Usage: ``python -m bench.run web [-- --nodes 5000 --baseline 500]``. Writes bench/results/web.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

from bench.common import report

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PASSWORD = "bench-wachtwoord-lang-genoeg"

#: pans and zooms the camera every frame for ``ms`` milliseconds; resolves with the frame deltas
_PAN_ZOOM = """async (ms) => {
  const cam = netwerkGraaf.renderer.getCamera();
  const deltas = [];
  return await new Promise((done) => {
    const t0 = performance.now(); let last = t0;
    function step(now) {
      deltas.push(now - last); last = now;
      const t = (now - t0) / 1000;
      cam.setState({x: 0.5 + 0.3 * Math.sin(t * 2), y: 0.5 + 0.3 * Math.cos(t * 2),
                    ratio: 0.4 + 0.5 * Math.abs(Math.sin(t))});
      if (now - t0 < ms) { requestAnimationFrame(step); } else { done(deltas.slice(1)); }
    }
    requestAnimationFrame(step);
  });
}"""


#: where the time to drawn went: ms after navigation start (HTML in, page parsed, data in, graaf.js marks)
_STEPS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const data = performance.getEntriesByType('resource').find((r) => r.name.includes('graaf.json'));
  const out = {html_received: nav.responseEnd, page_parsed: nav.domInteractive,
               data_requested: data ? data.startTime : null, data_received: data ? data.responseEnd : null};
  for (const m of performance.getEntriesByType('mark')) { out[m.name] = m.startTime; }
  for (const k in out) { if (out[k] !== null) { out[k] = Math.round(out[k]); } }
  return out;
}"""

#: the whole drawing rendered once, camera still: a render and the two frames that show it (ms each)
_STILL = """async (times) => {
  const r = netwerkGraaf.renderer; const out = [];
  const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
  for (let i = 0; i < times; i++) {
    await new Promise((ok) => setTimeout(ok, 300));
    const t = performance.now(); r.render(); await frame(); await frame();
    out.push(performance.now() - t);
  }
  return out;
}"""

#: records requestAnimationFrame deltas until ``window.__stopFrames`` is set (for mouse-driven moves)
_RECORD = """() => {
  window.__frames = []; window.__stopFrames = false;
  let last = performance.now();
  const step = (now) => { window.__frames.push(now - last); last = now;
                          if (!window.__stopFrames) { requestAnimationFrame(step); } };
  requestAnimationFrame(step);
}"""

#: the figures of the last quiet-machine run before the speed work on graaf.js/jeugdnetwerk (issue 13)
PREVIOUS = {
    "when": "2026-11 (commit 9ce8bbf), quiet machine, 2 cores, headless Chromium --disable-gpu",
    "baseline": {"nodes": 500, "edges": 1491, "navigation_to_drawn_s": 0.992, "page_draw_ms": 558.0,
                 "frame_ms_median": 58.35, "frame_ms_p95": 83.4},
    "large": {"nodes": 5000, "edges": 20245, "layout_s": 0.578, "navigation_to_drawn_s": 3.469,
              "page_draw_ms": 1121.0, "frame_ms_median": 266.6, "frame_ms_p95": 550, "fps": 3.5},
}


def _graph(n: int) -> tuple[nx.Graph, dict[str, int]]:
    groups = max(n // 20, 1)
    g = nx.relabel_nodes(nx.planted_partition_graph(groups, 20, 0.3, 0.0005, seed=2), lambda i: f"P-{i:05d}")
    return g, {f"P-{i:05d}": i // 20 for i in range(groups * 20)}


def _percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def measure(n: int, store_dir: Path, browser: Any) -> dict[str, Any]:
    """Layout time, time to drawn and pan/zoom frame times for an ``n``-person network."""
    from netwerk import auth
    from netwerk.settings import Settings
    from netwerk.store.embedded import EmbeddedStore
    from netwerk.web.app import create_app
    from netwerk.web.layout import graph_json
    from netwerk.web.pages.jeugdnetwerk import YouthView, youth_view
    from netwerk.web.server import serve_in_thread

    graph, membership = _graph(n)
    t = time.perf_counter()
    view = YouthView.from_graph(graph, membership)
    layout_s = time.perf_counter() - t
    t = time.perf_counter()
    graph_json(view.graph, {k: view.attrs(k) for k in view.graph.nodes}, positions=view.pos)
    json_s = time.perf_counter() - t
    store = EmbeddedStore(store_dir / f"store-{n}")
    try:
        if auth.get_user(store, "bench") is None:
            auth.add_user(store, "bench", PASSWORD, "coordinator_jeugd")
        app = create_app(Settings(), store)
        app.dependency_overrides[youth_view] = lambda: view
        with serve_in_thread(app) as base:
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            page.set_default_timeout(300_000)
            page.goto(base + "/inloggen")
            page.fill("#gebruiker", "bench")
            page.fill("#wachtwoord", PASSWORD)
            page.check("#doel-risicojongeren-overleg")
            page.click("form.formulier button[type=submit]")
            page.wait_for_url("**/overzicht")
            t = time.perf_counter()
            page.goto(base + "/jeugdnetwerk")
            page.wait_for_selector("#graaf[data-getekend='1']")
            drawn_s = time.perf_counter() - t
            draw_ms = float(page.locator("#graaf").get_attribute("data-tekentijd-ms") or "nan")
            steps = page.evaluate(_STEPS)
            assert page.evaluate("netwerkGraaf.graph.order") == graph.number_of_nodes()
            # the keyboard list of persons is filled after the first draw: every person is in it
            page.wait_for_function("(n) => document.querySelectorAll('#kies-persoon option').length === n + 1",
                                   arg=graph.number_of_nodes())
            page.wait_for_timeout(500)
            frames = page.evaluate(_PAN_ZOOM, 3000)
            page.evaluate("() => netwerkGraaf.renderer.getCamera().setState({x: 0.5, y: 0.5, ratio: 1})")
            still = page.evaluate(_STILL, 5)
            drag = _drag(page)
            ctx.close()
    finally:
        store.close()
    return {
        "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "layout_s": round(layout_s, 3),
        "json_s": round(json_s, 3), "navigation_to_drawn_s": round(drawn_s, 3), "page_draw_ms": draw_ms,
        "steps_ms": steps,
        "frames": len(frames), "frame_ms_median": round(statistics.median(frames), 2) if frames else None,
        "frame_ms_p95": round(_percentile(frames, 0.95), 2),
        "fps": round(1000 / statistics.mean(frames), 1) if frames else None,
        "drag_frames": len(drag), "drag_frame_ms_median": round(statistics.median(drag), 2) if drag else None,
        "drag_frame_ms_p95": round(_percentile(drag, 0.95), 2),
        "still_frame_ms": round(statistics.median(still), 1) if still else None,
    }


def _drag(page: Any, moves: int = 60) -> list[float]:
    """Frame deltas while the mouse drags the drawing around (real input events, sigma's mouse captor)."""
    import math

    box = page.locator("#graaf").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.evaluate(_RECORD)
    page.mouse.down()
    for i in range(moves):
        page.mouse.move(cx + 150 * math.sin(i / 6), cy + 100 * math.cos(i / 6) - 100)
    page.mouse.up()
    frames: list[float] = page.evaluate("() => { window.__stopFrames = true; return window.__frames.slice(1); }")
    page.wait_for_timeout(500)
    return frames


def main(argv: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(prog="bench.run web")
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--baseline", type=int, default=500)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            base = measure(args.baseline, Path(tmp), browser)
            big = measure(args.nodes, Path(tmp), browser)
        finally:
            browser.close()
    cols = ["nodes", "edges", "layout_s", "navigation_to_drawn_s", "page_draw_ms", "frame_ms_median",
            "frame_ms_p95", "drag_frame_ms_median", "still_frame_ms"]
    rows = [[r[c] for c in cols] for r in (base, big)]
    ratios = {k: round(big[k] / base[k], 2) for k in ("layout_s", "navigation_to_drawn_s", "page_draw_ms",
                                                     "frame_ms_median", "drag_frame_ms_median",
                                                     "still_frame_ms") if base[k]}
    report("web", cols, rows, {"baseline": base, "large": big, "ratio_large_to_baseline": ratios,
                               "target": "5,000 knopen getekend in < 3 s; pannen/zoomen vloeiend",
                               "load_average_1m_after": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
                               "drawn_under_3s": big["navigation_to_drawn_s"] < 3.0, "previous": PREVIOUS})
