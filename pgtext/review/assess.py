"""How good is a model on gold labels, and how well do two coders agree."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from pgtext.embed import Embedder, Progress
from pgtext.embed.cache import EmbeddingCache
from pgtext.errors import LabelsError
from pgtext.label.prediction import score_texts
from pgtext.model.codebook import Codebook
from pgtext.model.labels import LabelledSet, load_labels, normalise_text
from pgtext.model.metrics import (
    agreement_per_theme,
    expected_calibration_error,
    reliability_table,
    review_metrics,
    theme_metrics,
)
from pgtext.model.store import ThemeModel


@dataclass
class EvaluationReport:
    """Model against gold: classification, agreement, calibration and review efficiency."""

    metrics: dict
    alpha: dict
    calibration: dict
    review: dict
    warnings: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class AgreementReport:
    """Coder B against coder A on the answers both coded."""

    matched: int
    only_a: int
    only_b: int
    per_theme: dict
    metrics: dict  # B scored against A as if A were gold

    def to_dict(self) -> dict:
        return asdict(self)


def evaluate_model(
    gold_paths: list[str | Path],
    model: ThemeModel,
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    encoding: str | None = None,
    text_col: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> EvaluationReport:
    """Label the gold answers with the model and compare, theme by theme."""
    gold = load_labels(gold_paths, model.codebook, encoding=encoding, text_col=text_col, delimiter=delimiter, sheet=sheet)
    scores, predicted, confidence, needs_review = score_texts(model, embedder, gold.texts, cache, progress)
    slugs = model.themes
    agreement = agreement_per_theme(gold.y, predicted, slugs)
    exact = np.all(predicted == gold.y, axis=1)
    calibration = {
        "ece_scores": expected_calibration_error(scores, gold.y),
        "ece_confidence": expected_calibration_error(confidence, exact),
        "reliability_scores": reliability_table(scores, gold.y),
        "reliability_confidence": reliability_table(confidence, exact),
    }
    review = review_metrics(gold.y, predicted, needs_review)
    review["policy"] = model.card.get("review", {})
    trained_on = {f["sha256"] for f in model.card.get("labels", {}).get("files", [])}
    warnings = [
        f"{f['name']} is a file this model was trained on; these figures flatter it. "
        "Use held-out answers, or the cross-validated scores in the model card."
        for f in gold.files if f["sha256"] in trained_on
    ]
    return EvaluationReport(
        metrics=theme_metrics(gold.y, predicted, slugs),
        alpha={slug: agreement[slug]["alpha"] for slug in slugs},
        calibration=calibration,
        review=review,
        warnings=gold.warnings + warnings,
    )


def compare_coders(
    path_a: str | Path,
    path_b: str | Path,
    codebook: Codebook,
    encoding: str | None = None,
    text_col: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    text_col_b: str | None = None,
) -> AgreementReport:
    """Match the two files' answers by text (case and spacing ignored) and compare their themes.

    Either file may be a labels file (``themes`` or 0/1 columns) or a pgtext output
    (``predicted_themes``). ``text_col`` names the answer column of A (and of B, unless
    ``text_col_b`` does).
    """
    read = {"encoding": encoding, "delimiter": delimiter, "sheet": sheet}
    a = load_labels([path_a], codebook, text_col=text_col, **read)
    b = load_labels([path_b], codebook, text_col=text_col_b or text_col, **read)
    rows_a = _by_text(a)
    rows_b = _by_text(b)
    shared = [key for key in rows_a if key in rows_b]
    if not shared:
        raise LabelsError(f"{path_a} and {path_b} share no answers; answers are matched on their text (case and spacing ignored).")
    ya = np.array([a.y[rows_a[k]] for k in shared])
    yb = np.array([b.y[rows_b[k]] for k in shared])
    return AgreementReport(
        matched=len(shared),
        only_a=len(rows_a) - len(shared),
        only_b=len(rows_b) - len(shared),
        per_theme=agreement_per_theme(ya, yb, codebook.slugs),
        metrics=theme_metrics(ya, yb, codebook.slugs),
    )


def _by_text(labelled: LabelledSet) -> dict[str, int]:
    return {normalise_text(t): i for i, t in enumerate(labelled.texts)}
