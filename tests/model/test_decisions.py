"""pgtext.model.decisions: theme sets, confidence and the review flag, on cases worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from pgtext import config
from pgtext.model.decisions import ReviewPolicy, decide, tune_review_policy

THRESHOLDS = np.array([0.5, 0.5])


def test_decide_by_hand():
    scores = np.array([
        [0.9, 0.2],   # wonen; conf 0.9 * 0.8 = 0.72 >= 0.7, nothing near 0.5 -> accepted
        [0.6, 0.52],  # both; conf 0.6 * 0.52 = 0.312, and 0.52 is within 0.05 of 0.5 -> review
        [0.1, 0.3],   # none; conf 0.9 * 0.7 = 0.63 < 0.7 -> review
        [0.5, 0.0],   # exactly on the threshold counts as chosen; borderline -> review
    ])
    predicted, confidence, review = decide(scores, THRESHOLDS, ReviewPolicy(min_confidence=0.7, borderline_margin=0.05))
    assert predicted.tolist() == [[1, 0], [1, 1], [0, 0], [1, 0]]
    assert predicted.dtype == np.int8
    assert confidence == pytest.approx([0.72, 0.312, 0.63, 0.5])
    assert review.tolist() == [False, True, True, True]


def test_decide_uses_each_themes_own_threshold():
    scores = np.array([[0.35, 0.35]])
    predicted, confidence, review = decide(scores, np.array([0.3, 0.4]), ReviewPolicy(0.0, 0.01))
    assert predicted.tolist() == [[1, 0]]
    assert confidence == pytest.approx([0.35 * 0.65])
    assert review.tolist() == [False]


def test_policy_defaults_and_dict():
    assert ReviewPolicy().to_dict() == {"min_confidence": config.MIN_CONFIDENCE, "borderline_margin": config.BORDERLINE_MARGIN}


# Four answers, thresholds 0.5, margin 0.05:
#   a [0.95, 0.05] -> {wonen}, conf 0.9025, truth {wonen}      exact
#   b [0.90, 0.20] -> {wonen}, conf 0.72,   truth {both}       wrong
#   c [0.15, 0.80] -> {vervoer}, conf 0.68, truth {vervoer}    exact
#   d [0.52, 0.10] -> borderline, never a candidate for auto-accept
# Most confident first: a, b, c with running precision 1, 1/2, 2/3.
SCORES = np.array([[0.95, 0.05], [0.9, 0.2], [0.15, 0.8], [0.52, 0.1]])
TRUTH = np.array([[1, 0], [1, 1], [0, 1], [0, 0]])


@pytest.mark.parametrize(
    ("target", "cut"),
    [
        (0.95, 0.9025),  # only a reaches 95 %
        (0.7, 0.9025),   # a+b = 50 %, a+b+c = 67 %: still only a
        (0.6, 0.68),     # a+b+c = 67 % meets it: the largest set that does
        (0.5, 0.68),
    ],
)
def test_tune_review_policy_by_hand(target, cut):
    policy = tune_review_policy(TRUTH, SCORES, THRESHOLDS, target)
    assert policy.min_confidence == pytest.approx(cut)
    assert policy.borderline_margin == config.BORDERLINE_MARGIN


def test_tune_review_policy_accepted_answers_meet_the_target():
    policy = tune_review_policy(TRUTH, SCORES, THRESHOLDS, 0.6)
    predicted, _, review = decide(SCORES, THRESHOLDS, policy)
    assert review.tolist() == [False, False, False, True]
    exact = np.all(predicted == TRUTH, axis=1)
    assert exact[~review].mean() >= 0.6


def test_tune_review_policy_flags_everything_when_nothing_is_good_enough():
    truth = TRUTH.copy()
    truth[0] = [0, 1]  # now the most confident answer is wrong: no prefix reaches 95 %
    policy = tune_review_policy(truth, SCORES, THRESHOLDS, 0.95)
    assert policy.min_confidence > 1.0
    _, _, review = decide(SCORES, THRESHOLDS, policy)
    assert review.all()


def test_tune_review_policy_all_borderline_flags_everything():
    scores = np.array([[0.52, 0.1], [0.1, 0.47]])
    policy = tune_review_policy(np.array([[1, 0], [0, 0]]), scores, THRESHOLDS, 0.5)
    assert policy.min_confidence > 1.0


def test_tune_review_policy_ties_do_not_break_the_target():
    #   a conf 0.9 exact; b and c both conf 0.8, b exact, c wrong.
    scores = np.array([[0.9, 0.0], [0.8, 0.0], [0.8, 0.0]])
    truth = np.array([[1, 0], [1, 0], [0, 0]])
    policy = tune_review_policy(truth, scores, THRESHOLDS, 0.9)
    predicted, _, review = decide(scores, THRESHOLDS, policy)
    exact = np.all(predicted == truth, axis=1)
    assert exact[~review].mean() >= 0.9
