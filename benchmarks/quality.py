"""Quality benchmark: cross-validated comparison of feature sets and heads on the shipped labels.

Run by hand (not in CI):  python benchmarks/quality.py [--seeds 3] [--labels labels/twente.csv] [--output FILE]
Prints the table and writes it to out/benchmarks/quality.md; maintainers regenerate the tracked
benchmarks/results/quality.md (quoted in the README) with --output benchmarks/results/quality.md.

Every configuration sees the same folds (StratifiedKFold on each answer's rarest theme, one split
per seed). Thresholds and the review cut-off of each fold are tuned on the other folds only
("cross-fitted"), except the baseline, which uses 0.5 like a plain scikit-learn model would.
"""

from __future__ import annotations

import argparse
import platform
import time
from functools import partial
from pathlib import Path

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from pgtext import config
from pgtext.embed import embed_texts, get_embedder
from pgtext.embed.cache import EmbeddingCache
from pgtext.model.codebook import load_codebook
from pgtext.model.decisions import ReviewPolicy, decide, tune_review_policy
from pgtext.model.features import build_head, feature_frame
from pgtext.model.labels import load_labels
from pgtext.model.metrics import (
    expected_calibration_error,
    review_metrics,
    theme_metrics,
)
from pgtext.model.training import (
    out_of_fold_scores,
    split_gate,
    tune_thresholds,
    with_gate_column,
)

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.95


def baseline_head():
    """What an analyst builds in ten lines: word + char TF-IDF, logistic regression, defaults."""
    tfidf = dict(sublinear_tf=True, strip_accents="unicode", lowercase=True)
    features = ColumnTransformer([
        ("word", TfidfVectorizer(ngram_range=(1, 2), **tfidf), "text"),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **tfidf), "text"),
    ])
    return Pipeline([("f", features), ("c", OneVsRestClassifier(LogisticRegression(max_iter=5000)))])


class WithCodebookExamples:
    """Adds each theme's codebook name + description as one more labelled example when fitting."""

    def __init__(self, make_head, extra_frame, extra_y):
        self.make_head, self.extra_frame, self.extra_y = make_head, extra_frame, extra_y

    def fit(self, frame, y):
        import pandas as pd

        self.head_ = self.make_head().fit(pd.concat([frame, self.extra_frame]), np.vstack([y, self.extra_y]))
        return self

    def predict_proba(self, frame):
        return self.head_.predict_proba(frame)


class WithGate:
    """pgtext's recipe since issue 14: an "any theme" gate beside the themes, optionally trained with
    extra no-theme answers (labels/negatives.csv) added to every fit; scores: themes, then the gate."""

    def __init__(self, make_head, extra_frame=None):
        self.make_head, self.extra_frame = make_head, extra_frame

    def fit(self, frame, y):
        import pandas as pd

        targets = with_gate_column(y)
        if self.extra_frame is not None:
            frame = pd.concat([frame, self.extra_frame], ignore_index=True)
            targets = np.vstack([targets, np.zeros((len(self.extra_frame), targets.shape[1]), dtype=targets.dtype)])
        self.head_ = self.make_head().fit(frame, targets)
        return self

    def predict_proba(self, frame):
        return self.head_.predict_proba(frame)


def thresholds_and_gate(y, scores, tune: bool):
    """(theme thresholds, gate threshold or None) tuned on out-of-fold scores."""
    themes = y.shape[1]
    if scores.shape[1] == themes:
        return (tune_thresholds(y, scores) if tune else np.full(themes, 0.5)), None
    tuned = tune_thresholds(with_gate_column(y), scores)
    return tuned[:themes], float(tuned[themes])


