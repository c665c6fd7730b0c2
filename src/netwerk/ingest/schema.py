"""Column specs of import format v1, one per file.

Target property types are derived from :data:`netwerk.model.MODEL` (a column that becomes a node or
relationship property gets that property's type); only input-only columns (``birth_date``, reference
columns, ``kind``) state their type here. See ``ingest/FORMAT.md`` for the human-readable version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netwerk.model import MODEL

__all__ = [
    "DOMAINS", "FILES", "LINK_LABEL", "LOAD_ORDER", "MAX_FIELD_CHARS", "PERSONAL_COLUMNS", "Column", "FileSpec",
]

DOMAINS = ("jeugd", "woon", "zorg", "openbare_orde", "ondermijning", "overig")
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


@dataclass(frozen=True)
class FileSpec:
    """A format-v1 file: its columns, the key that identifies a row, and the node it creates."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    label: str | None = None  #: node label created by a row (None for link files)
    required_file: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


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
                 "buurt_code", "wijk_code", "lat", "lon", "purpose", "floor_area_m2"],
            ),
            ("address_id",),
            "Address",
        ),
        FileSpec(
            "persons",
            _node_cols(
                "Person",
                ["person_id"],
                ["bsn", "first_name", "last_name", "birth_date", "birth_year", "gender"],
                birth_date=Column("birth_date", "date"),
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
        ),
        FileSpec(
            "signals",
            _node_cols(
                "Signal",
                ["signal_id", "reported_at", "category"],
                ["subcategory", "source", "address_id", "lat", "lon", "buurt_code", "description", "status"],
                address_id=Column("address_id", "str", ref="Address"),
            ),
            ("signal_id",),
            "Signal",
            required_file=True,
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
        ),
        FileSpec(
            "signal_persons",
            (
                Column("signal_id", "str", True, ref="Signal"),
                Column("person_id", "str", True, ref="Person"),
                Column("role", _rel_kind("INVOLVES", "role"), True, allowed=_ROLES_SIGNAL),
            ),
            ("signal_id", "person_id"),
        ),
        FileSpec(
            "group_members",
            (
                Column("group_id", "str", True, ref="YouthGroup"),
                Column("person_id", "str", True, ref="Person"),
                Column("since", _rel_kind("MEMBER_OF", "since")),
            ),
            ("group_id", "person_id"),
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
        ),
    )
}

#: Files in the order they are loaded: referenced nodes before the rows that reference them.
LOAD_ORDER = (
    "partners", "addresses", "persons", "youth_groups", "businesses", "signals", "cases",
    "registrations", "signal_persons", "group_members", "business_persons", "case_links",
)
#: The label a case_links ``kind`` refers to.
LINK_LABEL = {"person": "Person", "address": "Address", "signal": "Signal", "partner": "Partner"}
