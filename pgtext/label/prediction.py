"""Labelling recipe: a survey export in, the same rows out with themes, scores and a review flag."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pgtext.embed import Embedder, Progress, embed_texts, weights_id
from pgtext.embed.cache import EmbeddingCache
from pgtext.errors import ModelError
from pgtext.files.columns import resolve_column, shown_list, text_column
from pgtext.files.workbook import CODEBOOK_SHEET, SheetStyle
from pgtext.model.codebook import Codebook
from pgtext.model.labels import (
    CONFIDENCE_COLUMN,
    NEEDS_REVIEW_COLUMN,
    PREDICTED_COLUMN,
    SCORE_COLUMN_PREFIX,
    THEME_FLAG_PREFIX,
    labelled_answer_columns,
)
from pgtext.model.store import ThemeModel

PREDICTED = PREDICTED_COLUMN
CONFIDENCE = CONFIDENCE_COLUMN
NEEDS_REVIEW = NEEDS_REVIEW_COLUMN
SCORE_PREFIX = SCORE_COLUMN_PREFIX
QUESTION = "question"
TEXT = "text"
THEME_PREFIX = THEME_FLAG_PREFIX
ROW = "row"
AUTO_TEXT_COLUMNS = ("text", "answer", "antwoord", "tekst")


_FLAGGED = frozenset({"true", "1", "ja", "yes"})


def flagged(values: pd.Series) -> pd.Series:
    """``needs_review`` cells as booleans: "true"/"false" (CSV, XLSX) or 1/0, read as ja/nee or yes/no (SPSS)."""
    return values.astype(str).str.strip().str.casefold().isin(_FLAGGED)
#: Column names taken as the respondent id when no --id-col is given (compared ignoring case).
ID_COLUMNS = ("id", "respondent_id", "respondentid", "respondent", "respondentnummer")


def find_id_column(columns: list[str]) -> str | None:
    """The respondent id column of a labelled file: the column 'label --id-col' put before ``row``, else a usual name."""
    if len(columns) > 1 and columns[1] == ROW and columns[0] != ROW:
        return columns[0]
    for column in columns:
        if column.casefold() in ID_COLUMNS:
            return column
    return None


def output_columns(themes: list[str]) -> list[str]:
    """The columns pgtext adds, in order (a stable contract for other tools)."""
    return [PREDICTED, *(SCORE_PREFIX + t for t in themes), CONFIDENCE, NEEDS_REVIEW]


@dataclass
class LabelSummary:
    rows_read: int
    answers_labelled: int
    blanks: int
    needs_review: int
    blanks_per_question: dict[str, int] = field(default_factory=dict)
    replaced_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the input was read (tables.Table.notes)


@dataclass
class LabelResult:
    frame: pd.DataFrame
    summary: LabelSummary
    answer_column: str = TEXT  # the column holding the labelled answers
    embeddings: np.ndarray | None = None  # of the non-blank answers, in row order (for suggest)


def workbook_layout(codebook: Codebook, answer_column: str) -> dict:
    """How a labelled .xlsx looks (``write_table`` keywords): scores with 2 decimals, needs_review as
    TRUE/FALSE, the answers wrapped, theme names in header comments and a codebook sheet."""
    comments = {
        PREDICTED: "The themes that apply: slugs joined by ';' in codebook order (empty: none). "
        "Names and descriptions are on the 'codebook' sheet.",
        CONFIDENCE: "The model's probability (0-1) that the whole set of themes is right.",
        NEEDS_REVIEW: "TRUE when the confidence is below the model's review cut-off or a theme score is "
        "borderline: read these answers. Filter on it.",
    }
    for theme in codebook.themes:
        comments[SCORE_PREFIX + theme.slug] = f"{theme.name}\n\nThe model's probability (0-1) that this theme applies."
    style = SheetStyle(
        decimals=(*(SCORE_PREFIX + s for s in codebook.slugs), CONFIDENCE), wrap=(answer_column,),
        booleans=(NEEDS_REVIEW,), comments=comments,
    )
    themes = pd.DataFrame(
        [(t.slug, t.name, t.description, SCORE_PREFIX + t.slug) for t in codebook.themes],
        columns=["slug", "name", "description", "score column"],
    )
    return {"style": style, "extra_sheets": {CODEBOOK_SHEET: (themes, SheetStyle(wrap=("description",)))}}


def check_compatible(model: ThemeModel, embedder: Embedder, codebook: Codebook | None = None) -> None:
    """Refuse to label with an embedder or codebook other than the model was trained with.

    Only the weights must match: any backend of the same weights may label (their scores agree).
    """
    trained = model.embedder
    if weights_id(embedder.id) != weights_id(trained["id"]):
        raise ModelError(
            f"this model was trained with embedder {trained['name']!r} (id {trained['id']}), not {embedder.name!r} "
            f"(id {embedder.id}); label without --embedder, or retrain the model with this embedder."
        )
    if codebook is not None and codebook.sha256 != model.card["codebook"]["sha256"]:
        raise ModelError(
            "this model was trained with another codebook (themes: "
            f"{', '.join(model.themes)}); retrain it with this codebook, or leave out --codebook."
        )


def resolve_text_columns(frame: pd.DataFrame, wanted: list[str], source: str) -> list[str]:
    """Match --text-col names to columns; without any, the one answer column ``answer_column`` finds."""
    if not wanted:
        return [answer_column(frame, None, source)]
    return [answer_column(frame, name, source) for name in wanted]


def answer_column(frame: pd.DataFrame, wanted: str | None, source: str) -> str:
    """The answer column by the rule every command follows (``files.columns.text_column``)."""
    return text_column(
        list(frame.columns), wanted, source, frame.attrs.get("column_labels"), answered=labelled_answer_columns(frame)
    )


def listed(columns: list[str], frame: pd.DataFrame | None = None, labels: dict[str, str] | None = None) -> str:
    """Column names for a message; SPSS variables with their labels: ``v12 (Toelichting regio)``."""
    if labels is None and frame is not None:
        labels = frame.attrs.get("column_labels")
    return shown_list(columns, labels)


def score_texts(
    model: ThemeModel,
    embedder: Embedder,
    texts: list[str],
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(scores, predicted 0/1, confidence, needs_review) for non-blank texts."""
    embeddings = embed_texts(embedder, texts, cache=cache, progress=progress)
    return model.decide(texts, embeddings)


