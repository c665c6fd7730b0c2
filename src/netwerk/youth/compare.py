"""Compare detected youth groups with the youth groups partners registered.

Each detected group is matched to the registered group it overlaps most (Jaccard); registered groups
that no detected group matches any more are reported as fallen apart, detected groups without a
registered match as emerging.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netwerk.frames import Frames

__all__ = [
    "MIN_JACCARD", "GroupMatch", "jaccard", "joint_signals", "joint_table", "match_groups", "person_lists",
    "registered_groups",
]

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


_SIGNAL_COLS = ["signal_id", "reported_at", "category", "subcategory", "domain"]


def joint_signals(involvements: pd.DataFrame, members: Collection[str], min_members: int = 2) -> pd.DataFrame:
    """Signals involving at least ``min_members`` of ``members``: ``signal_id, reported_at, category,
    subcategory, domain, persons`` (sorted ids), newest first.

    Vectorised: one sort of the involvements, the person lists cut from one array (no per-signal
    Python function).

    Examples
    --------
    >>> inv = pd.DataFrame({"signal_id": ["s1", "s1", "s2", "s2", "s3"], "person_id": ["b", "a", "a", "c", "a"],
    ...                     "reported_at": pd.to_datetime(["2025-01-01"] * 2 + ["2025-02-01"] * 2 + ["2025-03-01"]),
    ...                     "category": "Overlast", "subcategory": "Jongerenoverlast", "domain": "jeugd"})
    >>> joint_signals(inv, {"a", "b", "c"})[["signal_id", "persons"]].values.tolist()
    [['s2', ['a', 'c']], ['s1', ['a', 'b']]]
    """
    inv = involvements[involvements["person_id"].isin(set(members))]
    table = joint_table(inv.assign(group=0), min_members)
    return table.drop(columns=["group", "n"]).assign(persons=person_lists(inv.assign(group=0), table))


def joint_table(involvements: pd.DataFrame, min_members: int = 2) -> pd.DataFrame:
    """Per ``group`` (a column of ``involvements``), the signals with at least ``min_members`` of its
    youths: ``group, signal_id, reported_at, category, subcategory, domain, n``; sorted by group, then
    newest first (ties by signal id)."""
    inv = involvements.drop_duplicates(["group", "signal_id", "person_id"])
    n = inv.groupby(["group", "signal_id"], sort=False)["person_id"].transform("size")
    first = inv.assign(n=n)[n >= min_members].drop_duplicates(["group", "signal_id"])
    first = first[["group", *_SIGNAL_COLS, "n"]]
    return first.sort_values(["group", "reported_at", "signal_id"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)


def person_lists(involvements: pd.DataFrame, rows: pd.DataFrame) -> list[list[str]]:
    """For each ``(group, signal_id)`` row of ``rows``, the sorted ids of the group's youths in the signal."""
    if rows.empty:
        return []
    want = rows[["group", "signal_id"]].assign(_row=np.arange(len(rows)))
    inv = involvements[["group", "signal_id", "person_id"]].drop_duplicates().merge(want, on=["group", "signal_id"])
    inv = inv.assign(person_id=inv["person_id"].astype(str)).sort_values(["_row", "person_id"], kind="stable")
    row = inv["_row"].to_numpy()
    cuts = np.flatnonzero(np.diff(row)) + 1
    people = np.split(inv["person_id"].to_numpy(dtype=object), cuts)
    out: list[list[str]] = [[] for _ in range(len(rows))]
    for r, ps in zip(row[np.r_[0, cuts]] if len(row) else [], people, strict=True):
        out[int(r)] = ps.tolist()
    return out
