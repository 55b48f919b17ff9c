"""The fitted head as plain data: loading it runs no code.

Training uses stock scikit-learn (TF-IDF vectorisers, a ColumnTransformer, one
logistic regression per theme). What a model folder stores is only what
prediction needs: each TF-IDF block's settings, vocabulary and IDF weights, the
block weights, and the regression coefficients. ``head.json`` holds the settings
and vocabularies, ``head.npz`` the arrays (read as plain floats: nothing is ever unpickled).
Prediction is numpy arithmetic on those numbers (``pgtext.model.tfidf`` recomputes the TF-IDF
features); scikit-learn is not imported and never sees a value from a model folder.
A model folder from someone else can therefore be loaded without trusting them: every
value is checked on load against what pgtext itself writes (keys, types, ranges, shapes),
so the worst such a folder can do is give wrong scores.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext import config
from pgtext.model.safe_files import Check, parse_json, read_file, read_npz, short
from pgtext.model.tfidf import TOKEN_PATTERN, Features, TfidfTransform

SPEC_FILE = "head.json"
ARRAYS_FILE = "head.npz"
#: The TF-IDF settings a model folder holds: these keys only, each checked on load (see ``_check_settings``).
_TFIDF_SETTINGS = ("analyzer", "ngram_range", "lowercase", "strip_accents", "sublinear_tf", "norm", "use_idf", "smooth_idf", "token_pattern")
ANALYZERS = ("word", "char", "char_wb")
MAX_NGRAM = 10
MAX_BLOCKS = 8
MAX_DIMENSION = 65_536
#: The largest number a head may hold: LogisticRegression(C=32) stays below 10; features are at most 1.
MAX_WEIGHT = 1e6
_BLOCK_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass
class TextBlock:
    """One TF-IDF feature block over the answer's text."""

    name: str
    settings: dict
    vocabulary: dict[str, int]
    idf: np.ndarray
    weight: float
    _transform: TfidfTransform | None = field(default=None, repr=False)

    def transform(self, texts: Sequence[str]) -> Features:
        """The block's TF-IDF matrix (not yet weighted), as scikit-learn's vectoriser gave it in training."""
        if self._transform is None:
            self._transform = TfidfTransform(self.settings, self.vocabulary, self.idf)
        return self._transform.transform(texts)


