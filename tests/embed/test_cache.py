"""pgtext.embed.cache: vectors by embedder id + text hash, never the text itself."""

from __future__ import annotations

import numpy as np

from pgtext.embed.cache import EmbeddingCache, text_key


def test_round_trip_across_instances(tmp_path):
    vectors = {text_key("Meer bussen"): np.array([0.6, 0.8], dtype=np.float32),
               text_key("Meer huizen"): np.array([1.0, 0.0], dtype=np.float32)}
    cache = EmbeddingCache(tmp_path / "sub")
    cache.put_many("fake-hash-64", vectors)
    cache.close()
    again = EmbeddingCache(tmp_path / "sub")
    found = again.get_many("fake-hash-64", [*vectors, text_key("Onbekend")])
    assert set(found) == set(vectors)
    for key, vec in vectors.items():
        np.testing.assert_array_equal(found[key], vec)
        assert found[key].dtype == np.float32
    again.close()


def test_embedders_do_not_share_vectors(tmp_path):
    cache = EmbeddingCache(tmp_path)
    key = text_key("Meer bussen")
    cache.put_many("minilm:aaaa", {key: np.ones(3, dtype=np.float32)})
    assert cache.get_many("minilm:bbbb", [key]) == {}
    cache.put_many("minilm:aaaa", {key: np.zeros(3, dtype=np.float32)})  # replaced, not duplicated
    np.testing.assert_array_equal(cache.get_many("minilm:aaaa", [key])[key], np.zeros(3))


def test_many_keys_beyond_sqlite_parameter_limit(tmp_path):
    cache = EmbeddingCache(tmp_path)
    items = {text_key(f"antwoord {i}"): np.full(2, i, dtype=np.float32) for i in range(1200)}
    cache.put_many("fake", items)
    found = cache.get_many("fake", list(items))
    assert len(found) == 1200
    assert found[text_key("antwoord 1199")].tolist() == [1199.0, 1199.0]


def test_cache_file_holds_no_answer_text(tmp_path):
    answer = "Sinds mijn man is overleden zie ik soms dagen niemand."
    cache = EmbeddingCache(tmp_path)
    cache.put_many("fake", {text_key(answer): np.ones(4, dtype=np.float32)})
    cache.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"overleden" not in stored
    assert text_key(answer).encode() in stored


def test_text_key_is_sha256_of_exact_text():
    assert text_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert text_key("Meer bussen") != text_key("meer bussen")
