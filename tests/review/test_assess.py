"""Evaluation metrics against hand-computed cases, and the evaluate/agreement commands."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from pgtext.cli import cli
from pgtext.model.metrics import (
    agreement_per_theme,
    expected_calibration_error,
    krippendorff_alpha_nominal,
    reliability_table,
)


def test_alpha_two_coders_binary_hand_computed():
    # units (1,1) (1,0) (0,0) (0,0): n=8 values, n1=3, n0=5, one disagreeing unit.
    # alpha = 1 - (n-1) * D / (n0 * n1) = 1 - 7 * 1 / 15
    values = np.array([[1, 1], [1, 0], [0, 0], [0, 0]])
    assert krippendorff_alpha_nominal(values) == pytest.approx(1 - 7 / 15)


def test_alpha_perfect_and_undefined_and_missing():
    assert krippendorff_alpha_nominal(np.array([[1, 1], [0, 0]])) == pytest.approx(1.0)
    assert krippendorff_alpha_nominal(np.array([[0, 0], [0, 0]])) is None  # no variation
    # a unit coded by one coder only is not pairable and is ignored
    with_missing = np.array([[1, 1], [1, 0], [0, 0], [0, 0], [1, np.nan]])
    assert krippendorff_alpha_nominal(with_missing) == pytest.approx(1 - 7 / 15)


def test_alpha_three_coders_three_categories():
    # Three coders, nominal, no missing. n = 12 values; value counts 1:5, 2:3, 3:4.
    values = np.array([[1, 1, 1], [1, 2, 2], [3, 3, 3], [2, 3, 1]], dtype=float)
    # unit2 (1,2,2): ordered unlike pairs 4, /2 -> 2; unit4 (2,3,1): 6 pairs /2 -> 3; observed = 5
    # expected = n^2 - sum n_c^2 = 144 - (25 + 9 + 16) = 94 ; alpha = 1 - (n-1) * 5 / 94
    assert krippendorff_alpha_nominal(values) == pytest.approx(1 - 11 * 5 / 94)


def test_reliability_and_ece_hand_computed():
    probs = np.array([0.05, 0.15, 0.15, 0.95, 0.95])
    outcomes = np.array([0, 0, 1, 1, 1])
    table = reliability_table(probs, outcomes, bins=10)
    assert table[0] == {"bin": "0.0-0.1", "count": 1, "mean_predicted": pytest.approx(0.05), "observed": 0.0}
    assert table[1]["count"] == 2 and table[1]["observed"] == pytest.approx(0.5)
    # ECE = 1/5*|0-0.05| + 2/5*|0.5-0.15| + 2/5*|1-0.95| = 0.01 + 0.14 + 0.02
    assert expected_calibration_error(probs, outcomes) == pytest.approx(0.17)


def test_agreement_per_theme_counts():
    a = np.array([[1, 0], [1, 1], [0, 0], [0, 1]])
    b = np.array([[1, 0], [0, 1], [0, 0], [0, 1]])
    out = agreement_per_theme(a, b, ["x", "y"])
    assert out["x"]["agreement"] == pytest.approx(0.75)
    assert out["x"]["coder_a"] == 2 and out["x"]["coder_b"] == 1
    assert out["y"]["alpha"] == pytest.approx(1.0)


CODEBOOK = "slug,name,description\nwonen,Wonen,Huisvesting\nvervoer,Vervoer,Bus en taxi\n"
CODER_A = "text,themes\nMeer sociale huurwoningen,wonen\nDe buurtbus rijdt te weinig,vervoer\nWeet niet,\nBetaalbare woning en een busverbinding,wonen;vervoer\n"
CODER_B = "text,themes\nmeer sociale huurwoningen,Wonen\nDe buurtbus rijdt te weinig,\nWeet niet,\nBetaalbare woning en een busverbinding,wonen;vervoer\nAlleen in B,wonen\n"


def test_agreement_command_matches_by_text_and_writes_json(tmp_path):
    (tmp_path / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "a.csv").write_text(CODER_A, encoding="utf-8")
    (tmp_path / "b.csv").write_text(CODER_B, encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "agreement", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"),
        "--codebook", str(tmp_path / "codebook.csv"), "--json", str(tmp_path / "agree.json"),
    ])
    assert result.exit_code == 0, result.output
    assert "Matched 4 answers (0 only in A, 1 only in B)" in result.output
    report = json.loads((tmp_path / "agree.json").read_text(encoding="utf-8"))
    assert report["per_theme"]["wonen"]["agreement"] == 1.0
    assert report["per_theme"]["vervoer"]["agreement"] == pytest.approx(0.75)
    assert report["metrics"]["per_theme"]["vervoer"]["recall"] == pytest.approx(0.5)
    assert report["metrics"]["exact_match"] == pytest.approx(0.75)


def test_agreement_command_refuses_files_without_shared_answers(tmp_path):
    (tmp_path / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "a.csv").write_text("text,themes\nEen,wonen\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("text,themes\nTwee,wonen\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "agreement", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--codebook", str(tmp_path / "codebook.csv"),
    ])
    assert result.exit_code == 1
    assert "share no answers" in result.output


def test_evaluate_command_on_held_out_gold(tmp_path, model_dir, codebook_path):
    """evaluate scores a model on gold it was not trained on, and writes JSON, table and plot."""
    from conftest import invoke, write_labels

    gold = write_labels(tmp_path / "gold.csv", [
        ("Er moeten meer betaalbare huurwoningen komen", "wonen"),
        ("De bus naar het ziekenhuis rijdt te weinig", "vervoer"),
        ("Veel ouderen zitten alleen thuis en zien niemand", "eenzaamheid"),
        ("Weet ik niet", ""),
    ])
    result = invoke("evaluate", gold, "--model", model_dir, "--json", tmp_path / "e.json",
                    "--output", tmp_path / "e.csv", "--plot", tmp_path / "e.png")
    assert result.exit_code == 0, result.output
    assert "Evaluated on 4 gold answers." in result.output
    assert "Krippendorff's alpha (model vs gold)" in result.output
    assert "flatter" not in result.output  # held-out gold: no warning
    report = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert report["metrics"]["n"] == 4
    assert set(report["metrics"]["per_theme"]) == {"wonen", "vervoer", "eenzaamheid"}
    assert 0.0 <= report["calibration"]["ece_scores"] <= 1.0
    assert sum(r["count"] for r in report["calibration"]["reliability_scores"]) == 4 * 3
    assert (tmp_path / "e.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "e.png").stat().st_size > 10_000


def test_evaluate_warns_when_gold_is_the_training_file(model_dir, labels_path):
    from conftest import invoke

    result = invoke("evaluate", labels_path, "--model", model_dir)
    assert result.exit_code == 0, result.output
    assert "is a file this model was trained on; these figures flatter it" in result.output
