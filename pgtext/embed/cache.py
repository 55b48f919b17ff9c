"""Embedding cache: vectors keyed by embedder id + SHA-256 of the text, in one SQLite file.

SQLite commits whole batches or nothing, so an interrupted run leaves the cache
consistent. Only hashes and vectors are stored, never the answers themselves.

The cache only saves time, so it never stops a run: when it cannot be opened, read or
written (locked by another process for longer than ``config.CACHE_TIMEOUT``, a full
disk, a folder that is not writable, a damaged file), it is given up for the rest of the
run, ``problem`` says why and ``on_problem`` hears it once; answers are then embedded
without it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from pgtext import config

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

    def __init__(
        self, folder: str | Path, on_problem: Callable[[str], None] | None = None, timeout: float | None = None
    ) -> None:
        self.path = Path(folder) / "embeddings.sqlite"
        self.on_problem = on_problem
        self.timeout = config.CACHE_TIMEOUT if timeout is None else timeout
        self.problem: str | None = None  # why the cache was given up, once it was
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is None and self.problem is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(self.path, timeout=self.timeout)
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute(_SCHEMA)
            except (OSError, sqlite3.Error) as exc:
                self._give_up(exc)
        return self._conn

    def get_many(self, embedder_id: str, keys: Iterable[str]) -> dict[str, np.ndarray]:
        keys = list(keys)
        found: dict[str, np.ndarray] = {}
        conn = self._connect()
        if conn is None:
            return found
        try:
            for start in range(0, len(keys), _CHUNK):
                part = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(part))
                query = f"SELECT key, vector FROM embeddings WHERE embedder = ? AND key IN ({marks})"
                for key, blob in conn.execute(query, [embedder_id, *part]):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc)
        return found

    def put_many(self, embedder_id: str, items: dict[str, np.ndarray]) -> None:
        conn = self._connect()
        if conn is None:
            return
        rows = [(embedder_id, key, np.asarray(vec, dtype=np.float32).tobytes()) for key, vec in items.items()]
        try:
            with conn:  # the whole batch or nothing
                conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc)

    def _give_up(self, exc: Exception) -> None:
        self.close()
        if self.problem is not None:
            return
        why = f"{exc}: another pgtext run may be writing it" if "locked" in str(exc) else str(exc)
        self.problem = (
            f"{self.path}: the embedding cache cannot be used ({why}); going on without it, so answers are "
            "embedded afresh. Set --cache-dir or PGTEXT_CACHE_DIR to a writable folder, or add --no-cache."
        )
        if self.on_problem is not None:
            self.on_problem(self.problem)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None
