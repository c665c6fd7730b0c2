"""Explainable ranking of addresses, persons and businesses: a weighted sum of indicator strengths.

``score = sum(weight[indicator] x strength)`` over the subject's flags; every contribution is listed
and every indicator carries its evidence. No opaque model: the weights are in the config
(:data:`~netwerk.indicators.config.DEFAULT_WEIGHTS`) and documented in docs/indicators.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from netwerk.frames import Frames
from netwerk.indicators.base import BARRIERS, SUBJECTS, Flag, evidence_hash
from netwerk.indicators.config import IndicatorConfig

__all__ = ["DISCLAIMER", "STATUSES", "rank_flags", "rank_subjects"]

DISCLAIMER = "Signaal voor nader onderzoek, geen oordeel."
STATUSES = ("nieuw", "in onderzoek", "bevestigd", "afgewezen")
_LABELS = {"address": "Adres", "person": "Persoon", "business": "Onderneming"}


def _merge_evidence(flags: Sequence[Flag]) -> dict[str, Any]:
    out: dict[str, Any] = {k: set() for k in ("persons", "addresses", "businesses", "signals")}
    regs: dict[str, dict[str, Any]] = {}
    roles: dict[str, dict[str, Any]] = {}
    for f in flags:
        ev = f.evidence
        for k in out:
            out[k] |= set(getattr(ev, k))
        for r in ev.registrations:
            regs["{person_id}|{address_id}|{start_date}".format(**r)] = dict(r)
        for r in ev.roles:
            roles["{person_id}|{business_id}|{role}".format(**r)] = dict(r)
    merged = {k: sorted(v) for k, v in out.items()}
    merged["registrations"] = [regs[k] for k in sorted(regs)]
    merged["roles"] = [roles[k] for k in sorted(roles)]
    return merged


def rank_flags(
    flags: Sequence[Flag],
    subject: str = "address",
    *,
    config: IndicatorConfig | None = None,
    reviews: pd.DataFrame | None = None,
    include_dismissed: bool = False,
    top: int | None = None,
) -> list[dict[str, Any]]:
    """Rank the subjects of ``flags`` (see :func:`rank_subjects`); for callers that already have flags."""
    if subject not in SUBJECTS:
        raise ValueError(f"onbekend onderwerp {subject!r}; kies uit {', '.join(SUBJECTS)}")
    if top is not None and top < 1:
        raise ValueError(f"--top moet minstens 1 zijn, kreeg {top}")
    cfg = config or IndicatorConfig()
    by_subject: dict[str, list[Flag]] = {}
    for f in flags:
        if f.subject_type == subject:
            by_subject.setdefault(f.subject_id, []).append(f)
    review = _review_lookup(reviews, subject)
    out: list[dict[str, Any]] = []
    for sid, fl in by_subject.items():
        items: list[dict[str, Any]] = []
        contributions: dict[str, float] = {}
        for f in fl:
            w = cfg.weight(f.indicator)
            c = round(w * f.strength, 4)
            contributions[f.indicator] = round(contributions.get(f.indicator, 0.0) + c, 4)
            items.append({**f.to_dict(), "weight": w, "contribution": c})
        items.sort(key=lambda d: (-d["contribution"], d["name"]))
        evidence = _merge_evidence(fl)
        ids = sorted({i for f in fl for i in f.evidence.ids()})
        ehash = evidence_hash(ids)
        status, reopened = _status(review.get(sid), ehash)
        if status == "afgewezen" and not include_dismissed:
            continue
        score = round(sum(contributions.values()), 4)
        out.append({
            "subject_type": subject,
            "subject_id": sid,
            "score": score,
            "indicators": items,
            "evidence": evidence,
            "evidence_hash": ehash,
            "review_status": status,
            "review_reopened": reopened,
            "contributions": contributions,
            "barriers": sorted({BARRIERS[f.barrier] for f in fl}),
            "explanation": _explain(subject, sid, score, items),
        })
    out.sort(key=lambda d: (-float(d["score"]), str(d["subject_id"])))
    for i, d in enumerate(out, 1):
        d["rank"] = i
    return out[:top] if top else out


def rank_subjects(
    frames: Frames,
    subject: str = "address",
    *,
    since: str | None = None,
    until: str | None = None,
    config: IndicatorConfig | None = None,
    flags: Sequence[Flag] | None = None,
    reviews: pd.DataFrame | None = None,
    include_dismissed: bool = False,
    top: int | None = None,
) -> list[dict[str, Any]]:
    """Explainable ranking of one subject type: the JSON list of ``netwerk indicators``.

    Parameters
    ----------
    frames : Frames
    subject : {"address", "person", "business"}
    since, until : str, optional
        Period (see :func:`netwerk.indicators.run_indicators`).
    config : IndicatorConfig, optional
        Thresholds and ranking weights.
    flags : sequence of Flag, optional
        Precomputed flags (else :func:`run_indicators` runs).
    reviews : DataFrame, optional
        ReviewItem nodes (``store.nodes_df("ReviewItem")``): adds ``review_status``; a subject
        dismissed (``afgewezen``) with the same evidence hash is left out unless
        ``include_dismissed``; with changed evidence it comes back as ``nieuw`` (``review_reopened``).
    include_dismissed : bool, default False
    top : int, optional
        Only the first ``top`` subjects.

    Returns
    -------
    list of dict
        Sorted by score (descending): ``subject_type, subject_id, score, indicators`` (list of
        ``{name, barrier, value, threshold, evidence, strength, weight, contribution, reason}``),
        ``evidence`` (union), ``evidence_hash``, ``review_status``, ``contributions``,
        ``explanation`` (Dutch) and ``rank``.

    Notes
    -----
    ``score = sum(weight x strength)`` over the subject's flags; weights in
    :attr:`IndicatorConfig.weights`. Scores are for ordering the adviser's work list only.

    Examples
    --------
    >>> from netwerk.indicators.base import Flag
    >>> fl = [Flag("turnover", "address", "a1", "identiteit", 6.0, 4.0, 0.75, "6 korte inschrijvingen")]
    >>> r = rank_flags(fl, "address")
    >>> (r[0]["subject_id"], r[0]["score"], r[0]["contributions"])
    ('a1', 1.875, {'turnover': 1.875})
    """
    if flags is None:
        from netwerk.indicators import run_indicators

        flags = run_indicators(frames, since=since, until=until, config=config)
    return rank_flags(
        flags, subject, config=config, reviews=reviews, include_dismissed=include_dismissed, top=top
    )


def _review_lookup(reviews: pd.DataFrame | None, subject: str) -> dict[str, dict[str, Any]]:
    if reviews is None or reviews.empty:
        return {}
    r = reviews[reviews["subject_type"] == subject]
    return {str(rec["subject_id"]): rec for rec in r.to_dict("records")}


def _status(item: dict[str, Any] | None, ehash: str) -> tuple[str | None, bool]:
    """The review status to show; a dismissed item whose evidence changed comes back as 'nieuw'."""
    if item is None:
        return None, False
    status = item.get("status") or "nieuw"
    if status == "afgewezen" and item.get("evidence_hash") != ehash:
        return "nieuw", True
    return status, False


def _explain(subject: str, sid: str, score: float, items: list[dict[str, Any]]) -> str:
    parts = "; ".join(f"{d['name']} ({d['contribution']:.2f}): {d['reason']}" for d in items)
    head = f"{_LABELS[subject]} {sid}, score {score:.2f} = som van gewicht × sterkte per indicator."
    return f"{head} {parts}. {DISCLAIMER}"
