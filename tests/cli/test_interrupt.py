"""Ctrl-C while labelling: no partial output, and an embedding cache that holds only whole batches."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from conftest import invoke, write_csv

from pgtext.embed import embed_texts
from pgtext.embed.cache import EmbeddingCache, text_key
from pgtext.label.streaming import label_file
from pgtext.model.store import load_model
from tests.fakes import FakeEmbedder

BATCH = 256
TEXTS = [f"Antwoord nummer {i}: meer woningen en een betere bus naar wijk {i % 17}." for i in range(600)]


class InterruptedEmbedder(FakeEmbedder):
    """The fake embedder, until someone presses Ctrl-C during its second batch."""

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == 2:
            raise KeyboardInterrupt
        return super().embed(texts)


def _rows(folder) -> list[tuple[str, bytes]]:
    with sqlite3.connect(folder / "embeddings.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return conn.execute("SELECT key, vector FROM embeddings").fetchall()


def _assert_whole_batches(folder, size: int) -> None:
    """The cache opens, and holds exactly the first batch, each vector the one its text gets."""
    rows = _rows(folder)
    assert len(rows) == size
    expected = {text_key(t): v for t, v in zip(TEXTS, FakeEmbedder().embed(TEXTS))}
    for key, blob in rows:
        np.testing.assert_array_equal(np.frombuffer(blob, dtype=np.float32), expected[key])
    reopened = EmbeddingCache(folder)
    assert len(reopened.get_many(FakeEmbedder.id, [text_key(t) for t in TEXTS])) == size
    reopened.close()


def test_embed_texts_interrupted_keeps_whole_batches_only(tmp_path):
    cache = EmbeddingCache(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        embed_texts(InterruptedEmbedder(), TEXTS, cache=cache, batch_size=BATCH)
    cache.close()
    _assert_whole_batches(tmp_path, BATCH)
    # and the next run picks up from there, giving what an uncached run gives
    again = embed_texts(FakeEmbedder(), TEXTS, cache=EmbeddingCache(tmp_path), batch_size=BATCH)
    np.testing.assert_array_equal(again, FakeEmbedder().embed(TEXTS))


@pytest.fixture
def big_export(tmp_path):
    rows = [[f"R{i:04d}", "Enschede", text] for i, text in enumerate(TEXTS)]
    return write_csv(tmp_path / "export.csv", ["respondent_id", "gemeente", "vraag1"], rows, ";")


def test_ctrl_c_during_label_leaves_no_output_and_a_usable_cache(tmp_path, big_export, model_dir, monkeypatch):
    cache_dir, out = tmp_path / "cache", tmp_path / "out"
    out.mkdir()
    before = big_export.read_bytes()
    monkeypatch.setattr("pgtext.embed.get_embedder", lambda *args, **kwargs: InterruptedEmbedder())
    result = invoke("label", big_export, "--model", model_dir, "--text-col", "vraag1", "--cache-dir", cache_dir,
                    "-o", out / "uit.csv")
    assert result.exit_code == 1  # Click's "Aborted!"
    assert "Aborted!" in result.stderr and "Traceback" not in result.output
    assert list(out.iterdir()) == []  # no output, no temporary file
    assert big_export.read_bytes() == before
    _assert_whole_batches(cache_dir, BATCH)

    monkeypatch.undo()
    cached = invoke("label", big_export, "--model", model_dir, "--text-col", "vraag1", "--cache-dir", cache_dir,
                    "-o", out / "uit.csv")
    fresh = invoke("label", big_export, "--model", model_dir, "--text-col", "vraag1", "--no-cache", "-o", out / "vers.csv")
    assert cached.exit_code == fresh.exit_code == 0, cached.output + fresh.output
    assert (out / "uit.csv").read_bytes() == (out / "vers.csv").read_bytes()


def test_ctrl_c_in_the_chunked_path_leaves_no_output(tmp_path, big_export, model_dir):
    target = tmp_path / "out" / "uit.csv"
    target.parent.mkdir()
    cache = EmbeddingCache(tmp_path / "cache")
    with pytest.raises(KeyboardInterrupt):  # chunks of 100 rows: the first is already written when Ctrl-C comes
        label_file(big_export, target, load_model(model_dir), InterruptedEmbedder(), ["vraag1"], cache=cache,
                   chunk_rows=100, stream_min_bytes=1)
    cache.close()
    assert list(target.parent.iterdir()) == []
    _assert_whole_batches(tmp_path / "cache", 100)
