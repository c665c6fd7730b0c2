"""Benchmark: youth-group detection on 100k persons / ~1M co-involvement edges (issue 5, item 8).

A planted-partition municipality is built with numpy: ``--persons`` youths in groups of ~50, signals
with 3 persons each, 85 % from one group. Measured end to end: projection (frames -> youth network),
detection, roles (degree, sampled betweenness, k-core). Side by side on the same graph: networkx
Louvain, igraph multilevel, igraph Leiden and leidenalg (time and modularity, NMI against the planted
groups). Target: the project's detection step within 1.5x of igraph multilevel at equal or better
modularity; end to end under a minute.

Usage: ``python bench/bench_groups.py [--persons 100000] [--signals 420000] [--skip-networkx]``.
Writes bench/results/groups.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from netwerk.frames import Frames
from netwerk.youth.communities import detect_groups, detect_membership, to_igraph
from netwerk.youth.network import youth_network
from netwerk.youth.roles import centrality, member_roles

RESULTS = Path(__file__).parent / "results"


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


def _timed(fn: Any) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--signals", type=int, default=420_000)
    ap.add_argument("--skip-networkx", action="store_true", help="skip networkx Louvain (slow)")
    args = ap.parse_args(argv)

    (frames, planted), t_build = _timed(lambda: synthetic_frames(args.persons, args.signals))
    G, t_proj = _timed(lambda: youth_network(frames, edge_types=("signal",)))
    (g, names), t_conv = _timed(lambda: to_igraph(G))
    truth = {f"P{i}": int(c) for i, c in enumerate(planted)}
    t_vec = [truth[n] for n in names]
    w = g.es["weight"]
    rows: list[dict[str, Any]] = []

    def record(method: str, membership: list[int], seconds: float) -> None:
        rows.append({
            "method": method, "seconds": round(seconds, 3), "groups": len(set(membership)),
            "modularity": round(g.modularity(membership, weights=w), 5),
            "nmi": round(ig.compare_communities(t_vec, membership, method="nmi"), 4),
        })

    if not args.skip_networkx:
        comms, sec = _timed(lambda: nx.community.louvain_communities(G, weight="weight", seed=42))
        label = {n: i for i, c in enumerate(comms) for n in c}
        record("networkx louvain", [label[n] for n in names], sec)
    for method, name in (("multilevel", "igraph multilevel"), ("leiden", "igraph leiden"),
                         ("leidenalg", "leidenalg")):
        mem, sec = _timed(lambda method=method: detect_membership(g, seed=42, method=method))
        record(name, mem, sec)
    det, t_det = _timed(lambda: detect_groups(G))
    label = {n: i for i, grp in enumerate(det.groups) for n in grp}
    full = [label.get(n, len(names) + i) for i, n in enumerate(names)]
    record("netwerk detect_groups (incl. conversion)", full, t_det)
    cent, t_cent = _timed(lambda: centrality(G))
    _, t_roles = _timed(lambda: member_roles(G, det, cent))

    base = next(r for r in rows if r["method"] == "igraph multilevel")
    ours = rows[-1]
    leiden = next(r for r in rows if r["method"] == "igraph leiden")
    result = {
        "persons": args.persons, "signals": args.signals, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
        "build_frames_s": round(t_build, 2), "projection_s": round(t_proj, 2), "to_igraph_s": round(t_conv, 2),
        "detection": rows, "centrality_s": round(t_cent, 2), "betweenness_sampled": cent.sampled,
        "betweenness_pivots": cent.pivots, "roles_s": round(t_roles, 2),
        "end_to_end_s": round(t_proj + t_det + t_cent + t_roles, 2),
        "detection_ratio_vs_igraph_multilevel": round(ours["seconds"] / base["seconds"], 2),
        # like for like: the same networkx -> igraph conversion added to igraph multilevel
        "detection_ratio_vs_igraph_multilevel_incl_conversion": round(ours["seconds"] / (base["seconds"] + t_conv), 2),
        "leiden_step_ratio_vs_igraph_multilevel": round(leiden["seconds"] / base["seconds"], 2),
        "modularity_vs_igraph_multilevel": round(ours["modularity"] - base["modularity"], 5),
    }
    print(f"{result['nodes']:,} jongeren, {result['edges']:,} verbindingen "
          f"(frames {t_build:.1f}s, projectie {t_proj:.1f}s)")
    print(f"{'methode':45} {'tijd (s)':>9} {'groepen':>8} {'modulariteit':>13} {'NMI':>7}")
    for r in rows:
        print(f"{r['method']:45} {r['seconds']:9.2f} {r['groups']:8d} {r['modularity']:13.5f} {r['nmi']:7.4f}")
    print(f"rollen: centraliteit {t_cent:.1f}s (betweenness {'steekproef' if cent.sampled else 'exact'}, "
          f"{cent.pivots} bronnen), rollen {t_roles:.1f}s")
    print(f"detectiestap (Leiden) / igraph multilevel = {result['leiden_step_ratio_vs_igraph_multilevel']}x; "
          f"detect_groups / (multilevel + conversie {t_conv:.1f}s) = "
          f"{result['detection_ratio_vs_igraph_multilevel_incl_conversion']}x; eind-tot-eind {result['end_to_end_s']}s")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "groups.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
