"""The escalation ladders as data: loading, validation and navigation."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from netwerk.cases import available_ladders, load_ladder
from netwerk.cases.ladder import RULE_IDS

LADDERS = resources.files("netwerk") / "data" / "ladders"


def test_shipped_ladders() -> None:
    assert available_ladders() == ["almelo", "oldambt"]
    for name in available_ladders():
        lad = load_ladder(name)
        assert lad.phase_ids == ["1", "2", "3", "4"]
        assert set(lad.overleggen) == {"twee-wekelijks", "gio", "politie", "ondermijningstafel"}
        assert [lad.overleg(o).interval_days for o in ("twee-wekelijks", "gio", "politie", "ondermijningstafel")
                ] == [14, 42, 56, 28]
        for p in lad.phases:
            assert set(p.roles) == {"casusregie", "procesregie", "wijkregie", "operationeel_verantwoordelijk",
                                    "bestuurlijk_verantwoordelijk"}
            assert p.down_criteria  # every phase can be scaled down
        # every rule is used by some criterion, so every rule can lead to advice
        assert {r for c in lad.criteria.values() for r in c.rules} == RULE_IDS


def test_almelo_contents_from_the_seed() -> None:
    lad = load_ladder("almelo")
    assert lad.phase("2").up_required == ("overleg_deskundige", "domeinoverstijgend", "gevaar_persoon_omgeving")
    assert "onrust_social_media" in lad.phase("3").up_triggers and "negatieve_media" in lad.phase("3").up_triggers
    assert lad.phase("4").roles["bestuurlijk_verantwoordelijk"] == "Burgemeester"
    assert lad.phase("4").down_decided_by == "Burgemeester"
    assert lad.phase("4").up_triggers == ()


@pytest.mark.parametrize(("value", "expected"), [
    ("3", "3"), (3, "3"), (3.0, "3"), ("fase 2", "2"), ("AVE 4", "4"), (" Afgeschaald ", "afgeschaald"),
    ("gesloten", "gesloten"),
])
def test_normalise_phase(value: object, expected: str) -> None:
    assert load_ladder("almelo").normalise_phase(value) == expected


@pytest.mark.parametrize("value", ["5", "fase nul", None, ""])
def test_normalise_phase_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="fase"):
        load_ladder("almelo").normalise_phase(value)


def test_navigation() -> None:
    lad = load_ladder("almelo")
    assert [lad.up(p) for p in ("1", "2", "3", "4")] == ["2", "3", "4", None]
    assert [lad.down(p) for p in ("1", "2", "3", "4")] == ["afgeschaald", "1", "2", "3"]
    assert [lad.rank(p) for p in ("afgeschaald", "1", "4", "gesloten")] == [0, 1, 4, 5]


def test_env_and_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETWERK_LADDER", "oldambt")
    assert load_ladder().id == "oldambt"
    assert load_ladder("almelo").id == "almelo"  # explicit wins
    data = yaml.safe_load(LADDERS.joinpath("almelo.yaml").read_text(encoding="utf-8"))
    data["id"] = "eigen"
    data["rules"]["quiet_days"] = 30
    path = tmp_path / "eigen.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    lad = load_ladder(str(path))
    assert (lad.id, lad.rules["quiet_days"], lad.rules["new_signals_min"]) == ("eigen", 30, 2)


@pytest.mark.parametrize(("patch", "message"), [
    (lambda d: d["phases"][0]["up"].update(triggers=["bestaat_niet"]), "onbekende criteria bestaat_niet"),
    (lambda d: d["criteria"]["stabiel"].update(rules=["magie"]), "onbekende regel"),
    (lambda d: d["phases"][1].update(id="1"), "dubbel"),
    (lambda d: d["overleggen"]["gio"].update(interval_days=0), "interval_days"),
    (lambda d: d["phases"][0]["down"].update(mode="soms"), "down.mode"),
    (lambda d: d.pop("phases"), "'phases' ontbreekt"),
])
def test_invalid_ladder(tmp_path: Path, patch, message: str) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(LADDERS.joinpath("almelo.yaml").read_text(encoding="utf-8"))
    patch(data)
    path = tmp_path / "fout.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_ladder(path)


def test_missing_ladder() -> None:
    with pytest.raises(ValueError, match="onbekende ladder"):
        load_ladder("utrecht")
    with pytest.raises(ValueError, match="bestaat niet"):
        load_ladder("/geen/ladder.yaml")
