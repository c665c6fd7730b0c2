"""Which categories an export (or a store) holds and how each maps onto a domain (``netwerk categorieen``).

:func:`category_table` lists every (main, sub) category with its count, domain and match kind
(``exact``, ``genormaliseerd``, ``hoofdcategorie``, ``onbekend``; see :mod:`netwerk.ingest.categories`)
and, for the categories that are not matched exactly, the nearest known name and its domain
(difflib). :func:`starter_mapping` turns it into a mapping file in the format of
``category_domains.csv`` to edit and pass to ``--categories``.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd

from netwerk.ingest.categories import COLUMNS, CategoryMap
from netwerk.ingest.reader import open_csv

__all__ = ["TABLE_COLUMNS", "category_table", "export_categories", "starter_mapping"]

TABLE_COLUMNS = ["category", "subcategory", "count", "domain", "match", "suggested_name", "suggested_domain"]


def category_table(main: pd.Series, sub: pd.Series, cmap: CategoryMap) -> pd.DataFrame:
    """One row per distinct (category, subcategory) with count, domain, match kind and a suggestion.

    Sorted: unknown first, then by count (highest first), then by name."""
    pairs = pd.DataFrame({"category": main.fillna("").astype(str).str.strip(),
                          "subcategory": sub.fillna("").astype(str).str.strip()})
    counts = pairs.value_counts(sort=False).rename("count").reset_index()
    if counts.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    dom, kind = cmap.match(counts["category"], counts["subcategory"])
    counts["domain"], counts["match"] = dom.to_numpy(), kind.to_numpy()
    names: list[str | None] = []
    doms: list[str | None] = []
    for m, s, k in zip(counts["category"], counts["subcategory"], counts["match"], strict=True):
        if k in ("exact",):
            names.append(None)
            doms.append(None)
            continue
        name, d = cmap.suggest(m, s)
        names.append(name)
        doms.append(d)
    counts["suggested_name"], counts["suggested_domain"] = names, doms
    order = {"onbekend": 0, "hoofdcategorie": 1, "genormaliseerd": 2, "exact": 3}
    counts["_o"] = counts["match"].map(order)
    counts = counts.sort_values(["_o", "count", "category", "subcategory"], ascending=[True, False, True, True],
                                kind="stable")
    return counts[TABLE_COLUMNS].reset_index(drop=True)


def starter_mapping(table: pd.DataFrame) -> pd.DataFrame:
    """A mapping file (columns of ``category_domains.csv``) with one row per listed category: its current
    domain, or for an unknown one the suggested domain (else ``onbekend``), marked in ``origin`` so the
    user sees what to check before passing it to ``--categories``."""
    domain = table["domain"].where(table["match"] != "onbekend", table["suggested_domain"].fillna("onbekend"))
    origin = table["match"].map({
        "exact": "tabel", "genormaliseerd": "tabel (genormaliseerd)", "hoofdcategorie": "hoofdcategorie: controleren",
        "onbekend": "voorstel: controleren",
    })
    out = pd.DataFrame({
        "main_slug": table["category"].map(_slug),
        "main_name": table["category"],
        "sub_slug": table["subcategory"].map(_slug),
        "sub_name": table["subcategory"],
        "domain": domain,
        "origin": origin,
    })
    return out[list(COLUMNS)]


def _slug(name: str) -> str:
    """Signalen-style slug: ``Drank- / drugsoverlast`` → ``drank-drugsoverlast``."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return "-".join(t for t in re.split(r"[^0-9a-z]+", text) if t)


def export_categories(folder: Path) -> pd.DataFrame:
    """(category, subcategory) of every signal in a format-v1 folder or a Signalen export folder."""
    if (folder / "categories.csv").exists() and (folder / "locations.csv").exists():
        from netwerk.ingest.signalen import convert_signalen

        with tempfile.TemporaryDirectory(prefix="netwerk-categorieen-") as tmp:
            convert_signalen(folder, Path(tmp))
            return _signals_file(Path(tmp) / "signals.csv")
    path = folder / "signals.csv"
    if not path.exists():
        raise FileNotFoundError(f"{folder}: geen signals.csv (importformaat v1) en geen Signalen-export")
    return _signals_file(path)


def _signals_file(path: Path) -> pd.DataFrame:
    f = open_csv(path)
    if "category" not in f.header:
        raise ValueError(f"{path.name}: kolom category ontbreekt")
    usecols = [c for c in ("category", "subcategory") if c in f.header]
    df = pd.read_csv(path, sep=f.delimiter, dtype=str, keep_default_na=False, encoding=f.encoding,
                     encoding_errors="replace", header=0, names=f.header, usecols=usecols)
    if "subcategory" not in df.columns:
        df["subcategory"] = ""
    return df[["category", "subcategory"]]
