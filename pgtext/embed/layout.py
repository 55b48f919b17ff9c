"""What an ONNX export must reproduce of a sentence-transformers folder: transformer, pooling, normalising.

Shared by the ONNX backend and the shipped model (``pgtext.embed.shipped``), so neither imports the other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pgtext.errors import EmbedderError

_RUNS = {"Transformer", "Pooling", "Normalize"}  # module types the export reproduces
_POOLING_FLAGS = {("pooling_mode_mean_tokens",): "mean", ("pooling_mode_cls_token",): "cls"}



@dataclass(frozen=True)
class Layout:
    """What the export and the runtime need to know about a sentence-transformers folder."""

    transformer_dir: Path
    pooling: str  # "mean" or "cls"
    max_length: int
    lowercase: bool
    dimension: int


def read_layout(folder: Path, name: str) -> Layout:
    """Check the folder is a model the export reproduces (transformer, mean/CLS pooling, normalise)."""
    modules_file = folder / "modules.json"
    modules = _json(modules_file) if modules_file.exists() else [{"type": "Transformer", "path": ""}]
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    unknown = [k for k in kinds if k not in _RUNS]
    if unknown or not kinds or kinds[0] != "Transformer":
        raise EmbedderError(
            f"{name}: the onnx backend runs transformer + pooling models only, and this one has "
            f"{', '.join(unknown or kinds)}; use --backend torch."
        )
    transformer_dir = folder / modules[0].get("path", "")
    pooling = "mean"
    if "Pooling" in kinds:
        settings = _json(folder / modules[kinds.index("Pooling")]["path"] / "config.json")
        switched_on = tuple(sorted(k for k, v in settings.items() if k.startswith("pooling_mode_") and v is True))
        mode = settings.get("pooling_mode") or _POOLING_FLAGS.get(switched_on, "other")
        if mode not in ("mean", "cls"):
            raise EmbedderError(f"{name}: the onnx backend does mean or CLS pooling only; use --backend torch.")
        pooling = mode
    st_file = transformer_dir / "sentence_bert_config.json"
    st_config = _json(st_file) if st_file.exists() else {}
    hf_config = _json(transformer_dir / "config.json")
    limit = min(int(hf_config.get("max_position_embeddings", 512)), 512)
    return Layout(
        transformer_dir=transformer_dir,
        pooling=pooling,
        max_length=int(st_config.get("max_seq_length") or limit),
        lowercase=bool(st_config.get("do_lower_case", False)),
        dimension=int(hf_config["hidden_size"]),
    )


def takes_token_types(transformer_dir: Path) -> bool:
    return int(_json(transformer_dir / "config.json").get("type_vocab_size", 0)) > 0


def _json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EmbedderError(f"{path}: cannot read ({exc}); is this a complete sentence-transformers folder?") from None
