"""The audit log is hash-chained: any changed, removed or reordered line is detected."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netwerk import audit
from netwerk.access import Actor


def _fill(n: int = 5) -> Path:
    actor = Actor.of("anna", "analist", "analyse", via="token")
    for i in range(n):
        audit.record(actor, "lezen", f"Person:P-{i}", f"GET /network/Person/P-{i}", keys=[f"P-{i}"])
    return audit.audit_log_path()


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_intact_log_verifies() -> None:
    path = _fill()
    result = audit.verify()
    assert result.ok and result.entries == 5
    first = json.loads(_lines(path)[0])
    assert first["prev"] == audit.GENESIS and first["user"] == "anna" and first["purpose"] == "analyse"
    assert json.loads(_lines(path)[1])["prev"] == first["hash"]


@pytest.mark.parametrize("tamper", ["change", "remove_middle", "remove_last", "reorder", "rewrite_user"])
def test_any_tampering_is_detected(tamper: str) -> None:
    path = _fill()
    lines = _lines(path)
    if tamper == "change":
        lines[2] = lines[2].replace("P-2", "P-9")
    elif tamper == "remove_middle":
        del lines[1]
    elif tamper == "remove_last":
        del lines[-1]
    elif tamper == "reorder":
        lines[1], lines[2] = lines[2], lines[1]
    else:
        e = json.loads(lines[0])
        e["user"] = "iemand-anders"
        lines[0] = json.dumps(e, ensure_ascii=False)
    _write(path, lines)
    result = audit.verify()
    assert not result.ok and result.problems


def test_cli_verify_exit_codes_and_only_the_privacy_officer_reads(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from netwerk.cli import app

    monkeypatch.setenv("NETWERK_STORE", str(tmp_path / "geen-opslag"))
    path = _fill(3)
    runner = CliRunner()
    monkeypatch.setenv("NETWERK_ROLE", "analist")
    assert runner.invoke(app, ["audit", "list"]).exit_code == 3
    monkeypatch.setenv("NETWERK_ROLE", "privacy_officer")
    monkeypatch.setenv("NETWERK_PURPOSE", "privacytoezicht")
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    listed = runner.invoke(app, ["audit", "list", "--format", "json"])
    assert listed.exit_code == 0 and "Person:P-2" in listed.output
    lines = _lines(path)
    _write(path, lines[:1] + lines[2:])
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 1 and "NIET ongeschonden" in bad.output


def test_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_fill, args=(20,)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert all(p.exitcode == 0 for p in procs)
    result = audit.verify()
    assert result.ok and result.entries == 80, result.problems[:3]
    assert os.environ["NETWERK_AUDIT_LOG"] == str(audit.audit_log_path())
