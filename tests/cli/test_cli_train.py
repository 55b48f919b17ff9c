"""`pgtext themes` and `pgtext train` through the CLI, on the second (non-Twente) codebook."""

from __future__ import annotations

import json
import shutil

from conftest import CODEBOOK_ROWS, LABEL_COUNTS, LABEL_ROWS, invoke, write_labels

from pgtext import __version__


def test_themes_from_codebook_file(codebook_path):
    result = invoke("themes", "--codebook", codebook_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "wonen  Wonen en huisvesting"
    assert lines[1].strip() == CODEBOOK_ROWS[0]["description"]
    assert lines[1].startswith("    ")
    assert [line for line in lines if not line.startswith(" ")] == [f"{r['slug']}  {r['name']}" for r in CODEBOOK_ROWS]


def test_themes_from_model_shows_the_codebook_and_the_cards_quality(model_dir, codebook_path):
    out = invoke("themes", "--model", model_dir).output
    codebook = invoke("themes", "--codebook", codebook_path).output
    assert out.startswith(codebook + "\n")
    card = json.loads((model_dir / "model_card.json").read_text(encoding="utf-8"))
    cv = card["cv"]
    lines = out[len(codebook) + 1 :].splitlines()
    assert lines[0].startswith(f"Model {model_dir}: trained {card['created_at'][:10]}") and "on 60 answers (labels.csv)" in lines[0]
    assert lines[1] == f"Cross-validated ({cv['folds']} folds; thresholds and review cut-off tuned on the other folds):"
    for slug, m in cv["per_theme"].items():  # every theme's P/R/F1/support, as the README promises
        assert any(line.split() == [slug, f"{m['precision']:.2f}", f"{m['recall']:.2f}", f"{m['f1']:.2f}", str(m["support"])] for line in lines)
    assert any(line.split() == ["macro", "F1", f"{cv['macro_f1']:.2f}"] for line in lines)
    assert f"flagged when: confidence below {card['review']['min_confidence']:.2f}" in out


def test_themes_refuses_a_card_without_figures(model_dir, tmp_path):
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(model_dir, folder)
    card = json.loads((folder / "model_card.json").read_text(encoding="utf-8"))
    del card["cv"]
    (folder / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    result = invoke("themes", "--model", folder)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr == f"Error: {folder}: the model card lacks readable training figures; retrain the model with this pgtext.\n"


def test_themes_default_is_the_twente_codebook():
    result = invoke("themes")
    assert result.exit_code == 0
    assert result.output.startswith("gedeelde_visie  Zorgen voor een gedeelde visie en koers\n")


def test_train_prints_a_table_per_theme(trained, codebook_path):
    folder, result = trained
    card = json.loads((folder / "model_card.json").read_text(encoding="utf-8"))
    cv = card["cv"]
    lines = result.stdout.splitlines()
    assert lines[0] == f"Trained on 60 answers with codebook {codebook_path} (3 themes)."
    assert lines[1] == "Cross-validated (5 folds, thresholds tuned on the other folds):"
    assert lines[2] == "theme         precision  recall     F1  support"
    for line, slug in zip(lines[3:6], ["wonen", "vervoer", "eenzaamheid"]):
        m = cv["per_theme"][slug]
        assert line == f"{slug:<13}{m['precision']:>10.2f}{m['recall']:>8.2f}{m['f1']:>7.2f}{18:>9}"
    micro = cv["micro"]
    assert lines[6] == f"micro        {micro['precision']:>10.2f}{micro['recall']:>8.2f}{micro['f1']:>7.2f}"
    assert lines[7] == f"macro F1     {'':>18}{cv['macro_f1']:>7.2f}"
    assert lines[8] == f"exact theme set right: {cv['exact_match']:.0%} of 60 answers"
    assert lines[9].startswith("review policy: ") and "flagged; of the rest" in lines[9]
    assert lines[10] == (
        "(cut-off chosen so that the precision of unflagged answers is at least 95% with 90% confidence)"
    )
    assert lines[11] == f"Model written to {folder}"
    assert len(lines) == 12
    assert result.stderr == ""


def test_train_writes_a_complete_card(trained, codebook):
    folder, _ = trained
    assert sorted(p.name for p in folder.iterdir()) == ["head.json", "head.npz", "model_card.json"]
    card = json.loads((folder / "model_card.json").read_text(encoding="utf-8"))
    assert {"format", "pgtext_version", "created_at", "codebook", "labels", "embedder", "features",
            "thresholds", "review", "cv", "versions", "files"} <= set(card)
    assert card["codebook"]["sha256"] == codebook.sha256
    assert card["codebook"]["themes"] == CODEBOOK_ROWS
    assert card["labels"]["counts"] == LABEL_COUNTS
    assert card["labels"]["files"][0]["name"] == "labels.csv"
    assert list(card["thresholds"]) == ["wonen", "vervoer", "eenzaamheid"]
    assert set(card["cv"]["per_theme"]) == set(LABEL_COUNTS)
    assert {"precision", "recall", "f1"} == set(card["cv"]["micro"])
    assert 0.0 <= card["cv"]["macro_f1"] <= 1.0
    assert card["embedder"] == {"name": "fake", "id": "fake-hash-64", "dimension": 64}
    assert card["features"] == "both"
    assert {"python", "pgtext", "scikit-learn", "numpy", "pandas"} <= set(card["versions"])
    assert card["pgtext_version"] == card["versions"]["pgtext"] == __version__
    assert card["created_at"].endswith("+00:00") and card["created_at"][:2] == "20"


def test_card_holds_no_raw_answers(trained):
    folder, result = trained
    card_text = (folder / "model_card.json").read_text(encoding="utf-8")
    leaked = [text for text, _ in LABEL_ROWS if text in card_text or text in result.output]
    assert leaked == []


def test_train_finds_codebook_beside_labels(tmp_path, data_dir):
    labels = tmp_path / "labels.csv"
    shutil.copy(data_dir / "labels.csv", labels)
    shutil.copy(data_dir / "codebook.csv", tmp_path / "codebook.csv")
    result = invoke("train", labels, "-o", tmp_path / "m", "--embedder", "fake", "--folds", "2", "--features", "tfidf")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"Trained on 60 answers with codebook {tmp_path / 'codebook.csv'} (3 themes)."
    card = json.loads((tmp_path / "m" / "model_card.json").read_text(encoding="utf-8"))
    assert card["features"] == "tfidf" and card["cv"]["folds"] == 2
    assert list(card["thresholds"]) == ["wonen", "vervoer", "eenzaamheid"]


def test_train_warns_about_dropped_rows_and_replaces_with_force(tmp_path, codebook_path, model_dir):
    rows = [*LABEL_ROWS, ("", "wonen"), (LABEL_ROWS[0][0].upper(), LABEL_ROWS[0][1])]
    labels = write_labels(tmp_path / "labels.csv", rows)
    target = tmp_path / "m"
    shutil.copytree(model_dir, target)
    args = ["train", labels, "-o", target, "--embedder", "fake", "--codebook", codebook_path, "--folds", "2"]
    refused = invoke(*args)
    assert refused.exit_code == 1
    assert refused.stderr == f"Error: {target}: already exists and is not empty; choose another -o/--output folder or add --force.\n"
    result = invoke(*args, "--force", "--no-cache")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Warning: labels.csv: skipped 1 rows with no text (rows 62).",
        "Warning: dropped 1 exact duplicate answers (labels.csv, row 63).",
    ]
    card = json.loads((target / "model_card.json").read_text(encoding="utf-8"))
    assert card["labels"]["files"][0]["rows"] == 62 and card["labels"]["answers"] == 60
    assert card["cv"]["folds"] == 2
