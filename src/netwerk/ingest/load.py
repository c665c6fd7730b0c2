"""The graph writer: validated format-v1 rows → nodes and relationships, written in batches.

What a row writes is declared once, in :data:`netwerk.ingest.schema.FILES` (its node's properties and
its edges); a file may have a preparation step here (``_prepare_<file>``: derived columns).
Addresses, signals and youth groups name buurt codes; each code that is not yet an ``Area`` in the
store becomes one (kind ``buurt``, named from the CBS data: the Oldambt demo table, else the built-in
national buurten of :mod:`netwerk.geo`) inside an ``Area`` (kind ``wijk``, code ``WK`` + the first six
digits of a CBS ``BU`` code). See ``ingest/FORMAT.md`` for the full table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netwerk.ingest.background import OrderedWriter
from netwerk.ingest.categories import CategoryMap
from netwerk.ingest.schema import FILES, EdgeSpec, FileSpec
from netwerk.ingest.validate import KeySet
from netwerk.store.base import DEFAULT_BATCH, GraphStore

__all__ = ["GraphWriter", "area_rows", "wijk_of"]

_DATA = Path(__file__).resolve().parent.parent / "data" / "oldambt"
_CBS_BUURT = re.compile(r"BU\d{8}\Z")


@cache
def _cbs_areas() -> pd.DataFrame:
    """Known CBS buurten and wijken (code, name, kind, wijk_code, lat, lon)."""
    b = pd.read_csv(_DATA / "oldambt_buurten_2014.csv", dtype=str)
    w = pd.read_csv(_DATA / "oldambt_wijken_2014.csv", dtype=str)
    buurten = pd.DataFrame({"area_code": b["buurtcode"], "name": b["buurtnaam"], "kind": "buurt",
                            "wijk_code": b["wijkcode"], "lat": b["label_lat"], "lon": b["label_lon"]})
    wijken = pd.DataFrame({"area_code": w["wijkcode"], "name": w["wijknaam"], "kind": "wijk",
                           "wijk_code": None, "lat": w["label_lat"], "lon": w["label_lon"]})
    out = pd.concat([buurten, wijken], ignore_index=True)
    out["lat"] = out["lat"].astype(float)
    out["lon"] = out["lon"].astype(float)
    return out.set_index("area_code")


@cache
def _national_areas() -> pd.DataFrame:
    """The built-in national CBS buurten and wijken (``netwerk.geo``), in the columns of :func:`_cbs_areas`."""
    from netwerk.geo.national import national_areas

    f = national_areas(("buurt", "wijk")).frame
    out = pd.DataFrame({"area_code": f["area_code"], "name": f["name"], "kind": f["kind"],
                        "wijk_code": f["parent_code"].where(f["kind"] == "buurt"),
                        "lat": f["lat"].astype(float), "lon": f["lon"].astype(float)})
    return out.drop_duplicates("area_code").set_index("area_code")


def _known_areas(codes: pd.Series) -> pd.DataFrame:
    """Names and label points of these codes: the Oldambt demo table, else the national CBS data (loaded
    only when a code is missing from the demo table)."""
    known = _cbs_areas()
    if codes.isin(known.index).all():
        return known
    nat = _national_areas()
    return pd.concat([known, nat[~nat.index.isin(known.index)]])


def wijk_of(buurt: pd.Series) -> pd.Series:
    """The wijk code of CBS buurt codes (``BU18950001`` → ``WK189500``); None for other codes."""
    codes = buurt.to_numpy(dtype=object)
    wijk = [f"WK{b[2:8]}" if type(b) is str and _CBS_BUURT.match(b) else None for b in codes]
    return pd.Series(wijk, index=buurt.index, dtype=object)


def area_rows(codes: pd.Series) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(buurt nodes, wijk nodes, buurt→wijk IN rows) for distinct buurt codes."""
    codes = pd.Series(pd.unique(codes.dropna()), dtype=object)
    wijk = wijk_of(codes)
    known = _known_areas(pd.concat([codes, wijk.dropna()]))
    buurt = pd.DataFrame({"area_code": codes, "kind": "buurt", "wijk_code": wijk})
    info = known.reindex(codes)
    for col in ("name", "lat", "lon"):
        buurt[col] = info[col].to_numpy()
    wijken = pd.Series(pd.unique(wijk.dropna()), dtype=object)
    winfo = known.reindex(wijken)
    wdf = pd.DataFrame({"area_code": wijken, "kind": "wijk", "name": winfo["name"].to_numpy(),
                        "lat": winfo["lat"].to_numpy(), "lon": winfo["lon"].to_numpy()})
    links = buurt[buurt["wijk_code"].notna()][["area_code", "wijk_code"]]
    return (
        _records(buurt),
        _records(wdf),
        _records(links.rename(columns={"area_code": "start", "wijk_code": "end"})),
    )


