"""The onnx backend: its ids, the compatibility rule across backends, choosing it, and (real model) its scores."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from conftest import invoke

from pgtext import config
from pgtext.embed import FakeEmbedder, get_embedder, length_batches, weights_id
from pgtext.embed.base import ATTENTION_BUDGET
from pgtext.embed.onnx import _pack, read_layout
from pgtext.errors import EmbedderError, ModelError
from pgtext.label.prediction import check_compatible
from pgtext.model.store import ThemeModel, load_model

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "samples" / "regioscan-2025.csv", ROOT / "samples" / "regioscan-2026.csv",
           ROOT / "samples" / "regioscan-2026-klein.xlsx"]
SAMPLE_COLUMNS = ["toelichting_beleid", "toelichting_inbedding", "toelichting_toepassing", "toelichting_regio",
                  "toelichting_regio_nodig", "suggesties"]


class _Named:
    def __init__(self, name: str, id: str) -> None:
        self.name, self.id, self.dimension = name, id, 384


def _model_trained_with(embedder_id: str) -> ThemeModel:
    return ThemeModel(head=None, card={"embedder": {"name": "minilm", "id": embedder_id, "dimension": 384},
                                       "codebook": {"sha256": "x", "themes": []}})


def test_weights_id_strips_the_backend():
    assert weights_id("minilm:87a0f0ad433e5b93") == "minilm:87a0f0ad433e5b93"
    assert weights_id("minilm:87a0f0ad433e5b93@onnx-int8-sq1") == "minilm:87a0f0ad433e5b93"
    assert weights_id("hub:org/model") == "hub:org/model"


def test_any_backend_of_the_same_weights_may_label():
    torch_trained = _model_trained_with("minilm:aaaa")
    check_compatible(torch_trained, _Named("minilm", "minilm:aaaa@onnx-int8-sq1"))
    check_compatible(_model_trained_with("minilm:aaaa@onnx-int8-sq1"), _Named("minilm", "minilm:aaaa"))
    with pytest.raises(ModelError, match="trained with embedder 'minilm' \\(id minilm:aaaa\\)"):
        check_compatible(torch_trained, _Named("minilm", "minilm:bbbb@onnx-int8-sq1"))


def test_onnx_embedder_id_differs_from_torch_so_the_cache_keeps_them_apart(tmp_path):
    torch_embedder = get_embedder("minilm")
    onnx_embedder = get_embedder("minilm", "onnx", tmp_path)
    assert onnx_embedder.id != torch_embedder.id
    assert weights_id(onnx_embedder.id) == torch_embedder.id
    assert onnx_embedder.dimension == 384  # read from the folder, no export needed
    assert onnx_embedder.model_file.parent == tmp_path / "onnx"
    assert torch_embedder.id.split(":")[1] in onnx_embedder.model_file.name  # keyed by the weights' fingerprint
    assert not onnx_embedder.model_file.exists()  # exported on first use only


def test_backend_choice_and_errors(tmp_path, monkeypatch):
    assert isinstance(get_embedder("fake", "onnx"), FakeEmbedder)  # nothing to run: same vectors on every backend
    with pytest.raises(EmbedderError, match="unknown backend 'tensorrt'; use one of: torch, onnx."):
        get_embedder("minilm", "tensorrt")
    with pytest.raises(EmbedderError, match="exports from a local model folder"):
        get_embedder("org/some-model", "onnx", tmp_path)
    assert config.backend() == "torch"
    assert config.backend(card="onnx") == "onnx"
    monkeypatch.setenv(config.BACKEND_ENV, "torch")
    assert config.backend(card="onnx") == "torch"
    assert config.backend("onnx", card="torch") == "onnx"


def test_layout_refuses_models_the_export_cannot_reproduce(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"hidden_size": 8}), encoding="utf-8")
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}]
    (tmp_path / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    with pytest.raises(EmbedderError, match="transformer \\+ pooling models only, and this one has Dense; use --backend torch."):
        read_layout(tmp_path, "mijn-model")
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_max_tokens": True}), encoding="utf-8")
    modules[1] = {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}
    (tmp_path / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    with pytest.raises(EmbedderError, match="mean or CLS pooling only"):
        read_layout(tmp_path, "mijn-model")


def test_layout_of_the_shipped_model():
    layout = read_layout(Path(get_embedder("minilm").location), "minilm")
    assert (layout.pooling, layout.max_length, layout.lowercase, layout.dimension) == ("mean", 256, False, 384)


def test_pack_pads_right_and_masks():
    feeds = _pack([[101, 7, 102], [101, 102], [101, 5, 6, 7, 102]], np.array([3, 2, 5]))
    assert feeds["input_ids"].tolist() == [[101, 7, 102, 0, 0], [101, 102, 0, 0, 0], [101, 5, 6, 7, 102]]
    assert feeds["attention_mask"].tolist() == [[1, 1, 1, 0, 0], [1, 1, 0, 0, 0], [1, 1, 1, 1, 1]]
    assert feeds["token_type_ids"].shape == (3, 5) and not feeds["token_type_ids"].any()


def test_batches_are_sorted_by_length_and_long_pieces_go_a_few_at_a_time():
    lengths = np.array([256] * 5 + [5] * 40 + [100] * 10 + [64] * 40)
    order = np.argsort(lengths, kind="stable")
    batches = length_batches(lengths)
    assert [(len(b), int(lengths[b].max())) for b in batches] == [(32, 5), (32, 64), (16, 64), (10, 100), (2, 256), (2, 256), (1, 256)]
    assert np.array_equal(np.concatenate(batches), order)  # every piece once, shortest first
    assert all(len(b) * int(lengths[b].max()) ** 2 <= ATTENTION_BUDGET for b in batches)


# --- the real model: the acceptance rule of issue 8 on the sample exports ---


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.mark.real_model
def test_onnx_scores_match_torch_on_the_sample_exports(onnx_cache):
    from pgtext.files.tables import read_table
    from pgtext.label.prediction import label_frame

    model = load_model(config.DEFAULT_MODEL_DIR)
    torch_embedder = get_embedder("minilm", "torch")
    onnx_embedder = get_embedder("minilm", "onnx", onnx_cache)
    check_compatible(model, onnx_embedder)  # trained with torch; the onnx backend of the same weights may label
    diffs, same = [], []
    for sample in SAMPLES:
        frame = read_table(sample).frame
        a = label_frame(frame, model, torch_embedder, SAMPLE_COLUMNS).frame
        b = label_frame(frame, model, onnx_embedder, SAMPLE_COLUMNS).frame
        scores = [c for c in a.columns if c.startswith("score_")]
        diffs.append(np.abs(a[scores].to_numpy(float) - b[scores].to_numpy(float)).max(axis=1))
        same.append((a["predicted_themes"] == b["predicted_themes"]).to_numpy())
    diffs, same = np.concatenate(diffs), np.concatenate(same)
    assert len(same) == 450
    assert diffs.max() <= 0.02
    assert same.mean() >= 0.99


@pytest.mark.real_model
def test_onnx_export_is_made_once_and_reused(onnx_cache):
    first = get_embedder("minilm", "onnx", onnx_cache)
    first.embed(["Meer overleg met de gemeenten."])
    stamp = first.model_file.stat().st_mtime_ns
    assert [p.name for p in first.model_file.parent.iterdir()] == [first.model_file.name]  # no temporary files left
    again = get_embedder("minilm", "onnx", onnx_cache)
    vectors = again.embed(["Meer overleg met de gemeenten.", "x " * 200])  # the second is embedded in windows
    assert again.model_file.stat().st_mtime_ns == stamp
    assert vectors.shape == (2, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.real_model
def test_label_with_backend_onnx_says_so(tmp_path, onnx_cache):
    out = tmp_path / "out.csv"
    result = invoke("label", SAMPLES[2], "--text-col", "suggesties", "-o", out, "--backend", "onnx",
                    "--cache-dir", onnx_cache)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2] == (
        f"Embedded with the onnx backend ({get_embedder('minilm', 'onnx', onnx_cache).id})."
    )
    assert os.path.getsize(out) > 0
