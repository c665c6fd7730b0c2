"""The category → domain mapping table (Signalen main/sub categories onto the tool's domains).

One table, ``src/netwerk/data/category_domains.csv`` (columns ``main_slug, main_name, sub_slug,
sub_name, domain, origin``), extended by a user file with the same columns (``--categories`` or
``NETWERK_CATEGORIES``) whose rows win over the built-in ones. A row with an empty sub category maps
every sub category of that main category that has no row of its own.

A (main, sub) pair is matched, in this order (the *match kind* is reported by ``netwerk categorieen``):

``exact``
    slug or name equal, ignoring case and surrounding/double spaces;
``genormaliseerd``
    equal after :func:`normalise` (case, diacritics, punctuation, "en" / "/" / "-" / "&", spaces):
    "Drank- en drugsoverlast" = "Drank- / drugsoverlast"; a sub category alone also matches when it
    is unambiguous;
``hoofdcategorie``
    the sub category is unknown but the main category is known: the main category's domain (its own
    row, else the domain most of its sub categories have);
``onbekend``
    nothing matched: domain ``onbekend``, which every analysis includes. Only categories mapped to
    ``overig`` on purpose (waste, roads, green) are left out by default.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netwerk.ingest.schema import DOMAINS

__all__ = [
    "CATEGORIES_ENV", "MATCH_KINDS", "UNKNOWN_DOMAIN", "CategoryMap", "load_categories", "normalise",
    "unknown_category_warnings",
]

CATEGORIES_ENV = "NETWERK_CATEGORIES"
COLUMNS = ("main_slug", "main_name", "sub_slug", "sub_name", "domain", "origin")
UNKNOWN_DOMAIN = "onbekend"
FALLBACK = UNKNOWN_DOMAIN
MATCH_KINDS = ("exact", "genormaliseerd", "hoofdcategorie", "onbekend")
BUILTIN = Path(__file__).resolve().parent.parent / "data" / "category_domains.csv"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SEP = "\x1f"


def normalise(name: object) -> str:
    """The comparison form of a category name: no case, diacritics, punctuation, "en" or spaces.

    Examples
    --------
    >>> normalise("Drank- / drugsoverlast") == normalise("Drank- en drugsoverlast") == "drankdrugsoverlast"
    True
    >>> normalise("  Café-overlast & Terrassen ")
    'cafeoverlastterrassen'
    """
    if name is None or (isinstance(name, float) and name != name):
        return ""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("&", " en ")
    return "".join(t for t in _NON_ALNUM.split(text) if t and t != "en")


def _plain(s: pd.Series) -> pd.Series:
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
    df["domain"] = df["domain"].str.strip()
    bad = sorted(set(df["domain"]) - set(DOMAINS))
    if bad:
        raise ValueError(
            f"categorietabel {what}: onbekend domein {', '.join(bad)}; toegestaan: {', '.join(DOMAINS)}"
        )
    return df[list(COLUMNS)]


@dataclass
class CategoryMap:
    """Lookup of (main, sub) category → domain and how it matched, by slug or by name."""

    table: pd.DataFrame
    _exact: dict[str, str] = field(default_factory=dict, repr=False)
    _norm: dict[str, str] = field(default_factory=dict, repr=False)
    _mains_exact: dict[str, str] = field(default_factory=dict, repr=False)
    _mains_norm: dict[str, str] = field(default_factory=dict, repr=False)
    _subs: dict[str, str] = field(default_factory=dict, repr=False)
    _main_majority: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        t = self.table
        dom = t["domain"].tolist()
        for main_col in ("main_slug", "main_name"):
            for sub_col in ("sub_slug", "sub_name"):
                for plain, store_pair, store_main in (
                    (_plain, self._exact, self._mains_exact),
                    (lambda s: s.map(normalise), self._norm, self._mains_norm),
                ):
                    mains, subs = plain(t[main_col]).tolist(), plain(t[sub_col]).tolist()
                    for m, s, d in zip(mains, subs, dom, strict=True):
                        if m and s:
                            store_pair[m + _SEP + s] = d
                        elif m:
                            store_main[m] = d
        # a sub category alone (main unknown or left out) also identifies it when unambiguous
        subs = pd.concat([pd.DataFrame({"sub": t[c].map(normalise), "domain": t["domain"]})
                          for c in ("sub_slug", "sub_name")])
        subs = subs[subs["sub"] != ""].drop_duplicates()
        unique = subs.drop_duplicates("sub", keep=False)
        self._subs = dict(zip(unique["sub"], unique["domain"], strict=True))
        # the domain most sub categories of a main category have (ties: table order)
        for col in ("main_slug", "main_name"):
            m = t[col].map(normalise)
            has = (m != "") & (t["sub_slug"].str.strip() + t["sub_name"].str.strip() != "")
            for main, doms in t.loc[has, "domain"].groupby(m[has], sort=False):
                self._main_majority.setdefault(str(main), str(doms.value_counts(sort=True).index[0]))

    def match(self, main: pd.Series, sub: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Domain and match kind (see module docstring) per row, vectorised over distinct pairs."""
        pairs = pd.DataFrame({"m": main.to_numpy(dtype=object), "s": sub.to_numpy(dtype=object)}, dtype=object)
        codes, uniq = pd.factorize(pd.MultiIndex.from_frame(pairs.fillna("")))
        dom, kind = self._match(uniq.get_level_values(0).to_series(), uniq.get_level_values(1).to_series())
        codes = np.asarray(codes)
        return (pd.Series(dom.to_numpy()[codes], index=main.index, dtype=object),
                pd.Series(kind.to_numpy()[codes], index=main.index, dtype=object))

    def domains(self, main: pd.Series, sub: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Domain per row and a boolean Series marking rows whose category is unknown (domain ``onbekend``)."""
        dom, kind = self.match(main, sub)
        return dom.reset_index(drop=True), (kind == "onbekend").reset_index(drop=True)

    def _match(self, main: pd.Series, sub: pd.Series) -> tuple[pd.Series, pd.Series]:
        m, s = _plain(main).reset_index(drop=True), _plain(sub).reset_index(drop=True)
        nm, ns = m.map(normalise), s.map(normalise)
        kind = pd.Series(None, index=m.index, dtype=object)
        dom = pd.Series(None, index=m.index, dtype=object)

        def fill(found: pd.Series, what: str) -> None:
            new = dom.isna() & found.notna()
            dom[new] = found[new]
            kind[new] = what

        no_sub = s == ""
        fill((m + _SEP + s).map(self._exact).where(~no_sub), "exact")
        fill(m.map(self._mains_exact).where(no_sub), "exact")
        fill((nm + _SEP + ns).map(self._norm).where(~no_sub), "genormaliseerd")
        fill(nm.map(self._mains_norm).where(no_sub), "genormaliseerd")
        fill(ns.where(ns != "").map(self._subs), "genormaliseerd")
        main_dom = nm.map(self._mains_norm).fillna(nm.map(self._main_majority))
        fill(main_dom, "hoofdcategorie")
        unknown = dom.isna()
        dom[unknown] = FALLBACK
        kind[unknown] = "onbekend"
        return dom.astype(object), kind.astype(object)

    def suggest(self, main: str, sub: str) -> tuple[str | None, str | None]:
        """(nearest known category name, its domain) for an unknown category (difflib), or (None, None)."""
        names: dict[str, tuple[str, str]] = {}
        t = self.table
        for _, r in t.iterrows():
            label = " / ".join(x for x in (r["main_name"], r["sub_name"]) if x)
            names.setdefault(normalise(label), (label, r["domain"]))
            if r["sub_name"]:
                names.setdefault(normalise(r["sub_name"]), (label, r["domain"]))
        wanted = [normalise(" / ".join(x for x in (main, sub) if x))]
        if sub:
            wanted.append(normalise(sub))
        best: tuple[float, str] | None = None
        for w in wanted:
            for hit in difflib.get_close_matches(w, list(names), n=1, cutoff=0.6):
                score = difflib.SequenceMatcher(None, w, hit).ratio()
                if best is None or score > best[0]:
                    best = (score, hit)
        if best is None:
            return None, None
        return names[best[1]]

    def __len__(self) -> int:
        return len(self.table)


def unknown_category_warnings(unknown: dict[str, int]) -> list[str]:
    """One Dutch warning line per unknown category, with its count (most frequent first)."""
    return [
        f"categorie {name!r} ({n} meldingen) is onbekend: domein 'onbekend' (wordt wel meegenomen); "
        "zie `netwerk categorieen` en vul de categorietabel aan met --categories"
        for name, n in sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


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