def _given(buurt: pd.Series) -> pd.Series:
    """``buurt_bron`` of rows whose file gave the buurt (``bestand``); None elsewhere."""
    bron = pd.Series(None, index=buurt.index, dtype=object)
    bron[buurt.notna()] = "bestand"
    return bron


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with plain Python values; missing values are left out (a store treats a missing
    property exactly like None: unknown, never overwriting), so NaN never reaches a store."""
    if df.empty:
        return []
    cols = list(df.columns)
    values = [_plain(df[c]) for c in cols]
    if not any(None in v for v in values):
        return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)]
    return [{c: v for c, v in zip(cols, row, strict=True) if v is not None} for row in zip(*values, strict=True)]


def _plain(s: pd.Series) -> list[Any]:
    """A column as a list of Python values with None for missing."""
    vals = s.to_numpy(dtype=object)
    missing = s.isna().to_numpy()
    if missing.any():
        vals = vals.copy()
        vals[missing] = None
    return vals.tolist()


#: the files whose preparation writes the areas of their buurt codes (``GraphWriter._area_codes``)
_AREA_FILES = ("addresses", "signals")


def _tables(name: str) -> tuple[set[str], set[str]]:
    """(node labels, relationship types) that file ``name`` writes."""
    spec = FILES[name]
    labels = {spec.label} if spec.label else set()
    types = {e.rel for e in spec.edges}
    if name in _AREA_FILES:
        labels.add("Area")
        types.add("IN")
    return labels, types


@dataclass
class GraphWriter:
    """Writes validated chunks of each file to the store and remembers the keys it wrote."""

    store: GraphStore  #: read: which keys exist, the buurten to place points in
    categories: CategoryMap
    #: where the writes go (the store's writer on the writing thread, see GraphStore.writer); None: ``store``
    target: GraphStore | None = None
    write: bool = True  #: False: a validation-only pass (``--strict``)
    writes: OrderedWriter = field(default_factory=OrderedWriter)  #: runs the store writes, in order
    batch_size: int = DEFAULT_BATCH  #: rows per store write (one transaction each)
    known: dict[str, KeySet] = field(default_factory=dict)
    absent: dict[str, KeySet] = field(default_factory=dict)  #: keys found missing from the store, per label
    unknown_categories: dict[str, int] = field(default_factory=dict)
    main_fallbacks: dict[str, int] = field(default_factory=dict)  #: categories matched on the main category
    _areas: set[str] = field(default_factory=set)
    _area_set: Any = None  #: the buurten to place points in (netwerk.geo AreaSet), loaded when first needed
    _address_buurt: dict[str, str] = field(default_factory=dict)

    @property
    def _target(self) -> GraphStore:
        return self.target or self.store

    def exists(self, label: str, keys: pd.Series | np.ndarray) -> np.ndarray:
        """Which keys exist as ``label``: written in this ingest or already in the store.

        Keys the store was asked about and lacked are remembered (until this ingest writes ``label``
        nodes), so a repeated unknown value costs one store query, not one per chunk."""
        arr = np.array([k if type(k) is str else str(k) for k in np.asarray(keys, dtype=object)], dtype=object)
        ks = self.known.get(label)
        found = ks.contains(arr) if ks is not None else np.zeros(len(arr), dtype=bool)
        absent = self.absent.get(label)
        if absent is not None and not found.all():
            known_absent = absent.contains(arr)
        else:
            known_absent = np.zeros(len(arr), dtype=bool)
        ask_mask = ~found & ~known_absent
        if ask_mask.any():
            ask = pd.unique(arr[ask_mask])
            missing = self.store.missing_keys(label, list(ask))
            self.absent.setdefault(label, KeySet()).add(missing)
            in_store = ~pd.Series(arr, dtype=object).isin(missing).to_numpy() if missing else True
            found = found | (ask_mask & in_store)
        return found

    def _remember(self, label: str, keys: pd.Series) -> None:
        self.known.setdefault(label, KeySet()).add(keys.to_numpy(dtype=object))
        self.absent.pop(label, None)

    def _nodes(self, label: str, df: pd.DataFrame, cols: list[str], edges: tuple[EdgeSpec, ...] = ()) -> None:
        """Write the chunk's nodes; with ``edges`` (see :meth:`_with_node`) also their relationships, in the
        same statement per batch."""
        if self.write and len(df):
            columns = {c: _plain(df[c]) for c in cols}
            if edges:
                ends = [(e.rel, e.end_label, _plain(df[e.end])) for e in edges]
                self.writes.submit(lambda: self._target.upsert_node_edge_columns(label, columns, ends, self.batch_size))
            else:
                self.writes.submit(lambda: self._target.upsert_node_columns(label, columns, self.batch_size))
        self._remember(label, df[self.store.model.node(label).key])

    def _with_node(self, spec: FileSpec) -> tuple[EdgeSpec, ...]:
        """The edges of ``spec`` written together with its nodes (``upsert_node_edge_columns``: each node looked up
        and sent once, not once per relationship type): the relationships without properties from the node itself
        to an end that was validated."""
        if not self.write or spec.label is None:
            return ()
        key = self.store.model.node(spec.label).key
        return tuple(e for e in spec.edges if e.kind is None and not e.if_exists and not e.props
                     and e.start == key and e.start_label == spec.label and not self.store.model.rel(e.rel).properties)

    def _rels(self, rel: str, df: pd.DataFrame, start: str, end: str, props: list[str],
              start_label: str | None = None, end_label: str | None = None) -> None:
        df = df[df[start].notna() & df[end].notna()]
        if not self.write or df.empty:
            return
        columns = {"start": _plain(df[start]), "end": _plain(df[end]), **{p: _plain(df[p]) for p in props}}
        # endpoints were validated (references against this ingest and the store): no second check
        self.writes.submit(lambda: self._target.upsert_relationship_columns(
            rel, columns, start_label, end_label, self.batch_size, check_endpoints=False))

    def _area_codes(self, codes: pd.Series) -> None:
        fresh = pd.Series(pd.unique(codes.dropna()), dtype=object)
        fresh = fresh[~fresh.isin(self._areas)]
        if fresh.empty:
            return
        # areas already in the store (imported with `netwerk gebieden import`, or an earlier ingest) keep
        # their names and hierarchy: a user's own areas win over the built-in table
        new = fresh[~self.exists("Area", fresh)]
        buurten, wijken, links = area_rows(new)
        if wijken:
            stored = self.exists("Area", pd.Series([w["area_code"] for w in wijken], dtype=object))
            wijken = [w for w, there in zip(wijken, stored, strict=True) if not there]
        if self.write and (buurten or wijken):
            def write() -> None:
                self._target.upsert_nodes("Area", wijken)
                self._target.upsert_nodes("Area", buurten)
                if links:
                    self._target.upsert_relationships("IN", links, "Area", "Area", check_endpoints=False)

            self.writes.submit(write)
        self._areas.update(fresh.tolist())
        self._remember("Area", fresh)

    # ------------------------------------------------------------ buurt of a location
    def _buurt_of_location(self, df: pd.DataFrame, bron: pd.Series) -> None:
        """Rows with lat/lon but no buurt_code get the buurt that holds the point (``netwerk.geo.assign``);
        ``bron`` (the ``buurt_bron`` column) says how. Areas are loaded once, only when needed."""
        todo = (df["buurt_code"].isna() & df["lat"].notna() & df["lon"].notna()).to_numpy()
        if not todo.any():
            return
        if self._area_set is None:
            from netwerk.geo.areas import areas_for_store

            self._area_set = areas_for_store(self.store, kinds=("buurt",))
        from netwerk.geo.assign import assign_areas

        lat = df["lat"].to_numpy(dtype=float, na_value=np.nan)[todo]
        lon = df["lon"].to_numpy(dtype=float, na_value=np.nan)[todo]
        codes, how = assign_areas(lat, lon, self._area_set, kind="buurt")
        idx = df.index[todo]
        df.loc[idx, "buurt_code"] = pd.Series(codes, index=idx, dtype=object)
        bron.loc[idx] = pd.Series(how, index=idx, dtype=object)

    # ---------------------------------------------------------------- per file
    def write_file(self, name: str, df: pd.DataFrame) -> None:
        """Write a validated chunk of file ``name``: its node and its edges as declared in
        :data:`netwerk.ingest.schema.FILES` (after the file's own preparation step, if any)."""
        spec = FILES[name]
        prepare = getattr(self, f"_prepare_{name}", None)
        if prepare is not None:
            df = prepare(df)
        together = self._with_node(spec)
        if spec.label is not None:
            self._nodes(spec.label, df, [c for c in spec.node_columns if c in df.columns], together)
        for e in spec.edges:
            if e in together:
                continue
            part = df if e.kind is None else df[df["kind"] == e.kind]
            if e.if_exists:
                has = part[e.end].notna()
                keep = np.zeros(len(part), dtype=bool)
                if has.any():
                    keep[np.flatnonzero(has.to_numpy())] = self.exists(e.end_label, part.loc[has, e.end])
                part = part[keep]
            self._rels(e.rel, part, e.start, e.end, list(e.props), e.start_label, e.end_label)

    def _prepare_addresses(self, df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        bron = _given(df["buurt_code"])
        self._buurt_of_location(df, bron)
        df["buurt_bron"] = bron
        df["wijk_code"] = df["wijk_code"].where(df["wijk_code"].notna(), wijk_of(df["buurt_code"]))
        self._area_codes(df["buurt_code"])
        has = df["buurt_code"].notna()
        self._address_buurt.update(zip(df.loc[has, "address_id"], df.loc[has, "buurt_code"], strict=True))
        return df

    def _prepare_signals(self, df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        domain, kind = self.categories.match(df["category"], df["subcategory"])
        df["domain"] = domain.to_numpy(dtype=object)
        names = (df["category"].fillna("") + " / " + df["subcategory"].fillna("")).str.strip(" /")
        for what, counts in (("onbekend", self.unknown_categories), ("hoofdcategorie", self.main_fallbacks)):
            hit = (kind == what).to_numpy()
            if hit.any():
                for cat, n in names[hit].value_counts().items():
                    counts[str(cat)] = counts.get(str(cat), 0) + int(n)
        bron = _given(df["buurt_code"])
        if self._address_buurt:
            buurt = df["buurt_code"].to_numpy(dtype=object)
            get = self._address_buurt.get
            filled = [get(a) if b is None and a is not None else b
                      for a, b in zip(df["address_id"].to_numpy(dtype=object), buurt, strict=True)]
            df["buurt_code"] = pd.Series(filled, index=df.index, dtype=object)
            bron = bron.where(bron.notna() | df["buurt_code"].isna(), "adres")
        self._buurt_of_location(df, bron)
        df["buurt_bron"] = bron
        self._area_codes(df["buurt_code"])
        return df

    def settle(self, name: str, later: Iterable[str]) -> None:
        """File ``name`` is written: tell the store which tables it wrote that no ``later`` file writes
        (:meth:`GraphStore.settle`: the embedded store then builds their indexes while the next files load)."""
        if not self.write:
            return
        labels, types = _tables(name)
        for other in later:
            more_labels, more_types = _tables(other)
            labels, types = labels - more_labels, types - more_types
        if labels or types:
            done = sorted(labels), sorted(types)
            self.writes.submit(lambda: self._target.settle(*done))

    def handler(self, name: str) -> Callable[[pd.DataFrame], None]:
        return lambda df: self.write_file(name, df)
