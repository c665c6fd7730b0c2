"""The README's usage examples run as written on the demo data (seed 42, small), in the README's order.

The usage block is read from README.md itself: each ``netwerk`` line runs with ``--store`` added, the
README's own ``netwerk ingest`` line creates the store, and only visible placeholders are filled in
(the export folder, the ``FEN-…`` id the create line printed, output folders).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netwerk.cli import app

ROOT = Path(__file__).resolve().parents[1]
SIGNALEN = Path(__file__).resolve().parent / "data" / "signalen_export"

pytestmark = pytest.mark.slow


def usage_commands(readme: str) -> list[str]:
    """The ``netwerk`` commands of the README's usage block, continuation lines joined, comments dropped."""
    block = re.search(r"## Usage\s+```bash\n(.*?)```", readme, flags=re.DOTALL)
    assert block, "README.md heeft geen ```bash-blok onder ## Usage"
    joined = re.sub(r"\\\n\s*", " ", block.group(1))
    out = []
    for line in joined.splitlines():
        cmd = line.split("  #")[0].split(" # ")[0].strip()
        if cmd.startswith("netwerk "):
            out.append(cmd)
    return out


def test_usage_block_is_found() -> None:
    cmds = usage_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert cmds[0].startswith("netwerk ingest") and any(c.startswith("netwerk fenomeen create") for c in cmds)


def test_readme_usage_examples_run_on_demo_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from netwerk.generate import generate

    monkeypatch.delenv("NETWERK_USER", raising=False)
    export = tmp_path / "export"
    generate(export, seed=42, size="small")  # the demo's municipality (netwerk demo / scripts/demo)
    store = tmp_path / "store"
    fills = {"path/to/export/": f"{export}/", "export/": f"{SIGNALEN}/", "format-v1/": f"{tmp_path / 'v1'}/",
             "demo/": f"{tmp_path / 'demo'}/"}
    runner = CliRunner()
    fenomeen_id = None
    for cmd in usage_commands((ROOT / "README.md").read_text(encoding="utf-8")):
        args = [fills.get(a, a) for a in shlex.split(cmd)[1:]]
        if "FEN-…" in args:
            assert fenomeen_id, "fenomeen follow zonder eerdere fenomeen create"
            args = [fenomeen_id if a == "FEN-…" else a for a in args]
        if args[0] not in ("generate", "signalen"):
            args += ["--store", str(store)]
        res = runner.invoke(app, args)
        assert res.exit_code == 0, f"{cmd}\n{res.output}"
        if args[:2] == ["fenomeen", "create"]:
            m = re.search(r"Fenomeen (FEN-\S+) vastgelegd", res.output)
            assert m, res.output
            fenomeen_id = m.group(1)
    assert fenomeen_id is not None
