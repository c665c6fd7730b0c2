"""Response models: the typed results of the services, as the API returns them.

Models allow extra fields: the services' JSON fields are a contract (new fields may be added, none
dropped); the typed fields below are the ones clients rely on.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Health(BaseModel):
    status: str
    version: str
    store: str


class Stats(BaseModel):
    nodes: dict[str, int]
    relationships: dict[str, int]


class Hotspot(Open):
    level: str
    key: str
    score: float
    evidence: Any = None


class Group(Open):
    group_id: str
    members: list[str]
    size: int


class IndicatorSubject(Open):
    subject_type: str
    subject_id: str
    score: float
    indicators: list[dict[str, Any]]
    review_status: str | None = None


class Agenda(Open):
    overleg: str


class CaseRow(Open):
    case_id: str


class NetworkNode(Open):
    id: str
    label: str
    key: str


class NetworkEdge(Open):
    source: str
    target: str
    type: str


class Network(BaseModel):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    truncated: bool = False
    notes: list[str] = []


class SearchHit(Open):
    id: str
    label: str
    key: str


class ReviewChange(BaseModel):
    status: str | None = None
    note: str | None = None


class AuditEntry(Open):
    seq: int
    at: str
    user: str
    action: str
    outcome: str


class AuditVerify(BaseModel):
    ok: bool
    entries: int
    problems: list[str]


class PhaseDecision(BaseModel):
    to: str
    reason: str | None = None
    date: str | None = None


class RevealRequest(BaseModel):
    reason: str


class Identity(Open):
    person_id: str


class FenomeenIn(BaseModel):
    key: str
    category: str
    by: str | None = None
    level: str | None = None
    name: str | None = None
    date: str | None = None
    domain: str | None = None
    since: str | None = None
    until: str | None = None


class AgreementIn(BaseModel):
    what: str
    owner: str
    due_date: str


class AgreementStatus(BaseModel):
    status: str


class CaseClose(BaseModel):
    reason: str
    date: str | None = None
