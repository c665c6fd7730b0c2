"""The hotspot score: a sum of named indicators (0-10), each explainable on its own."""

from __future__ import annotations

import numpy as np

__all__ = ["SCORE_PARTS", "score_parts"]

#: Indicator -> (maximum points, Dutch explanation).
SCORE_PARTS = {
    "volume": (2.5, "aantal meldingen (per melder per dag één keer geteld), log-schaal, vol bij 20"),
    "herhaling": (2.5, "aantal actieve vensters (meldingen op minstens 2 dagen), vol bij 3"),
    "bronnen": (2.0, "aantal verschillende melders/partners, vol bij 4"),
    "trend": (1.0, "stijgend 1, stabiel 0,5, dalend 0"),
    "significantie": (2.0, "-log10(p) van de toets tegen de verwachting, vol bij p = 0,0001"),
}


def score_parts(
    n_effective: np.ndarray,
    active_windows: np.ndarray,
    n_sources: np.ndarray,
    trend_label: np.ndarray,
    p_value: np.ndarray,
) -> dict[str, np.ndarray]:
    """Points per indicator for each hotspot; their sum is the score (0-10).

    Parameters
    ----------
    n_effective : array
        Signals counted once per (reporter, day): a burst by one reporter counts once.
    active_windows : array
        Windows of the period with signals on at least two days.
    n_sources : array
        Distinct reporters/partners.
    trend_label : array of str
        ``rising``, ``stable`` or ``falling``.
    p_value : array
        Significance of the hotspot against its expectation.

    Returns
    -------
    dict of str to ndarray
        One array of points per indicator in :data:`SCORE_PARTS`.

    Examples
    --------
    >>> parts = score_parts(np.array([20]), np.array([3]), np.array([4]), np.array(["rising"]), np.array([1e-4]))
    >>> round(float(sum(parts.values())[0]), 6)
    10.0
    """
    n_eff = np.asarray(n_effective, dtype=float)
    p = np.clip(np.asarray(p_value, dtype=float), 1e-300, 1.0)
    label = np.asarray(trend_label)
    return {
        "volume": SCORE_PARTS["volume"][0] * np.minimum(1.0, np.log1p(n_eff) / np.log1p(20)),
        "herhaling": SCORE_PARTS["herhaling"][0] * np.minimum(1.0, np.asarray(active_windows) / 3),
        "bronnen": SCORE_PARTS["bronnen"][0] * np.clip((np.asarray(n_sources) - 1) / 3, 0.0, 1.0),
        "trend": SCORE_PARTS["trend"][0] * np.select([label == "rising", label == "stable"], [1.0, 0.5], 0.0),
        "significantie": SCORE_PARTS["significantie"][0] * np.minimum(1.0, -np.log10(p) / 4),
    }
