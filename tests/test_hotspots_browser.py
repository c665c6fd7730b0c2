"""The offline HTML hotspot map in headless Chromium: shapes and markers render, no request leaves the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from netwerk.frames import Frames
from netwerk.hotspots import find_hotspots
from netwerk.hotspots.geo import buurt_geometry
from netwerk.hotspots.maps import hotspot_map_html

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
def test_html_map_renders_offline(town: dict, town_frames: Frames, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("geen /usr/bin/chromium (scripts/test installeert het)")
    sync_api = pytest.importorskip("playwright.sync_api")
    found = find_hotspots(town_frames, since=town["truth"]["start_date"])
    page_file = hotspot_map_html(found, tmp_path / "kaart.html")
    n_markers = sum(1 for h in found if h.lat is not None)
    n_buurten = len(buurt_geometry()[1])
    assert n_markers > 0 and n_buurten >= 45  # CBS 2014: 49 buurt polygons
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
