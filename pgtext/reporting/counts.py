"""Theme counts for report writers: per theme, subgroup and wave, with 95% intervals and quotes.

Reads files written by ``pgtext label`` (wide: one answer column; long: ``row``,
``question`` and ``text`` columns). A respondent *answered* when they gave a non-blank
answer to a question in scope; shares are respondents with the theme over respondents
who answered (the report's "n"). Theme names and order come from the model card.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext import config
from pgtext.errors import InputError
from pgtext.files.tables import read_table
from pgtext.label.prediction import resolve_column
from pgtext.label.reader import labelled_output
from pgtext.model.codebook import Codebook
from pgtext.reporting.quotes import pick_quotes, text_vectors

Z95 = 1.959963984540054  # two-sided 95% normal quantile
MIN_N = config.REPORT_MIN_N
QUOTES = config.REPORT_QUOTES
ALL = "all"
BLANK_GROUP = "(blank)"


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for k successes out of n (no continuity correction)."""
    if n <= 0:
        return math.nan, math.nan
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_interval(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """p1 - p2 with Newcombe's hybrid Wilson score interval (his method 10), for independent samples."""
    if n1 <= 0 or n2 <= 0:
        return math.nan, math.nan, math.nan
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1, z)
    l2, u2 = wilson_interval(k2, n2, z)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


@dataclass
class ReportResult:
    """``table``: one tidy row per wave x group x theme; ``quotes``: example answers per theme."""

    table: pd.DataFrame
    quotes: pd.DataFrame
    totals: pd.DataFrame
    codebook: Codebook
    waves: list[str]
    questions: list[str]
    all_questions: list[str]
    by: str | None
    min_n: int
    quote_count: int = QUOTES
    quotes_dropped: int = 0  # answers passed over as quotes because they may still name someone
    masked: bool = True
    sources: list[str] = field(default_factory=list)


def wave_names(paths: list[Path]) -> list[str]:
    """Short wave names from file names: tokens shared by all names are dropped (2025-long -> 2025)."""
    stems = [re.split(r"[-_. ]+", p.stem) for p in paths]
    if len(stems) > 1:
        while all(len(s) > 1 for s in stems) and len({s[0] for s in stems}) == 1:
            stems = [s[1:] for s in stems]
        while all(len(s) > 1 for s in stems) and len({s[-1] for s in stems}) == 1:
            stems = [s[:-1] for s in stems]
    names = ["-".join(s) for s in stems]
    return names if len(set(names)) == len(names) else [p.stem if i == 0 else f"{p.stem} ({i + 1})" for i, p in enumerate(paths)]


def load_answers(
    paths: list[str | Path | pd.DataFrame],
    codebook: Codebook,
    wave_col: str | None = None,
    by: str | None = None,
    text_col: str | None = None,
    encoding: str | None = None,
    names: list[str] | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """One row per non-blank answer: wave, respondent, question, text, group, confident, has:/score: per theme.

    Several files (or labelled DataFrames of text cells) are waves in the order given, named by
    ``names`` or the file names; ``wave_col`` names waves inside the files instead.
    """
    if names is None:
        if any(isinstance(p, pd.DataFrame) for p in paths):
            names = [str(k) for k in range(1, len(paths) + 1)] if len(paths) > 1 else ["1"]
        else:
            names = wave_names([Path(p) for p in paths])
    parts = []
    shown = []
    for item, name in zip(paths, names):
        if isinstance(item, pd.DataFrame):
            frame, source = item, f"wave {name}"
        else:
            frame = read_table(Path(item), encoding=encoding, delimiter=delimiter, sheet=sheet).frame
            source = str(item)
        shown.append(source)
        parts.append(_answers_of(frame, source, name, codebook, wave_col, by, text_col))
    answers = pd.concat(parts, ignore_index=True)
    if answers.empty:
        raise InputError(f"{', '.join(shown)}: no answers found (every answer cell is blank).")
    if wave_col:
        waves = sorted(answers["wave"].unique(), key=_natural_key)
    else:
        waves = [n for n in names if n in set(answers["wave"])]
    return answers, waves


def question_order(answers: pd.DataFrame) -> list[str]:
    """Questions in survey order: long files list each respondent's answers in --text-col order."""
    from graphlib import CycleError, TopologicalSorter

    first_seen = list(dict.fromkeys(answers["question"]))
    graph: dict[str, set[str]] = {q: set() for q in first_seen}
    for _, sub in answers.groupby(["wave", "respondent"], sort=False):
        asked = list(sub["question"])
        for before, after in zip(asked, asked[1:]):
            graph[after].add(before)
    sorter = TopologicalSorter(graph)
    try:
        sorter.prepare()
    except CycleError:
        return first_seen
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=first_seen.index)
        order.extend(ready)
        sorter.done(*ready)
    return order


