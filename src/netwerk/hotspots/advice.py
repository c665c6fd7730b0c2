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
        Each rule's outcome (``herhaling``, ``spreiding``, ``bronnen``, ``boven_verwachting``, ``actueel``,
        ``toename`` when required); rules that do not apply to the level or the data are left out.
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
    multi_source: bool = True,
    recent: int | None = None,
) -> Advice:
    """Apply the fenomeen rules to one hotspot.

    The seeds' criterion: *recurring reports about the same overlast*, spread over addresses and reporters.
    Rules (defaults in :class:`~netwerk.hotspots.config.HotspotConfig`):

    - ``herhaling``: active in at least ``advice_min_windows`` windows of ``window_days``;
    - ``spreiding`` (buurt level only): signals on at least ``advice_min_addresses`` addresses;
    - ``bronnen``: at least ``advice_min_sources`` different partners/reporters, only when the data has
      several sources (``multi_source``); with one source the rule is left out and the reason says so;
    - ``boven_verwachting``: the hotspot lies significantly (``alpha``) above its expectation;
    - ``actueel``: at least ``advice_min_recent`` signals in the last ``trend_days`` and, unless
      ``advice_allow_falling``, a trend that is not falling (a problem that is dying out needs no new approach);
    - ``toename``: a rising trend, or (buurt) the last window significantly above the buurt's own baseline.
      It strengthens the advice; it is only required when ``advice_need_increase`` is set.

    Only levels in ``advice_levels`` (default buurt and cluster) can get advice: a single address calls
    for a casus approach rather than a fenomeen.

    Examples
    --------
    >>> from netwerk.hotspots.config import DEFAULT_CONFIG
    >>> a = fenomeen_advice("buurt", active_windows=3, n_windows=4, n_addresses=9, n_sources=5,
    ...                     trend="stable", p_value=0.001, config=DEFAULT_CONFIG, recent=6)
    >>> a.advice, sorted(a.rules)
    (True, ['actueel', 'boven_verwachting', 'bronnen', 'herhaling', 'spreiding'])
    """
    cfg = config
    rules: dict[str, bool] = {"herhaling": active_windows >= cfg.advice_min_windows}
    parts = [f"terugkerend in {active_windows} van de {n_windows} perioden van {cfg.window_days} dagen "
             f"(nodig: {cfg.advice_min_windows})"]
    if level == "buurt":
        rules["spreiding"] = n_addresses >= cfg.advice_min_addresses
        parts.append(f"verspreid over {n_addresses} adressen (nodig: {cfg.advice_min_addresses})")
    if multi_source:
        rules["bronnen"] = n_sources >= cfg.advice_min_sources
        parts.append(f"gemeld door {n_sources} verschillende melders/partners (nodig: {cfg.advice_min_sources})")
    else:
        parts.append("bronnen niet getoetst: de gegevens hebben één bron")
    rules["boven_verwachting"] = p_value <= cfg.alpha
    parts.append(f"{'wel' if rules['boven_verwachting'] else 'niet'} significant boven de verwachting "
                 f"(p = {p_value:.2g}, nodig: p <= {cfg.alpha:g})")
    if recent is not None:
        rules["actueel"] = recent >= cfg.advice_min_recent and (cfg.advice_allow_falling or trend != "falling")
        parts.append(f"{recent} meldingen in de laatste {cfg.trend_days} dagen (nodig: {cfg.advice_min_recent}"
                     + ("" if cfg.advice_allow_falling else ", en niet dalend") + ")")
    increase = trend == "rising" or bool(above_baseline)
    why_increase = f"trend {_TREND_NL.get(trend, trend)}"
    if above_baseline is not None:
        why_increase += (f", laatste periode {'wel' if above_baseline else 'niet'} significant boven de eigen "
                         "basislijn")
    if cfg.advice_need_increase:
        rules["toename"] = increase
        parts.append(f"{why_increase} (nodig: stijgend of boven de basislijn)")
    else:
        parts.append(f"{why_increase}: " + ("versterkt het advies" if increase else "geen toename, niet vereist"))
    ok = all(rules.values())
    if level not in cfg.advice_levels:
        return Advice(False, rules, f"Geen fenomeenadvies op {_LEVEL_NL.get(level, level)}niveau "
                                    "(eerder een casusaanpak); " + "; ".join(parts) + ".")
    if ok:
        head = "Advies: fenomeenaanpak overwegen" + (" (versterkt door toename)" if increase else "")
        return Advice(True, rules, head + ", want " + "; ".join(parts) + ".")
    missing = [name for name, hit in rules.items() if not hit]
    return Advice(False, rules, f"Geen fenomeenadvies (niet voldaan: {', '.join(missing)}); " + "; ".join(parts) + ".")


_TREND_NL = {"rising": "stijgend", "stable": "stabiel", "falling": "dalend"}
_LEVEL_NL = {"address": "adres", "cluster": "cluster", "buurt": "buurt"}
