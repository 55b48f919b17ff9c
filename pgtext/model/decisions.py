"""From per-theme scores to a theme set, a confidence and a review flag (the review policy's one home).

* Theme set: every theme whose score reaches its threshold; with an "any theme" gate (a model
  trained to tell answers with a theme from answers without one), only if the gate's score reaches
  its threshold too, so a description that uses theme words gets no theme.
* Confidence: the probability that the whole set is exactly right. The raw figure multiplies the
  scores of the choices made (p for chosen themes, 1-p for the others, likewise for the gate); it
  treats them as independent and is badly calibrated, so training fits a Platt scaling of its
  log-odds on out-of-fold answers (``ReviewPolicy.calibration``) and the confidence pgtext writes is the
  calibrated one.
* Review flag: confidence below ``min_confidence``, or a score within ``borderline_margin`` of its
  threshold. Training sets ``min_confidence`` so that, on out-of-fold answers, the one-sided
  Clopper-Pearson lower bound (at ``level``, 90% by default) of the share of accepted answers with
  exactly the right themes reaches the target: the precision of what is accepted is controlled with a
  stated confidence, not just met on average.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pgtext import config


@dataclass(frozen=True)
class ReviewPolicy:
    """When an answer goes to a person: confidence below ``min_confidence`` or a borderline score.

    ``calibration`` is (slope, intercept) of the Platt scaling applied to the raw confidence's
    log-odds; None leaves it raw (models from before calibration). ``bound`` records how the cut-off
    was chosen (target, level, answers accepted out of fold, lower bound); it is informative only.
    """

    min_confidence: float = config.MIN_CONFIDENCE
    borderline_margin: float = config.BORDERLINE_MARGIN
    calibration: tuple[float, float] | None = None
    bound: dict | None = None

    def __post_init__(self) -> None:
        if self.calibration is not None:  # a card stores a JSON list
            object.__setattr__(self, "calibration", tuple(float(v) for v in self.calibration))

    def to_dict(self) -> dict:
        out: dict = {"min_confidence": self.min_confidence, "borderline_margin": self.borderline_margin}
        if self.calibration is not None:
            out["calibration"] = list(self.calibration)
        if self.bound is not None:
            out["bound"] = dict(self.bound)
        return out

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        if self.calibration is None:
            return raw
        slope, intercept = self.calibration
        return _sigmoid(slope * _logit(raw) + intercept)


def decide(
    scores: np.ndarray,
    thresholds: np.ndarray,
    policy: ReviewPolicy,
    gate: np.ndarray | None = None,
    gate_threshold: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (predicted 0/1 matrix, confidence per answer, needs_review per answer).

    ``gate`` is the "any theme" score per answer (None: no gate); below ``gate_threshold`` the
    answer gets no theme whatever its theme scores.
    """
    predicted, raw, borderline = _decide_raw(scores, thresholds, policy.borderline_margin, gate, gate_threshold)
    confidence = policy.calibrate(raw)
    needs_review = (confidence < policy.min_confidence) | borderline
    return predicted.astype(np.int8), confidence, needs_review


def _decide_raw(scores, thresholds, margin, gate=None, gate_threshold=None):
    scores = np.asarray(scores, dtype=float)
    predicted = scores >= thresholds
    borderline = np.any(np.abs(scores - thresholds) < margin, axis=1)
    gate_factor = np.ones(len(scores))
    if gate is not None:
        gate = np.asarray(gate, dtype=float)
        on = gate >= gate_threshold
        predicted &= on[:, None]
        gate_factor = np.where(on, gate, 1.0 - gate)
        borderline |= np.abs(gate - gate_threshold) < margin
    raw = np.prod(np.where(predicted, scores, 1.0 - scores), axis=1) * gate_factor
    return predicted, raw, borderline


def fit_calibration(raw: np.ndarray, exact: np.ndarray) -> tuple[float, float] | None:
    """Platt scaling: logistic regression of "set exactly right" on the raw confidence's log-odds.

    None when it cannot be fitted (all answers right, or all wrong) or would reverse the order.
    """
    exact = np.asarray(exact, dtype=bool)
    if exact.all() or not exact.any():
        return None
    from sklearn.linear_model import LogisticRegression

    x = _logit(np.asarray(raw, dtype=float)).reshape(-1, 1)
    fitted = LogisticRegression(C=1e4, max_iter=1000).fit(x, exact)
    slope, intercept = float(fitted.coef_[0, 0]), float(fitted.intercept_[0])
    if slope <= 0:
        return None
    return round(slope, 6), round(intercept, 6)


def precision_lower_bound(exact: int | np.ndarray, accepted: int | np.ndarray, level: float) -> np.ndarray:
    """One-sided Clopper-Pearson lower bound on a proportion (``exact`` of ``accepted``) at ``level``."""
    from scipy.stats import beta

    exact = np.asarray(exact, dtype=float)
    accepted = np.asarray(accepted, dtype=float)
    with np.errstate(invalid="ignore"):
        bound = beta.ppf(1.0 - level, exact, accepted - exact + 1.0)
    return np.where(exact > 0, np.nan_to_num(bound, nan=0.0), 0.0)


def tune_review_policy(
    y: np.ndarray,
    scores: np.ndarray,
    thresholds: np.ndarray,
    target_precision: float,
    gate: np.ndarray | None = None,
    gate_threshold: float | None = None,
    level: float = config.PRECISION_LEVEL,
) -> ReviewPolicy:
    """Calibrate the confidence and choose the largest accepted set whose precision is bounded.

    On out-of-fold ``scores``: fit the calibration, rank the answers that are not borderline by
    confidence, and put the cut-off at the largest set (cut only after the last of a tie) whose
    Clopper-Pearson lower bound at ``level`` on "exactly right" reaches ``target_precision``
    (``level`` 0.5 is about "met on average"). If no set does, everything is flagged
    (min_confidence above 1).
    """
    margin = config.BORDERLINE_MARGIN
    predicted, raw, borderline = _decide_raw(scores, thresholds, margin, gate, gate_threshold)
    exact_all = np.all(predicted == np.asarray(y, dtype=bool), axis=1)
    calibration = fit_calibration(raw, exact_all)
    confidence = ReviewPolicy(calibration=calibration).calibrate(raw)
    candidates = ~borderline
    exact = exact_all[candidates]
    conf = confidence[candidates]
    order = np.argsort(-conf, kind="stable")
    ranked = conf[order]
    hits = np.cumsum(exact[order])
    sizes = np.arange(1, len(order) + 1)
    bounds = precision_lower_bound(hits, sizes, level)
    # answers tied at a cut-off are accepted together, so only cut after the last of a tie
    last_of_tie = np.append(ranked[1:] < ranked[:-1], True)
    meets = np.nonzero((bounds >= target_precision) & last_of_tie)[0]
    if len(meets) == 0:
        return ReviewPolicy(min_confidence=1.01, borderline_margin=margin, calibration=calibration,
                            bound={"target": target_precision, "level": level, "accepted": 0, "of": int(len(y))})
    last = meets[-1]
    bound = {
        "target": target_precision,
        "level": level,
        "accepted": int(last + 1),
        "of": int(len(y)),
        "exact": int(hits[last]),
        "lower_bound": round(float(bounds[last]), 4),
    }
    return ReviewPolicy(min_confidence=float(np.floor(ranked[last] * 1e6) / 1e6), borderline_margin=margin,
                        calibration=calibration, bound=bound)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))
