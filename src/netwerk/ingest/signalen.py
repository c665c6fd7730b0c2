"""Adapter for the Signalen data-warehouse CSV export → import format v1.

Signalen (the open-source reporting platform of Amsterdam and other municipalities) exports separate
files: ``signals.csv`` (one row per melding), ``locations.csv``, ``categories.csv`` (category
assignments, main/sub, history per melding) and ``statuses.csv`` (status history). Each melding points
at its current location, category assignment and status (``location_id``, ``category_assignment_id``,
``status_id``); when a pointer is missing the latest row per ``_signal_id`` is used.

The adapter writes ``signals.csv`` and ``addresses.csv`` of format v1. Reporter contact details
(``reporters.csv``) are never read. Locations may carry the address as flat columns
(``address_street``, ``address_number``, ``address_postalcode``, ``address_city``, optionally
``address_letter`` / ``address_addition``) or as Signalen's JSON ``address`` column
(``openbare_ruimte``, ``huisnummer``, ``huisletter``, ``huisnummer_toevoeging``, ``postcode``,
``woonplaats``). The export writes the point's x as ``lat`` and y as ``lng``: swapped coordinates are
detected (for the Netherlands) and put right.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from netwerk.ingest.categories import CategoryMap, load_categories, unknown_category_warnings
from netwerk.ingest.reader import open_csv

__all__ = ["STATUS_NAMES", "SignalenConversion", "convert_signalen"]

#: Signalen workflow state codes → display names (used when ``state_display`` is absent).
STATUS_NAMES = {
    "m": "Gemeld", "i": "In afwachting van behandeling", "b": "In behandeling", "h": "On hold",
    "ready to send": "Te verzenden naar extern systeem", "o": "Afgehandeld", "a": "Geannuleerd",
    "reopened": "Heropend", "s": "Gesplitst", "closure requested": "Verzoek tot afhandeling",
    "reaction requested": "Reactie gevraagd", "reaction received": "Reactie ontvangen",
    "forward to external": "Doorzetten naar extern", "sent": "Verzonden naar extern",
    "send failed": "Verzending naar extern mislukt", "done external": "Melding is afgehandeld door extern",
    "ingepland": "Ingepland", "reopen requested": "Verzoek tot heropenen",
}
REQUIRED = {
    "signals.csv": ["id", "created_at"],
    "locations.csv": ["id", "_signal_id"],
    "categories.csv": ["id", "_signal_id"],
    "statuses.csv": ["id", "_signal_id"],
}
_JSON_KEYS = {
    "address_street": "openbare_ruimte", "address_number": "huisnummer", "address_letter": "huisletter",
    "address_addition": "huisnummer_toevoeging", "address_postalcode": "postcode", "address_city": "woonplaats",
}


@dataclass
class SignalenConversion:
    """What a conversion wrote: counts, unknown categories and warnings (Dutch)."""

    source: str
    out: str
    signals: int = 0
    addresses: int = 0
    unknown_categories: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _read(folder: Path, name: str, required: bool = True) -> pd.DataFrame | None:
    path = folder / name
    if not path.exists():
        if required:
            raise FileNotFoundError(f"Signalen-export: {name} ontbreekt in {folder}")
        return None
    f = open_csv(path)
    df = pd.read_csv(path, sep=f.delimiter, dtype=str, keep_default_na=False, encoding=f.encoding,
                     encoding_errors="replace")
    df.columns = [c.strip().lower() for c in df.columns]
    missing = [c for c in REQUIRED[name] if c not in df.columns]
    if missing:
        raise ValueError(f"Signalen-export: {name} mist verplichte kolom {', '.join(missing)}")
    return df


def _current(rows: pd.DataFrame, signals: pd.DataFrame, pointer: str) -> pd.DataFrame:
    """The current row per melding: the one ``signals[pointer]`` names, else the latest per ``_signal_id``."""
    rows = rows.copy()
    by_id = rows.set_index("id")
    out = pd.DataFrame(index=signals.index)
    ptr = signals[pointer] if pointer in signals.columns else pd.Series("", index=signals.index)
    hit = ptr.isin(by_id.index)
    picked = by_id.reindex(ptr.where(hit))
    picked.index = signals.index
    order = "created_at" if "created_at" in rows.columns else "id"
    latest = (rows.assign(_o=pd.to_datetime(rows[order], errors="coerce", utc=True, format="mixed")
                          if order == "created_at" else pd.to_numeric(rows["id"], errors="coerce"))
              .sort_values("_o", kind="stable").drop_duplicates("_signal_id", keep="last").set_index("_signal_id"))
    fallback = latest.reindex(signals["id"])
    fallback.index = signals.index
    for col in rows.columns:
        if col == "id":
            continue
        a = picked[col] if col in picked.columns else pd.Series(None, index=signals.index)
        b = fallback[col] if col in fallback.columns else pd.Series(None, index=signals.index)
        out[col] = a.where(hit, b).fillna("")
    return out


def _flat_address(loc: pd.DataFrame) -> pd.DataFrame:
    """Flat address columns from either the flat export columns or the JSON ``address`` column."""
    out = pd.DataFrame(index=loc.index)
    parsed: list[dict[str, Any]] | None = None
    if "address" in loc.columns and not {"address_street", "address_postalcode"} <= set(loc.columns):
        parsed = []
        for text in loc["address"].tolist():
            try:
                value = json.loads(text) if text else {}
            except json.JSONDecodeError:
                value = {}
            parsed.append(value if isinstance(value, dict) else {})
    for flat, key in _JSON_KEYS.items():
        if flat in loc.columns:
            out[flat] = loc[flat].astype(str)
        elif parsed is not None:
            out[flat] = ["" if p.get(key) is None else str(p.get(key)) for p in parsed]
        else:
            out[flat] = ""
        out[flat] = out[flat].str.strip()
    return out


def _coordinates(loc: pd.DataFrame) -> tuple[pd.Series, pd.Series, int]:
    """(lat, lon) as text, swapping x/y where the export put longitude in ``lat`` (NL ranges)."""
    lat = pd.to_numeric(loc.get("lat", pd.Series("", index=loc.index)), errors="coerce")
    lng = pd.to_numeric(loc.get("lng", loc.get("lon", pd.Series("", index=loc.index))), errors="coerce")
    swapped = lat.between(2.5, 8.0) & lng.between(50.0, 54.5)
    la, lo = lat.where(~swapped, lng), lng.where(~swapped, lat)
    fmt = lambda s: s.map(lambda v: "" if pd.isna(v) else f"{v:.6f}")  # noqa: E731
    return fmt(la), fmt(lo), int(swapped.sum())


def convert_signalen(
    source: str | Path, out: str | Path, categories: str | Path | CategoryMap | None = None
) -> SignalenConversion:
    """Convert a Signalen data-warehouse export folder into format v1 (``signals.csv``, ``addresses.csv``).

    Parameters
    ----------
    source : path
        Folder with ``signals.csv``, ``locations.csv``, ``categories.csv`` and (optional) ``statuses.csv``.
    out : path
        Target folder (created); existing ``signals.csv``/``addresses.csv`` there are overwritten.
    categories : path or CategoryMap, optional
        Extra category → domain rows (see :func:`netwerk.ingest.categories.load_categories`), used to list
        categories the mapping does not know (they become domain ``onbekend`` at ingest).

    Returns
    -------
    SignalenConversion
    """
    src, dst = Path(source), Path(out)
    if not src.is_dir():
        raise FileNotFoundError(f"map {src} bestaat niet")
    sig = _read(src, "signals.csv")
    loc = _read(src, "locations.csv")
    cat = _read(src, "categories.csv")
    sta = _read(src, "statuses.csv", required=False)
    assert sig is not None and loc is not None and cat is not None
    conv = SignalenConversion(str(src), str(dst))
    sig = sig.reset_index(drop=True)

    c = _current(cat, sig, "category_assignment_id")
    main = c["main"] if "main" in c.columns else c.get("main_slug", pd.Series("", index=sig.index))
    sub = c["sub"] if "sub" in c.columns else c.get("sub_slug", pd.Series("", index=sig.index))
    if "main_slug" in c.columns:
        main = main.where(main != "", c["main_slug"])
    if "sub_slug" in c.columns:
        sub = sub.where(sub != "", c["sub_slug"])

    status = pd.Series("", index=sig.index)
    if sta is not None:
        s = _current(sta, sig, "status_id")
        display = s["state_display"] if "state_display" in s.columns else pd.Series("", index=sig.index)
        code = s["state"].map(STATUS_NAMES).fillna(s["state"]) if "state" in s.columns else display
        status = display.where(display != "", code)

    lo = _current(loc, sig, "location_id")
    addr = _flat_address(lo)
    lat, lon, swapped = _coordinates(lo)
    if swapped:
        conv.warnings.append(f"{swapped} locatie(s) met verwisselde lat/lng (x/y) rechtgezet")
    postcode = addr["address_postalcode"].str.upper().str.replace(" ", "", regex=False)
    has_addr = (postcode != "") & (addr["address_number"] != "")
    address_id = (postcode + "-" + addr["address_number"]
                  + ("-" + addr["address_letter"]).where(addr["address_letter"] != "", "")
                  + ("-" + addr["address_addition"]).where(addr["address_addition"] != "", "")).where(has_addr, "")
    buurt = lo["buurt_code"] if "buurt_code" in lo.columns else pd.Series("", index=sig.index)

    signal_id = sig["signal_uuid"].where(sig["signal_uuid"] != "", sig["id"]) if "signal_uuid" in sig else sig["id"]
    text = sig["text"] if "text" in sig.columns else pd.Series("", index=sig.index)
    if "text_extra" in sig.columns:
        text = text.where(sig["text_extra"] == "", text + "\n" + sig["text_extra"])
    signals = pd.DataFrame({
        "signal_id": signal_id,
        "reported_at": sig["created_at"],
        "category": main,
        "subcategory": sub,
        "source": sig["source"] if "source" in sig.columns else "",
        "address_id": address_id,
        "lat": lat,
        "lon": lon,
        "buurt_code": buurt,
        "description": text,
        "status": status,
    })
    addresses = pd.DataFrame({
        "address_id": address_id,
        "street": addr["address_street"],
        "house_number": addr["address_number"],
        "house_letter": addr["address_letter"],
        "house_number_addition": addr["address_addition"],
        "postcode": postcode,
        "city": addr["address_city"],
        "buurt_code": buurt,
        "lat": lat,
        "lon": lon,
    })[has_addr].drop_duplicates("address_id", keep="first")

    cmap = categories if isinstance(categories, CategoryMap) else load_categories(categories)
    _, unknown = cmap.domains(main, sub)
    if unknown.any():
        names = (main + " / " + sub).str.strip(" /")[unknown.to_numpy()]
        conv.unknown_categories = {str(k): int(v) for k, v in names.value_counts().items()}
        conv.warnings += unknown_category_warnings(conv.unknown_categories)
    dst.mkdir(parents=True, exist_ok=True)
    signals.to_csv(dst / "signals.csv", index=False)
    addresses.to_csv(dst / "addresses.csv", index=False)
    conv.signals, conv.addresses = len(signals), len(addresses)
    return conv
