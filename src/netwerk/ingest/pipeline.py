"""``ingest_folder``: validate and load a format-v1 folder into a store, streaming each file in chunks."""

from __future__ import annotations

import time
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from netwerk.ingest.background import OrderedWriter
from netwerk.ingest.categories import CategoryMap, load_categories, unknown_category_warnings
from netwerk.ingest.guards import finish_run, key_mismatch, key_weakness, remember_key, start_run
from netwerk.ingest.load import GraphWriter
from netwerk.ingest.reader import BinaryFileError, CsvFile, IngestFileError, open_csv, read_chunks
from netwerk.ingest.report import FileReport, IngestReport, RejectsWriter
from netwerk.ingest.schema import FILES, LOAD_ORDER
from netwerk.ingest.validate import KeySet, Pseudonyms, Validator
from netwerk.privacy import pseudonym_key
from netwerk.store.base import DEFAULT_BATCH, GraphStore

__all__ = ["CHUNK_ROWS", "PERSON_FILES", "IngestError", "default_rejects_path", "ingest_folder"]

CHUNK_ROWS = 50_000
#: Files that hold person identifiers (``--no-pseudonymise`` needs an explicit acknowledgement for them).
PERSON_FILES = ("persons", "registrations", "signal_persons", "group_members", "business_persons", "case_links")


class IngestError(ValueError):
    """The folder cannot be ingested at all: a required file or column is missing (Dutch message)."""


