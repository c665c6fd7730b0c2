"""Themes (the municipality's priorities) and source groups as data, and the mapping of signals onto them.

A theme table (``src/netwerk/data/themes.csv``, Oldambt's Uitvoeringsplan Integrale Veiligheid as the
default) has one row per rule: ``theme,name,priority,domain,category,subcategory``. A signal belongs to
a theme when every filled-in field of at least one of its rows matches (case-insensitive, trimmed);
a signal can belong to several themes (woonoverlast is part of *zorg en veiligheid*).

A source-group table (``src/netwerk/data/source_groups.csv``) maps a signal's ``source`` onto a group
(``politie``, ``gemeente``, ``partners``, …): rows ``match,value,group`` with ``match`` one of
``partner_id`` (one partner), ``partner_type`` (a partner type, ``*`` = every other partner) or
``source`` (``*`` = a source that is no partner, e.g. a reporter pseudonym; empty = no source).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = [
    "DEFAULT_SOURCE_GROUPS",
    "DEFAULT_THEMES",
    "SourceGroups",
    "Theme",
    "load_source_groups",
    "load_themes",
    "source_group_of",
    "theme_members",
]

_DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_THEMES = _DATA / "themes.csv"
DEFAULT_SOURCE_GROUPS = _DATA / "source_groups.csv"
_RULE_FIELDS = ("domain", "category", "subcategory")


@dataclass(frozen=True)
class Theme:
    """One theme: its id, readable name, priority and rules (each a dict of field → value, all must match)."""

    id: str
    name: str
    priority: str
    rules: tuple[tuple[tuple[str, str], ...], ...]


def _norm(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip().lower()


def _read_csv(path: Path, required: Sequence[str], what: str) -> list[tuple[int, dict[str, str]]]:
    if not path.exists():
        raise FileNotFoundError(f"{what}: bestand {path} bestaat niet")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: kolom(men) {', '.join(missing)} ontbreken; verwacht: {', '.join(required)}")
        return [(i, {k: (v or "").strip() for k, v in row.items() if k}) for i, row in enumerate(reader, start=2)]


def load_themes(path: str | Path | None = None) -> list[Theme]:
    """The theme table (default: Oldambt's priorities), in file order.

    Raises ``ValueError`` naming file, line and field for a row without theme id or without any rule field.
    """
    p = Path(path) if path else DEFAULT_THEMES
    order: list[str] = []
    names: dict[str, str] = {}
    prios: dict[str, str] = {}
    rules: dict[str, list[tuple[tuple[str, str], ...]]] = {}
    for line, row in _read_csv(p, ("theme", "name", *_RULE_FIELDS), "themetabel"):
        tid = row.get("theme", "")
        if not tid:
            raise ValueError(f"{p} regel {line}: veld 'theme' is leeg")
        rule = tuple((f, _norm(row.get(f))) for f in _RULE_FIELDS if row.get(f))
        if not rule:
            raise ValueError(f"{p} regel {line}: geef ten minste één van domain, category of subcategory op")
        if tid not in rules:
            order.append(tid)
            rules[tid] = []
        rules[tid].append(rule)
        names.setdefault(tid, row.get("name") or tid)
        prios.setdefault(tid, row.get("priority", ""))
    return [Theme(t, names[t], prios[t], tuple(rules[t])) for t in order]


def theme_members(signals: pd.DataFrame, themes: Sequence[Theme]) -> pd.DataFrame:
    """Long table ``signal_id, theme``: which signal belongs to which theme (a signal may be in several).

    Examples
    --------
    >>> sig = pd.DataFrame({"signal_id": ["s1", "s2"], "domain": ["woon", "jeugd"], "category": ["Wonen", "X"],
    ...                     "subcategory": ["Leegstand", "Jongerenoverlast"]})
    >>> t = [Theme("w", "Woon", "1", ((("domain", "woon"),),)), Theme("j", "Jeugd", "2", ((("subcategory",
    ...      "jongerenoverlast"),),))]
    >>> theme_members(sig, t).values.tolist()
    [['s1', 'w'], ['s2', 'j']]
    """
    norm = {f: signals[f].map(_norm) if f in signals.columns else pd.Series("", index=signals.index)
            for f in _RULE_FIELDS}
    parts = []
    for theme in themes:
        hit = pd.Series(False, index=signals.index)
        for rule in theme.rules:
            ok = pd.Series(True, index=signals.index)
            for f, value in rule:
                ok &= norm[f] == value
            hit |= ok
        parts.append(pd.DataFrame({"signal_id": signals.loc[hit, "signal_id"].to_numpy(), "theme": theme.id}))
    if not parts:
        return pd.DataFrame({"signal_id": pd.Series(dtype=object), "theme": pd.Series(dtype=object)})
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class SourceGroups:
    """The source → group mapping (see the module docstring); ``groups`` in display order."""

    by_partner: dict[str, str]
    by_type: dict[str, str]
    other_partner: str
    non_partner: str
    no_source: str
    groups: tuple[str, ...]


def load_source_groups(path: str | Path | None = None) -> SourceGroups:
    """The source-group table (default ``src/netwerk/data/source_groups.csv``)."""
    p = Path(path) if path else DEFAULT_SOURCE_GROUPS
    by_partner: dict[str, str] = {}
    by_type: dict[str, str] = {}
    special = {"other_partner": "partners", "non_partner": "bewoners", "no_source": "onbekend"}
    order: list[str] = []
    for line, row in _read_csv(p, ("match", "value", "group"), "brongroepentabel"):
        match, value, group = row["match"].lower(), row["value"], row["group"]
        if not group:
            raise ValueError(f"{p} regel {line}: veld 'group' is leeg")
        if match == "partner_id" and value:
            by_partner[value] = group
        elif match == "partner_type" and value == "*":
            special["other_partner"] = group
        elif match == "partner_type" and value:
            by_type[value.lower()] = group
        elif match == "source":
            special["non_partner" if value == "*" else "no_source"] = group
        else:
            raise ValueError(f"{p} regel {line}: veld 'match' moet partner_id, partner_type of source zijn, "
                             f"kreeg {row['match']!r}")
        if group not in order:
            order.append(group)
    for g in special.values():
        if g not in order:
            order.append(g)
    return SourceGroups(by_partner, by_type, special["other_partner"], special["non_partner"], special["no_source"],
                        tuple(order))


def source_group_of(signals: pd.DataFrame, partners: pd.DataFrame, mapping: SourceGroups) -> pd.Series:
    """The source group of every signal (index aligned with ``signals``)."""
    ptype = dict(zip(partners["partner_id"], partners["type"].map(_norm), strict=True)) if len(partners) else {}

    def group(source: object) -> str:
        if _norm(source) == "":
            return mapping.no_source
        s = str(source).strip()
        if s in mapping.by_partner:
            return mapping.by_partner[s]
        if s in ptype:
            return mapping.by_type.get(ptype[s], mapping.other_partner)
        return mapping.non_partner

    return signals["source"].map(group) if len(signals) else pd.Series(dtype=object)
