"""Vectorised validation and conversion of one chunk of a format-v1 file.

Each chunk goes through the same steps, all on whole columns: non-UTF-8 bytes, oversized fields,
required fields, types (dates in ISO or dd-mm-yyyy, numbers with ``.`` or ``,``), allowed values,
pseudonymisation, duplicate keys within the file (the FIRST row with a key wins; later rows with the
same key are rejected) and references (a referenced key must come from this ingest or already be in
the store). Every rejected row is reported with its line, field and a Dutch reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netwerk.ingest.reader import Chunk, CsvFile, bad_utf8_mask
from netwerk.ingest.schema import LINK_LABEL, MAX_FIELD_CHARS, PERSONAL_COLUMNS, Column, FileSpec
from netwerk.privacy import pseudonymise

__all__ = ["KeySet", "Problems", "Validator", "parse_date", "parse_datetime"]

TIMEZONE = "Europe/Amsterdam"
_ISO = (
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_NL = (
    r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
REJECT_COLUMNS = ["file", "line", "field", "reason", "value"]


def _parse(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Timestamps (naive, local time), whether a time was given, and the invalid mask of non-empty values."""
    iso = s.str.extract(_ISO)
    nl = s.str.extract(_NL)
    use_nl = iso["y"].isna() & nl["y"].notna()
    parts = iso.copy()
    for c in ("y", "m", "d", "H", "M", "S"):
        parts[c] = iso[c].where(~use_nl, nl[c])
    has_time = parts["H"].notna()
    text = (
        parts["y"] + "-" + parts["m"].str.zfill(2) + "-" + parts["d"].str.zfill(2) + " "
        + parts["H"].fillna("0").str.zfill(2) + ":" + parts["M"].fillna("00") + ":" + parts["S"].fillna("00")
    )
    ts = pd.to_datetime(text, format="%Y-%m-%d %H:%M:%S", errors="coerce")
    tz = parts["tz"].where(~use_nl)
    with_tz = tz.notna() & ts.notna()
    if with_tz.any():
        off = tz[with_tz].str.replace("Z", "+00:00").str.replace(r"^([+-]\d{2})(\d{2})$", r"\1:\2", regex=True)
        off = off.where(off.str.len() > 3, off + ":00")
        stamp = ts[with_tz].dt.strftime("%Y-%m-%dT%H:%M:%S") + off
        local = pd.to_datetime(stamp, utc=True, format="ISO8601").dt.tz_convert(TIMEZONE).dt.tz_localize(None)
        ts = ts.astype("datetime64[ns]")
        ts[with_tz] = local.astype("datetime64[ns]")
    invalid = (s != "") & ts.isna()
    return ts, has_time, invalid


