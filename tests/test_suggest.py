"""What `pgtext suggest` picks: per-theme uncertainty, typicality, diversity by meaning (pgtext.suggest)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pgtext import suggest
from pgtext.suggest import candidate_rows, pick_diverse, pick_to_label, typicality, undecided


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def unit(*rows) -> np.ndarray:
    vectors = np.array(rows, dtype=float)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_undecided_is_one_on_a_threshold_and_measured_in_log_odds_per_theme():
    thresholds = np.array([0.2, 0.6])
    scores = np.array([[0.2, 0.95], [0.9, 0.6], [0.6, 0.1]])
    u = undecided(scores, thresholds)
    assert u[0] == pytest.approx(1.0) and u[1] == pytest.approx(1.0)  # each on its own theme's threshold
    nearest = min(abs(logit(0.6) - logit(0.2)), abs(logit(0.1) - logit(0.6)))
    assert u[2] == pytest.approx(math.exp(-nearest))


def test_undecided_counts_the_any_theme_gate():
    scores = np.array([[0.01, 0.99], [0.01, 0.99]])
    u = undecided(scores, np.array([0.5, 0.5]), gate=np.array([0.4, 0.99]), gate_threshold=0.4)
    assert u[0] == pytest.approx(1.0) and u[1] < 0.05


def test_typicality_is_low_for_an_answer_unlike_the_others():
    vectors = unit([1, 0.1, 0], [1, 0, 0.1], [1, 0.05, 0.05], [0, 0, 1])
    t = typicality(vectors, neighbours=2)
    assert int(np.argmin(t)) == 3 and t[:3].min() > t[3]
    assert typicality(unit([1, 0])).tolist() == [1.0]  # a single answer has no neighbours


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 12), st.integers(1, 5), st.integers(1, 4), st.integers(0, 10_000))
def test_typicality_in_blocks_equals_the_whole_matrix(count, neighbours, block, seed):
    vectors = unit(*np.random.default_rng(seed).normal(size=(count, 4)))
    sim = vectors @ vectors.T
    np.fill_diagonal(sim, -np.inf)
    k = min(neighbours, count - 1)
    expected = np.clip(np.sort(sim, axis=1)[:, -k:].mean(axis=1), 0, None)
    original = suggest._BLOCK
    suggest._BLOCK = block
    try:
        assert typicality(vectors, neighbours) == pytest.approx(expected, abs=1e-5)  # float32 inside
    finally:
        suggest._BLOCK = original


def two_kinds_of_answer():
    """Three ways of asking for money and three ways of asking to meet: different words, two meanings."""
    texts = [
        "Structurele financiering van het programma",
        "Geld om dit vol te houden na 2026",
        "Budget van gemeenten vastleggen",
        "Meer bijeenkomsten met collega's",
        "Intervisie tussen organisaties",
        "Ontmoetingen in de wijk organiseren",
    ]
    vectors = unit([1, 0.1, 0], [1, 0, 0.1], [1, 0.1, 0.1], [0, 1, 0.1], [0.1, 1, 0], [0.1, 1, 0.1])
    return texts, vectors


def test_pick_to_label_spreads_picks_over_meanings_not_words():
    texts, vectors = two_kinds_of_answer()
    thresholds = np.array([0.5])
    scores = np.array([[0.5], [0.52], [0.55], [0.7], [0.75], [0.8]])  # the money answers are the least decided
    picks = pick_to_label(texts, scores, thresholds, vectors, 2, diversity=0.5)
    assert picks[0] == 0 and picks[1] >= 3  # the second pick means something else
    assert max(pick_to_label(texts, scores, thresholds, vectors, 2, diversity=0.0)) < 3  # no diversity: both about money


def test_pick_to_label_prefers_a_typical_answer_to_an_odd_one_equally_undecided():
    texts = ["Lobby bij de provincie", "Lobby richting het Rijk", "Lobby bij wethouders", "Een cursus haken"]
    vectors = unit([1, 0.1, 0], [1, 0, 0.1], [1, 0.1, 0.1], [0, 0, 1])
    scores = np.array([[0.9], [0.9], [0.5], [0.5]])
    assert pick_to_label(texts, scores, np.array([0.5]), vectors, 1) == [2]


def test_pick_to_label_scales_embeddings_and_handles_edges():
    texts, vectors = two_kinds_of_answer()
    scores = np.array([[0.5], [0.52], [0.55], [0.7], [0.75], [0.8]])
    thresholds = np.array([0.5])
    assert pick_to_label(texts, scores, thresholds, 7 * vectors, 3) == pick_to_label(texts, scores, thresholds, vectors, 3)
    assert pick_to_label(texts, scores, thresholds, vectors, 0) == [] and pick_to_label([], scores[:0], thresholds, vectors[:0], 5) == []
    everything = pick_to_label(texts, scores, thresholds, vectors, 50)
    assert sorted(everything) == list(range(6))


def test_pick_diverse_with_embeddings_still_drops_near_copies():
    texts = ["meer bijeenkomsten", "Meer bijeenkomsten!", "een nieuwsbrief"]
    vectors = unit([1, 0], [0.2, 1], [0, 1])  # the copy's vector is made unlike the pick on purpose
    assert pick_diverse(texts, [0.9, 0.9, 0.2], 2, 0.5, vectors) == [0, 2]


def test_candidate_rows_skips_non_answers_labelled_answers_and_repeats():
    texts = ["Meer geld", "nvt", "meer geld!", "Een visie", "Lobby"]
    kept, skipped = candidate_rows(texts, labelled_texts=["lobby"])
    assert kept == [0, 3]
    assert skipped == {"non_answers": 1, "already_labelled": 1, "copies": 1}
