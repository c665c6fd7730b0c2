"""Vectorised validation and conversion of one chunk of a format-v1 file.

Each chunk goes through the same steps, all on whole columns: non-UTF-8 bytes, oversized fields,
required fields, types (dates in ISO or dd-mm-yyyy, numbers with ``.`` or ``,``), allowed values,
pseudonymisation, duplicate keys within the file (the FIRST row with a key wins; later rows with the
same key are rejected) and references (a referenced key must come from this ingest or already be in
the store). Every rejected row is reported with its line, field and a Dutch reason.

Columns are handled as numpy object arrays of ``str`` (pandas' python-backed string dtype adds a
per-call overhead that dominates on millions of short values); dates are parsed with
``pd.to_datetime`` per known exact format first, and only the values none of those fit go through
the general (regex) parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

import numpy as np
import pandas as pd

from netwerk.ingest.bag import HOUSE_NUMBER_REASON, split_house_numbers
from netwerk.ingest.location import check_coordinates
from netwerk.ingest.plausible import check_plausible
from netwerk.ingest.reader import Chunk, CsvFile, bad_utf8_mask
from netwerk.ingest.schema import LINK_LABEL, MAX_FIELD_CHARS, PERSONAL_COLUMNS, Column, FileSpec
from netwerk.privacy import pseudonymise

__all__ = [
    "LANDED_FOR_USE", "LANDED_ON_LOCATION", "KeySet", "Problems", "Pseudonyms", "Validator", "parse_date",
    "parse_datetime",
]

TIMEZONE = "Europe/Amsterdam"
_ISO = (
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_NL = (
    r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
#: Exact formats tried first (each a strict subset of what the general parser accepts, same result).
_FAST_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%d-%m-%Y")
_INT = re.compile(r"[+-]?\d{1,18}")
_NAT = np.datetime64("NaT", "s")
REJECT_COLUMNS = ["file", "line", "field", "reason", "value"]
#: Note for a signal whose address was rejected (or is unknown) but that lands on its own location.
LANDED_ON_LOCATION = "adres afgewezen, melding geladen op locatie"
#: Note for such a signal without a location that persons or a case refer to: it lands without a place.
LANDED_FOR_USE = "adres afgewezen, melding zonder locatie geladen (betrokkenen of casus verwijzen ernaar)"


def _parse(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """General parser (regex): timestamps (naive, local time), whether a time was given, and the invalid
    mask of non-empty values. Used for the values the exact formats of :data:`_FAST_FORMATS` miss."""
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
        local = pd.to_datetime(stamp, utc=True, format="ISO8601", errors="coerce")
        local = local.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
        ts = ts.astype("datetime64[s]")  # seconds: years beyond 2262 do not overflow (nanoseconds would)
        ts[with_tz] = local.astype("datetime64[s]")
    invalid = (s != "") & ts.isna()
    return ts, has_time, invalid


def _timestamps(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps (``datetime64[s]``, NaT when empty or invalid) and the invalid mask of a text column."""
    ts = np.full(len(s), _NAT)
    todo = s != ""
    for fmt in _FAST_FORMATS:
        if not todo.any():
            break
        idx = np.flatnonzero(todo)
        got = pd.to_datetime(pd.Series(s[idx], dtype=object), format=fmt, errors="coerce").to_numpy()
        hit = ~np.isnat(got)
        ts[idx[hit]] = got[hit].astype("datetime64[s]")
        todo[idx[hit]] = False
    if todo.any():
        idx = np.flatnonzero(todo)
        got = _parse(pd.Series(s[idx], dtype=str))[0].to_numpy()
        ts[idx] = got.astype("datetime64[s]")
    return ts, (s != "") & np.isnat(ts)


def _iso_text(ts: np.ndarray, unit: Literal["D", "s"]) -> np.ndarray:
    """ISO strings of timestamps (object array, None for NaT)."""
    out = np.datetime_as_string(ts, unit=unit).astype(object)
    out[np.isnat(ts)] = None
    return out


