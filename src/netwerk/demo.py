"""The main job end to end: a synthetic municipality, ingest, every analysis, and the results on disk.

Used by ``netwerk demo`` (and so by ``scripts/demo``). Each step calls the same library functions as the
individual commands; nothing here is analysis logic of its own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netwerk.frames import Frames
from netwerk.store import GraphStore

__all__ = ["DEMO_USER", "DemoResult", "demo_login", "run_demo"]

#: the demo's web user (role analist); its password is new on every run
DEMO_USER = "demo"


@dataclass
class DemoResult:
    """What the demo produced: files written and the seconds each step took."""

    files: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


def _json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


def run_demo(
    store: GraphStore,
    out: Path,
    *,
    size: str = "small",
    seed: int = 42,
    step: Callable[[str], None] = lambda _: None,
) -> DemoResult:
    """Generate, ingest and analyse a synthetic municipality into ``store``; write results to ``out``."""
    from netwerk.cases import build_agenda, case_frames, load_ladder, render
    from netwerk.cases.inputs import analyses_for
    from netwerk.generate import generate
    from netwerk.geo.labels import safe_filename
    from netwerk.hotspots import find_hotspots
    from netwerk.hotspots.charts import hotspot_chart
    from netwerk.hotspots.maps import hotspot_map_html, hotspot_map_png
    from netwerk.indicators import rank_subjects
    from netwerk.ingest import ingest_folder
    from netwerk.youth.analysis import run_analysis
    from netwerk.youth.visual import export_graph, write_html

    res = DemoResult()
    out.mkdir(parents=True, exist_ok=True)

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        step(name)
        start = time.perf_counter()
        value = fn()
        res.seconds[name] = round(time.perf_counter() - start, 2)
        return value

    town = out / "gemeente"
    timed("gemeente genereren", lambda: generate(town, seed=seed, size=size))
    report = timed("inlezen (gepseudonimiseerd)", lambda: ingest_folder(town, store))
    res.files["inleesverslag"] = _json(out / "inleesverslag.json", report.to_dict())
    frames: Frames = timed("graaf projecteren", lambda: Frames.from_store(store))

    since = str(frames.signals["reported_at"].min().date())
    hotspots = timed("hotspots", lambda: find_hotspots(frames, since=since))
    res.files["hotspots"] = _json(out / "hotspots.json", [h.to_dict() for h in hotspots])
    res.files["kaart"] = hotspot_map_html(hotspots, out / "hotspotkaart.html", areas=frames.areas)
    res.files["kaart_png"] = hotspot_map_png(hotspots, out / "hotspotkaart.png", areas=frames.areas)
    charts = out / "grafieken"
    charts.mkdir(exist_ok=True)
    for h in hotspots[:5]:
        hotspot_chart(h, frames, charts / f"{safe_filename(f'{h.level}-{h.key}')}.png")
    res.files["grafieken"] = charts

    flags = timed("indicatoren", lambda: {s: rank_subjects(frames, s) for s in ("address", "person", "business")})
    res.files["indicatoren"] = _json(out / "indicatoren.json", flags)

    flagged = {f["subject_id"] for f in flags["person"]}
    youth = timed("jeugdgroepen", lambda: run_analysis(frames, flagged_persons=flagged))
    res.files["jeugdgroepen"] = _json(out / "jeugdgroepen.json", youth.groups)
    res.files["netwerk"] = write_html(youth.graph, youth.detection, out / "jongerennetwerk.html",
                                      cent=youth.centrality, seed=seed)
    res.files["gephi"] = export_graph(youth.graph, out / "jongerennetwerk.graphml", "graphml", youth.detection)

    def agenda() -> str:
        hot, fl, notes = analyses_for(frames)
        result = build_agenda(frames, case_frames(store), load_ladder(), "twee-wekelijks",
                              hotspots=hot, flags=fl, notes=notes)
        (out / "agenda-twee-wekelijks.html").write_text(render(result, "html"), encoding="utf-8")
        return render(result, "md")

    (out / "agenda-twee-wekelijks.md").write_text(timed("agenda", agenda), encoding="utf-8")
    res.files["agenda"] = out / "agenda-twee-wekelijks.md"
    res.summary = {
        "meldingen": len(frames.signals),
        "hotspots": len(hotspots),
        "fenomeenadvies": sum(h.fenomeen_advice for h in hotspots),
        "jeugdgroepen": youth.counts["groepen"],
        "adressen_met_signaal": len(flags["address"]),
        "personen_met_signaal": len(flags["person"]),
    }
    return res


def demo_login(store: GraphStore) -> tuple[str, str]:
    """Create (or reset) the demo's web user in the user store; returns ``(name, password)``.

    The password is random and new on every run: the demo holds synthetic data only, but a fixed
    password would be a habit worth not teaching.
    """
    import secrets

    from netwerk import auth

    password = secrets.token_urlsafe(12)
    if auth.get_user(store, DEMO_USER) is None:
        auth.add_user(store, DEMO_USER, password, "analist")
    else:
        auth.reset_user(store, DEMO_USER, password=password, role="analist")
    return DEMO_USER, password
