"""From per-theme scores to a theme set, a confidence and a review flag."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pgtext import config


@dataclass(frozen=True)
class ReviewPolicy:
    """When an answer goes to a person: confidence below ``min_confidence`` or a borderline theme."""

    min_confidence: float = config.MIN_CONFIDENCE
    borderline_margin: float = config.BORDERLINE_MARGIN

    def to_dict(self) -> dict[str, float]:
        return {"min_confidence": self.min_confidence, "borderline_margin": self.borderline_margin}


def decide(scores: np.ndarray, thresholds: np.ndarray, policy: ReviewPolicy) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (predicted 0/1 matrix, confidence per answer, needs_review per answer).

    Confidence is the model's probability that the whole predicted set is right,
    taking themes as independent: the product of p for chosen themes and 1-p for
    the others.
    """
    scores = np.asarray(scores, dtype=float)
    predicted = scores >= thresholds
    confidence = np.prod(np.where(predicted, scores, 1.0 - scores), axis=1)
    borderline = np.any(np.abs(scores - thresholds) < policy.borderline_margin, axis=1)
    needs_review = (confidence < policy.min_confidence) | borderline
    return predicted.astype(np.int8), confidence, needs_review


def tune_review_policy(
    y: np.ndarray, scores: np.ndarray, thresholds: np.ndarray, target_precision: float
) -> ReviewPolicy:
    """The lowest confidence cut-off whose accepted answers are exactly right >= target of the time.

    Answers are accepted from the most confident down; the cut-off is placed at the
    largest accepted set that still meets the target. If none does, everything is flagged
    (min_confidence above 1).
    """
    margin = config.BORDERLINE_MARGIN
    predicted, confidence, _ = decide(scores, thresholds, ReviewPolicy(0.0, margin))
    borderline = np.any(np.abs(scores - thresholds) < margin, axis=1)
    candidates = ~borderline
    exact = np.all(predicted == np.asarray(y), axis=1)[candidates]
    conf = confidence[candidates]
    order = np.argsort(-conf, kind="stable")
    ranked = conf[order]
    hits = np.cumsum(exact[order]) / np.arange(1, len(order) + 1)
    # answers tied at a cut-off are accepted together, so only cut after the last of a tie
    last_of_tie = np.append(ranked[1:] < ranked[:-1], True)
    meets = np.nonzero((hits >= target_precision) & last_of_tie)[0]
    if len(meets) == 0:
        return ReviewPolicy(min_confidence=1.01, borderline_margin=margin)
    last = meets[-1]
    cut = float(ranked[last])
    return ReviewPolicy(min_confidence=round(cut, 6), borderline_margin=margin)
