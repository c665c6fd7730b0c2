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
        Mean signals per ``trend_days`` in the rest of the period (0 when the period is not longer).
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
        Rising when ``recent >= ratio * earlier_rate`` and ``recent - earlier_rate >= min_diff``;
        falling when ``earlier_rate >= ratio * recent`` and the difference is at least ``min_diff``,
        or when there were earlier signals but none recently.

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
    recent_mask = day > end_day - trend_days
    recent = np.bincount(gid[recent_mask], minlength=n_groups).astype(float)
    earlier = np.bincount(gid[~recent_mask], minlength=n_groups).astype(float)
    earlier_span = (end_day - trend_days) - start_day + 1
    earlier_rate = earlier / (earlier_span / trend_days) if earlier_span > 0 else np.zeros(n_groups)
    diff = recent - earlier_rate
    rising = (recent >= ratio * earlier_rate) & (diff >= min_diff)
    falling = ((earlier_rate >= ratio * recent) & (-diff >= min_diff)) | ((recent == 0) & (earlier > 0))
    label = np.where(rising, "rising", np.where(falling, "falling", "stable"))
    return Trend(recent, earlier_rate, label)