def default_rejects_path(folder: Path, store: GraphStore) -> Path:
    """Where rejected rows go by default: ``<store folder>/rejects/`` for the embedded store, else
    ``./netwerk-rejects/``; the file is named after the input folder and the time of the ingest."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path(getattr(store, "path", Path.cwd() / "netwerk-rejects"))
    sub = base / "rejects" if hasattr(store, "path") else base
    return sub / f"{folder.resolve().name}-{stamp}-afgewezen.csv"


def _discover(folder: Path, report: IngestReport) -> dict[str, Path]:
    """The format-v1 files in ``folder``; a file (symlink) pointing outside the folder is refused."""
    if not folder.is_dir():
        raise IngestError(f"map {folder} bestaat niet")
    found: dict[str, Path] = {}
    home = folder.resolve()
    outside: list[str] = []
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() != ".csv" or not p.is_file():
            continue
        if not p.resolve().is_relative_to(home):
            outside.append(f"{p.name}: verwijst naar een bestand buiten de importmap ({p.resolve()}); "
                           "kopieer het bestand in de map zelf")
            continue
        stem = p.stem.lower()
        if stem in FILES:
            found[stem] = p
        else:
            report.warnings.append(f"{p.name}: onbekend bestand, overgeslagen (zie ingest/FORMAT.md)")
    if outside:
        raise IngestError("; ".join(outside))
    missing = [f"{s.name}.csv" for s in FILES.values() if s.required_file and s.name not in found]
    if missing:
        raise IngestError(f"verplicht bestand {', '.join(missing)} ontbreekt in {folder}")
    return found


def _sniff(found: dict[str, Path], report: IngestReport) -> dict[str, CsvFile]:
    """Open every file and check its header; all problems are reported together before loading."""
    files: dict[str, CsvFile] = {}
    errors: list[str] = []
    for name in LOAD_ORDER:
        if name not in found:
            continue
        spec = FILES[name]
        try:
            f = open_csv(found[name])
        except IngestFileError as exc:
            if spec.required_file or isinstance(exc, BinaryFileError):
                errors.append(str(exc))
            else:
                report.warnings.append(f"{exc}; overgeslagen")
                report.files.append(FileReport(found[name].name, warnings=[str(exc)]))
            continue
        missing = [c for c in spec.required_columns if c not in f.header]
        if missing:
            hint = ""
            if f.other_delimiter or len(f.header) == 1:
                sep = {"\t": "tab", "|": "|"}.get(f.other_delimiter or "", "?")
                hint = (f" — de kopregel lijkt een ander scheidingsteken ({sep}) te gebruiken; "
                        "gebruik , of ;")
            errors.append(f"{f.name}: verplichte kolom {', '.join(missing)} ontbreekt{hint}")
            continue
        known = {c.name for c in spec.columns}
        extra = [c for c in f.header if c not in known]
        if extra:
            report.warnings.append(f"{f.name}: onbekende kolom(men) {', '.join(extra)} genegeerd")
        if f.encoding == "cp1252":
            report.warnings.append(f"{f.name}: geen UTF-8; gelezen als Windows-1252 (Excel); controleer de "
                                   "letters met accenten, of sla het bestand op als UTF-8")
        elif not f.valid_utf8:
            report.warnings.append(
                f"{f.name}: bevat bytes die geen UTF-8 zijn; regels met zulke tekens worden afgewezen "
                "(sla het bestand op als UTF-8)"
            )
        files[name] = f
    if errors:
        raise IngestError("; ".join(errors))
    return files


def ingest_folder(
    folder: str | Path,
    store: GraphStore,
    *,
    pseudonymise: bool = True,
    drop_descriptions: bool = False,
    strict: bool = False,
    progress: bool = False,
    rejects_path: str | Path | None = None,
    categories: str | Path | CategoryMap | None = None,
    chunk_rows: int = CHUNK_ROWS,
    batch_size: int = DEFAULT_BATCH,
    acknowledge_risk: bool = False,
) -> IngestReport:
    """Validate every row of a format-v1 folder and load the valid ones into ``store``.

    Parameters
    ----------
    folder : path
        A folder with ``signals.csv`` and optionally the other files of format v1 (``ingest/FORMAT.md``).
    store : GraphStore
        Target store (either backend); writes are idempotent upserts by key.
    pseudonymise : bool
        Replace person ids, BSN and names by keyed pseudonyms (key from ``NETWERK_PSEUDONYM_KEY``,
        else :class:`netwerk.privacy.PseudonymKeyMissing`). Birth dates are always reduced to a year.
        The key must be strong (:func:`netwerk.ingest.guards.key_weakness`) and the same as the one of
        earlier ingests into ``store`` (its fingerprint is kept in the store).
    drop_descriptions : bool
        Do not store the free text of signals (``description``).
    strict : bool
        Validate everything first and write nothing when any row is rejected.
    progress : bool
        Show rich progress bars (on stderr).
    rejects_path : path, optional
        CSV for rejected rows (file, line, field, reason, value); default :func:`default_rejects_path`.
        Only created when a row is rejected.
    categories : path or CategoryMap, optional
        Extra category → domain rows merged over the built-in table (else ``$NETWERK_CATEGORIES``).
    chunk_rows : int
        Rows read, validated and written per chunk (bounds memory).
    batch_size : int
        Rows per store write (one transaction each).
    acknowledge_risk : bool
        With ``pseudonymise=False``: load files with person data anyway (``--ik-begrijp-het-risico``).

    Returns
    -------
    IngestReport
        Per file ``read == loaded + rejected``; the rejects file path; unknown categories.

    Raises
    ------
    IngestError
        The folder, ``signals.csv`` or a required column of a present file is missing, a file cannot be
        read (binary content, outside the folder), the key is weak or not the store's key, or
        ``pseudonymise=False`` with person files and no acknowledgement. Every file is checked before
        anything is written.
    """
    t0 = time.perf_counter()
    folder = Path(folder)
    key = pseudonym_key() if pseudonymise else None
    if key is not None:
        problem = key_weakness(key) or key_mismatch(store, key)
        if problem:
            raise IngestError(problem)
    cats = categories if isinstance(categories, CategoryMap) else load_categories(categories)
    report = IngestReport(str(folder), getattr(store, "kind", "?"), pseudonymise, strict)
    found = _discover(folder, report)
    files = _sniff(found, report)
    if key is None:
        personal = [f"{n}.csv" for n in PERSON_FILES if n in files]
        if personal and not acknowledge_risk:
            raise IngestError(
                f"--no-pseudonymise met persoonsgegevens ({', '.join(personal)}): dat mag alleen als de "
                "gegevens al gepseudonimiseerd zijn; bevestig dat met --ik-begrijp-het-risico"
            )
        report.warnings.append(
            "persoonsgegevens NIET gepseudonimiseerd (--no-pseudonymise): alleen toegestaan voor gegevens "
            "die al gepseudonimiseerd zijn" if personal else
            "--no-pseudonymise: er zijn geen persoonsbestanden in deze import"
        )
    rpath = Path(rejects_path) if rejects_path else default_rejects_path(folder, store)
    rejects = RejectsWriter(rpath)
    if strict:
        check = _run(files, GraphWriter(store, cats, write=False), key, drop_descriptions, progress, rejects,
                     "controle", chunk_rows)
        if sum(f.rejected for f in check) > 0:
            report.files = check + report.files
            report.written = False
            _finish(report, rejects, t0)
            return report
    if key is not None:
        remember_key(store, key)
    start_run(store, str(folder))
    size = sum(f.path.stat().st_size for f in files.values())
    with store.writer(size) as side:  # writes on a thread (a large load: a process) of their own where it can
        writes = OrderedWriter(threaded=side is not None)
        writer = GraphWriter(store, cats, writes=writes, batch_size=batch_size, target=side or store)
        try:
            loaded = _run(files, writer, key, drop_descriptions, progress, None if strict else rejects, "laden",
                          chunk_rows)
        finally:
            writes.close()  # every write done (or the first failure raised) before the report is made
    report.files = loaded + report.files
    report.unknown_categories = dict(sorted(writer.unknown_categories.items(), key=lambda kv: -kv[1]))
    report.warnings += unknown_category_warnings(report.unknown_categories)
    if writer.main_fallbacks:
        report.warnings.append(
            f"{sum(writer.main_fallbacks.values())} melding(en) in {len(writer.main_fallbacks)} onbekende "
            "subcategorie(ën) kregen het domein van hun hoofdcategorie (zie `netwerk categorieen`)"
        )
    for fr in loaded:
        report.warnings += [f"{fr.file}: {n} regel(s): {note}" for note, n in fr.notes.items()]
    _finish(report, rejects, t0)
    finish_run(store, {"read": report.read, "loaded": report.loaded, "rejected": report.rejected})
    return report


def _finish(report: IngestReport, rejects: RejectsWriter, t0: float) -> None:
    report.rejects_path = str(rejects.path) if rejects.rows else None
    report.seconds = time.perf_counter() - t0


class _SignalReferences:
    """Which signal ids ``signal_persons.csv`` or ``case_links.csv`` (kind signal) refer to; read once, and
    only when a signal without address or location asks (keys kept as 8-byte hashes)."""

    def __init__(self, files: dict[str, CsvFile]) -> None:
        self.files = files
        self.keys: KeySet | None = None

    def _load(self) -> KeySet:
        keys = KeySet()
        for name, col, kind in (("signal_persons", "signal_id", None), ("case_links", "ref_id", "signal")):
            f = self.files.get(name)
            if f is None or col not in f.header:
                continue
            for chunk in read_chunks(f):
                df = chunk.df
                ids = df[col].str.strip()
                if kind is not None and "kind" in df.columns:
                    ids = ids[df["kind"].str.strip().str.casefold() == kind]
                keys.add(ids[ids != ""].to_numpy(dtype=object))
        return keys

    def __call__(self, signal_ids: np.ndarray) -> np.ndarray:
        if self.keys is None:
            self.keys = self._load()
        return self.keys.contains(signal_ids)


def _run(
    files: dict[str, CsvFile],
    writer: GraphWriter,
    key: bytes | None,
    drop_descriptions: bool,
    progress: bool,
    rejects: RejectsWriter | None,
    verb: str = "laden",
    chunk_rows: int = CHUNK_ROWS,
) -> list[FileReport]:
    out: list[FileReport] = []
    pseudonyms = Pseudonyms(key) if key is not None else None  # each person id hashed once, not once per file
    birth_years: dict[str, int] = {}  # person → birth year, to coarsen registrations (see Validator)
    referred = _SignalReferences(files)
    bar: Any = (
        Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                 transient=False)
        if progress else nullcontext()
    )
    order = [name for name in LOAD_ORDER if name in files]
    with bar:
        for i, name in enumerate(order):
            f = files[name]
            fr = FileReport(f.name, delimiter=f.delimiter, encoding=f.encoding)
            task = bar.add_task(f"{verb} {f.name}", total=f.size) if progress else None
            validate = Validator(FILES[name], f, key, writer.exists, drop_descriptions, pseudonyms=pseudonyms,
                                 birth_years=birth_years, used_elsewhere=referred)
            handle = writer.handler(name)
            for chunk in read_chunks(f, chunk_rows):
                valid, rej, read = validate(chunk)
                handle(valid)
                fr.read += read
                fr.loaded += len(valid)
                fr.rejected += read - len(valid)
                if rejects is not None:
                    rejects.write(rej)
                if task is not None:
                    bar.update(task, completed=min(chunk.position, f.size))
            if task is not None:
                bar.update(task, completed=f.size)
            writer.settle(name, order[i + 1:])
            fr.notes = dict(validate.notes)
            if fr.read == 0:
                fr.warnings.append("geen gegevensregels (alleen een kopregel)")
            out.append(fr)
    return out
