"""Youth networks (issue 5): projection, group detection, comparison with registered groups, roles.

Ground truth: the small synthetic municipality (``town``/``town_frames``) plants 3 active registered
youth groups (partly registered, with ex-members), 1 unregistered emerging group, 1 registered group
that fell apart more than a year ago, loose youths and youth-adult links in drugs signals.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import pid
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from netwerk.frames import Frames
from netwerk.youth import (
    analyse_groups,
    centrality,
    detect_groups,
    match_groups,
    run_analysis,
    youth_adult_links,
    youth_network,
)
from netwerk.youth.communities import prune_weak_members
from netwerk.youth.compare import jaccard
from netwerk.youth.network import shared_pairs
from netwerk.youth.roles import start_centrality
from netwerk.youth.visual import export_graph

# ---------------------------------------------------------------- tiny, hand-checkable inputs


def _frames() -> Frames:
    """Three youths in two signals, one adult, a sibling pair and a registered group."""
    sig = pd.DataFrame(
        {
            "signal_id": ["s1", "s2", "s3", "s4"],
            "reported_at": ["2025-01-01", "2025-07-01", "2025-06-30", "2020-01-01"],
            "category": ["Overlast", "Overlast", "Ondermijning", "Overlast"],
            "subcategory": ["Jongerenoverlast", "Jongerenoverlast", "Drugshandel", "Jongerenoverlast"],
            "domain": ["jeugd", "jeugd", "ondermijning", "jeugd"],
        }
    )
    sp = pd.DataFrame(
        {
            "signal_id": ["s1", "s1", "s2", "s2", "s2", "s3", "s3", "s4", "s4"],
            "person_id": ["a", "b", "a", "b", "c", "c", "z", "a", "d"],
            "role": ["verdachte", "verdachte", "betrokkene", "betrokkene", "getuige", "betrokkene", "verdachte",
                     "betrokkene", "betrokkene"],
        }
    )
    persons = pd.DataFrame({"person_id": ["a", "b", "c", "d", "z", "e"],
                            "birth_year": [2008, 2009, 2005, 2006, 1980, 2010]})
    regs = pd.DataFrame({"person_id": ["a", "e", "c"], "address_id": ["h1", "h1", "h2"],
                         "start_date": ["2015-01-01"] * 3})
    return Frames.from_tables(
        {
            "signals": sig, "signal_persons": sp, "persons": persons, "registrations": regs,
            "youth_groups": pd.DataFrame({"group_id": ["R1"], "name": ["JGP Test"]}),
            "group_members": pd.DataFrame({"group_id": ["R1", "R1"], "person_id": ["a", "c"]}),
        }
    )


def test_youth_network_weights_ages_and_edge_types() -> None:
    f = _frames()
    G = youth_network(f, half_life_days=180)
    # z is an adult; d's only signal is outside the default year; e has no signal
    assert sorted(G) == ["a", "b", "c"]
    assert G.graph["end"].strftime("%Y-%m-%d") == "2025-07-01"
    ab = G["a"]["b"]
    assert ab["n_signals"] == 2 and ab["types"] == "signal"
    # s1: both verdachte (1.0), 181 days before the end -> 0.5 ** (181/180); s2: both betrokkene (0.8), fresh
    assert_allclose(ab["weight"], 0.5 ** (181 / 180) + 0.8)
    ac = G["a"]["c"]  # s2 (betrokkene x getuige) + shared registered group R1
    assert_allclose(ac["signal_weight"], np.sqrt(0.8 * 0.3))
    assert ac["n_groups"] == 1 and ac["types"] == "signal,group"
    assert_allclose(ac["weight"], np.sqrt(0.8 * 0.3) + 0.5)
    assert G.nodes["c"]["age"] == 20


def test_youth_network_options() -> None:
    f = _frames()
    only_signals = youth_network(f, edge_types=("signal",))
    assert only_signals["a"]["c"]["types"] == "signal" and only_signals["a"]["c"]["n_groups"] == 0
    # a wide period brings in d (2020) and the address link a-e is absent (e has no signal)
    wide = youth_network(f, since="2019-01-01")
    assert "d" in wide and wide["a"]["d"]["n_signals"] == 1
    assert sorted(youth_network(f, min_age=18, max_age=24)) == ["c"]
    with pytest.raises(ValueError, match="verbindingstype"):
        youth_network(f, edge_types=("vriendschap",))
    with pytest.raises(ValueError, match="leeftijdsgrenzen"):
        youth_network(f, min_age=20, max_age=12)
    with pytest.raises(ValueError, match="periode"):
        youth_network(f, since="2025-08-01", until="2025-01-01")


def test_address_edges_link_siblings() -> None:
    f = _frames()
    f.signal_persons.loc[len(f.signal_persons)] = ["s1", "e", "melder"]
    G = youth_network(f)
    assert G["a"]["e"]["n_addresses"] == 1 and "address" in G["a"]["e"]["types"]
    assert "address" not in youth_network(f, edge_types=("signal", "group"))["a"]["e"]["types"]


def test_two_cliques_and_bridge_known_values() -> None:
    # two 4-cliques joined through the bridge node "m"
    G = nx.Graph()
    G.add_edges_from(nx.complete_graph(["a1", "a2", "a3", "a4"]).edges)
    G.add_edges_from(nx.complete_graph(["b1", "b2", "b3", "b4"]).edges)
    G.add_edges_from([("a4", "m"), ("m", "b1"), ("x", "y")])
    G.add_node("solo")
    c = centrality(G)
    assert c.nodes[int(np.argmax(c.betweenness))] == "m"
    exact = nx.betweenness_centrality(G)
    assert_allclose(c.betweenness, [exact[p] for p in c.nodes])
    assert dict(zip(c.nodes, c.core.tolist(), strict=True)) == {
        "a1": 3, "a2": 3, "a3": 3, "a4": 3, "b1": 3, "b2": 3, "b3": 3, "b4": 3, "m": 2, "x": 1, "y": 1,
        "solo": 0,
    }
    assert c.core.tolist() == [nx.core_number(G)[p] for p in c.nodes]
    det = detect_groups(G)
    assert {frozenset(g) - {"m"} for g in det.groups} == {frozenset({"a1", "a2", "a3", "a4"}),
                                                          frozenset({"b1", "b2", "b3", "b4"})}
    assert det.small_components == (("x", "y"),) and det.isolated == ("solo",)
    part = [set(g) for g in det.groups] + [{"x", "y"}, {"solo"}]
    assert_allclose(det.modularity, nx.community.modularity(G, part), atol=1e-9)
    m = G.number_of_edges()
    xy = 1 / m - (2 / (2 * m)) ** 2  # the small component's own modularity term
    assert_allclose(sum(det.group_modularity) + xy, det.modularity, atol=1e-9)


def test_sampled_betweenness_tracks_exact() -> None:
    G = nx.connected_watts_strogatz_graph(600, 6, 0.1, seed=3)
    exact = centrality(G)
    sampled = centrality(G, exact_max=100, pivots=200, seed=1)
    assert sampled.sampled and sampled.pivots == 200 and not exact.sampled
    assert np.corrcoef(exact.betweenness, sampled.betweenness)[0, 1] > 0.9
    assert_allclose(sampled.betweenness.mean(), exact.betweenness.mean(), rtol=0.15)


def test_centrality_from_a_worker_process_is_the_same() -> None:
    G = nx.connected_watts_strogatz_graph(3000, 6, 0.1, seed=5)
    here = centrality(G, seed=3)
    pending = start_centrality(G, seed=3, min_edges=1)  # a spawned worker when a second CPU is there
    there = pending()
    assert there.sampled and there.pivots == here.pivots
    assert there.nodes == here.nodes
    for a, b in ((there.degree, here.degree), (there.betweenness, here.betweenness), (there.core, here.core)):
        assert np.array_equal(a, b)
    assert start_centrality(G, seed=3)().betweenness.tolist() == here.betweenness.tolist()  # small: here


def test_a_betweenness_worker_nobody_waits_for_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import subprocess

    from netwerk import betweenness as worker

    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(worker.subprocess, "Popen", popen)
    G = nx.connected_watts_strogatz_graph(20_000, 10, 0.1, seed=1)
    src, dst = (np.array(x) for x in zip(*G.edges, strict=True))
    pending = worker.start_betweenness(G.number_of_nodes(), src, dst, list(range(500)))
    assert started and started[0].poll() is None  # at work
    del pending  # the analysis failed before it asked for the result
    gc.collect()
    assert started[0].poll() is not None


def test_shared_pairs_are_every_pair_of_a_group_once() -> None:
    rng = np.random.default_rng(2)
    group = np.repeat(np.arange(40), rng.integers(1, 7, 40))
    person = np.concatenate([rng.choice(30, size=k, replace=False) for k in np.bincount(group)])
    left, right = shared_pairs(person, group)
    got = sorted(zip(left.tolist(), right.tolist(), strict=True))
    want = sorted((i, j) for i in range(len(group)) for j in range(len(group))
                  if group[i] == group[j] and person[i] < person[j])
    assert got == want and len(want) > 100


def test_detect_groups_rejects_bad_input() -> None:
    G = nx.path_graph(4)
    with pytest.raises(ValueError, match="resolutie"):
        detect_groups(G, resolution=0)
    with pytest.raises(ValueError, match="groepsgrootte"):
        detect_groups(G, min_size=1)
    with pytest.raises(ValueError, match="ongerichte"):
        detect_groups(nx.DiGraph(G))


def test_detect_groups_independent_of_insertion_order() -> None:
    G = nx.planted_partition_graph(6, 15, 0.5, 0.02, seed=4)
    H = nx.Graph()
    H.add_nodes_from(reversed(list(G.nodes)))
    H.add_edges_from(reversed(list(G.edges)))
    assert detect_groups(G).groups == detect_groups(H).groups


def test_match_groups() -> None:
    matches, gone = match_groups(
        [{"a", "b", "c", "d"}, {"e", "f", "g"}, {"x", "y", "z"}],
        {"R1": {"a", "b", "c"}, "R2": {"e", "f", "q", "r"}, "R3": {"k", "l"}},
    )
    assert (matches[0].registered, matches[0].jaccard, matches[0].shared) == ("R1", 0.75, 3)
    assert (matches[1].registered, matches[1].jaccard) == ("R2", 0.4)
    assert matches[2].registered is None and gone == ["R3"]
    assert jaccard(set(), set()) == 0.0


def test_youth_adult_links_and_flagged() -> None:
    f = _frames()
    links = youth_adult_links(f)
    assert links[["youth", "adult", "signal_id"]].values.tolist() == [["c", "z", "s3"]]
    assert "ondermijnings-/drugsmelding" in links.loc[0, "evidence"]
    # z flagged by another analysis, no derivation from signals
    flagged = youth_adult_links(f, pd.DataFrame({"person_id": ["z"]}), derive=False)
    assert flagged["adult_flagged"].tolist() == [True]
    assert youth_adult_links(f, set(), derive=False).empty
    with pytest.raises(ValueError, match="person_id"):
        youth_adult_links(f, pd.DataFrame({"id": ["z"]}))


# ---------------------------------------------------------------- the synthetic municipality


@pytest.fixture(scope="module")
def town_analysis(town_frames: Frames):  # type: ignore[no-untyped-def]
    return run_analysis(town_frames)


def _planted(town: dict, status: tuple[str, ...] = ("active", "emerging")) -> list[dict]:
    return [g for g in town["truth"]["youth_groups"] if g["status"] in status]


def test_town_groups_match_planted(town: dict, town_analysis) -> None:  # type: ignore[no-untyped-def]
    detected = [set(g) for g in town_analysis.detection.groups]
    scores = []
    for g in _planted(town):
        members = {pid(p) for p in g["members"]}
        scores.append(max(jaccard(members, d) for d in detected))
    assert np.mean(scores) >= 0.8, scores
    # loose youths are not forced into groups
    loose = {pid(p) for p in town["truth"]["loose_youths"]}
    in_groups = loose & set(town_analysis.detection.membership)
    assert len(in_groups) <= 0.1 * len(loose)


def test_town_comparison_with_registered_groups(town: dict, town_analysis) -> None:  # type: ignore[no-untyped-def]
    groups = town_analysis.groups
    by_reg = {g["registered_group"]: g for g in groups if g["status"] == "active"}
    for planted in _planted(town, ("active",)):
        g = by_reg[planted["registered_group_id"]]
        members = {pid(p) for p in planted["members"]}
        registered = {pid(p) for p in planted["registered_members"]}
        suggested = {a["person_id"] for a in g["suggested_additions"]}
        assert (members - registered) <= suggested | (set(g["members"]) ^ members)
        assert all(a["signals"] for a in g["suggested_additions"])
        ex = {pid(p) for p in planted.get("ex_members", [])}
        assert ex <= set(g["inactive_registered_members"])
    for planted in _planted(town, ("emerging",)):
        members = {pid(p) for p in planted["members"]}
        best = max((g for g in groups if g["status"] in ("active", "emerging")),
                   key=lambda g: jaccard(members, g["members"]))
        assert best["status"] == "emerging" and best["registered_group"] is None
        assert jaccard(members, best["members"]) >= 0.8
    fallen = {g["registered_group"] for g in groups if g["status"] == "fallen_apart"}
    assert {pl["registered_group_id"] for pl in _planted(town, ("fallen_apart",))} <= fallen
    for g in groups:
        if g["status"] == "fallen_apart":
            assert g["evidence"] and g["last_joint_signal"] is not None


def test_town_json_contract_and_texts(town_analysis) -> None:  # type: ignore[no-untyped-def]
    groups = json.loads(json.dumps(town_analysis.groups, default=str))
    assert isinstance(groups, list) and groups
    contract = {"group_id", "members", "size", "registered_group", "overlap", "suggested_additions",
                "classification_hint", "key_persons", "modularity", "evidence"}
    for g in groups:
        assert contract <= set(g), g["group_id"]
        assert g["size"] == len(g["members"])
    detected = [g for g in groups if g["status"] in ("active", "emerging")]
    assert len({g["group_id"] for g in groups}) == len(groups)
    for g in detected:
        assert g["classification_hint"] in ("hinderlijk", "overlastgevend", "crimineel")
        assert "geen oordeel" in g["classification_reason"]
        assert g["key_persons"] and all(k["role"] in ("kern", "brug", "periferie") for k in g["key_persons"])
        assert 0 < g["modularity"] <= 1


def test_town_youth_adult_links(town: dict, town_frames: Frames, town_analysis) -> None:  # type: ignore[no-untyped-def]
    truth = {(pid(x["youth"]), pid(x["adult"]), x["signal_id"]) for x in town["truth"]["youth_adult_links"]}
    links = youth_adult_links(town_frames)
    found = set(zip(links["youth"], links["adult"], links["signal_id"], strict=True))
    assert truth <= found
    reported = {(x["youth"], x["adult"], x["signal_id"]) for g in town_analysis.groups for x in g["adult_links"]}
    assert truth <= reported
    risky = {r["person_id"] for g in town_analysis.groups for r in g["risk_persons"]}
    assert {y for y, _, _ in truth} <= risky


def test_town_deterministic(town_frames: Frames) -> None:
    a = analyse_groups(town_frames)
    b = analyse_groups(town_frames)
    assert json.dumps(a, default=str) == json.dumps(b, default=str)


def test_town_bridges_between_fighting_groups(town: dict, town_analysis) -> None:  # type: ignore[no-untyped-def]
    roles = town_analysis.roles
    bridges = roles[roles["role"] == "brug"]
    assert len(bridges) and (bridges["other_groups"] > 0).all()
    fights = {f["signal_id"] for f in town["truth"]["youth_fights"]}
    assert fights  # the small municipality plants fights between groups
    inv = town_analysis.network.involvements
    fighters = set(inv.loc[inv["signal_id"].isin(fights), "person_id"])
    assert fighters and set(bridges["person_id"]) <= fighters | set(roles.loc[roles["other_groups"] >= 2, "person_id"])
    assert set(bridges["person_id"]) & fighters
    # a bridge links groups; most members are not bridges
    assert len(bridges) < 0.2 * roles["member"].sum()


def test_prune_keeps_members_with_repeated_ties(town_frames: Frames) -> None:
    G = youth_network(town_frames)
    det = detect_groups(G)
    inv = G.graph["involvements"].rename(columns={"signal_id": "event_id"})
    pruned = prune_weak_members(G, det, inv)
    kept = set(pruned.membership)
    assert kept <= set(det.membership)
    for i, grp in enumerate(pruned.groups):
        sub = inv[inv["person_id"].isin(grp)]
        shared = sub.groupby("event_id")["person_id"].transform("size") >= 2
        ties = sub[shared].groupby("person_id")["event_id"].nunique()
        assert (ties.reindex(list(grp)).fillna(0) >= 2).all(), i


def test_export_graphml_and_gexf(tmp_path, town_analysis) -> None:  # type: ignore[no-untyped-def]
    G, det = town_analysis.graph, town_analysis.detection
    for fmt in ("graphml", "gexf"):
        path = export_graph(G, tmp_path / f"net.{fmt}", fmt, det)
        back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert back.number_of_nodes() == G.number_of_nodes()
        assert back.number_of_edges() == G.number_of_edges()
        member = next(iter(det.membership))
        assert back.nodes[member]["group"] == det.group_id(det.membership[member])
    with pytest.raises(ValueError, match="exportformaat"):
        export_graph(G, tmp_path / "x.csv", "csv")


def test_cli_groups_json_and_html(town_store_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from netwerk.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["groups", "--store", str(town_store_path), "--format", "json",
                              "--html", str(tmp_path / "html"), "--export", "gexf",
                              "--export-path", str(tmp_path / "net.gexf")])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert isinstance(data, list) and {g["status"] for g in data} >= {"active", "emerging", "fallen_apart"}
    assert (tmp_path / "html" / "jongerennetwerk.html").exists()
    assert (tmp_path / "html" / "groep-G1.html").exists()
    assert (tmp_path / "net.gexf").exists()
    table = runner.invoke(app, ["groups", "--store", str(town_store_path), "--min-age", "12", "--max-age", "24"])
    assert table.exit_code == 0 and "geen oordeel" in table.stdout
    bad = runner.invoke(app, ["groups", "--store", str(town_store_path), "--min-age", "30", "--max-age", "20"])
    assert bad.exit_code == 1 and "leeftijdsgrenzen" in bad.output


# ---------------------------------------------------------------- issue 11/15: sparse network, randfiguren, hints


def _naive_signal_edges(inv: pd.DataFrame) -> dict[tuple[str, str], tuple[float, int]]:
    """The co-involvement weights by plain Python loops over the signals (the reference)."""
    out: dict[tuple[str, str], tuple[float, int]] = {}
    for _, rows in inv.groupby("signal_id"):
        w = dict(zip(rows["person_id"], rows["weight"], strict=True))
        people = sorted(w)
        for i, u in enumerate(people):
            for v in people[i + 1:]:
                old_w, old_n = out.get((u, v), (0.0, 0))
                out[(u, v)] = (old_w + float(np.sqrt(w[u] * w[v])), old_n + 1)
    return out


def test_sparse_network_equals_the_pairwise_definition(town_frames: Frames) -> None:
    from netwerk.youth.network import youth_edges

    _, edges, inv = youth_edges(town_frames, edge_types=("signal",))
    ref = _naive_signal_edges(inv)
    got = {(u, v): (w, n) for u, v, w, n in edges[["u", "v", "signal_weight", "n_signals"]].itertuples(index=False)}
    assert set(got) == set(ref) and len(ref) > 100
    assert_allclose([got[k][0] for k in ref], [ref[k][0] for k in ref])
    assert [got[k][1] for k in ref] == [ref[k][1] for k in ref]
    # the last shared signal, checked on every edge
    last = inv.groupby("signal_id")["reported_at"].first()
    for u, v, when in edges[["u", "v", "last_signal"]].head(200).itertuples(index=False):
        shared = set(inv.loc[inv["person_id"] == u, "signal_id"]) & set(inv.loc[inv["person_id"] == v, "signal_id"])
        assert when == last[list(shared)].max()


def test_joint_signals_vectorised_matches_reference(town_analysis) -> None:  # type: ignore[no-untyped-def]
    from netwerk.youth.compare import joint_signals

    inv = town_analysis.network.involvements
    for members in town_analysis.detection.groups:
        js = joint_signals(inv, set(members))
        sub = inv[inv["person_id"].isin(members)]
        expected = {s: sorted(g["person_id"].astype(str)) for s, g in sub.groupby("signal_id") if len(g) >= 2}
        assert dict(zip(js["signal_id"], js["persons"], strict=True)) == expected and expected
        assert js["reported_at"].is_monotonic_decreasing


def test_randfiguren_stay_attached_and_everything_is_counted(town_analysis) -> None:  # type: ignore[no-untyped-def]
    det, groups = town_analysis.detection, town_analysis.groups
    c = town_analysis.counts
    n = town_analysis.network.number_of_nodes()
    assert n == (c["groepsleden"] + c["randfiguren"] + c["jongeren_in_groeperingen"]
                 + c["jongeren_in_kleine_componenten"] + c["losse_jongeren"])
    by_status = {s: [g for g in groups if g["status"] == s]
                 for s in ("active", "emerging", "small_component", "gathering")}
    assert c["groepen"] == len(by_status["active"]) + len(by_status["emerging"]) == len(det.groups)
    assert c["kleine_componenten"] == len(by_status["small_component"]) > 0  # 2-person components are no groups
    assert all(g["size"] < 3 or g["status"] != "small_component" for g in by_status["small_component"])
    rand = [p for g in groups for p in g["randfiguren"]]
    assert rand and len(rand) == len(set(rand)) == c["randfiguren"]
    assert not set(rand) & set(det.membership)
    roles = town_analysis.roles
    assert set(roles.loc[roles["role"] == "randfiguur", "person_id"]) == set(rand)


def test_randfiguren_off_gives_the_old_pruning(town_frames: Frames) -> None:
    on = run_analysis(town_frames)
    off = run_analysis(town_frames, randfiguren=False)
    assert off.detection.peripheral_of == {} and off.detection.gatherings == ()
    # the old rule counts ties among the remaining members only: its groups are within the new ones
    on_groups = [set(g) for g in on.detection.groups]
    assert off.detection.groups and all(any(set(g) <= h for h in on_groups) for g in off.detection.groups)
    # without randfiguren the weak youths are loose (never silently gone)
    assert set(on.detection.peripheral_of) <= set(off.detection.loose) | set(off.detection.membership)


def _signals(n: int, criminal: int, nuisance: int = 0) -> pd.DataFrame:
    cat = ["Ondermijning"] * criminal + ["Overlast"] * (n - criminal)
    sub = ["Drugshandel"] * criminal + ["Vechtpartij"] * nuisance + ["Jongerenoverlast"] * (n - criminal - nuisance)
    dom = ["ondermijning"] * criminal + ["jeugd"] * (n - criminal)
    return pd.DataFrame({"category": cat, "subcategory": sub, "domain": dom, "description": [""] * n})


def test_classification_hint_needs_a_share_of_the_signals() -> None:
    from netwerk.youth import classification_hint
    from netwerk.youth.analysis import HINT_MIN_SHARE

    hint, reason, counts = classification_hint(_signals(19, 1))
    assert hint != "crimineel" and counts["criminal"] == 1 and "1 van 19" in reason
    assert classification_hint(_signals(19, 2))[0] != "crimineel"  # 2 of 19 = 11 %, under the 20 % share
    assert classification_hint(_signals(19, 4))[0] == "crimineel"  # 4 of 19 = 21 %
    assert classification_hint(_signals(5, 1))[0] != "crimineel"  # 20 % but only one signal
    assert classification_hint(_signals(20, 0, 2))[0] == "hinderlijk"  # 2 fights among 20: 10 %
    assert classification_hint(_signals(20, 0, 4))[0] == "overlastgevend"
    assert classification_hint(_signals(19, 2), min_share=0.1)[0] == "crimineel"
    assert HINT_MIN_SHARE == 0.2 and "geen oordeel" in reason
    with pytest.raises(ValueError, match="aandeel"):
        classification_hint(_signals(3, 1), min_share=2)


def test_one_signal_is_a_gathering_and_two_youths_a_small_component() -> None:
    def frames(people: list[str], signals: int) -> Frames:
        sig = pd.DataFrame({"signal_id": [f"s{i}" for i in range(signals)], "domain": "jeugd",
                            "reported_at": [f"2025-0{i + 1}-01" for i in range(signals)]})
        sp = pd.DataFrame({"signal_id": [f"s{i}" for i in range(signals) for _ in people],
                           "person_id": people * signals, "role": "betrokkene"})
        return Frames.from_tables({"signals": sig, "signal_persons": sp,
                                   "persons": pd.DataFrame({"person_id": people, "birth_year": 2008})})

    once = run_analysis(frames(["a", "b", "c"], 1))
    assert [(g["group_id"], g["status"], g["members"]) for g in once.groups] == [("S1", "gathering", ["a", "b", "c"])]
    assert once.counts["groepen"] == 0 and once.counts["jongeren_in_groeperingen"] == 3
    twice = run_analysis(frames(["a", "b", "c"], 2))
    assert [(g["status"], g["members"]) for g in twice.groups] == [("emerging", ["a", "b", "c"])]
    pair = run_analysis(frames(["a", "b"], 3))
    assert [g["status"] for g in pair.groups] == ["small_component"] and pair.counts["groepen"] == 0
    alone = run_analysis(frames(["a"], 1))
    assert [(g["group_id"], g["members"]) for g in alone.groups] == [("LOS", ["a"])]
    assert alone.counts["losse_jongeren"] == 1 == sum(alone.counts.values())