def parse_date(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO dates (``YYYY-MM-DD``) from ISO or ``dd-mm-yyyy`` text; returns (values, invalid mask).

    Examples
    --------
    >>> vals, bad = parse_date(pd.Series(["2025-03-01", "01-03-2025", "31-02-2025", ""]))
    >>> vals.tolist(), bad.tolist()
    (['2025-03-01', '2025-03-01', None, None], [False, False, True, False])
    """
    ts, invalid = _timestamps(s.to_numpy(dtype=object))
    return pd.Series(_iso_text(ts, "D"), index=s.index, dtype=object), pd.Series(invalid, index=s.index)


def parse_datetime(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO datetimes (``YYYY-MM-DDTHH:MM:SS``, local time) from ISO (with or without time zone) or
    ``dd-mm-yyyy HH:MM``; returns (values, invalid mask).

    Examples
    --------
    >>> vals, bad = parse_datetime(pd.Series(["2025-03-01T14:30:00+00:00", "01-03-2025 14:30", "x"]))
    >>> vals.tolist(), bad.tolist()
    (['2025-03-01T15:30:00', '2025-03-01T14:30:00', None], [False, False, True])
    """
    ts, invalid = _timestamps(s.to_numpy(dtype=object))
    return pd.Series(_iso_text(ts, "s"), index=s.index, dtype=object), pd.Series(invalid, index=s.index)


def _none_where(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = values.astype(object, copy=True)
    out[mask] = None
    return out


def _convert(col: Column, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
    """(values with None for empty, invalid mask, reason) for one column of stripped text."""
    empty = s == ""
    if col.kind in ("date", "datetime"):
        ts, bad = _timestamps(s)
        if col.kind == "date":
            return _iso_text(ts, "D"), bad, "ongeldige datum (verwacht JJJJ-MM-DD of DD-MM-JJJJ)"
        return _iso_text(ts, "s"), bad, "ongeldige datum/tijd (verwacht JJJJ-MM-DDTUU:MM:SS of DD-MM-JJJJ UU:MM)"
    if col.kind == "int":
        ok = np.fromiter((_INT.fullmatch(x) is not None for x in s), dtype=bool, count=len(s))
        vals = np.full(len(s), None, dtype=object)
        good = ~empty & ok
        if good.any():
            vals[good] = [int(x) for x in s[good]]
        return vals, ~empty & ~ok, "geen geheel getal"
    if col.kind == "float":
        text = np.array([x.replace(",", ".") for x in s], dtype=object) if any("," in x for x in s) else s
        text = _none_where(text, empty)
        num = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = ~empty & ~np.isfinite(num)
        limit = {"lat": 90.0, "lon": 180.0}.get(col.name)
        reason = "geen getal"
        if limit is not None:
            with np.errstate(invalid="ignore"):
                bad = bad | (np.abs(num) > limit)
            reason = f"geen getal of buiten het bereik -{limit:g}..{limit:g}"
        return _none_where(num.astype(object), empty | bad), bad, reason
    return _none_where(s, empty), np.zeros(len(s), dtype=bool), ""


class KeySet:
    """Keys seen so far, stored as a sorted array of 64-bit hashes (8 bytes a key)."""

    def __init__(self) -> None:
        self._seen = np.zeros(0, dtype=np.uint64)

    @staticmethod
    def hashes(keys: pd.Series | np.ndarray | list[str]) -> np.ndarray:
        arr = np.asarray(keys, dtype=object)
        if not all(type(k) is str for k in arr):
            arr = np.array([str(k) for k in arr], dtype=object)
        return pd.util.hash_array(arr, categorize=False)  # the same hashes; keys are mostly distinct

    def contains(self, keys: pd.Series | np.ndarray | list[str]) -> np.ndarray:
        h = self.hashes(keys)
        if not len(self._seen):
            return np.zeros(len(h), dtype=bool)
        pos = np.searchsorted(self._seen, h).clip(max=len(self._seen) - 1)
        return self._seen[pos] == h

    def add(self, keys: pd.Series | np.ndarray | list[str]) -> None:
        """Add keys: the new hashes are merged into the sorted array in one linear pass (``np.insert``),
        not by sorting everything seen so far again for each chunk (``np.union1d``)."""
        if not len(keys):
            return
        h = np.sort(self.hashes(keys))
        h = h[np.concatenate(([True], h[1:] != h[:-1]))]  # distinct (numpy 2.4's np.unique is many times slower)
        if len(self._seen):
            pos = np.searchsorted(self._seen, h)
            fresh = self._seen[pos.clip(max=len(self._seen) - 1)] != h
            h, pos = h[fresh], pos[fresh]
            self._seen = np.insert(self._seen, pos, h)
        else:
            self._seen = h

    def __len__(self) -> int:
        return len(self._seen)


class Pseudonyms:
    """Pseudonyms of raw values per field, each distinct value hashed once per ingest (a bounded cache)."""

    def __init__(self, key: bytes, max_cached: int = 2_000_000) -> None:
        self.key = key
        self.max_cached = max_cached
        self._cache: dict[str, dict[str, str]] = {}

    def __call__(self, values: np.ndarray, fld: str) -> np.ndarray:
        """The pseudonyms of an object array of str (None stays None)."""
        present = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
        if not present.any():
            return values
        cache = self._cache.setdefault(fld, {})
        if len(cache) > self.max_cached:
            cache.clear()
        for v in pd.unique(values[present]):
            if v not in cache:
                cache[v] = pseudonymise(str(v), self.key, fld)
        out = np.full(len(values), None, dtype=object)
        out[present] = [cache[v] for v in values[present]]
        return out


@dataclass
class Problems:
    """Rejections found in one chunk: per-row problems, collected column-wise."""

    file: str
    lines: np.ndarray
    frames: list[pd.DataFrame] = field(default_factory=list)
    rejected: np.ndarray | None = None

    def add(self, mask: pd.Series | np.ndarray, fld: str, reason: str | pd.Series,
            values: pd.Series | np.ndarray | None) -> None:
        m = np.asarray(mask, dtype=bool)
        if not m.any():
            return
        n = int(m.sum())
        if values is None or fld in PERSONAL_COLUMNS:
            shown: object = "" if values is None else "(verborgen: persoonsgegeven)"
        else:
            shown = np.array([str(v)[:80] for v in np.asarray(values, dtype=object)[m]], dtype=object)
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


RefLookup = Callable[[str, np.ndarray], np.ndarray]  # (label, keys) -> bool mask: key exists


def _where(mask: np.ndarray, fn: Callable[[np.ndarray], np.ndarray], values: np.ndarray) -> np.ndarray:
    """``fn`` applied to ``values[mask]`` only; the other rows become None (they are rejected)."""
    out = np.full(len(values), None, dtype=object)
    if mask.any():
        out[mask] = fn(values[mask])
    return out


def _stripped(s: pd.Series) -> np.ndarray:
    return np.array([x.strip() for x in s.to_numpy(dtype=object)], dtype=object)


@dataclass
class Validator:
    """Validates and converts the chunks of one file; keeps that file's seen keys (duplicates)."""

    spec: FileSpec
    csv: CsvFile
    key: bytes | None  #: pseudonymisation key (None: --no-pseudonymise)
    exists: RefLookup
    drop_descriptions: bool = False
    seen: KeySet = field(default_factory=KeySet)
    pseudonyms: Pseudonyms | None = None  #: shared across files (default: one for this file)
    birth_years: dict[str, int] | None = None  #: person → birth year, shared across files (registrations)
    notes: dict[str, int] = field(default_factory=dict)  #: rows loaded with a remark (e.g. LANDED_ON_LOCATION)
    used_elsewhere: Callable[[np.ndarray], np.ndarray] | None = None  #: signal ids other files refer to

    def __post_init__(self) -> None:
        if self.pseudonyms is None and self.key is not None:
            self.pseudonyms = Pseudonyms(self.key)

    def __call__(self, chunk: Chunk) -> tuple[pd.DataFrame, pd.DataFrame, int]:
        """(valid converted rows, rejects, number of rows read) of a chunk."""
        spec, name = self.spec, self.csv.name
        df = chunk.df
        probs = Problems(name, chunk.lines)
        present = [c for c in spec.columns if c.name in df.columns]
        raw = {c.name: _stripped(df[c.name]) for c in present}
        if "house_number" in raw:
            digits, letter, addition, unreadable = split_house_numbers(
                raw["house_number"], raw.get("house_letter"), raw.get("house_number_addition"))
            probs.add(unreadable, "house_number", HOUSE_NUMBER_REASON, raw["house_number"])
            raw["house_number"], raw["house_letter"], raw["house_number_addition"] = digits, letter, addition
            present += [spec.column(c) for c in ("house_letter", "house_number_addition") if c not in df.columns]
        if not self.csv.valid_utf8:
            bad = bad_utf8_mask(df)
            for col in df.columns:
                probs.add(bad[col], col, "ongeldige tekens: geen UTF-8 (sla het bestand op als UTF-8)", None)
        too_long = f"veld is langer dan {MAX_FIELD_CHARS:,} tekens".replace(",", ".")
        for col in present:
            lengths = np.fromiter(map(len, raw[col.name]), dtype=np.int64, count=len(df))
            probs.add(lengths > MAX_FIELD_CHARS, col.name, too_long, None)
        out: dict[str, np.ndarray] = {}
        for col in present:
            s = raw[col.name]
            if col.required:
                probs.add(s == "", col.name, "verplicht veld is leeg", None)
            vals, bad, reason = _convert(col, s)
            probs.add(bad, col.name, reason, s)
            if col.allowed:
                low = np.array([x.casefold() for x in s], dtype=object)
                allowed = set(col.allowed)
                notallowed = (s != "") & np.fromiter((x not in allowed for x in low), dtype=bool, count=len(s))
                probs.add(notallowed, col.name, f"onbekende waarde; toegestaan: {', '.join(col.allowed)}", s)
                vals = _none_where(low, s == "")
            out[col.name] = vals
        for col in spec.columns:
            if col.name not in out:
                out[col.name] = np.full(len(df), None, dtype=object)
        if self.drop_descriptions and "description" in out:
            out["description"] = np.full(len(df), None, dtype=object)
        check_coordinates(out, probs.add, probs.rows())
        check_plausible(spec.name, {c.name: c.kind for c in spec.columns}, out, probs.add)
        self._pseudonymise(out, ~probs.rows())
        ok = ~probs.rows()
        # duplicate keys: the first valid row with a key wins (key fields of a valid row are never empty)
        idx = np.flatnonzero(ok)
        keys = self._keys(out, idx)
        dup = np.zeros(len(df), dtype=bool)
        if len(idx):
            dup[idx] = pd.Series(keys, dtype=object).duplicated().to_numpy() | self.seen.contains(keys)
        probs.add(dup, ",".join(spec.key), "dubbele sleutel: een eerdere regel met deze sleutel is al geladen", None)
        ok = ~probs.rows()
        self._check_refs(out, ok, probs)
        ok = ~probs.rows()
        self.seen.add(keys[ok[idx]])
        for line, reason in chunk.bad:
            probs.frames.append(pd.DataFrame([{"file": name, "line": line, "field": "", "reason": reason,
                                               "value": ""}]))
        valid = pd.DataFrame({c: v[ok] for c, v in out.items()}, dtype=object)
        return valid, probs.frame(), len(df) + len(chunk.bad)

    def _keys(self, out: dict[str, np.ndarray], idx: np.ndarray) -> np.ndarray:
        cols = [out[k][idx] for k in self.spec.key]
        if len(cols) == 1:
            return cols[0]
        return np.array(["\x1f".join(map(str, t)) for t in zip(*cols, strict=True)], dtype=object)

    def _pseudonymise(self, out: dict[str, np.ndarray], ok: np.ndarray) -> None:
        """Pseudonymise the personal columns of the rows still valid (``ok``); birth dates → years.

        A registration ``start_date`` in the person's birth year becomes 1 January of that year: the
        first BRP registration is usually the birth date itself, which must not be stored."""
        if "birth_date" in out:
            bd = out.pop("birth_date")
            has = np.fromiter((v is not None for v in bd), dtype=bool, count=len(bd))
            if "birth_year" in out:
                has &= np.fromiter((v is None for v in out["birth_year"]), dtype=bool, count=len(bd))
            if has.any():
                out["birth_year"] = out["birth_year"].copy()
                out["birth_year"][has] = [int(v[:4]) for v in bd[has]]
        pseudonyms = self.pseudonyms
        for col in ("person_id", "bsn", "first_name", "last_name"):
            if col in out and pseudonyms is not None:
                out[col] = _where(ok, partial(pseudonyms, fld=col), out[col])
        if self.spec.name == "case_links" and self.pseudonyms is not None:
            person = ok & (out["kind"] == "person")
            if person.any():
                ref = out["ref_id"].copy()
                ref[person] = self.pseudonyms(ref[person], "person_id")
                out["ref_id"] = ref
        if self.birth_years is None:
            return
        if self.spec.name == "persons" and "birth_year" in out:
            has = ok & np.fromiter((v is not None for v in out["birth_year"]), dtype=bool, count=len(ok))
            self.birth_years.update(zip(out["person_id"][has].tolist(), out["birth_year"][has].tolist(),
                                        strict=True))
        if self.spec.name == "registrations" and self.birth_years:
            start = out["start_date"]
            get = self.birth_years.get
            born = [get(p) if s is not None else None for p, s in zip(out["person_id"], start, strict=True)]
            same = np.fromiter((b is not None and s[:4] == str(b) for b, s in zip(born, start, strict=True)),
                               dtype=bool, count=len(start))
            if same.any():
                start = start.copy()
                start[same] = [f"{s[:4]}-01-01" for s in start[same]]
                out["start_date"] = start

    def _check_refs(self, out: dict[str, np.ndarray], ok: np.ndarray, probs: Problems) -> None:
        checks: list[tuple[str, str, np.ndarray]] = []
        for col in self.spec.columns:
            if col.ref:
                checks.append((col.name, col.ref, ok))
        if self.spec.name == "case_links":
            for kind, label in LINK_LABEL.items():
                checks.append(("ref_id", label, ok & (out["kind"] == kind)))
        for name, label, rows in checks:
            vals = out[name]
            rows = rows & np.fromiter((v is not None for v in vals), dtype=bool, count=len(vals))
            if not rows.any():
                continue
            idx = np.flatnonzero(rows)
            found = self.exists(label, vals[idx])
            missing = np.zeros(len(vals), dtype=bool)
            missing[idx] = ~found
            why = f"verwijst naar onbekende {label} (niet in deze import en niet in de opslag)"
            if self.spec.name == "signals" and name == "address_id" and missing.any():
                missing = self._land_on_location(out, missing)
                why += "; de melding heeft geen eigen locatie (lat/lon, x/y of buurt_code)"
            probs.add(missing, name, why, vals)

    def _land_on_location(self, out: dict[str, np.ndarray], missing: np.ndarray) -> np.ndarray:
        """Signals whose address is unknown (rejected) land without it when they have their own location
        (lat/lon or buurt_code) or another use (persons or a case refer to them, :attr:`used_elsewhere`);
        returns the rows still to reject (nothing locates them and nothing uses them)."""
        located = np.fromiter((v is not None for v in out["lat"]), dtype=bool, count=len(missing))
        located |= np.fromiter((v is not None for v in out["buurt_code"]), dtype=bool, count=len(missing))
        used = np.zeros(len(missing), dtype=bool)
        rest = missing & ~located
        if rest.any() and self.used_elsewhere is not None:
            used[rest] = self.used_elsewhere(out["signal_id"][rest])
        for mask, note in ((missing & located, LANDED_ON_LOCATION), (missing & used, LANDED_FOR_USE)):
            if mask.any():
                addr = out["address_id"].copy()
                addr[mask] = None
                out["address_id"] = addr
                self.notes[note] = self.notes.get(note, 0) + int(mask.sum())
        return missing & ~located & ~used
