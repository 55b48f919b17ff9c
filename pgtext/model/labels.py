"""Hand-labelled training files: read, check against the codebook, turn into a label matrix.

Two layouts are accepted: a ``themes`` column (slugs or names joined by ``;``,
empty = no theme), or one 0/1 column per theme. Row numbers in messages are
spreadsheet rows (the header is row 1).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pgtext.errors import InputError, LabelsError
from pgtext.files.columns import text_column
from pgtext.files.tables import read_table
from pgtext.model.codebook import THEME_SEPARATOR, Codebook, theme_cell

if TYPE_CHECKING:
    import pandas as pd

TEXT_COLUMN = "text"
THEMES_COLUMN = "themes"
#: A pgtext label output can stand in for a labels file (e.g. as the second coder in agreement).
#: The columns 'pgtext label' adds (``pgtext.label.prediction`` writes them under these names).
PREDICTED_COLUMN = "predicted_themes"
CONFIDENCE_COLUMN = "confidence"
NEEDS_REVIEW_COLUMN = "needs_review"
SCORE_COLUMN_PREFIX = "score_"
THEME_FLAG_PREFIX = "th_"  # an SPSS output's 0/1 theme variables
_TRUE = {"1", "1.0", "ja", "yes", "true", "waar", "x"}
_FALSE = {"0", "0.0", "nee", "no", "false", "onwaar", ""}
_MAX_LISTED = 5


@dataclass
class LabelledSet:
    """Texts with a 0/1 matrix of themes (columns in codebook order)."""

    texts: list[str]
    y: np.ndarray
    codebook: Codebook
    origins: list[str]  # "file, row N" per text
    files: list[dict[str, object]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {slug: int(n) for slug, n in zip(self.codebook.slugs, self.y.sum(axis=0))}


def normalise_text(text: str) -> str:
    """Key for "the same answer": case, surrounding and repeated whitespace ignored."""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def format_themes(row: np.ndarray, slugs: list[str]) -> str:
    """A 0/1 row as a theme cell (``codebook.theme_cell``, the format's home)."""
    return theme_cell(row, slugs)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_labels(
    paths: list[str | Path],
    codebook: Codebook,
    encoding: str | None = None,
    text_col: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> LabelledSet:
    """Read one or more labelled files into one checked set.

    Unknown themes and conflicting duplicates are errors (all offending rows named);
    empty texts and exact duplicates are dropped with a warning.
    """
    texts: list[str] = []
    rows: list[np.ndarray] = []
    origins: list[str] = []
    files: list[dict[str, object]] = []
    warnings: list[str] = []
    problems: list[str] = []
    for raw_path in paths:
        path = Path(raw_path)
        table = read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
        frame = table.frame
        columns = {c.casefold(): c for c in frame.columns}
        try:
            text_name = text_column(list(frame.columns), text_col, str(path), answered=labelled_answer_columns(frame))
        except InputError as exc:
            how = "".join(f" {note[0].upper()}{note[1:]}" for note in table.notes)  # e.g. which sheet was read
            raise LabelsError(f"{exc}{how}") from None
        parse = _themes_parser(path, frame.columns, columns, codebook)
        empty: list[int] = []
        for i, record in zip((frame.index + 2).tolist(), frame.to_dict("records")):  # spreadsheet rows
            text = str(record[text_name])
            if not text.strip():
                empty.append(i)
                continue
            vector, errors = parse(record)
            if errors:
                problems.extend(f"{path.name}, row {i}: {e}" for e in errors)
                continue
            texts.append(text)
            rows.append(vector)
            origins.append(f"{path.name}, row {i}")
        if empty:
            warnings.append(f"{path.name}: skipped {len(empty)} rows with no text (rows {_list(empty)}).")
        files.append({"name": path.name, "sha256": file_sha256(path), "rows": int(len(frame))})
    if problems:
        listed = "; ".join(problems[:_MAX_LISTED])
        more = f" (and {len(problems) - _MAX_LISTED} more)" if len(problems) > _MAX_LISTED else ""
        raise LabelsError(f"{listed}{more}. Known themes: {', '.join(codebook.slugs)}.")
    y = np.array(rows, dtype=np.int8).reshape(len(rows), len(codebook.themes))
    texts, y, origins, dup_warnings = _deduplicate(texts, y, origins, codebook)
    warnings.extend(dup_warnings)
    if not texts:
        raise LabelsError("no labelled answers found: every text cell is empty.")
    return LabelledSet(texts=texts, y=y, codebook=codebook, origins=origins, files=files, warnings=warnings)


def _themes_parser(path: Path, all_columns, columns: dict[str, str], codebook: Codebook):
    """Return a function record -> (0/1 vector, errors) for whichever layout the file has."""
    slugs = codebook.slugs
    joined = next((columns[c] for c in (THEMES_COLUMN, PREDICTED_COLUMN) if c in columns), None)
    if joined is not None:
        column = joined

        def parse_joined(record: dict) -> tuple[np.ndarray, list[str]]:
            found, unknown = codebook.parse_themes(record[column])
            errors = [
                f"unknown theme {token!r}" + (f" (separate themes with '{THEME_SEPARATOR}')" if "," in token or "|" in token else "")
                for token in unknown
            ]
            return np.asarray(found, dtype=np.int8), errors

        return parse_joined

    theme_columns: dict[str, str] = {}
    for col in all_columns:
        slug = codebook.resolve(col)
        if slug:
            theme_columns[slug] = col
    if not theme_columns:
        raise LabelsError(
            f"{path}: needs a '{THEMES_COLUMN}' column (slugs joined by ';') or one 0/1 column per theme "
            f"({', '.join(slugs)}); found: {', '.join(all_columns)}."
        )
    missing = [s for s in slugs if s not in theme_columns]
    if missing:
        raise LabelsError(f"{path}: 0/1 theme columns missing for {', '.join(missing)}.")

    def parse_columns(record: dict) -> tuple[np.ndarray, list[str]]:
        vector = np.zeros(len(slugs), dtype=np.int8)
        errors = []
        for k, slug in enumerate(slugs):
            value = str(record[theme_columns[slug]]).strip().casefold()
            if value in _TRUE:
                vector[k] = 1
            elif value not in _FALSE:
                errors.append(f"column {theme_columns[slug]!r} holds {value!r}; use 0 or 1")
        return vector, errors

    return parse_columns


def _deduplicate(texts, y, origins, codebook):
    first_seen: dict[str, int] = {}
    keep: list[int] = []
    conflicts: list[str] = []
    dropped: list[str] = []
    for i, text in enumerate(texts):
        key = normalise_text(text)
        if key not in first_seen:
            first_seen[key] = i
            keep.append(i)
            continue
        j = first_seen[key]
        if np.array_equal(y[i], y[j]):
            dropped.append(origins[i])
        else:
            conflicts.append(
                f"{origins[j]} ({format_themes(y[j], codebook.slugs) or 'no theme'}) vs "
                f"{origins[i]} ({format_themes(y[i], codebook.slugs) or 'no theme'})"
            )
    if conflicts:
        listed = "; ".join(conflicts[:_MAX_LISTED])
        more = f" (and {len(conflicts) - _MAX_LISTED} more)" if len(conflicts) > _MAX_LISTED else ""
        raise LabelsError(f"the same answer has different labels: {listed}{more}. Decide on one label and fix the other row.")
    warnings = [f"dropped {len(dropped)} exact duplicate answers ({_list(dropped)})."] if dropped else []
    return [texts[i] for i in keep], y[keep], [origins[i] for i in keep], warnings


def _list(items: list) -> str:
    shown = ", ".join(str(x) for x in items[:_MAX_LISTED])
    return shown + (f" and {len(items) - _MAX_LISTED} more" if len(items) > _MAX_LISTED else "")


def labelled_answer_columns(frame: pd.DataFrame) -> list[str]:
    """In a file 'pgtext label' wrote: the columns filled exactly where it has scores (the labelled answers)."""
    columns = [str(c) for c in frame.columns]
    if CONFIDENCE_COLUMN not in columns or len(frame) == 0:
        return []
    scored = (frame[CONFIDENCE_COLUMN].astype(str).str.strip() != "").to_numpy()
    if not scored.any():
        return []
    # an SPSS output's 0/1 theme variables are filled exactly where scores are too
    flags = {THEME_FLAG_PREFIX + c[len(SCORE_COLUMN_PREFIX):] for c in columns if c.startswith(SCORE_COLUMN_PREFIX)}
    return [
        c for c in columns
        if c not in (PREDICTED_COLUMN, CONFIDENCE_COLUMN, NEEDS_REVIEW_COLUMN, *flags) and not c.startswith(SCORE_COLUMN_PREFIX)
        and np.array_equal((frame[c].astype(str).str.strip() != "").to_numpy(), scored)
    ]
