"""The embedder interface and what every backend shares: windows over long answers, length batches, ids.

Backends live beside this module (torch_backend, onnx); ``pgtext.embed.resolve`` picks one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from pgtext import config
from pgtext.text.capped import model_text

#: progress(advance, total): called after each batch with how many texts were just done.
Progress = Callable[[int, int], None]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str  # what the user named; stored in the model card to load it again
    id: str  # identity of the vectors (cache key); weights_id(id) is checked against the model card

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


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


#: An embedder id is "<weights>" with the torch backend and "<weights>@<recipe>" with onnx.
#: Backends give slightly different vectors, so they are cached apart; a model trained on one
#: backend labels with any backend of the same weights (the benchmark checks they agree).
BACKEND_MARK = "@"


def weights_id(embedder_id: str) -> str:
    """The part of an embedder id that names the weights, the same for every backend."""
    return embedder_id.split(BACKEND_MARK, 1)[0]


def backend_entry(embedder: Embedder) -> dict[str, str]:
    """The model card's record of the backend: {"backend": ...}, left out for the embedder's default.

    Cards without one (all cards before onnx became the shipped embedder's default) label with the
    default, whatever they were trained with: any backend of the same weights may label.
    """
    default = config.default_backend(embedder.name)
    backend = getattr(embedder, "backend", default)
    return {} if backend == default else {"backend": backend}


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


