"""Spatial clusters of signals: DBSCAN on unique locations (weighted by their signal count)."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

__all__ = ["dbscan"]


def dbscan(xy: np.ndarray, eps: float, min_samples: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Density-based clusters (DBSCAN, Ester et al. 1996) with a k-d tree; returns a label per point.

    Parameters
    ----------
    xy : array (n, 2)
        Coordinates in metres.
    eps : float
        Neighbourhood radius (points at distance <= eps are neighbours).
    min_samples : int
        A core point has at least this much weight within ``eps`` (itself included).
    weights : array (n,), optional
        Weight per point (e.g. the number of signals at one location); default 1.

    Returns
    -------
    ndarray of int
        Cluster label per point, numbered 0.. in order of each cluster's first point; -1 is noise.

    Examples
    --------
    >>> xy = np.array([[0.0, 0], [10, 0], [20, 0], [500, 0]])
    >>> dbscan(xy, eps=15, min_samples=2).tolist()
    [0, 0, 0, -1]
    >>> dbscan(xy, eps=15, min_samples=2, weights=np.array([1, 1, 1, 5])).tolist()
    [0, 0, 0, 1]

    Notes
    -----
    Core points within ``eps`` of each other form one cluster (connected components of the core
    graph); a border point joins the cluster of its lowest-numbered core neighbour. Deduplicate
    repeated locations and pass their counts as ``weights``: this keeps the pair list small.
    """
    xy = np.asarray(xy, dtype=float)
    n = len(xy)
    if xy.ndim != 2 or (n and xy.shape[1] != 2):
        raise ValueError("clusters: verwacht coördinaten met vorm (n, 2)")
    if eps <= 0 or min_samples < 1:
        raise ValueError("clusters: eps moet > 0 en min_samples >= 1 zijn")
    if n == 0:
        return np.empty(0, dtype=int)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    pairs = cKDTree(xy).query_pairs(eps, output_type="ndarray")
    i, j = np.ascontiguousarray(pairs[:, 0]), np.ascontiguousarray(pairs[:, 1])
    density = w + np.bincount(i, weights=w[j], minlength=n) + np.bincount(j, weights=w[i], minlength=n)
    core = density >= min_samples
    both = core[i] & core[j]
    graph = sparse.coo_matrix((np.ones(both.sum()), (i[both], j[both])), shape=(n, n))
    n_comp, comp = connected_components(graph, directed=False)
    labels = np.full(n, -1)
    core_idx = np.flatnonzero(core)
    # renumber components of core points 0.. in order of first appearance
    cc = comp[core_idx]
    first = np.full(n_comp, len(cc))
    np.minimum.at(first, cc, np.arange(len(cc)))
    found = np.flatnonzero(first < len(cc))
    new = np.empty(n_comp, dtype=int)
    new[found[np.argsort(first[found])]] = np.arange(len(found))
    labels[core_idx] = new[cc]
    # border points: non-core with a core neighbour take that neighbour's cluster (lowest label wins)
    a = np.concatenate([i, j])
    b = np.concatenate([j, i])
    border = ~core[a] & core[b]
    if border.any():
        lowest = np.full(n, n)  # labels are below n
        np.minimum.at(lowest, a[border], labels[b[border]])
        labels = np.where(lowest < n, lowest, labels)
    return labels
