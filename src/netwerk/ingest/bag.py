"""House numbers as the BAG has them: ``huisnummer`` + ``huisletter`` + ``huisnummertoevoeging``.

Exports often write the three in one field. :func:`split_house_numbers` parses the combined forms
(vectorised over the distinct values):

=========  ==========  ========  ==========
input      number      letter    addition
=========  ==========  ========  ==========
``15``     15
``15a``    15          A
``15 A``   15          A
``15-1``   15                    1
``15A-2``  15          A         2
``15 bis`` 15                    bis
``15 hs``  15                    hs
``15 I``   15                    I   (a Roman floor number, as Amsterdam writes it; not the letter I)
=========  ==========  ========  ==========

The letter is upper case (as in the BAG); the addition is at most four letters or digits (BAG rule).
A letter or addition given in its own column wins over one parsed from the number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["HOUSE_NUMBER_REASON", "split_house_numbers"]

HOUSE_NUMBER_REASON = "huisnummer niet te lezen: geen geheel getal (verwacht bijv. 15, 15A, 15-1, 15A-2, 15 bis)"
_COMBINED = (
    r"^(?P<n>\d{1,5})"
    r"(?:\s*(?P<l>[A-Za-z])(?![A-Za-z0-9]))?"
    r"(?:\s*[-/]?\s*(?P<t>[A-Za-z0-9]{1,4}))?$"
)
_ROMAN = {"I", "II", "III", "IV", "V"}


def split_house_numbers(
    number: np.ndarray, letter: np.ndarray | None = None, addition: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(digits, letter, addition, unreadable mask) from stripped text columns ('' for empty).

    ``digits`` is the plain number as text ('' when empty or unreadable); ``letter``/``addition`` are
    the given columns with the parsed parts filled in where they were empty.

    Examples
    --------
    >>> d, l, t, bad = split_house_numbers(np.array(["15 A", "15-1", "15A-2", "15 bis", "15 I", "x"], dtype=object))
    >>> d.tolist(), l.tolist(), t.tolist(), bad.tolist()
    (['15', '15', '15', '15', '15', ''], ['A', '', 'A', '', '', ''], ['', '1', '2', 'bis', 'I', ''], \
[False, False, False, False, False, True])
    """
    n = len(number)
    letter = np.full(n, "", dtype=object) if letter is None else letter.copy()
    addition = np.full(n, "", dtype=object) if addition is None else addition.copy()
    digits = number.copy()
    bad = np.zeros(n, dtype=bool)
    plain = np.fromiter((x == "" or x.isdigit() for x in number), dtype=bool, count=n)
    if plain.all():
        return digits, letter, addition, bad
    idx = np.flatnonzero(~plain)
    values = pd.Series(number[idx], dtype=object)
    uniq = pd.Series(values.unique(), dtype=object)
    parts = uniq.str.extract(_COMBINED).fillna("")
    parts.index = uniq
    roman = parts["l"].str.upper().isin(_ROMAN) & (parts["t"] == "")
    parts.loc[roman, "t"] = parts.loc[roman, "l"].str.upper()
    parts.loc[roman, "l"] = ""
    got = parts.reindex(values)
    num = got["n"].to_numpy(dtype=object)
    unreadable = num == ""
    bad[idx] = unreadable
    digits[idx] = num
    for target, col, upper in ((letter, "l", True), (addition, "t", False)):
        parsed = got[col].to_numpy(dtype=object)
        if upper:
            parsed = np.array([p.upper() for p in parsed], dtype=object)
        empty = target[idx] == ""
        target[idx[empty]] = parsed[empty]
    return digits, letter, addition, bad
