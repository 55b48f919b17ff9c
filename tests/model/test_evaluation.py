"""pgtext.model.metrics on a 4-answer, 2-theme case worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from pgtext.model.metrics import review_metrics, theme_metrics

# answer:   truth (wonen, vervoer)   predicted
#   1          1 0                    1 0      exact
#   2          1 1                    0 1      wonen missed
#   3          0 1                    1 1      wonen wrongly added
#   4          0 0                    0 0      exact
Y_TRUE = np.array([[1, 0], [1, 1], [0, 1], [0, 0]])
Y_PRED = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])


def test_theme_metrics_by_hand():
    report = theme_metrics(Y_TRUE, Y_PRED, ["wonen", "vervoer"])
    # wonen: tp 1 (answer 1), fp 1 (answer 3), fn 1 (answer 2) -> P = R = F1 = 1/2
    assert report["per_theme"]["wonen"] == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2})
    # vervoer: tp 2, no fp, no fn
    assert report["per_theme"]["vervoer"] == pytest.approx({"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2})
    # micro: tp 3, fp 1, fn 1 -> 3/4 each
    assert report["micro"] == pytest.approx({"precision": 0.75, "recall": 0.75, "f1": 0.75})
    assert report["macro_f1"] == pytest.approx((0.5 + 1.0) / 2)
    assert report["exact_match"] == pytest.approx(2 / 4)
    assert report["n"] == 4
    assert list(report["per_theme"]) == ["wonen", "vervoer"]


def test_review_metrics_by_hand():
    # Only answer 1 flagged. Accepted: answers 2, 3, 4 of which only 4 is exact.
    review = review_metrics(Y_TRUE, Y_PRED, np.array([True, False, False, False]))
    assert review == pytest.approx(
        {"flagged_share": 0.25, "accepted_share": 0.75, "accepted_exact_accuracy": 1 / 3, "flagged_exact_accuracy": 1.0}
    )


def test_theme_never_predicted_or_never_present_scores_zero():
    y_true = np.array([[1, 0], [0, 0]])
    y_pred = np.array([[0, 1], [0, 0]])
    report = theme_metrics(y_true, y_pred, ["wonen", "vervoer"])
    assert report["per_theme"]["wonen"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert report["per_theme"]["vervoer"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert report["macro_f1"] == 0.0
    assert report["exact_match"] == 0.5


def test_empty_inputs_do_not_divide_by_zero():
    empty = np.zeros((0, 2), dtype=int)
    assert theme_metrics(empty, empty, ["wonen", "vervoer"])["exact_match"] == 0.0
    assert review_metrics(empty, empty, np.zeros(0, dtype=bool)) == {
        "flagged_share": 0.0, "accepted_share": 0.0, "accepted_exact_accuracy": 0.0, "flagged_exact_accuracy": 0.0,
    }


def test_everything_flagged():
    review = review_metrics(Y_TRUE, Y_PRED, np.ones(4, dtype=bool))
    assert review == pytest.approx(
        {"flagged_share": 1.0, "accepted_share": 0.0, "accepted_exact_accuracy": 0.0, "flagged_exact_accuracy": 0.5}
    )
