"""pgtext.model.decisions: theme sets, confidence and the review flag, on cases worked out by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pgtext import config
from pgtext.model.decisions import (
    ReviewPolicy,
    decide,
    fit_calibration,
    precision_lower_bound,
    tune_review_policy,
)

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
SCORES = np.array([[0.95, 0.05], [0.9, 0.2], [0.15, 0.8], [0.52, 0.1]])
TRUTH = np.array([[1, 0], [1, 1], [0, 1], [0, 0]])


def test_precision_lower_bound_by_hand():
    # All n right: the Clopper-Pearson lower bound solves p^n = 1 - level.
    assert precision_lower_bound(30, 30, 0.9) == pytest.approx(0.1 ** (1 / 30))
    assert precision_lower_bound(1, 1, 0.5) == pytest.approx(0.5)
    assert precision_lower_bound(0, 5, 0.9) == 0.0
    # One wrong answer among 31 lowers it; a higher level lowers it further.
    assert precision_lower_bound(30, 31, 0.9) < precision_lower_bound(30, 30, 0.9)
    assert precision_lower_bound(30, 31, 0.95) < precision_lower_bound(30, 31, 0.9)


def _ranked_case(right: int, wrong: int):
    """``right`` answers exactly right with descending confidence, then ``wrong`` ones, all below."""
    high = np.linspace(0.99, 0.9, right)
    low = np.linspace(0.85, 0.8, wrong)
    scores = np.column_stack([np.concatenate([high, low]), np.full(right + wrong, 0.01)])
    truth = np.column_stack([np.ones(right + wrong, int), np.r_[np.zeros(right, int), np.ones(wrong, int)]])
    return scores, truth


def test_tune_review_policy_bounds_the_precision_of_what_it_accepts():
    # 30 right, then 10 wrong. At level 0.9 the bound for 30/30 is 0.1**(1/30) = 0.926 >= 0.9,
    # for 30/31 it drops below 0.9: the cut-off sits after the 30th answer.
    scores, truth = _ranked_case(30, 10)
    policy = tune_review_policy(truth, scores, THRESHOLDS, 0.9, level=0.9)
    assert policy.bound["accepted"] == 30 and policy.bound["exact"] == 30
    assert policy.bound["lower_bound"] == pytest.approx(0.1 ** (1 / 30), abs=1e-4)
    predicted, _, review = decide(scores, THRESHOLDS, policy)
    assert review.tolist() == [False] * 30 + [True] * 10
    # A target the bound cannot reach with 30 answers (0.1**(1/30) < 0.95) flags everything.
    strict = tune_review_policy(truth, scores, THRESHOLDS, 0.95, level=0.9)
    assert strict.min_confidence > 1.0
    assert decide(scores, THRESHOLDS, strict)[2].all()


def test_tune_review_policy_higher_level_accepts_a_subset():
    rng = np.random.default_rng(3)
    scores = rng.beta(0.3, 0.3, size=(600, 2))
    truth = (rng.uniform(0, 1, size=(600, 2)) < scores).astype(int)  # scores are honest probabilities
    loose = tune_review_policy(truth, scores, THRESHOLDS, 0.8, level=0.5)
    strict = tune_review_policy(truth, scores, THRESHOLDS, 0.8, level=0.95)
    accepted_loose = ~decide(scores, THRESHOLDS, loose)[2]
    accepted_strict = ~decide(scores, THRESHOLDS, strict)[2]
    assert 0 < accepted_strict.sum() < accepted_loose.sum()
    assert not (accepted_strict & ~accepted_loose).any()
    exact = np.all(decide(scores, THRESHOLDS, strict)[0] == truth, axis=1)
    assert precision_lower_bound(exact[accepted_strict].sum(), accepted_strict.sum(), 0.95) >= 0.8


def test_tune_review_policy_all_borderline_flags_everything():
    scores = np.array([[0.52, 0.1], [0.1, 0.47]])
    policy = tune_review_policy(np.array([[1, 0], [0, 0]]), scores, THRESHOLDS, 0.5)
    assert policy.min_confidence > 1.0


def test_tune_review_policy_ties_are_accepted_together():
    # 30 right at distinct confidences, then two tied at a lower one: one right, one wrong.
    scores, truth = _ranked_case(30, 0)
    scores = np.vstack([scores, [[0.88, 0.01], [0.88, 0.01]]])
    truth = np.vstack([truth, [[1, 0], [0, 0]]])
    policy = tune_review_policy(truth, scores, THRESHOLDS, 0.85, level=0.5)
    _, _, review = decide(scores, THRESHOLDS, policy)
    assert review[30] == review[31]  # never one of a tie without the other


def test_calibration_is_fitted_out_of_the_raw_confidence_and_keeps_the_order():
    rng = np.random.default_rng(0)
    raw = rng.uniform(0.3, 1.0, 2000)
    exact = rng.uniform(0, 1, 2000) < raw**4  # raw confidence is far too high
    calibration = fit_calibration(raw, exact)
    policy = ReviewPolicy(calibration=calibration)
    calibrated = policy.calibrate(raw)
    assert np.all(np.diff(calibrated[np.argsort(raw)]) >= 0)
    # Calibrated, the mean confidence matches the share right; raw it overstates it.
    assert abs(calibrated.mean() - exact.mean()) < 0.02
    assert raw.mean() - exact.mean() > 0.1
    assert fit_calibration(raw, np.ones(2000, bool)) is None


def test_policy_round_trips_through_the_card_and_reads_old_cards():
    policy = ReviewPolicy(0.8, 0.05, calibration=(1.5, -0.2), bound={"target": 0.95, "level": 0.9, "accepted": 10})
    again = ReviewPolicy(**json.loads(json.dumps(policy.to_dict())))
    assert again == policy
    old = ReviewPolicy(**{"min_confidence": 0.7, "borderline_margin": 0.05})  # a card from before calibration
    assert old.calibrate(np.array([0.3, 0.9])).tolist() == [0.3, 0.9]


def test_gate_below_its_threshold_gives_no_theme():
    scores = np.array([[0.9, 0.1], [0.9, 0.1], [0.9, 0.1]])
    gate = np.array([0.9, 0.2, 0.52])
    predicted, confidence, review = decide(scores, THRESHOLDS, ReviewPolicy(0.0, 0.05), gate, 0.5)
    assert predicted.tolist() == [[1, 0], [0, 0], [1, 0]]
    # Overruled, the high theme score counts against the (empty) set: 0.8 (gate says no) * 0.1 * 0.9.
    assert confidence == pytest.approx([0.9 * 0.9 * 0.9, 0.8 * 0.1 * 0.9, 0.52 * 0.9 * 0.9])
    assert review.tolist() == [False, False, True]  # a gate score near its threshold is borderline
