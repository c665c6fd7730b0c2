"""Readable place names next to keys, and file names that are safe on every OS.

- an address: ``"Stationsweg 12 A, Winschoten"`` (:func:`address_label`);
- a buurt (or any area): ``"Binnenstad-Zuid (BU00140002)"`` (:func:`buurt_label`);
- a location cluster: its named area, else ``"bij Stationsweg (Winschoten), 48 m"`` (:func:`cluster_label`);
- a file name from a key: :func:`safe_filename`.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from typing import Any

__all__ = ["address_label", "area_label", "buurt_label", "cluster_label", "safe_filename"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def address_label(street: Any, house_number: Any = None, house_letter: Any = None, addition: Any = None,
                  city: Any = None) -> str:
    """``"Stationsweg 12 A, Winschoten"``: street, number, letter, addition and place as the BAG has them.

    Missing parts are left out (``"Stationsweg, Winschoten"``, ``"12-1"``); an empty string when nothing
    is known.
    """
    number = _text(house_number)
    letter = _text(house_letter)
    extra = _text(addition)
    if letter:
        number = f"{number} {letter}".strip()
    if extra:
        number = f"{number}-{extra}" if number else extra
    street_part = " ".join(p for p in (_text(street), number) if p)
    place = _text(city)
    return ", ".join(p for p in (street_part, place) if p)


def buurt_label(code: Any, name: Any = None) -> str:
    """``"Binnenstad-Zuid (BU00140002)"``; the bare code when the name is unknown or equal to the code."""
    c, n = _text(code), _text(name)
    if not n or n == c:
        return c
    return f"{n} ({c})" if c else n


area_label = buurt_label


def cluster_label(lat: float | None = None, lon: float | None = None, *, area_name: Any = None,
                  street: Any = None, city: Any = None, distance_m: float | None = None) -> str:
    """A location cluster for people: its named area (an own area such as "Marktplein") when it lies in
    one, else ``"bij Stationsweg (Winschoten), 48 m"`` from the nearest street (``distance_m`` from the
    cluster centre), else the coordinates rounded to about 10 m."""
    name = _text(area_name)
    if name:
        return name
    s, c = _text(street), _text(city)
    if s:
        where = f"bij {s}" + (f" ({c})" if c else "")
        if distance_m is not None and math.isfinite(distance_m):
            where += f", {round(distance_m):d} m"
        return where
    if lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon):
        return f"locatie {lat:.4f}, {lon:.4f}" + (f" ({c})" if c else "")
    return c or "onbekende locatie"


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(key: Any, max_length: int = 80) -> str:
    """A file name (no extension) derived from ``key`` that is safe on Windows, macOS, Linux and shares.

    Forbidden characters (``< > : " / \\ | ? *`` and control characters) and whitespace become ``_``,
    accents are dropped, reserved Windows names get a suffix, no trailing dot or space. Stable: the same
    key always gives the same name; a key that had to be changed or shortened gets an 8-character hash
    so that different keys never collide.
    """
    raw = _text(key)
    ascii_ = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    name = _UNSAFE.sub("_", ascii_)
    name = re.sub(r"\s+", "_", name)
    name = re.sub(r"_+", "_", name).strip("._ ")
    if not name:
        name = "bestand"
    changed = name != raw
    if name.split(".")[0].upper() in _RESERVED:
        name, changed = f"x_{name}", True
    limit = max(16, max_length)
    if changed or len(name) > limit:
        digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
        name = f"{name[: limit - 9].rstrip('._ ')}-{digest}"
    return name
