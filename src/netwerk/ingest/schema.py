"""Import format v1, declared once: per file its columns, the node a row becomes and its edges.

This one declaration drives the validator (:mod:`netwerk.ingest.validate`: types, required fields,
references), the writer (:mod:`netwerk.ingest.load`: which node properties and which relationships a
row writes) and the analysis frames (:mod:`netwerk.frames`: the columns of each frame and how a store is
projected back into them). Target property types are derived from :data:`netwerk.model.MODEL` (a
column that becomes a node or relationship property gets that property's type); only input-only
columns (``birth_date``, ``x``/``y``, reference columns, ``kind``) state their type here. See
``ingest/FORMAT.md`` for the human-readable version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netwerk.model import MODEL

__all__ = [
    "DOMAINS", "FILES", "LINK_LABEL", "LOAD_ORDER", "MAX_FIELD_CHARS", "PERSONAL_COLUMNS", "Column", "EdgeSpec",
    "FileSpec",
]

#: Domains of signals and cases. ``onbekend``: a category the mapping table does not know (included in
#: every analysis); ``overig``: mapped on purpose to "not safety" (waste, roads; left out by default).
DOMAINS = ("jeugd", "woon", "zorg", "openbare_orde", "ondermijning", "overig", "onbekend")
MAX_FIELD_CHARS = 10_000
#: Columns holding raw personal identifiers: pseudonymised at ingest and never echoed in a rejects file.
PERSONAL_COLUMNS = frozenset({"person_id", "bsn", "first_name", "last_name", "birth_date"})


@dataclass(frozen=True)
class Column:
    """One column: its type (``str``/``int``/``float``/``date``/``datetime``), whether it is required,
    its allowed values and, for a reference, the label its value must exist as."""

    name: str
    kind: str
    required: bool = False
    allowed: tuple[str, ...] = ()
    ref: str | None = None  #: label the value refers to (dangling references are rejected)
    frame: bool = True  #: part of the analysis frame (False: input-only or personal, never analysed)


@dataclass(frozen=True)
class EdgeSpec:
    """A relationship written for each row: from the key in column ``start`` to the key in ``end``."""

    rel: str
    start: str
    end: str
    start_label: str
    end_label: str
    props: tuple[str, ...] = ()
    kind: str | None = None  #: case_links: only rows of this ``kind``
    if_exists: bool = False  #: only where ``end`` names an existing node (a signal's ``source`` partner)


@dataclass(frozen=True)
class FileSpec:
    """A format-v1 file: its columns, the key that identifies a row, the node it creates and its edges."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    label: str | None = None  #: node label created by a row (None for link files)
    required_file: bool = False
    edges: tuple[EdgeSpec, ...] = ()
    derived: tuple[str, ...] = ()  #: node properties computed at ingest (``domain``, ``wijk_code``, …)
    frame_extra: tuple[str, ...] = ()  #: frame columns computed by the frames (a signal's ``wijk_code``)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def node_columns(self) -> list[str]:
        """The columns written as properties of the row's node (model order)."""
        if self.label is None:
            return []
        have = {c.name for c in self.columns} | set(self.derived)
        return [p for p in MODEL.node(self.label).properties if p in have]

    @property
    def frame_columns(self) -> list[str]:
        """The columns of this file's analysis frame (:class:`netwerk.frames.Frames`)."""
        cols = [c.name for c in self.columns if c.frame]
        return cols + [d for d in (*self.derived, *self.frame_extra) if d not in cols]

    @property
    def date_columns(self) -> list[str]:
        """Frame columns holding dates or date-times."""
        return [c.name for c in self.columns if c.frame and c.kind in ("date", "datetime")]


def _node_cols(label: str, required: list[str], optional: list[str], **override: Column) -> tuple[Column, ...]:
    """Columns of a node file, typed from the model (``override`` for input-only columns)."""
    props = MODEL.node(label).properties
    out = []
    for name in [*required, *optional]:
        col = override.get(name) or Column(name, props[name], required=name in required)
        out.append(col)
    return tuple(out)


def _rel_kind(rel_type: str, prop: str) -> str:
    return MODEL.rel(rel_type).properties[prop]


#: RD New coordinates (EPSG:28992, metres): input-only, converted to lat/lon (``ingest/location.py``)
_RD = {"x": Column("x", "float", frame=False), "y": Column("y", "float", frame=False)}
_HIDDEN = {c: Column(c, "str", frame=False) for c in ("bsn", "first_name", "last_name")}
_ROLES_SIGNAL = ("betrokkene", "verdachte", "slachtoffer", "getuige", "melder")
_ROLES_BUSINESS = ("eigenaar", "bestuurder", "werknemer")
_LINK_KINDS = ("person", "address", "signal", "partner")

