"""Roles and purposes as data (rollen.yaml): the table, the check and the actor's domains."""

from __future__ import annotations

from pathlib import Path

import pytest

from netwerk.access import PURPOSES, ROLES, AccessDenied, Actor, check_access, load_policy, policy


def test_roles_purposes_and_domains_from_the_table() -> None:
    check_access("coordinator_jeugd", "risicojongeren-overleg", "groups")
    check_access("veiligheidsadviseur", "ondermijningsanalyse", "indicators")
    with pytest.raises(AccessDenied, match="geen toegang tot 'indicators'"):
        check_access("coordinator_jeugd", "risicojongeren-overleg", "indicators")
    with pytest.raises(AccessDenied, match="geen toegang"):
        check_access("beheerder", "beheer", "groups")
    with pytest.raises(AccessDenied, match="rechtvaardigt geen gebruik"):
        check_access("analist", "risicojongeren-overleg", "indicators")
    with pytest.raises(AccessDenied, match="mag het doel"):
        check_access("veiligheidsadviseur", "risicojongeren-overleg", "cases")
    with pytest.raises(AccessDenied, match="onbekend doel"):
        check_access("analist", "nieuwsgierigheid", "groups")
    with pytest.raises(AccessDenied, match="geef een doel op"):
        check_access("analist", None, "groups")
    check_access("analist", "nieuwsgierigheid", "stats")  # aggregate counts need no purpose
    assert Actor.of("c", "coordinator_jeugd", "risicojongeren-overleg").domains == {"jeugd"}
    assert Actor.of("a", "analist", "ondermijningsanalyse").domains == {"ondermijning", "woon"}
    assert Actor.of("b", "beheerder", "beheer").domains == frozenset()
    assert not Actor.of("p", "privacy_officer", "privacytoezicht").may("network")
    assert Actor.of("p", "privacy_officer", "privacytoezicht").may("audit")
    assert not Actor.of("a", "analist", "analyse").may("audit")
    assert not Actor.of("a", "analist", "casusoverleg").may("reveal")  # the analyst works pseudonymised


def test_every_person_resource_of_a_role_is_opened_by_one_of_its_purposes() -> None:
    pol = policy()
    for role in pol.roles.values():
        covered = set().union(*(pol.purposes[p].resources for p in role.purposes)) | pol.aggregate
        assert role.resources <= covered, role.name
    assert set(ROLES) and set(PURPOSES)


def test_a_table_naming_an_unknown_purpose_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "rollen.yaml"
    bad.write_text("domeinen: [jeugd]\nrollen:\n  x:\n    doelen: [geen]\n    bronnen: [stats]\ndoelen: {}\n")
    with pytest.raises(ValueError, match="onbekende doelen geen"):
        load_policy(bad)


def test_cli_refuses_a_role_without_access(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from netwerk.cli import RESOURCE_OF, app

    store = str(tmp_path / "s")
    monkeypatch.setenv("NETWERK_STORE", store)
    runner = CliRunner()
    monkeypatch.setenv("NETWERK_ROLE", "coordinator_jeugd")
    monkeypatch.setenv("NETWERK_PURPOSE", "risicojongeren-overleg")
    refused = runner.invoke(app, ["indicators", "--store", store])
    assert refused.exit_code == 3
    assert "geen toegang tot 'indicators'" in refused.output
    monkeypatch.setenv("NETWERK_ROLE", "veiligheidsadviseur")
    wrong_purpose = runner.invoke(app, ["indicators", "--store", store])
    assert wrong_purpose.exit_code == 3 and "mag het doel" in wrong_purpose.output
    assert set(RESOURCE_OF.values()) <= set().union(*ROLES.values())
