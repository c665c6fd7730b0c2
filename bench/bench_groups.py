"""Benchmark: youth groups on 100k persons / ~1M co-involvement edges (issues 5, 11 and 15).

A planted-partition municipality is built with numpy: ``--persons`` youths in groups of ~50, signals
with 3 persons each, 85 % from one group. Measured in one run:

- end to end (frames -> network -> groups -> roles), wall time: the sparse-matrix network
  (:func:`~netwerk.youth.network.youth_graph`), the igraph built from its edge arrays, detection,
  members/randfiguren, centrality (sampled betweenness, in a worker process alongside the detection, as
  :func:`~netwerk.youth.analysis.run_analysis` runs it) and roles;
- ``detect_groups`` against a bare igraph multilevel (Louvain) and igraph Leiden on the same graph
  (time, modularity, NMI against the planted groups; ``--all-methods`` adds networkx Louvain and
  leidenalg, which take minutes);
- ``groups`` end to end (``run_analysis``: the whole analysis behind ``netwerk groups``, report included)
  before and after: *before* is the code of :data:`BASELINE` (networkx projection, conversion, per-group
  report), loaded from git by :func:`load_before` — nothing of it is copied here. The same detection
  is checked to give the same groups on both paths.

The figures of the issue (previous run) are written beside the new ones (``previous``).

Usage: ``python -m bench.run groups [-- --persons 100000 --signals 420000 --skip-before --all-methods
--before-persons 20000]`` (``--before-persons``: the before/after comparison on a smaller benchmark, when
the old path takes too long on a loaded machine).
Writes bench/results/groups.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from netwerk.frames import Frames
from netwerk.youth.analysis import _incidence, run_analysis
from netwerk.youth.communities import detect_groups, detect_membership, prune_weak_members
from netwerk.youth.network import youth_graph
from netwerk.youth.roles import centrality, member_roles, start_centrality

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
#: The last commit before the sparse network and the vectorised report: the "before" of this benchmark.
BASELINE = "dcd791d"
#: The figures issue 15 reports for the landed code (same benchmark, 2 shared cores).
PREVIOUS = {
    "end_to_end_s": 26.0, "projection_s": 15.7, "to_igraph_s": 2.3, "detect_groups_s": 3.96,
    "igraph_multilevel_s": 1.83, "detection_ratio_vs_igraph_multilevel": 2.2,
}
_STEPS = ("end_to_end_s", "projection_s", "to_igraph_s", "detect_groups_s", "prune_s", "centrality_s", "roles_s")
_MODULES = ("__init__", "network", "communities", "compare", "roles", "analysis")


def synthetic_frames(persons: int, signals: int, group_size: int = 50, mix: float = 0.15, seed: int = 1) -> tuple[
    Frames, np.ndarray
]:
    """Frames with ``signals`` 3-person signals over ``persons`` youths in planted groups."""
    rng = np.random.default_rng(seed)
    n_groups = persons // group_size
    planted = rng.integers(0, n_groups, persons)
    order = np.argsort(planted, kind="stable")
    starts = np.searchsorted(planted[order], np.arange(n_groups))
    sizes = np.bincount(planted, minlength=n_groups)
    g = rng.integers(0, n_groups, signals)
    picks = np.empty((signals, 3), dtype=np.int64)
    for k in range(3):
        inside = order[starts[g] + (rng.random(signals) * sizes[g]).astype(np.int64)]
        outside = rng.integers(0, persons, signals)
        picks[:, k] = np.where(rng.random(signals) < mix, outside, inside)
    ids = np.char.add("P", np.arange(persons).astype(str))
    sig_ids = np.char.add("S", np.arange(signals).astype(str))
    days = rng.integers(0, 365, signals)
    sig = pd.DataFrame({
        "signal_id": sig_ids, "reported_at": pd.Timestamp("2024-11-01") + pd.to_timedelta(days, unit="D"),
        "category": "Overlast van en door personen of groepen", "subcategory": "Jongerenoverlast", "domain": "jeugd",
    })
    sp = pd.DataFrame({
        "signal_id": np.repeat(sig_ids, 3), "person_id": ids[picks.ravel()],
        "role": np.where(rng.random(signals * 3) < 0.3, "verdachte", "betrokkene"),
    }).drop_duplicates(["signal_id", "person_id"])
    persons_df = pd.DataFrame({"person_id": ids, "birth_year": rng.integers(2003, 2011, persons)})
    return Frames.from_tables({"signals": sig, "signal_persons": sp, "persons": persons_df}), planted


def load_before(commit: str = BASELINE) -> ModuleType:
    """The youth package as it was at ``commit`` (read with ``git show``), importable as ``youth_before``."""
    pkg = Path(tempfile.mkdtemp(prefix="youth-before-")) / "youth_before"
    pkg.mkdir()
    for name in _MODULES:
        src = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:src/netwerk/youth/{name}.py"],
                             check=True, capture_output=True, text=True).stdout
        (pkg / f"{name}.py").write_text(src.replace("netwerk.youth.", "youth_before."), encoding="utf-8")
    sys.path.insert(0, str(pkg.parent))
    return importlib.import_module("youth_before.analysis")


def _before_after(frames: Frames, persons: int, t_after: float, detected: Any) -> dict[str, Any]:
    """``groups`` end to end with the code of :data:`BASELINE` on the same frames, beside ``t_after``."""
    old = load_before()
    old_res, t_old = _timed(lambda: old.run_analysis(frames, edge_types=("signal",)))
    net = youth_graph(frames, edge_types=("signal",))
    return {
        "commit": BASELINE, "persons": persons, "groups_end_to_end_before_s": round(t_old, 2),
        "groups_end_to_end_after_s": round(t_after, 2),
        "groups_end_to_end_ratio_after_vs_before": round(t_after / t_old, 3),
        "groups_speedup": round(t_old / t_after, 1),
        # the same detection on the old networkx graph and on the new sparse network ...
        "same_detected_groups": old.detect_groups(old_res.graph).groups == detected.groups,
        # ... and the same members with the old pruning rule
        "same_members_without_randfiguren": old_res.detection.groups == prune_weak_members(
            net, detected, _incidence(frames, net), randfiguren=False).groups,
    }


def normalised(result: dict[str, Any]) -> dict[str, Any]:
    """Times scaled to the machine of :data:`PREVIOUS` by the bare igraph multilevel of the same run
    (a loaded machine slows every step alike; the ratio of two runs of the same C routine measures it)."""
    base = next(r for r in result["detection"] if r["method"] == "igraph multilevel")["seconds"]
    factor = PREVIOUS["igraph_multilevel_s"] / base
    return {
        "load_factor": round(1 / factor, 2),
        "end_to_end_s_normalised": round(result["end_to_end_s"] * factor, 2),
        "groups_end_to_end_s_normalised": round(result["groups_end_to_end_s"] * factor, 2),
    }


def _timed(fn: Any) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--signals", type=int, default=420_000)
    ap.add_argument("--skip-before", action="store_true", help="skip the old path (minutes on 100k persons)")
    ap.add_argument("--before-persons", type=int, default=None,
                    help="run the before/after comparison on a smaller benchmark (signals scaled alike)")
    ap.add_argument("--all-methods", action="store_true", help="also networkx Louvain and leidenalg (slow)")
    ap.add_argument("--skip-networkx", action="store_true", help="(kept for old scripts; networkx is opt-in)")
    args = ap.parse_args(argv)

    (frames, planted), t_build = _timed(lambda: synthetic_frames(args.persons, args.signals))
    # frames -> network -> groups -> roles, as run_analysis runs it: the centrality in a worker process
    # alongside igraph + detection + pruning, so only the wait for it counts (wall time of the whole)
    start = time.perf_counter()
    net, t_proj = _timed(lambda: youth_graph(frames, edge_types=("signal",)))
    pending = start_centrality(net)
    g, t_conv = _timed(lambda: net.arrays.igraph)
    det0, t_det = _timed(lambda: detect_groups(net))
    det, t_prune = _timed(lambda: prune_weak_members(net, det0, _incidence(frames, net)))
    cent, t_cent = _timed(pending)
    _, t_roles = _timed(lambda: member_roles(net, det, cent))
    end_to_end = time.perf_counter() - start
    serial, t_serial = _timed(lambda: centrality(net))  # the same centrality in this process, for the record
    assert np.array_equal(serial.betweenness, cent.betweenness)

    names = net.arrays.names
    truth = {f"P{i}": int(c) for i, c in enumerate(planted)}
    t_vec = [truth[n] for n in names]
    rows: list[dict[str, Any]] = []

    def record(method: str, membership: list[int], seconds: float) -> None:
        rows.append({
            "method": method, "seconds": round(seconds, 3), "groups": len(set(membership)),
            "modularity": round(g.modularity(membership, weights="weight"), 5),
            "nmi": round(ig.compare_communities(t_vec, membership, method="nmi"), 4),
        })

    if args.all_methods:
        G = net.to_networkx()
        comms, sec = _timed(lambda: nx.community.louvain_communities(G, weight="weight", seed=42))
        label = {n: i for i, c in enumerate(comms) for n in c}
        record("networkx louvain", [label[n] for n in names], sec)
    methods = [("multilevel", "igraph multilevel"), ("leiden", "igraph leiden")]
    methods += [("leidenalg", "leidenalg")] if args.all_methods else []
    for method, name in methods:
        mem, sec = _timed(lambda method=method: detect_membership(g, seed=42, method=method))
        record(name, mem, sec)
    label = {n: i for i, grp in enumerate(det0.groups) for n in grp}
    record("netwerk detect_groups", [label.get(n, len(names) + i) for i, n in enumerate(names)], t_det)
    base = next(r for r in rows if r["method"] == "igraph multilevel")
    ours = rows[-1]
    leiden = next(r for r in rows if r["method"] == "igraph leiden")

    # `groups` end to end (run_analysis, report included): after, and before from the baseline commit
    res, t_groups = _timed(lambda: run_analysis(frames, edge_types=("signal",)))
    before: dict[str, Any] = {}
    smaller = bool(args.before_persons and args.before_persons < args.persons)
    if not args.skip_before and not smaller:
        before = _before_after(frames, args.persons, t_groups, det0)
    elif not args.skip_before:
        small, _ = synthetic_frames(args.before_persons, args.signals * args.before_persons // args.persons)
        _, t_small = _timed(lambda: run_analysis(small, edge_types=("signal",)))
        before = _before_after(small, args.before_persons, t_small,
                               detect_groups(youth_graph(small, edge_types=("signal",))))
    counts = res.counts
    result = {
        "persons": args.persons, "signals": args.signals, "nodes": net.number_of_nodes(),
        "edges": net.number_of_edges(), "build_frames_s": round(t_build, 2), "projection_s": round(t_proj, 2),
        "to_igraph_s": round(t_conv, 2), "detect_groups_s": round(t_det, 2), "prune_s": round(t_prune, 2),
        "detection": rows, "centrality_s": round(t_cent, 2), "centrality_serial_s": round(t_serial, 2),
        "betweenness_sampled": cent.sampled,
        "betweenness_pivots": cent.pivots, "roles_s": round(t_roles, 2), "end_to_end_s": round(end_to_end, 2),
        "end_to_end_steps": "wall time of projection, to_igraph, detect_groups, prune, roles in this process "
                            "and centrality in a worker process alongside to_igraph..prune (centrality_s: the "
                            "wait for it; centrality_serial_s: the same in this process)",
        "detection_ratio_vs_igraph_multilevel": round(ours["seconds"] / base["seconds"], 2),
        "leiden_step_ratio_vs_igraph_multilevel": round(leiden["seconds"] / base["seconds"], 2),
        "modularity_vs_igraph_multilevel": round(ours["modularity"] - base["modularity"], 5),
        "groups_end_to_end_s": round(t_groups, 2), "groups_counts": counts, "before": before,
        "previous": PREVIOUS,
    }
    result.update(normalised(result))
    last = RESULTS / "groups.json"
    if last.exists():  # the previous run's step times beside this run's
        old = json.loads(last.read_text(encoding="utf-8"))
        result["previous_run"] = {k: old[k] for k in _STEPS if k in old}
    print(f"{result['nodes']:,} jongeren, {result['edges']:,} verbindingen (frames {t_build:.1f}s)")
    print(f"{'stap':34} {'nu (s)':>8} {'vorige (s)':>11}")
    for label_, now, prev in (
        ("netwerk (sparse matrices)", t_proj, PREVIOUS["projection_s"]),
        ("igraph uit kantarrays", t_conv, PREVIOUS["to_igraph_s"]),
        ("detect_groups", t_det, PREVIOUS["detect_groups_s"]),
        ("eind-tot-eind (netwerk..rollen)", end_to_end, PREVIOUS["end_to_end_s"]),
    ):
        print(f"{label_:34} {now:8.2f} {prev:11.2f}")
    print(f"{'methode':34} {'tijd (s)':>8} {'groepen':>8} {'modulariteit':>13} {'NMI':>7}")
    for r in rows:
        print(f"{r['method']:34} {r['seconds']:8.2f} {r['groups']:8d} {r['modularity']:13.5f} {r['nmi']:7.4f}")
    print(f"detect_groups / igraph multilevel = {result['detection_ratio_vs_igraph_multilevel']}x "
          f"(vorige {PREVIOUS['detection_ratio_vs_igraph_multilevel']}x); eind-tot-eind {end_to_end:.2f}s "
          f"(vorige {PREVIOUS['end_to_end_s']}s)")
    print(f"groups (run_analysis, met rapport) {t_groups:.2f}s; telling {counts}")
    print(f"genormaliseerd naar de machine van de vorige meting (belasting {result['load_factor']}x): "
          f"eind-tot-eind {result['end_to_end_s_normalised']}s, groups {result['groups_end_to_end_s_normalised']}s")
    if before:
        print(f"groups op {before['persons']:,} personen: voor ({BASELINE}) {before['groups_end_to_end_before_s']}s "
              f"-> na {before['groups_end_to_end_after_s']}s: {before['groups_end_to_end_ratio_after_vs_before']}x; "
              f"zelfde groepen: {before['same_detected_groups']}, zelfde leden (zonder randfiguren): "
              f"{before['same_members_without_randfiguren']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "groups.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