@dataclass
class LinearHead:
    """Scores = sigmoid([tfidf blocks, embedding] @ coef.T + intercept), one column per theme."""

    blocks: list[TextBlock]
    embedding_weight: float | None  # None: embeddings not used
    embedding_dimension: int
    coef: np.ndarray  # (themes, features)
    intercept: np.ndarray  # (themes,)

    def scores(self, texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
        """Probability per column of ``coef`` for each text and its embedding (texts as the models read them)."""
        logits = np.tile(self.intercept.astype(np.float64), (len(texts), 1))
        offset = 0
        for block in self.blocks:
            width = len(block.vocabulary)
            logits += block.transform(texts).dot(self.coef[:, offset : offset + width].T) * block.weight
            offset += width
        if self.embedding_weight is not None:
            vectors = np.asarray(embeddings, dtype=np.float64) * self.embedding_weight
            logits += vectors @ self.coef[:, offset:].T
        with np.errstate(over="ignore"):  # exp(large) is inf, and 1 / (1 + inf) the right 0
            return 1.0 / (1.0 + np.exp(-logits))

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """``scores`` for a feature frame (text, e0..eN), the input the training pipeline takes."""
        columns = [f"e{i}" for i in range(self.embedding_dimension)]
        embeddings = frame[columns].to_numpy(dtype=np.float64) if self.embedding_weight is not None else None
        return self.scores(frame["text"].astype(str).tolist(), embeddings)

    @classmethod
    def from_pipeline(cls, pipeline, embedding_dimension: int) -> LinearHead:
        """Take the numbers out of a fitted pgtext pipeline (see ``model.build_head``)."""
        columns = pipeline.named_steps["features"]
        weights = columns.transformer_weights or {}
        blocks: list[TextBlock] = []
        embedding_weight = None
        from sklearn.feature_extraction.text import TfidfVectorizer

        for name, transformer, _ in columns.transformers_:
            if name == "remainder":
                continue
            if not isinstance(transformer, TfidfVectorizer):  # the embedding columns, passed through
                embedding_weight = float(weights.get(name, 1.0))
                continue
            params = transformer.get_params()
            settings = {key: params[key] for key in _TFIDF_SETTINGS}
            settings["ngram_range"] = list(settings["ngram_range"])
            vocabulary = {term: int(index) for term, index in transformer.vocabulary_.items()}
            blocks.append(TextBlock(name, settings, vocabulary, np.asarray(transformer.idf_), float(weights.get(name, 1.0))))
        estimators = pipeline.named_steps["classifier"].estimators_
        coef = np.vstack([est.coef_.ravel() for est in estimators])
        intercept = np.array([est.intercept_[0] for est in estimators])
        return cls(blocks, embedding_weight, embedding_dimension, coef, intercept)

    def save(self, folder: Path) -> list[str]:
        spec = {
            "kind": "linear",
            "embedding_weight": self.embedding_weight,
            "embedding_dimension": self.embedding_dimension,
            "blocks": [{"name": b.name, "settings": b.settings, "weight": b.weight, "vocabulary": b.vocabulary} for b in self.blocks],
        }
        (folder / SPEC_FILE).write_text(json.dumps(spec, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        arrays = {"coef": self.coef, "intercept": self.intercept}
        arrays.update({f"idf_{b.name}": b.idf for b in self.blocks})
        with (folder / ARRAYS_FILE).open("wb") as handle:
            np.savez_compressed(handle, **arrays)
        return [SPEC_FILE, ARRAYS_FILE]

    @classmethod
    def load(cls, folder: Path) -> LinearHead:
        """Read ``head.json`` and ``head.npz`` from a model folder (plain files only, size-capped) and check them."""
        spec = read_file(folder / SPEC_FILE, config.MAX_HEAD_SPEC_BYTES)
        arrays = read_file(folder / ARRAYS_FILE, config.MAX_HEAD_ARRAYS_BYTES)
        return cls.from_bytes(folder, spec, arrays)

    @classmethod
    def from_bytes(cls, folder: Path, spec_bytes: bytes, arrays_bytes: bytes) -> LinearHead:
        """The head from the bytes of its two files, every value checked against what pgtext writes.

        Settings are taken only from an allow-list (keys, types and values), vocabularies
        must number their terms 0..n-1, arrays must be finite floats of the shapes the
        vocabularies and blocks imply. Anything else is refused with one line naming file and key.
        """
        check = Check(folder / SPEC_FILE)
        spec = check.mapping(parse_json(folder / SPEC_FILE, spec_bytes, "model head"), "the head")
        check.keys(spec, "the head", ("kind", "embedding_weight", "embedding_dimension", "blocks"))
        check.choice(spec["kind"], "'kind'", ("linear",))
        embedding_weight = spec["embedding_weight"]
        if embedding_weight is not None:
            embedding_weight = check.number(embedding_weight, "'embedding_weight'", 0, MAX_WEIGHT)
        dimension = check.integer(spec["embedding_dimension"], "'embedding_dimension'", 1, MAX_DIMENSION)
        raw_blocks = check.listing(spec["blocks"], "'blocks'", MAX_BLOCKS)
        check.that(bool(raw_blocks) or embedding_weight is not None, "the head has no features (no blocks, no embedding_weight)")
        names: list[str] = []
        for i, raw in enumerate(raw_blocks):
            key = f"blocks[{i}]"
            check.mapping(raw, key)
            check.keys(raw, key, ("name", "settings", "weight", "vocabulary"))
            name = check.text(raw["name"], f"{key}.name", 32)
            check.that(bool(_BLOCK_NAME.match(name)), f"{key}.name is {short(name)}, not a lower-case name like 'word'")
            check.that(name not in names, f"block name {name!r} appears twice")
            names.append(name)
            _check_settings(check, raw["settings"], name)
            check.number(raw["weight"], f"the weight of block {name!r}", 0, MAX_WEIGHT)
            _check_vocabulary(check, raw["vocabulary"], name)

        arrays_path = folder / ARRAYS_FILE
        data = read_npz(arrays_path, arrays_bytes, ["coef", "intercept", *(f"idf_{n}" for n in names)], config.MAX_HEAD_ARRAYS_UNPACKED)
        checked = Check(arrays_path)
        for key, array in data.items():
            checked.that(bool(np.isfinite(array).all()), f"array {key!r} holds NaN or infinite numbers")
            biggest = float(np.abs(array).max()) if array.size else 0.0
            checked.that(biggest <= MAX_WEIGHT, f"array {key!r} holds {biggest:g}, beyond the ±{MAX_WEIGHT:g} pgtext writes")
        coef, intercept = data["coef"], data["intercept"]
        checked.that(coef.ndim == 2 and coef.shape[0] >= 1, f"array 'coef' has shape {coef.shape}, not (themes, features)")
        checked.that(intercept.shape == (coef.shape[0],), f"array 'intercept' has shape {intercept.shape}, but 'coef' has {coef.shape[0]} rows")
        blocks = []
        for raw, name in zip(raw_blocks, names):
            idf, terms = data[f"idf_{name}"], len(raw["vocabulary"])
            checked.that(idf.shape == (terms,), f"array 'idf_{name}' has shape {idf.shape}, but block {name!r} has {terms:,} terms")
            checked.that(bool((idf >= 0).all()), f"array 'idf_{name}' holds negative weights")
            blocks.append(TextBlock(name, raw["settings"], raw["vocabulary"], idf, float(raw["weight"])))
        width = sum(len(b.vocabulary) for b in blocks) + (dimension if embedding_weight is not None else 0)
        checked.that(
            coef.shape[1] == width,
            f"array 'coef' has {coef.shape[1]:,} columns, but head.json describes {width:,} features",
        )
        head = cls(blocks, embedding_weight, dimension, coef, intercept)
        head.scores(["", "Meer bussen en betaalbare woningen."], np.zeros((2, dimension)))  # a dry run now, not an hour in
        return head


def _check_settings(check: Check, settings: object, block: str) -> None:
    """TF-IDF settings: exactly the keys pgtext writes, each with a value pgtext can write."""
    check.mapping(settings, f"the tfidf settings of block {block!r}")
    for name in settings:  # type: ignore[union-attr]
        check.that(name in _TFIDF_SETTINGS, f"tfidf setting {short(name)} of block {block!r} is not allowed")
    for name in _TFIDF_SETTINGS:
        check.that(name in settings, f"tfidf setting {name!r} of block {block!r} is missing")  # type: ignore[operator]

    def key(name: str) -> str:
        return f"tfidf setting {name!r} of block {block!r}"

    values: dict = settings  # type: ignore[assignment]
    analyzer = check.choice(values["analyzer"], key("analyzer"), ANALYZERS)
    ngram = values["ngram_range"]
    check.that(
        isinstance(ngram, list) and len(ngram) == 2 and all(type(n) is int for n in ngram) and 1 <= ngram[0] <= ngram[1] <= MAX_NGRAM,
        f"{key('ngram_range')} is {short(ngram)}, not [low, high] with 1 <= low <= high <= {MAX_NGRAM}",
    )
    for name in ("lowercase", "sublinear_tf", "smooth_idf"):
        check.boolean(values[name], key(name))
    check.choice(values["use_idf"], key("use_idf"), (True,))
    check.choice(values["strip_accents"], key("strip_accents"), (None, "unicode", "ascii"))
    check.choice(values["norm"], key("norm"), ("l2", "l1", None))
    # only scikit-learn's own pattern: a regex from a model folder could take forever on one answer
    patterns = (TOKEN_PATTERN,) if analyzer == "word" else (TOKEN_PATTERN, None)
    check.choice(values["token_pattern"], key("token_pattern"), patterns)


def _check_vocabulary(check: Check, vocabulary: object, block: str) -> None:
    """Terms numbered 0..n-1, each number once (the columns of the block)."""
    key = f"the vocabulary of block {block!r}"
    check.mapping(vocabulary, key)
    terms = len(vocabulary)  # type: ignore[arg-type]
    check.that(terms >= 1, f"{key} is empty")
    taken = bytearray(terms)
    for term, index in vocabulary.items():  # type: ignore[union-attr]
        if not (type(index) is int and 0 <= index < terms):  # a plain if: this loop runs once per term
            check.fail(f"{key} gives {short(term)} the index {short(index)}, outside 0..{terms - 1:,}")
        if taken[index]:
            other = next(t for t, i in vocabulary.items() if i == index and t != term)  # type: ignore[union-attr]
            check.fail(f"{key} gives the index {index} to both {short(other)} and {short(term)}")
        taken[index] = 1
