"""The fitted head as plain data: loading it runs no code.

Training uses stock scikit-learn (TF-IDF vectorisers, a ColumnTransformer, one
logistic regression per theme). What a model folder stores is only what
prediction needs: each TF-IDF block's settings, vocabulary and IDF weights, the
block weights, and the regression coefficients. ``head.json`` holds the settings
and vocabularies, ``head.npz`` the arrays (read with ``allow_pickle=False``).
A model folder from someone else can therefore be loaded without trusting them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext.errors import ModelError

SPEC_FILE = "head.json"
ARRAYS_FILE = "head.npz"
_TFIDF_SETTINGS = ("analyzer", "ngram_range", "lowercase", "strip_accents", "sublinear_tf", "norm", "use_idf", "smooth_idf", "token_pattern")


@dataclass
class TextBlock:
    """One TF-IDF feature block over the ``text`` column."""

    name: str
    settings: dict
    vocabulary: dict[str, int]
    idf: np.ndarray
    weight: float
    _vectorizer: object = field(default=None, repr=False)

    def transform(self, texts: pd.Series):
        if self._vectorizer is None:
            from sklearn.feature_extraction.text import TfidfVectorizer

            settings = dict(self.settings, ngram_range=tuple(self.settings["ngram_range"]))
            vectorizer = TfidfVectorizer(vocabulary=self.vocabulary, dtype=np.float64, **settings)
            vectorizer.idf_ = self.idf
            self._vectorizer = vectorizer
        return self._vectorizer.transform(texts) * self.weight


@dataclass
class LinearHead:
    """Scores = sigmoid([tfidf blocks, embedding] @ coef.T + intercept), one column per theme."""

    blocks: list[TextBlock]
    embedding_weight: float | None  # None: embeddings not used
    embedding_dimension: int
    coef: np.ndarray  # (themes, features)
    intercept: np.ndarray  # (themes,)

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        from scipy import sparse

        parts = [block.transform(frame["text"].astype(str)) for block in self.blocks]
        if self.embedding_weight is not None:
            columns = [f"e{i}" for i in range(self.embedding_dimension)]
            parts.append(sparse.csr_matrix(frame[columns].to_numpy(dtype=np.float64) * self.embedding_weight))
        features = sparse.hstack(parts).tocsr()
        logits = features @ self.coef.T + self.intercept
        return 1.0 / (1.0 + np.exp(-np.asarray(logits)))

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
        try:
            spec = json.loads((folder / SPEC_FILE).read_text(encoding="utf-8"))
            with np.load(folder / ARRAYS_FILE, allow_pickle=False) as arrays:
                data = {key: arrays[key] for key in arrays.files}
            if spec.get("kind") != "linear":
                raise ValueError(f"unknown head kind {spec.get('kind')!r}")
            blocks = [
                TextBlock(b["name"], b["settings"], b["vocabulary"], data[f"idf_{b['name']}"], float(b["weight"]))
                for b in spec["blocks"]
            ]
            head = cls(blocks, spec["embedding_weight"], int(spec["embedding_dimension"]), data["coef"], data["intercept"])
        except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{folder}: damaged model head ({exc}); copy the folder again or retrain.") from None
        width = sum(len(b.vocabulary) for b in blocks) + (head.embedding_dimension if head.embedding_weight is not None else 0)
        if head.coef.shape[1] != width or len(head.intercept) != head.coef.shape[0]:
            raise ModelError(f"{folder}: model head arrays do not fit together; copy the folder again or retrain.")
        return head