def _natural_key(value: str) -> list:
    return [int(t) if t.isdigit() else t.casefold() for t in re.split(r"(\d+)", str(value))]


def _answers_of(
    frame: pd.DataFrame,
    source: str,
    wave: str,
    codebook: Codebook,
    wave_col: str | None,
    by: str | None,
    text_col: str | None,
) -> pd.DataFrame:
    data = labelled_output(frame, codebook, text_col, source=source)
    columns = [str(c) for c in frame.columns]
    labels = frame.attrs.get("column_labels")  # SPSS variable labels, shown in "no such column" messages
    out = pd.DataFrame({
        "wave": frame[resolve_column(columns, wave_col, source, "--wave-col", labels)].astype(str).str.strip() if wave_col else wave,
        "respondent": data.respondent,
        "id": data.context.get("id", ""),
        "question": data.context["question"],
        "text": data.texts,
    }, index=frame.index)
    out["group"] = frame[resolve_column(columns, by, source, "--by", labels)].astype(str).str.strip().replace("", BLANK_GROUP) if by else ALL
    out["confident"] = ~data.needs_review
    for j, slug in enumerate(codebook.slugs):
        out[f"has:{slug}"] = data.predicted[:, j].astype(bool)
        out[f"score:{slug}"] = data.scores[:, j]
    return out[out["text"].str.strip() != ""].reset_index(drop=True)


def theme_counts(answers: pd.DataFrame, codebook: Codebook, waves: list[str], by: str | None, min_n: int = MIN_N) -> pd.DataFrame:
    """The tidy count table: overall rows first, then one block per group (largest first)."""
    groups = [ALL]
    if by:
        sizes = answers.groupby("group")["respondent"].nunique()
        groups += sorted(sizes.index, key=lambda g: (g == BLANK_GROUP, -sizes[g], _natural_key(g)))
    rows = []
    for group in groups:
        for wave in waves:
            sub = answers[answers["wave"] == wave]
            if group != ALL:
                sub = sub[sub["group"] == group]
            n = sub["respondent"].nunique()
            for theme in codebook.themes:
                has = sub[f"has:{theme.slug}"]
                k = sub.loc[has, "respondent"].nunique()
                confident = sub.loc[has & sub["confident"], "respondent"].nunique()
                low, high = wilson_interval(k, n)
                rows.append({
                    "wave": wave, "by": by or "", "group": group, "theme": theme.slug, "theme_name": theme.name,
                    "n": n, "answers": int(has.sum()), "respondents": k, "share": k / n if n else math.nan,
                    "ci_low": low, "ci_high": high, "respondents_confident": confident,
                    "respondents_review": k - confident, "small_n": n < min_n,
                })
    table = pd.DataFrame(rows)
    table[["change", "change_low", "change_high"]] = math.nan
    for i, wave in enumerate(waves[1:], start=1):
        now = table.index[table["wave"] == wave]
        before = table.index[table["wave"] == waves[i - 1]]
        for a, b in zip(now, before):  # same group and theme order within each wave
            d = difference_interval(table.at[a, "respondents"], table.at[a, "n"], table.at[b, "respondents"], table.at[b, "n"])
            table.loc[a, ["change", "change_low", "change_high"]] = d
    return table


