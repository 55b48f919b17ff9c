"""Test doubles that pgtext does not ship: the fake embedder, registered as "fake" for every test.

tests/conftest.py registers it for in-process tests; real processes start tests/run_pgtext.py
(``PGTEXT_WITH_FAKE``) instead of ``python -m pgtext`` when they need it.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import numpy as np

from pgtext.embed import register_embedder

FAKE_EMBEDDER = "fake"
#: The command line that runs the pgtext CLI in a real process with the fake registered.
PGTEXT_WITH_FAKE = [sys.executable, str(Path(__file__).resolve().parent / "run_pgtext.py")]


class FakeEmbedder:
    """Deterministic hashed bag of words, no model: fast and the same on every machine."""

    name = FAKE_EMBEDDER
    id = "fake-hash-64"
    dimension = 64

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in re.findall(r"\w+", text.casefold()):
                digest = hashlib.md5(token.encode()).digest()
                out[row, digest[0] % self.dimension] += 1.0 if digest[1] % 2 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (out / norms).astype(np.float32)


def register_fake() -> None:
    """Let ``--embedder fake`` and cards naming "fake" resolve to the fake embedder in this process."""
    register_embedder(FAKE_EMBEDDER, FakeEmbedder)


def card_only_model(folder: Path, themes: list[dict], **extra: object) -> Path:
    """A model folder holding only its card (codebook, fake embedder): enough for report and discover,
    which read the codebook and the embedder from the card and never the head."""
    import json

    from pgtext.model.codebook import Codebook
    from pgtext.model.store import CARD_FORMAT

    folder.mkdir(parents=True)
    card = {
        "format": CARD_FORMAT, "codebook": {"sha256": Codebook.from_list(themes).sha256, "themes": themes},
        "embedder": {"name": FAKE_EMBEDDER, "id": FakeEmbedder.id, "dimension": FakeEmbedder.dimension}, **extra,
    }
    (folder / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    return folder
