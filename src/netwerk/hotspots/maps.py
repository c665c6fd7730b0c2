"""Hotspot maps that work offline: a static PNG (matplotlib) and a self-contained HTML page (inline SVG).

Both draw the data's own buurten (the store's areas over the national CBS map, for the municipalities
in the data: :func:`netwerk.hotspots.geo.data_areas`) with their names, and are framed on the data's
extent: the buurten of those municipalities plus every hotspot with coordinates. The HTML page has no
external tiles, scripts, fonts or styles: everything is inline.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Polygon

from netwerk.geo.areas import AreaSet
from netwerk.hotspots.detect import Hotspot
from netwerk.hotspots.figures import save_figure
from netwerk.hotspots.geo import buurt_geometry

__all__ = ["hotspot_map_html", "hotspot_map_png", "map_extent"]

_LEVEL_COLOUR = {"address": "#d62728", "cluster": "#9467bd", "buurt": "#ff7f0e"}
_LEVEL_NL = {"address": "adres", "cluster": "cluster", "buurt": "buurt"}
_W, _H = 900, 700
Areas: TypeAlias = pd.DataFrame | AreaSet | None


def _geometry(hotspots: Sequence[Hotspot], areas: Areas) -> tuple[pd.DataFrame, dict[str, list[list[list[float]]]]]:
    """Buurten of the data: from ``areas`` (the store's Area nodes) and the buurt codes of the hotspots."""
    codes = [h.buurt_code for h in hotspots if h.buurt_code] + [h.key for h in hotspots if h.level == "buurt"]
    return buurt_geometry(areas, codes)


def _buurt_scores(hotspots: Sequence[Hotspot]) -> dict[str, float]:
    out: dict[str, float] = {}
    for h in hotspots:
        if h.level == "buurt":
            out[h.key] = max(out.get(h.key, 0.0), h.score)
    return out


def _fill(score: float | None) -> str:
    if not score:
        return "#f0f0f0"
    a = min(1.0, score / 10)
    r, g, b = (int(255 - (255 - c) * a) for c in (230, 85, 13))
    return f"#{r:02x}{g:02x}{b:02x}"


def map_extent(hotspots: Sequence[Hotspot], areas: Areas = None, margin: float = 0.03
               ) -> tuple[float, float, float, float]:
    """``(min_lon, min_lat, max_lon, max_lat)`` of the map: the data's buurten and every located hotspot,
    with a margin (share of the width/height)."""
    points, polys = _geometry(hotspots, areas)
    lons = [p[0] for rings in polys.values() for r in rings for p in r] + points["lon"].dropna().tolist()
    lats = [p[1] for rings in polys.values() for r in rings for p in r] + points["lat"].dropna().tolist()
    lons += [float(h.lon) for h in hotspots if h.lon is not None]
    lats += [float(h.lat) for h in hotspots if h.lat is not None]
    if not lons:
        return (3.2, 50.7, 7.3, 53.7)  # nothing located: the Netherlands
    x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
    dx, dy = max(x1 - x0, 0.005) * margin, max(y1 - y0, 0.003) * margin
    return (x0 - dx, y0 - dy, x1 + dx, y1 + dy)


def _label_at(points: pd.DataFrame) -> dict[str, tuple[str, float, float]]:
    return {str(c): (str(n), float(la), float(lo)) for c, n, la, lo in
            zip(points["buurt_code"], points["name"], points["lat"], points["lon"], strict=True)
            if np.isfinite(la) and np.isfinite(lo)}


def hotspot_map_png(hotspots: Sequence[Hotspot], path: str | Path, title: str = "Hotspots",
                    areas: Areas = None) -> Path:
    """Static map: the data's buurten coloured by their highest buurt-level score (named where they have a
    hotspot), markers for address and cluster hotspots; framed by :func:`map_extent`."""
    points, polys = _geometry(hotspots, areas)
    scores = _buurt_scores(hotspots)
    x0, y0, x1, y1 = map_extent(hotspots, areas)
    fig, ax = plt.subplots(figsize=(9, 7), dpi=100)
    for code, rings in polys.items():
        for ring in rings:
            ax.add_patch(Polygon(np.asarray(ring), closed=True, facecolor=_fill(scores.get(code)),
                                 edgecolor="#636363", linewidth=0.5))
    labels = _label_at(points)
    for code in scores:
        if code in labels:
            name, la, lo = labels[code]
            ax.annotate(name, (lo, la), fontsize=7, ha="center", va="center", zorder=2.5,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    for level in ("cluster", "address"):
        pts = [h for h in hotspots if h.level == level and h.lat is not None and h.lon is not None]
        if pts:
            ax.scatter([float(h.lon or 0) for h in pts], [float(h.lat or 0) for h in pts],
                       s=[20 + 8 * h.score for h in pts],
                       c=_LEVEL_COLOUR[level], edgecolors="black", linewidths=0.5, label=_LEVEL_NL[level], zorder=3)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    if any(h.level in ("cluster", "address") for h in hotspots):
        ax.legend(loc="lower left")
    return save_figure(fig, path)


def _projector(extent: tuple[float, float, float, float]) -> Callable[[float, float], tuple[float, float]]:
    x0, y0, x1, y1 = extent
    k = np.cos(np.radians((y0 + y1) / 2))
    scale = min((_W - 40) / max((x1 - x0) * k, 1e-9), (_H - 40) / max(y1 - y0, 1e-9))

    def proj(lon: float, lat: float) -> tuple[float, float]:
        return 20 + (lon - x0) * k * scale, _H - 20 - (lat - y0) * scale

    return proj


def hotspot_map_html(hotspots: Sequence[Hotspot], path: str | Path, title: str = "Hotspots",
                     areas: Areas = None) -> Path:
    """Self-contained HTML map (inline SVG, a few lines of inline JS, no network requests).

    Buurten are ``<path class="buurt" data-code=… data-name=…>`` coloured by their highest buurt-level
    score, with the name as tooltip (and as text where the buurt has a hotspot); hotspots with
    coordinates are ``<circle class="hotspot" data-level=… data-key=… data-label=…>``; clicking one shows
    its label and reason. Framed by :func:`map_extent`.
    """
    points, polys = _geometry(hotspots, areas)
    names = dict(zip(points["buurt_code"], points["name"], strict=True))
    scores = _buurt_scores(hotspots)
    proj = _projector(map_extent(hotspots, areas))
    parts = [f'<svg id="kaart" xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
             f'viewBox="0 0 {_W} {_H}">']
    for code, rings in sorted(polys.items()):
        d = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (proj(p[0], p[1]) for p in ring)) + " Z"
                     for ring in rings)
        name = str(names.get(code) or code)
        tip = f"{name} ({code})" + (f" - hoogste score {scores[code]:.1f}" if code in scores else "")
        parts.append(f'<path class="buurt" data-code="{html.escape(code)}" data-name="{html.escape(name)}" '
                     f'd="{d}" fill="{_fill(scores.get(code))}" stroke="#636363" stroke-width="0.6">'
                     f"<title>{html.escape(tip)}</title></path>")
    for code, (name, la, lo) in sorted(_label_at(points).items()):
        if code in scores:
            x, y = proj(lo, la)
            parts.append(f'<text class="buurtnaam" x="{x:.1f}" y="{y:.1f}" font-size="10" text-anchor="middle">'
                         f"{html.escape(name)}</text>")
    details = {}
    for i, h in enumerate(hotspots):
        if h.lat is None or h.lon is None:
            continue
        x, y = proj(h.lon, h.lat)
        r = 4 + 0.8 * h.score
        label = h.label or h.key
        details[str(i)] = {"titel": f"{_LEVEL_NL[h.level]} {label}", "sleutel": h.key, "categorie": h.category,
                           "meldingen": h.n_signals, "bronnen": h.n_sources, "score": round(h.score, 2),
                           "fenomeenadvies": h.fenomeen_advice, "reden": h.reason}
        tip = f"{_LEVEL_NL[h.level]} {label}: {h.category}, {h.n_signals} meldingen, score {h.score:.1f}"
        parts.append(f'<circle class="hotspot" data-i="{i}" data-level="{h.level}" data-key="{html.escape(h.key)}" '
                     f'data-label="{html.escape(label)}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                     f'fill="{_LEVEL_COLOUR[h.level]}" fill-opacity="0.8" stroke="black" stroke-width="0.7">'
                     f"<title>{html.escape(tip)}</title></circle>")
    parts.append("</svg>")
    rows = "".join(
        f"<tr><td>{_LEVEL_NL[h.level]}</td><td>{html.escape(h.label or h.key)}</td><td>{html.escape(h.key)}</td>"
        f"<td>{html.escape(h.category)}</td><td>{h.n_signals}</td><td>{h.n_sources}</td><td>{h.trend}</td>"
        f"<td>{h.score:.1f}</td><td>{'ja' if h.fenomeen_advice else 'nee'}</td></tr>" for h in hotspots)
    data = json.dumps(details, ensure_ascii=False).replace("</", "<\\/")
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<style>body{{font-family:sans-serif;margin:1em}} #info{{min-height:3em;padding:.5em;background:#f7f7f7}}
circle.hotspot{{cursor:pointer}} table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ccc;padding:2px 6px}} text.buurtnaam{{pointer-events:none;paint-order:stroke;
stroke:white;stroke-width:3px}}</style>
</head><body><h1>{html.escape(title)}</h1>
<p>Buurten: kleur naar hoogste hotspotscore op buurtniveau. Rood: adres, paars: locatiecluster. Klik op een punt.</p>
{"".join(parts)}
<div id="info">Geen hotspot gekozen.</div>
<table><tr><th>niveau</th><th>plaats</th><th>sleutel</th><th>categorie</th><th>meldingen</th><th>bronnen</th>
<th>trend</th><th>score</th><th>fenomeenadvies</th></tr>{rows}</table>
<script>
const HOTSPOTS = {data};
document.querySelectorAll("circle.hotspot").forEach(function (c) {{
  c.addEventListener("click", function () {{
    const h = HOTSPOTS[c.dataset.i];
    const info = document.getElementById("info");
    info.textContent = h.titel + " (" + h.sleutel + ") - " + h.categorie + ": " + h.meldingen + " meldingen, " +
      h.bronnen + " bronnen, score " + h.score + (h.fenomeenadvies ? " (fenomeenadvies)" : "") + ". " + h.reden;
  }});
}});
</script></body></html>
"""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
