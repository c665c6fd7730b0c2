"""Escalation advice on hand-made case histories: every rule, both directions of the ladder."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from netwerk.cases import CaseFrames, advise, load_ladder, rule_hits
from netwerk.cases.advice import case_signals, open_cases, reference_day
from netwerk.frames import Frames

AS_OF = "2025-06-30"


def hand_made() -> tuple[Frames, CaseFrames]:
    """A small municipality with one case per situation (see the comments)."""
    addresses = pd.DataFrame({
        "address_id": ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"],
        "buurt_code": ["BU01", "BU02", "BU01", "BU03", "BU03", "BU04", "BU04", "BU05"],
    })
    s = [
        # id, date, domain, address
        ("s01", "2024-12-15", "woon", "a1"),   # before c_new opened: not new
        ("s02", "2025-01-05", "woon", "a1"),   # based-on signal of c_new: not new
        ("s03", "2025-02-01", "woon", "a1"),   # new at address
        ("s04", "2025-03-01", "zorg", "a1"),   # new at address
        ("s05", "2025-04-15", "overig", None),  # new via person p1
        ("s06", "2025-07-15", "woon", "a1"),   # after as_of: ignored
        ("s10", "2025-02-10", "zorg", "a2"),   # c_dom: zorg + woon + overig
        ("s11", "2025-02-11", "woon", "a2"),
        ("s12", "2025-02-12", "overig", "a2"),
        ("s20", "2025-05-01", "openbare_orde", "a3"),  # c_vp: persons with roles
        ("s21", "2025-05-02", "openbare_orde", "a3"),
        ("s30", "2024-10-01", "woon", "a4"),   # quiet cases: last signal long ago
        ("s31", "2024-10-02", "woon", "a5"),
        ("s40", "2025-01-20", "woon", "a6"),   # c_since: before the last phase change
        ("s41", "2025-01-21", "woon", "a6"),
        ("s42", "2025-06-01", "woon", "a6"),   # after the last phase change
    ]
    signals = pd.DataFrame(s, columns=["signal_id", "reported_at", "domain", "address_id"])
    signals["category"] = "Overlast"
    signal_persons = pd.DataFrame(
        [("s05", "p1", "betrokkene"), ("s20", "p2", "verdachte"), ("s20", "p3", "slachtoffer"),
         ("s21", "p4", "verdachte"), ("s21", "p2", "verdachte"), ("s21", "p5", "getuige")],
        columns=["signal_id", "person_id", "role"],
    )
    c = [
        # case_id, opened, closed, phase, domain, criteria
        ("c_new", "2025-01-01", None, "1", "woon", None),
        ("c_dom", "2025-01-01", None, "1", None, None),
        ("c_vp", "2025-01-01", None, "3", "openbare_orde", None),
        ("c_stag", "2025-01-01", None, "2", "zorg", None),
        ("c_ready", "2025-01-01", None, "2", "zorg", "overleg_deskundige,domeinoverstijgend,gevaar_persoon_omgeving"),
        ("c_unrest", "2025-01-01", None, "3", "jeugd", "onrust_social_media"),
        ("c_quiet1", "2024-09-01", None, "1", "woon", None),
        ("c_quiet2", "2024-09-01", None, "2", "woon", None),
        ("c_quiet2_gevaar", "2024-09-01", None, "2", "woon", "gevaar"),
        ("c_quiet3_gevaar", "2024-09-01", None, "3", "woon", "gevaar,hulp_aanvaard"),
        ("c_quiet3", "2024-09-01", None, "3", "woon", None),
        ("c_quiet3_help", "2024-09-01", None, "3", "woon", "hulp_aanvaard"),
        ("c_quiet4", "2024-09-01", None, "4", "woon", None),
        ("c_since", "2025-01-01", None, "2", "woon", None),
        ("c_closed", "2025-01-01", "2025-03-01", "2", "woon", None),
        ("c_flag", "2025-01-01", None, "1", "woon", None),
        ("c_hot", "2025-01-01", None, "1", "woon", None),
    ]
    cases = pd.DataFrame(c, columns=["case_id", "opened_at", "closed_at", "phase", "domain", "criteria"])
    cases["title"] = "Casus " + cases["case_id"]
    links = [
        ("c_new", "address", "a1", "adres"), ("c_new", "person", "p1", "betrokkene"),
        ("c_new", "signal", "s02", "aanleiding"),
        ("c_dom", "address", "a2", "adres"),
        ("c_vp", "address", "a3", "adres"),
        ("c_quiet1", "address", "a4", "adres"), ("c_quiet2", "address", "a4", "adres"),
        ("c_quiet2_gevaar", "address", "a4", "adres"), ("c_quiet3", "address", "a5", "adres"),
        ("c_quiet3_gevaar", "address", "a5", "adres"),
        ("c_quiet3_help", "address", "a5", "adres"), ("c_quiet4", "address", "a5", "adres"),
        ("c_since", "address", "a6", "adres"),
        ("c_closed", "address", "a1", "adres"),
        ("c_flag", "person", "p9", "betrokkene"),
        ("c_hot", "address", "a8", "adres"),
    ]
    case_links = pd.DataFrame(links, columns=["case_id", "kind", "ref_id", "role"])
    frames = Frames.from_tables({
        "signals": signals, "addresses": addresses, "signal_persons": signal_persons, "cases": cases,
        "case_links": case_links,
        "partners": pd.DataFrame({"partner_id": ["politie", "wijkteam"], "name": ["Politie", "Wijkteam"]}),
    })
    agreements = pd.DataFrame([
        ("c_stag", "c_stag-A001", "huisbezoek", "wijkteam", "2025-05-01", "open", "2025-01-02"),
        ("c_stag", "c_stag-A002", "gesprek verhuurder", "politie", "2025-06-15", "open", "2025-01-02"),
        ("c_stag", "c_stag-A003", "al gedaan", "politie", "2025-02-01", "gereed", "2025-01-02"),
        ("c_ready", "c_ready-A001", "plan", "wijkteam", "2025-03-01", "open", "2025-01-02"),
        ("c_quiet2", "c_quiet2-A001", "toekomstig", "wijkteam", "2025-09-01", "open", "2025-01-02"),
        ("c_new", "c_new-A001", "nog niet verlopen", "wijkteam", "2025-06-30", "open", "2025-01-02"),
    ], columns=["case_id", "agreement_id", "what", "owner", "due_date", "status", "created_at"])
    changes = pd.DataFrame([
        ("c_since", "c_since-F001", None, "1", "2025-01-01", "geopend", "x"),
        ("c_since", "c_since-F002", "1", "2", "2025-02-01", "meldingen", "casusregisseur"),
    ], columns=["case_id", "change_id", "from_phase", "to_phase", "date", "reason", "decided_by"])
    return frames, CaseFrames.from_tables(agreements, changes)


HOTSPOTS = [
    {"level": "buurt", "key": "BU04", "fenomeen_advice": True, "reason": "terugkerend in BU04", "evidence": ["s40"]},
    {"level": "address", "key": "a8", "fenomeen_advice": False, "evidence": ["sX"], "addresses": ["a8"]},
    {"level": "buurt", "key": "BU99", "fenomeen_advice": True, "evidence": []},
]
FLAGS = [
    {"subject_type": "person", "subject_id": "p9", "score": 2.5,
     "indicators": [{"name": "overcrowding"}, {"name": "turnover"}], "evidence": {}},
    {"subject_type": "address", "subject_id": "a-unrelated", "score": 9.0, "indicators": ["x"]},
]


@pytest.fixture(scope="module")
def data() -> tuple[Frames, CaseFrames]:
    return hand_made()


@pytest.fixture(scope="module")
def almelo():  # type: ignore[no-untyped-def]
    return load_ladder("almelo")


def _advice(data, ladder, **kw):  # type: ignore[no-untyped-def]
    frames, cf = data
    return {a.case_id: a for a in advise(frames, cf, ladder, as_of=AS_OF, **kw)}


def _hits(data, ladder, **kw):  # type: ignore[no-untyped-def]
    frames, cf = data
    out: dict[tuple[str, str], dict] = {}
    for h in rule_hits(frames, cf, ladder, as_of=AS_OF, **kw):
        out[(h.case_id, h.rule)] = h.to_dict()
    return out


def test_open_cases_excludes_closed_and_computes_since(data, almelo) -> None:
    frames, cf = data
    cases = open_cases(frames, cf, almelo, pd.Timestamp(AS_OF)).set_index("case_id")
    assert "c_closed" not in cases.index
    assert cases.at["c_since", "since"] == pd.Timestamp("2025-02-01")
    assert cases.at["c_new", "since"] == pd.Timestamp("2025-01-01")
    assert cases.at["c_ready", "criteria"] == ["overleg_deskundige", "domeinoverstijgend", "gevaar_persoon_omgeving"]


def test_case_signals_routes(data, almelo) -> None:
    frames, cf = data
    cases = open_cases(frames, cf, almelo, pd.Timestamp(AS_OF))
    rel = case_signals(frames, cases, pd.Timestamp(AS_OF))
    new = rel[rel["case_id"] == "c_new"].set_index("signal_id")
    assert sorted(new.index) == ["s01", "s02", "s03", "s04", "s05"]  # s06 lies after as_of
    assert new.at["s02", "via"] == "adres+basis" and bool(new.at["s02", "based_on"])
    assert new.at["s05", "via"] == "persoon"


def test_rule_new_signals_counts_only_after_opening_and_not_based_on(data, almelo) -> None:
    hit = _hits(data, almelo)[("c_new", "new_signals")]
    assert hit["signal_ids"] == ["s03", "s04", "s05"]
    assert hit["since"] == "2025-01-01"
    assert "3 nieuwe meldingen" in hit["text"]


def test_rule_new_signals_since_last_phase_decision(data, almelo) -> None:
    hits = _hits(data, almelo)
    assert ("c_since", "new_signals") not in hits  # only s42 after the decision of 2025-02-01 (< 2)
    lower = dataclasses.replace(almelo, rules={**almelo.rules, "new_signals_min": 1})
    assert _hits(data, lower)[("c_since", "new_signals")]["signal_ids"] == ["s42"]


def test_rule_threshold_comes_from_the_ladder(data, almelo) -> None:
    strict = dataclasses.replace(almelo, rules={**almelo.rules, "new_signals_min": 4})
    assert ("c_new", "new_signals") not in _hits(data, strict)


def test_rule_several_domains_ignores_overig(data, almelo) -> None:
    hits = _hits(data, almelo)
    assert hits[("c_dom", "several_domains")]["domains"] == {"woon": 1, "zorg": 1}
    # c_new: woon (s01-s03) and zorg (s04); the overig signal s05 does not count
    assert hits[("c_new", "several_domains")]["domains"] == {"woon": 3, "zorg": 1}
    assert ("c_vp", "several_domains") not in hits  # only openbare_orde


def test_rule_victims_perpetrators(data, almelo) -> None:
    hit = _hits(data, almelo)[("c_vp", "victims_perpetrators")]
    assert hit["persons"] == {"slachtoffer": ["p3"], "verdachte": ["p2", "p4"]}  # the getuige p5 does not count
    assert hit["signal_ids"] == ["s20", "s21"]


def test_rule_stagnation_lists_overdue_open_agreements(data, almelo) -> None:
    hits = _hits(data, almelo)
    items = hits[("c_stag", "stagnation")]["agreements"]
    assert [i["agreement_id"] for i in items] == ["c_stag-A001", "c_stag-A002"]  # A003 is gereed
    assert [i["days_overdue"] for i in items] == [60, 15]
    assert ("c_new", "stagnation") not in hits  # due on as_of itself: not overdue yet
    assert ("c_quiet2", "stagnation") not in hits  # due in the future


def test_rule_hotspots_touching_case(data, almelo) -> None:
    hits = _hits(data, almelo, hotspots=HOTSPOTS)
    fen = hits[("c_since", "fenomeen_hotspot")]["hotspots"]
    assert fen == [{"level": "buurt", "key": "BU04", "fenomeen_advice": True, "reason": "terugkerend in BU04"}]
    assert hits[("c_hot", "hotspot")]["hotspots"][0]["key"] == "a8"
    assert ("c_hot", "fenomeen_hotspot") not in hits
    assert not any(h["key"] == "BU99" for (_, r), v in hits.items() if "hotspot" in r for h in v["hotspots"])
    assert not any("hotspot" in r for _, r in _hits(data, almelo))  # no input, no hits


def test_rule_indicator_flags(data, almelo) -> None:
    hits = _hits(data, almelo, flags=FLAGS)
    assert hits[("c_flag", "indicator_flags")]["flags"] == [
        {"subject_type": "person", "subject_id": "p9", "score": 2.5, "indicators": ["overcrowding", "turnover"]}
    ]
    assert sum(1 for _, r in hits if r == "indicator_flags") == 1
    high = dataclasses.replace(almelo, rules={**almelo.rules, "indicator_min_score": 3.0})
    assert ("c_flag", "indicator_flags") not in _hits(data, high, flags=FLAGS)


def test_rule_quiet(data, almelo) -> None:
    hits = _hits(data, almelo)
    quiet = {c for c, r in hits if r == "quiet"}
    assert {"c_quiet1", "c_quiet2", "c_quiet3", "c_quiet4"} <= quiet
    assert "c_new" not in quiet and "c_stag" not in quiet  # recent signals / overdue agreements
    assert hits[("c_quiet1", "quiet")]["last_signal"] == "2024-10-01"


# ------------------------------------------------------------------------------------------ up
def test_up_from_1_on_new_signals_and_domains(data, almelo) -> None:
    a = _advice(data, almelo)["c_new"]
    assert (a.direction, a.to_phase, a.ready) == ("opschalen", "2", True)
    assert {c["id"] for c in a.criteria_met} == {"nieuwe_signalen", "meervoudige_problematiek"}
    assert all(c["source"] == "regel" for c in a.criteria_met)
    assert "opschalen" in a.text and "een persoon legt het besluit vast" in a.text


def test_up_from_2_lists_the_three_questions_until_answered(data, almelo) -> None:
    adv = _advice(data, almelo)
    stag = adv["c_stag"]
    assert (stag.direction, stag.to_phase, stag.ready) == ("opschalen", "3", False)
    assert [c["id"] for c in stag.criteria_met] == ["stagnatie"]
    assert [q["id"] for q in stag.open_questions] == ["overleg_deskundige", "domeinoverstijgend",
                                                      "gevaar_persoon_omgeving"]
    assert "gedragswetenschapper" in stag.text
    ready = adv["c_ready"]
    assert (ready.direction, ready.to_phase, ready.ready) == ("opschalen", "3", True)
    assert ready.open_questions == ()
    assert {c["source"] for c in ready.criteria_met if c["id"] != "stagnatie"} == {"vastgelegd"}


def test_up_from_3_on_recorded_unrest_and_on_victims(data, almelo) -> None:
    adv = _advice(data, almelo)
    assert (adv["c_unrest"].direction, adv["c_unrest"].to_phase) == ("opschalen", "4")
    assert adv["c_unrest"].criteria_met[0]["id"] == "onrust_social_media"
    assert adv["c_unrest"].criteria_met[0]["source"] == "vastgelegd"
    vp = adv["c_vp"]
    assert (vp.direction, vp.to_phase) == ("opschalen", "4")
    assert "meer_slachtoffers_daders" in {c["id"] for c in vp.criteria_met}


def test_up_on_hotspot_and_flags(data, almelo) -> None:
    adv = _advice(data, almelo, hotspots=HOTSPOTS, flags=FLAGS)
    assert adv["c_hot"].direction == "opschalen"
    assert adv["c_hot"].criteria_met[0]["rules"] == ["hotspot"]
    assert adv["c_flag"].direction == "opschalen"
    assert adv["c_flag"].criteria_met[0]["id"] == "indicatoren"
    # without flags there is nothing to scale up for; the case has been quiet since it opened
    assert _advice(data, almelo)["c_flag"].direction == "afschalen"


# ---------------------------------------------------------------------------------------- down
def test_down_from_1_to_afgeschaald(data, almelo) -> None:
    a = _advice(data, almelo)["c_quiet1"]
    assert (a.direction, a.to_phase) == ("afschalen", "afgeschaald")
    assert [c["id"] for c in a.criteria_met] == ["stabiel"]


def test_down_from_2_unless_danger_recorded(data, almelo) -> None:
    adv = _advice(data, almelo)
    assert (adv["c_quiet2"].direction, adv["c_quiet2"].to_phase) == ("afschalen", "1")
    # recorded danger is a reason to scale up from phase 2: up wins over quiet
    assert (adv["c_quiet2_gevaar"].direction, adv["c_quiet2_gevaar"].to_phase) == ("opschalen", "3")
    assert adv["c_quiet2_gevaar"].criteria_met[0] == {
        "id": "gevaar", "text": almelo.criterion("gevaar").text, "source": "vastgelegd", "rules": []}


def test_down_blocked_by_recorded_danger(data, almelo) -> None:
    blocked = _advice(data, almelo)["c_quiet3_gevaar"]  # quiet and help accepted, but danger recorded
    assert blocked.direction == "handhaven" and blocked.to_phase is None
    assert [b["id"] for b in blocked.blocked_by] == ["gevaar"]
    assert "tegengehouden" in blocked.text


def test_down_from_3_needs_all_criteria(data, almelo) -> None:
    adv = _advice(data, almelo)
    assert adv["c_quiet3"].direction == "handhaven"  # quiet, but hulp_aanvaard not recorded (mode all)
    helped = adv["c_quiet3_help"]
    assert (helped.direction, helped.to_phase) == ("afschalen", "2")
    assert {c["id"]: c["source"] for c in helped.criteria_met} == {"stabiel": "regel", "hulp_aanvaard": "vastgelegd"}


def test_down_from_4_names_who_decides(data, almelo) -> None:
    a = _advice(data, almelo)["c_quiet4"]
    assert (a.direction, a.to_phase, a.decided_by) == ("afschalen", "3", "Burgemeester")


def test_advice_restricted_and_unknown_case(data, almelo) -> None:
    frames, cf = data
    assert [a.case_id for a in advise(frames, cf, almelo, as_of=AS_OF, case_ids=["c_vp"])] == ["c_vp"]
    assert advise(frames, cf, almelo, as_of=AS_OF, case_ids=["c_closed"]) == []
    with pytest.raises(ValueError, match="onbekende casus"):
        advise(frames, cf, almelo, as_of=AS_OF, case_ids=["bestaat-niet"])
    with pytest.raises(ValueError, match="ongeldige datum"):
        advise(frames, cf, almelo, as_of="gisteren")


def test_default_day_is_latest_date_in_data(data) -> None:
    frames, cf = data
    assert reference_day(frames, cf) == pd.Timestamp("2025-07-15")


def test_other_ladder_maps_the_same_rules_to_its_own_criteria(data) -> None:
    adv = _advice(data, load_ladder("oldambt"))
    assert adv["c_stag"].direction == "opschalen"
    assert [c["id"] for c in adv["c_stag"].criteria_met] == ["zorg_stagneert"]
    assert adv["c_stag"].open_questions == ()  # the oldambt ladder has no required questions
    assert adv["c_quiet2"].direction == "handhaven"  # also needs afspraken_nagekomen


def test_advice_json_is_plain(data, almelo) -> None:
    import json

    for a in advise(*data, almelo, as_of=AS_OF, hotspots=HOTSPOTS, flags=FLAGS):
        d = a.to_dict()
        json.dumps(d, allow_nan=False)
        assert set(d) >= {"case_id", "phase", "direction", "to_phase", "criteria_met", "evidence", "text"}


def test_explanation_matches_the_direction(data, almelo) -> None:  # type: ignore[no-untyped-def]
    from netwerk.cases.agenda import _explain

    up = _advice(data, almelo)["c_quiet2_gevaar"]  # advised up for recorded danger, while the quiet rule fired
    assert up.direction == "opschalen" and "quiet" in {e["rule"] for e in up.evidence}
    assert "quiet" not in {e["rule"] for e in up.supporting()}
    text = _explain(up.to_dict())
    assert "Geen nieuwe meldingen" not in text and f"Vastgelegd: {almelo.criterion('gevaar').text}" in text
    down = _advice(data, almelo)["c_quiet2"]  # advised down: the quiet rule is the reason
    assert down.direction == "afschalen" and "Geen nieuwe meldingen" in _explain(down.to_dict())
