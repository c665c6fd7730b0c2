"""Getis-Ord local Gi* hot-spot statistic and the spatial weights it uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse, stats
from scipy.spatial import cKDTree

if TYPE_CHECKING:
    import pandas as pd

    from netwerk.geo.areas import AreaSet

__all__ = [
    "WEIGHTS_CONTIGUITY",
    "WEIGHTS_KNN",
    "GiStar",
    "area_weights",
    "contiguity_weights",
    "distance_band_weights",
    "getis_ord_gi_star",
    "knn_weights",
]

#: names of the weights, as reported in a hotspot's ``weights`` field
WEIGHTS_CONTIGUITY = "contiguïteit (nauwkeurige buurtgrenzen)"
WEIGHTS_KNN = "k naaste labelpunten"


@dataclass(frozen=True)
class GiStar:
    """Result of :func:`getis_ord_gi_star` (one row per area, one column per variable).

    Attributes
    ----------
    G : ndarray
        The Gi* statistic: the share of the total value within each area's neighbourhood (itself included).
    EG : ndarray
        Expected G under spatial randomness (sum of the area's weights / n).
    z : ndarray
        Standardised Gi*; positive = hot spot, negative = cold spot.
    p_norm : ndarray
        One-tailed p-value of ``|z|`` under the normal approximation (as PySAL esda).
    p_hot : ndarray
        Upper-tail p-value ``P(Z >= z)``: evidence for a hot spot.
    """

    G: np.ndarray
    EG: np.ndarray
    z: np.ndarray
    p_norm: np.ndarray
    p_hot: np.ndarray


def getis_ord_gi_star(y: np.ndarray, w: np.ndarray | sparse.spmatrix) -> GiStar:
    """Local Getis-Ord Gi* (Ord & Getis 1995) for one or more variables.

    Parameters
    ----------
    y : array (n,) or (n, m)
        Non-negative values per area (counts or rates); columns are independent variables.
    w : array or sparse matrix (n, n)
        Spatial weights. Gi* includes each area itself: a zero diagonal is set to 1.

    Returns
    -------
    GiStar
        With arrays shaped like ``y``.

    Examples
    --------
    >>> w = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    >>> r = getis_ord_gi_star(np.array([1.0, 2.0, 9.0]), w)
    >>> bool(r.z[2] > r.z[0])
    True

    Notes
    -----
    With :math:`\\bar x` and :math:`S` the mean and (population) standard deviation over all :math:`n`
    areas and :math:`W_i = \\sum_j w_{ij}`, :math:`S_{1i} = \\sum_j w_{ij}^2`:

    .. math:: z_i = \\frac{\\sum_j w_{ij} x_j - \\bar x W_i}{S \\sqrt{(n S_{1i} - W_i^2)/(n-1)}}

    A constant variable gives ``z = 0`` (no evidence either way).

    References
    ----------
    Ord, J.K. and A. Getis (1995). Local spatial autocorrelation statistics: distributional issues and
    an application. Geographical Analysis 27(4), 286-306.
    """
    x = np.asarray(y, dtype=float)
    one_d = x.ndim == 1
    if one_d:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError("Gi*: verwacht minstens 2 gebieden")
    if not np.isfinite(x).all():
        raise ValueError("Gi*: waarden bevatten NaN of oneindig")
    n = x.shape[0]
    wm = sparse.csr_matrix(w, dtype=float)
    if wm.shape != (n, n):
        raise ValueError(f"Gi*: gewichtenmatrix heeft vorm {wm.shape}, verwacht ({n}, {n})")
    diag = wm.diagonal()
    if (diag == 0).any():
        wm = (wm + sparse.diags((diag == 0).astype(float))).tocsr()
    wi = np.asarray(wm.sum(axis=1)).ravel()
    s1i = np.asarray(wm.multiply(wm).sum(axis=1)).ravel()
    lag = np.asarray(wm @ x)
    mean = x.mean(axis=0)
    s = np.sqrt((x**2).mean(axis=0) - mean**2)
    total = x.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(total > 0, lag / total, 0.0)
        denom = s[None, :] * np.sqrt((n * s1i - wi**2) / (n - 1))[:, None]
        z = np.where(denom > 0, (lag - mean[None, :] * wi[:, None]) / denom, 0.0)
    eg = np.repeat((wi / n)[:, None], x.shape[1], axis=1)
    p_norm = stats.norm.sf(np.abs(z))
    p_hot = stats.norm.sf(z)
    if one_d:
        g, eg, z, p_norm, p_hot = g[:, 0], eg[:, 0], z[:, 0], p_norm[:, 0], p_hot[:, 0]
    return GiStar(G=g, EG=eg, z=z, p_norm=p_norm, p_hot=p_hot)


def knn_weights(xy: np.ndarray, k: int) -> sparse.csr_matrix:
    """Binary weights: each point's ``k`` nearest other points (row i lists i's neighbours).

    >>> knn_weights(np.array([[0.0, 0], [1, 0], [5, 0]]), 1).toarray().astype(int).tolist()
    [[0, 1, 0], [1, 0, 0], [0, 1, 0]]
    """
    xy = np.asarray(xy, dtype=float)
    n = len(xy)
    if n < 2:
        raise ValueError("buurgewichten: verwacht minstens 2 punten")
    k = min(k, n - 1)
    _, idx = cKDTree(xy).query(xy, k=k + 1)
    idx = np.asarray(idx).reshape(n, k + 1)
    rows = np.repeat(np.arange(n), k + 1)
    cols = idx.ravel()
    keep = rows != cols
    rows, cols = rows[keep], cols[keep]
    # ties may let a point's own index fall outside the first k+1: keep exactly k per row
    order = np.lexsort((np.arange(len(rows)), rows))
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, np.arange(n))
    rank = np.arange(len(rows)) - first[rows]
    keep = rank < k
    return sparse.csr_matrix((np.ones(keep.sum()), (rows[keep], cols[keep])), shape=(n, n))


def distance_band_weights(xy: np.ndarray, threshold: float) -> sparse.csr_matrix:
    """Binary weights: points within ``threshold`` (same unit as ``xy``) are neighbours.

    >>> distance_band_weights(np.array([[0.0, 0], [1, 0], [5, 0]]), 2).toarray().astype(int).tolist()
    [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    """
    xy = np.asarray(xy, dtype=float)
    n = len(xy)
    pairs = cKDTree(xy).query_pairs(threshold, output_type="ndarray")
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def contiguity_weights(geoms: Sequence[Any], tolerance: float = 1e-6) -> sparse.csr_matrix:
    """Binary queen contiguity: areas whose outlines touch or overlap (within ``tolerance`` degrees,
    about 0.1 m, for files whose shared borders do not match to the last digit) are neighbours."""
    import shapely

    arr = np.asarray(list(geoms), dtype=object)
    n = len(arr)
    tree = shapely.STRtree(arr)
    a, b = tree.query(arr, predicate="dwithin", distance=tolerance)
    keep = a != b
    return sparse.csr_matrix((np.ones(int(keep.sum())), (a[keep], b[keep])), shape=(n, n))


def area_weights(codes: Sequence[str], xy: np.ndarray, k: int, areas: pd.DataFrame | AreaSet | None = None
                 ) -> tuple[sparse.csr_matrix, str]:
    """Spatial weights for Gi* over these buurten and the name of the method used.

    Contiguity of the real outlines when every buurt has a precise polygon (an imported CBS wijk- en
    buurtkaart); a buurt without any touching neighbour (an island) then gets its nearest label point
    as neighbour. Otherwise (the built-in coarse map or label points only) the ``k`` nearest label points
    (``xy`` in metres). Returns ``(W, name)`` with name :data:`WEIGHTS_CONTIGUITY` or
    ``WEIGHTS_KNN + " (k=…)"``.
    """
    from netwerk.hotspots.geo import data_areas

    aset = data_areas(areas, codes)
    idx = aset._index()
    rows = [idx.get(c) for c in codes]
    precise = all(r is not None and aset.frame.at[r, "precision"] == "precise" for r in rows)
    if precise and len(codes) >= 2:
        w = contiguity_weights([aset.geometries[r] for r in rows if r is not None])
        islands = np.flatnonzero(np.asarray(w.sum(axis=1)).ravel() == 0)
        if len(islands):
            nn = knn_weights(xy, 1)
            fix = sparse.csr_matrix((np.ones(len(islands)), (islands, nn[islands].indices)), shape=w.shape)
            w = ((w + fix + fix.T) > 0).astype(float).tocsr()
        return w, WEIGHTS_CONTIGUITY
    k = min(k, len(codes) - 1)
    return knn_weights(xy, k), f"{WEIGHTS_KNN} (k={k})"
