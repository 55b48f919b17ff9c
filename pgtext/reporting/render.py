"""A ``ReportResult`` as Markdown (for the report text), terminal text and XLSX sheets."""

from __future__ import annotations

import textwrap

import pandas as pd

from pgtext.files.documents import markdown_table, plain_table
from pgtext.files.workbook import SheetStyle
from pgtext.i18n import number, percent, signed, t
from pgtext.reporting.counts import ALL, ReportResult


def language(result: ReportResult) -> str:
    """The language of the published report: the codebook's (``--lang`` replaces it in ``result.codebook``)."""
    return result.codebook.language


def default_title(result: ReportResult) -> str:
    return t(language(result), "report.title")


def share_cell(row: pd.Series, lang: str = "en") -> str:
    if not row["n"]:
        return "–"
    return f"{percent(row['share'], lang)} ({number(row['ci_low'] * 100, lang)}–{percent(row['ci_high'], lang)})"


def change_cell(row: pd.Series, lang: str = "en") -> str:
    if pd.isna(row["change"]):
        return ""
    def pp(value: float) -> str:
        # One decimal near zero, so "−0" never hides which side of zero a bound lies.
        decimals = 1 if abs(value) < 0.01 else 0
        text = signed(value * 100, lang, decimals)
        return "0" if text.lstrip("+−") in ("0", "0.0", "0,0") else text

    return t(lang, "report.change", change=pp(row["change"]), low=pp(row["change_low"]), high=pp(row["change_high"]))


def n_cell(n: int, small: bool, lang: str = "en") -> str:
    return f"{number(n, lang)}*" if small else number(n, lang)


def group_rows(result: ReportResult, group: str) -> tuple[list[str], list[list[object]], str]:
    """Headers, rows and column alignment for one group's table."""
    lang = language(result)
    table = result.table[result.table["group"] == group]
    several = len(result.waves) > 1
    col = lambda key: t(lang, f"report.col.{key}")  # noqa: E731
    headers = [col("theme")] + ([col("wave"), col("n")] if several else [])
    headers += [col("respondents"), col("share"), col("confident"), col("review"), col("answers")]
    headers += [col("change")] if several else []
    rows = []
    for theme in result.codebook.themes:
        for k, (_, row) in enumerate(table[table["theme"] == theme.slug].iterrows()):
            cells: list[object] = [theme.name if k == 0 else ""]
            if several:
                cells += [row["wave"], n_cell(row["n"], row["small_n"], lang)]
            cells += [number(row["respondents"], lang), share_cell(row, lang), number(row["respondents_confident"], lang)]
            cells += [number(row["respondents_review"], lang), number(row["answers"], lang)]
            if several:
                cells.append(change_cell(row, lang))
            rows.append(cells)
    align = "l" + ("lr" if several else "") + "rrrrr" + ("r" if several else "")
    return headers, rows, align


def group_heading(result: ReportResult, group: str) -> str:
    lang = language(result)
    table = result.table[(result.table["group"] == group) & (result.table["theme"] == result.codebook.slugs[0])]
    ns = ", ".join(
        (f"{w} " if len(result.waves) > 1 else "") + "n=" + n_cell(n, small, lang)
        for w, n, small in zip(table["wave"], table["n"], table["small_n"])
    )
    return f"{t(lang, 'report.all') if group == ALL else group} ({ns})"


def report_groups(result: ReportResult) -> list[str]:
    return list(dict.fromkeys(result.table["group"]))


def scope_text(result: ReportResult, short: bool = False) -> str:
    if result.questions == result.all_questions and len(result.questions) > 1:
        listed = "" if short else f" ({', '.join(result.questions)})"
        return t(language(result), "report.scope_all", count=len(result.questions)) + listed
    return ", ".join(result.questions)


def notes(result: ReportResult) -> list[str]:
    """How to read the tables, one sentence group each."""
    lang = language(result)
    found = [t(lang, "report.note.share"), t(lang, "report.note.small", min_n=result.min_n)]
    if len(result.waves) > 1:
        found.insert(1, t(lang, "report.note.change"))
    return found


