"""pgtext.embed: the fake embedder, resolving names, and embedding each distinct text once."""

from __future__ import annotations

import numpy as np
import pytest

from pgtext.embed import embed_texts, get_embedder, register_embedder
from pgtext.embed.base import _windows
from pgtext.embed.cache import EmbeddingCache
from pgtext.embed.onnx_export import RECIPE
from pgtext.errors import EmbedderError, ModelError
from tests.conftest import assert_one_line_error, invoke
from tests.fakes import FakeEmbedder


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, recording every text it is asked to embed."""

    id = "counting-fake"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts):
        self.calls.append(list(texts))
        return super().embed(texts)

    @property
    def embedded(self) -> list[str]:
        return [t for call in self.calls for t in call]


def test_fake_embedder_is_deterministic_and_normalised():
    fake = FakeEmbedder()
    first = fake.embed(["Meer bussen naar het dorp", "Meer bussen naar het dorp", ""])
    assert first.shape == (3, 64) and first.dtype == np.float32
    np.testing.assert_array_equal(first[0], first[1])
    assert np.linalg.norm(first[0]) == pytest.approx(1.0)
    assert not first[2].any()  # no words: the zero vector, not NaN
    # Bag of words, case-insensitive: word order and case do not matter.
    np.testing.assert_array_equal(fake.embed(["DORP het naar bussen meer"])[0], first[0])


def test_embed_texts_embeds_each_distinct_text_once_and_caches(tmp_path):
    texts = ["Meer bussen", "Meer huizen", "Meer bussen", "Een buurthuis", "Meer huizen"]
    counting = CountingEmbedder()
    cache = EmbeddingCache(tmp_path)
    progress: list[tuple[int, int]] = []
    vectors = embed_texts(counting, texts, cache=cache, progress=lambda a, t: progress.append((a, t)))
    assert sorted(counting.embedded) == ["Een buurthuis", "Meer bussen", "Meer huizen"]
    assert vectors.shape == (5, 64)
    np.testing.assert_array_equal(vectors[0], vectors[2])
    np.testing.assert_array_equal(vectors, FakeEmbedder().embed(texts))
    assert sum(a for a, _ in progress) == 5 and {t for _, t in progress} == {5}

    counting.calls.clear()
    again = embed_texts(counting, list(reversed(texts)) + ["Nieuw antwoord"], cache=cache)
    assert counting.embedded == ["Nieuw antwoord"]
    np.testing.assert_array_equal(again[:5], vectors[::-1])


def test_embed_texts_without_cache_still_dedupes():
    counting = CountingEmbedder()
    embed_texts(counting, ["a b", "a b", "c"], cache=None)
    assert sorted(counting.embedded) == ["a b", "c"]
    embed_texts(counting, ["a b"], cache=None)
    assert counting.embedded.count("a b") == 2  # no cache: embedded again


def test_embed_texts_batches(tmp_path):
    counting = CountingEmbedder()
    embed_texts(counting, [f"antwoord {i}" for i in range(5)], batch_size=2)
    assert [len(c) for c in counting.calls] == [2, 2, 1]


def test_embed_texts_empty():
    assert embed_texts(FakeEmbedder(), []).shape == (0, 64)


@pytest.mark.torch
def test_get_embedder_names(tmp_path):
    assert isinstance(get_embedder("fake"), FakeEmbedder)
    hub = get_embedder("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2")
    assert hub.id == "hub:sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"  # nothing loaded yet
    minilm = get_embedder("minilm")  # the shipped int8 ONNX file: the default needs no torch
    weights, recipe = minilm.id.split("@")
    assert minilm.name == "minilm" and weights.startswith("minilm:") and len(weights) == len("minilm:") + 16
    assert (minilm.backend, recipe) == ("onnx", RECIPE)
    assert get_embedder(None).id == minilm.id
    assert get_embedder("minilm", "torch").id == weights  # the same weights, run by torch


def test_get_embedder_folder_without_model(tmp_path):
    with pytest.raises(EmbedderError) as err:
        get_embedder(str(tmp_path))
    assert str(err.value) == f"{tmp_path}: not a sentence-transformers model folder (no modules.json or config.json)."


def test_get_embedder_unknown_name():
    with pytest.raises(EmbedderError) as err:
        get_embedder("miniLM-nl")
    assert str(err.value) == (
        "embedder 'miniLM-nl' is neither a folder nor a model name like 'org/model'; "
        "use 'minilm' (shipped, offline), a local folder, or a hub name."
    )


def test_folder_id_follows_content_not_location(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
        (folder / "modules.json").write_text("[]", encoding="utf-8")
        (folder / "model.safetensors").write_bytes(b"\x01" * 100)
    (a / "README.md").write_text("notes do not count", encoding="utf-8")
    assert get_embedder(str(a)).id == get_embedder(str(b)).id
    (b / "model.safetensors").write_bytes(b"\x02" * 100)
    assert get_embedder(str(a)).id != get_embedder(str(b)).id


def test_windows_split_long_answers():
    assert _windows("kort antwoord", 90) == ["kort antwoord"]
    words = [f"w{i}" for i in range(200)]
    pieces = _windows(" ".join(words), 90)
    assert [len(p.split()) for p in pieces] == [90, 90, 20]
    assert " ".join(pieces).split() == words


def test_a_pasted_document_is_cut_for_the_model_only():
    from pgtext import config
    from pgtext.embed import embed_in_windows

    long_answer = ("Er moeten meer betaalbare woningen komen en de bus moet vaker rijden. " * 1_500)[:100_000]
    pieces = _windows(long_answer, config.WORDS_PER_CHUNK)
    assert sum(len(p.split()) for p in pieces) == config.MAX_WORDS_EMBEDDED
    assert " ".join(pieces).split() == long_answer.split()[: config.MAX_WORDS_EMBEDDED]
    seen: list[str] = []
    vectors = embed_in_windows(["kort", long_answer], lambda texts: seen.extend(texts) or FakeEmbedder().embed(texts))
    assert vectors.shape == (2, FakeEmbedder.dimension)
    assert len(seen) == 1 + -(-config.MAX_WORDS_EMBEDDED // config.WORDS_PER_CHUNK)


def test_a_registered_name_resolves_whatever_the_backend(monkeypatch):
    monkeypatch.setattr("pgtext.embed.resolve._REGISTERED", {})
    with pytest.raises(EmbedderError, match="'eigen' is neither a folder nor a model name"):
        get_embedder("eigen")
    register_embedder("eigen", CountingEmbedder)
    for backend in (None, "onnx", "torch"):
        assert isinstance(get_embedder("eigen", backend), CountingEmbedder)
    with pytest.raises(ValueError):
        register_embedder("minilm", CountingEmbedder)  # the shipped name stays the shipped model


def test_a_card_naming_an_unregistered_embedder_is_refused_in_one_line(monkeypatch, model_dir, exports, tmp_path):
    from pgtext.model.store import load_model

    assert load_model(model_dir).embedder["name"] == "fake"  # registered by tests/conftest.py
    monkeypatch.setattr("pgtext.embed.resolve._REGISTERED", {})
    message = (
        f"{model_dir / 'model_card.json'}: embedder 'fake' is not available; the model was trained with an embedder "
        "that a test or plugin registers (pgtext.embed.register_embedder). Load it where that is registered, or train it again."
    )
    with pytest.raises(ModelError) as err:
        load_model(model_dir)
    assert str(err.value) == message
    out = tmp_path / "uit.csv"
    assert_one_line_error(invoke("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1", "-o", out), message)
    assert not out.exists()


def test_a_registered_embedder_must_give_the_cards_id_and_dimension(monkeypatch, model_dir):
    from pgtext.model.store import load_model

    class Wider(FakeEmbedder):
        dimension = 128

    monkeypatch.setattr("pgtext.embed.resolve._REGISTERED", {})
    register_embedder("fake", Wider)
    with pytest.raises(ModelError, match="embedder 'id' 'fake-hash-64' does not belong to embedder 'fake'"):
        load_model(model_dir)


def test_the_model_is_loaded_before_the_first_batch_and_progress_says_when():
    """progress(0, total) marks the end of loading, so the rate shown excludes it (issue 15)."""
    from tests.fakes import FakeEmbedder as Fake

    events: list[object] = []

    class Loading(Fake):
        def load(self) -> None:
            events.append("load")

        def embed(self, texts):
            events.append(("embed", len(texts)))
            return super().embed(texts)

    embed_texts(Loading(), ["een", "twee", "drie"], progress=lambda a, t: events.append((a, t)))
    assert events == [(0, 3), "load", (0, 3), ("embed", 3), (3, 3)]
    events.clear()
    cache_free = embed_texts(Loading(), [], progress=lambda a, t: events.append((a, t)))
    assert cache_free.shape[0] == 0 and "load" not in events  # nothing to embed: no model loaded


def test_the_progress_rate_starts_when_the_model_is_ready(monkeypatch):
    from pgtext.cli.common import ProgressBar

    now = [0.0]
    monkeypatch.setattr("time.monotonic", lambda: now[0])
    shown: list[object] = []
    bar = ProgressBar("Labelling", quiet=False)
    bar.enabled = True
    monkeypatch.setattr("click.progressbar", lambda **kw: _FakeBar(shown))
    bar(0, 100)  # cache hits: none
    assert shown[-1] == "loading the embedding model"
    now[0] = 30.0
    bar(0, 100)  # the model is loaded after 30 s
    now[0] = 32.0
    bar(50, 100)
    assert shown[-1] == "25 answers/s, 0:00:02 left"  # 50 answers in 2 s, not in 32 s


class _FakeBar:
    def __init__(self, shown: list) -> None:
        self.shown = shown

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def update(self, advance: int, status) -> None:
        self.shown.append(status)
