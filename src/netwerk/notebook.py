"""Shared set-up of the analyst notebooks (``notebooks/*.ipynb``): the store, the acting analyst, display.

The notebooks stay thin: they call the services and the public library API; this module only opens
the store, names the analyst (the audit applies to notebooks as to the CLI) and shows figures inline::

    from netwerk.notebook import start
    nb = start("overlastaanpak", "hotspots")   # purpose, resources the notebook uses
    nb.store, nb.actor, nb.frames

``start`` opens ``NETWERK_STORE`` (a folder or a ``neo4j://``/``bolt://`` URI). Without it, it builds a
small synthetic municipality in a temporary folder (generate + ingest, about 5 seconds), so a notebook
can be tried without data. The analyst is ``NETWERK_USER`` (role from the user store) or, on a store
without users, the OS user with ``NETWERK_ROLE`` (default ``analist``); the purpose is
``NETWERK_PURPOSE`` or the notebook's own. Every person-level read is written to the audit log.
"""

from __future__ import annotations

import dataclasses
import html
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from netwerk import audit
from netwerk.access import Actor
from netwerk.frames import Frames
from netwerk.store import GraphStore, open_store

__all__ = [
    "DEMO_KEY",
    "Notebook",
    "demo_store",
    "excel",
    "notebook_actor",
    "show_figure",
    "show_html",
    "show_png",
    "start",
]

#: Pseudonymisation key of the synthetic demo municipality only (never for real data).
DEMO_KEY = "demo-sleutel-alleen-voor-synthetische-gegevens"
ENDPOINT = "notebook"


@dataclass(frozen=True)
class Notebook:
    """An open notebook session: the store, the acting analyst and where the data came from."""

    store: GraphStore
    actor: Actor
    source: str

    @property
    def frames(self) -> Frames:
        """The analysis input of the whole store (read once per store version, shared with the services)."""
        from netwerk.services.cache import frames

        return frames(self.store)

    @property
    def on_neo4j(self) -> bool:
        return getattr(self.store, "kind", "") == "neo4j"

    @contextmanager
    def reading(self, resource: str, subject: str) -> Iterator[Actor]:
        """Check the analyst for ``resource``; store reads inside are left to one entry by :meth:`audit`."""
        from netwerk.services.common import guarded

        with guarded(self.actor, resource, ENDPOINT, subject) as actor:
            yield actor

    def audit(self, subject: str, persons: Sequence[str]) -> None:
        """One audit entry naming the persons an analysis in the notebook shows."""
        from netwerk.services.common import read

        read(self.actor, subject, ENDPOINT, sorted({str(p) for p in persons}), bulk=True)

    def visible(self, persons: Iterable[Any]) -> list[str]:
        """The persons the analyst may see (scope by datum: the domains role and purpose open), sorted."""
        from netwerk.services.scope import scope

        sc = scope(self.store)
        return sorted({str(p) for p in persons if sc.person_visible(self.actor, str(p))})

    def shown(self, value: Any, subject: str) -> Any:
        """``value`` (lists/dicts of library results) without the persons the analyst may not see, with
        one audit entry naming those it shows (as the services do)."""
        from netwerk.services.scope import known_persons, redact, scope

        out, persons = redact(value, self.actor, scope(self.store), known_persons(self.store))
        self.audit(subject, sorted(persons))
        return out

    def summary(self) -> str:
        """One Dutch line: store, analyst, role, purpose and the data's extent."""
        fr = self.frames
        n = len(fr.signals)
        count = f"{n:,}".replace(",", ".")
        return (f"Opslag: {self.source} ({'Neo4j' if self.on_neo4j else 'ingebouwd'}). Analist {self.actor.user}, "
                f"rol {self.actor.role}, doel {self.actor.purpose or 'geen'}. {count} meldingen"
                + (f" tot en met {fr.reference_date:%d-%m-%Y}." if n else "."))


def demo_store(folder: str | Path, *, seed: int = 42, size: str = "small") -> Path:
    """Generate a synthetic municipality in ``folder`` and ingest it; returns the store folder.

    Uses :data:`DEMO_KEY` when ``NETWERK_PSEUDONYM_KEY`` is not set.
    """
    from netwerk.generate import generate
    from netwerk.ingest import ingest_folder

    os.environ.setdefault("NETWERK_PSEUDONYM_KEY", DEMO_KEY)
    folder = Path(folder)
    generate(folder / "gemeente", seed=seed, size=size)
    st = open_store(folder / "opslag", create=True)
    try:
        ingest_folder(folder / "gemeente", st)
    finally:
        st.close()
    return folder / "opslag"


def notebook_actor(store: GraphStore, purpose: str) -> Actor:
    """The analyst of this notebook: as on the command line, with ``purpose`` unless ``NETWERK_PURPOSE``
    names another; ``via`` is ``notebook``."""
    from netwerk.auth.local import cli_actor
    from netwerk.settings import Settings

    settings = Settings()
    settings = settings.model_copy(update={"purpose": settings.purpose or purpose})
    return dataclasses.replace(cli_actor(store, settings), via=ENDPOINT)


def start(purpose: str, *resources: str) -> Notebook:
    """Open the store (``NETWERK_STORE`` or a fresh demo municipality) as the analyst, for ``purpose``.

    Raises :class:`~netwerk.access.AccessDenied` (in Dutch, and audited) when the role or purpose does
    not open one of ``resources``.
    """
    spec = os.environ.get("NETWERK_STORE")
    if spec:
        source = spec
    else:
        spec = str(demo_store(Path(tempfile.mkdtemp(prefix="netwerk-notebook-"))))
        source = f"synthetische demogemeente in {spec}"
    store = open_store(spec)
    actor = notebook_actor(store, purpose)
    for resource in resources:
        with Notebook(store, actor, source).reading(resource, resource):
            pass
    audit.use(actor)
    return Notebook(store, actor, source)


def show_png(path: str | Path, width: int | None = None) -> Any:
    """A PNG written by the library, shown inline."""
    from IPython.display import Image

    return Image(filename=str(path), width=width)


def show_figure(fig: Any) -> Any:
    """A matplotlib figure shown inline as PNG (and closed), whatever backend the library chose."""
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return Image(data=buf.getvalue())


def show_html(path: str | Path, height: int = 600) -> Any:
    """A self-contained HTML page (map, network) shown inline in a sandboxed frame."""
    from IPython.display import HTML

    page = Path(path).read_text(encoding="utf-8")
    return HTML(f'<div><iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{height}px;'
                f'border:1px solid #ccc" sandbox="allow-scripts"></iframe></div>')


def excel(sheets: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write DataFrames as sheets of one workbook for the overleg; text that a spreadsheet would run
    as a formula is neutralised (:func:`netwerk.ingest.safe_csv.neutralise`)."""
    from netwerk.ingest.safe_csv import neutralise

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in sheets.items():
            neutralise(df).to_excel(writer, sheet_name=name[:31], index=False)
    return path
