"""A labelled export as an SPSS file: the input's variables unchanged, pgtext's as labelled variables.

Variables added, in this order after the input's (names fixed here, so syntax can rely on them):

- ``predicted_themes`` (string): the theme slugs joined by ``;``, as in CSV/XLSX output;
- per theme ``th_<slug>``: 1 when the theme applies, 0 when not, system-missing for a blank answer;
  variable label = the theme's name, value labels 0/1 = nee/ja (no/yes in an English codebook);
- per theme ``score_<slug>``: the score (0-1), labelled with the theme's name;
- ``confidence`` (0-1) and ``needs_review`` (0/1 with nee/ja labels).

A name longer than SPSS's 64 bytes is cut; a name an input variable already has (SPSS compares
names ignoring case) gets ``_2``, ``_3``, ..., except the theme variables of a file pgtext labelled
before (``th_<slug>`` labelled with that theme's name), which are replaced like the other pgtext columns. In long format (several ``--text-col``) ``row`` is a
number, ``question`` a numeric code whose value labels name the question variables (with
their variable labels), and ``text`` the answer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pgtext.files.spss import SavSource, SavVariable, spss_name, write_sav
from pgtext.files.tables import Table
from pgtext.i18n import t
from pgtext.label.prediction import (
    CONFIDENCE,
    NEEDS_REVIEW,
    PREDICTED,
    QUESTION,
    ROW,
    SCORE_PREFIX,
    TEXT,
    THEME_PREFIX,
    flagged,
    resolve_text_columns,
)
from pgtext.model.codebook import Codebook
from pgtext.model.labels import THEME_SEPARATOR


def sav_names(codebook: Codebook, existing: list[str]) -> dict[str, str]:
    """Output column -> SPSS variable name for the columns pgtext adds (theme flags keyed ``th:<slug>``)."""
    taken = set(existing)
    names: dict[str, str] = {}
    wanted = [PREDICTED]
    for slug in codebook.slugs:
        wanted.append(f"th:{slug}")
    wanted += [SCORE_PREFIX + slug for slug in codebook.slugs] + [CONFIDENCE, NEEDS_REVIEW]
    for column in wanted:
        base = THEME_PREFIX + column[3:] if column.startswith("th:") else column
        names[column] = spss_name(base, taken)
        taken.add(names[column])
    return names


def write_labelled_sav(
    frame: pd.DataFrame, target: Path, table: Table, codebook: Codebook, text_cols: list[str], lang: str,
    replace: bool = False,
) -> None:
    """Write ``label_frame``'s output as .sav; ``table`` is the input as read (its SPSS codes and labels, if any)."""
    source = table.source if isinstance(table.source, SavSource) else None
    text_cols = resolve_text_columns(table.frame, text_cols, str(table.path))
    long = len(text_cols) > 1
    # A .sav that pgtext labelled before: its theme variables are replaced, not kept beside the new ones.
    earlier = [
        THEME_PREFIX + th.slug for th in codebook.themes
        if source is not None and source.label_of(THEME_PREFIX + th.slug) == th.name
    ]
    frame = frame.drop(columns=[c for c in earlier if c in frame.columns])
    added = {PREDICTED, CONFIDENCE, NEEDS_REVIEW, *(SCORE_PREFIX + s for s in codebook.slugs)}
    if long:
        added |= {ROW, QUESTION, TEXT}
    inputs = [str(c) for c in frame.columns if c not in added]
    names = sav_names(codebook, inputs + ([ROW, QUESTION, TEXT] if long else []))
    yes_no = {0.0: t(lang, "sav.no"), 1.0: t(lang, "sav.yes")}
    out = pd.DataFrame(index=frame.index)
    new: dict[str, SavVariable] = {}
    filled = frame[CONFIDENCE].notna()  # blank answers are not scored
    chosen = frame[PREDICTED].fillna("").astype(str).str.split(THEME_SEPARATOR)
    for column in frame.columns:
        if column == PREDICTED:
            out[names[PREDICTED]] = frame[PREDICTED]
            new[names[PREDICTED]] = SavVariable(label=t(lang, "sav.predicted"), numeric=False)
            for theme in codebook.themes:
                name = names[f"th:{theme.slug}"]
                flags = chosen.map(lambda themes, slug=theme.slug: 1.0 if slug in themes else 0.0)
                out[name] = flags.where(filled)
                new[name] = SavVariable(
                    label=t(lang, "sav.theme", name=theme.name), value_labels=yes_no, format="F1.0", measure="nominal"
                )
        elif column in added and str(column).startswith(SCORE_PREFIX):
            slug = str(column)[len(SCORE_PREFIX):]
            out[names[column]] = frame[column]
            theme_name = next(th.name for th in codebook.themes if th.slug == slug)
            new[names[column]] = SavVariable(label=t(lang, "sav.score", name=theme_name), format="F6.4", measure="scale")
        elif column == CONFIDENCE:
            out[names[CONFIDENCE]] = frame[CONFIDENCE]
            new[names[CONFIDENCE]] = SavVariable(label=t(lang, "sav.confidence"), format="F6.4", measure="scale")
        elif column == NEEDS_REVIEW:
            out[names[NEEDS_REVIEW]] = flagged(frame[NEEDS_REVIEW]).astype(float)
            new[names[NEEDS_REVIEW]] = SavVariable(
                label=t(lang, "sav.needs_review"), value_labels=yes_no, format="F1.0", measure="nominal"
            )
        elif long and column == ROW:
            out[ROW] = frame[ROW]
            new[ROW] = SavVariable(label=t(lang, "sav.row"), format="F8.0", measure="nominal")
        elif long and column == QUESTION:
            codes = {name: float(k) for k, name in enumerate(text_cols, start=1)}
            out[QUESTION] = frame[QUESTION].map(codes)
            new[QUESTION] = SavVariable(
                label=t(lang, "sav.question"), format="F3.0", measure="nominal",
                value_labels={code: _question_label(name, source) for name, code in codes.items()},
            )
        elif long and column == TEXT:
            out[TEXT] = frame[TEXT]
            new[TEXT] = SavVariable(label=t(lang, "sav.text"), numeric=False)
        else:
            out[column] = frame[column]
    rows = (frame[ROW].astype(int) - 2).tolist() if long else list(frame.index)
    write_sav(out, target, new, source=source, source_rows=rows, replace=replace)


def _question_label(name: str, source: SavSource | None) -> str:
    label = source.label_of(name) if source is not None else ""
    return f"{name}: {label}" if label else name
