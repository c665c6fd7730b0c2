"""Fenomeen advice: a documented, configurable rule set with a plain-Dutch reason per hotspot."""

from __future__ import annotations

from dataclasses import dataclass

from netwerk.hotspots.config import HotspotConfig

__all__ = ["Advice", "fenomeen_advice"]


@dataclass(frozen=True)
class Advice:
    """The outcome of the rules for one hotspot.

    Attributes
    ----------
    advice : bool
        All rules hold: recommend a fenomeen approach.
    rules : dict of str to bool
        Each rule's outcome (``herhaling``, ``spreiding``, ``bronnen``, ``stijgend_of_significant``);
        rules that do not apply to the level are left out.
    reason : str
        Plain-Dutch explanation with the numbers behind it.
    """

    advice: bool
    rules: dict[str, bool]
    reason: str


def fenomeen_advice(
    level: str,
    *,
    active_windows: int,
    n_windows: int,
    n_addresses: int,
    n_sources: int,
    trend: str,
    p_value: float,
    config: HotspotConfig,
    above_baseline: bool | None = None,
) -> Advice:
    """Apply the fenomeen rules to one hotspot.

    Rules (defaults in :class:`~netwerk.hotspots.config.HotspotConfig`):

    - ``herhaling``: active in at least ``advice_min_windows`` windows of ``window_days``;
    - ``spreiding`` (buurt level only): signals on at least ``advice_min_addresses`` addresses;
    - ``bronnen``: at least ``advice_min_sources`` different partners/reporters;
    - ``toename``: rising trend, or ``above_baseline`` (buurt: the last window significantly above the
      buurt's own baseline; other levels, when None: p <= ``alpha``), when ``advice_need_increase``.

    Only levels in ``advice_levels`` (default buurt and cluster) can get advice: a single address calls
    for a casus approach rather than a fenomeen.

    Examples
    --------
    >>> from netwerk.hotspots.config import DEFAULT_CONFIG
    >>> a = fenomeen_advice("buurt", active_windows=3, n_windows=4, n_addresses=9, n_sources=5,
    ...                     trend="rising", p_value=0.001, config=DEFAULT_CONFIG)
    >>> a.advice, sorted(a.rules)
    (True, ['bronnen', 'herhaling', 'spreiding', 'toename'])
    """
    cfg = config
    rules: dict[str, bool] = {"herhaling": active_windows >= cfg.advice_min_windows}
    parts = [f"terugkerend in {active_windows} van de {n_windows} perioden van {cfg.window_days} dagen "
             f"(nodig: {cfg.advice_min_windows})"]
    if level == "buurt":
        rules["spreiding"] = n_addresses >= cfg.advice_min_addresses
        parts.append(f"verspreid over {n_addresses} adressen (nodig: {cfg.advice_min_addresses})")
    rules["bronnen"] = n_sources >= cfg.advice_min_sources
    parts.append(f"gemeld door {n_sources} verschillende melders/partners (nodig: {cfg.advice_min_sources})")
    if cfg.advice_need_increase:
        if above_baseline is None:
            rules["toename"] = trend == "rising" or p_value <= cfg.alpha
            parts.append(f"trend {_TREND_NL.get(trend, trend)}, p = {p_value:.2g} "
                         f"(nodig: stijgend of p <= {cfg.alpha:g})")
        else:
            rules["toename"] = trend == "rising" or above_baseline
            parts.append(f"trend {_TREND_NL.get(trend, trend)}, laatste periode "
                         f"{'wel' if above_baseline else 'niet'} significant boven de eigen basislijn "
                         "(nodig: stijgend of boven de basislijn)")
    ok = all(rules.values())
    if level not in cfg.advice_levels:
        return Advice(False, rules, f"Geen fenomeenadvies op {_LEVEL_NL.get(level, level)}niveau "
                                    "(eerder een casusaanpak); " + "; ".join(parts) + ".")
    if ok:
        return Advice(True, rules, "Advies: fenomeenaanpak overwegen, want " + "; ".join(parts) + ".")
    missing = [name for name, hit in rules.items() if not hit]
    return Advice(False, rules, f"Geen fenomeenadvies (niet voldaan: {', '.join(missing)}); " + "; ".join(parts) + ".")


_TREND_NL = {"rising": "stijgend", "stable": "stabiel", "falling": "dalend"}
_LEVEL_NL = {"address": "adres", "cluster": "cluster", "buurt": "buurt"}
