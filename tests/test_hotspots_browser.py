"""The offline HTML hotspot map in headless Chromium: shapes and markers render, no request leaves the machine."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from test_geo_maps import OLDAMBT_NAMES, placed_town

from netwerk.frames import Frames
from netwerk.hotspots import find_hotspots
from netwerk.hotspots.geo import buurt_geometry
from netwerk.hotspots.maps import hotspot_map_html, map_extent

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _browser() -> Any:
    """Playwright's sync API with the system Chromium; a missing browser fails under CI=true, else skips."""
    reason = None
    if not CHROMIUM.exists():
        reason = "geen /usr/bin/chromium (scripts/test installeert het)"
    else:
        try:
            import playwright.sync_api as sync_api
        except ImportError:
            reason = "playwright ontbreekt (scripts/test installeert het)"
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true: {reason}")
        pytest.skip(reason)
    return sync_api


@pytest.mark.browser
def test_html_map_renders_offline(town: dict, town_frames: Frames, tmp_path: Path) -> None:
    sync_api = _browser()
    found = find_hotspots(town_frames, since=town["truth"]["start_date"])
    page_file = hotspot_map_html(found, tmp_path / "kaart.html", areas=town_frames.areas)
    n_markers = sum(1 for h in found if h.lat is not None)
    n_buurten = len(buurt_geometry(town_frames.areas)[1])
    assert n_markers > 0 and n_buurten >= 40  # Oldambt in the built-in CBS 2014 map (coarse polygons)
    outside: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)  # a shared 2-core machine can be slow

            def guard(route) -> None:  # type: ignore[no-untyped-def]
                if route.request.url.startswith("file://"):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.resolve().as_uri())
            assert page.locator("path.buurt").count() == n_buurten
            assert page.locator("circle.hotspot").count() == n_markers
            box = page.locator("path.buurt").first.bounding_box()
            assert box is not None and box["width"] > 0 and box["height"] > 0
            marker = page.locator("circle.hotspot").first
            assert marker.is_visible()
            marker.dispatch_event("click")  # markers may overlap: fire on this one
            assert "meldingen" in page.locator("#info").inner_text()
            assert not errors
        finally:
            browser.close()
    assert outside == []


@pytest.mark.browser
@pytest.mark.parametrize("gm", ["GM1598", "GM0141"])
def test_html_map_elsewhere_shows_that_places_buurten(gm: str, tmp_path: Path) -> None:
    """Data in Koggenland or Almelo: its own buurt names on the map, none of Oldambt, every marker inside."""
    sync_api = _browser()
    frames, truth = placed_town(gm)
    found = find_hotspots(frames, since="2025-01-01")
    assert map_extent(found, frames.areas)[2] < 6.85  # east edge well west of Oldambt
    page_file = hotspot_map_html(found, tmp_path / "kaart.html", areas=frames.areas)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.goto(page_file.resolve().as_uri())
            names = set(page.eval_on_selector_all("path.buurt", "els => els.map(e => e.dataset.name)"))
            assert set(truth["buurten"]["name"]) <= names
            body = page.locator("body").inner_text()
            assert not any(n in body or n in names for n in OLDAMBT_NAMES)
            svg = page.locator("#kaart").bounding_box()
            assert svg is not None
            circles = page.locator("circle.hotspot")
            assert circles.count() == sum(1 for h in found if h.lat is not None) > 0
            for i in range(circles.count()):
                box = circles.nth(i).bounding_box()
                assert box is not None
                cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                assert svg["x"] <= cx <= svg["x"] + svg["width"] and svg["y"] <= cy <= svg["y"] + svg["height"]
            shown = page.eval_on_selector_all("text.buurtnaam", "els => els.map(e => e.textContent)")
            assert shown and set(shown) <= set(truth["buurten"]["name"])
            page.locator(f'circle.hotspot[data-key="{truth["hot"]["address_id"]}"]').dispatch_event("click")
            assert f"{truth['hot']['street']} {truth['hot']['house_number']}" in page.locator("#info").inner_text()
        finally:
            browser.close()
