"""Embedding cache: vectors keyed by embedder id + SHA-256 of the text, in one SQLite file.

SQLite commits whole batches or nothing, so an interrupted run leaves the cache
consistent. Only hashes and vectors are stored, never the answers themselves.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from pgtext.errors import OutputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    embedder TEXT NOT NULL,
    key TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (embedder, key)
) WITHOUT ROWID
"""
_CHUNK = 500  # SQLite host-parameter limit is 999 in old builds


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """A small key-value store of float32 vectors; one file per cache folder."""

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / "embeddings.sqlite"
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(self.path, timeout=30)
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute(_SCHEMA)
            except (OSError, sqlite3.Error) as exc:
                raise OutputError(
                    f"{self.path}: cannot open the embedding cache ({exc}); set --cache-dir or PGTEXT_CACHE_DIR "
                    "to a writable folder, or use --no-cache."
                ) from None
        return self._conn

    def get_many(self, embedder_id: str, keys: Iterable[str]) -> dict[str, np.ndarray]:
        conn = self._connect()
        keys = list(keys)
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), _CHUNK):
            part = keys[start : start + _CHUNK]
            marks = ",".join("?" * len(part))
            query = f"SELECT key, vector FROM embeddings WHERE embedder = ? AND key IN ({marks})"
            for key, blob in conn.execute(query, [embedder_id, *part]):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, embedder_id: str, items: dict[str, np.ndarray]) -> None:
        conn = self._connect()
        rows = [(embedder_id, key, np.asarray(vec, dtype=np.float32).tobytes()) for key, vec in items.items()]
        with conn:
            conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