def privacy_note(result: ReportResult) -> str:
    """What was done to the quotes: masked categories and how many answers were passed over."""
    if not result.quote_count:
        return ""
    lang = language(result)
    if not result.masked:
        return t(lang, "report.privacy.unmasked")
    note = t(lang, "report.privacy.masked")
    if result.quotes_dropped:
        note += t(lang, "report.privacy.dropped", count=result.quotes_dropped)
    return note


def totals_rows(result: ReportResult) -> tuple[list[str], list[list[object]], str]:
    lang = language(result)
    headers = [t(lang, f"report.col.{key}") for key in ("wave", "answered", "answers", "flagged", "no_theme")]
    rows = [
        [r.wave, *(number(v, lang) for v in (r.respondents, r.answers, r.answers_review, r.answers_no_theme))]
        for r in result.totals.itertuples()
    ]
    return headers, rows, "lrrrr"


def report_markdown(result: ReportResult, title: str | None = None) -> str:
    lang = language(result)
    lines = [f"# {title or default_title(result)}", "", t(lang, "report.questions", scope=scope_text(result)) + ".", ""]
    lines += [markdown_table(*totals_rows(result)), ""]
    lines += [" ".join(notes(result)), ""]
    for group in report_groups(result):
        if group != ALL and group == report_groups(result)[1]:
            lines += [f"## {t(lang, 'report.by', by=result.by)}", ""]
        level = "##" if group == ALL else "###"
        lines += [f"{level} {group_heading(result, group)}", "", markdown_table(*group_rows(result, group)), ""]
    if not result.quotes.empty or result.quotes_dropped:
        lines += [f"## {t(lang, 'report.quotes', wave=result.waves[-1])}", "", privacy_note(result), ""]
        for theme in result.codebook.themes:
            picked = result.quotes[result.quotes["theme"] == theme.slug]
            if picked.empty:
                continue
            lines += [f"### {theme.name}", ""]
            if len(picked) < result.quote_count:
                lines += [t(lang, "report.few_quotes", count=len(picked)), ""]
            for row in picked.itertuples():
                quote = " ".join(row.quote.split())
                lines += [f"> {quote}", f"> — *{row.question}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def report_text(result: ReportResult, quote_width: int = 96) -> str:
    """The terminal version: the same tables, fixed width, quotes wrapped."""
    lang = language(result)
    lines = [t(lang, "report.questions", scope=scope_text(result)), "", plain_table(*totals_rows(result)), ""]
    for group in report_groups(result):
        if group != ALL and group == report_groups(result)[1]:
            lines += [t(lang, "report.by", by=result.by) + ":", ""]
        lines += [group_heading(result, group), plain_table(*group_rows(result, group)), ""]
    if not result.quotes.empty or result.quotes_dropped:
        lines += [t(lang, "report.quotes", wave=result.waves[-1]) + ":",
                  textwrap.fill(privacy_note(result), quote_width, initial_indent="  ", subsequent_indent="  ")]
        for theme in result.codebook.themes:
            picked = result.quotes[result.quotes["theme"] == theme.slug]
            if picked.empty:
                continue
            lines.append(f"  {theme.name}")
            for row in picked.itertuples():
                quote = f"“{' '.join(row.quote.split())}” ({row.question})"
                lines.append(textwrap.fill(quote, quote_width, initial_indent="    - ", subsequent_indent="      "))
    lines += ["", *(textwrap.fill(n, quote_width) for n in notes(result))]
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
    styles["notes"] = SheetStyle(wrap=("note",))
    return styles


def report_table(result: ReportResult) -> pd.DataFrame:
    """The tidy table for CSV: one row per wave x group x theme, shares rounded to 4 decimals."""
    return result.table.round(4)


def report_sheets(result: ReportResult) -> dict[str, pd.DataFrame]:
    """One sheet per table: overall, one per --by, totals, quotes; then the notes."""
    table = report_table(result)
    sheets = {"themes": table[table["group"] == ALL]}
    if result.by:
        sheets[f"by {result.by}"] = table[table["group"] != ALL]
    sheets["totals"] = result.totals
    sheets["quotes"] = result.quotes
    lines = notes(result) + ([privacy_note(result)] if privacy_note(result) else [])
    sheets["notes"] = pd.DataFrame({"note": lines})
    return sheets
