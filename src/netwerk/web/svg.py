"""Small server-side SVG drawings: the area map and bar charts (each page also gives a table)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import shapely
from markupsafe import Markup

__all__ = ["Projection", "bar_chart", "path_of"]

WIDTH = 1000.0


@dataclass(frozen=True)
class Projection:
    """Longitude/latitude → SVG pixels (equirectangular around the centre: fine at municipal scale)."""

    lon0: float
    lat0: float
    scale: float
    height: float

    @classmethod
    def fit(cls, bounds: tuple[float, float, float, float]) -> Projection:
        """A projection that fits ``(min_lon, min_lat, max_lon, max_lat)`` into :data:`WIDTH` pixels."""
        min_lon, min_lat, max_lon, max_lat = bounds
        k = math.cos(math.radians((min_lat + max_lat) / 2))
        span_x = max((max_lon - min_lon) * k, 1e-6)
        span_y = max(max_lat - min_lat, 1e-6)
        scale = WIDTH / span_x
        return cls(min_lon, max_lat, scale, span_y * scale)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        k = math.cos(math.radians(self.lat0))
        return round((lon - self.lon0) * k * self.scale, 1), round((self.lat0 - lat) * self.scale, 1)

    @property
    def viewbox(self) -> str:
        return f"0 0 {WIDTH:.0f} {self.height:.0f}"


def path_of(geom: Any, proj: Projection) -> str:
    """The SVG path data of a (multi)polygon."""
    parts: list[str] = []
    for poly in getattr(geom, "geoms", [geom]):
        if not isinstance(poly, shapely.Polygon):
            continue
        for ring in [poly.exterior, *poly.interiors]:
            pts = [proj.xy(x, y) for x, y in ring.coords]
            parts.append("M" + "L".join(f"{x},{y}" for x, y in pts) + "Z")
    return "".join(parts)


def bar_chart(series: Sequence[tuple[str, float]], title: str, height: int = 160) -> Markup:
    """A bar chart as inline SVG (the caller shows the same numbers in a table)."""
    n = max(len(series), 1)
    top = max((v for _, v in series), default=0) or 1
    bar_w = 600 / n
    bars = []
    for i, (label, v) in enumerate(series):
        h = (height - 30) * v / top
        x = i * bar_w
        bars.append(f'<rect x="{x + 1:.1f}" y="{height - 20 - h:.1f}" width="{max(bar_w - 2, 1):.1f}" '
                    f'height="{h:.1f}"><title>{escape(label)}: {v:g}</title></rect>')
        if n <= 24 or i % max(n // 12, 1) == 0:
            bars.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 5}" text-anchor="middle">'
                        f'{escape(label[-5:])}</text>')
    return Markup(f'<svg class="grafiek" viewBox="0 0 600 {height}" role="img" aria-label="{escape(title)}">'
                  f'<title>{escape(title)}</title>{"".join(bars)}</svg>')