def assess(y, oof, fold_ids, slugs, tune: bool) -> dict:
    predicted = np.zeros_like(y)
    review = np.zeros(len(y), dtype=bool)
    confidence = np.zeros(len(y))
    themes = y.shape[1]
    for fold in np.unique(fold_ids):
        inside = fold_ids == fold
        thresholds, gate_threshold = thresholds_and_gate(y[~inside], oof[~inside], tune)
        scores, gate = split_gate(oof[~inside], themes)
        policy = tune_review_policy(y[~inside], scores, thresholds, TARGET, gate, gate_threshold)
        scores, gate = split_gate(oof[inside], themes)
        predicted[inside], confidence[inside], review[inside] = decide(scores, thresholds, policy, gate, gate_threshold)
    oof = oof[:, :themes]
    metrics = theme_metrics(y, predicted, slugs)
    exact = np.all(predicted == y, axis=1)
    return {
        "macro_f1": metrics["macro_f1"],
        "micro_f1": metrics["micro"]["f1"],
        "exact": metrics["exact_match"],
        "per_theme": {s: m["f1"] for s, m in metrics["per_theme"].items()},
        "ece": expected_calibration_error(oof, y),
        "ece_set": expected_calibration_error(confidence, exact),
        **review_metrics(y, predicted, review),
    }


def cross_writer(frame, y, make_head, first: np.ndarray, slugs, tune: bool) -> tuple[float, float]:
    """Macro-F1 training on one group of answers and testing on the other, both ways."""
    scores = []
    themes = y.shape[1]
    for train in (first, ~first):
        oof, _ = out_of_fold_scores(frame[train].reset_index(drop=True), y[train], make_head, 5, 0)
        thresholds, gate_threshold = thresholds_and_gate(y[train], oof, tune)
        head = make_head().fit(frame[train], y[train])
        theme_scores, gate = split_gate(head.predict_proba(frame[~train]), themes)
        predicted, _, _ = decide(theme_scores, thresholds, ReviewPolicy(), gate, gate_threshold)
        scores.append(theme_metrics(y[~train], predicted, slugs)["macro_f1"])
    return scores[0], scores[1]


