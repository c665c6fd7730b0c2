"""Writing a :class:`~netwerk.monitor.monitor.MonitorTable` as CSV or Excel, and its charts.

Cells that a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) are neutralised with a leading apostrophe: theme names come from an editable table.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from netwerk.monitor.monitor import MonitorTable

__all__ = ["neutralise", "safe_frame", "wide_frame", "write_charts", "write_csv", "write_xlsx"]

_FORMULA = re.compile(r"^[=+\-@\t\r]")


def neutralise(value: Any) -> Any:
    """Text that would start a formula gets a leading apostrophe; everything else is returned as is.

    >>> neutralise("=HYPERLINK(1)"), neutralise("-5 meldingen"), neutralise(-5), neutralise("Woon")
    ("'=HYPERLINK(1)", "'-5 meldingen", -5, 'Woon')
    """
    return "'" + value if isinstance(value, str) and _FORMULA.match(value) else value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with missing values as None and formula-like text neutralised."""
    return df.astype(object).where(df.notna(), None).map(neutralise)


def write_csv(table: MonitorTable, path: str | Path) -> Path:
    """The long table (one row per theme, area and period) as UTF-8 CSV."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    safe_frame(table.rows).to_csv(out, index=False, encoding="utf-8")
    return out


def wide_frame(table: MonitorTable) -> pd.DataFrame:
    """The monitoring table as in the Uitvoeringsplan: a row per theme (and area), per period the counts by
    source group, the total and the change against the previous period."""
    keys = ["theme", "theme_name", "area_code", "area_name"]
    rows = table.rows.copy()
    rows["area_code"] = rows["area_code"].fillna("")
    rows["area_name"] = rows["area_name"].fillna("")
    out = rows[keys].drop_duplicates().reset_index(drop=True)
    for period in table.periods:
        part = rows[rows["period"] == period].set_index(keys)
        for col in (*table.groups, "total", "change_abs", "change_rel", "note"):
            out[f"{period} {col}"] = out.set_index(keys).index.map(part[col]).to_numpy()
    return out


def write_xlsx(table: MonitorTable, path: str | Path) -> Path:
    """An Excel workbook: sheet ``Monitor`` (wide, two header rows: period / column) and ``Gegevens`` (long)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Monitor"
    head = ["Thema", "Naam", "Gebied", "Gebiedsnaam"]
    cols = [*table.groups, "total", "change_abs", "change_rel", "note"]
    labels = {"total": "totaal", "change_abs": "verschil", "change_rel": "verschil %", "note": "opmerking"}
    ws.append(head + [p for p in table.periods for _ in cols])
    ws.append([""] * len(head) + [labels.get(c, c) for _ in table.periods for c in cols])
    for cell in (*ws[1], *ws[2]):
        cell.font = Font(bold=True)
    for rec in wide_frame(table).to_dict("records"):
        values = [rec["theme"], rec["theme_name"], rec["area_code"], rec["area_name"]]
        values += [rec[f"{p} {c}"] for p in table.periods for c in cols]
        ws.append([_cell(v) for v in values])
    ws.freeze_panes = "E3"
    long = wb.create_sheet("Gegevens")
    long.append(list(table.rows.columns))
    for row in table.rows.itertuples(index=False):
        long.append([_cell(v) for v in row])
    if table.excluded:
        info = wb.create_sheet("Weggelaten")
        info.append(["reden", "aantal meldingen"])
        for k, v in table.excluded.items():
            info.append([neutralise(k), v])
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return neutralise(value)


def write_charts(table: MonitorTable, folder: str | Path) -> list[Path]:
    """One PNG per theme: stacked bars per period by source group (whole municipality), partial periods hatched."""
    from netwerk.hotspots.figures import plt, save_figure

    out: list[Path] = []
    rows = table.rows
    for theme, g in rows.groupby("theme", sort=False):
        per_period = g.groupby("period", sort=False)[list(table.groups)].sum().reindex(list(table.periods))
        partial = g.groupby("period", sort=False)["partial"].first().reindex(list(table.periods))
        fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(table.periods) + 3), 4))
        bottom = pd.Series(0, index=per_period.index)
        for grp in table.groups:
            bars = ax.bar(per_period.index, per_period[grp], bottom=bottom, label=grp)
            for bar, part in zip(bars, partial, strict=True):
                if part:
                    bar.set_hatch("//")
            bottom = bottom + per_period[grp]
        ax.set_title(f"{g['theme_name'].iloc[0]} – meldingen per {table.per}")
        ax.set_ylabel("aantal meldingen")
        ax.legend(title="bron", fontsize="small")
        ax.tick_params(axis="x", rotation=45)
        if partial.any():
            ax.text(0.01, 0.98, "gearceerd: onvolledige periode", transform=ax.transAxes, va="top", fontsize="small")
        out.append(save_figure(fig, Path(folder) / f"monitor_{theme}.png"))
    return out
