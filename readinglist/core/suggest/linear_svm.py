"""A linear SVM, the one scikit-learn's `LinearSVC` trains by default, solved
here in a few sparse matrix products.

Why not `LinearSVC` itself: importing scikit-learn takes 1-1.5 s (it imports
SciPy's statistics, which parse hundreds of docstrings at import), which is
most of what `readinglist suggest` took. The problem is small and convex, so
it is solved exactly here with NumPy and the SciPy sparse matrix the
features already are; `tests/core/test_linear_svm.py` checks the answer
against `LinearSVC` on the same data.

The problem (liblinear's L2-regularised, squared-hinge primal, with the
intercept as one more weight on a constant feature, as `LinearSVC` with
``fit_intercept=True, intercept_scaling=1``)::

    min  ½‖w‖² + ½b² + Σᵢ Cᵢ · max(0, 1 − yᵢ(w·xᵢ + b))²

with Cᵢ = C × the balanced weight of yᵢ's class × the sample's own weight
(classes balanced by the sum of their samples' weights, as scikit-learn does).
Solved by Newton's method with conjugate gradients (the loss is once
differentiable; its generalised Hessian is that of the samples inside the
margin), as liblinear's trust-region solver for the same problem does.
"""

from __future__ import annotations

import numpy as np

NEWTON_STEPS = 50
CG_STEPS = 50
TOLERANCE = 1e-4  # the gradient's norm against its first, where it stops


def fit(matrix, labels: np.ndarray, c: float,
        sample_weight: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Train on ``matrix`` (rows: samples, a SciPy sparse or dense array) and
    ``labels`` (1 positive, 0 negative), class weights balanced; returns the
    weights (float32) and the intercept."""
    y = np.where(np.asarray(labels) > 0, 1.0, -1.0)
    weight = (np.ones(len(y)) if sample_weight is None
              else np.asarray(sample_weight, dtype=np.float64))
    # balanced as scikit-learn balances with sample weights: each class's
    # weights sum to half of all of them
    total, positive = weight.sum(), weight[y > 0].sum()
    balanced = np.where(y > 0, total / (2 * max(positive, 1e-12)),
                        total / (2 * max(total - positive, 1e-12)))
    cost = c * balanced * weight
    w = np.zeros(matrix.shape[1], dtype=np.float64)
    b = 0.0
    first = None
    for _ in range(NEWTON_STEPS):
        margin = y * (matrix @ w + b)
        inside = margin < 1
        slack = np.where(inside, cost * y * (1 - margin), 0.0)  # Cᵢ yᵢ (1 − mᵢ) inside
        grad_w = w - 2 * (matrix.T @ slack)
        grad_b = b - 2 * slack.sum()
        size = np.sqrt(grad_w @ grad_w + grad_b * grad_b)
        first = size if first is None else first
        if size <= TOLERANCE * first or size == 0:
            break
        step_w, step_b = _newton_step(matrix, cost * inside, grad_w, grad_b)
        new_w, b = _line_search(matrix, y, cost, w, b, step_w, step_b, grad_w, grad_b)
        if new_w is w:  # no step lowers the objective: as good as it gets in floats
            break
        w = new_w
    return w.astype(np.float32), float(b)


def _newton_step(matrix, curvature: np.ndarray, grad_w: np.ndarray,
                 grad_b: float) -> tuple[np.ndarray, float]:
    """Solve H d = −g by conjugate gradients, H v = v + 2 Xᵀ(D (X v)) with D the
    costs of the samples inside the margin (the bias as a constant column)."""
    def hess(vec_w: np.ndarray, vec_b: float) -> tuple[np.ndarray, float]:
        inner = curvature * (matrix @ vec_w + vec_b)
        return vec_w + 2 * (matrix.T @ inner), vec_b + 2 * inner.sum()

    d_w, d_b = np.zeros_like(grad_w), 0.0
    r_w, r_b = -grad_w, -grad_b
    p_w, p_b = r_w.copy(), r_b
    rr = r_w @ r_w + r_b * r_b
    stop = 0.1 * np.sqrt(rr)  # an inexact step: the next Newton step corrects it
    for _ in range(CG_STEPS):
        if np.sqrt(rr) <= stop:
            break
        h_w, h_b = hess(p_w, p_b)
        alpha = rr / (p_w @ h_w + p_b * h_b)
        d_w, d_b = d_w + alpha * p_w, d_b + alpha * p_b
        r_w, r_b = r_w - alpha * h_w, r_b - alpha * h_b
        new_rr = r_w @ r_w + r_b * r_b
        p_w, p_b = r_w + (new_rr / rr) * p_w, r_b + (new_rr / rr) * p_b
        rr = new_rr
    return d_w, d_b


def _objective(matrix, y, cost, w, b) -> float:
    loss = np.maximum(0.0, 1 - y * (matrix @ w + b))
    return 0.5 * (w @ w + b * b) + float(cost @ (loss * loss))


def _line_search(matrix, y, cost, w, b, step_w, step_b, grad_w, grad_b):
    """The Newton step, halved until it lowers the objective enough (Armijo)."""
    now = _objective(matrix, y, cost, w, b)
    slope = grad_w @ step_w + grad_b * step_b
    size = 1.0
    for _ in range(30):
        new_w, new_b = w + size * step_w, b + size * step_b
        if _objective(matrix, y, cost, new_w, new_b) <= now + 0.01 * size * slope:
            return new_w, new_b
        size /= 2
    return w, b
