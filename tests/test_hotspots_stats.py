"""Known-value tests of the hotspot statistics (hand-checkable examples, as PySAL esda does)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from netwerk.hotspots import (
    DEFAULT_CONFIG,
    dbscan,
    fenomeen_advice,
    getis_ord_gi_star,
    knn_weights,
    knox_test,
    load_config,
    recurrence,
    trend,
)
from netwerk.hotspots.score import score_parts


def _chain(n: int) -> np.ndarray:
    w = np.zeros((n, n))
    for i in range(n - 1):
        w[i, i + 1] = w[i + 1, i] = 1
    return w


def test_gi_star_six_area_chain_by_hand() -> None:
    # x = 1..6 on a chain, Gi* includes the area itself. mean 3.5, S = sqrt(91/6 - 3.5^2) = 1.707825.
    # area 6: neighbourhood {5, 6}: sum 11, W 2, S1 2 -> z = (11 - 7) / (S * sqrt((6*2 - 4)/5)) = 1.851640
    # area 3: {2, 3, 4}: sum 9, W 3, S1 3 -> z = (9 - 10.5) / (S * sqrt((18 - 9)/5)) = -0.654654
    # area 2: {1, 2, 3}: sum 6 -> z = -4.5 / 2.291288 = -1.963961
    r = getis_ord_gi_star(np.arange(1.0, 7.0), _chain(6))
    assert_allclose(r.z, [-1.851640, -1.963961, -0.654654, 0.654654, 1.963961, 1.851640], atol=1e-6)
    assert_allclose(r.G[5], 11 / 21)
    assert_allclose(r.EG[5], 2 / 6)
    assert r.p_hot[5] < 0.05 < r.p_hot[3]
    assert_allclose(r.p_norm, r.p_norm[::-1])  # symmetric example: |z| mirrored


def test_gi_star_columns_are_independent_and_constant_is_zero() -> None:
    y = np.column_stack([np.arange(1.0, 7.0), np.full(6, 4.0)])
    r = getis_ord_gi_star(y, _chain(6))
    assert_allclose(r.z[:, 0], getis_ord_gi_star(np.arange(1.0, 7.0), _chain(6)).z)
    assert_array_equal(r.z[:, 1], 0.0)


def test_gi_star_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="vorm"):
        getis_ord_gi_star(np.ones(3), np.ones((4, 4)))
    with pytest.raises(ValueError, match="NaN"):
        getis_ord_gi_star(np.array([1.0, np.nan, 2.0]), _chain(3))


def test_knn_weights_rows_have_k_neighbours() -> None:
    xy = np.random.default_rng(1).random((30, 2))
    w = knn_weights(xy, 4)
    assert_array_equal(np.asarray(w.sum(axis=1)).ravel(), 4)
    assert w.diagonal().sum() == 0


def test_knox_exact_counts_on_tiny_set() -> None:
    # points: a(0,0,t0) b(50,0,t3) c(150,0,t10) d(1000,0,t1)
    # spatial pairs <=100 m: ab(50); 100-200: ac(150), bc(100 -> first band: edges are inclusive)
    xy = np.array([[0.0, 0.0], [50.0, 0.0], [150.0, 0.0], [1000.0, 0.0]])
    t = np.array([0.0, 3.0, 10.0, 1.0])
    r = knox_test(xy, t, (100.0, 200.0), (5.0, 15.0), permutations=199, seed=3)
    # ab: d 50 (band 0), dt 3 (band 0); bc: d 100 (band 0), dt 7 (band 1); ac: d 150 (band 1), dt 10 (band 1)
    assert_array_equal(r.observed, [[1, 1], [0, 1]])
    # exact expectation = spatial pairs per band x time pairs per band / 6 pairs
    # time pairs: dt = 3,10,1,7,2,9 -> <=5: {3,1,2} = 3; (5,15]: {10,7,9} = 3
    assert_allclose(r.expected_exact, np.outer([2, 1], [3, 3]) / 6)
    # brute force over all 24 permutations gives the same expectation
    tables = []
    for perm in itertools.permutations(range(4)):
        tables.append(knox_test(xy, t[list(perm)], (100.0, 200.0), (5.0, 15.0), permutations=1).observed)
    assert_allclose(np.mean(tables, axis=0), r.expected_exact)
    assert_allclose(r.expected, r.expected_exact, atol=0.15)
    assert ((r.p_value > 0) & (r.p_value <= 1)).all()


def test_knox_detects_planted_near_repeats_and_not_random() -> None:
    rng = np.random.default_rng(0)
    xy = rng.random((300, 2)) * 5000
    t = rng.random(300) * 365
    flat = knox_test(xy, t, (200.0,), (14.0,), permutations=99, seed=0)
    assert flat.p_value[0, 0] > 0.01
    # add 40 follow-up events within 50 m and 5 days of the first 40
    xy2 = np.vstack([xy, xy[:40] + rng.normal(0, 20, (40, 2))])
    t2 = np.concatenate([t, t[:40] + rng.random(40) * 5])
    near = knox_test(xy2, t2, (200.0,), (14.0,), permutations=99, seed=0)
    assert near.ratio[0, 0] > 2 and near.p_value[0, 0] <= 0.01
    again = knox_test(xy2, t2, (200.0,), (14.0,), permutations=99, seed=0)
    assert_array_equal(again.expected, near.expected)  # seeded


def test_knox_sample_and_bad_input() -> None:
    xy = np.random.default_rng(2).random((50, 2)) * 100
    r = knox_test(xy, np.arange(50.0), max_events=20, permutations=5)
    assert (r.n_events, r.n_sampled) == (50, 20)
    with pytest.raises(ValueError, match="oplopend"):
        knox_test(xy, np.arange(50.0), distance_edges=(200.0, 100.0))


def test_dbscan_weighted_locations() -> None:
    xy = np.array([[0.0, 0], [60, 0], [120, 0], [1000, 0], [5000, 0]])
    assert dbscan(xy, 75, 3).tolist() == [0, 0, 0, -1, -1]
    assert dbscan(xy, 75, 3, weights=np.array([1, 1, 1, 3, 2])).tolist() == [0, 0, 0, 1, -1]


def test_recurrence_burst_never_qualifies_and_window_edges() -> None:
    # group 0: 20 signals on one day (burst); group 1: 4 signals on days 0, 30, 60, 89 (exactly one 90-day window)
    gid = np.array([0] * 20 + [1] * 4)
    day = np.array([10] * 20 + [0, 30, 60, 89])
    r = recurrence(gid, day, 2, window_days=90, min_signals=4, min_days=3, start_day=0, end_day=364)
    assert r.qualifies.tolist() == [False, True]
    assert r.best_signals.tolist() == [20, 4]
    r2 = recurrence(np.array([1] * 4), np.array([0, 30, 60, 90]), 2, window_days=90, min_signals=4, min_days=3,
                    start_day=0, end_day=364)
    assert not r2.qualifies[1]  # day 90 is outside a window that starts on day 0


def test_trend_labels() -> None:
    gid = np.repeat([0, 1, 2], [6, 6, 2])
    day = np.array([300, 320, 340, 350, 355, 360, 10, 40, 70, 100, 130, 160, 100, 300])
    t = trend(gid, day, 3, start_day=0, end_day=364, trend_days=91)
    assert t.label.tolist() == ["rising", "falling", "stable"]


def test_score_and_advice_rules() -> None:
    parts = score_parts(np.array([1, 20]), np.array([0, 3]), np.array([1, 5]), np.array(["falling", "rising"]),
                        np.array([1.0, 1e-9]), ratio=np.array([1.0, 4.0]))
    total = sum(parts.values())
    # 20 signals give half the volume points, 4x the expectation half the expectation points; the rest is full
    assert total[0] < 1 and total[1] == pytest.approx(10 - 2.5 / 2 - 1.5 / 2)
    a = fenomeen_advice("buurt", active_windows=3, n_windows=4, n_addresses=2, n_sources=5, trend="rising",
                        p_value=0.2, config=DEFAULT_CONFIG, above_baseline=False)
    assert not a.advice and a.rules["spreiding"] is False and "spreiding" in a.reason
    b = fenomeen_advice("address", active_windows=3, n_windows=4, n_addresses=1, n_sources=5, trend="rising",
                        p_value=0.001, config=DEFAULT_CONFIG)
    assert not b.advice and "casusaanpak" in b.reason


def test_config_files(tmp_path: Path) -> None:
    (tmp_path / "h.yaml").write_text("window_days: 60\nknox_time_days: [3, 9]\n")
    (tmp_path / "h.toml").write_text("[hotspots]\nmin_signals = 6\n")
    assert load_config(tmp_path / "h.yaml").window_days == 60
    assert load_config(tmp_path / "h.yaml").knox_time_days == (3, 9)
    assert load_config(tmp_path / "h.toml").min_signals == 6
    (tmp_path / "bad.yaml").write_text("venster: 3\n")
    with pytest.raises(ValueError, match="onbekende hotspot-instelling"):
        load_config(tmp_path / "bad.yaml")
    with pytest.raises(ValueError, match="minstens 1"):
        DEFAULT_CONFIG.updated(min_days=0)


def test_fenomeen_advice_is_recurrence_not_increase() -> None:
    kw = dict(active_windows=3, n_windows=4, n_addresses=51, n_sources=6, p_value=1e-5, config=DEFAULT_CONFIG,
              recent=20)
    stable = fenomeen_advice("buurt", trend="stable", above_baseline=False, **kw)  # type: ignore[arg-type]
    assert stable.advice and "toename" not in stable.rules and "geen toename, niet vereist" in stable.reason
    rising = fenomeen_advice("buurt", trend="rising", above_baseline=True, **kw)  # type: ignore[arg-type]
    assert rising.advice and "versterkt door toename" in rising.reason
    strict = DEFAULT_CONFIG.updated(advice_need_increase=True)
    kw_strict = {**kw, "config": strict}
    assert not fenomeen_advice("buurt", trend="stable", above_baseline=False, **kw_strict).advice  # type: ignore[arg-type]
    once = fenomeen_advice("buurt", trend="rising", above_baseline=True,  # type: ignore[arg-type]
                           **{**kw, "active_windows": 1})
    assert not once.advice and once.rules["herhaling"] is False
    stopped = fenomeen_advice("buurt", trend="falling", above_baseline=False,  # type: ignore[arg-type]
                              **{**kw, "recent": 0})
    assert not stopped.advice and stopped.rules["actueel"] is False


def test_fenomeen_advice_sources_only_with_several_sources_in_the_data() -> None:
    kw = dict(active_windows=3, n_windows=4, n_addresses=9, n_sources=1, trend="stable", p_value=1e-5,
              config=DEFAULT_CONFIG, recent=5)
    multi = fenomeen_advice("buurt", **kw)  # type: ignore[arg-type]
    assert not multi.advice and multi.rules["bronnen"] is False
    single = fenomeen_advice("buurt", multi_source=False, **kw)  # type: ignore[arg-type]
    assert single.advice and "bronnen" not in single.rules and "de gegevens hebben één bron" in single.reason


def test_trend_follows_the_bars_of_a_new_problem() -> None:
    # a problem that began four months before the end: 6, 4, 3 and 2 signals per month
    day = np.concatenate([np.full(6, 245), np.full(4, 275), np.full(3, 305), np.full(2, 335)])
    t = trend(np.zeros(len(day), dtype=int), day, 1, start_day=0, end_day=364, trend_days=90)
    assert t.label.tolist() == ["falling"]
    # the same counts in the other order are rising
    t = trend(np.zeros(len(day), dtype=int), 580 - day, 1, start_day=0, end_day=364, trend_days=90)
    assert t.label.tolist() == ["rising"]
