"""Youth-to-adult links into ondermijning clusters (shared with ``netwerk.youth``)."""

from __future__ import annotations

from dataclasses import replace

from netwerk.frames import Frames, period
from netwerk.indicators.base import Context, Evidence, Flag, indicator


def link_frames(frames: Frames, since: str, until: str) -> Frames:
    """The frames cut to what :func:`~netwerk.youth.roles.youth_adult_links` needs for the period: the
    signal-person rows of persons who share a signal of the period with another person (every youth-adult
    link is such a pair; their whole history stays, so the adults' ondermijning signals are all counted) and
    the signals those rows name. Same links from a fraction of the rows."""
    start, end = period(frames, since, until)
    sig, sp = frames.signals, frames.signal_persons
    when = sig["reported_at"]
    in_period = sp[sp["signal_id"].isin(sig.loc[((when >= start) & (when <= end)).to_numpy(), "signal_id"])]
    in_period = in_period.drop_duplicates(["signal_id", "person_id"])
    shared = in_period["signal_id"].duplicated(keep=False).to_numpy()  # a signal with two or more persons
    sp = sp[sp["person_id"].isin(in_period.loc[shared, "person_id"])]
    return replace(frames, signals=sig[sig["signal_id"].isin(sp["signal_id"])], signal_persons=sp)


@indicator("youth_links", "Jongeren verbonden aan ondermijningscluster", "entree", ("person",))
def youth_links(frames: Frames, ctx: Context) -> list[Flag]:
    """Adults who share a signal with a youth and are flagged or involved in ondermijning signals.

    What: :func:`netwerk.youth.roles.youth_adult_links` (one shared signal in the period between a
    youth aged 12-``youth_age`` and an older adult) for adults flagged by another indicator or
    involved in ondermijning/drugs signals themselves. Flag at ``min_youth_links`` (1) youth. Why:
    recruiting youths (koeriers, uitkijk) is how criminal networks grow (barrier *entree*).
    Confounders: parents/teachers in the same nuisance signal only count when the adult has an
    ondermijning history or flag. Strength: 0.5 per youth, at most 1.
    """
    from netwerk.youth.roles import youth_adult_links

    cfg = ctx.config
    flagged = {f.subject_id for f in ctx.flags if f.subject_type == "person"}
    for f in ctx.flags:
        if f.subject_type == "address":
            flagged |= set(f.evidence.persons)
    since, until = ctx.start.strftime("%Y-%m-%d"), ctx.end.strftime("%Y-%m-%d")  # as iso()
    links = youth_adult_links(
        link_frames(frames, since, until), adults=flagged, since=since, until=until, max_age=cfg.youth_age
    )
    if links.empty:
        return []
    n = links.groupby("adult")["youth"].nunique()
    flags = []
    for adult, g in links[links["adult"].isin(n[n >= cfg.min_youth_links].index)].groupby("adult"):
        k = int(n[adult])
        sigs = set(g["signal_id"].astype(str))
        for ids in g["adult_criminal_signal_ids"]:
            sigs |= {x for x in str(ids).split(",") if x}
        flags.append(Flag(
            indicator="youth_links",
            subject_type="person",
            subject_id=str(adult),
            barrier="entree",
            value=float(k),
            threshold=float(cfg.min_youth_links),
            strength=min(1.0, 0.5 * k),
            reason=f"samen met {k} jongere(n) in een melding; {g['evidence'].iloc[0]}",
            evidence=Evidence(
                persons=tuple(sorted({str(adult), *g["youth"].astype(str)})), signals=tuple(sorted(sigs))
            ),
        ))
    return flags
