"""Reading format-v1 CSV files: encoding/BOM and delimiter sniffing, chunked reading with line numbers.

Files are read with pandas in chunks (as Python strings, nothing turned into NaN), so memory stays bounded
however large a file is. Every chunk carries the physical line number of each row (quoted fields with
line breaks are counted). Bytes that are not UTF-8 are kept as surrogate escapes so that the rows
holding them can be rejected one by one (see :func:`bad_utf8_mask`); the rest of the file still loads.
A file that is not UTF-8 but valid Windows-1252 (what Dutch Excel writes) is read as Windows-1252. A
file with control bytes (binary content, e.g. a binary tail after a valid header) is refused as a whole.
A row with more fields than the header makes the fast reader switch to Python's ``csv`` module for the
rest of the file, which rejects such rows individually.
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

__all__ = ["BinaryFileError", "Chunk", "CsvFile", "IngestFileError", "bad_utf8_mask", "open_csv", "read_chunks"]

DELIMITERS = (",", ";")
_OTHER_DELIMITERS = ("\t", "|")
_BAD_UTF8 = "[\udc80-\udcff]"
csv.field_size_limit(sys.maxsize)


class IngestFileError(ValueError):
    """A file cannot be read at all (message in Dutch, naming the file)."""


class BinaryFileError(IngestFileError):
    """A file holds binary content (control bytes): refused, whichever file it is."""


@dataclass(frozen=True)
class CsvFile:
    """A sniffed CSV file: encoding, delimiter and (normalised) header."""

    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    valid_utf8: bool
    size: int
    other_delimiter: str | None = None  #: a tab or | seen in the header (a likely wrong delimiter)

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Chunk:
    """Rows of a file: ``df`` (all str, '' for missing), their physical ``lines`` and rows that could not
    be split into the header's fields (``bad``: (line, reason))."""

    df: pd.DataFrame
    lines: np.ndarray
    bad: list[tuple[int, str]] = field(default_factory=list)
    position: int = 0  #: bytes read so far (for progress)


#: C0 control bytes that never occur in a text CSV (tab, CR and LF do): a sign of binary content
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: every other byte: ``block.translate(None, _TEXT)`` keeps only the control bytes (ten times faster than the regex)
_TEXT = bytes(b for b in range(256) if not _BINARY.match(bytes([b])))
#: A UTF-8 encoded Latin letter with diacritic (é = C3 A9): the file is UTF-8, not Windows-1252
_UTF8_LETTER = re.compile(rb"[\xc3\xc4\xc5][\x80-\xbf]")


@dataclass(frozen=True)
class _Scan:
    valid_utf8: bool
    cp1252: bool  #: the whole file decodes as Windows-1252 (every byte defined there)
    binary_line: int | None  #: the first line holding a control byte (binary content)


