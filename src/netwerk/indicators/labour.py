"""Labour dependency: many adults housed at addresses linked to one business or its owner."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netwerk.frames import Frames
from netwerk.indicators.base import Context, Evidence, Flag, indicator
from netwerk.indicators.data import adult_registrations, overlapping, reg_records, role_records, runs

LEADING_ROLES = ("eigenaar", "bestuurder")


def leading_roles(frames: Frames, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Owner/director roles (overlapping the period when given)."""
    bp = frames.business_persons
    bp = bp[bp["role"].isin(LEADING_ROLES)]
    return bp if start is None or end is None else overlapping(bp, start, end)


def dependent_housing(frames: Frames, ctx: Context) -> pd.DataFrame:
    """Per business the adults registered (in the period) at its linked addresses.

    Linked addresses: the business's own address, every address where one of its owners/directors
    (role in the period) was registered in the period, and every address where at least
    ``min_coworkers`` of its werknemers were registered in the period. Owners/directors of the
    business themselves are not counted. Returns business_id, address_id, link ('vestiging' or
    'eigenaar'), person_id, start_date, end_date, werknemer (bool: a werknemer role at the business in
    the period).
    """
    regs = adult_registrations(frames, ctx)
    lived = regs[["person_id", "address_id"]]
    biz = frames.businesses[["business_id", "address_id"]].dropna().assign(link="vestiging")
    lead = leading_roles(frames, ctx.start, ctx.end)[["business_id", "person_id"]]
    # each join below first cut to the persons it can match (same rows, same order)
    owner_addr = lead.merge(lived[lived["person_id"].isin(lead["person_id"])], on="person_id")[
        ["business_id", "address_id"]
    ]
    bp = overlapping(frames.business_persons, ctx.start, ctx.end)
    workers = bp.loc[bp["role"].eq("werknemer"), ["business_id", "person_id"]].drop_duplicates()
    shared = workers.merge(lived[lived["person_id"].isin(workers["person_id"])].drop_duplicates(), on="person_id")
    shared = shared.groupby(["business_id", "address_id"])["person_id"].nunique().reset_index()
    shared = shared.loc[shared["person_id"] >= ctx.config.min_coworkers, ["business_id", "address_id"]]
    links = pd.concat(
        [biz, owner_addr.assign(link="eigenaar"), shared.assign(link="werknemers")], ignore_index=True
    )
    links = links.drop_duplicates(["business_id", "address_id"])
    housed = links.merge(regs, on="address_id")
    all_lead = leading_roles(frames)[["business_id", "person_id"]].drop_duplicates().assign(_lead=True)
    housed = housed.merge(all_lead, on=["business_id", "person_id"], how="left")
    housed = housed[housed["_lead"].isna()].drop(columns="_lead")
    work = workers.assign(werknemer=True)
    housed = housed.merge(work, on=["business_id", "person_id"], how="left")
    housed["werknemer"] = housed["werknemer"].eq(True)
    return housed


def _legitimate(frames: Frames, ctx: Context, housed: pd.DataFrame) -> pd.Series:
    """True for rows at legitimate labour-migrant housing of that business: logiesfunctie, at least
    ``max_m2_per_adult_logies`` m2 per housed adult, and at least ``legit_worker_share`` of them with a
    werknemer role at the business."""
    per = housed.drop_duplicates(["business_id", "address_id", "person_id"]).groupby(["business_id", "address_id"]).agg(
        n=("person_id", "nunique"), share=("werknemer", "mean")
    ).reset_index()
    adr = frames.addresses
    adr = adr[adr["address_id"].isin(per["address_id"])].set_index("address_id")
    per["purpose"] = per["address_id"].map(adr["purpose"])
    per["area"] = pd.to_numeric(per["address_id"].map(adr["floor_area_m2"]), errors="coerce")
    per["legit"] = (
        per["purpose"].eq("logiesfunctie")
        & (per["area"] / per["n"] >= ctx.config.max_m2_per_adult_logies)
        & (per["share"] >= ctx.config.legit_worker_share)
    )
    keyed = housed.merge(per[["business_id", "address_id", "legit"]], on=["business_id", "address_id"], how="left")
    return keyed["legit"].fillna(False).astype(bool)