def parse_date(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO dates (``YYYY-MM-DD``) from ISO or ``dd-mm-yyyy`` text; returns (values, invalid mask).

    Examples
    --------
    >>> vals, bad = parse_date(pd.Series(["2025-03-01", "01-03-2025", "31-02-2025", ""]))
    >>> vals.tolist(), bad.tolist()
    (['2025-03-01', '2025-03-01', None, None], [False, False, True, False])
    """
    ts, _, invalid = _parse(s)
    out = ts.dt.strftime("%Y-%m-%d").astype(object)
    return out.where(ts.notna(), None), invalid


def parse_datetime(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO datetimes (``YYYY-MM-DDTHH:MM:SS``, local time) from ISO (with or without time zone) or
    ``dd-mm-yyyy HH:MM``; returns (values, invalid mask).

    Examples
    --------
    >>> vals, bad = parse_datetime(pd.Series(["2025-03-01T14:30:00+00:00", "01-03-2025 14:30", "x"]))
    >>> vals.tolist(), bad.tolist()
    (['2025-03-01T15:30:00', '2025-03-01T14:30:00', None], [False, False, True])
    """
    ts, _, invalid = _parse(s)
    out = ts.dt.strftime("%Y-%m-%dT%H:%M:%S").astype(object)
    return out.where(ts.notna(), None), invalid


def _convert(col: Column, s: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """(values with None for empty, invalid mask, reason) for one column."""
    empty = s == ""
    if col.kind == "date":
        vals, bad = parse_date(s)
        return vals, bad, "ongeldige datum (verwacht JJJJ-MM-DD of DD-MM-JJJJ)"
    if col.kind == "datetime":
        vals, bad = parse_datetime(s)
        return vals, bad, "ongeldige datum/tijd (verwacht JJJJ-MM-DDTUU:MM:SS of DD-MM-JJJJ UU:MM)"
    if col.kind == "int":
        ok = s.str.fullmatch(r"[+-]?\d{1,18}")
        bad = ~empty & ~ok
        vals = pd.Series([None] * len(s), dtype=object, index=s.index)
        good = ~empty & ok
        if good.any():
            vals[good] = [int(x) for x in s[good].tolist()]
        return vals, bad, "geen geheel getal"
    if col.kind == "float":
        num = pd.to_numeric(s.str.replace(",", ".", regex=False).where(~empty), errors="coerce")
        bad = ~empty & ~np.isfinite(num.to_numpy(dtype=float, na_value=np.nan))
        limit = {"lat": 90.0, "lon": 180.0}.get(col.name)
        reason = "geen getal"
        if limit is not None:
            bad = bad | (num.abs() > limit).fillna(False)
            reason = f"geen getal of buiten het bereik -{limit:g}..{limit:g}"
        vals = num.astype(object).where(~empty & ~bad, None)
        return vals, pd.Series(bad, index=s.index), reason
    vals = s.astype(object).where(~empty, None)
    return vals, pd.Series(False, index=s.index), ""


class KeySet:
    """Keys seen so far, stored as 64-bit hashes (bounded memory for millions of keys)."""

    def __init__(self) -> None:
        self._seen: set[int] = set()

    @staticmethod
    def hashes(keys: pd.Series) -> list[int]:
        return pd.util.hash_array(keys.astype(str).to_numpy(dtype=object)).tolist()  # type: ignore[no-any-return]

    def contains(self, keys: pd.Series) -> np.ndarray:
        return np.fromiter(map(self._seen.__contains__, self.hashes(keys)), dtype=bool, count=len(keys))

    def add(self, keys: pd.Series) -> None:
        self._seen.update(self.hashes(keys))

    def __len__(self) -> int:
        return len(self._seen)


@dataclass
class Problems:
    """Rejections found in one chunk: per-row problems, collected column-wise."""

    file: str
    lines: np.ndarray
    frames: list[pd.DataFrame] = field(default_factory=list)
    rejected: np.ndarray | None = None

    def add(self, mask: pd.Series | np.ndarray, fld: str, reason: str | pd.Series, values: pd.Series | None) -> None:
        m = np.asarray(mask, dtype=bool)
        if not m.any():
            return
        n = int(m.sum())
        if values is None or fld in PERSONAL_COLUMNS:
            shown: object = "" if values is None else "(verborgen: persoonsgegeven)"
        else:
            shown = values[m].astype(str).str.slice(0, 80).to_numpy()
        why = reason[m].to_numpy() if isinstance(reason, pd.Series) else reason
        self.frames.append(
            pd.DataFrame({"file": self.file, "line": self.lines[m], "field": fld, "reason": why, "value": shown},
                         index=range(n))
        )
        self.rejected = m if self.rejected is None else (self.rejected | m)

    def rows(self) -> np.ndarray:
        return np.zeros(len(self.lines), dtype=bool) if self.rejected is None else self.rejected

    def frame(self) -> pd.DataFrame:
        return pd.concat(self.frames, ignore_index=True) if self.frames else pd.DataFrame(columns=REJECT_COLUMNS)


RefLookup = Callable[[str, pd.Series], np.ndarray]  # (label, keys) -> bool mask: key exists


@dataclass
class Validator:
    """Validates and converts the chunks of one file; keeps that file's seen keys (duplicates)."""

    spec: FileSpec
    csv: CsvFile
    key: bytes | None  #: pseudonymisation key (None: --no-pseudonymise)
    exists: RefLookup
    drop_descriptions: bool = False
    seen: KeySet = field(default_factory=KeySet)

    def __call__(self, chunk: Chunk) -> tuple[pd.DataFrame, pd.DataFrame, int]:
        """(valid converted rows, rejects, number of rows read) of a chunk."""
        spec, name = self.spec, self.csv.name
        df = chunk.df
        probs = Problems(name, chunk.lines)
        present = [c for c in spec.columns if c.name in df.columns]
        raw = {c.name: df[c.name].str.strip() for c in present}
        if not self.csv.valid_utf8:
            bad = bad_utf8_mask(df)
            for col in df.columns:
                probs.add(bad[col], col, "ongeldige tekens: geen UTF-8 (sla het bestand op als UTF-8)", None)
        for col in present:
            probs.add(raw[col.name].str.len() > MAX_FIELD_CHARS, col.name,
                      f"veld is langer dan {MAX_FIELD_CHARS:,} tekens".replace(",", "."), None)
        out = pd.DataFrame(index=df.index)
        for col in present:
            s = raw[col.name]
            if col.required:
                probs.add(s == "", col.name, "verplicht veld is leeg", None)
            vals, bad, reason = _convert(col, s)
            probs.add(bad, col.name, reason, s)
            if col.allowed:
                low = s.str.casefold()
                notallowed = (s != "") & ~low.isin(col.allowed)
                probs.add(notallowed, col.name, f"onbekende waarde; toegestaan: {', '.join(col.allowed)}", s)
                vals = low.where(s != "", None).astype(object)
            out[col.name] = vals
        for col in spec.columns:
            if col.name not in out.columns:
                out[col.name] = None
        if self.drop_descriptions and "description" in out.columns:
            out["description"] = None
        self._pseudonymise(out)
        ok = ~probs.rows()
        # duplicate keys: the first valid row with a key wins
        keys = out[list(spec.key)].astype(str).agg("\x1f".join, axis=1) if len(spec.key) > 1 \
            else out[spec.key[0]].astype(str)
        dup = np.zeros(len(out), dtype=bool)
        if ok.any():
            idx = np.flatnonzero(ok)
            k = keys.iloc[idx]
            d = k.duplicated().to_numpy() | self.seen.contains(k)
            dup[idx] = d
        probs.add(dup, ",".join(spec.key), "dubbele sleutel: een eerdere regel met deze sleutel is al geladen", None)
        ok = ~probs.rows()
        self._check_refs(out, ok, probs)
        ok = ~probs.rows()
        self.seen.add(keys[ok])
        for line, reason in chunk.bad:
            probs.frames.append(pd.DataFrame([{"file": name, "line": line, "field": "", "reason": reason,
                                               "value": ""}]))
        return out[ok].reset_index(drop=True), probs.frame(), len(df) + len(chunk.bad)

    def _pseudonymise(self, out: pd.DataFrame) -> None:
        if "birth_date" in out.columns:
            year = out["birth_date"].str.slice(0, 4)
            has = year.notna()
            if "birth_year" in out.columns:
                has = has & out["birth_year"].isna()
            if has.any():
                out.loc[has, "birth_year"] = [int(y) for y in year[has]]
            del out["birth_date"]
        if self.key is None:
            return
        for col in ("person_id", "bsn", "first_name", "last_name"):
            if col in out.columns:
                out[col] = pseudonymise_series(out[col], self.key, col)
        if self.spec.name == "case_links":
            person = out["kind"] == "person"
            if person.any():
                out.loc[person, "ref_id"] = pseudonymise_series(out.loc[person, "ref_id"], self.key, "person_id")

    def _check_refs(self, out: pd.DataFrame, ok: np.ndarray, probs: Problems) -> None:
        checks: list[tuple[str, str, np.ndarray]] = []
        for col in self.spec.columns:
            if col.ref:
                checks.append((col.name, col.ref, ok))
        if self.spec.name == "case_links":
            for kind, label in LINK_LABEL.items():
                checks.append(("ref_id", label, ok & (out["kind"] == kind).to_numpy()))
        for name, label, rows in checks:
            vals = out[name]
            rows = rows & vals.notna().to_numpy()
            if not rows.any():
                continue
            idx = np.flatnonzero(rows)
            found = self.exists(label, vals.iloc[idx])
            missing = np.zeros(len(out), dtype=bool)
            missing[idx] = ~found
            probs.add(missing, name, f"verwijst naar onbekende {label} (niet in deze import en niet in de opslag)",
                      vals)


def pseudonymise_series(s: pd.Series, key: bytes, fld: str) -> pd.Series:
    """Pseudonymise the non-empty values of a column (each distinct value once)."""
    present = s.notna()
    if not present.any():
        return s
    uniq = pd.unique(s[present])
    mapping = {v: pseudonymise(str(v), key, fld) for v in uniq}
    return s.where(~present, s.map(mapping)).astype(object)
