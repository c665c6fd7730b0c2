"""Compare detected youth groups with the youth groups partners registered.

Each detected group is matched to the registered group it overlaps most (Jaccard); registered groups
that no detected group matches any more are reported as fallen apart, detected groups without a
registered match as emerging.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from netwerk.frames import Frames

__all__ = ["MIN_JACCARD", "GroupMatch", "jaccard", "match_groups", "registered_groups"]

#: Smallest Jaccard overlap (and at least 2 shared members) for a detected group to match a registered one.
MIN_JACCARD = 0.2


def jaccard(a: Collection[str], b: Collection[str]) -> float:
    """Jaccard index ``|a ∩ b| / |a ∪ b|`` (0 for two empty sets)."""
    sa, sb = set(a), set(b)
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


def registered_groups(frames: Frames) -> dict[str, tuple[str, ...]]:
    """Registered youth groups: group id -> sorted member ids (groups without members included)."""
    gm = frames.group_members[["group_id", "person_id"]].dropna().drop_duplicates()
    out = {str(g): tuple(sorted(m.astype(str))) for g, m in gm.groupby("group_id", sort=True)["person_id"]}
    for g in frames.youth_groups["group_id"].dropna().astype(str):
        out.setdefault(g, ())
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class GroupMatch:
    """The registered group a detected group matches (``registered`` None: emerging).

    Attributes
    ----------
    registered : str or None
        Best-matching registered group id (Jaccard >= ``min_jaccard`` and >= 2 shared members).
    jaccard : float
        Jaccard overlap with the best registered group (also when below the threshold).
    shared : int
        Members in both.
    overlaps : tuple of (str, int, float)
        Every registered group sharing a member: ``(group_id, shared, jaccard)``, best first.
    """

    registered: str | None
    jaccard: float
    shared: int
    overlaps: tuple[tuple[str, int, float], ...]


def match_groups(
    groups: Sequence[Collection[str]],
    registered: Mapping[str, Collection[str]],
    *,
    min_jaccard: float = MIN_JACCARD,
) -> tuple[list[GroupMatch], list[str]]:
    """Match detected groups to registered groups.

    Parameters
    ----------
    groups : sequence of collections of str
        Detected groups (member ids).
    registered : mapping str -> collection of str
        Registered groups (see :func:`registered_groups`).
    min_jaccard : float, default :data:`MIN_JACCARD`

    Returns
    -------
    (list of GroupMatch, list of str)
        One match per detected group (several detected groups may match the same registered group
        when it split), and the ids of registered groups that no detected group matches (fallen apart
        or never active in the period).

    Examples
    --------
    >>> m, gone = match_groups([{"a", "b", "c"}, {"x", "y", "z"}], {"R1": {"a", "b", "c", "d"}, "R2": {"q", "r"}})
    >>> (m[0].registered, m[0].jaccard, m[1].registered, gone)
    ('R1', 0.75, None, ['R2'])
    """
    if not 0 < min_jaccard <= 1:
        raise ValueError(f"minimale overlap moet tussen 0 en 1 liggen, kreeg {min_jaccard}")
    owner: dict[str, list[str]] = {}
    for rid, members in registered.items():
        for p in members:
            owner.setdefault(p, []).append(rid)
    matches: list[GroupMatch] = []
    for grp in groups:
        counts: dict[str, int] = {}
        for p in grp:
            for rid in owner.get(p, ()):
                counts[rid] = counts.get(rid, 0) + 1
        overlaps = sorted(
            ((rid, k, jaccard(grp, registered[rid])) for rid, k in counts.items()),
            key=lambda t: (-t[2], -t[1], t[0]),
        )
        if overlaps and overlaps[0][2] >= min_jaccard and overlaps[0][1] >= 2:
            best = overlaps[0]
            matches.append(GroupMatch(best[0], best[2], best[1], tuple(overlaps)))
        else:
            top = overlaps[0] if overlaps else (None, 0, 0.0)
            matches.append(GroupMatch(None, top[2], top[1], tuple(overlaps)))
    matched = {m.registered for m in matches}
    gone = [rid for rid in registered if rid not in matched]
    return matches, gone


def joint_signals(involvements: pd.DataFrame, members: Collection[str], min_members: int = 2) -> pd.DataFrame:
    """Signals involving at least ``min_members`` of ``members``: ``signal_id, reported_at, category,
    subcategory, domain, persons`` (sorted ids), newest first."""
    inv = involvements[involvements["person_id"].isin(set(members))]
    if inv.empty:
        return pd.DataFrame(columns=["signal_id", "reported_at", "category", "subcategory", "domain", "persons"])
    agg = inv.groupby("signal_id", sort=True).agg(
        reported_at=("reported_at", "first"), category=("category", "first"),
        subcategory=("subcategory", "first"), domain=("domain", "first"),
        persons=("person_id", lambda s: sorted(s.astype(str))), n=("person_id", "size"),
    )
    agg = agg[agg["n"] >= min_members].drop(columns="n").reset_index()
    return agg.sort_values(["reported_at", "signal_id"], ascending=[False, True]).reset_index(drop=True)
