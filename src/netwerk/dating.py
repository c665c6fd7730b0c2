"""The date a record gets when the user gives none: today, or the end of the data when the data is historical."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["STALE_DAYS", "day_texts", "record_date", "record_timestamp"]

#: Data whose latest date lies more than this many days before today is historical.
STALE_DAYS = 30


def record_date(reference: Any, *, today: date | None = None, stale_days: int = STALE_DAYS) -> date:
    """The default date of a fenomeen, review item or alert recorded without ``--date``.

    On current data that is today. On historical data (an export of 2017) it is the end of the data
    (``reference``, normally :attr:`netwerk.frames.Frames.reference_date`): a fenomeen dated today would
    leave only empty months to follow. A reference in the future or missing gives today.

    Examples
    --------
    >>> record_date(pd.Timestamp("2017-06-30 14:00"), today=date(2026, 1, 5))
    datetime.date(2017, 6, 30)
    >>> record_date(pd.Timestamp("2025-12-28"), today=date(2026, 1, 5))
    datetime.date(2026, 1, 5)
    >>> record_date(None, today=date(2026, 1, 5))
    datetime.date(2026, 1, 5)
    """
    today = today or date.today()
    if reference is None or pd.isna(reference):
        return today
    ref = pd.Timestamp(reference).date()
    return ref if (today - ref).days > stale_days else today


def record_timestamp(reference: Any, *, now: datetime | None = None, stale_days: int = STALE_DAYS) -> str:
    """``record_date`` as an ISO timestamp: now on current data, the end of the data (midnight) on historical data.

    Examples
    --------
    >>> record_timestamp(pd.Timestamp("2017-06-30"), now=datetime(2026, 1, 5, 9, 30))
    '2017-06-30T00:00:00'
    >>> record_timestamp(pd.Timestamp("2026-01-04"), now=datetime(2026, 1, 5, 9, 30))
    '2026-01-05T09:30:00'
    """
    now = now or datetime.now()
    day = record_date(reference, today=now.date(), stale_days=stale_days)
    stamp = now if day == now.date() else datetime(day.year, day.month, day.day)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S")


def day_texts(values: np.ndarray) -> np.ndarray | None:
    """``YYYY-MM-DD`` of each ``datetime64`` value (None for NaT) as an object array, in one numpy pass; None when
    a year lies outside 1000-9999, where numpy's text differs from ``strftime``'s (the caller formats those itself).

    Examples
    --------
    >>> day_texts(np.array(["2025-03-09T14:00", "NaT"], dtype="datetime64[ns]")).tolist()
    ['2025-03-09', None]
    """
    days = np.asarray(values).astype("datetime64[D]")
    missing = np.isnat(days)
    present = days[~missing]
    if len(present) and (present.min() < np.datetime64("1000-01-01") or present.max() > np.datetime64("9999-12-31")):
        return None
    text = np.datetime_as_string(days, unit="D").astype(object)
    text[missing] = None
    return text
