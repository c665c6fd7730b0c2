"""Addresses as BAG exports give them: letters and additions (huisletter, huisnummertoevoeging), combined
house-number strings ("15 A", "15a", "15-1", "15A-2", "15 bis") and 16-digit nummeraanduiding ids.

A pure output transform with its own random stream: the generated world (and every planted pattern)
is the same with and without it, only the written forms differ.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

_EXTRA_ADDITIONS = np.array(["hs", "bis", "1", "2", "3", "II", "rood", "zw"])
_EXTRA_LETTERS = np.array(["A", "B", "C"])


def bag_forms(addr: pd.DataFrame, seed: int, gemeente: str) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Addresses in BAG forms and the expected parse of every combined house number.

    Returns the rewritten ``addr`` (columns ``address_id, house_number, house_letter,
    house_number_addition`` changed; ``house_number`` becomes text) and, per combined form,
    ``{"address_id", "house_number", "expected": {house_number, house_letter, house_number_addition}}``.
    """
    rng = np.random.default_rng([seed, 28992])
    a = addr.copy()
    n = len(a)
    num = a["house_number"].to_numpy(int)
    letter = a["house_letter"].to_numpy(dtype=object).copy()
    add = a["house_number_addition"].to_numpy(dtype=object).copy()
    plain = (letter == "") & (add == "")
    u = rng.random(n)
    more_add = plain & (u < 0.10)
    add[more_add] = rng.choice(_EXTRA_ADDITIONS, int(more_add.sum()))
    more_letter = plain & (u >= 0.10) & (u < 0.14)
    letter[more_letter] = rng.choice(_EXTRA_LETTERS, int(more_letter.sum()))
    both = (letter != "") & (add == "") & (rng.random(n) < 0.25)
    add[both] = rng.choice(np.array(["1", "2"]), int(both.sum()))
    combine = ((letter != "") | (add != "")) & (rng.random(n) < 0.6)
    style = rng.integers(0, 3, n)
    text = num.astype(str).astype(object)
    expected: list[dict[str, Any]] = []
    for i in np.flatnonzero(combine):
        L, T, s = str(letter[i]), str(add[i]), int(style[i])
        if L and T:
            raw = f"{num[i]}{L}-{T}"
        elif L:
            raw = (f"{num[i]} {L}", f"{num[i]}{L.lower()}", f"{num[i]}{L}")[s]
        elif T.isdigit():
            raw = f"{num[i]}-{T}" if s < 2 else f"{num[i]} {T}"
        else:
            raw = f"{num[i]} {T}" if s < 2 else f"{num[i]}-{T}"
        text[i] = raw
        expected.append({"row": int(i), "house_number": raw,
                         "expected": {"house_number": int(num[i]), "house_letter": L,
                                      "house_number_addition": T}})
    a["house_number"] = text
    a["house_letter"] = np.where(combine, "", letter)
    a["house_number_addition"] = np.where(combine, "", add)
    # nummeraanduiding ids (gemeentecode + object type 20 + 10 digits) for about half the addresses
    bag_id = rng.random(n) < 0.5
    serial = 1_000_000 + rng.permutation(n)[: int(bag_id.sum())] * 7 + rng.integers(0, 7, int(bag_id.sum()))
    ids = a["address_id"].to_numpy(dtype=object).copy()
    ids[bag_id] = [f"{gemeente[2:]}20{s:010d}" for s in serial]
    a["address_id"] = ids
    for e in expected:
        e["address_id"] = str(ids[e.pop("row")])
    return a, expected
