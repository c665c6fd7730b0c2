"""Identities for the vault: who is behind each pseudonym, read from the export when ingest is told to.

The store only ever holds pseudonyms (and a birth year). With ``netwerk ingest --identiteiten`` the
names and birth date from ``persons.csv`` and the latest registered address (``registrations.csv`` +
``addresses.csv``) are put, per pseudonym, into the encrypted identity vault
(:mod:`netwerk.auth.vault`), outside the store, so that an entitled casusoverleg can reveal one person
with a stated reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from netwerk.ingest.reader import open_csv, read_chunks
from netwerk.privacy import pseudonymise

__all__ = ["read_identities"]

_PERSON = ("first_name", "last_name", "birth_date")
_ADDRESS = ("street", "house_number", "house_letter", "house_number_addition", "postcode", "city")


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """The named columns of a format-v1 file (all text; missing columns empty)."""
    if not path.is_file():
        return pd.DataFrame(columns=list(columns))
    parts = [c.df for c in read_chunks(open_csv(path))]
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    for c in columns:
        if c not in df.columns:
            df[c] = ""
    return df[list(columns)].fillna("").astype(str).apply(lambda s: s.str.strip())


def read_identities(folder: str | Path, key: bytes | str) -> dict[str, dict[str, Any]]:
    """``{pseudonym: identity}`` for every person in ``folder/persons.csv``.

    An identity holds first and last name, birth date and the address of the latest registration
    (street with house number, postcode, city); empty values are left out.
    """
    folder = Path(folder)
    persons = _read(folder / "persons.csv", ("person_id", *_PERSON))
    persons = persons[persons["person_id"] != ""].drop_duplicates("person_id", keep="last")
    regs = _read(folder / "registrations.csv", ("person_id", "address_id", "start_date"))
    addresses = _read(folder / "addresses.csv", ("address_id", *_ADDRESS)).drop_duplicates("address_id", keep="last")
    regs = regs.assign(start=pd.to_datetime(regs["start_date"], errors="coerce", dayfirst=True, format="mixed"))
    latest = regs.sort_values("start").drop_duplicates("person_id", keep="last")
    where = latest.merge(addresses, on="address_id", how="left").set_index("person_id")
    out: dict[str, dict[str, Any]] = {}
    for row in persons.itertuples(index=False):
        ident = {f: getattr(row, f) for f in _PERSON if getattr(row, f)}
        if row.person_id in where.index:
            a = where.loc[row.person_id]
            number = " ".join(str(a[c]) for c in ("house_number", "house_letter", "house_number_addition")
                              if isinstance(a[c], str) and a[c])
            street = " ".join(x for x in (a["street"], number) if isinstance(x, str) and x)
            ident |= {k: v for k, v in (("street", street), ("postcode", a["postcode"]), ("city", a["city"]))
                      if isinstance(v, str) and v}
        out[pseudonymise(row.person_id, key)] = ident
    return out
