"""A model folder from someone else may only change scores (issue 12).

Each hostile folder here is the trained fixture model edited the way a sender could edit it,
with the hashes in its card recomputed: what must refuse it is the check of its values on
load, not the hash. Every refusal is one line naming the file and the key, exit 1, no
traceback, within seconds (a deadline guards against the hangs these folders caused).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import assert_one_line_error, invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgtext import config
from pgtext.embed import embed_texts
from pgtext.errors import ModelError
from pgtext.model.codebook import Codebook
from pgtext.model.safe_files import NOT_PGTEXT
from pgtext.model.store import CARD_FILE, feature_frame, load_model, read_card
from pgtext.text.capped import model_text
from tests.fakes import PGTEXT_WITH_FAKE, FakeEmbedder

SPEC, ARRAYS = "head.json", "head.npz"


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail instead of hanging: SIGALRM interrupts even a blocking open() of a FIFO."""

    def stop(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def rewrite(folder: Path, spec=None, arrays=None, card=None, spec_text=None, codebook_hash: bool = True) -> None:
    """Edit a model folder's files, then recompute the hashes in its card as a careful sender would."""
    if spec or spec_text:
        data = json.loads((folder / SPEC).read_text(encoding="utf-8"))
        if spec:
            spec(data)
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        (folder / SPEC).write_text(spec_text(text) if spec_text else text, encoding="utf-8")
    if arrays:
        with np.load(folder / ARRAYS, allow_pickle=False) as stored:
            data = {key: stored[key] for key in stored.files}
        arrays(data)
        with (folder / ARRAYS).open("wb") as handle:
            np.savez_compressed(handle, **data)
    data = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    if card:
        card(data)
    if codebook_hash:
        with contextlib.suppress(Exception):  # the codebook's own hash follows its themes, where it can
            data["codebook"]["sha256"] = Codebook.from_list(data["codebook"]["themes"]).sha256
    if isinstance(data.get("files"), dict) and all((folder / name).is_file() for name in (SPEC, ARRAYS)):
        data["files"].update({name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in (SPEC, ARRAYS)})
    (folder / CARD_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.fixture
def folder(model_dir, tmp_path) -> Path:
    target = tmp_path / "van-iemand"
    shutil.copytree(model_dir, target)
    return target


@pytest.fixture(scope="module")
def original(model_dir) -> dict:
    return json.loads((model_dir / SPEC).read_text(encoding="utf-8"))


def label(folder: Path, exports, tmp_path: Path):
    out = tmp_path / "uit.csv"
    with deadline(20):
        result = invoke("label", exports["comma"], "--model", folder, "--text-col", "vraag1", "-o", out)
    assert not out.exists()
    return result


def refused(result, path: Path, what: str) -> None:
    assert_one_line_error(result, f"{path}: {what}; {NOT_PGTEXT}.")


def block(spec: dict, name: str = "word") -> dict:
    return next(b for b in spec["blocks"] if b["name"] == name)


def terms(spec: dict, name: str = "word") -> int:
    return len(block(spec, name)["vocabulary"])


def width(spec: dict) -> int:
    """Columns of the fixture model's coefficients: both TF-IDF blocks and the 64 fake-embedding dimensions."""
    return terms(spec, "word") + terms(spec, "char") + spec["embedding_dimension"]


def first_term(spec: dict, index: int = 0) -> str:
    return next(t for t, i in block(spec)["vocabulary"].items() if i == index)


# (edit of head.json, of head.npz, of the card; the file refused; what is said about it)
HOSTILE = {
    "tfidf_input_filename": (
        lambda s: block(s)["settings"].update(input="filename"), None, None,
        SPEC, lambda o: "tfidf setting 'input' of block 'word' is not allowed",
    ),
    "tfidf_catastrophic_token_pattern": (
        lambda s: block(s)["settings"].update(token_pattern="(a|aa)+$"), None, None,
        SPEC, lambda o: r"tfidf setting 'token_pattern' of block 'word' is '(a|aa)+$', not one of '(?u)\\b\\w\\w+\\b'",
    ),
    "tfidf_pattern_on_char_block": (
        lambda s: block(s, "char")["settings"].update(token_pattern="(.*)*x"), None, None,
        SPEC, lambda o: r"tfidf setting 'token_pattern' of block 'char' is '(.*)*x', not one of '(?u)\\b\\w\\w+\\b', None",
    ),
    "tfidf_analyzer_code": (
        lambda s: block(s)["settings"].update(analyzer="__import__('os').system"), None, None,
        SPEC, lambda o: "tfidf setting 'analyzer' of block 'word' is \"__import__('os').system\", not one of 'word', 'char', 'char_wb'",
    ),
    "tfidf_analyzer_callable_name": (
        lambda s: block(s)["settings"].update(analyzer="builtins.open"), None, None,
        SPEC, lambda o: "tfidf setting 'analyzer' of block 'word' is 'builtins.open', not one of 'word', 'char', 'char_wb'",
    ),
    "tfidf_tokenizer": (
        lambda s: block(s)["settings"].update(tokenizer="str.split"), None, None,
        SPEC, lambda o: "tfidf setting 'tokenizer' of block 'word' is not allowed",
    ),
    "tfidf_dtype": (
        lambda s: block(s)["settings"].update(dtype="object"), None, None,
        SPEC, lambda o: "tfidf setting 'dtype' of block 'word' is not allowed",
    ),
    "tfidf_setting_missing": (
        lambda s: block(s)["settings"].pop("norm"), None, None,
        SPEC, lambda o: "tfidf setting 'norm' of block 'word' is missing",
    ),
    "tfidf_huge_ngram": (
        lambda s: block(s, "char")["settings"].update(ngram_range=[2, 10**6]), None, None,
        SPEC, lambda o: "tfidf setting 'ngram_range' of block 'char' is [2, 1000000], not [low, high] with 1 <= low <= high <= 10",
    ),
    "tfidf_lowercase_as_text": (
        lambda s: block(s)["settings"].update(lowercase="yes"), None, None,
        SPEC, lambda o: "tfidf setting 'lowercase' of block 'word' is 'yes', not true or false",
    ),
    "tfidf_use_idf_off": (
        lambda s: block(s)["settings"].update(use_idf=False), None, None,
        SPEC, lambda o: "tfidf setting 'use_idf' of block 'word' is False, not one of True",
    ),
    "head_unknown_key": (
        lambda s: s.update(preprocessor="builtins.open"), None, None,
        SPEC, lambda o: "the head holds 'preprocessor', which pgtext does not write",
    ),
    "block_unknown_key": (
        lambda s: block(s).update(input="filename"), None, None,
        SPEC, lambda o: "blocks[0] holds 'input', which pgtext does not write",
    ),
    "vocabulary_huge_index": (
        lambda s: block(s)["vocabulary"].update({first_term(s): 10**12}), None, None,
        SPEC, lambda o: f"the vocabulary of block 'word' gives {first_term(o)!r} the index 1000000000000, "
        f"outside 0..{len(block(o)['vocabulary']) - 1:,}",
    ),
    "vocabulary_duplicate_index": (
        lambda s: block(s)["vocabulary"].update({first_term(s, 1): 0}), None, None,
        SPEC, lambda o: f"the vocabulary of block 'word' gives the index 0 to both {first_term(o)!r} and {first_term(o, 1)!r}",
    ),
    "vocabulary_index_as_float": (
        lambda s: block(s)["vocabulary"].update({first_term(s): 0.0}), None, None,
        SPEC, lambda o: f"the vocabulary of block 'word' gives {first_term(o)!r} the index 0.0, "
        f"outside 0..{len(block(o)['vocabulary']) - 1:,}",
    ),
    "embedding_dimension_not_the_coefs": (
        lambda s: s.update(embedding_dimension=384), None, None,
        ARRAYS, lambda o: f"array 'coef' has {width(o):,} columns, but head.json describes {width(o) - 64 + 384:,} features",
    ),
    "coef_shape_mismatch": (
        None, lambda a: a.update(coef=a["coef"][:, :-1]), None,
        ARRAYS, lambda o: f"array 'coef' has {width(o) - 1:,} columns, but head.json describes {width(o):,} features",
    ),
    "idf_shape_mismatch": (
        None, lambda a: a.update(idf_char=a["idf_char"][:-3]), None,
        ARRAYS, lambda o: f"array 'idf_char' has shape ({terms(o, 'char') - 3},), but block 'char' has {terms(o, 'char'):,} terms",
    ),
    "coef_nan": (
        None, lambda a: a["coef"].__setitem__((0, 5), np.nan), None,
        ARRAYS, lambda o: "array 'coef' holds NaN or infinite numbers",
    ),
    "intercept_inf": (
        None, lambda a: a["intercept"].__setitem__(1, -np.inf), None,
        ARRAYS, lambda o: "array 'intercept' holds NaN or infinite numbers",
    ),
    "idf_nan": (
        None, lambda a: a["idf_word"].__setitem__(3, np.nan), None,
        ARRAYS, lambda o: "array 'idf_word' holds NaN or infinite numbers",
    ),
    "coef_huge": (
        None, lambda a: a["coef"].__setitem__((2, 0), 1e300), None,
        ARRAYS, lambda o: "array 'coef' holds 1e+300, beyond the ±1e+06 pgtext writes",
    ),
    "array_extra": (
        None, lambda a: a.update(extra=np.zeros(3)), None,
        ARRAYS, lambda o: "holds an array 'extra.npy' that pgtext does not write",
    ),
    "array_missing": (
        None, lambda a: a.pop("intercept"), None,
        ARRAYS, lambda o: "has no array 'intercept'",
    ),
    "array_of_text": (
        None, lambda a: a.update(intercept=np.array(["0.1", "0.2", "0.3"])), None,
        ARRAYS, lambda o: "array 'intercept' holds '<U3', not floating-point numbers",
    ),
    "coef_rows_not_the_themes": (
        None, lambda a: a.update(coef=a["coef"][:2], intercept=a["intercept"][:2]), None,
        ARRAYS, lambda o: "array 'coef' has 2 rows, but model_card.json has 3 themes and a gate",
    ),
    "duplicate_slugs": (
        None, None, lambda c: c["codebook"]["themes"][2].update(slug="wonen"),
        CARD_FILE, lambda o: "codebook slug 'wonen' appears twice",
    ),
    "theme_extra_key": (
        None, None, lambda c: c["codebook"]["themes"][0].update(tokenizer="x"),
        CARD_FILE, lambda o: "codebook theme 1 holds 'tokenizer', which pgtext does not write",
    ),
    "threshold_above_one": (
        None, None, lambda c: c["thresholds"].update(vervoer=1.5),
        CARD_FILE, lambda o: "thresholds['vervoer'] is 1.5, not a number from 0 to 1",
    ),
    "threshold_negative": (
        None, None, lambda c: c["thresholds"].update(wonen=-0.1),
        CARD_FILE, lambda o: "thresholds['wonen'] is -0.1, not a number from 0 to 1",
    ),
    "threshold_missing_theme": (
        None, None, lambda c: c["thresholds"].pop("eenzaamheid"),
        CARD_FILE, lambda o: "'thresholds' has no 'eenzaamheid'",
    ),
    "threshold_as_text": (
        None, None, lambda c: c["thresholds"].update(wonen="0.5"),
        CARD_FILE, lambda o: "thresholds['wonen'] is '0.5', not a number from 0 to 1",
    ),
    "review_cutoff_negative": (
        None, None, lambda c: c["review"].update(min_confidence=-1),
        CARD_FILE, lambda o: "review 'min_confidence' is -1, not a number from 0 to 1.01",
    ),
    "review_unknown_key": (
        None, None, lambda c: c["review"].update(never_flag=True),
        CARD_FILE, lambda o: "'review' holds 'never_flag', which pgtext does not write",
    ),
    "embedder_dimension_huge": (
        None, None, lambda c: c["embedder"].update(dimension=10**9),
        CARD_FILE, lambda o: "embedder 'dimension' is 1000000000, not a whole number from 1 to 65,536",
    ),
    "embedder_id_not_its_name": (
        None, None, lambda c: c["embedder"].update(name="iemand/ander-model"),
        CARD_FILE, lambda o: "embedder 'id' 'fake-hash-64' does not belong to embedder 'iemand/ander-model'",
    ),
    "embedder_name_relative_path": (
        None, None, lambda c: c["embedder"].update(name="../../ergens"),
        CARD_FILE, lambda o: "embedder 'name' is '../../ergens', not a name pgtext writes (minilm, a folder or a hub name)",
    ),
    "embedder_backend_unknown": (
        None, None, lambda c: c["embedder"].update(backend="tensorflow"),
        CARD_FILE, lambda o: "embedder 'backend' is 'tensorflow', not one of 'torch', 'onnx'",
    ),
    "files_extra_name": (
        None, None, lambda c: c["files"].update({"../../etc/passwd": "0" * 64}),
        CARD_FILE, lambda o: "'files' holds '../../etc/passwd', which pgtext does not write",
    ),
    "labels_files_junk": (
        None, None, lambda c: c["labels"].update(files=[1, 2]),
        CARD_FILE, lambda o: "labels file 1 is 1, not a JSON object",
    ),
    "theme_name_escape_sequence": (
        None, None, lambda c: c["codebook"]["themes"][0].update(name="Wonen\x1b]52;c;Y2xpcA==\x07"),
        CARD_FILE, lambda o: "codebook theme 1 'name' holds the control character '\\x1b'",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_folder_is_refused_on_one_line(case, folder, original, exports, tmp_path):
    spec, arrays, card, name, what = HOSTILE[case]
    rewrite(folder, spec=spec, arrays=arrays, card=card)
    refused(label(folder, exports, tmp_path), folder / name, what(original))


@pytest.mark.parametrize(
    "text_edit, what",
    [
        (lambda t: t.replace('"embedding_weight": 0.5', '"embedding_weight": NaN'), "holds NaN, which is not JSON that pgtext writes"),
        (lambda t: t.replace('"embedding_weight": 0.5', '"embedding_weight": 1e999'), "holds the number '1e999', too big for pgtext to have written"),
        (lambda t: t.replace('"kind": "linear"', '"kind": "linear", "kind": "pickle"'), "key 'kind' appears twice in one object"),
    ],
    ids=["nan_literal", "infinite_number", "repeated_key"],
)
def test_json_pgtext_never_writes_is_refused(text_edit, what, folder, exports, tmp_path):
    rewrite(folder, spec_text=text_edit)
    refused(label(folder, exports, tmp_path), folder / SPEC, what)


def test_codebook_hash_that_is_not_its_themes_is_refused(folder, exports, tmp_path):
    """check_compatible trusts this hash to tell codebooks apart, so it must be the themes' own."""
    rewrite(folder, card=lambda c: c["codebook"]["themes"][0].update(name="Iets anders"), codebook_hash=False)
    refused(label(folder, exports, tmp_path), folder / CARD_FILE, "codebook 'sha256' is not the hash of its themes")


def test_deeply_nested_json_is_refused_without_a_traceback(folder, exports, tmp_path):
    (folder / SPEC).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    rewrite(folder)
    assert_one_line_error(
        label(folder, exports, tmp_path), f"{folder / SPEC}: damaged model head (nested too deeply); retrain or copy the folder again."
    )


def test_pickled_array_is_refused_and_never_unpickled(folder, exports, tmp_path, monkeypatch):
    import pickle

    def refuse(*args, **kwargs):
        raise AssertionError("pickle used while loading a model")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    with np.load(folder / ARRAYS) as stored:
        data = {key: stored[key] for key in stored.files}
    data["intercept"] = np.array([0.1, "os.system('echo gehackt')", 0.3], dtype=object)
    with (folder / ARRAYS).open("wb") as handle:
        np.savez_compressed(handle, allow_pickle=True, **data)
    rewrite(folder)
    refused(label(folder, exports, tmp_path), folder / ARRAYS, "array 'intercept' holds 'object', not floating-point numbers")


def test_npz_bomb_is_refused_before_unpacking(folder, exports, tmp_path, monkeypatch):
    """Arrays that unpack to more than the cap are refused from the archive's directory, before any is read."""
    with np.load(folder / ARRAYS) as stored:
        data = {key: stored[key] for key in stored.files}
    data["coef"] = np.zeros((3, 1_000_000))  # 24 MB of zeros, a few kB packed
    with (folder / ARRAYS).open("wb") as handle:
        np.savez_compressed(handle, **data)
    rewrite(folder)
    assert (folder / ARRAYS).stat().st_size < config.MAX_HEAD_ARRAYS_BYTES
    monkeypatch.setattr(config, "MAX_HEAD_ARRAYS_UNPACKED", 8 << 20)
    tracemalloc.start()
    try:
        result = label(folder, exports, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with zipfile.ZipFile(folder / ARRAYS) as archive:
        unpacked = sum(m.file_size for m in archive.infolist())
    refused(
        result, folder / ARRAYS,
        f"its arrays take {unpacked / (1 << 20):,.1f} MB unpacked, more than pgtext reads from a model folder (8.0 MB)",
    )
    assert peak < 8 << 20


@pytest.mark.parametrize("name", [SPEC, ARRAYS, CARD_FILE])
def test_symlinked_file_is_refused(name, folder, exports, tmp_path):
    """A link is refused even when it points at the right bytes (its hash would match)."""
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (folder / name).rename(elsewhere / name)
    (folder / name).symlink_to(elsewhere / name)
    assert_one_line_error(
        label(folder, exports, tmp_path),
        f"{folder / name}: is a symbolic link; pgtext reads only plain files from a model folder "
        "(copy the files themselves, not links to them).",
    )


def test_card_linked_to_a_local_file_is_refused(folder, exports, tmp_path):
    (folder / CARD_FILE).unlink()
    (folder / CARD_FILE).symlink_to("/etc/passwd")
    with pytest.raises(ModelError, match="is a symbolic link"):
        read_card(folder)


@pytest.mark.parametrize("name", [SPEC, CARD_FILE])
def test_fifo_is_refused_without_hanging(name, folder, exports, tmp_path):
    (folder / name).unlink()
    os.mkfifo(folder / name)
    refused(label(folder, exports, tmp_path), folder / name, "is not a plain file (a FIFO, device or folder)")


def test_fifo_in_a_real_process_does_not_hang(folder, exports, tmp_path):
    (folder / SPEC).unlink()
    os.mkfifo(folder / SPEC)
    proc = subprocess.run(
        [*PGTEXT_WITH_FAKE, "label", str(exports["comma"]), "--model", str(folder), "--text-col", "vraag1",
         "-o", str(tmp_path / "uit.csv")],
        capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 1
    assert proc.stderr == f"Error: {folder / SPEC}: is not a plain file (a FIFO, device or folder); {NOT_PGTEXT}.\n"


def test_folder_in_place_of_a_file_is_refused(folder, exports, tmp_path):
    (folder / ARRAYS).unlink()
    (folder / ARRAYS).mkdir()
    refused(label(folder, exports, tmp_path), folder / ARRAYS, "is not a plain file (a FIFO, device or folder)")


@pytest.mark.parametrize(
    "name, cap", [(SPEC, "MAX_HEAD_SPEC_BYTES"), (ARRAYS, "MAX_HEAD_ARRAYS_BYTES"), (CARD_FILE, "MAX_CARD_BYTES")]
)
def test_oversized_file_is_refused_before_reading(name, cap, folder, exports, tmp_path, monkeypatch):
    monkeypatch.setattr(config, cap, 1000)
    size = (folder / name).stat().st_size
    refused(
        label(folder, exports, tmp_path), folder / name,
        f"is {size:,} bytes, more than pgtext reads from a model folder (1,000 bytes)",
    )


def test_a_model_folder_that_is_a_link_is_followed(model_dir, tmp_path, exports):
    """The folder named with --model may be a link (the user chose it); only the files inside may not."""
    link = tmp_path / "huidig"
    link.symlink_to(model_dir, target_is_directory=True)
    out = tmp_path / "uit.csv"
    result = invoke("label", exports["comma"], "--model", link, "--text-col", "vraag1", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_themes_command_refuses_a_card_with_terminal_escapes(folder):
    rewrite(folder, card=lambda c: c["codebook"]["themes"][1].update(description="Bus\x1b[2J\x1b[Hweg"))
    with deadline(20):
        result = invoke("themes", "--model", folder)
    refused(result, folder / CARD_FILE, "codebook theme 2 'description' holds the control character '\\x1b'")


def test_discover_refuses_a_card_without_embedder(folder, tmp_path):
    """discover reads the embedder from the card; a card without one is incomplete, not a KeyError."""
    rewrite(folder, card=lambda c: c.pop("embedder"))
    labelled = tmp_path / "gelabeld.csv"
    labelled.write_text("text,predicted_themes\nMeer bussen,vervoer\n", encoding="utf-8")
    result = invoke("discover", labelled, "--model", folder, "--no-cache")
    assert_one_line_error(
        result, f"{folder / CARD_FILE}: incomplete model card (no embedder); copy the whole folder again or retrain."
    )


def test_embedder_giving_other_dimensions_is_refused_not_a_key_error(folder):
    """A card may claim an id whose embedder gives other vectors than its head reads."""
    model = load_model(folder)
    texts = ["Meer bussen"]
    with pytest.raises(ModelError) as err:
        model.predict_scores(texts, np.zeros((1, 32), dtype=np.float32))
    assert str(err.value) == (
        "this model reads 64-dimensional embeddings, but the embedder gives 32; "
        "label with the embedder it was trained with, or retrain it."
    )


def test_untouched_folders_still_load(model_dir):
    root = Path(__file__).resolve().parents[2]
    for path in (model_dir, root / "models" / "twente", root / "tests" / "corpus" / "model_handmade"):
        model = load_model(path)
        assert model.head.coef.shape[0] == len(model.themes) + (model.gate_threshold is not None)


# --- The cap on what the models read ---------------------------------------------------


def test_model_text_caps_words_and_characters(monkeypatch):
    assert model_text("kort  antwoord\n") == "kort  antwoord\n"
    long_answer = " ".join(f"woord{i}" for i in range(config.MAX_WORDS_EMBEDDED + 500))
    cut = model_text(long_answer)
    assert cut.split() == long_answer.split()[: config.MAX_WORDS_EMBEDDED]
    assert long_answer.startswith(cut)
    one_word = "a" * (config.MAX_CHARS_READ * 3)
    assert model_text(one_word) == "a" * config.MAX_CHARS_READ
    monkeypatch.setattr(config, "MAX_WORDS_EMBEDDED", 3)
    assert model_text("een  twee drie vier vijf") == "een  twee drie"


def test_tfidf_reads_only_the_capped_answer(model_dir, monkeypatch):
    """TF-IDF scores of a long answer are those of its first MAX_WORDS_EMBEDDED words: the same cap as the embedder."""
    model = load_model(model_dir)
    monkeypatch.setattr(config, "MAX_WORDS_EMBEDDED", 5)
    start = "De bus rijdt veel te"
    long_answer = start + " weinig" + " en de huurwoningen zijn te duur" * 50
    assert feature_frame([long_answer], np.zeros((1, 64)))["text"][0] == start
    vectors = np.zeros((2, 64), dtype=np.float32)  # only the TF-IDF blocks differ
    scores = model.predict_scores([long_answer, start], vectors)
    np.testing.assert_allclose(scores[0], scores[1])


def test_one_huge_answer_takes_bounded_memory(model_dir, monkeypatch):
    """A single pasted 'answer' of megabytes must not turn into gigabytes of character n-grams."""
    monkeypatch.setattr(config, "MAX_CHARS_READ", 20_000)  # a smaller cap keeps the test quick under tracemalloc
    model = load_model(model_dir)
    answer = "x" * (4 << 20)  # one 4 MB word: the char n-gram block would make ~16 million strings
    texts = [answer]
    embeddings = embed_texts(FakeEmbedder(), ["x"])
    tracemalloc.start()
    try:
        with deadline(30):
            scores = model.predict_scores(texts, embeddings)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert scores.shape == (1, 3) and np.isfinite(scores).all()
    assert peak < 20 << 20, f"{peak / (1 << 20):.0f} MB"


# --- Whatever junk a sender writes: a ModelError, never a traceback ----------------------

_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**15), 10**15) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12) | st.sampled_from(["word", "char_wb", "l2", "unicode", "filename", "(a+)+$", "0.5", "linear"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
_SETTING_KEYS = ["analyzer", "ngram_range", "lowercase", "strip_accents", "sublinear_tf", "norm", "use_idf",
                 "smooth_idf", "token_pattern", "input", "tokenizer", "dtype"]


def _place(target: str, key: str, value):
    """An edit that puts ``value`` at one place a sender could change."""

    def edit_spec(s):
        if target == "setting":
            s["blocks"][0]["settings"][key] = value
        elif target == "block":
            s["blocks"][1][key] = value
        else:
            s[key] = value

    def edit_card(c):
        section, _, item = key.partition(".")
        if item:
            if isinstance(c.get(section), dict):
                c[section][item] = value
        else:
            c[section] = value

    return (edit_spec, None) if target in ("setting", "block", "head") else (None, edit_card)


_PLACES = (
    st.tuples(st.just("setting"), st.sampled_from(_SETTING_KEYS))
    | st.tuples(st.just("block"), st.sampled_from(["name", "settings", "weight", "vocabulary", "extra"]))
    | st.tuples(st.just("head"), st.sampled_from(["kind", "embedding_weight", "embedding_dimension", "blocks"]))
    | st.tuples(st.just("card"), st.sampled_from([
        "thresholds.wonen", "thresholds", "review.min_confidence", "review.borderline_margin", "review",
        "embedder.name", "embedder.id", "embedder.dimension", "embedder.backend", "codebook.themes",
        "codebook.sha256", "files", "labels.files", "labels", "features", "format", "pgtext_version",
    ]))
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=_PLACES, value=_JUNK)
def test_junk_in_a_model_folder_is_a_model_error_or_harmless(model_dir, tmp_path_factory, place, value):
    folder = tmp_path_factory.mktemp("junk") / "model"
    shutil.copytree(model_dir, folder)
    spec, card = _place(*place, value)
    rewrite(folder, spec=spec, card=card)
    try:
        with deadline(20):
            model = load_model(folder)
            texts = ["Meer bussen naar het dorp.", "De huur is te hoog."]
            scores = model.predict_scores(texts, embed_texts(FakeEmbedder(), texts))
    except ModelError as exc:
        message = str(exc)
        assert "\n" not in message and len(message) < 600
        return
    assert scores.shape == (2, 3)
    assert ((scores >= 0) & (scores <= 1)).all()


def test_scores_that_are_not_numbers_never_pass(model_dir):
    """Behind the checks on load: a head that still gave NaN (which leaves every answer unflagged) is refused."""
    model = load_model(model_dir)
    model.head.intercept[0] = np.nan
    texts = ["Meer bussen"]
    with pytest.raises(ModelError, match="this model gives scores that are not numbers"):
        model.predict_scores(texts, embed_texts(FakeEmbedder(), texts))