FILES: dict[str, FileSpec] = {
    s.name: s
    for s in (
        FileSpec(
            "partners",
            _node_cols("Partner", ["partner_id", "name", "type"], []),
            ("partner_id",),
            "Partner",
        ),
        FileSpec(
            "addresses",
            _node_cols(
                "Address",
                ["address_id"],
                ["street", "house_number", "house_letter", "house_number_addition", "postcode", "city",
                 "buurt_code", "wijk_code", "lat", "lon", "x", "y", "purpose", "floor_area_m2"],
                **_RD,
            ),
            ("address_id",),
            "Address",
            edges=(EdgeSpec("IN", "address_id", "buurt_code", "Address", "Area"),),
            derived=("buurt_bron",),
        ),
        FileSpec(
            "persons",
            _node_cols(
                "Person",
                ["person_id"],
                ["bsn", "first_name", "last_name", "birth_date", "birth_year", "gender"],
                birth_date=Column("birth_date", "date", frame=False),
                **_HIDDEN,
            ),
            ("person_id",),
            "Person",
        ),
        FileSpec(
            "youth_groups",
            _node_cols("YouthGroup", ["group_id", "name"], ["classification", "buurt_code"]),
            ("group_id",),
            "YouthGroup",
        ),
        FileSpec(
            "businesses",
            _node_cols(
                "Business",
                ["business_id", "name"],
                ["sbi_code", "sector", "address_id", "registered_at"],
                address_id=Column("address_id", "str", ref="Address"),
            ),
            ("business_id",),
            "Business",
            edges=(EdgeSpec("LOCATED_AT", "business_id", "address_id", "Business", "Address"),),
        ),
        FileSpec(
            "signals",
            _node_cols(
                "Signal",
                ["signal_id", "reported_at", "category"],
                ["subcategory", "source", "address_id", "lat", "lon", "x", "y", "buurt_code", "description",
                 "status"],
                address_id=Column("address_id", "str", ref="Address"),
                **_RD,
            ),
            ("signal_id",),
            "Signal",
            required_file=True,
            edges=(
                EdgeSpec("AT", "signal_id", "address_id", "Signal", "Address"),
                EdgeSpec("IN", "signal_id", "buurt_code", "Signal", "Area"),
                EdgeSpec("REPORTED_BY", "signal_id", "source", "Signal", "Partner", if_exists=True),
            ),
            derived=("domain", "buurt_bron"),
            frame_extra=("wijk_code",),
        ),
        FileSpec(
            "cases",
            _node_cols(
                "Case",
                ["case_id", "opened_at"],
                ["closed_at", "phase", "title", "domain", "casusregisseur", "procesregisseur"],
                domain=Column("domain", "str", allowed=DOMAINS),
            ),
            ("case_id",),
            "Case",
        ),
        FileSpec(
            "registrations",
            (
                Column("person_id", "str", True, ref="Person"),
                Column("address_id", "str", True, ref="Address"),
                Column("start_date", _rel_kind("REGISTERED_AT", "start_date"), True),
                Column("end_date", _rel_kind("REGISTERED_AT", "end_date")),
            ),
            ("person_id", "address_id", "start_date"),
            edges=(EdgeSpec("REGISTERED_AT", "person_id", "address_id", "Person", "Address",
                            ("start_date", "end_date")),),
        ),
        FileSpec(
            "signal_persons",
            (
                Column("signal_id", "str", True, ref="Signal"),
                Column("person_id", "str", True, ref="Person"),
                Column("role", _rel_kind("INVOLVES", "role"), True, allowed=_ROLES_SIGNAL),
            ),
            ("signal_id", "person_id"),
            edges=(EdgeSpec("INVOLVES", "signal_id", "person_id", "Signal", "Person", ("role",)),),
        ),
        FileSpec(
            "group_members",
            (
                Column("group_id", "str", True, ref="YouthGroup"),
                Column("person_id", "str", True, ref="Person"),
                Column("since", _rel_kind("MEMBER_OF", "since")),
            ),
            ("group_id", "person_id"),
            edges=(EdgeSpec("MEMBER_OF", "person_id", "group_id", "Person", "YouthGroup", ("since",)),),
        ),
        FileSpec(
            "business_persons",
            (
                Column("business_id", "str", True, ref="Business"),
                Column("person_id", "str", True, ref="Person"),
                Column("role", _rel_kind("ROLE_IN", "role"), True, allowed=_ROLES_BUSINESS),
                Column("start_date", _rel_kind("ROLE_IN", "start_date")),
                Column("end_date", _rel_kind("ROLE_IN", "end_date")),
            ),
            ("business_id", "person_id", "role"),
            edges=(EdgeSpec("ROLE_IN", "person_id", "business_id", "Person", "Business",
                            ("role", "start_date", "end_date")),),
        ),
        FileSpec(
            "case_links",
            (
                Column("case_id", "str", True, ref="Case"),
                Column("kind", "str", True, allowed=_LINK_KINDS),
                Column("ref_id", "str", True),  # label depends on kind (see validate)
                Column("role", _rel_kind("CONCERNS", "role")),
            ),
            ("case_id", "kind", "ref_id"),
            edges=(
                EdgeSpec("CONCERNS", "case_id", "ref_id", "Case", "Person", ("role",), kind="person"),
                EdgeSpec("CONCERNS", "case_id", "ref_id", "Case", "Address", ("role",), kind="address"),
                EdgeSpec("BASED_ON", "case_id", "ref_id", "Case", "Signal", kind="signal"),
                EdgeSpec("HANDLED_BY", "case_id", "ref_id", "Case", "Partner", ("role",), kind="partner"),
            ),
        ),
    )
}

#: Files in the order they are loaded (the order of their declaration above): referenced nodes before the
#: rows that reference them.
LOAD_ORDER = tuple(FILES)
#: The label a case_links ``kind`` refers to (from its edges).
LINK_LABEL = {e.kind: e.end_label for e in FILES["case_links"].edges if e.kind}
