"""Role and purpose scoping (AVG purpose limitation)."""

from __future__ import annotations

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
