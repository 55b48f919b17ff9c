"""pgtext.model.store: a model is a folder (head.json + head.npz + model_card.json), checked when loaded."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from conftest import EXPORT_ROWS

from pgtext.embed import embed_texts
from pgtext.errors import ModelError
from pgtext.model.store import (
    CARD_FILE,
    HEAD_FILES,
    build_head,
    feature_frame,
    load_model,
    read_card,
    save_model,
)
from tests.fakes import FakeEmbedder


@pytest.fixture
def model_copy(model_dir, tmp_path):
    target = tmp_path / "kopie"
    shutil.copytree(model_dir, target)
    return target


def _card(folder):
    return json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))


def test_save_load_round_trip(model_dir, tmp_path):
    model = load_model(model_dir)
    assert model.themes == ["wonen", "vervoer", "eenzaamheid"]
    assert model.thresholds.tolist() == [model.card["thresholds"][s] for s in model.themes]
    saved = save_model(model, tmp_path / "nieuw")
    assert sorted(p.name for p in saved.iterdir()) == sorted([*HEAD_FILES, CARD_FILE])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nieuw"]  # no staging folder left
    again = load_model(saved)
    assert {k: v for k, v in again.card.items() if k != "files"} == {k: v for k, v in model.card.items() if k != "files"}
    texts = [r[2] for r in EXPORT_ROWS if r[2].strip()]
    embeddings = embed_texts(FakeEmbedder(), texts)
    np.testing.assert_allclose(again.predict_scores(texts, embeddings), model.predict_scores(texts, embeddings))
    assert model.predict_scores([], np.zeros((0, 64))).shape == (0, 3)


def test_card_records_the_head_hash(model_dir):
    import hashlib

    card = _card(model_dir)
    for name in HEAD_FILES:
        assert card["files"][name] == hashlib.sha256((model_dir / name).read_bytes()).hexdigest()


@pytest.mark.parametrize("HEAD_FILE", HEAD_FILES)
def test_tampered_head_is_refused(model_copy, HEAD_FILE):
    with (model_copy / HEAD_FILE).open("ab") as handle:
        handle.write(b"\x00")
    with pytest.raises(ModelError) as err:
        load_model(model_copy)
    assert str(err.value) == (
        f"{model_copy / HEAD_FILE}: does not match the hash in {CARD_FILE}; the folder was changed. Retrain."
    )


@pytest.mark.parametrize("HEAD_FILE", HEAD_FILES)
def test_missing_head(model_copy, HEAD_FILE):
    (model_copy / HEAD_FILE).unlink()
    with pytest.raises(ModelError) as err:
        load_model(model_copy)
    assert str(err.value) == f"{model_copy}: incomplete model ({HEAD_FILE} missing); copy the whole folder or retrain."


def test_missing_card(model_copy):
    (model_copy / CARD_FILE).unlink()
    with pytest.raises(ModelError) as err:
        load_model(model_copy)
    assert str(err.value) == f"{model_copy}: not a pgtext model (no {CARD_FILE}); give the folder 'pgtext train' wrote."


def test_missing_folder(tmp_path):
    with pytest.raises(ModelError) as err:
        read_card(tmp_path / "weg")
    assert str(err.value) == f"{tmp_path / 'weg'}: no such model folder; train one with 'pgtext train' or give --model."


def test_wrong_format_is_refused(model_copy):
    card = _card(model_copy)
    card.update(format=99, pgtext_version="9.0.0")
    (model_copy / CARD_FILE).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_model(model_copy)
    assert str(err.value) == (
        f"{model_copy}: model format 99 made by pgtext 9.0.0; this pgtext (0.1.0) reads format 2, 3. "
        "Retrain it with this version."
    )


def test_damaged_card(model_copy):
    (model_copy / CARD_FILE).write_text('{"format": 1,', encoding="utf-8")
    with pytest.raises(ModelError, match=r"model_card.json: damaged model card \("):
        read_card(model_copy)


def test_existing_non_empty_folder_refused_without_force(model_dir, model_copy):
    model = load_model(model_dir)
    (model_copy / "notities.txt").write_text("van mij", encoding="utf-8")
    with pytest.raises(ModelError) as err:
        save_model(model, model_copy)
    assert str(err.value) == f"{model_copy}: already exists and is not empty; choose another -o/--output folder or add --force."
    assert (model_copy / "notities.txt").exists()
    with pytest.raises(ModelError) as err:  # --force replaces a model folder, never someone's notes in it
        save_model(model, model_copy, force=True)
    assert str(err.value) == (
        f"{model_copy}: is not a pgtext model folder (it also holds notities.txt, which pgtext did not write); "
        "--force replaces only a folder 'pgtext train' wrote. Choose another -o/--output folder."
    )
    assert (model_copy / "notities.txt").read_text(encoding="utf-8") == "van mij"
    (model_copy / "notities.txt").unlink()
    save_model(model, model_copy, force=True)
    assert sorted(p.name for p in model_copy.iterdir()) == sorted([*HEAD_FILES, CARD_FILE])
    assert sorted(p.name for p in model_copy.parent.iterdir()) == ["kopie"]  # no backup or staging left
    load_model(model_copy)


def test_existing_empty_folder_is_fine(model_dir, tmp_path):
    (tmp_path / "leeg").mkdir()
    save_model(load_model(model_dir), tmp_path / "leeg")
    assert (tmp_path / "leeg" / CARD_FILE).exists()


def test_file_in_the_way(model_dir, tmp_path):
    (tmp_path / "model").write_text("", encoding="utf-8")
    with pytest.raises(ModelError) as err:
        save_model(load_model(model_dir), tmp_path / "model", force=True)
    assert str(err.value) == f"{tmp_path / 'model'}: is a file, not a folder; choose another -o/--output folder."


def test_build_head_feature_sets():
    with pytest.raises(ModelError) as err:
        build_head("bert", 64)
    assert str(err.value) == "unknown feature set 'bert'; choose one of both, embeddings, tfidf."
    names = {f: [name for name, _, _ in build_head(f, 4).named_steps["features"].transformers] for f in ("both", "embeddings", "tfidf")}
    assert names == {"both": ["word", "char", "embedding"], "embeddings": ["embedding"], "tfidf": ["word", "char"]}


def test_feature_frame_puts_text_beside_embedding():
    frame = feature_frame(["a", "b"], np.eye(2, 3, dtype=np.float32))
    assert frame.columns.tolist() == ["text", "e0", "e1", "e2"]
    assert frame["text"].tolist() == ["a", "b"]
    assert frame.loc[1, "e1"] == 1.0


def test_loaded_head_scores_like_the_sklearn_pipeline_it_came_from():
    """The plain-data head is the fitted pipeline's numbers: same scores, for every feature set."""
    from pgtext.model.head import LinearHead

    texts = [r[2] for r in EXPORT_ROWS if r[2].strip()] * 3
    y = np.array([[i % 2, (i // 2) % 2] for i in range(len(texts))])
    frame = feature_frame(texts, embed_texts(FakeEmbedder(), texts))
    for features in ("both", "tfidf", "embeddings"):
        pipeline = build_head(features, 64).fit(frame, y)
        head = LinearHead.from_pipeline(pipeline, 64)
        np.testing.assert_allclose(head.predict_proba(frame), pipeline.predict_proba(frame), atol=1e-6)


def test_loading_a_model_never_unpickles(model_dir, monkeypatch):
    """A model folder from someone else runs no code: nothing in loading may call pickle."""
    import pickle

    def refuse(*args, **kwargs):
        raise AssertionError("pickle used while loading a model")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    model = load_model(model_dir)
    texts = ["Meer busverbindingen"]
    assert model.predict_scores(texts, embed_texts(FakeEmbedder(), texts)).shape == (1, 3)


def test_format_2_model_without_gate_still_labels(model_dir, tmp_path):
    """A model folder from before the gate (format 2: one head row per theme, raw confidence) loads and labels."""
    import math

    from pgtext.embed import embed_texts
    from tests.fakes import FakeEmbedder

    model = load_model(model_dir)
    assert model.gate_threshold is not None and model.head.coef.shape[0] == 4  # 3 themes + the gate
    model.head.coef, model.head.intercept = model.head.coef[:3], model.head.intercept[:3]
    card = {key: value for key, value in model.card.items() if key not in ("gate", "files")}
    card["format"] = 2
    card["review"] = {"min_confidence": 0.5, "borderline_margin": 0.05}
    model.card = card
    old = load_model(save_model(model, tmp_path / "oud"))
    assert old.gate_threshold is None
    texts = ["Meer woningen voor ouderen", "De bus rijdt niet meer"]
    scores, predicted, confidence, review = old.decide(texts, embed_texts(FakeEmbedder(), texts))
    assert scores.shape == (2, 3)
    assert predicted.tolist() == (scores >= old.thresholds).astype(int).tolist()
    for row, chosen, conf in zip(scores, predicted, confidence):
        assert conf == pytest.approx(math.prod(p if c else 1 - p for p, c in zip(row, chosen)))
