"""Classification metrics per theme and overall, as plain dicts."""

from __future__ import annotations

import numpy as np


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def theme_metrics(y_true: np.ndarray, y_pred: np.ndarray, slugs: list[str]) -> dict:
    """Per-theme precision/recall/F1/support, micro and macro averages, exact-set accuracy.

    Precision is 0 for a theme never predicted, recall 0 for a theme never present.
    """
    y_true = np.asarray(y_true, dtype=bool)
    y_pred = np.asarray(y_pred, dtype=bool)
    per_theme = {}
    for k, slug in enumerate(slugs):
        tp = int(np.sum(y_true[:, k] & y_pred[:, k]))
        fp = int(np.sum(~y_true[:, k] & y_pred[:, k]))
        fn = int(np.sum(y_true[:, k] & ~y_pred[:, k]))
        p, r, f = _prf(tp, fp, fn)
        per_theme[slug] = {"precision": p, "recall": r, "f1": f, "support": int(y_true[:, k].sum())}
    tp = int(np.sum(y_true & y_pred))
    fp = int(np.sum(~y_true & y_pred))
    fn = int(np.sum(y_true & ~y_pred))
    p, r, f = _prf(tp, fp, fn)
    return {
        "per_theme": per_theme,
        "micro": {"precision": p, "recall": r, "f1": f},
        "macro_f1": float(np.mean([m["f1"] for m in per_theme.values()])) if per_theme else 0.0,
        "exact_match": float(np.mean(np.all(y_true == y_pred, axis=1))) if len(y_true) else 0.0,
        "n": int(len(y_true)),
    }


def review_metrics(y_true: np.ndarray, y_pred: np.ndarray, needs_review: np.ndarray) -> dict:
    """What an analyst gets: share auto-accepted and how often those are exactly right."""
    y_true = np.asarray(y_true, dtype=bool)
    y_pred = np.asarray(y_pred, dtype=bool)
    accepted = ~np.asarray(needs_review, dtype=bool)
    exact = np.all(y_true == y_pred, axis=1)
    return {
        "flagged_share": float(1 - accepted.mean()) if len(accepted) else 0.0,
        "accepted_share": float(accepted.mean()) if len(accepted) else 0.0,
        "accepted_exact_accuracy": float(exact[accepted].mean()) if accepted.any() else 0.0,
        "flagged_exact_accuracy": float(exact[~accepted].mean()) if (~accepted).any() else 0.0,
    }


def krippendorff_alpha_nominal(values: np.ndarray) -> float | None:
    """Krippendorff's alpha for nominal data; ``values`` is units x coders, NaN = missing.

    Units coded by fewer than two coders are left out. Returns None when alpha is
    undefined (fewer than two pairable values, or every value the same).
    """
    values = np.asarray(values, dtype=float)
    categories = np.unique(values[~np.isnan(values)])
    index = {c: i for i, c in enumerate(categories)}
    coincidence = np.zeros((len(categories), len(categories)))
    for unit in values:
        coded = unit[~np.isnan(unit)]
        m = len(coded)
        if m < 2:
            continue
        counts = np.zeros(len(categories))
        for v in coded:
            counts[index[v]] += 1
        pairs = np.outer(counts, counts) - np.diag(counts)  # ordered pairs of different coders
        coincidence += pairs / (m - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    expected = n * n - np.sum(n_c**2)  # sum over c != k of n_c * n_k
    if n < 2 or expected == 0:
        return None
    observed = coincidence.sum() - np.trace(coincidence)
    return float(1 - (n - 1) * observed / expected)


def reliability_table(probabilities: np.ndarray, outcomes: np.ndarray, bins: int = 10) -> list[dict]:
    """Per equal-width probability bin: count, mean predicted probability, observed frequency."""
    p = np.asarray(probabilities, dtype=float).ravel()
    t = np.asarray(outcomes, dtype=float).ravel()
    which = np.minimum((p * bins).astype(int), bins - 1)
    table = []
    for b in range(bins):
        inside = which == b
        table.append({
            "bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
            "count": int(inside.sum()),
            "mean_predicted": float(p[inside].mean()) if inside.any() else None,
            "observed": float(t[inside].mean()) if inside.any() else None,
        })
    return table


def expected_calibration_error(probabilities: np.ndarray, outcomes: np.ndarray, bins: int = 10) -> float:
    """Weighted mean |observed - predicted| over equal-width bins (0 = perfectly calibrated)."""
    total = np.asarray(probabilities).size
    if total == 0:
        return 0.0
    return float(sum(
        row["count"] / total * abs(row["observed"] - row["mean_predicted"])
        for row in reliability_table(probabilities, outcomes, bins) if row["count"]
    ))


def agreement_per_theme(a: np.ndarray, b: np.ndarray, slugs: list[str]) -> dict:
    """Two coders (0/1 matrices over the same answers): percent agreement and alpha per theme."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    out = {}
    for k, slug in enumerate(slugs):
        out[slug] = {
            "agreement": float(np.mean(a[:, k] == b[:, k])) if len(a) else 0.0,
            "alpha": krippendorff_alpha_nominal(np.column_stack([a[:, k], b[:, k]])),
            "coder_a": int(a[:, k].sum()),
            "coder_b": int(b[:, k].sum()),
        }
    return out
