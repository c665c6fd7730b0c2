"""The category → domain mapping table (Signalen main/sub categories onto the tool's domains).

One table, ``src/netwerk/data/category_domains.csv`` (columns ``main_slug, main_name, sub_slug,
sub_name, domain, origin``), extended by a user file with the same columns (``--categories`` or
``NETWERK_CATEGORIES``) whose rows win over the built-in ones. A row with an empty sub category maps
every sub category of that main category that has no row of its own. Categories are matched on slug
or on name, ignoring case and surrounding spaces; unknown ones map to ``overig``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netwerk.ingest.schema import DOMAINS

__all__ = ["CATEGORIES_ENV", "CategoryMap", "load_categories"]

CATEGORIES_ENV = "NETWERK_CATEGORIES"
COLUMNS = ("main_slug", "main_name", "sub_slug", "sub_name", "domain", "origin")
FALLBACK = "overig"
BUILTIN = Path(__file__).resolve().parent.parent / "data" / "category_domains.csv"


def _norm(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip().str.casefold().str.replace(r"\s+", " ", regex=True)


def _read_table(source: Path | str, what: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(source, dtype=str, keep_default_na=False, sep=None, engine="python")
    except FileNotFoundError:
        raise ValueError(f"categorietabel {what} bestaat niet") from None
    df.columns = [c.strip().lower() for c in df.columns]
    missing = [c for c in ("domain",) if c not in df.columns]
    if missing or not ({"main_slug", "main_name"} & set(df.columns)):
        raise ValueError(
            f"categorietabel {what}: kolommen ontbreken; verwacht {', '.join(COLUMNS)}"
        )
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = ""
    bad = sorted(set(df["domain"].str.strip()) - set(DOMAINS))
    if bad:
        raise ValueError(
            f"categorietabel {what}: onbekend domein {', '.join(bad)}; toegestaan: {', '.join(DOMAINS)}"
        )
    return df[list(COLUMNS)]


@dataclass
class CategoryMap:
    """Lookup of (main, sub) category → domain, by slug or by name."""

    table: pd.DataFrame
    _pairs: dict[str, str] = field(default_factory=dict, repr=False)
    _mains: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        t = self.table
        dom = t["domain"].str.strip().tolist()
        for main_col in ("main_slug", "main_name"):
            for sub_col in ("sub_slug", "sub_name"):
                keys = (_norm(t[main_col]) + "\x1f" + _norm(t[sub_col])).tolist()
                for k, d, sub in zip(keys, dom, _norm(t[sub_col]).tolist(), strict=True):
                    if sub:
                        self._pairs[k] = d
                    elif not k.startswith("\x1f"):
                        self._mains[k.split("\x1f")[0]] = d
        # a sub category alone (main unknown or left out) also identifies it when unambiguous
        subs = pd.concat([
            pd.DataFrame({"sub": _norm(t[c]), "domain": t["domain"].str.strip()}) for c in ("sub_slug", "sub_name")
        ])
        subs = subs[subs["sub"] != ""].drop_duplicates()
        unique = subs.drop_duplicates("sub", keep=False)
        self._subs = dict(zip(unique["sub"], unique["domain"], strict=True))

    def domains(self, main: pd.Series, sub: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Domain per row (vectorised) and a boolean Series marking rows whose category is unknown.

        Each distinct (main, sub) pair is looked up once (there are few; rows are many)."""
        pairs = pd.DataFrame({"m": main.to_numpy(dtype=object), "s": sub.to_numpy(dtype=object)}, dtype=object)
        codes, uniq = pd.factorize(pd.MultiIndex.from_frame(pairs.fillna("")))
        dom, unknown = self._domains(uniq.get_level_values(0).to_series(), uniq.get_level_values(1).to_series())
        return (pd.Series(dom.to_numpy()[codes], dtype=object),
                pd.Series(unknown.to_numpy()[codes], dtype=bool))

    def _domains(self, main: pd.Series, sub: pd.Series) -> tuple[pd.Series, pd.Series]:
        m, s = _norm(main).reset_index(drop=True), _norm(sub).reset_index(drop=True)
        dom = (m + "\x1f" + s).map(self._pairs).astype(object)
        dom = dom.fillna(m.map(self._mains).astype(object))
        dom = dom.fillna(s.where(s != "").map(self._subs).astype(object))
        unknown = dom.isna()
        return dom.fillna(FALLBACK).astype(object), unknown

    def __len__(self) -> int:
        return len(self.table)


def load_categories(extra: str | Path | None = None) -> CategoryMap:
    """The built-in table merged with ``extra`` (or ``$NETWERK_CATEGORIES``); the user's rows win."""
    base = _read_table(BUILTIN, "category_domains.csv")
    extra = extra or os.environ.get(CATEGORIES_ENV) or None
    if extra:
        user = _read_table(Path(extra), str(extra))
        user["origin"] = user["origin"].where(user["origin"] != "", "gebruiker")
        # user rows last: a later row overwrites an earlier mapping of the same key
        base = pd.concat([base, user], ignore_index=True)
    return CategoryMap(base.reset_index(drop=True))
