"""A ``ReportResult`` as Markdown (for the report text), terminal text and XLSX sheets."""

from __future__ import annotations

import textwrap

import pandas as pd

from pgtext.files.documents import markdown_table, percent, plain_table
from pgtext.files.workbook import SheetStyle
from pgtext.report.counts import ALL, ReportResult

DEFAULT_TITLE = "Themes in the open answers"


def share_cell(row: pd.Series) -> str:
    if not row["n"]:
        return "–"
    return f"{percent(row['share'])} ({row['ci_low'] * 100:.0f}–{row['ci_high'] * 100:.0f}%)"


def change_cell(row: pd.Series) -> str:
    if pd.isna(row["change"]):
        return ""
    def pp(value: float) -> str:
        # One decimal near zero, so "−0" never hides which side of zero a bound lies.
        text = f"{value * 100:+.1f}" if abs(value) < 0.01 else f"{value * 100:+.0f}"
        return "0" if text in ("+0.0", "-0.0") else text.replace("-", "−")

    return f"{pp(row['change'])} pp ({pp(row['change_low'])} to {pp(row['change_high'])})"


def n_cell(n: int, small: bool) -> str:
    return f"{n}*" if small else str(n)


def group_rows(result: ReportResult, group: str) -> tuple[list[str], list[list[object]], str]:
    """Headers, rows and column alignment for one group's table."""
    table = result.table[result.table["group"] == group]
    several = len(result.waves) > 1
    headers = ["Theme"] + (["Wave", "n"] if several else []) + ["Respondents", "Share (95% CI)", "Confident", "To review", "Answers"]
    headers += ["Change (95% CI)"] if several else []
    rows = []
    for theme in result.codebook.themes:
        for number, (_, row) in enumerate(table[table["theme"] == theme.slug].iterrows()):
            cells: list[object] = [theme.name if number == 0 else ""]
            if several:
                cells += [row["wave"], n_cell(row["n"], row["small_n"])]
            cells += [row["respondents"], share_cell(row), row["respondents_confident"], row["respondents_review"], row["answers"]]
            if several:
                cells.append(change_cell(row))
            rows.append(cells)
    align = "l" + ("lr" if several else "") + "rrrrr" + ("r" if several else "")
    return headers, rows, align


def group_heading(result: ReportResult, group: str) -> str:
    table = result.table[(result.table["group"] == group) & (result.table["theme"] == result.codebook.slugs[0])]
    ns = ", ".join(
        (f"{w} " if len(result.waves) > 1 else "") + "n=" + n_cell(n, small)
        for w, n, small in zip(table["wave"], table["n"], table["small_n"])
    )
    return f"{'All respondents' if group == ALL else group} ({ns})"


def _groups(result: ReportResult) -> list[str]:
    return list(dict.fromkeys(result.table["group"]))


def scope_text(result: ReportResult, short: bool = False) -> str:
    if result.questions == result.all_questions and len(result.questions) > 1:
        listed = "" if short else f" ({', '.join(result.questions)})"
        return f"all {len(result.questions)} open questions{listed}"
    return ", ".join(result.questions)


def _notes(result: ReportResult) -> list[str]:
    notes = [
        "Share = respondents with the theme among the respondents who answered (n), with its 95% Wilson interval. "
        "Confident: the theme is in at least one of their answers not flagged for review; to review: only in "
        "flagged answers. Answers: answers with the theme (a respondent may give several).",
        f"n below {result.min_n} is marked * : indicative only.",
    ]
    if len(result.waves) > 1:
        notes.insert(1, "Change: difference with the previous wave in percentage points (pp), 95% Newcombe interval.")
    return notes


def totals_rows(result: ReportResult) -> tuple[list[str], list[list[object]], str]:
    headers = ["Wave", "Respondents who answered", "Answers", "Flagged for review", "Without theme"]
    rows = [
        [r.wave, r.respondents, r.answers, r.answers_review, r.answers_no_theme] for r in result.totals.itertuples()
    ]
    return headers, rows, "lrrrr"


