"""Youth-to-adult links into ondermijning clusters (shared with ``netwerk.youth``)."""

from __future__ import annotations

from netwerk.frames import Frames
from netwerk.indicators.base import Context, Evidence, Flag, indicator
from netwerk.indicators.data import iso


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
    links = youth_adult_links(
        frames, adults=flagged, since=iso(ctx.start), until=iso(ctx.end), max_age=cfg.youth_age
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
