"""The hotspot score at real volumes: monotone in volume, relative to the expectation, sources only where
the data has several, ties broken by volume, and a reason that explains every part."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netwerk.frames import Frames
from netwerk.hotspots import find_hotspots
from netwerk.hotspots.score import SCORE_PARTS, score_parts

END = pd.Timestamp("2021-12-31")


def _signals(address: str, n: int, *, days: int = 360, rising: bool = False, source: str = "politie",
             prefix: str | None = None) -> list[dict]:
    """``n`` signals at one address spread over the last ``days`` days (or piling up towards the end)."""
    frac = np.linspace(0, 1, n) ** (0.3 if rising else 1.0)
    when = [END - pd.Timedelta(days=round(float(days * (1 - f)))) for f in frac]
    return [{"signal_id": f"{prefix or address}-{i}", "reported_at": t, "category": "Overlast", "domain": "woon",
             "source": source, "address_id": address, "buurt_code": "BU01"} for i, t in enumerate(when)]


def _frames(rows: list[dict], n_addresses: int = 400) -> Frames:
    addresses = pd.DataFrame({"address_id": [f"a{i}" for i in range(n_addresses)], "buurt_code": "BU01"})
    return Frames.from_tables({"signals": pd.DataFrame(rows), "addresses": addresses})


def _background(n: int = 60) -> list[dict]:
    return [r for i in range(n) for r in _signals(f"a{100 + i}", 1, prefix=f"bg{i}")]


def test_volume_points_never_saturate() -> None:
    n = np.array([1, 4, 20, 44, 171, 442, 4420])
    pts = score_parts(n, np.full(7, 3), np.ones(7), np.full(7, "stable"), np.full(7, 1e-9))["volume"]
    assert np.all(np.diff(pts) > 0) and pts[-1] < SCORE_PARTS["volume"][0]


def test_single_source_shares_the_sources_points_over_the_rest() -> None:
    args = (np.array([50]), np.array([3]), np.array([1]), np.array(["rising"]), np.array([1e-9]))
    multi = score_parts(*args, ratio=np.array([1e6]))
    single = score_parts(*args, ratio=np.array([1e6]), multi_source=False)
    assert single["bronnen"][0] == 0 and multi["bronnen"][0] == 0  # one reporter: no points either way
    assert sum(single.values())[0] > sum(multi.values())[0]  # ... but with one source in the data no penalty
    assert single["trend"][0] == pytest.approx(10 / 8)


def test_ten_times_the_incidents_ranks_higher_on_single_source_data() -> None:
    rows = _signals("a1", 300) + _signals("a2", 30) + _background()
    found = {h.key: h for h in find_hotspots(_frames(rows), levels=["address"])}
    big, small = found["a1"], found["a2"]
    assert big.trend == small.trend == "stable"
    assert big.significance < 0.05 and small.significance < 0.05
    order = [h.key for h in find_hotspots(_frames(rows), levels=["address"])]
    assert order.index("a1") < order.index("a2")
    assert big.score_parts["volume"] > small.score_parts["volume"] and big.score > small.score
    assert big.score_parts["bronnen"] == 0
    for h in (big, small):  # the reason names every part, with the number behind it
        assert "bronnen niet meegeteld (de gegevens hebben één bron)" in h.reason
        assert f"volume {h.score_parts['volume']:.1f}".replace(".", ",") + f" ({h.n_effective} meldingen)" in h.reason
        for part in SCORE_PARTS:
            assert part in h.reason
        assert "bronnen niet getoetst" in h.reason  # the advice does not ask for several sources either


def test_a_rising_smaller_place_may_rank_above_and_says_why() -> None:
    rows = _signals("a1", 300) + _signals("a2", 30, rising=True, days=200) + _background()
    # the big place stopped growing: its last quarter is much quieter than before
    rows = [r for r in rows if not (r["address_id"] == "a1" and r["reported_at"] > END - pd.Timedelta(days=80))]
    found = {h.key: h for h in find_hotspots(_frames(rows), levels=["address"])}
    big, small = found["a1"], found["a2"]
    assert (big.trend, small.trend) == ("falling", "rising")
    assert big.score_parts["volume"] > small.score_parts["volume"]
    assert "trend 0,0 (dalend)" in big.reason and "(stijgend)" in small.reason


def test_ties_are_broken_by_volume() -> None:
    rows = _signals("a1", 30) + _signals("a2", 30, prefix="x") + _background()
    rows += [dict(r, signal_id=r["signal_id"] + "-dup") for r in _signals("a2", 30, prefix="x")]  # same day, source
    hs = find_hotspots(_frames(rows), levels=["address"])
    a1, a2 = (next(h for h in hs if h.key == k) for k in ("a1", "a2"))
    assert a1.n_effective == a2.n_effective and a2.n_signals == 2 * a1.n_signals
    assert a1.score == pytest.approx(a2.score)
    assert [h.key for h in hs][:2] == ["a2", "a1"]  # same score: more signals first, not the smaller key


def test_chart_shows_the_analysed_period_with_its_trend(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from netwerk.hotspots.charts import hotspot_chart, monthly_counts

    rows = _signals("a1", 300) + _signals("a2", 30, rising=True, days=200) + _background()
    frames = _frames(rows)
    small = next(h for h in find_hotspots(frames, levels=["address"]) if h.key == "a2")
    months = monthly_counts(frames, small.evidence, since=pd.Timestamp(small.extra["period_start"]),
                            until=pd.Timestamp(small.extra["period_end"]))
    assert len(months) == 12 and months.iloc[0] == 0  # the whole year (2021), months before the problem included
    assert months.iloc[-3:].sum() > months.iloc[-6:-3].sum()  # bars rise where the title says "stijgend"
    assert small.trend == "rising"
    assert hotspot_chart(small, frames, tmp_path / "a2.png").stat().st_size > 5_000
