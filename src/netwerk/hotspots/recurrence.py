"""Recurrence of signals per group (address, cluster or buurt x category) in sliding time windows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Recurrence", "recurrence"]


@dataclass(frozen=True)
class Recurrence:
    """Per-group result of :func:`recurrence` (arrays indexed by group code).

    Attributes
    ----------
    n_signals, n_days : ndarray
        Signals and distinct days per group.
    best_signals, best_days : ndarray
        The window (``window_days`` long, ending on a signal day) with the most signals: its signal
        count and its number of distinct days.
    qualifies : ndarray of bool
        Some window holds at least ``min_signals`` signals on at least ``min_days`` distinct days.
    active_windows : ndarray
        Number of consecutive ``window_days`` bins (counted back from the period end) with signals on at
        least ``window_min_days`` distinct days.
    n_windows : int
        Number of bins in the period.
    """

    n_signals: np.ndarray
    n_days: np.ndarray
    best_signals: np.ndarray
    best_days: np.ndarray
    qualifies: np.ndarray
    active_windows: np.ndarray
    n_windows: int


def recurrence(
    gid: np.ndarray,
    day: np.ndarray,
    n_groups: int,
    *,
    window_days: int,
    min_signals: int,
    min_days: int,
    start_day: int,
    end_day: int,
    window_min_days: int = 2,
) -> Recurrence:
    """Sliding-window recurrence per group, vectorised over all groups at once.

    Parameters
    ----------
    gid : array of int
        Group code (0..n_groups-1) per signal.
    day : array of int
        Day number per signal (e.g. days since 1970), within ``[start_day, end_day]``.
    n_groups : int
        Number of groups.
    window_days, min_signals, min_days : int
        The rule: at least ``min_signals`` signals within ``window_days`` days on ``min_days`` distinct days.
    start_day, end_day : int
        The analysis period (inclusive); bins of ``window_days`` are counted back from ``end_day``.
    window_min_days : int, default 2
        A bin is active with signals on at least this many distinct days.

    Returns
    -------
    Recurrence

    Examples
    --------
    >>> r = recurrence(np.array([0, 0, 0, 0, 1, 1, 1]), np.array([1, 5, 9, 9, 3, 3, 3]), 2,
    ...                window_days=10, min_signals=3, min_days=3, start_day=0, end_day=19)
    >>> r.qualifies.tolist(), r.best_signals.tolist(), r.best_days.tolist()
    ([True, False], [4, 3], [3, 1])

    Notes
    -----
    Signals are reduced to unique (group, day) pairs with counts; a window ending on each such day is
    evaluated with ``searchsorted`` on the combined key ``group * BIG + day``, so the cost is
    ``O(n log n)`` for all groups together. A window with the most signals always ends on a signal day.
    """
    gid = np.asarray(gid, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    if gid.shape != day.shape:
        raise ValueError("recurrence: gid en day moeten even lang zijn")
    if window_days < 1 or min_signals < 1 or min_days < 1:
        raise ValueError("recurrence: venster en drempels moeten minstens 1 zijn")
    n_windows = max(1, -(-(end_day - start_day + 1) // window_days))
    empty = np.zeros(n_groups, dtype=np.int64)
    if gid.size == 0:
        return Recurrence(empty, empty, empty, empty, empty.astype(bool), empty, n_windows)
    rel = day - start_day
    big = int(rel.max()) + window_days + 1
    key, cnt = np.unique(gid * big + rel, return_counts=True)
    ugid = key // big
    uday = key % big
    cum = np.concatenate([[0], np.cumsum(cnt)])
    pos = np.arange(len(key))
    lo = np.searchsorted(key, key - (window_days - 1), side="left")
    win_signals = cum[pos + 1] - cum[lo]
    win_days = pos - lo + 1
    starts = np.flatnonzero(np.r_[True, ugid[1:] != ugid[:-1]])
    groups = ugid[starts]
    best = np.zeros(n_groups, dtype=np.int64)
    best[groups] = np.maximum.reduceat(win_signals, starts)
    # distinct days of the best window: among windows with the group's maximum count, the most days
    at_best = win_signals == best[ugid]
    best_days = np.zeros(n_groups, dtype=np.int64)
    np.maximum.at(best_days, ugid[at_best], win_days[at_best])
    ok = (win_signals >= min_signals) & (win_days >= min_days)
    qualifies = np.bincount(ugid[ok], minlength=n_groups) > 0
    n_days = np.bincount(ugid, minlength=n_groups)
    n_signals = np.bincount(gid, minlength=n_groups)
    # active bins counted back from the period end
    b = (end_day - start_day - uday) // window_days
    bins, days_in_bin = np.unique(ugid * n_windows + b, return_counts=True)
    active = np.bincount(bins[days_in_bin >= window_min_days] // n_windows, minlength=n_groups)
    return Recurrence(n_signals, n_days, best, best_days, qualifies, active, n_windows)