def _scan(path: Path) -> _Scan:
    """UTF-8 validity and the first binary line (one pass); Windows-1252 only for a non-UTF-8 file.

    A file that holds valid UTF-8 letters next to invalid bytes is taken as (damaged) UTF-8: its bad rows
    are rejected rather than the whole file read as Windows-1252 (which would garble the good letters)."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    valid_utf8 = True
    lines = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            if block.translate(None, _TEXT):
                hit = _BINARY.search(block)
                return _Scan(False, False, lines + block.count(b"\n", 0, hit.start() if hit else 0) + 1)
            lines += block.count(b"\n")
            if valid_utf8 and not (block.isascii() and not utf8.getstate()[0]):  # ASCII between whole characters
                try:
                    utf8.decode(block)
                except UnicodeDecodeError:
                    valid_utf8 = False
    if valid_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            valid_utf8 = False
    if valid_utf8:
        return _Scan(True, False, None)
    cp = codecs.getincrementaldecoder("cp1252")()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            if _UTF8_LETTER.search(block):
                return _Scan(False, False, None)
            try:
                cp.decode(block)
            except UnicodeDecodeError:
                return _Scan(False, False, None)
    return _Scan(False, True, None)


def open_csv(path: Path) -> CsvFile:
    """Sniff ``path``: BOM, UTF-8 validity, delimiter (``,`` or ``;``) and the header row.

    Raises :class:`IngestFileError` for an empty (0-byte) file or a file without a header.
    """
    size = path.stat().st_size
    if size == 0:
        raise IngestFileError(f"{path.name}: het bestand is leeg (geen kopregel)")
    with path.open("rb") as fh:
        first = fh.readline(1 << 20)
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BinaryFileError(f"{path.name}: het bestand is opgeslagen als UTF-16 (Unicode-tekst); "
                              "sla het op als CSV (UTF-8)")
    scan = _scan(path)
    if scan.binary_line is not None:
        raise BinaryFileError(
            f"{path.name}: regel {scan.binary_line} bevat binaire gegevens (stuurtekens zoals NUL-bytes); "
            "is dit wel een CSV-bestand? Exporteer het opnieuw als tekst (CSV)"
        )
    encoding = "utf-8-sig" if first.startswith(codecs.BOM_UTF8) else "utf-8"
    if not scan.valid_utf8 and scan.cp1252:
        encoding = "cp1252"
    line = first.decode(encoding, errors="replace").rstrip("\r\n")
    if not line.strip():
        raise IngestFileError(f"{path.name}: de eerste regel is leeg; verwacht een kopregel met kolomnamen")
    counts = {d: line.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d])
    other = next((d for d in _OTHER_DELIMITERS if line.count(d) > counts[delimiter]), None)
    header = next(csv.reader([line], delimiter=delimiter))
    header = [h.strip().lower() for h in header]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise IngestFileError(f"{path.name}: kolom(men) {', '.join(dupes)} staan dubbel in de kopregel")
    return CsvFile(path, encoding, delimiter, header, scan.valid_utf8 or scan.cp1252, size, other)


def bad_utf8_mask(df: pd.DataFrame) -> pd.Series:
    """Per column, rows holding bytes that were not valid UTF-8: a DataFrame of bools."""
    return df.apply(lambda s: s.str.contains(_BAD_UTF8, regex=True))


def _line_numbers(df: pd.DataFrame, first_line: int) -> np.ndarray:
    """Physical start line of each row, counting line breaks inside quoted fields."""
    if df.empty:
        return np.zeros(0, dtype=np.int64)
    breaks = np.zeros(len(df), dtype=np.int64)
    for col in df.columns:
        values = df[col].to_numpy(dtype=object)
        if "\n" in "".join(values):  # one C-level scan; counting per value only when needed
            breaks += np.fromiter((v.count("\n") for v in values), dtype=np.int64, count=len(values))
    steps = 1 + breaks
    return first_line + np.concatenate(([0], np.cumsum(steps)[:-1]))


def read_chunks(f: CsvFile, chunk_rows: int = 50_000) -> Iterator[Chunk]:
    """Yield the file's rows in chunks (blank lines removed, line numbers kept)."""
    next_line = 2  # the header is line 1
    records = 0
    with f.path.open("rb") as fh:
        try:
            reader = pd.read_csv(
                fh,
                sep=f.delimiter,
                dtype=object,  # Python strings: they keep surrogate escapes (Arrow strings cannot)
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                index_col=False,
                header=0,
                names=f.header,
                chunksize=chunk_rows,
                encoding=f.encoding,
                encoding_errors="surrogateescape",
                engine="c",
            )
            for df in reader:
                lines = _line_numbers(df, next_line)
                if len(df):
                    next_line = int(lines[-1]) + 1 + int(sum(df[c].iat[-1].count("\n") for c in df.columns))
                records += len(df)
                yield _strip_blank(Chunk(df, lines, position=fh.tell()))
            return
        except pd.errors.ParserError:
            pass  # a row with too many fields or an unclosed quote: continue exactly with the csv module
    yield from _read_with_csv(f, records, chunk_rows)


def _strip_blank(chunk: Chunk) -> Chunk:
    df = chunk.df
    if df.empty:
        return chunk
    blank = np.ones(len(df), dtype=bool)  # rows whose every field is empty: column by column, only the candidates
    for col in df.columns:
        blank[blank] = df[col].to_numpy(dtype=object)[blank] == ""
        if not blank.any():
            break
    if blank.any():
        keep = ~blank
        chunk.df = df.loc[keep].reset_index(drop=True)
        chunk.lines = chunk.lines[keep]
    else:
        chunk.df = df.reset_index(drop=True)
    return chunk


def _read_with_csv(f: CsvFile, skip_records: int, chunk_rows: int) -> Iterator[Chunk]:
    width = len(f.header)
    fh: IO[str]
    with f.path.open("r", encoding=f.encoding, errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh, delimiter=f.delimiter)
        next(reader, None)
        for _ in range(skip_records):
            next(reader, None)
        rows: list[list[str]] = []
        lines: list[int] = []
        bad: list[tuple[int, str]] = []
        start = reader.line_num + 1
        for rec in reader:
            if len(rec) == width:
                rows.append(rec)
                lines.append(start)
            elif rec and any(x.strip() for x in rec):
                bad.append((start, f"verwacht {width} velden (zoals de kopregel), kreeg er {len(rec)}"))
            start = reader.line_num + 1
            if len(rows) >= chunk_rows:
                frame = pd.DataFrame(rows, columns=f.header, dtype=object)
                yield _strip_blank(Chunk(frame, np.array(lines), bad, f.size))
                rows, lines, bad = [], [], []
        yield _strip_blank(
            Chunk(pd.DataFrame(rows, columns=f.header, dtype=object), np.array(lines, dtype=np.int64), bad, f.size)
        )
