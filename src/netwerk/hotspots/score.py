"""The hotspot score: a sum of named indicators (0-10), each explainable on its own.

The score must hold at real volumes (five years of police data, hundreds of signals per place): the volume
part grows with every extra signal and never fills up, the comparison with the expected count uses the
significance test of the level, and the sources part only counts where the data has several sources.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["SCORE_PARTS", "explain_score", "score_parts"]

#: Indicator -> (maximum points, Dutch explanation).
SCORE_PARTS = {
    "volume": (2.5, "aantal meldingen (per melder per dag één keer geteld), log-schaal zonder plafond: "
                    "de helft bij 20, elke extra melding geeft meer punten"),
    "herhaling": (2.0, "aantal actieve vensters (meldingen op minstens 2 dagen), vol bij 3"),
    "bronnen": (2.0, "aantal verschillende melders/partners, vol bij 4; alleen als de gegevens meerdere bronnen "
                     "hebben, anders verdeeld over de andere delen"),
    "verwachting": (1.5, "waargenomen gedeeld door verwacht aantal voor deze plek en categorie, log-schaal, "
                         "de helft bij 4x; alleen als de toets significant is"),
    "significantie": (1.0, "-log10(p) van de toets tegen de verwachting, vol bij p = 0,0001"),
    "trend": (1.0, "stijgend 1, stabiel 0,5, dalend 0"),
}

_VOLUME_HALF = 20.0
_RATIO_HALF = 4.0
_TREND_NL = {"rising": "stijgend", "stable": "stabiel", "falling": "dalend"}


def _half_at(x: np.ndarray, half: float) -> np.ndarray:
    """``x / (x + half)``: 0 at 0, 0.5 at ``half``, strictly increasing, below 1 for every finite x."""
    return x / (x + half)


def score_parts(
    n_effective: np.ndarray,
    active_windows: np.ndarray,
    n_sources: np.ndarray,
    trend_label: np.ndarray,
    p_value: np.ndarray,
    *,
    ratio: np.ndarray | None = None,
    multi_source: bool = True,
    alpha: float = 0.05,
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
    ratio : array, optional
        Observed divided by expected count for the place and category; None counts as no excess.
    multi_source : bool, default True
        The data has several sources. When False the ``bronnen`` part is 0 and its points are shared
        over the other parts in proportion, so the maximum stays 10.
    alpha : float, default 0.05
        The ``verwachting`` part only counts when ``p_value <= alpha``.

    Returns
    -------
    dict of str to ndarray
        One array of points per indicator in :data:`SCORE_PARTS`.

    Examples
    --------
    >>> p = score_parts(np.array([20, 200]), np.array([3, 3]), np.array([1, 1]), np.array(["stable", "stable"]),
    ...                 np.array([1e-6, 1e-6]), ratio=np.array([4.0, 4.0]), multi_source=False)
    >>> [round(float(v), 2) for v in sum(p.values())], float(p["bronnen"][0])
    ([6.88, 7.3], 0.0)
    """
    n_eff = np.maximum(np.asarray(n_effective, dtype=float), 0.0)
    p = np.clip(np.asarray(p_value, dtype=float), 1e-300, 1.0)
    label = np.asarray(trend_label)
    r = np.ones_like(n_eff) if ratio is None else np.nan_to_num(np.asarray(ratio, dtype=float), nan=1.0,
                                                                  posinf=1e6)
    excess = np.log2(np.maximum(r, 1.0))
    raw = {
        "volume": _half_at(np.log1p(n_eff), np.log1p(_VOLUME_HALF)),
        "herhaling": np.minimum(1.0, np.asarray(active_windows, dtype=float) / 3),
        "bronnen": np.clip((np.asarray(n_sources, dtype=float) - 1) / 3, 0.0, 1.0),
        "verwachting": np.where(p <= alpha, _half_at(excess, np.log2(_RATIO_HALF)), 0.0),
        "significantie": np.minimum(1.0, -np.log10(p) / 4),
        "trend": np.select([label == "rising", label == "stable"], [1.0, 0.5], 0.0),
    }
    weights = {k: w for k, (w, _) in SCORE_PARTS.items()}
    if not multi_source:
        total = sum(weights.values())
        rest = total - weights["bronnen"]
        weights = {k: (0.0 if k == "bronnen" else w * total / rest) for k, w in weights.items()}
    return {k: weights[k] * v for k, v in raw.items()}


def explain_score(parts: dict[str, float], *, n_effective: int, active_windows: int, n_sources: int,
                  trend: str, p_value: float, ratio: float, multi_source: bool) -> str:
    """One Dutch sentence that names every part of the score with the number behind it.

    Examples
    --------
    >>> explain_score({"volume": 1.2, "herhaling": 2.0, "bronnen": 0.0, "verwachting": 0.9, "significantie": 1.0,
    ...                "trend": 0.5}, n_effective=19, active_windows=3, n_sources=1, trend="stable", p_value=1e-6,
    ...               ratio=5.2, multi_source=False)  # doctest: +NORMALIZE_WHITESPACE
    'Score 5,6 = volume 1,2 (19 meldingen) + herhaling 2,0 (3 actieve perioden) + bronnen niet meegeteld (de
    gegevens hebben één bron) + verwachting 0,9 (5,2 x het verwachte aantal) + significantie 1,0 (p = 1e-06) +
    trend 0,5 (stabiel).'
    """
    def nl(x: float) -> str:
        return f"{x:.1f}".replace(".", ",")

    bronnen = (f"bronnen {nl(parts['bronnen'])} ({n_sources} melders/partners)" if multi_source
               else "bronnen niet meegeteld (de gegevens hebben één bron)")
    ratio_txt = f"{nl(ratio)} x het verwachte aantal" if math.isfinite(ratio) else "verwacht aantal 0"
    items = [
        f"volume {nl(parts['volume'])} ({n_effective} meldingen)",
        f"herhaling {nl(parts['herhaling'])} ({active_windows} actieve perioden)",
        bronnen,
        f"verwachting {nl(parts['verwachting'])} ({ratio_txt})",
        f"significantie {nl(parts['significantie'])} (p = {p_value:.2g})",
        f"trend {nl(parts['trend'])} ({_TREND_NL.get(trend, trend)})",
    ]
    return f"Score {nl(sum(parts.values()))} = " + " + ".join(items) + "."