def theme_quotes(answers: pd.DataFrame, codebook: Codebook, wave: str, k: int, mask: bool = True) -> tuple[pd.DataFrame, int]:
    """Up to k quotes per theme from one wave: confident answers, representative, no near-copies.

    Also returns how many answers were passed over because they may still name someone.
    """
    sub = answers[answers["wave"] == wave].reset_index(drop=True)
    vectors = text_vectors(sub["text"].tolist())
    rows = []
    dropped = 0
    for theme in codebook.themes:
        pool = sub.index[sub[f"has:{theme.slug}"] & sub["confident"]].to_numpy()
        picked = pick_quotes(sub.loc[pool, "text"].tolist(), k, vectors[pool] if len(pool) else None, mask=mask)
        dropped += picked.dropped
        for rank, (i, quote) in enumerate(picked.picked, start=1):
            row = sub.loc[pool[i]]
            rows.append({
                "theme": theme.slug, "theme_name": theme.name, "rank": rank, "wave": wave,
                "id": row["id"], "row": row["respondent"], "question": row["question"],
                "score": round(float(row[f"score:{theme.slug}"]), 4), "quote": quote,
            })
    frame = pd.DataFrame(rows, columns=["theme", "theme_name", "rank", "wave", "id", "row", "question", "score", "quote"])
    # A quote is found again by the respondent's id; the spreadsheet row only when the file has no id column.
    return frame.drop(columns="row" if (sub["id"] != "").any() else "id"), dropped


def wave_totals(answers: pd.DataFrame, codebook: Codebook, waves: list[str]) -> pd.DataFrame:
    has_any = np.zeros(len(answers), dtype=bool)
    for slug in codebook.slugs:
        has_any |= answers[f"has:{slug}"].to_numpy()
    frame = answers.assign(no_theme=~has_any, flagged=~answers["confident"])
    rows = []
    for wave in waves:
        sub = frame[frame["wave"] == wave]
        rows.append({
            "wave": wave, "respondents": sub["respondent"].nunique(), "answers": len(sub),
            "answers_review": int(sub["flagged"].sum()), "answers_no_theme": int(sub["no_theme"].sum()),
        })
    return pd.DataFrame(rows)


def build_report(
    paths: list[str | Path | pd.DataFrame],
    codebook: Codebook,
    by: str | None = None,
    wave_col: str | None = None,
    questions: list[str] | None = None,
    text_col: str | None = None,
    quotes: int = QUOTES,
    mask: bool = True,
    min_n: int = MIN_N,
    encoding: str | None = None,
    names: list[str] | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> ReportResult:
    """Read labelled files (or frames) and count themes per wave (and group), with quotes from the last wave."""
    answers, waves = load_answers(
        paths, codebook, wave_col=wave_col, by=by, text_col=text_col, encoding=encoding, names=names,
        delimiter=delimiter, sheet=sheet,
    )
    all_questions = question_order(answers)
    if questions:
        where = ", ".join("DataFrame" if isinstance(p, pd.DataFrame) else str(p) for p in paths)
        chosen = [resolve_column(all_questions, q, where, "--question") for q in questions]
        answers = answers[answers["question"].isin(chosen)]
    else:
        chosen = all_questions
    quote_frame, dropped = theme_quotes(answers, codebook, waves[-1], quotes, mask)
    return ReportResult(
        table=theme_counts(answers, codebook, waves, by, min_n),
        quotes=quote_frame, quotes_dropped=dropped, masked=mask,
        totals=wave_totals(answers, codebook, waves),
        codebook=codebook, waves=waves, questions=chosen, all_questions=all_questions,
        by=by, min_n=min_n, quote_count=quotes,
        sources=["DataFrame" if isinstance(p, pd.DataFrame) else str(p) for p in paths],
    )
