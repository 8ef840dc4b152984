"""Frechet distance of two Gaussians, the formula of FID (Heusel et al.
2017): ``||mu1 - mu2||^2 + Tr(S1 + S2 - 2 sqrt(S1 S2))``."""
import warnings

import numpy as np
import scipy.linalg


def trace_sqrt_product(sigma1: np.ndarray, sigma2: np.ndarray,
                       eps: float = 1e-6) -> float:
    """``Tr(sqrt(S1 S2))`` of two ``(d, d)`` covariance matrices, with
    ``scipy.linalg.sqrtm`` and the usual repairs (those of pytorch-fid and
    mmagic): a product too singular for a finite root is retried with
    ``eps`` added to both diagonals; the root of a real PSD-by-PSD product
    is real in exact arithmetic, so its imaginary rounding residue is
    dropped (with a warning when it is not small).
    """
    with warnings.catch_warnings():
        # sqrtm warns of singular products; the result is checked below.
        warnings.simplefilter('ignore', scipy.linalg.LinAlgWarning)
        covmean = scipy.linalg.sqrtm(sigma1 @ sigma2)
        if not np.isfinite(covmean).all():
            offset = np.eye(sigma1.shape[0]) * eps
            covmean = scipy.linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
    trace = np.trace(covmean)
    if np.iscomplexobj(covmean):
        scale = max(abs(trace.real), 1.0)
        if abs(trace.imag) > 1e-3 * scale:
            warnings.warn(f'FID: sqrt(S1 S2) has a trace with imaginary part '
                          f'{trace.imag:.3g} (real {trace.real:.3g}); '
                          'keeping the real part')
        trace = trace.real
    return float(trace)


def frechet_distance(mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray,
                     sigma2: np.ndarray) -> float:
    """Frechet distance of N(mu1, sigma1) and N(mu2, sigma2); ``mu`` of
    shape ``(d,)``, ``sigma`` ``(d, d)``."""
    mu1, mu2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
    return _frechet(
        np.sum((mu1 - mu2)**2), np.asarray(sigma1, np.float64),
        np.asarray(sigma2, np.float64))


def _frechet(mean_term: float, sigma1: np.ndarray,
             sigma2: np.ndarray) -> float:
    return float(mean_term + np.trace(sigma1) + np.trace(sigma2) -
                 2 * trace_sqrt_product(sigma1, sigma2))


def frechet_distance_of_features(feats1: np.ndarray,
                                 feats2: np.ndarray) -> float:
    """FID of two feature sets ``(n1, d)`` and ``(n2, d)``, each fitted by
    a Gaussian (mean and unbiased covariance), n1, n2 >= 2.

    Exactly :func:`frechet_distance` of those Gaussians. When n1 + n2 < d
    (at d = 2048: any test set under 1024 images), both covariances live
    in the span of the
    centered features, of dimension r <= n1 + n2 - 2 < d; the trace terms
    are then computed in an orthonormal basis of that span, where they are
    the same (traces and the nonzero spectrum of S1 S2 do not change under
    an orthonormal change of basis, and the rest of the spectrum is 0).
    That keeps ``sqrtm`` away from a rank-deficient d x d product (slow, and
    inaccurate on singular matrices) and makes it r x r.
    """
    feats1 = np.asarray(feats1, np.float64)
    feats2 = np.asarray(feats2, np.float64)
    if min(len(feats1), len(feats2)) < 2:
        raise ValueError('FID needs at least 2 samples per set, got '
                         f'{len(feats1)} and {len(feats2)}')
    mu1, mu2 = feats1.mean(axis=0), feats2.mean(axis=0)
    centered1, centered2 = feats1 - mu1, feats2 - mu2
    stacked = np.concatenate([centered1, centered2])
    if len(stacked) < stacked.shape[1]:
        u, s, _ = np.linalg.svd(stacked.T, full_matrices=False)
        rank = int(np.sum(s > s.max() * max(stacked.shape) *
                          np.finfo(np.float64).eps)) if s.size else 0
        basis = u[:, :max(rank, 1)]
        centered1, centered2 = centered1 @ basis, centered2 @ basis
    sigma1 = centered1.T @ centered1 / (len(feats1) - 1)
    sigma2 = centered2.T @ centered2 / (len(feats2) - 1)
    return _frechet(np.sum((mu1 - mu2)**2), sigma1, sigma2)