def report_markdown(result: ReportResult, title: str = DEFAULT_TITLE) -> str:
    lines = [f"# {title}", "", f"Questions: {scope_text(result)}.", ""]
    lines += [markdown_table(*totals_rows(result)), ""]
    lines += [" ".join(_notes(result)), ""]
    for group in _groups(result):
        if group != ALL and group == _groups(result)[1]:
            lines += [f"## By {result.by}", ""]
        level = "##" if group == ALL else "###"
        lines += [f"{level} {group_heading(result, group)}", "", markdown_table(*group_rows(result, group)), ""]
    if not result.quotes.empty:
        lines += [f"## Quotes ({result.waves[-1]})", ""]
        for theme in result.codebook.themes:
            picked = result.quotes[result.quotes["theme"] == theme.slug]
            if picked.empty:
                continue
            lines += [f"### {theme.name}", ""]
            if len(picked) < result.quote_count:
                lines += [f"Only {len(picked)} confident, distinct answers with this theme.", ""]
            for row in picked.itertuples():
                quote = " ".join(row.quote.split())
                lines += [f"> {quote}", f"> — *{row.question}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def report_text(result: ReportResult, quote_width: int = 96) -> str:
    """The terminal version: the same tables, fixed width, quotes wrapped."""
    lines = [f"Questions: {scope_text(result)}", "", plain_table(*totals_rows(result)), ""]
    for group in _groups(result):
        if group != ALL and group == _groups(result)[1]:
            lines += [f"By {result.by}:", ""]
        lines += [group_heading(result, group), plain_table(*group_rows(result, group)), ""]
    if not result.quotes.empty:
        lines += [f"Quotes ({result.waves[-1]}):"]
        for theme in result.codebook.themes:
            picked = result.quotes[result.quotes["theme"] == theme.slug]
            if picked.empty:
                continue
            lines.append(f"  {theme.name}")
            for row in picked.itertuples():
                quote = f"“{' '.join(row.quote.split())}” ({row.question})"
                lines.append(textwrap.fill(quote, quote_width, initial_indent="    - ", subsequent_indent="      "))
    lines += ["", *(textwrap.fill(n, quote_width) for n in _notes(result))]
    return "\n".join(lines).rstrip()


def report_styles(result: ReportResult) -> dict[str, SheetStyle]:
    """How each sheet of ``report_sheets`` is shown in Excel: shares as percentages, quotes wrapped."""
    counts = SheetStyle(
        percent=("share", "ci_low", "ci_high"), signed_percent=("change", "change_low", "change_high"),
        comments={
            "n": "Respondents with a non-blank answer to the questions in scope.",
            "share": "Respondents with the theme as a share of n; ci_low and ci_high bound its 95% Wilson interval.",
            "change": "Difference with the previous wave in percentage points (shown as %), with its 95% Newcombe "
            "interval in change_low and change_high.",
            "small_n": f"TRUE when n is below {result.min_n}: indicative only.",
        },
    )
    styles = {"themes": counts, "totals": SheetStyle()}
    if result.by:
        styles[f"by {result.by}"] = counts
    styles["quotes"] = SheetStyle(
        decimals=("score",), wrap=("quote",),
        comments={"id": "The respondent's id in the labelled file.", "row": "The respondent's row in the export."},
    )
    return styles


def report_table(result: ReportResult) -> pd.DataFrame:
    """The tidy table for CSV: one row per wave x group x theme, shares rounded to 4 decimals."""
    return result.table.round(4)


def report_sheets(result: ReportResult) -> dict[str, pd.DataFrame]:
    """One sheet per table: overall, one per --by, totals, quotes."""
    table = report_table(result)
    sheets = {"themes": table[table["group"] == ALL]}
    if result.by:
        sheets[f"by {result.by}"] = table[table["group"] != ALL]
    sheets["totals"] = result.totals
    sheets["quotes"] = result.quotes
    return sheets