@indicator("labour_dependency", "Afhankelijkheid van werkgever", "arbeid", ("business",))
def labour_dependency(frames: Frames, ctx: Context) -> list[Flag]:
    """Businesses with many adults housed at addresses linked to the business or its owner/director.

    What: distinct adults registered in the period at the business's own address, at addresses
    where one of its owners/directors was registered, or at addresses where at least
    ``min_coworkers`` (2) of its werknemers were registered (the owners/directors themselves excluded).
    Why: workers who live in housing of their employer depend on them for work and roof at once
    (barrier *arbeid*). Thresholds: ``min_dependent_adults`` (5) in a risk sector (``risk_sectors``,
    SBI prefix), ``min_dependent_adults_other`` (10) otherwise. Confounder: legitimate labour-migrant
    housing (logiesfunctie, >= ``max_m2_per_adult_logies`` m2 per adult, >= ``legit_worker_share`` with a
    werknemer role) is not counted. Strength: 0.5 at the threshold, 1 at twice the threshold.
    """
    cfg = ctx.config
    housed = dependent_housing(frames, ctx)
    if housed.empty:
        return []
    housed = housed[~_legitimate(frames, ctx, housed).to_numpy()]
    n = housed.groupby("business_id")["person_id"].nunique()
    biz = frames.businesses.set_index("business_id")
    sbi = n.index.to_series().map(biz["sbi_code"])
    codes, uniq = pd.factorize(sbi.to_numpy(), use_na_sentinel=False)  # each distinct code tested once
    risk = pd.Series(np.array([cfg.is_risk_sector(c) for c in uniq], dtype=bool)[codes], index=sbi.index)
    thr = risk.map({True: cfg.min_dependent_adults, False: cfg.min_dependent_adults_other}).astype(float)
    hit = n[n >= thr]
    roles = leading_roles(frames, ctx.start, ctx.end)
    roles = roles[roles["business_id"].isin(hit.index)].sort_values("business_id", kind="stable")
    role_recs = role_records(roles)
    role_at = {b: (i, j) for b, i, j in runs(roles["business_id"].to_numpy())}
    g = housed[housed["business_id"].isin(hit.index)].sort_values(
        ["business_id", "address_id", "person_id", "start_date"]
    )
    regs, person, address, werknemer = (
        reg_records(g), g["person_id"].to_numpy(), g["address_id"].to_numpy(), g["werknemer"].to_numpy(dtype=bool)
    )
    flags = []
    for b, i, j in runs(g["business_id"].to_numpy()):
        k, t = int(hit[b]), float(thr[b])
        sector = biz.at[b, "sector"] if "sector" in biz.columns else None
        persons, addresses = set(person[i:j]), set(address[i:j])
        workers = len(set(person[i:j][werknemer[i:j]]))
        ri, rj = role_at.get(b, (0, 0))
        flags.append(Flag(
            indicator="labour_dependency",
            subject_type="business",
            subject_id=str(b),
            barrier="arbeid",
            value=float(k),
            threshold=t,
            strength=min(1.0, 0.5 * k / t) if t else 1.0,
            reason=(
                f"{k} volwassenen ingeschreven op {len(addresses)} adres(sen) van de onderneming of "
                f"haar eigenaar/bestuurder ({workers} met werknemersrol); sector {sector or 'onbekend'} "
                f"(SBI {sbi[b] or '?'}){', risicosector' if risk[b] else ''}"
            ),
            evidence=Evidence(
                persons=tuple(sorted(persons)),
                addresses=tuple(sorted(addresses)),
                businesses=(str(b),),
                registrations=tuple(regs[i:j]),
                roles=tuple(role_recs[ri:rj]),
            ),
        ))
    return flags