def label_frame(
    frame: pd.DataFrame,
    model: ThemeModel,
    embedder: Embedder,
    text_cols: list[str],
    id_col: str | None = None,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    source: str = "input",
) -> LabelResult:
    """Label one text column in place (wide) or several as one row per answer (long)."""
    text_cols = resolve_text_columns(frame, text_cols, source)
    if id_col:
        id_col = resolve_column([str(c) for c in frame.columns], id_col, source, "--id-col")
    added = output_columns(model.themes)
    replaced = [c for c in frame.columns if c in added]
    base = frame.drop(columns=replaced)
    if len(text_cols) == 1:
        out, blanks = _wide(base, text_cols[0]), {}
    else:
        out, blanks = _long(base, text_cols, id_col)
    answers = out[TEXT if len(text_cols) > 1 else text_cols[0]].astype(str)
    filled = answers.str.strip() != ""
    texts = answers[filled].tolist()
    embeddings = embed_texts(embedder, texts, cache=cache, progress=progress)
    scores, predicted, confidence, needs_review = model.decide(texts, embeddings)

    out[PREDICTED] = ""
    book = model.codebook  # built from the card on each access: once, not once per answer
    out.loc[filled, PREDICTED] = [book.format_themes(row) for row in predicted]
    for k, theme in enumerate(model.themes):
        column = np.full(len(out), np.nan)
        column[filled.to_numpy()] = np.round(scores[:, k], 4)
        out[SCORE_PREFIX + theme] = column
    column = np.full(len(out), np.nan)
    column[filled.to_numpy()] = np.round(confidence, 4)
    out[CONFIDENCE] = column
    flags = np.zeros(len(out), dtype=bool)
    flags[filled.to_numpy()] = needs_review
    out[NEEDS_REVIEW] = np.where(flags, "true", "false")

    if len(text_cols) == 1:
        blank_count = int((~filled).sum())
    else:
        blank_count = sum(blanks.values())
    summary = LabelSummary(
        rows_read=len(frame),
        answers_labelled=len(texts),
        blanks=blank_count,
        needs_review=int(needs_review.sum()),
        blanks_per_question=blanks,
        replaced_columns=replaced,
    )
    return LabelResult(frame=out, summary=summary, answer_column=TEXT if len(text_cols) > 1 else text_cols[0],
                       embeddings=embeddings)


def _wide(frame: pd.DataFrame, text_col: str) -> pd.DataFrame:
    return frame.copy()


def _long(frame: pd.DataFrame, text_cols: list[str], id_col: str | None) -> tuple[pd.DataFrame, dict[str, int]]:
    """One row per respondent and answered question; background columns repeated beside it."""
    keep = [c for c in frame.columns if c not in text_cols]
    if id_col:
        keep = [id_col] + [c for c in keep if c != id_col]
    parts = []
    blanks: dict[str, int] = {}
    for order, column in enumerate(text_cols):
        answers = frame[column].astype(str)
        filled = answers.str.strip() != ""
        blanks[column] = int((~filled).sum())
        part = frame.loc[filled, keep].copy()
        part.insert(1 if id_col else 0, ROW, frame.index[filled] + 2)  # spreadsheet row of the respondent
        part[QUESTION] = column
        part[TEXT] = answers[filled]
        part["_order"] = order
        parts.append(part)
    long = pd.concat(parts) if parts else pd.DataFrame(columns=[ROW, *keep, QUESTION, TEXT, "_order"])
    long = long.rename_axis("_respondent").sort_values(["_respondent", "_order"], kind="stable")
    return long.drop(columns="_order").reset_index(drop=True), blanks
