"""pgtext.model.training: threshold tuning, trainability checks, stratification and the recipe end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import LABEL_COUNTS, LABEL_ROWS, write_labels

from pgtext import __version__
from pgtext.errors import LabelsError
from pgtext.model.codebook import Codebook
from pgtext.model.labels import LabelledSet
from pgtext.model.store import CARD_FORMAT
from pgtext.model.training import (
    check_trainable,
    stratification_key,
    train_model,
    tune_thresholds,
)
from tests.fakes import FakeEmbedder


def test_tune_thresholds_by_hand():
    y = np.array([[1, 1], [1, 0], [0, 0], [0, 0]])
    scores = np.array([
        [0.9, 0.30],
        [0.8, 0.20],
        [0.7, 0.10],
        [0.1, 0.05],
    ])
    # Theme 1: F1 = 1 for any t in (0.7, 0.8]; of the grid 0.71..0.80 the closest to 0.5 is 0.71.
    # Theme 2: F1 = 1 for any t in (0.2, 0.3]; of the grid 0.21..0.30 the closest to 0.5 is 0.30.
    assert tune_thresholds(y, scores) == pytest.approx([0.71, 0.30])


def test_tune_thresholds_prefers_best_f1_over_closeness_to_half():
    y = np.array([[1], [1], [0], [0], [0]])
    scores = np.array([[0.95], [0.4], [0.3], [0.2], [0.1]])
    # t in (0.3, 0.4] catches both positives and nothing else: F1 = 1 (at 0.40); t = 0.5 would give F1 = 2/3.
    assert tune_thresholds(y, scores) == pytest.approx([0.40])


def test_tune_thresholds_without_positives_stays_at_half():
    y = np.zeros((3, 1), dtype=int)
    assert tune_thresholds(y, np.array([[0.2], [0.6], [0.9]])) == pytest.approx([0.5])


def _labelled(y: list[list[int]]) -> LabelledSet:
    book = Codebook.from_list([{"slug": s, "name": s.title(), "description": ""} for s in ("wonen", "vervoer", "eenzaamheid")])
    y = np.array(y, dtype=np.int8)
    return LabelledSet(texts=[f"antwoord {i}" for i in range(len(y))], y=y, codebook=book, origins=[])


def test_check_trainable_too_few_examples():
    y = [[1, 0, 0]] * 10 + [[0, 1, 0]] * 10 + [[0, 0, 1]] * 5 + [[0, 0, 0]] * 5
    with pytest.raises(LabelsError) as err:
        check_trainable(_labelled(y), folds=5)
    assert str(err.value) == (
        "too few labelled answers to train: eenzaamheid (5); each theme needs at least 8. "
        "Label more answers with these themes, or drop the theme from the codebook."
    )


def test_check_trainable_needs_one_example_per_fold():
    y = [[1, 0, 0]] * 10 + [[0, 1, 0]] * 10 + [[0, 0, 1]] * 9 + [[0, 0, 0]] * 5
    check_trainable(_labelled(y), folds=5)  # 9 >= max(8, 5)
    with pytest.raises(LabelsError) as err:
        check_trainable(_labelled(y), folds=10)
    assert str(err.value).startswith("too few labelled answers to train: eenzaamheid (9); each theme needs at least 10.")


def test_check_trainable_theme_on_almost_every_answer():
    y = [[1, 1, 0]] * 10 + [[1, 0, 1]] * 10 + [[0, 0, 0]] * 4
    with pytest.raises(LabelsError) as err:
        check_trainable(_labelled(y), folds=5)
    assert str(err.value) == "themes on (almost) every answer cannot be learned: wonen; add answers without them."


def test_check_trainable_folds_below_two():
    with pytest.raises(LabelsError, match="--folds must be at least 2"):
        check_trainable(_labelled([[1, 0, 0]] * 10), folds=1)


def test_stratification_key_is_the_rarest_theme():
    # counts: wonen 5, vervoer 3, eenzaamheid 2
    y = np.array([[1, 0, 0], [1, 1, 0], [1, 1, 1], [0, 0, 0], [1, 0, 1], [1, 1, 0]])
    assert stratification_key(y).tolist() == [0, 1, 2, -1, 2, 1]


@pytest.fixture(scope="module")
def fake_result(tmp_path_factory, labels_path, codebook):
    return train_model([labels_path], codebook, FakeEmbedder(), folds=5)


def test_train_model_card(fake_result, labels_path, codebook):
    card = fake_result.model.card
    assert card["format"] == CARD_FORMAT
    assert card["pgtext_version"] == __version__
    assert card["codebook"] == {"sha256": codebook.sha256, "themes": codebook.to_list(), "language": "nl"}
    assert card["labels"]["counts"] == LABEL_COUNTS
    assert card["labels"]["answers"] == 60
    assert card["labels"]["no_theme"] == 15
    assert card["embedder"] == {"name": "fake", "id": "fake-hash-64", "dimension": 64}
    assert list(card["thresholds"]) == codebook.slugs
    assert all(0.05 <= t <= 0.95 for t in card["thresholds"].values())
    assert card["cv"]["n"] == 60 and card["cv"]["folds"] == 5
    assert set(card["cv"]["per_theme"]) == set(codebook.slugs)
    assert 0.0 <= card["review"]["min_confidence"] <= 1.01
    # The model learned something: on the training answers themselves it finds the themes.
    texts = [t for t, _ in LABEL_ROWS]
    from pgtext.embed import embed_texts
    from pgtext.model.decisions import ReviewPolicy, decide

    scores = fake_result.model.predict_scores(texts, embed_texts(FakeEmbedder(), texts))
    predicted, _, _ = decide(scores, fake_result.model.thresholds, ReviewPolicy())
    assert (predicted == fake_result.labelled.y).all(axis=1).mean() > 0.9
    # No answer text in the card (personal data).
    dumped = json.dumps(card, ensure_ascii=False)
    assert not [t for t in texts if t in dumped]


def test_train_model_is_reproducible(fake_result, model_dir):
    # The session model was trained separately, through the CLI, on the same file with the same defaults.
    card = json.loads((model_dir / "model_card.json").read_text(encoding="utf-8"))
    assert card["thresholds"] == fake_result.model.card["thresholds"]
    assert card["review"] == fake_result.model.card["review"]
    assert card["cv"]["per_theme"] == fake_result.cv["per_theme"]


def test_train_model_checks_before_embedding(tmp_path, codebook):
    class Refuses(FakeEmbedder):
        def embed(self, texts):
            raise AssertionError("should not embed labels that cannot be trained on")

    path = write_labels(tmp_path / "labels.csv", LABEL_ROWS[:20] + LABEL_ROWS[45:])
    with pytest.raises(LabelsError) as err:
        train_model([path], codebook, Refuses())
    assert str(err.value).startswith("too few labelled answers to train: eenzaamheid (0); each theme needs at least 8.")


def test_train_model_learns_an_any_theme_gate(fake_result, model_dir):
    from pgtext.embed import embed_texts
    from pgtext.model.store import load_model

    card = fake_result.model.card
    assert 0.05 <= card["gate"]["threshold"] <= 0.95
    assert "gate" in card["classifier"]
    # The saved head has one row per theme plus the gate; labelling uses it.
    model = load_model(model_dir)
    assert model.gate_threshold == card["gate"]["threshold"]
    texts = [t for t, _ in LABEL_ROWS]
    scores, gate = model.predict(texts, embed_texts(FakeEmbedder(), texts))
    assert scores.shape == (len(texts), 3) and gate.shape == (len(texts),)
    _, predicted, confidence, _ = model.decide(texts, embed_texts(FakeEmbedder(), texts))
    assert not predicted[gate < model.gate_threshold].any()
    assert ((confidence > 0) & (confidence < 1)).all()
    # The review policy is calibrated and says how its cut-off was bounded.
    review = card["review"]
    assert len(review["calibration"]) == 2 and review["calibration"][0] > 0
    assert review["bound"]["level"] == card["cv"]["precision_level"] == 0.9


def test_no_gate_without_enough_answers_without_a_theme():
    from pgtext.model.training import can_gate, with_gate_column

    y = np.array([[1, 0]] * 20 + [[0, 0]] * 7)
    assert not can_gate(y, 5)  # 7 answers without a theme: fewer than 8
    assert can_gate(np.vstack([y, [[0, 0]]]), 5)
    assert with_gate_column(np.array([[1, 0], [0, 0], [1, 1]])).tolist() == [[1, 0, 1], [0, 0, 0], [1, 1, 1]]
