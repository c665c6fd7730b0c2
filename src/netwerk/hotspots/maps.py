"""Hotspot maps that work offline: a static PNG (matplotlib) and a self-contained HTML page (inline SVG).

Buurt shapes come from the CBS polygons in ``src/netwerk/data/oldambt/`` (or the shared data folder).
The HTML page has no external tiles, scripts, fonts or styles: everything is inline.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Polygon

from netwerk.hotspots.detect import Hotspot
from netwerk.hotspots.figures import save_figure
from netwerk.hotspots.geo import buurt_geometry

__all__ = ["hotspot_map_html", "hotspot_map_png"]

_LEVEL_COLOUR = {"address": "#d62728", "cluster": "#9467bd", "buurt": "#ff7f0e"}
_LEVEL_NL = {"address": "adres", "cluster": "cluster", "buurt": "buurt"}
_W, _H = 900, 700


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


def hotspot_map_png(hotspots: Sequence[Hotspot], path: str | Path, title: str = "Hotspots") -> Path:
    """Static map: buurten coloured by their highest buurt-level score, markers for address and cluster hotspots."""
    _, polys = buurt_geometry()
    scores = _buurt_scores(hotspots)
    fig, ax = plt.subplots(figsize=(9, 7), dpi=100)
    for code, rings in polys.items():
        for ring in rings:
            ax.add_patch(Polygon(np.asarray(ring), closed=True, facecolor=_fill(scores.get(code)),
                                 edgecolor="#636363", linewidth=0.5))
    for level in ("cluster", "address"):
        pts = [h for h in hotspots if h.level == level and h.lat is not None and h.lon is not None]
        if pts:
            ax.scatter([float(h.lon or 0) for h in pts], [float(h.lat or 0) for h in pts],
                       s=[20 + 8 * h.score for h in pts],
                       c=_LEVEL_COLOUR[level], edgecolors="black", linewidths=0.5, label=_LEVEL_NL[level], zorder=3)
    ax.autoscale_view()
    ax.set_aspect(1 / np.cos(np.radians(53.17)))
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    if any(h.level in ("cluster", "address") for h in hotspots):
        ax.legend(loc="lower left")
    return save_figure(fig, path)


def _projector(polys: dict[str, list[list[list[float]]]], hotspots: Sequence[Hotspot]):  # type: ignore[no-untyped-def]
    lons = [p[0] for rings in polys.values() for r in rings for p in r]
    lats = [p[1] for rings in polys.values() for r in rings for p in r]
    lons += [h.lon for h in hotspots if h.lon is not None]
    lats += [h.lat for h in hotspots if h.lat is not None]
    if not lons:
        lons, lats = [0.0, 1.0], [0.0, 1.0]
    x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
    k = np.cos(np.radians((y0 + y1) / 2))
    scale = min((_W - 40) / max((x1 - x0) * k, 1e-9), (_H - 40) / max(y1 - y0, 1e-9))

    def proj(lon: float, lat: float) -> tuple[float, float]:
        return 20 + (lon - x0) * k * scale, _H - 20 - (lat - y0) * scale

    return proj


def hotspot_map_html(hotspots: Sequence[Hotspot], path: str | Path, title: str = "Hotspots") -> Path:
    """Self-contained HTML map (inline SVG, a few lines of inline JS, no network requests).

    Buurten are ``<path class="buurt" data-code=…>`` coloured by their highest buurt-level score; hotspots
    with coordinates are ``<circle class="hotspot" data-level=… data-key=…>``; clicking one shows its reason.
    """
    points, polys = buurt_geometry()
    names = dict(zip(points["buurt_code"], points["name"], strict=True))
    scores = _buurt_scores(hotspots)
    proj = _projector(polys, hotspots)
    parts = [f'<svg id="kaart" xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
             f'viewBox="0 0 {_W} {_H}">']
    for code, rings in sorted(polys.items()):
        d = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (proj(p[0], p[1]) for p in ring)) + " Z"
                     for ring in rings)
        label = f"{names.get(code, code)} ({code})" + (f" - hoogste score {scores[code]:.1f}" if code in scores else "")
        parts.append(f'<path class="buurt" data-code="{html.escape(code)}" d="{d}" fill="{_fill(scores.get(code))}" '
                     f'stroke="#636363" stroke-width="0.6"><title>{html.escape(label)}</title></path>')
    details = {}
    for i, h in enumerate(hotspots):
        if h.lat is None or h.lon is None:
            continue
        x, y = proj(h.lon, h.lat)
        r = 4 + 0.8 * h.score
        details[str(i)] = {"titel": f"{_LEVEL_NL[h.level]} {h.key}", "categorie": h.category,
                           "meldingen": h.n_signals, "bronnen": h.n_sources, "score": round(h.score, 2),
                           "fenomeenadvies": h.fenomeen_advice, "reden": h.reason}
        tip = f"{_LEVEL_NL[h.level]} {h.key}: {h.category}, {h.n_signals} meldingen, score {h.score:.1f}"
        parts.append(f'<circle class="hotspot" data-i="{i}" data-level="{h.level}" data-key="{html.escape(h.key)}" '
                     f'cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{_LEVEL_COLOUR[h.level]}" fill-opacity="0.8" '
                     f'stroke="black" stroke-width="0.7"><title>{html.escape(tip)}</title></circle>')
    parts.append("</svg>")
    rows = "".join(
        f"<tr><td>{_LEVEL_NL[h.level]}</td><td>{html.escape(h.key)}</td><td>{html.escape(h.category)}</td>"
        f"<td>{h.n_signals}</td><td>{h.n_sources}</td><td>{h.trend}</td><td>{h.score:.1f}</td>"
        f"<td>{'ja' if h.fenomeen_advice else 'nee'}</td></tr>" for h in hotspots)
    data = json.dumps(details, ensure_ascii=False).replace("</", "<\\/")
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<style>body{{font-family:sans-serif;margin:1em}} #info{{min-height:3em;padding:.5em;background:#f7f7f7}}
circle.hotspot{{cursor:pointer}} table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ccc;padding:2px 6px}}</style>
</head><body><h1>{html.escape(title)}</h1>
<p>Buurten: kleur naar hoogste hotspotscore op buurtniveau. Rood: adres, paars: locatiecluster. Klik op een punt.</p>
{"".join(parts)}
<div id="info">Geen hotspot gekozen.</div>
<table><tr><th>niveau</th><th>sleutel</th><th>categorie</th><th>meldingen</th><th>bronnen</th><th>trend</th><th>score</th><th>fenomeenadvies</th></tr>{rows}</table>
<script>
const HOTSPOTS = {data};
document.querySelectorAll("circle.hotspot").forEach(function (c) {{
  c.addEventListener("click", function () {{
    const h = HOTSPOTS[c.dataset.i];
    const info = document.getElementById("info");
    info.textContent = h.titel + " - " + h.categorie + ": " + h.meldingen + " meldingen, " + h.bronnen +
      " bronnen, score " + h.score + (h.fenomeenadvies ? " (fenomeenadvies)" : "") + ". " + h.reden;
  }});
}});
</script></body></html>
"""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
