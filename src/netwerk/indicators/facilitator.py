"""Facilitator: one person behind several flagged businesses and addresses."""

from __future__ import annotations

import pandas as pd

from netwerk.frames import Frames
from netwerk.indicators.base import Context, Evidence, Flag, count_strength, indicator
from netwerk.indicators.data import overlapping, reg_records, role_records, runs
from netwerk.indicators.labour import leading_roles
from netwerk.indicators.strawmen import successions

#: Indicators whose flagged subjects a facilitator can be linked to.
BUSINESS_INDICATORS = ("labour_dependency", "straw_men")
ADDRESS_INDICATORS = ("overcrowding", "turnover")


def facilitator_links(
    frames: Frames, ctx: Context, flagged_businesses: set[str], flagged_addresses: set[str]
) -> pd.DataFrame:
    """Every link of a person to a flagged business or address.

    Returns person_id, kind ('business' or 'address'), ref (business/address id), via ('rol',
    'inschrijving', 'vestiging') and the role/registration row it rests on. A role that is itself one
    of the business's quick successions (a straw man's) does not count as a business link: the
    facilitator is the one who stays behind the straw men.
    """
    roles = leading_roles(frames)
    roles = roles[roles["start_date"].isna() | (roles["start_date"] <= ctx.end)]
    succ = successions(frames, ctx)[["business_id", "person_id", "role"]].assign(_succ=True)
    roles = roles.merge(succ, on=["business_id", "person_id", "role"], how="left")
    roles = roles[roles["_succ"].isna()].drop(columns="_succ")
    biz = roles[roles["business_id"].isin(flagged_businesses)].assign(
        kind="business", ref=lambda d: d["business_id"], via="rol"
    )
    regs = overlapping(frames.registrations, ctx.start, ctx.end)
    adr = regs[regs["address_id"].isin(flagged_addresses)].assign(
        kind="address", ref=lambda d: d["address_id"], via="inschrijving"
    )
    located = frames.businesses[["business_id", "address_id"]].dropna()
    located = located[located["address_id"].isin(flagged_addresses)]
    landlord = overlapping(roles, ctx.start, ctx.end).merge(located, on="business_id").assign(
        kind="address", ref=lambda d: d["address_id"], via="vestiging"
    )
    return pd.concat([biz, adr, landlord], ignore_index=True)


@indicator("facilitator", "Facilitator (spil achter meerdere signalen)", "financien", ("person",))
def facilitator(frames: Frames, ctx: Context) -> list[Flag]:
    """Persons linked to at least ``min_facilitator_links`` (2) flagged businesses/addresses.

    What: links of a person to businesses flagged for labour dependency or straw men (an
    owner/director role that is not itself a quick succession: the person behind the straw men) and
    to addresses flagged for overcrowding or turnover (a registration of their own there in the
    period, or owner/director of a business located there: the landlord role). At least one link must
    be a business link. Why: exploitation needs someone who arranges work, housing and money at once
    (barrier *financiën*; also entree/huisvesting). Confounders: workers who move between flagged
    addresses have no business link; straw men are excluded by their quick-succession role.
    Strength: links / (2 x threshold), between 0.5 and 1.
    """
    cfg = ctx.config
    fb = ctx.flagged("business", BUSINESS_INDICATORS)
    fa = ctx.flagged("address", ADDRESS_INDICATORS)
    links = facilitator_links(frames, ctx, fb, fa)
    if links.empty:
        return []
    uniq = links.drop_duplicates(["person_id", "kind", "ref"])
    per = pd.DataFrame({
        "n": uniq.groupby("person_id").size(),
        "n_biz": uniq["kind"].eq("business").groupby(uniq["person_id"]).sum(),
    })
    hit = per[(per["n"] >= cfg.min_facilitator_links) & (per["n_biz"] >= 1)]
    sel = links[links["person_id"].isin(hit.index)].sort_values("person_id", kind="stable")
    reg = sel["via"].eq("inschrijving").to_numpy()
    regs, roles = sel[reg], sel[~reg].drop_duplicates(["person_id", "business_id", "role"])
    reg_recs, role_recs = reg_records(regs), role_records(roles)
    reg_at = {p: (i, j) for p, i, j in runs(regs["person_id"].to_numpy())}
    role_at = {p: (i, j) for p, i, j in runs(roles["person_id"].to_numpy())}
    kind, ref = sel["kind"].to_numpy(), sel["ref"].to_numpy()
    flags = []
    for p, i, j in runs(sel["person_id"].to_numpy()):
        k = int(hit.at[p, "n"])
        bs = sorted(set(ref[i:j][kind[i:j] == "business"]))
        ads = sorted(set(ref[i:j][kind[i:j] == "address"]))
        (ri, rj), (oi, oj) = reg_at.get(p, (0, 0)), role_at.get(p, (0, 0))
        flags.append(Flag(
            indicator="facilitator",
            subject_type="person",
            subject_id=str(p),
            barrier="financien",
            value=float(k),
            threshold=float(cfg.min_facilitator_links),
            strength=count_strength(k, cfg.min_facilitator_links),
            reason=(
                f"verbonden met {len(bs)} gesignaleerde onderneming(en) als eigenaar/bestuurder en "
                f"{len(ads)} gesignaleerd(e) adres(sen) (eigen inschrijving of vestiging van eigen onderneming)"
            ),
            evidence=Evidence(
                persons=(str(p),),
                addresses=tuple(ads),
                businesses=tuple(bs),
                registrations=tuple(reg_recs[ri:rj]),
                roles=tuple(role_recs[oi:oj]),
            ),
        ))
    return flags
