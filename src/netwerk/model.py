"""The domain model of netwerk, declared once.

Every node label, relationship type, key and property type lives here. The Neo4j schema
(``cypher/schema/``), the embedded store's tables, the DataFrame projections and the visual styling
are all derived from this module (or checked against it by a test).

Property values are plain scalars at the store's port: ``str``, ``int``, ``float``, ``bool``, and
dates/datetimes as ISO-8601 text (``date`` / ``datetime`` below). The embedded store keeps that text
(ISO text compares in time order in SQL); Neo4j keeps native ``date`` / ``localdatetime`` values and gives
them back as the same text. So that both give back byte for byte what was written, a datetime is written in
one canonical form (:func:`canonical`), and only days and times that exist are accepted.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = [
    "MODEL",
    "Model",
    "ModelError",
    "NodeType",
    "RelType",
    "canonical",
    "canonical_columns",
    "validate_value",
]

PROPERTY_TYPES = ("str", "int", "float", "bool", "date", "datetime")

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: parses the text of a kind whose pattern matched, or raises ValueError when that day or time does not exist
_PARSE = {"date": date.fromisoformat, "datetime": datetime.fromisoformat}


class ModelError(ValueError):
    """Raised when data does not fit the domain model (unknown label, missing key, wrong type)."""


@dataclass(frozen=True)
class NodeType:
    """A node label with its key property and typed properties (the key included)."""

    label: str
    key: str
    properties: Mapping[str, str]
    colour: str = "#999999"
    shape: str = "dot"
    title: str = ""
    personal: bool = False  #: person-level data: every read is logged
    time_property: str | None = None  #: the property that places the node in time (period filters)

    def property_names(self) -> list[str]:
        return list(self.properties)


@dataclass(frozen=True)
class RelType:
    """A relationship type between label pairs.

    ``key`` names the relationship properties that, with both endpoints, identify one
    relationship (e.g. ``start_date`` for a BRP registration: one person can live at one
    address several times). Key properties are required.
    """

    type: str
    endpoints: tuple[tuple[str, str], ...]
    properties: Mapping[str, str] = field(default_factory=dict)
    key: tuple[str, ...] = ()
    colour: str = "#bbbbbb"
    title: str = ""

    def endpoint(self, start_label: str | None, end_label: str | None) -> tuple[str, str]:
        """Resolve the (start, end) labels for a write; labels may be omitted when unambiguous."""
        matches = [
            (s, e)
            for s, e in self.endpoints
            if (start_label is None or s == start_label) and (end_label is None or e == end_label)
        ]
        if len(matches) == 1:
            return matches[0]
        allowed = ", ".join(f"{s}->{e}" for s, e in self.endpoints)
        if not matches:
            raise ModelError(
                f"relatie {self.type}: ({start_label})->({end_label}) is niet toegestaan; toegestaan: {allowed}"
            )
        raise ModelError(f"relatie {self.type}: geef start_label/end_label op (keuze uit {allowed})")


def validate_value(kind: str, value: Any) -> bool:
    """True when ``value`` fits property type ``kind`` (``None`` always fits: it means 'unknown')."""
    if value is None:
        return True
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("date", "datetime"):
        pattern = _DATE_RE if kind == "date" else _DATETIME_RE
        return isinstance(value, str) and bool(pattern.match(value)) and _exist(kind, [value])
    raise ModelError(f"onbekend eigenschapstype {kind!r}")


def _exist(kind: str, values: Iterable[str]) -> bool:
    """True when every day (and time) of these texts, which match the kind's pattern, exists (no 31 April,
    no 24:00, no year 0): Neo4j refuses those as a ``date``/``localdatetime``, so the model refuses them."""
    try:
        deque(map(_PARSE[kind], values), maxlen=0)
    except ValueError:
        return False
    return True


def canonical(kind: str, value: Any) -> Any:
    """A valid value of property type ``kind`` in the one form both stores keep and give back.

    A ``datetime`` becomes ``YYYY-MM-DDTHH:MM:SS``, followed by the fraction of a second when it is not
    zero, without trailing zeros and to at most nine digits (nanoseconds: what Neo4j's ``localdatetime``
    holds). That is exactly ``toString(localdatetime(value))`` in Cypher, so Neo4j can keep native values and
    still give back the text the embedded store keeps. Ingest writes ``YYYY-MM-DDTHH:MM:SS`` already. Other
    values are returned as they are.

    >>> canonical("datetime", "2025-03-01"), canonical("datetime", "2025-03-01T14:30")
    ('2025-03-01T00:00:00', '2025-03-01T14:30:00')
    >>> canonical("datetime", "2025-03-01T14:30:05.1200"), canonical("datetime", "2025-03-01T14:30:05.000")
    ('2025-03-01T14:30:05.12', '2025-03-01T14:30:05')
    """
    if kind != "datetime" or not isinstance(value, str) or len(value) == 19:  # 19: YYYY-MM-DDTHH:MM:SS
        return value
    day, _, time = value.partition("T")
    clock, _, fraction = (time or "00:00").partition(".")
    fraction = fraction[:9].rstrip("0")
    return f"{day}T{clock}{':00' if len(clock) == 5 else ''}{'.' + fraction if fraction else ''}"


def canonical_columns(schema: Mapping[str, str], columns: Mapping[str, Sequence[Any]]) -> dict[str, Sequence[Any]]:
    """Valid columns (``{property: values}``) with every value in canonical form (see :func:`canonical`);
    a column that is canonical already is the same object (the usual case: one length check per value)."""
    out = dict(columns)
    for name, values in columns.items():
        if schema.get(name) == "datetime" and not all(v is None or len(v) == 19 for v in values):
            out[name] = [canonical("datetime", v) for v in values]
    return out


class Model:
    """The loaded domain model: lookup and validation of labels, types and rows."""

    def __init__(self, nodes: Iterable[NodeType], relationships: Iterable[RelType]) -> None:
        self.nodes: dict[str, NodeType] = {n.label: n for n in nodes}
        self.relationships: dict[str, RelType] = {r.type: r for r in relationships}
        self._check()

    def _check(self) -> None:
        for n in self.nodes.values():
            if n.time_property and n.time_property not in n.properties:
                raise ModelError(f"model: {n.label} time property {n.time_property} is not a property")
            if not _IDENT_RE.match(n.label) or n.key not in n.properties:
                raise ModelError(f"model: label {n.label} is invalid or lacks its key {n.key}")
            for name, kind in n.properties.items():
                if kind not in PROPERTY_TYPES or not _IDENT_RE.match(name):
                    raise ModelError(f"model: {n.label}.{name} has invalid type {kind}")
        for r in self.relationships.values():
            if not _IDENT_RE.match(r.type):
                raise ModelError(f"model: relationship type {r.type} is invalid")
            for s, e in r.endpoints:
                if s not in self.nodes or e not in self.nodes:
                    raise ModelError(f"model: {r.type} names an unknown label ({s}->{e})")
            for k in r.key:
                if k not in r.properties:
                    raise ModelError(f"model: {r.type} key {k} is not a property")

    def node(self, label: str) -> NodeType:
        try:
            return self.nodes[label]
        except KeyError:
            raise ModelError(
                f"onbekend label {label!r}; bekende labels: {', '.join(sorted(self.nodes))}"
            ) from None

    def rel(self, rel_type: str) -> RelType:
        try:
            return self.relationships[rel_type]
        except KeyError:
            raise ModelError(
                f"onbekend relatietype {rel_type!r}; bekende typen: {', '.join(sorted(self.relationships))}"
            ) from None

    def check_rows(
        self, what: str, schema: Mapping[str, str], rows: list[dict[str, Any]], required: Iterable[str] = ()
    ) -> None:
        """Check a batch of rows column by column (fast); the error names the first bad row and field."""
        names: set[str] = set().union(*rows) if rows else set()
        for name in sorted(names - schema.keys()):
            i = next(i for i, r in enumerate(rows) if name in r)
            raise ModelError(f"{what} rij {i + 1}: onbekende eigenschap {name!r}; toegestaan: {', '.join(schema)}")
        columns = {name: [r.get(name) for r in rows] for name in names | set(required)}
        self.check_columns(what, schema, columns, required)

    def check_columns(
        self, what: str, schema: Mapping[str, str], columns: Mapping[str, Sequence[Any]], required: Iterable[str] = ()
    ) -> int:
        """Check a batch given as columns (``{field: values}``, equal lengths, None for missing); returns the
        number of rows. The error names the first bad row and field, as :meth:`check_rows` does."""
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ModelError(f"{what}: kolommen van ongelijke lengte ({', '.join(map(str, sorted(lengths)))})")
        n = lengths.pop() if lengths else 0
        for name in sorted(columns.keys() - schema.keys()):
            raise ModelError(f"{what}: onbekende eigenschap {name!r}; toegestaan: {', '.join(schema)}")
        for name in required:
            values = columns.get(name, [None] * n)
            if None in values or "" in values:
                i = next(i for i, v in enumerate(values) if v in (None, ""))
                raise ModelError(f"{what} rij {i + 1}: {name!r} ontbreekt")
        for name in sorted(columns):
            kind = schema[name]
            values = columns[name]
            if _column_fits(kind, values):
                continue
            bad = next(((i, v) for i, v in enumerate(values) if not validate_value(kind, v)), None)
            if bad is not None:  # the fast check is exact-type; subclasses pass the slow one
                raise ModelError(
                    f"{what} rij {bad[0] + 1}: eigenschap {name!r} moet van type {kind} zijn, kreeg {bad[1]!r}"
                )
        return n

    def validate_nodes(self, label: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Validate node rows; returns them as plain dicts in canonical form (see :func:`canonical`) or raises
        ModelError naming row and field."""
        out = [dict(r) for r in rows]
        self._checked_nodes(label, lambda nt: self.check_rows(label, nt.properties, out, required=[nt.key]))
        return _canonical_rows(self.node(label).properties, out)

    def validate_node_columns(self, label: str, columns: Mapping[str, Sequence[Any]]) -> int:
        """Validate node rows given as columns; returns the number of rows (see :meth:`check_columns`)."""
        return self._checked_nodes(label, lambda nt: self.check_columns(label, nt.properties, columns, [nt.key]))

    def _checked_nodes(self, label: str, check: Callable[[NodeType], int | None]) -> int:
        nt = self.node(label)
        try:
            return check(nt) or 0
        except ModelError as exc:
            raise ModelError(str(exc).replace(f"{nt.key!r} ontbreekt", f"sleutel {nt.key!r} ontbreekt")) from None

    def validate_relationships(
        self, rel_type: str, rows: Iterable[Mapping[str, Any]], start_label: str, end_label: str
    ) -> list[dict[str, Any]]:
        """Validate relationship rows ``{"start": key, "end": key, **props}``; returns them as plain dicts in
        canonical form (see :func:`canonical`)."""
        out = [dict(r) for r in rows]
        self._checked_rels(rel_type, start_label, end_label, lambda sc, req: self.check_rows(rel_type, sc, out, req))
        return _canonical_rows(self.rel(rel_type).properties, out)

    def validate_relationship_columns(
        self, rel_type: str, columns: Mapping[str, Sequence[Any]], start_label: str, end_label: str
    ) -> int:
        """Validate relationship rows given as columns ``{"start": keys, "end": keys, **props}``; returns the
        number of rows."""
        return self._checked_rels(
            rel_type, start_label, end_label, lambda sc, req: self.check_columns(rel_type, sc, columns, req))

    def _checked_rels(self, rel_type: str, start_label: str, end_label: str,
                      check: Callable[[dict[str, str], list[str]], int | None]) -> int:
        rt = self.rel(rel_type)
        schema = {
            "start": self.node(start_label).properties[self.node(start_label).key],
            "end": self.node(end_label).properties[self.node(end_label).key],
            **rt.properties,
        }
        try:
            return check(schema, ["start", "end", *rt.key]) or 0
        except ModelError as exc:
            msg = str(exc)
            for k in rt.key:
                msg = msg.replace(f"{k!r} ontbreekt", f"sleuteleigenschap {k!r} ontbreekt")
            raise ModelError(msg) from None


