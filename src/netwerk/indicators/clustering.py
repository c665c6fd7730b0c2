"""Clustering of ondermijning signals (hennep/drugs, Meld Misdaad Anoniem, woningdelen/spookburgers,
mensenhandel) around linked persons, addresses and businesses."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from netwerk.frames import Frames
from netwerk.indicators.base import Context, Evidence, Flag, count_strength, indicator
from netwerk.indicators.config import IndicatorConfig
from netwerk.indicators.data import overlapping, runs
from netwerk.indicators.labour import leading_roles

_EVIDENCE_FIELD = {"address": "addresses", "person": "persons", "business": "businesses"}


@cache
def _names_of(slugs: tuple[str, ...]) -> tuple[str, ...]:
    from netwerk.ingest.categories import BUILTIN

    table = pd.read_csv(BUILTIN, dtype=str, keep_default_na=False)
    hit = table[table["sub_slug"].isin(slugs)]
    return tuple(sorted({s.casefold() for s in slugs} | set(hit["sub_name"].str.casefold())))


def cluster_terms(config: IndicatorConfig) -> list[str]:
    """Lower-case sub category slugs and names that count as ondermijning signals (``$subcategories``)."""
    return list(_names_of(tuple(config.cluster_subcategories)))


def cluster_signals(frames: Frames, ctx: Context) -> pd.DataFrame:
    """Signals of the look-back window in the ondermijning domain or a configured sub category."""
    s = frames.signals
    since, until = ctx.window_start(ctx.config.cluster_days), ctx.end
    terms = cluster_terms(ctx.config)
    codes, uniq = pd.factorize(s["subcategory"])  # each distinct sub category cleaned once
    term = pd.Series(uniq, dtype=object).astype(str).str.strip().str.casefold().isin(terms).to_numpy()
    sub = np.append(term, "" in terms)[codes]  # code -1 (missing): the last, as empty text
    keep = (s["domain"].eq("ondermijning").to_numpy() | sub) & (
        s["reported_at"] >= since
    ).to_numpy() & (s["reported_at"] <= until).to_numpy()
    return s.loc[keep, ["signal_id", "address_id", "reported_at", "subcategory"]]


def cluster_links(frames: Frames, ctx: Context) -> pd.DataFrame:
    """subject_type, subject_id, signal_id, via: every ondermijning signal linked to a subject.

    Address: signals at the address, signals involving a person registered there in the period, and
    signals at another address that shares a registered person with it in the period. Person:
    signals involving the person (not as melder) and signals at the address of a business they own or
    direct. Business: signals at its address and signals involving its owners/directors.
    """
    sig = cluster_signals(frames, ctx)
    at = sig[["signal_id", "address_id"]].dropna()
    sp = frames.signal_persons
    inv = sp[sp["signal_id"].isin(sig["signal_id"]) & ~sp["role"].eq("melder")][["signal_id", "person_id"]]
    regs = overlapping(frames.registrations, ctx.start, ctx.end)[["person_id", "address_id"]]
    # only the registrations a join below can match (same rows, same order): of persons involved in a
    # signal or registered at an address with signals; the pairs only towards such an address
    signalled = regs["address_id"].isin(at["address_id"]).to_numpy()
    person = regs["person_id"]
    keep = person.isin(np.concatenate([inv["person_id"].to_numpy(), person.to_numpy()[signalled]])).to_numpy()
    regs = regs[keep].drop_duplicates()
    pairs = regs.merge(regs[regs["address_id"].isin(at["address_id"])], on="person_id", suffixes=("", "_other"))
    pairs = pairs[pairs["address_id"] != pairs["address_id_other"]][["address_id", "address_id_other"]]
    pairs = pairs.drop_duplicates()
    biz = frames.businesses[["business_id", "address_id"]].dropna()
    lead = leading_roles(frames, ctx.start, ctx.end)[["business_id", "person_id"]].drop_duplicates()
    parts = [
        at.assign(subject_type="address", subject_id=at["address_id"], via="op adres"),
        inv.merge(regs, on="person_id").assign(subject_type="address", via="bewoner betrokken")
        .rename(columns={"address_id": "subject_id"}),
        at.rename(columns={"address_id": "address_id_other"}).merge(pairs, on="address_id_other")
        .assign(subject_type="address", via="gedeelde bewoner").rename(columns={"address_id": "subject_id"}),
        inv.assign(subject_type="person", subject_id=inv["person_id"], via="betrokken"),
        at.merge(biz, on="address_id").merge(lead, on="business_id")
        .assign(subject_type="person", via="adres eigen onderneming").rename(columns={"person_id": "subject_id"}),
        at.merge(biz, on="address_id").assign(subject_type="business", via="op vestigingsadres")
        .rename(columns={"business_id": "subject_id"}),
        inv.merge(lead, on="person_id").assign(subject_type="business", via="eigenaar/bestuurder betrokken")
        .rename(columns={"business_id": "subject_id"}),
    ]
    cols = ["subject_type", "subject_id", "signal_id", "via"]
    out = pd.concat([p[cols] for p in parts], ignore_index=True)
    return out.drop_duplicates(["subject_type", "subject_id", "signal_id"]).astype(str)


@indicator("signal_cluster", "Cluster van ondermijningssignalen", "entree",
           ("address", "person", "business"))
def signal_cluster(frames: Frames, ctx: Context) -> list[Flag]:
    """Subjects with at least ``min_cluster_signals`` (2) ondermijning signals around them.

    What: signals of the last ``cluster_days`` (730) in the ondermijning domain or one of
    ``cluster_subcategories`` (hennepteelt, drugshandel, Meld Misdaad Anoniem, woningdelen /
    spookburgers, wonen-ondermijning, mensenhandel) linked to the subject (see :func:`cluster_links`).
    Why: separate weak signals from different sources (partners, MMA, residents) about the same
    persons and addresses together form a picture worth investigating (barrier *entree*: the first
    sign of a criminal foothold). Confounders: one anonymous tip never flags; melders do not count.
    Strength: count / (2 x threshold), between 0.5 and 1.
    """
    cfg = ctx.config
    links = cluster_links(frames, ctx)
    by_subject = links.groupby(["subject_type", "subject_id"])
    n = by_subject["signal_id"].nunique()
    hit = n[n >= cfg.min_cluster_signals]
    if hit.empty:
        return []
    keep = np.append(n.to_numpy() >= cfg.min_cluster_signals, False)[by_subject.ngroup().to_numpy()]  # -1: no key
    sel = links[keep].sort_values(["subject_type", "subject_id", "signal_id"])
    vias: dict[tuple[str, str], list[str]] = {}
    for (st, sid, v), c in sel.groupby(["subject_type", "subject_id", "via"]).size().items():
        vias.setdefault((st, sid), []).append(f"{v}: {c}")
    group = sel.groupby(["subject_type", "subject_id"]).ngroup().to_numpy()
    count = hit.to_dict()
    types, ids, signals = (sel[c].to_numpy() for c in ("subject_type", "subject_id", "signal_id"))
    flags = []
    for _, i, j in runs(group):
        st, sid = types[i], ids[i]
        k = int(count[st, sid])
        via = ", ".join(vias[st, sid])
        flags.append(Flag(
            indicator="signal_cluster",
            subject_type=st,
            subject_id=sid,
            barrier="entree",
            value=float(k),
            threshold=float(cfg.min_cluster_signals),
            strength=count_strength(k, cfg.min_cluster_signals),
            reason=f"{k} ondermijningsmeldingen in de laatste {cfg.cluster_days} dagen ({via})",
            evidence=Evidence(
                signals=tuple(sorted(set(signals[i:j]))),
                **{_EVIDENCE_FIELD[st]: (sid,)},
            ),
        ))
    return flags
