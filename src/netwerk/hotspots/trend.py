"""Trend per hotspot: the last window against the mean of the earlier windows of the period."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["TREND_LABELS", "Trend", "trend"]

#: Trend labels (contract values of the ``trend`` field) and their Dutch wording.
TREND_LABELS = {"rising": "stijgend", "stable": "stabiel", "falling": "dalend"}


@dataclass(frozen=True)
class Trend:
    """Per-group trend (arrays indexed by group code).

    Attributes
    ----------
    recent : ndarray
        Signals in the last ``trend_days`` of the period.
    earlier_rate : ndarray
        Mean signals per ``trend_days`` before the recent window, from the group's first signal in the period
        (0 when that part is shorter than ``min_earlier_days``: a new problem).
    label : ndarray of str
        ``rising``, ``stable`` or ``falling``.
    """

    recent: np.ndarray
    earlier_rate: np.ndarray
    label: np.ndarray


def trend(
    gid: np.ndarray,
    day: np.ndarray,
    n_groups: int,
    *,
    start_day: int,
    end_day: int,
    trend_days: int = 90,
    ratio: float = 1.5,
    min_diff: float = 2.0,
    min_earlier_days: int = 30,
) -> Trend:
    """Classify each group's trend as rising, stable or falling.

    Parameters
    ----------
    gid, day : array of int
        Group code and day number per signal.
    n_groups : int
        Number of groups.
    start_day, end_day : int
        The analysis period (inclusive).
    trend_days : int, default 90
        Length of the recent window.
    ratio, min_diff : float
        Rising when ``recent >= ratio * earlier_rate`` and ``recent - earlier_rate >= min_diff`` and the
        recent window does not itself decline (its first half is not ``ratio`` times and ``min_diff`` above
        its second half); falling when ``earlier_rate >= ratio * recent`` and the difference is at least
        ``min_diff``, or when there were earlier signals but none recently.

    Notes
    -----
    The earlier rate is measured over the group's own life in the period (from its first signal to the
    recent window), not over months before it started: a problem that began four months ago with 6, 4, 3
    and 2 signals per month is falling, not rising. When that earlier part is shorter than
    ``min_earlier_days`` the problem is new and the earlier rate is 0.

    Returns
    -------
    Trend

    Examples
    --------
    >>> t = trend(np.array([0, 0, 0, 0, 1, 1, 1]), np.array([95, 96, 97, 98, 1, 2, 3]), 2,
    ...           start_day=0, end_day=99, trend_days=10)
    >>> t.label.tolist()
    ['rising', 'falling']
    """
    gid = np.asarray(gid, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    cut = end_day - trend_days  # the recent window is (cut, end_day]
    recent_mask = day > cut
    recent = np.bincount(gid[recent_mask], minlength=n_groups).astype(float)
    earlier = np.bincount(gid[~recent_mask], minlength=n_groups).astype(float)
    first = np.full(n_groups, end_day + 1, dtype=np.int64)
    np.minimum.at(first, gid, day)
    span = cut - np.maximum(first, start_day) + 1
    long_enough = span >= min_earlier_days
    earlier_rate = np.where(long_enough, earlier / np.maximum(span, 1) * trend_days, 0.0)
    half = day > cut + trend_days // 2
    late = np.bincount(gid[recent_mask & half], minlength=n_groups).astype(float)
    early = recent - late
    declining = (early >= ratio * late) & (early - late >= min_diff)
    diff = recent - earlier_rate
    rising = (recent >= ratio * earlier_rate) & (diff >= min_diff) & ~declining
    falling = ((earlier_rate >= ratio * recent) & (-diff >= min_diff)) | ((recent == 0) & (earlier > 0))
    label = np.where(rising, "rising", np.where(falling, "falling", "stable"))
    return Trend(recent, earlier_rate, label)