def _questions(path: str, texts: list[str]) -> list[str]:
    from pgtext.files.tables import read_table
    from pgtext.model.labels import normalise_text

    frame = read_table(path).frame
    by_text = dict(zip(frame["text"].map(normalise_text), frame["question"]))
    return [by_text[normalise_text(t)] for t in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default=str(ROOT / "labels" / "twente.csv"))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--output", default=str(ROOT / "out" / "benchmarks" / "quality.md"),
                        help="where the table goes [default: out/benchmarks/quality.md]; the tracked one is benchmarks/results/quality.md")
    args = parser.parse_args()

    codebook = load_codebook(ROOT / "labels" / "codebook.csv")
    labelled = load_labels([args.labels], codebook)
    y = labelled.y
    cache = EmbeddingCache(config.cache_dir())
    embedder = get_embedder(config.DEFAULT_EMBEDDER)
    emb = embed_texts(embedder, labelled.texts, cache)
    frame = feature_frame(labelled.texts, emb)
    dim = emb.shape[1]
    descriptions = [f"{t.name}. {t.description}" for t in codebook.themes]
    extra = feature_frame(descriptions, embed_texts(embedder, descriptions, cache))
    extra_y = np.eye(len(codebook.themes), dtype=y.dtype)
    negative_texts = load_labels([ROOT / "labels" / "negatives.csv"], codebook).texts
    negatives = feature_frame(negative_texts, embed_texts(embedder, negative_texts, cache))

    configs = {
        "TF-IDF + LR baseline (threshold 0.5)": (baseline_head, False),
        "sentence embeddings alone": (partial(build_head, "embeddings", dim), True),
        "TF-IDF, pgtext recipe": (partial(build_head, "tfidf", dim), True),
        "TF-IDF + embeddings, weight 0.25": (partial(build_head, "both", dim, embedding_weight=0.25), True),
        "TF-IDF + embeddings, weight 0.5 (default before issue 14)": (partial(build_head, "both", dim), True),
        "TF-IDF + embeddings, weight 1.0": (partial(build_head, "both", dim, embedding_weight=1.0), True),
        "default + codebook descriptions as examples": (
            lambda: WithCodebookExamples(partial(build_head, "both", dim), extra, extra_y), True),
        "TF-IDF + embeddings 0.5 + any-theme gate": (lambda: WithGate(partial(build_head, "both", dim)), True),
        "pgtext default: + gate + hard negatives (labels/negatives.csv)": (
            lambda: WithGate(partial(build_head, "both", dim), negatives), True),
    }
    suggestions = np.array([q == "suggesties" for q in _questions(args.labels, labelled.texts)])
    results = {}
    for name, (make_head, tune) in configs.items():
        runs, seconds = [], []
        for seed in range(args.seeds):
            start = time.perf_counter()
            oof, fold_ids = out_of_fold_scores(frame, y, make_head, config.DEFAULT_FOLDS, seed)
            seconds.append((time.perf_counter() - start) / config.DEFAULT_FOLDS)
            runs.append(assess(y, oof, fold_ids, codebook.slugs, tune))
        results[name] = {
            key: (np.mean([r[key] for r in runs]), np.std([r[key] for r in runs]))
            for key in runs[0] if key != "per_theme"
        }
        results[name]["per_theme"] = {s: np.mean([r["per_theme"][s] for r in runs]) for s in codebook.slugs}
        results[name]["fit_seconds"] = (np.mean(seconds), 0.0)
        results[name]["cross_writer"] = cross_writer(frame, y, make_head, suggestions, codebook.slugs, tune)
        print(f"{name}: macro-F1 {results[name]['macro_f1'][0]:.3f}", flush=True)

    baseline = results["TF-IDF + LR baseline (threshold 0.5)"]["macro_f1"][0]
    lines = [
        "# Quality benchmark",
        "",
        f"`python benchmarks/quality.py --seeds {args.seeds}` on {len(y)} answers from {Path(args.labels).name}; "
        f"{config.DEFAULT_FOLDS}-fold CV, {args.seeds} seeds (mean ± sd), same folds for every row. "
        f"Review target: answers not flagged exactly right {TARGET:.0%} of the time with {config.PRECISION_LEVEL:.0%} "
        "confidence (Clopper-Pearson lower bound on the training folds' out-of-fold answers; cut-off cross-fitted). "
        "Hard negatives (labels/negatives.csv) are added to the training folds only, never scored. "
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}.",
        "",
        "| configuration | macro-F1 | vs baseline | micro-F1 | exact set | ECE scores | ECE set | auto-accepted | accepted exact | fit s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['macro_f1'][0]:.3f} ± {r['macro_f1'][1]:.3f} | {r['macro_f1'][0] - baseline:+.3f} "
            f"| {r['micro_f1'][0]:.3f} | {r['exact'][0]:.3f} | {r['ece'][0]:.3f} | {r['ece_set'][0]:.3f} "
            f"| {r['accepted_share'][0]:.0%} | {r['accepted_exact_accuracy'][0]:.1%} | {r['fit_seconds'][0]:.1f} |"
        )
    lines += ["", "Per-theme F1 (mean over seeds):", "", "| configuration | " + " | ".join(codebook.slugs) + " |",
              "|---|" + "---|" * len(codebook.slugs)]
    for name, r in results.items():
        lines.append(f"| {name} | " + " | ".join(f"{r['per_theme'][s]:.3f}" for s in codebook.slugs) + " |")
    lines += [
        "",
        "Across writers: the suggestions and the toelichtingen were written by different people. Train on one,",
        "test on the other (macro-F1; thresholds tuned on the training side's out-of-fold scores):",
        "",
        "| configuration | suggestions → toelichtingen | toelichtingen → suggestions |",
        "|---|---|---|",
    ]
    for name, r in results.items():
        forward, backward = r["cross_writer"]
        lines.append(f"| {name} | {forward:.3f} | {backward:.3f} |")
    text = "\n".join(lines) + "\n"
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
