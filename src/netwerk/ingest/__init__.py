"""Ingest: validate and load import format v1 (``ingest/FORMAT.md``), and convert Signalen exports to it."""

from netwerk.ingest.categories import CategoryMap, load_categories
from netwerk.ingest.pipeline import IngestError, default_rejects_path, ingest_folder
from netwerk.ingest.report import FileReport, IngestReport

__all__ = [
    "CategoryMap",
    "FileReport",
    "IngestError",
    "IngestReport",
    "default_rejects_path",
    "ingest_folder",
    "load_categories",
]
