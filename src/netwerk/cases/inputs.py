"""Hotspots and indicator flags as inputs of the advice and the agenda, computed by their own modules.

The modules are imported lazily: when one is missing or fails on the data, the advice and agenda are
still made without it, with a note saying so.
"""

from __future__ import annotations

import importlib
from typing import Any

from netwerk.frames import Frames

__all__ = ["analyses_for", "compute_flags", "compute_hotspots"]


def compute_hotspots(frames: Frames, **kwargs: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """``netwerk.hotspots.find_hotspots(frames, **kwargs)`` as dicts, plus notes (Dutch) on failure."""
    try:
        mod = importlib.import_module("netwerk.hotspots")
        return [h.to_dict() for h in mod.find_hotspots(frames, **kwargs)], []
    except (ImportError, AttributeError) as exc:
        return [], [f"Hotspotanalyse niet beschikbaar ({exc}); hotspots ontbreken in dit overzicht."]
    except ValueError as exc:
        return [], [f"Hotspotanalyse niet uitgevoerd: {exc}"]


def compute_flags(frames: Frames, reviews: Any = None, **kwargs: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """Indicator flags ranked per subject (person, address, business) as dicts, plus notes on failure.

    ``reviews`` (``store.nodes_df("ReviewItem")``): the review state is applied by the one indicators
    service, so dismissed flags stay off agendas and advice.
    """
    try:
        from netwerk.services.indicators import review_aware_flags

        return review_aware_flags(frames, reviews, **kwargs), []
    except (ImportError, AttributeError) as exc:
        return [], [f"Indicatoren niet beschikbaar ({exc}); indicatorsignalen ontbreken in dit overzicht."]
    except ValueError as exc:
        return [], [f"Indicatoren niet uitgevoerd: {exc}"]


def analyses_for(
    frames: Frames, skip: bool = False, *, store: Any = None, until: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Hotspots, indicator flags and notes for case advice and agendas (empty, with a note, when skipped).

    Pass ``store`` so that the review state (dismissed flags) is applied. ``until`` (the day of the overleg
    or advice) ends the analysis period, so a hotspot's trend on the agenda is the one
    ``netwerk hotspots --until`` shows for that day; default the end of the data.
    """
    if skip:
        return [], [], ["Hotspot- en indicatoranalyse overgeslagen (--zonder-analyses)."]
    hotspots, n1 = compute_hotspots(frames, until=until)
    flags, n2 = compute_flags(frames, until=until,
                              reviews=None if store is None else store.nodes_df("ReviewItem"))
    return hotspots, flags, n1 + n2
