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
