"""Formula-safe CSV/XLSX output: cells that a spreadsheet would run as a formula are neutralised.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run by Excel and
LibreOffice as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``). Every CSV or XLSX netwerk writes
goes through :func:`neutralise` (or :func:`to_csv`): such a cell gets a leading apostrophe, which the
spreadsheet shows as text. Numbers (``-3``, ``+31 6…`` phone numbers are text and ARE prefixed) stay
numbers when the column is numeric.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FORMULA_START", "neutralise", "neutralise_value", "to_csv"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_value(value: Any) -> Any:
    """One cell: text that a spreadsheet would run as a formula gets a leading ``'``.

    Examples
    --------
    >>> neutralise_value("=HYPERLINK(\\"http://x\\")"), neutralise_value("Afval"), neutralise_value(-3)
    ('\\'=HYPERLINK("http://x")', 'Afval', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot run as spreadsheet formulas (column-wise, vectorised)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype != object and not pd.api.types.is_string_dtype(s.dtype):
            continue
        vals = s.to_numpy(dtype=object)
        text = np.fromiter((isinstance(v, str) for v in vals), dtype=bool, count=len(vals))
        if not text.any():
            continue
        risky = np.zeros(len(vals), dtype=bool)
        idx = np.flatnonzero(text)
        risky[idx] = pd.Series(vals[idx], dtype=object).str.startswith(FORMULA_START).to_numpy(dtype=bool)
        if risky.any():
            vals = vals.copy()
            vals[risky] = ["'" + v for v in vals[risky]]
            out[col] = pd.Series(vals, index=out.index, dtype=object)
    return out


def to_csv(df: pd.DataFrame, path: str | Path, **kwargs: Any) -> None:
    """``df.to_csv(path, index=False, **kwargs)`` after :func:`neutralise`."""
    kwargs.setdefault("index", False)
    neutralise(df).to_csv(path, **kwargs)