#: the exact types of the values of each property type (None aside): what :func:`_column_fits` accepts
_EXACT: dict[str, set[type]] = {"str": {str}, "date": {str}, "datetime": {str}, "int": {int}, "float": {int, float},
                                "bool": {bool}}


def _column_fits(kind: str, values: Sequence[Any]) -> bool:
    """True when every value fits ``kind``: a fast check over one column (exact types, counted in C)."""
    if kind not in _EXACT:
        raise ModelError(f"onbekend eigenschapstype {kind!r}")
    if not set(map(type, values)) - {type(None)} <= _EXACT[kind]:
        return False
    if kind not in ("date", "datetime", "float"):
        return True
    present = [v for v in values if v is not None]
    if kind == "float":
        return all(map(math.isfinite, present))
    pattern = _DATE_RE if kind == "date" else _DATETIME_RE
    return all(map(pattern.match, present)) and _exist(kind, present)


def _canonical_rows(schema: Mapping[str, str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Valid rows with every value in canonical form (in place; see :func:`canonical`)."""
    for name in [p for p, kind in schema.items() if kind == "datetime"]:
        for r in rows:
            if name in r:
                r[name] = canonical("datetime", r[name])
    return rows


def _n(
    label: str,
    key: str,
    colour: str,
    shape: str,
    caption: str,
    personal: bool = False,
    time: str | None = None,
    **props: str,
) -> NodeType:
    return NodeType(label, key, {key: "str", **props}, colour, shape, caption, personal, time)


MODEL = Model(
    nodes=[
        _n(
            "Signal", "signal_id", "#e6550d", "triangle", "Melding", time="reported_at",
            reported_at="datetime", category="str", subcategory="str", domain="str", source="str",
            lat="float", lon="float", buurt_code="str", description="str", status="str", buurt_bron="str",
        ),
        _n(
            "Person", "person_id", "#3182bd", "dot", "Persoon", personal=True,
            birth_year="int", gender="str", bsn="str", first_name="str", last_name="str",
        ),
        _n(
            "Address", "address_id", "#31a354", "square", "Adres",
            street="str", house_number="int", house_letter="str", house_number_addition="str",
            postcode="str", city="str", buurt_code="str", wijk_code="str", lat="float", lon="float",
            purpose="str", floor_area_m2="float", buurt_bron="str",
        ),
        _n(
            "Area", "area_code", "#74c476", "hexagon", "Gebied (buurt/wijk)",
            name="str", kind="str", wijk_code="str", lat="float", lon="float",
            parent_code="str", gemeente_code="str", geometry="str", precision="str", source="str",
        ),
        _n(
            "YouthGroup", "group_id", "#9e9ac8", "star", "Jeugdgroep",
            name="str", classification="str", buurt_code="str",
        ),
        _n("Partner", "partner_id", "#636363", "box", "Partnerorganisatie", name="str", type="str"),
        _n(
            "Business", "business_id", "#fd8d3c", "diamond", "Onderneming (KvK)", time="registered_at",
            name="str", sbi_code="str", sector="str", registered_at="date",
        ),
        _n(
            "Case", "case_id", "#de2d26", "ellipse", "Casus", time="opened_at",
            opened_at="date", closed_at="date", phase="str", title="str", domain="str",
            casusregisseur="str", procesregisseur="str", criteria="str",
        ),
        _n(
            "Fenomeen", "fenomeen_id", "#756bb1", "ellipse", "Fenomeenaanpak", time="created_at",
            name="str", domain="str", category="str", created_at="date", created_by="str", reason="str",
        ),
        _n(
            "Agreement", "agreement_id", "#fcbba1", "box", "Afspraak (matrix)",
            what="str", due_date="date", status="str", created_at="date",
        ),
        _n(
            "PhaseChange", "change_id", "#fc9272", "box", "Fasewijziging",
            from_phase="str", to_phase="str", date="date", reason="str", decided_by="str",
        ),
        _n(
            "ReviewItem", "review_id", "#fee391", "box", "Beoordeling signaal",
            subject_type="str", subject_id="str", status="str", score="float", evidence_hash="str",
            created_at="datetime", updated_at="datetime", updated_by="str", notes="str", assignee="str",
        ),
        _n(
            "Watch", "watch_id", "#e7298a", "star", "Waakadres/-gebied", personal=True, time="start_date",
            kind="str", address_id="str", area_code="str", lat="float", lon="float", radius_m="float", reason="str",
            start_date="date", end_date="date", status="str", created_at="datetime", created_by="str",
        ),
        _n(
            "Alert", "alert_id", "#ce1256", "triangleDown", "Waakmelding", personal=True, time="reported_at",
            watch_id="str", signal_id="str", reported_at="datetime", distance_m="float", created_at="datetime",
        ),
        _n(
            "Measure", "measure_id", "#1b9e77", "box", "Maatregel", time="start_date",
            kind="str", area_code="str", address_id="str", radius_m="float", start_date="date", end_date="date",
            theme="str", category="str", description="str", created_at="datetime", created_by="str",
        ),
        _n(
            "Controle", "controle_id", "#7570b3", "box", "Integrale controle", personal=True, time="date",
            date="date", subject_type="str", subject_id="str", partners="str", findings="str", outcome="str",
            created_at="datetime", created_by="str",
        ),
        # access control (src/netwerk/auth/): never part of an analysis, never returned by the API
        _n(
            "User", "user_id", "#cccccc", "box", "Gebruiker",
            role="str", password_hash="str", active="bool", created_at="datetime", updated_at="datetime",
            updated_by="str",
        ),
        _n(
            "ApiToken", "token_id", "#bdbdbd", "box", "API-token (gehasht)",
            user_id="str", created_at="datetime", expires_at="datetime", revoked_at="datetime",
        ),
        _n(
            "Session", "session_id", "#d9d9d9", "box", "Websessie (gehasht)",
            user_id="str", purpose="str", csrf_hash="str", created_at="datetime", expires_at="datetime",
            revoked_at="datetime",
        ),
    ],
    relationships=[
        RelType("AT", (("Signal", "Address"),), colour="#fdae6b", title="melding op adres"),
        RelType(
            "INVOLVES", (("Signal", "Person"),), {"role": "str"}, colour="#6baed6", title="betrokken bij melding"
        ),
        RelType("REPORTED_BY", (("Signal", "Partner"),), title="gemeld door"),
        RelType(
            "REGISTERED_AT",
            (("Person", "Address"),),
            {"start_date": "date", "end_date": "date"},
            key=("start_date",),
            colour="#a1d99b",
            title="ingeschreven op (BRP)",
        ),
        RelType("MEMBER_OF", (("Person", "YouthGroup"),), {"since": "date"}, colour="#bcbddc", title="lid van"),
        RelType("IN", (("Address", "Area"), ("Signal", "Area"), ("Area", "Area")), title="ligt in"),
        RelType("LOCATED_AT", (("Business", "Address"),), title="gevestigd op"),
        RelType(
            "ROLE_IN",
            (("Person", "Business"),),
            {"role": "str", "start_date": "date", "end_date": "date"},
            key=("role",),
            colour="#fdd0a2",
            title="rol in onderneming",
        ),
        RelType("CONCERNS", (("Case", "Person"), ("Case", "Address")), {"role": "str"}, title="casus betreft"),
        RelType("HANDLED_BY", (("Case", "Partner"),), {"role": "str"}, title="casus behandeld door"),
        RelType("BASED_ON", (("Case", "Signal"),), title="casus gebaseerd op"),
        RelType("COVERS", (("Fenomeen", "Area"), ("Fenomeen", "Signal")), title="fenomeen omvat"),
        RelType("HAS_AGREEMENT", (("Case", "Agreement"),), title="afspraak in casus"),
        RelType("OWNED_BY", (("Agreement", "Partner"),), title="afspraak belegd bij"),
        RelType("HAS_PHASE_CHANGE", (("Case", "PhaseChange"),), title="fasewijziging van casus"),
        RelType(
            "ABOUT",
            (("ReviewItem", "Person"), ("ReviewItem", "Address"), ("ReviewItem", "Business"), ("ReviewItem", "Alert")),
            title="beoordeling over",
        ),
        RelType("WATCHES", (("Watch", "Address"), ("Watch", "Area")), title="waakt over"),
        RelType("OF_WATCH", (("Alert", "Watch"),), title="waakmelding van"),
        RelType("RAISED_BY", (("Alert", "Signal"),), title="waakmelding door melding"),
        RelType("APPLIES_TO", (("Measure", "Area"), ("Measure", "Address")), title="maatregel geldt voor"),
        RelType("CHECKED", (("Controle", "Business"), ("Controle", "Address")), title="controle bij"),
    ],
)
