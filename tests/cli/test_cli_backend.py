"""Every command that embeds picks its backend the same way: --backend > $PGTEXT_BACKEND > the card's > default.

Before issue 13 only train and label did; evaluate, suggest, check-labels and discover always ran torch.
"""

from __future__ import annotations

import json

import pytest

from pgtext import config
from tests.conftest import invoke
from tests.fakes import FakeEmbedder


@pytest.fixture
def seen(monkeypatch):
    """Record the backend each get_embedder call asks for; embed with the fake."""
    calls: list[str | None] = []

    def fake_get_embedder(name=None, backend=None, cache_dir=None):
        calls.append(backend)
        return FakeEmbedder()

    monkeypatch.setattr("pgtext.embed.get_embedder", fake_get_embedder)
    monkeypatch.delenv(config.BACKEND_ENV, raising=False)
    return calls


@pytest.fixture
def labelled(tmp_path, model_dir, exports):
    out = tmp_path / "labelled.csv"
    assert invoke("label", exports["comma"], "--text-col", "vraag1", "--model", model_dir, "-o", out).exit_code == 0
    return out


def _commands(tmp_path, model_dir, labels_path, codebook_path, exports, labelled):
    return {
        "train": ["train", labels_path, "-o", tmp_path / "m", "--embedder", "fake", "--codebook", codebook_path],
        "label": ["label", exports["comma"], "--text-col", "vraag1", "--model", model_dir, "-o", tmp_path / "l.csv"],
        "evaluate": ["evaluate", labels_path, "--model", model_dir],
        "suggest": ["suggest", exports["comma"], "--text-col", "vraag1", "--model", model_dir, "-o", tmp_path / "s.csv"],
        "check-labels": ["check-labels", labels_path, "--embedder", "fake", "--codebook", codebook_path, "-o", tmp_path / "c.csv"],
        "discover": ["discover", labelled, "--text-col", "vraag1", "--model", model_dir, "--min-size", "2"],
    }


COMMANDS = ["train", "label", "evaluate", "suggest", "check-labels", "discover"]


@pytest.mark.parametrize("command", COMMANDS)
def test_flag_and_environment_choose_the_backend(command, seen, monkeypatch, tmp_path, model_dir, labels_path,
                                                 codebook_path, exports, labelled):
    args = _commands(tmp_path, model_dir, labels_path, codebook_path, exports, labelled)[command]
    seen.clear()
    result = invoke(*args, "--backend", "onnx")
    assert result.exit_code == 0, result.output
    assert seen and set(seen) == {"onnx"}

    seen.clear()
    monkeypatch.setenv(config.BACKEND_ENV, "onnx")
    args = _commands(tmp_path / "env", model_dir, labels_path, codebook_path, exports, labelled)[command]
    (tmp_path / "env").mkdir()
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert set(seen) == {"onnx"}

    seen.clear()
    (tmp_path / "flag").mkdir()
    args = _commands(tmp_path / "flag", model_dir, labels_path, codebook_path, exports, labelled)[command]
    result = invoke(*args, "--backend", "torch")
    assert result.exit_code == 0, result.output
    assert set(seen) == {"torch"}  # the flag beats the environment


@pytest.mark.parametrize("command", ["label", "evaluate", "suggest", "discover"])
def test_the_model_card_backend_is_used_when_nothing_else_says(command, seen, tmp_path, model_dir, labels_path,
                                                               codebook_path, exports, labelled):
    import shutil

    from pgtext.model.store import CARD_FILE

    onnx_model = tmp_path / "onnx-model"
    shutil.copytree(model_dir, onnx_model)
    card_path = onnx_model / CARD_FILE
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card["embedder"]["backend"] = "onnx"
    card_path.write_text(json.dumps(card), encoding="utf-8")
    args = _commands(tmp_path, onnx_model, labels_path, codebook_path, exports, labelled)[command]
    seen.clear()
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert set(seen) == {"onnx"}
