"""The README's main job runs end to end and leaves results a person can open."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from netwerk.cli import app


def test_demo_writes_every_result(tmp_path: Path) -> None:
    out, store = tmp_path / "uit", tmp_path / "opslag"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--store", str(store), "--seed", "3"])
    assert result.exit_code == 0, result.output
    hotspots = json.loads((out / "hotspots.json").read_text())
    assert any(h["fenomeen_advice"] for h in hotspots)
    assert json.loads((out / "jeugdgroepen.json").read_text())
    assert json.loads((out / "indicatoren.json").read_text())["address"]
    assert "<svg" in (out / "hotspotkaart.html").read_text() or "<canvas" in (out / "hotspotkaart.html").read_text()
    assert (out / "hotspotkaart.png").read_bytes()[:4] == b"\x89PNG"
    assert list((out / "grafieken").glob("*.png"))
    assert "vis" in (out / "jongerennetwerk.html").read_text()
    assert (out / "agenda-twee-wekelijks.md").read_text().startswith("#")
    report = json.loads((out / "inleesverslag.json").read_text())
    assert report["rejected"] == 0 and report["loaded"] == report["read"]
