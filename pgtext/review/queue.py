"""What a person reviews in a labelled export: flagged answers first, most uncertain first.

Reads the columns ``pgtext label`` adds (predicted_themes, score_<theme>, confidence,
needs_review) and turns the chosen answers into a review sheet (see ``pgtext.review.sheet``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pgtext import config
from pgtext.errors import InputError
from pgtext.label.prediction import CONFIDENCE, SCORE_PREFIX
from pgtext.label.reader import labelled_output
from pgtext.model.codebook import Codebook
from pgtext.review.sheet import SAME_AS, WHY, build_sheet

INCLUDE = ("flagged", "audit", "all")


@dataclass
class Scored:
    """A labelled export read back: per row its text, the model's themes, scores and flag."""

    texts: list[str]
    prefill: np.ndarray  # 0/1, codebook order
    scores: np.ndarray
    confidence: np.ndarray  # NaN for blank answers
    scored: np.ndarray  # bool: a non-blank answer with scores
    flagged: np.ndarray  # bool: needs_review is true
    context: dict[str, list]  # question, id (when known), row


@dataclass
class ReviewSummary:
    answers: int  # answers with scores in the labelled file
    flagged: int  # of those, flagged for review
    rows: int  # rows on the sheet
    near_copies: int  # rows that follow another row's decision
    per_reason: dict[str, int]


@dataclass
class ReviewSheet:
    frame: pd.DataFrame
    summary: ReviewSummary


def read_scored(
    frame: pd.DataFrame, codebook: Codebook, text_col: str | None = None, id_col: str | None = None, source: str = "input"
) -> Scored:
    """Parse the columns 'pgtext label' added (``pgtext.label.reader``); the codebook must match its score columns."""
    data = labelled_output(frame, codebook, text_col, id_col, source, codebook_option="--codebook", guess_text=True)
    scored = data.scored
    return Scored(
        data.texts, data.predicted, np.where(np.isnan(data.scores), 0.0, data.scores), data.confidence, scored,
        scored & data.needs_review, data.context,
    )


def review_frame(
    frame: pd.DataFrame,
    codebook: Codebook,
    include: tuple[str, ...] = ("flagged",),
    audit_size: int = config.AUDIT_SIZE,
    seed: int = config.SEED,
    text_col: str | None = None,
    id_col: str | None = None,
    source: str = "input",
    blind: bool = False,
) -> ReviewSheet:
    """A review sheet for a labelled export.

    ``include``: "flagged" (answers the model flagged), "audit" (a random sample of
    ``audit_size`` answers it accepted, so the accepted share can be checked), "all".
    Within each kind the least confident come first; near-copies are grouped.
    ``blind`` leaves the audit rows' theme cells and scores empty, so reviewers code
    them without being anchored by the model's choice.
    """
    unknown = [i for i in include if i not in INCLUDE]
    if unknown or not include:
        raise InputError(f"include must be one or more of {', '.join(INCLUDE)}; got {', '.join(include) or 'nothing'}.")
    data = read_scored(frame, codebook, text_col, id_col, source)
    why = [""] * len(data.texts)
    order: list[int] = []

    def take(indices: np.ndarray, reason: str) -> None:
        for i in sorted(indices, key=lambda i: (data.confidence[i], i)):
            why[i] = reason
            order.append(int(i))

    accepted = data.scored & ~data.flagged
    if "flagged" in include or "all" in include:
        take(np.flatnonzero(data.flagged), "flagged")
    if "all" in include:
        take(np.flatnonzero(accepted), "accepted")
    elif "audit" in include:
        pool = np.flatnonzero(accepted)
        take(np.random.default_rng(seed).choice(pool, size=min(audit_size, len(pool)), replace=False), "audit")

    sheet = build_sheet(
        data.texts, data.prefill, codebook, order=order, scores=data.scores,
        confidence=np.nan_to_num(data.confidence), why=why, context=data.context,
    )
    if blind:
        audit = (sheet[WHY] == "audit").to_numpy()
        hidden = [*codebook.slugs, *(c for c in sheet.columns if c.startswith(SCORE_PREFIX)), CONFIDENCE]
        sheet[hidden] = sheet[hidden].astype(object)
        sheet.loc[audit, hidden] = ""
    per_reason = {str(reason): int(count) for reason, count in sheet[WHY].value_counts(sort=False).items()}
    summary = ReviewSummary(
        answers=int(data.scored.sum()), flagged=int(data.flagged.sum()), rows=len(sheet),
        near_copies=int((sheet[SAME_AS].astype(str) != "").sum()), per_reason=per_reason,
    )
    return ReviewSheet(frame=sheet, summary=summary)
