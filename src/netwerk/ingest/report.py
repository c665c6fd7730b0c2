"""The ingest summary (per file: read / loaded / rejected) and the rejects file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from netwerk.ingest.safe_csv import neutralise
from netwerk.ingest.validate import REJECT_COLUMNS

__all__ = ["FileReport", "IngestReport", "RejectsWriter"]


@dataclass
class FileReport:
    """Counts of one file; ``read == loaded + rejected`` always holds."""

    file: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    delimiter: str = ","
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    notes: dict[str, int] = field(default_factory=dict)  #: loaded rows with a remark, per remark


@dataclass
class IngestReport:
    """What an ingest did: per-file counts, the rejects file, unknown categories and warnings."""

    folder: str
    store: str
    pseudonymised: bool
    strict: bool = False
    files: list[FileReport] = field(default_factory=list)
    rejects_path: str | None = None
    unknown_categories: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    written: bool = True  #: False when --strict found rejects and nothing was written

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def file(self, name: str) -> FileReport:
        """The report of ``name`` (with or without ``.csv``)."""
        stem = name.removesuffix(".csv")
        for f in self.files:
            if f.file.removesuffix(".csv") == stem:
                return f
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "store": self.store,
            "pseudonymised": self.pseudonymised,
            "strict": self.strict,
            "written": self.written,
            "read": self.read,
            "loaded": self.loaded,
            "rejected": self.rejected,
            "rejects_path": self.rejects_path,
            "files": [asdict(f) for f in self.files],
            "unknown_categories": self.unknown_categories,
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
        }

    def table(self) -> Table:
        """A readable summary table (Dutch)."""
        t = Table(title=f"Import uit {self.folder}")
        t.add_column("Bestand")
        t.add_column("Gelezen", justify="right")
        t.add_column("Geladen", justify="right")
        t.add_column("Afgewezen", justify="right")
        for f in self.files:
            t.add_row(f.file, _n(f.read), _n(f.loaded), f"[red]{_n(f.rejected)}[/]" if f.rejected else "0")
        t.add_section()
        t.add_row("[bold]totaal[/]", _n(self.read), _n(self.loaded), _n(self.rejected))
        return t


def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


class RejectsWriter:
    """Appends rejected rows to a CSV (file, line, field, reason, value); created on the first reject.

    Cells that a spreadsheet would run as a formula are neutralised (:mod:`netwerk.ingest.safe_csv`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0

    def write(self, df: pd.DataFrame) -> None:
        if df.empty:
            return
        first = self.rows == 0
        if first:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        neutralise(df[REJECT_COLUMNS].sort_values(["file", "line"], kind="stable")).to_csv(
            self.path, mode="w" if first else "a", header=first, index=False
        )
        self.rows += len(df)
