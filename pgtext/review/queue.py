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
from pgtext.label.prediction import (
    CONFIDENCE,
    NEEDS_REVIEW,
    PREDICTED,
    QUESTION,
    SCORE_PREFIX,
    TEXT,
    answer_column,
    find_id_column,
    resolve_column,
)
from pgtext.label.prediction import flagged as review_flags
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
    """Parse the columns 'pgtext label' added; the codebook must match its score columns."""
    slugs = _check_columns(frame, codebook, source)
    text_col = _text_column(frame, text_col, source)
    n = len(frame)
    texts = frame[text_col].astype(str).tolist()
    confidence = pd.to_numeric(frame[CONFIDENCE].astype(str).str.strip(), errors="coerce").to_numpy(dtype=float)
    scored = ~np.isnan(confidence) & np.array([bool(t.strip()) for t in texts], dtype=bool)
    flagged = scored & review_flags(frame[NEEDS_REVIEW]).to_numpy()
    prefill = np.zeros((n, len(slugs)), dtype=np.int8)
    rows = (frame.index + 2).tolist()  # spreadsheet rows of the labelled file
    for i, cell in enumerate(frame[PREDICTED].astype(str)):
        found, unknown = codebook.parse_themes(cell)
        if unknown:
            raise InputError(f"{source}, row {rows[i]}: predicted theme {unknown[0]!r} is not in the codebook.")
        prefill[i] = found
    scores = np.column_stack(
        [pd.to_numeric(frame[SCORE_PREFIX + s].astype(str), errors="coerce").fillna(0.0).to_numpy() for s in slugs]
    )
    long = text_col == TEXT and QUESTION in frame.columns
    context: dict[str, list] = {"question": frame[QUESTION].astype(str).tolist() if long else [text_col] * n}
    id_column = _id_column(frame, id_col, source)
    if id_column:
        context["id"] = frame[id_column].astype(str).tolist()
    context["row"] = rows
    return Scored(texts, prefill, scores, confidence, scored, flagged, context)


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


def _check_columns(frame: pd.DataFrame, codebook: Codebook, source: str) -> list[str]:
    missing = [c for c in (PREDICTED, CONFIDENCE, NEEDS_REVIEW) if c not in frame.columns]
    if missing:
        raise InputError(
            f"{source}: not a file written by 'pgtext label' (no {', '.join(missing)} column); "
            f"label it first, e.g. pgtext label {source} --text-col COLUMN -o labelled.xlsx"
        )
    scored = [str(c)[len(SCORE_PREFIX) :] for c in frame.columns if str(c).startswith(SCORE_PREFIX)]
    if scored != codebook.slugs:
        raise InputError(
            f"{source}: scored themes ({', '.join(scored) or 'none'}) do not match the codebook "
            f"({', '.join(codebook.slugs)}); give the codebook the model was trained with: --codebook FILE."
        )
    return codebook.slugs


def _text_column(frame: pd.DataFrame, wanted: str | None, source: str) -> str:
    return answer_column(frame, wanted, source)


def _id_column(frame: pd.DataFrame, wanted: str | None, source: str) -> str | None:
    columns = [str(c) for c in frame.columns]
    if wanted:
        return resolve_column(columns, wanted, source, "--id-col", frame.attrs.get("column_labels"))
    return find_id_column(columns)
