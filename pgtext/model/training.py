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
    precision_level: float = config.PRECISION_LEVEL,
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
    return fit_labelled(labelled, embeddings, embedder, features, folds, seed, target_precision,
                        precision_level=precision_level)


def fit_labelled(
    labelled: LabelledSet,
    embeddings: np.ndarray,
    embedder: Embedder,
    features: str = config.DEFAULT_FEATURES,
    folds: int = config.DEFAULT_FOLDS,
    seed: int = config.SEED,
    target_precision: float = config.TARGET_PRECISION,
    head_options: dict | None = None,
    gate: bool = config.ANY_THEME_GATE,
    precision_level: float = config.PRECISION_LEVEL,
) -> TrainResult:
    """The recipe on answers already embedded (``train_model`` after reading and embedding;
    the benchmarks call it on subsets)."""
    codebook = labelled.codebook
    frame = feature_frame(labelled.texts, embeddings)
    dimension = embeddings.shape[1]

    make_head = partial(build_head, features, dimension, seed, **(head_options or {}))
    with_gate = gate and can_gate(labelled.y, folds)
    targets = with_gate_column(labelled.y) if with_gate else labelled.y
    oof, fold_ids = out_of_fold_scores(frame, targets, make_head, folds, seed)
    themes = labelled.y.shape[1]
    all_thresholds = tune_thresholds(targets, oof)
    thresholds = all_thresholds[:themes]
    gate_threshold = float(all_thresholds[themes]) if with_gate else None
    theme_oof, gate_oof = split_gate(oof, themes)
    policy = tune_review_policy(labelled.y, theme_oof, thresholds, target_precision, gate_oof, gate_threshold,
                                precision_level)
    cv = cross_fitted_report(labelled.y, oof, fold_ids, codebook.slugs, target_precision, precision_level)
    cv.update({"folds": folds, "seed": seed, "target_precision": target_precision,
               "precision_level": precision_level})

    with single_threaded_blas():
        head = LinearHead.from_pipeline(make_head().fit(frame, targets), dimension)
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
            + ("; an 'any theme' gate" if with_gate else "")
        ),
        "thresholds": {s: float(t) for s, t in zip(codebook.slugs, thresholds)},
        **({"gate": {"threshold": gate_threshold}} if with_gate else {}),
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


def can_gate(y: np.ndarray, folds: int) -> bool:
    """An "any theme" gate needs answers without a theme (and with one) in every fold."""
    any_theme = np.asarray(y).any(axis=1)
    need = max(config.MIN_POSITIVES, folds)
    return int((~any_theme).sum()) >= need and int(any_theme.sum()) >= need


def with_gate_column(y: np.ndarray) -> np.ndarray:
    """The themes plus one last column: 1 where the answer has any theme (what the gate learns)."""
    y = np.asarray(y)
    return np.column_stack([y, y.any(axis=1)]).astype(y.dtype)


def split_gate(scores: np.ndarray, themes: int) -> tuple[np.ndarray, np.ndarray | None]:
    """(theme scores, gate scores or None) from a head's output."""
    return scores[:, :themes], (scores[:, themes] if scores.shape[1] > themes else None)


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
    oof = None  # as wide as the head's output (a head may add columns, such as a gate)
    fold_ids = np.zeros(len(y), dtype=int)
    with single_threaded_blas():
        for fold, (train, test) in enumerate(splitter.split(frame, stratification_key(y))):
            head = make_head().fit(frame.iloc[train], y[train])
            scores = np.asarray(head.predict_proba(frame.iloc[test]))
            if oof is None:
                oof = np.zeros((len(y), scores.shape[1]), dtype=float)
            oof[test] = scores
            fold_ids[test] = fold
    return oof, fold_ids


def single_threaded_blas():
    """BLAS on one thread while fitting the head.

    L-BFGS makes many small vector operations over ~20,000 features; multi-threaded
    OpenBLAS spends more time waking threads than computing, badly so when other
    work shares the cores (18 s instead of 0.7 s for five themes on a busy 2-core machine).
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


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


def cross_fitted_report(
    y, oof, fold_ids, slugs: list[str], target_precision: float, precision_level: float = config.PRECISION_LEVEL
) -> dict:
    """Metrics where each fold's thresholds and review cut-off were tuned on the other folds only.

    Tuning them on the same scores they are judged on would flatter the model;
    this keeps the reported figures honest.
    """
    themes = y.shape[1]
    targets = with_gate_column(y) if oof.shape[1] > themes else y
    predicted = np.zeros_like(y)
    needs_review = np.zeros(len(y), dtype=bool)
    for fold in np.unique(fold_ids):
        inside = fold_ids == fold
        all_thresholds = tune_thresholds(targets[~inside], oof[~inside])
        thresholds = all_thresholds[:themes]
        gate_threshold = float(all_thresholds[themes]) if oof.shape[1] > themes else None
        scores, gate = split_gate(oof[~inside], themes)
        policy = tune_review_policy(y[~inside], scores, thresholds, target_precision, gate, gate_threshold,
                                    precision_level)
        scores, gate = split_gate(oof[inside], themes)
        pred, _, review = decide(scores, thresholds, policy, gate, gate_threshold)
        predicted[inside] = pred
        needs_review[inside] = review
    report = theme_metrics(y, predicted, slugs)
    report["review"] = review_metrics(y, predicted, needs_review)
    return report
