"""Role and purpose scoping (AVG purpose limitation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netwerk.access import PURPOSES, ROLES, AccessDenied, check_access


def test_roles_see_only_what_their_work_needs() -> None:
    check_access("coordinator_jeugd", "risicojongeren-overleg", "groups")
    check_access("veiligheidsadviseur", "ondermijningsanalyse", "indicators")
    with pytest.raises(AccessDenied, match="geen toegang tot 'indicators'"):
        check_access("coordinator_jeugd", "risicojongeren-overleg", "indicators")
    with pytest.raises(AccessDenied, match="geen toegang tot 'groups'"):
        check_access("veiligheidsadviseur", "ondermijningsanalyse", "groups")
    with pytest.raises(AccessDenied, match="geen toegang"):
        check_access("beheerder", "beheer", "groups")


def test_person_level_use_needs_a_fitting_purpose() -> None:
    with pytest.raises(AccessDenied, match="rechtvaardigt geen gebruik van 'indicators'"):
        check_access("analist", "risicojongeren-overleg", "indicators")
    with pytest.raises(AccessDenied, match="onbekend doel"):
        check_access("analist", "nieuwsgierigheid", "groups")
    check_access("analist", "nieuwsgierigheid", "stats")  # aggregate counts need no purpose


def test_every_role_resource_is_covered_by_some_purpose() -> None:
    covered = set().union(*PURPOSES.values())
    for role, resources in ROLES.items():
        assert resources <= covered, role


def test_cli_refuses_a_role_without_access(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from netwerk.cli import RESOURCE_OF, app

    store = str(tmp_path / "s")
    runner = CliRunner()
    monkeypatch.setenv("NETWERK_ROLE", "coordinator_jeugd")
    monkeypatch.setenv("NETWERK_PURPOSE", "risicojongeren-overleg")
    refused = runner.invoke(app, ["indicators", "--store", store])
    assert refused.exit_code == 3
    assert "geen toegang tot 'indicators'" in refused.output
    assert runner.invoke(app, ["stats", "--store", store]).exit_code == 0
    monkeypatch.setenv("NETWERK_ROLE", "veiligheidsadviseur")
    monkeypatch.setenv("NETWERK_PURPOSE", "risicojongeren-overleg")
    wrong_purpose = runner.invoke(app, ["indicators", "--store", store])
    assert wrong_purpose.exit_code == 3 and "rechtvaardigt geen gebruik" in wrong_purpose.output
    assert set(RESOURCE_OF.values()) <= set().union(*ROLES.values())
