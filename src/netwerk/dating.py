"""The date a record gets when the user gives none: today, or the end of the data when the data is historical."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

__all__ = ["STALE_DAYS", "record_date"]

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
