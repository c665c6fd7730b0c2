"""Writing the canonical import format v1 (CSV folder) and the ground truth with raw ids."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netwerk.ingest.schema import FILES
from netwerk.synth.names import bsns
from netwerk.synth.signals import N_PARTNERS, PARTNER_IDS, PARTNERS, ROLES, Categories, SignalArrays
from netwerk.synth.world import END, N_DAYS, START, World

#: format-v1 columns per file as the generator writes them (WGS84 lat/lon), from the one format definition
COLUMNS = {name: [c.name for c in spec.columns if c.name not in ("x", "y")] for name, spec in FILES.items()}
#: the same with RD New coordinates (``--rd``): ``x``/``y`` in place of ``lat``/``lon``
COLUMNS_RD = {name: [{"lat": "x", "lon": "y"}.get(c, c) for c in cols] for name, cols in COLUMNS.items()}
CHUNK = 100_000


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill((np.asarray(numbers) + 1).astype(str), width)).astype(object)


def _dates(d: np.ndarray) -> np.ndarray:
    """datetime64[D] -> ISO strings, NaT -> ''."""
    s = np.datetime_as_string(np.asarray(d, dtype="datetime64[D]"), unit="D").astype(object)
    s[np.isnat(np.asarray(d, dtype="datetime64[D]"))] = ""
    return s


def _write(out: Path, name: str, df: pd.DataFrame, mode: str = "w", header: bool = True, rd: bool = False) -> None:
    if rd and "lat" in df:
        from netwerk.geo.coords import wgs84_to_rd

        x, y = wgs84_to_rd(df["lat"].to_numpy(float), df["lon"].to_numpy(float))
        df = df.assign(x=_metres(x), y=_metres(y))
    df.reindex(columns=(COLUMNS_RD if rd else COLUMNS)[name]).to_csv(
        out / f"{name}.csv", index=False, mode=mode, header=header, lineterminator="\n", float_format="%.6f",
        encoding="utf-8")


def _metres(v: np.ndarray) -> np.ndarray:
    """RD coordinates as text with centimetres; NaN -> ''."""
    s = np.char.mod("%.2f", np.nan_to_num(v)).astype(object)
    s[np.isnan(v)] = ""
    return s


class Writer:
    """Assigns raw ids and writes every table; keeps the id maps for the ground truth."""

    def __init__(self, w: World, out: Path, tick: Callable[[], None], rd: bool = False,
                 bag: tuple[pd.DataFrame, list[dict[str, Any]]] | None = None) -> None:
        self.w, self.out, self.tick, self.rd = w, out, tick, rd
        rng = w.rng
        self.pid = _ids("P", rng.permutation(w.n_persons), 7)
        self.addr, self.bag = (w.addr, []) if bag is None else bag
        self.aid = self.addr["address_id"].to_numpy().astype(object)
        self.partner_of = {key: p[0] for key, p in zip(PARTNER_IDS, w.layout.partners, strict=True)}
        n_biz = len(w.biz_bg) + len(w.business_rows)
        self.bid = _ids("B", rng.permutation(n_biz), 6)
        self.gid = np.char.add("JG-", rng.choice(900, len(w.groups), replace=False).astype(str)).astype(object)
        self.cid = _ids("C-", rng.permutation(len(w.case_rows)), 4)
        self.rank = np.empty(0, dtype=np.int64)  # signal row -> position in time order
        self.counts: dict[str, int] = {}

    def sid(self, rows: Any) -> np.ndarray:
        """Signal ids of combined signal rows (planted rows first, then background)."""
        return _ids("S", self.rank[np.asarray(rows, dtype=np.int64)], 7)

    def static_tables(self) -> None:
        w, out = self.w, self.out
        a = self.addr
        addr = a.assign(lat=a["lat"].round(6), lon=a["lon"].round(6), floor_area_m2=a["area"].astype(int))
        _write(out, "addresses", addr, rd=self.rd)
        blk = w.person_blocks
        birth = np.concatenate([b["birth"] for b in blk])
        order = np.argsort(self.pid)
        persons = pd.DataFrame({
            "person_id": self.pid, "bsn": bsns(w.rng, w.n_persons),
            "first_name": np.concatenate([b["first"] for b in blk]),
            "last_name": np.concatenate([b["last"] for b in blk]),
            "birth_date": _dates(birth), "birth_year": birth.astype("datetime64[Y]").astype(int) + 1970,
            "gender": np.concatenate([b["gender"] for b in blk]),
        }).iloc[order]
        _write(out, "persons", persons)
        self.tick()
        r = {k: np.concatenate([b[k] for b in w.reg_blocks]) for k in ("person", "address", "start", "end")}
        regs = pd.DataFrame({"person_id": self.pid[r["person"]], "address_id": self.aid[r["address"]],
                             "start_date": _dates(r["start"]), "end_date": _dates(r["end"])})
        regs = regs.drop_duplicates(["person_id", "address_id", "start_date"]).sort_values(
            ["person_id", "start_date"], kind="stable")
        _write(out, "registrations", regs)
        _write(out, "partners", pd.DataFrame(w.layout.partners, columns=COLUMNS["partners"]))
        biz = pd.concat([w.biz_bg, pd.DataFrame(w.business_rows)], ignore_index=True)
        _write(out, "businesses", pd.DataFrame({
            "business_id": self.bid, "name": biz["name"], "sbi_code": biz["sbi"], "sector": biz["sector"],
            "address_id": self.aid[biz["address"].to_numpy(int)],
            "registered_at": _dates(biz["registered"].to_numpy("datetime64[D]")),
        }).sort_values("business_id"))
        bp = pd.concat([w.bp_bg, pd.DataFrame(w.bp_rows)], ignore_index=True)
        bp = bp.drop_duplicates(["business", "person", "role"])
        _write(out, "business_persons", pd.DataFrame({
            "business_id": self.bid[bp["business"].to_numpy(int)], "person_id": self.pid[bp["person"].to_numpy(int)],
            "role": bp["role"], "start_date": _dates(bp["start"].to_numpy("datetime64[D]")),
            "end_date": _dates(bp["end"].to_numpy("datetime64[D]")),
        }).sort_values(["business_id", "role", "start_date"], kind="stable"))
        _write(out, "youth_groups", pd.DataFrame({
            "group_id": self.gid, "name": [g["name"] for g in w.groups],
            "classification": [g["classification"] for g in w.groups], "buurt_code": [g["buurt"] for g in w.groups],
        }).sort_values("group_id"))
        _write(out, "group_members", pd.DataFrame({
            "group_id": self.gid[[g for g, _, _ in w.group_members]],
            "person_id": self.pid[[p for _, p, _ in w.group_members]],
            "since": _dates(np.array([s for _, _, s in w.group_members], dtype="datetime64[D]")),
        }).sort_values(["group_id", "person_id"]))
        self.counts.update(persons=w.n_persons, addresses=len(a), registrations=len(regs), partners=len(PARTNERS),
                           businesses=len(biz), business_persons=len(bp), youth_groups=len(w.groups),
                           group_members=len(w.group_members))
        self.tick()

    def signals(self, bg: SignalArrays, cats: Categories, desc_list: list[str]) -> None:
        """Planted rows first, then background; ids follow reporting time. Written in chunks."""
        w, b = self.w, self.w.buurten
        ps = w.planted_signals
        desc_index = {d: i for i, d in enumerate(desc_list)}
        for s in ps:
            if s["description"] not in desc_index:
                desc_index[s["description"]] = len(desc_list)
                desc_list.append(s["description"])
        bcode = {c: i for i, c in enumerate(b.code)}
        t0 = START.astype("datetime64[s]")
        pt = np.array([(s["ts"] - t0).astype(np.int64) for s in ps], dtype=np.int64)
        p_src = np.array([N_PARTNERS + int(s["source"][7:]) if s["source"].startswith("melder-")
                          else PARTNER_IDS.index(s["source"]) for s in ps], dtype=np.int64)
        t = np.concatenate([pt, bg.t])
        cat = np.concatenate([[cats.index(s["category"], s["subcategory"]) for s in ps], bg.cat]).astype(int)
        src = np.concatenate([p_src, bg.src])
        address = np.concatenate([[s["address"] for s in ps], bg.address]).astype(int)
        lat = np.concatenate([[s["lat"] for s in ps], bg.lat]).astype(float)
        lon = np.concatenate([[s["lon"] for s in ps], bg.lon]).astype(float)
        buurt = np.concatenate([[bcode.get(s["buurt"], -1) for s in ps], bg.buurt]).astype(int)
        desc = np.concatenate([[desc_index[s["description"]] for s in ps], bg.desc]).astype(int)
        order = np.argsort(t, kind="stable")
        rank = np.empty(t.size, dtype=np.int64)
        rank[order] = np.arange(t.size)
        self.rank = rank
        age_days = N_DAYS - 1 - t // 86400
        u = w.rng.random(t.size)
        status = np.where(age_days < 14, np.where(u < 0.6, 0, 1),
                          np.where(age_days < 60, np.where(u < 0.4, 1, 2), np.where(u < 0.04, 1, 2))).astype(np.int8)
        status_names = np.array(["gemeld", "in behandeling", "afgehandeld"], dtype=object)
        partner_ids = np.array([self.partner_of[k] for k in PARTNER_IDS], dtype=object)
        descs = np.array(desc_list, dtype=object)
        for k in range(0, t.size, CHUNK):
            o = order[k : k + CHUNK]
            so = src[o]
            melder = np.char.add("melder-", (so - N_PARTNERS).astype(str)).astype(object)
            df = pd.DataFrame({
                "signal_id": self.sid(o),
                "reported_at": np.datetime_as_string(t0 + t[o].astype("timedelta64[s]"), unit="s"),
                "category": cats.main[cat[o]], "subcategory": cats.sub[cat[o]],
                "source": np.where(so < N_PARTNERS, partner_ids[np.minimum(so, N_PARTNERS - 1)], melder),
                "address_id": np.where(address[o] >= 0, self.aid[np.maximum(address[o], 0)], ""),
                "lat": np.round(lat[o], 6), "lon": np.round(lon[o], 6),
                "buurt_code": np.where(buurt[o] >= 0, b.code[np.maximum(buurt[o], 0)], ""),
                "description": descs[desc[o]], "status": status_names[status[o]],
            })
            _write(self.out, "signals", df, mode="w" if k == 0 else "a", header=k == 0, rd=self.rd)
            self.tick()
        n_p = len(ps)
        sp_sig = np.concatenate([[k for k, _, _ in w.planted_sp], n_p + bg.sp_row]).astype(int)
        sp_person = np.concatenate([[p for _, p, _ in w.planted_sp], bg.sp_person]).astype(int)
        sp_role = np.concatenate([np.array([r for _, _, r in w.planted_sp], dtype=object),
                                  ROLES[bg.sp_role].astype(object)])
        sp = pd.DataFrame({"rank": rank[sp_sig], "signal_id": self.sid(sp_sig), "person_id": self.pid[sp_person],
                           "role": sp_role}).drop_duplicates(["signal_id", "person_id"])
        _write(self.out, "signal_persons", sp.sort_values(["rank", "person_id"], kind="stable"))
        self.counts.update(signals=int(t.size), signal_persons=len(sp))

    def cases(self) -> None:
        w = self.w
        rows = w.case_rows
        _write(self.out, "cases", pd.DataFrame({
            "case_id": self.cid, "opened_at": _dates(np.array([r["opened"] for r in rows], dtype="datetime64[D]")),
            "closed_at": _dates(np.array([r["closed"] or "NaT" for r in rows], dtype="datetime64[D]")),
            "phase": [r["phase"] for r in rows], "title": [r["title"] for r in rows],
            "domain": [r["domain"] for r in rows],
        }).sort_values("case_id"))
        ref = {"person": lambda r: self.pid[r], "address": lambda r: self.aid[r], "signal": lambda r: self.sid([r])[0],
               "partner": lambda r: self.partner_of[r]}
        links = pd.DataFrame({
            "case_id": [self.cid[c] for c, _, _, _ in w.case_links], "kind": [k for _, k, _, _ in w.case_links],
            "ref_id": [ref[k](r) for _, k, r, _ in w.case_links],
            "role": [r for _, _, _, r in w.case_links],
        })
        _write(self.out, "case_links", links.sort_values(["case_id", "kind"], kind="stable"))
        self.counts.update(cases=len(rows), case_links=len(links))

    def ground_truth(self, seed: int, size: str, bg_youths: list[int]) -> dict[str, Any]:
        """The planted truth with raw ids (as written in the CSVs)."""
        g, P, A = self.w.gt, self.pid, self.aid

        def ps(xs: list[int]) -> list[str]:
            return [str(P[x]) for x in xs]

        def ss(xs: list[int]) -> list[str]:
            return [str(x) for x in self.sid(xs)]

        lay = self.w.layout
        locations = [{**h, "signal_ids": ss(h["signal_ids"])} for h in g["location_hotspots"]]
        if self.rd:
            from netwerk.geo.coords import wgs84_to_rd

            for h in locations:
                x, y = wgs84_to_rd(h["lat"], h["lon"])
                h.update(x=round(float(x), 2), y=round(float(y), 2))
        return {
            "seed": seed, "size": size, "gemeente": {"code": lay.code, "name": lay.name},
            "coordinates": "rd" if self.rd else "wgs84",
            "start_date": str(START), "end_date": str(END), "counts": self.counts,
            "address_hotspots": [{**h, "address_id": str(A[h["address_id"]]), "signal_ids": ss(h["signal_ids"]),
                                  "sources": sorted(self.partner_of.get(x, x) for x in h["sources"])}
                                 for h in g["address_hotspots"]],
            "location_hotspots": locations,
            "fenomeen_areas": [{**f, "address_ids": [str(A[a]) for a in f["address_ids"]],
                                "signal_ids": ss(f["signal_ids"])} for f in g["fenomeen_areas"]],
            "burst": {**g["burst"], "address_id": str(A[g["burst"]["address_id"]]),
                      "date": str(START + np.timedelta64(g["burst"]["date"], "D")),
                      "signal_ids": ss(g["burst"]["signal_ids"])},
            "youth_groups": [{
                **y, "members": ps(y["members"]), "registered_members": ps(y["registered_members"]),
                "ex_members": ps(y["ex_members"]), "signal_ids": ss(y["signal_ids"]),
                "registered_group_id": None if y["registered_group_id"] is None
                else str(self.gid[y["registered_group_id"]]),
            } for y in g["youth_groups"]],
            "youth_fights": [{**f, "signal_id": ss([f["signal_id"]])[0]} for f in g["youth_fights"]],
            "loose_youths": ps(g["loose_youths"] + bg_youths),
            "youth_adult_links": [{"youth": str(P[x["youth"]]), "adult": str(P[x["adult"]]),
                                   "signal_id": ss([x["signal_id"]])[0]} for x in g["youth_adult_links"]],
            "rings": [{**r, "addresses": [str(A[a]) for a in r["addresses"]],
                       "businesses": [str(self.bid[b]) for b in r["businesses"]],
                       "facilitator": str(P[r["facilitator"]]), "straw_men": ps(r["straw_men"]),
                       "workers": ps(r["workers"]), "signal_ids": ss(r["signal_ids"])} for r in g["rings"]],
            "confounders": {k: ([str(A[a]) for a in v] if isinstance(v, list) else str(A[v]))
                            for k, v in g["confounders"].items()},
            "cases": sorted(str(self.cid[c]) for c in g["cases"]),
            "bag_house_numbers": self.bag,
        }
