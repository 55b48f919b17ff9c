"""The one reader of labelled outputs: a file ``pgtext label`` wrote, read back for review, suggest and reports.

Wide outputs keep the export's columns and add predicted_themes, score_<theme>, confidence and
needs_review; long outputs (several --text-col) hold one answer per line in ``row``, ``question``
and ``text``. Every check of such a file, and its messages, lives here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext.errors import InputError
from pgtext.files.tables import read_table
from pgtext.label.prediction import (
    CONFIDENCE,
    NEEDS_REVIEW,
    PREDICTED,
    QUESTION,
    ROW,
    SCORE_PREFIX,
    TEXT,
    THEME_PREFIX,
    answer_column,
    find_id_column,
    flagged,
    resolve_column,
)
from pgtext.model.codebook import Codebook

ADDED = (PREDICTED, CONFIDENCE, NEEDS_REVIEW)


@dataclass
class LabelledOutput:
    """A labelled output read back, one entry per row of the file (blank answers included)."""

    frame: pd.DataFrame  # the file as read
    source: str  # how messages name it
    text_column: str
    texts: list[str]
    scores: np.ndarray  # float, codebook order; NaN where a cell holds no number
    predicted: np.ndarray  # 0/1 int8, codebook order
    confidence: np.ndarray  # float; NaN for blank answers
    needs_review: np.ndarray  # bool, as written (see ``flagged``)
    context: dict[str, list]  # question, id (when known), row (spreadsheet row of the file)
    respondent: list[str]  # the long output's row column, else the spreadsheet row

    @property
    def scored(self) -> np.ndarray:
        """bool: a non-blank answer the model scored."""
        return ~np.isnan(self.confidence) & np.array([bool(t.strip()) for t in self.texts], dtype=bool)


def read_labelled(
    path: str | Path,
    codebook: Codebook,
    text_col: str | None = None,
    id_col: str | None = None,
    encoding: str | None = None,
    codebook_option: str = "--model",
    guess_text: bool = False,
) -> LabelledOutput:
    """Read a labelled CSV, XLSX or SAV file (see ``labelled_output``)."""
    frame = read_table(Path(path), encoding=encoding).frame
    return labelled_output(frame, codebook, text_col, id_col, str(path), codebook_option, guess_text)


def labelled_output(
    frame: pd.DataFrame,
    codebook: Codebook,
    text_col: str | None = None,
    id_col: str | None = None,
    source: str = "input",
    codebook_option: str = "--model",
    guess_text: bool = False,
) -> LabelledOutput:
    """Parse the columns ``pgtext label`` added; the codebook must be the one it labelled with.

    ``codebook_option`` is the option a message tells the user to give the right codebook with.
    The answers are in 'text' (long output), ``text_col``, or a column with a usual answer name;
    ``guess_text`` also takes the one column filled exactly where scores are (review and suggest
    do; reports ask for --text-col instead).
    """
    columns = [str(c) for c in frame.columns]
    _check_columns(columns, codebook, source, codebook_option)
    text_column = _text_column(frame, columns, text_col, source, guess_text)
    n = len(frame)
    rows = (frame.index + 2).tolist()  # spreadsheet rows of the labelled file
    predicted = np.zeros((n, len(codebook.slugs)), dtype=np.int8)
    for i, cell in enumerate(frame[PREDICTED].astype(str)):
        found, unknown = codebook.parse_themes(cell)
        if unknown:
            raise InputError(
                f"{source}, row {rows[i]}: predicted theme {unknown[0]!r} is not in the codebook; "
                f"give the {codebook_option} that labelled this file."
            )
        predicted[i] = found
    scores = np.column_stack(
        [pd.to_numeric(frame[SCORE_PREFIX + s].astype(str), errors="coerce").to_numpy(dtype=float) for s in codebook.slugs]
    ).reshape(n, len(codebook.slugs))
    long = text_column == TEXT and QUESTION in columns
    context: dict[str, list] = {"question": frame[QUESTION].astype(str).tolist() if long else [text_column] * n}
    id_column = resolve_column(columns, id_col, source, "--id-col", frame.attrs.get("column_labels")) if id_col else find_id_column(columns)
    if id_column:
        context["id"] = frame[id_column].astype(str).tolist()
    context["row"] = rows
    respondent = frame[ROW].astype(str).tolist() if long and ROW in columns else [str(r) for r in rows]
    return LabelledOutput(
        frame=frame, source=source, text_column=text_column, texts=frame[text_column].astype(str).tolist(),
        scores=scores, predicted=predicted,
        confidence=pd.to_numeric(frame[CONFIDENCE].astype(str).str.strip(), errors="coerce").to_numpy(dtype=float),
        needs_review=flagged(frame[NEEDS_REVIEW]).to_numpy(dtype=bool), context=context, respondent=respondent,
    )


def _check_columns(columns: list[str], codebook: Codebook, source: str, codebook_option: str) -> None:
    missing = [c for c in ADDED if c not in columns]
    if missing:
        raise InputError(
            f"{source}: not a 'pgtext label' output (no {', '.join(missing)} column); "
            f"label it first, e.g. pgtext label {source} --text-col COLUMN -o labelled.xlsx"
        )
    scored = [c[len(SCORE_PREFIX) :] for c in columns if c.startswith(SCORE_PREFIX)]
    if scored != codebook.slugs:
        raise InputError(
            f"{source}: labelled with themes {', '.join(scored) or '(none)'}, but the codebook has "
            f"{', '.join(codebook.slugs)}; give the {codebook_option} that labelled this file."
        )


def _text_column(frame: pd.DataFrame, columns: list[str], wanted: str | None, source: str, guess: bool) -> str:
    """The labelled answers: 'text' in a long output, else the rule every command follows
    (``label.prediction.answer_column``: --text-col, a usual answer column name, or the one column
    filled exactly where scores are)."""
    if {ROW, QUESTION, TEXT} <= set(columns):
        return TEXT
    return answer_column(frame, wanted, source)


def _filled_where_scored(frame: pd.DataFrame, columns: list[str]) -> str | None:
    scored = (frame[CONFIDENCE].astype(str).str.strip() != "").to_numpy()
    # an SPSS output's 0/1 theme variables are filled exactly where scores are too
    flags = {THEME_PREFIX + c[len(SCORE_PREFIX) :] for c in columns if c.startswith(SCORE_PREFIX)}
    candidates = [
        c for c in columns
        if c not in (*ADDED, *flags) and not c.startswith(SCORE_PREFIX)
        and np.array_equal((frame[c].astype(str).str.strip() != "").to_numpy(), scored)
    ]
    return candidates[0] if len(candidates) == 1 and scored.any() else None
