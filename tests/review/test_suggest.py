"""What `pgtext suggest` picks: uncertain, typical answers, diverse in meaning (pgtext.review.suggest)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pgtext.review import suggest
from pgtext.review.suggest import (
    candidate_rows,
    pick_diverse,
    pick_to_label,
    typicality,
)


def unit(*rows) -> np.ndarray:
    vectors = np.array(rows, dtype=float)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_typicality_is_low_for_an_answer_unlike_the_others():
    vectors = unit([1, 0.1, 0], [1, 0, 0.1], [1, 0.05, 0.05], [0, 0, 1])
    t = typicality(vectors, neighbours=2)
    assert int(np.argmin(t)) == 3 and t[:3].min() > t[3]
    assert typicality(unit([1, 0])).tolist() == [1.0]  # a single answer has no neighbours


@settings(max_examples=15, deadline=None)
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
    uncertainty = np.array([0.9, 0.88, 0.85, 0.6, 0.55, 0.5])  # the money answers are the least sure
    picks = pick_to_label(texts, uncertainty, vectors, 2, diversity=0.5)
    assert picks[0] == 0 and picks[1] >= 3  # the second pick means something else
    assert max(pick_to_label(texts, uncertainty, vectors, 2, diversity=0.0)) < 3  # no diversity: both about money


def test_pick_to_label_prefers_a_typical_answer_to_an_odd_one_equally_undecided():
    texts = ["Lobby bij de provincie", "Lobby richting het Rijk", "Lobby bij wethouders", "Een cursus haken"]
    vectors = unit([1, 0.1, 0], [1, 0, 0.1], [1, 0.1, 0.1], [0, 0, 1])
    assert pick_to_label(texts, np.array([0.1, 0.1, 0.7, 0.7]), vectors, 1) == [2]


def test_pick_to_label_scales_embeddings_and_handles_edges():
    texts, vectors = two_kinds_of_answer()
    uncertainty = np.array([0.9, 0.88, 0.85, 0.6, 0.55, 0.5])
    assert pick_to_label(texts, uncertainty, 7 * vectors, 3) == pick_to_label(texts, uncertainty, vectors, 3)
    assert pick_to_label(texts, uncertainty, vectors, 0) == [] and pick_to_label([], uncertainty[:0], vectors[:0], 5) == []
    assert sorted(pick_to_label(texts, uncertainty, vectors, 50)) == list(range(6))
    assert len(pick_to_label(texts, np.zeros(6), vectors, 3)) == 3  # nothing uncertain: still n varied answers


def test_pick_diverse_with_embeddings_still_drops_near_copies():
    texts = ["meer bijeenkomsten", "Meer bijeenkomsten!", "een nieuwsbrief"]
    vectors = unit([1, 0], [0.2, 1], [0, 1])  # the copy's vector is made unlike the pick on purpose
    assert pick_diverse(texts, [0.9, 0.9, 0.2], 2, 0.5, vectors) == [0, 2]


def test_candidate_rows_skips_non_answers_labelled_answers_and_repeats():
    texts = ["Meer geld", "nvt", "meer geld!", "Een visie", "Lobby"]
    kept, skipped = candidate_rows(texts, labelled_texts=["lobby"])
    assert kept == [0, 3]
    assert skipped == {"non_answers": 1, "already_labelled": 1, "copies": 1}


def test_pick_to_label_passes_over_answers_like_those_already_labelled():
    texts, vectors = two_kinds_of_answer()
    uncertainty = np.array([0.9, 0.88, 0.85, 0.85, 0.8, 0.8])
    assert pick_to_label(texts, uncertainty, vectors, 1) == [0]
    money_is_labelled = unit([1, 0.05, 0.05])
    assert pick_to_label(texts, uncertainty, vectors, 1, labelled_embeddings=money_is_labelled)[0] >= 3


def test_similarity_to_labelled_answers_is_the_same_in_blocks(monkeypatch):
    texts, vectors = two_kinds_of_answer()
    labelled = unit([1, 0.05, 0.05], [0.2, 1, 0], [0, 0.3, 1])
    uncertainty = np.array([0.9, 0.88, 0.85, 0.85, 0.8, 0.8])
    whole = pick_to_label(texts, uncertainty, vectors, 4, labelled_embeddings=labelled)
    monkeypatch.setattr(suggest, "_BLOCK", 2)
    assert pick_to_label(texts, uncertainty, vectors, 4, labelled_embeddings=labelled) == whole
