"""Which municipality (or municipalities) an export is about, from the data itself.

Evidence, strongest first: CBS buurt/wijk codes (``BU`` + 4-digit gemeentecode + …), coordinates
(point in a national gemeente polygon), postcodes (a 4-digit postcode area → the municipality of the
addresses with coordinates that share it in the same data; there is no national postcode table in the
package). Never assumed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["detect_municipalities", "gemeente_of_code"]

_CODE = re.compile(r"^(?:BU|WK)(\d{4})\d{2,4}$|^GM(\d{4})$")


def gemeente_of_code(code: Any) -> str | None:
    """``GM0141`` from ``BU01410000``, ``WK014100`` or ``GM0141``; None for other codes."""
    m = _CODE.match(str(code or "").strip().upper())
    if not m:
        return None
    return "GM" + (m.group(1) or m.group(2))


def detect_municipalities(buurt_codes: Iterable[Any] | None = None, postcodes: Iterable[Any] | None = None,
                          lat: Any = None, lon: Any = None, *, min_share: float = 0.01) -> list[str]:
    """GM codes of the municipalities in the data, most frequent first (ties by code).

    Parameters
    ----------
    buurt_codes : iterable, optional
        Buurt (or wijk) codes of the rows; CBS codes name their municipality.
    postcodes : iterable, optional
        Postcodes aligned with ``lat``/``lon``: a row without coordinates takes the municipality that
        most located rows with the same 4-digit postcode fall in (no national postcode table is shipped).
    lat, lon : array-like, optional
        WGS84 coordinates, placed in the built-in national gemeente polygons.
    min_share : float
        Municipalities with less than this share of the evidence (stray rows) are left out, unless
        nothing else is found.
    """
    votes: Counter[str] = Counter()
    if buurt_codes is not None:
        votes.update(g for g in (gemeente_of_code(c) for c in buurt_codes) if g)
    if lat is not None and lon is not None:
        from netwerk.geo.assign import assign_areas
        from netwerk.geo.national import national_areas

        lat_a = np.atleast_1d(np.asarray(lat, dtype=float))
        lon_a = np.atleast_1d(np.asarray(lon, dtype=float))
        codes, _ = assign_areas(lat_a, lon_a, national_areas(("gemeente",)), kind="gemeente")
        if not votes:
            votes.update(c for c in codes if c)
        if postcodes is not None:
            votes.update(_postcode_votes(list(postcodes), codes))
    if not votes:
        return []
    total = sum(votes.values())
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    kept = [g for g, n in ranked if n / total >= min_share]
    return kept or [ranked[0][0]]


def _postcode_votes(postcodes: list[Any], codes: np.ndarray) -> Counter[str]:
    """Rows without a located municipality vote for the municipality of their 4-digit postcode area."""
    pc4 = [re.sub(r"\s+", "", str(p or ""))[:4] for p in postcodes]
    if len(pc4) != len(codes):
        return Counter()
    by_pc: dict[str, Counter[str]] = {}
    for p, c in zip(pc4, codes, strict=True):
        if c and p.isdigit():
            by_pc.setdefault(p, Counter())[c] += 1
    out: Counter[str] = Counter()
    for p, c in zip(pc4, codes, strict=True):
        if not c and p in by_pc:
            out[by_pc[p].most_common(1)[0][0]] += 1
    return out
