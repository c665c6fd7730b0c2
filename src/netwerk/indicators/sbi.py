"""SBI codes (Standaard Bedrijfsindeling) as the KvK and others write them, normalised before any comparison."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["normalise_sbi", "sbi_matches", "unparseable_sbi"]

_SEPARATORS = re.compile(r"[\s.\-_/]+")
_DIGITS = re.compile(r"\d{2,6}")


def normalise_sbi(code: Any) -> str | None:
    """The SBI code as digits only ("96.02.1", "96021", " 96-02 1" -> "96021"); None when absent or unparseable.

    The KvK writes codes without dots ("9602", "96021"), the CBS tables with dots ("96.02", "96.02.1");
    a spreadsheet may have turned a code into a number ("9602.0"). Both become the same digit string, so a
    code matches a sector by prefix ("9602" is a prefix of "96021"). Codes with letters or fewer than two
    digits cannot be compared and give None (see :func:`unparseable_sbi`).

    Examples
    --------
    >>> [normalise_sbi(c) for c in ["9602", "96021", "96.02", "96.02.1", 9602, "9602.0", "sbi?", None, ""]]
    ['9602', '96021', '9602', '96021', '9602', '9602', None, None, None]
    """
    if code is None or (isinstance(code, float) and code != code):
        return None
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    text = str(code).strip()
    if re.fullmatch(r"\d{3,6}\.0", text):  # a number written by a spreadsheet
        text = text[:-2]
    digits = _SEPARATORS.sub("", text)
    return digits if _DIGITS.fullmatch(digits) else None


def sbi_matches(code: Any, sectors: Iterable[str]) -> bool:
    """Whether ``code`` falls under one of ``sectors`` (each a code in any notation), after normalising both."""
    norm = normalise_sbi(code)
    if norm is None:
        return False
    return any(s is not None and norm.startswith(s) for s in (normalise_sbi(x) for x in sectors))


def unparseable_sbi(businesses: pd.DataFrame) -> pd.DataFrame:
    """Businesses whose SBI code is given but cannot be read: columns ``business_id`` and ``sbi_code``."""
    if businesses.empty or "sbi_code" not in businesses.columns:
        return pd.DataFrame(columns=["business_id", "sbi_code"])
    raw = businesses["sbi_code"]
    given = raw.notna() & (raw.astype(str).str.strip() != "")
    bad = given & raw.map(normalise_sbi).isna()
    return businesses.loc[bad, ["business_id", "sbi_code"]].reset_index(drop=True)
