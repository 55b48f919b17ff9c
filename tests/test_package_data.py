"""Files shipped inside the package: equal to their sources, complete, listed for the wheel, checked on load."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pgtext import config
from pgtext.embed import get_embedder
from pgtext.embed.shipped import (
    MANIFEST,
    MODEL_FILE,
    TOKENIZER_FILE,
    file_sha256,
    same_weights,
    shipped_model,
)
from pgtext.errors import EmbedderError
from pgtext.model.store import load_model

ROOT = Path(__file__).resolve().parent.parent
#: package copy -> the source it is copied from (the source is what people edit and retrain).
COPIES = {
    config.DEFAULT_MODEL_DIR / "head.json": ROOT / "models" / "twente" / "head.json",
    config.DEFAULT_MODEL_DIR / "head.npz": ROOT / "models" / "twente" / "head.npz",
    config.DEFAULT_MODEL_DIR / "model_card.json": ROOT / "models" / "twente" / "model_card.json",
    config.DEFAULT_CODEBOOK: ROOT / "labels" / "codebook.csv",
}


@pytest.mark.parametrize("copy", list(COPIES), ids=lambda p: p.relative_to(config.PACKAGE_DATA).as_posix())
def test_package_copy_equals_its_source(copy):
    source = COPIES[copy]
    assert copy.read_bytes() == source.read_bytes(), (
        f"{copy} differs from {source}; after retraining or editing the source run: cp {source} {copy}"
    )


def test_default_paths_are_package_data_not_the_checkout():
    assert config.DEFAULT_MODEL_DIR == Path(__file__).resolve().parent.parent / "pgtext" / "data" / "twente"
    assert config.DEFAULT_MODEL_DIR.is_relative_to(Path(config.__file__).parent)
    assert config.DEFAULT_CODEBOOK.is_relative_to(Path(config.__file__).parent)
    model = load_model(config.DEFAULT_MODEL_DIR)  # hashes in the card match the copied files
    assert model.embedder["name"] == config.DEFAULT_EMBEDDER


def test_every_shipped_file_is_in_package_data():
    """pyproject's package-data lists each file under pgtext/data, so a wheel carries all of them."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed: set[Path] = set()
    for package, patterns in settings["package-data"].items():
        assert package in settings["packages"]
        folder = ROOT.joinpath(*package.split("."))
        for pattern in patterns:
            listed.update(folder.glob(pattern))
    shipped = {p for p in config.PACKAGE_DATA.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert shipped == listed
    for folder in {p.parent for p in shipped}:
        assert ".".join(folder.relative_to(ROOT).parts) in settings["packages"]


def test_shipped_embedder_manifest_matches_its_files():
    shipped = shipped_model()
    manifest = json.loads((config.SHIPPED_ONNX_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["license"] == "Apache-2.0"
    assert "Apache License" in (config.SHIPPED_ONNX_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "sentence-transformers/all-MiniLM-L6-v2" in (config.SHIPPED_ONNX_DIR / "NOTICE").read_text(encoding="utf-8")
    for name in (MODEL_FILE, TOKENIZER_FILE):
        assert file_sha256(config.SHIPPED_ONNX_DIR / name) == shipped.sha256[name]
    assert 15e6 < (config.SHIPPED_ONNX_DIR / MODEL_FILE).stat().st_size < 35e6  # int8, not the 90 MB fp32 weights
    # the shipped model was trained with these weights, so it labels with the shipped file
    assert json.loads((config.DEFAULT_MODEL_DIR / "model_card.json").read_text())["embedder"]["id"] == shipped.weights


def test_the_default_embedder_is_the_shipped_file_and_needs_no_torch_package():
    embedder = get_embedder()
    assert embedder.backend == "onnx"
    assert embedder.model_file == config.SHIPPED_ONNX_DIR / MODEL_FILE
    assert embedder.id == f"{shipped_model().weights}@{shipped_model().recipe}"
    assert embedder.dimension == 384


def test_a_copy_of_the_shipped_weights_uses_the_shipped_file():
    shipped = shipped_model()
    fingerprint = shipped.weights.partition(":")[2]
    assert same_weights(f"path:{fingerprint}", shipped)
    assert not same_weights("path:0000000000000000", shipped)
    assert not same_weights(f"hub:{fingerprint}x", shipped)


def test_a_changed_shipped_file_is_refused(tmp_path):
    folder = tmp_path / "minilm"
    shutil.copytree(config.SHIPPED_ONNX_DIR, folder)
    with (folder / TOKENIZER_FILE).open("ab") as handle:
        handle.write(b" ")
    shipped = shipped_model(folder)
    embedder = type(get_embedder())("minilm", str(folder), shipped.weights, None, shipped=shipped)
    with pytest.raises(EmbedderError, match=f"^{folder / TOKENIZER_FILE}: its SHA-256 differs from the one in "
                                             "manifest.json, so the file is damaged or was changed; reinstall pgtext.$"):
        embedder.embed(["Meer overleg."])
    (folder / MODEL_FILE).unlink()
    with pytest.raises(EmbedderError, match="cannot read the shipped embedding model .*; reinstall pgtext.$"):
        shipped.verify()


def test_a_broken_manifest_is_named(tmp_path):
    (tmp_path / MANIFEST).write_text("{}", encoding="utf-8")
    with pytest.raises(EmbedderError, match=f"^{tmp_path / MANIFEST}: cannot read the shipped model's manifest "
                                             "\\(KeyError: 'layout'\\); reinstall pgtext.$"):
        shipped_model(tmp_path)
    assert shipped_model(tmp_path / "absent") is None
