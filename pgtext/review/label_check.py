"""Likely labelling mistakes in a training set, most suspicious first, as a review sheet.

Two signals:
- the cross-validated model (trained without the answer) sits firmly on the other side
  of a theme's threshold from its label;
- a near-copy of the answer carries different themes (one of the two is wrong).

The sheet is pre-filled with the *current* labels, so ``pgtext accept`` changes only
what the reviewer changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from pgtext import config
from pgtext.embed import Embedder, Progress, embed_texts
from pgtext.embed.cache import EmbeddingCache
from pgtext.model.features import build_head, feature_frame
from pgtext.model.labels import LabelledSet
from pgtext.model.training import check_trainable, out_of_fold_scores, tune_thresholds
from pgtext.review.sheet import build_sheet
from pgtext.text.similarity import near_copy_pairs


@dataclass
class CheckSummary:
    answers: int
    disagreements: int  # answers the cross-validated model firmly disagrees with
    copy_conflicts: int  # near-copy pairs with different themes
    listed: int


@dataclass
class LabelCheck:
    frame: pd.DataFrame  # a review sheet (see pgtext.review.sheet)
    summary: CheckSummary


def check_labels(
    labelled: LabelledSet,
    embedder: Embedder,
    features: str = config.DEFAULT_FEATURES,
    folds: int = config.DEFAULT_FOLDS,
    seed: int = config.SEED,
    min_strength: float = config.SUSPECT_STRENGTH,
    limit: int | None = None,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
) -> LabelCheck:
    """Cross-validate on the labels and list the answers whose label looks wrong."""
    check_trainable(labelled, folds)
    slugs = labelled.codebook.slugs
    y = labelled.y
    embeddings = embed_texts(embedder, labelled.texts, cache=cache, progress=progress)
    frame = feature_frame(labelled.texts, embeddings)
    make_head = partial(build_head, features, embeddings.shape[1], seed)
    oof, _ = out_of_fold_scores(frame, y, make_head, folds, seed)
    thresholds = tune_thresholds(y, oof)

    # strength per answer and theme: how far the score sits from the label, where the
    # thresholded prediction disagrees with it
    disagree = (oof >= thresholds).astype(np.int8) != y
    strength = np.where(disagree, np.abs(y - oof), 0.0)
    suspicion = strength.max(axis=1)
    reasons: list[list[str]] = [[] for _ in labelled.texts]
    for i, k in zip(*np.nonzero(strength >= min_strength)):
        said = "labelled" if y[i, k] else "not labelled"
        reasons[i].append(f"{said} {slugs[k]} but scored {oof[i, k]:.2f}")
    suspects = {int(i) for i in np.flatnonzero(suspicion >= min_strength)}
    disagreements = len(suspects)

    partners: dict[int, set[int]] = {}
    conflicts = 0
    for i, j, _ in near_copy_pairs(labelled.texts):
        if np.array_equal(y[i], y[j]):
            continue
        conflicts += 1
        for a, b in ((i, j), (j, i)):
            reasons[a].append(f"near-copy of {labelled.origins[b]} with other themes")
            partners.setdefault(a, set()).add(b)
            suspects.add(a)
            suspicion[a] = max(suspicion[a], 1.0)  # a contradiction in the labels themselves

    order: list[int] = []
    for i in sorted(suspects, key=lambda i: (-suspicion[i], i)):
        for j in (i, *sorted(partners.get(i, ()), key=lambda j: (-suspicion[j], j))):
            if j not in order:
                order.append(j)
    if limit is not None:
        order = order[:limit]

    context = {"origin": labelled.origins}
    sheet = build_sheet(
        labelled.texts, y, labelled.codebook, order=order, scores=oof,
        why=["; ".join(r) for r in reasons], context=context, group=False,
    )
    summary = CheckSummary(
        answers=len(labelled.texts), disagreements=disagreements, copy_conflicts=conflicts, listed=len(sheet)
    )
    return LabelCheck(frame=sheet, summary=summary)
