"""`netwerk ingest` and `netwerk signalen convert` at the command line: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from netwerk.cli import app

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "ingest" / "examples" / "minimal"
SAMPLE = ROOT / "tests" / "data" / "signalen_export"
runner = CliRunner()


def test_ingest_json_summary(tmp_path: Path) -> None:
    res = runner.invoke(app, ["ingest", str(MINIMAL), "--store", str(tmp_path / "s"), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["loaded"] == data["read"] > 0 and data["rejects_path"] is None
    assert {f["file"] for f in data["files"]} >= {"signals.csv", "persons.csv"}


def test_ingest_with_rejects_and_strict(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "signals.csv").write_text("signal_id,reported_at,category\nS1,2025-01-01,Wonen\nS2,nooit,Wonen\n")
    res = runner.invoke(app, ["ingest", str(d), "--store", str(tmp_path / "s"), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["rejected"] == 1 and Path(data["rejects_path"]).parent == tmp_path / "s" / "rejects"
    res = runner.invoke(app, ["ingest", str(d), "--store", str(tmp_path / "s2"), "--strict",
                              "--rejects", str(tmp_path / "r.csv")])
    assert res.exit_code == 1 and "--strict" in res.output
    assert "signals.csv" in (tmp_path / "r.csv").read_text()


def test_ingest_errors_exit_nonzero(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "signals.csv").write_text("signal_id,category\nS1,Wonen\n")
    res = runner.invoke(app, ["ingest", str(d), "--store", str(tmp_path / "s")])
    assert res.exit_code == 1 and "signals.csv: verplichte kolom reported_at ontbreekt" in res.output
    (d / "signals.csv").write_text("signal_id,reported_at,category\nS1,nooit,Wonen\n")
    res = runner.invoke(app, ["ingest", str(d), "--store", str(tmp_path / "s")])
    assert res.exit_code == 1 and "niets" in res.output


def test_ingest_refuses_without_key(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("NETWERK_PSEUDONYM_KEY")
    res = runner.invoke(app, ["ingest", str(MINIMAL), "--store", str(tmp_path / "s")])
    assert res.exit_code == 1 and "NETWERK_PSEUDONYM_KEY" in res.output


def test_ingest_guards_at_the_command_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = str(tmp_path / "s")
    res = runner.invoke(app, ["ingest", str(MINIMAL), "--store", store, "--no-pseudonymise"])
    assert res.exit_code == 1 and "--ik-begrijp-het-risico" in " ".join(res.output.split())
    monkeypatch.setenv("NETWERK_PSEUDONYM_KEY", "a")
    res = runner.invoke(app, ["ingest", str(MINIMAL), "--store", store])
    assert res.exit_code == 1 and "te kort (1 tekens; minimaal 16)" in " ".join(res.output.split())
    monkeypatch.setenv("NETWERK_PSEUDONYM_KEY", "een-andere-lange-sleutel-x7q")
    assert runner.invoke(app, ["ingest", str(MINIMAL), "--store", store]).exit_code == 0
    monkeypatch.setenv("NETWERK_PSEUDONYM_KEY", "en-nog-een-andere-sleutel-p2w")
    res = runner.invoke(app, ["ingest", str(MINIMAL), "--store", store])
    assert res.exit_code == 1 and "ANDERE pseudonimiseringssleutel" in res.output


def test_signalen_ingest_and_convert(tmp_path: Path) -> None:
    res = runner.invoke(app, ["ingest", str(SAMPLE), "--signalen", "--store", str(tmp_path / "s"), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["folder"] == str(SAMPLE) and data["file" + "s"][-1]["loaded"] == 40
    res = runner.invoke(app, ["signalen", "convert", str(SAMPLE), str(tmp_path / "v1")])
    assert res.exit_code == 0 and (tmp_path / "v1" / "signals.csv").exists()
