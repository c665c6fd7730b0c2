"""Cases, partners and the escalation ladder: case operations, ladder configuration, advice and agendas."""

from __future__ import annotations

from netwerk.cases.advice import RULES, Advice, RuleHit, advise, rule_hits
from netwerk.cases.agenda import Agenda, build_agenda, render
from netwerk.cases.ladder import AFGESCHAALD, GESLOTEN, Ladder, available_ladders, load_ladder
from netwerk.cases.ops import (
    AGREEMENT_STATUSES,
    CaseFrames,
    add_agreement,
    case_frames,
    change_phase,
    close_case,
    list_cases,
    open_case,
    set_criteria,
    show_case,
    update_agreement,
)

__all__ = [
    "AFGESCHAALD",
    "AGREEMENT_STATUSES",
    "GESLOTEN",
    "RULES",
    "Advice",
    "Agenda",
    "CaseFrames",
    "Ladder",
    "RuleHit",
    "add_agreement",
    "advise",
    "available_ladders",
    "build_agenda",
    "case_frames",
    "change_phase",
    "close_case",
    "list_cases",
    "load_ladder",
    "open_case",
    "render",
    "rule_hits",
    "set_criteria",
    "show_case",
    "update_agreement",
]
