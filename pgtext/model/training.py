"""Training recipe: labels -> embeddings -> cross-validation -> thresholds -> fitted model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from pgtext import __version__, config
from pgtext.embed import Embedder, Progress, backend_entry, embed_texts
from pgtext.embed.cache import EmbeddingCache
from pgtext.errors import LabelsError
from pgtext.model.codebook import Codebook
from pgtext.model.decisions import decide, tune_review_policy
from pgtext.model.head import LinearHead
from pgtext.model.labels import LabelledSet, load_labels
from pgtext.model.metrics import review_metrics, theme_metrics
from pgtext.model.store import (
    CARD_FORMAT,
    ThemeModel,
    build_head,
    feature_frame,
    library_versions,
    now_iso,
)

_THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


@dataclass
class TrainResult:
    model: ThemeModel
    labelled: LabelledSet
    cv: dict


def train_model(
    label_paths: list[str | Path],
    codebook: Codebook,
    embedder: Embedder,
    features: str = config.DEFAULT_FEATURES,
    folds: int = config.DEFAULT_FOLDS,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    encoding: str | None = None,
    seed: int = config.SEED,
    target_precision: float = config.TARGET_PRECISION,
    delimiter: str | None = None,
    sheet: str | None = None,
    text_col: str | None = None,
) -> TrainResult:
    """Train on labelled files; cross-validate; fit the final head on everything."""
    labelled = load_labels(
        label_paths, codebook, encoding=encoding, text_col=text_col, delimiter=delimiter, sheet=sheet
    )
    check_trainable(labelled, folds)
    embeddings = embed_texts(embedder, labelled.texts, cache=cache, progress=progress)
    frame = feature_frame(labelled.texts, embeddings)
    dimension = embeddings.shape[1]

    make_head = partial(build_head, features, dimension, seed)
    oof, fold_ids = out_of_fold_scores(frame, labelled.y, make_head, folds, seed)
    thresholds = tune_thresholds(labelled.y, oof)
    policy = tune_review_policy(labelled.y, oof, thresholds, target_precision)
    cv = cross_fitted_report(labelled.y, oof, fold_ids, codebook.slugs, target_precision)
    cv.update({"folds": folds, "seed": seed, "target_precision": target_precision})

    head = LinearHead.from_pipeline(make_head().fit(frame, labelled.y), dimension)
    card = {
        "format": CARD_FORMAT,
        "pgtext_version": __version__,
        "created_at": now_iso(),
        "codebook": codebook.to_card(),
        "labels": {
            "files": labelled.files,
            "answers": len(labelled.texts),
            "counts": labelled.counts(),
            "no_theme": int((labelled.y.sum(axis=1) == 0).sum()),
        },
        "embedder": {"name": embedder.name, "id": embedder.id, "dimension": int(dimension), **backend_entry(embedder)},
        "features": features,
        "classifier": (
            f"one-vs-rest LogisticRegression(C={config.LOGREG_C}, class_weight=balanced); "
            f"embedding weight {config.EMBEDDING_WEIGHT}"
        ),
        "thresholds": {s: float(t) for s, t in zip(codebook.slugs, thresholds)},
        "review": policy.to_dict(),
        "cv": cv,
        "versions": library_versions(),
    }
    return TrainResult(model=ThemeModel(head=head, card=card), labelled=labelled, cv=cv)


def check_trainable(labelled: LabelledSet, folds: int) -> None:
    """Every theme needs enough positive and negative examples to learn and cross-validate."""
    if folds < 2:
        raise LabelsError("--folds must be at least 2.")
    need = max(config.MIN_POSITIVES, folds)
    n = len(labelled.texts)
    short = [f"{slug} ({count})" for slug, count in labelled.counts().items() if count < need]
    if short:
        raise LabelsError(
            f"too few labelled answers to train: {', '.join(short)}; each theme needs at least {need}. "
            "Label more answers with these themes, or drop the theme from the codebook."
        )
    always = [slug for slug, count in labelled.counts().items() if n - count < folds]
    if always:
        raise LabelsError(f"themes on (almost) every answer cannot be learned: {', '.join(always)}; add answers without them.")


def stratification_key(y: np.ndarray) -> np.ndarray:
    """Each answer's rarest theme (or "none"), so every fold sees every theme."""
    counts = y.sum(axis=0)
    order = np.argsort(counts)
    keys = np.full(len(y), -1)
    for k in order[::-1]:
        keys[y[:, k] == 1] = k  # rarest theme written last wins
    return keys


def out_of_fold_scores(frame, y: np.ndarray, make_head: Callable[[], object], folds: int, seed: int):
    """Scores for every answer from a head that did not see it; also each answer's fold.

    ``make_head()`` returns a fresh unfitted estimator with ``fit`` and ``predict_proba``.
    """
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    oof = np.zeros(y.shape, dtype=float)
    fold_ids = np.zeros(len(y), dtype=int)
    for fold, (train, test) in enumerate(splitter.split(frame, stratification_key(y))):
        head = make_head().fit(frame.iloc[train], y[train])
        oof[test] = head.predict_proba(frame.iloc[test])
        fold_ids[test] = fold
    return oof, fold_ids


def tune_thresholds(y: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Per theme, the threshold with the best F1 (ties: closest to 0.5)."""
    thresholds = np.full(y.shape[1], 0.5)
    for k in range(y.shape[1]):
        truth = y[:, k] == 1
        best = (-1.0, 0.0)
        for t in _THRESHOLD_GRID:
            pred = scores[:, k] >= t
            tp = np.sum(pred & truth)
            denom = pred.sum() + truth.sum()
            f1 = 2 * tp / denom if denom else 0.0
            key = (round(float(f1), 6), -abs(t - 0.5))
            if key > best:
                best = key
                thresholds[k] = t
    return thresholds


def cross_fitted_report(y, oof, fold_ids, slugs: list[str], target_precision: float) -> dict:
    """Metrics where each fold's thresholds and review cut-off were tuned on the other folds only.

    Tuning them on the same scores they are judged on would flatter the model;
    this keeps the reported figures honest.
    """
    predicted = np.zeros_like(y)
    needs_review = np.zeros(len(y), dtype=bool)
    for fold in np.unique(fold_ids):
        inside = fold_ids == fold
        thresholds = tune_thresholds(y[~inside], oof[~inside])
        policy = tune_review_policy(y[~inside], oof[~inside], thresholds, target_precision)
        pred, _, review = decide(oof[inside], thresholds, policy)
        predicted[inside] = pred
        needs_review[inside] = review
    report = theme_metrics(y, predicted, slugs)
    report["review"] = review_metrics(y, predicted, needs_review)
    return report
