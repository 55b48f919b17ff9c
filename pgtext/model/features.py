"""What the head reads: the answer's text (for the TF-IDF blocks) beside its sentence embedding, and the
unfitted scikit-learn pipeline that training fits (``pgtext.model.head`` stores it as plain data)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pgtext import config
from pgtext.errors import ModelError
from pgtext.model.card import FEATURE_SETS
from pgtext.text.capped import model_text


def build_head(
    features: str,
    dimension: int,
    seed: int = config.SEED,
    c: float = config.LOGREG_C,
    embedding_weight: float = config.EMBEDDING_WEIGHT,
    cue_weight: float = config.CUE_WEIGHT,
):
    """An unfitted pipeline: DataFrame(text, e0..eN) -> features -> one logistic regression per theme.

    With ``cue_weight`` > 0 a small block of request-versus-description cues (``data/request_cues.txt``,
    a fixed vocabulary) sits beside the TF-IDF blocks (measured, off by default: see benchmarks/crosswriter.py).
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    if features not in FEATURE_SETS:
        raise ModelError(f"unknown feature set {features!r}; choose one of {', '.join(FEATURE_SETS)}.")
    parts = []
    if features in ("both", "tfidf"):
        tfidf = dict(sublinear_tf=True, strip_accents="unicode", lowercase=True, min_df=1)
        parts.append(("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), **tfidf), "text"))
        parts.append(("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **tfidf), "text"))
        if cue_weight > 0:
            cues = TfidfVectorizer(analyzer="word", ngram_range=(1, 3), vocabulary=request_cues(), **tfidf)
            parts.append(("cues", cues, "text"))
    if features in ("both", "embeddings"):
        parts.append(("embedding", "passthrough", embedding_columns(dimension)))
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=seed)
    weights = {"embedding": embedding_weight} if features == "both" else {}
    if cue_weight > 0 and features != "embeddings":
        weights["cues"] = cue_weight
    columns = ColumnTransformer(parts, transformer_weights=weights or None)
    return Pipeline([("features", columns), ("classifier", OneVsRestClassifier(classifier))])


def request_cues() -> list[str]:
    """The cue vocabulary: one word or phrase a line, ``#`` comments and blank lines skipped."""
    from pgtext.text.wordlists import load_word_list

    return list(dict.fromkeys(load_word_list("request_cues.txt")))


def embedding_columns(dimension: int) -> list[str]:
    return [f"e{i}" for i in range(dimension)]


def feature_frame(texts: list[str], embeddings: np.ndarray) -> pd.DataFrame:
    """The head's input: the raw text beside its embedding (every stage takes precomputed embeddings)."""
    frame = pd.DataFrame(embeddings, columns=embedding_columns(embeddings.shape[1]))
    frame.insert(0, "text", pd.Series([model_text(t) for t in texts], dtype=object))  # the TF-IDF reads what the embedder reads
    return frame
