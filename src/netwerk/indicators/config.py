"""Thresholds, risk sectors and ranking weights of the indicator library, with documented defaults.

Every number an indicator compares with lives here, so an adviser can see and change it (a TOML file
with the same field names: ``netwerk indicators --config indicatoren.toml``). Defaults are starting
points for a municipality of ~40,000 inhabitants and must be re-assessed locally (proportionality).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from netwerk.indicators.sbi import normalise_sbi, sbi_matches

__all__ = ["DEFAULT_RISK_SECTORS", "DEFAULT_WEIGHTS", "IndicatorConfig", "load_config"]

#: SBI codes of sectors with a known risk of labour exploitation (prefix match on normalised codes,
#: see :func:`netwerk.indicators.sbi.normalise_sbi`).
DEFAULT_RISK_SECTORS: dict[str, str] = {
    "96.02": "kappers, schoonheids- en nagelsalons",
    "96.04": "sauna's, massagesalons",
    "45.20": "autoreparatie, autowasstraten",
    "81.21": "schoonmaak",
    "56.10": "restaurants, horeca",
    "78.20": "uitzendbureaus",
    "01.13": "teelt van groenten (tuinbouw)",
}

#: Ranking weight per indicator (score = sum of weight x strength).
DEFAULT_WEIGHTS: dict[str, float] = {
    "overcrowding": 3.0,
    "turnover": 2.5,
    "labour_dependency": 2.5,
    "facilitator": 4.0,
    "straw_men": 2.0,
    "signal_cluster": 1.5,
    "youth_links": 1.0,
}


@dataclass(frozen=True)
class IndicatorConfig:
    """All thresholds (defaults documented in docs/indicators.md)."""

    # who counts as an adult: age (years) at the end of the period, from birth_year
    adult_age: int = 18
    # overcrowding
    min_adults: int = 5  #: woonfunctie: at least this many adults at the same time ...
    max_m2_per_adult: float = 15.0  #: ... with less floor area per adult than this (m2)
    min_adults_logies: int = 8  #: logiesfunctie: at least this many adults ...
    max_m2_per_adult_logies: float = 10.0  #: ... with less floor area per adult than this
    min_adults_no_area: int = 8  #: floor area unknown: adult count alone
    # high turnover
    turnover_days: int = 365  #: look-back window for registration starts
    short_stay_days: int = 120  #: a registration that ended within this many days is short
    min_short_stays: int = 4
    # labour dependency
    risk_sectors: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_RISK_SECTORS))
    min_dependent_adults: int = 5  #: risk sector
    min_dependent_adults_other: int = 10  #: any other sector
    min_coworkers: int = 2  #: an address where this many werknemers of the business live is linked to it
    legit_worker_share: float = 0.8  #: logies housing with this share of proper werknemer roles is legitimate
    # straw men
    straw_window_days: int = 730  #: look-back window for owner/director changes
    straw_max_tenure_days: int = 365  #: an owner/director who left within this many days
    min_straw_changes: int = 2
    # facilitator
    min_facilitator_links: int = 2  #: flagged businesses/addresses a person is linked to
    # signal clustering
    cluster_subcategories: tuple[str, ...] = (
        "hennepteelt", "drugshandel", "meld-misdaad-anoniem", "woningdelen-spookburgers",
        "wonen-ondermijning", "mensenhandel-uitbuiting", "vermoeden",
    )
    cluster_days: int = 730  #: look-back window for signals
    min_cluster_signals: int = 2
    # youth-to-adult links
    youth_age: int = 23  #: younger than this counts as youth (jeugd tot 23)
    min_youth_links: int = 1
    # ranking
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"indicatorinstelling {f.name} mag niet negatief zijn (kreeg {value})")
        bad = [code for code in self.risk_sectors if normalise_sbi(code) is None]
        if bad:
            raise ValueError(f"risicosector(en) met onleesbare SBI-code: {', '.join(map(str, bad))}")
        unknown = set(self.weights) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValueError(f"onbekende indicator(en) in gewichten: {', '.join(sorted(unknown))}")

    def is_risk_sector(self, sbi: Any) -> bool:
        """Whether an SBI code (any notation: "9602", "96.02.1") falls under a risk sector (prefix match)."""
        return sbi_matches(sbi, self.risk_sectors)

    def weight(self, name: str) -> float:
        return float(self.weights.get(name, DEFAULT_WEIGHTS.get(name, 1.0)))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> IndicatorConfig:
        """A config from a mapping (TOML table); unknown keys are an error, weights merge with defaults."""
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"onbekende indicatorinstelling(en): {', '.join(sorted(unknown))}")
        kw = dict(data)
        if "weights" in kw:
            kw["weights"] = {**DEFAULT_WEIGHTS, **kw["weights"]}
        if "cluster_subcategories" in kw:
            kw["cluster_subcategories"] = tuple(kw["cluster_subcategories"])
        return replace(cls(), **kw)


def load_config(path: str | Path | None) -> IndicatorConfig:
    """The defaults, overridden by a TOML file (top level or an ``[indicators]`` table)."""
    if path is None:
        return IndicatorConfig()
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"configuratiebestand ontbreekt: {p}")
    data = tomllib.loads(p.read_text(encoding="utf-8"))
    return IndicatorConfig.from_mapping(data.get("indicators", data))
