"""The README's main job runs end to end and leaves results a person can open."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from netwerk.cli import app


def test_demo_writes_every_result(tmp_path: Path) -> None:
    out, store = tmp_path / "uit", tmp_path / "opslag"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--store", str(store), "--seed", "3"])
    assert result.exit_code == 0, result.output
    hotspots = json.loads((out / "hotspots.json").read_text())
    assert any(h["fenomeen_advice"] for h in hotspots)
    groups = json.loads((out / "jeugdgroepen.json").read_text())
    assert groups
    assert json.loads((out / "indicatoren.json").read_text())["address"]
    assert "<svg" in (out / "hotspotkaart.html").read_text() or "<canvas" in (out / "hotspotkaart.html").read_text()
    assert (out / "hotspotkaart.png").read_bytes()[:4] == b"\x89PNG"
    assert list((out / "grafieken").glob("*.png"))
    # the network view carries the youth network itself: every member of every detected group is a node
    # (a registered group that fell apart has no members in the network)
    page = (out / "jongerennetwerk.html").read_text()
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", page, flags=re.DOTALL).group(1))
    members = {m if isinstance(m, str) else m["person_id"] for g in groups if g["status"] != "fallen_apart"
               for m in g["members"]}
    assert members and members <= {str(n["id"]) for n in nodes}
    assert (out / "agenda-twee-wekelijks.md").read_text().startswith("#")
    report = json.loads((out / "inleesverslag.json").read_text())
    assert report["rejected"] == 0 and report["loaded"] == report["read"]
