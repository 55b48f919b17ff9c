"""A ``ReportResult`` as a Word document (python-docx), ready to paste into a regioscan report.

Title, the totals, the counts table per theme (one per group and with every wave), the
chart, quotes per theme and a method paragraph with the model's cross-validated quality
from its card. Only Word's built-in styles are used (Title, Heading 1/2, Table Grid, Quote,
Caption), so a house template restyles the whole document.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from pgtext.files.outputs import atomic_write
from pgtext.i18n import number, percent, t
from pgtext.reporting.counts import ReportResult
from pgtext.reporting.render import (
    default_title,
    group_heading,
    group_rows,
    language,
    notes,
    report_groups,
    scope_text,
    totals_rows,
)

if TYPE_CHECKING:
    from docx.document import Document

TABLE_STYLE = "Table Grid"
CHART_WIDTH_CM = 16.0


def method_paragraphs(result: ReportResult, card: dict | None = None) -> list[str]:
    """The method text: how it was counted, what 'confident' means, and the model's measured quality."""
    lang = language(result)
    first = result.totals.iloc[0] if len(result.totals) else None
    ns = ", ".join(t(lang, "report.wave_n", wave=r.wave, n=number(r.respondents, lang)) for r in result.totals.itertuples())
    if len(result.totals) == 1 and first is not None:
        ns = "n = " + number(first.respondents, lang)
    version = (card or {}).get("pgtext_version", "")
    found = [
        t(lang, "report.method.coding", version=version, themes=len(result.codebook.themes), scope=scope_text(result), ns=ns),
        t(lang, "report.method.confident"),
    ]
    cv = (card or {}).get("cv") or {}
    if cv.get("macro_f1") is not None:
        review = cv.get("review") or {}
        found.append(t(
            lang, "report.method.quality", folds=cv.get("folds", ""), labelled=number(cv.get("n", 0), lang),
            macro_f1=number(cv["macro_f1"], lang, 2), precision=number(cv["micro"]["precision"], lang, 2),
            recall=number(cv["micro"]["recall"], lang, 2), accepted=percent(review.get("accepted_share", float("nan")), lang),
            accurate=percent(review.get("accepted_exact_accuracy", float("nan")), lang),
        ))
    else:
        found.append(t(lang, "report.method.no_card"))
    return found


def report_document(
    result: ReportResult, title: str | None = None, chart_png: bytes | None = None, card: dict | None = None
) -> Document:
    """The report as a python-docx ``Document``."""
    from docx import Document
    from docx.shared import Cm

    lang = language(result)
    doc = Document()
    doc.add_heading(title or default_title(result), level=0)
    doc.add_paragraph(t(lang, "report.questions", scope=scope_text(result)) + ".")
    _table(doc, *totals_rows(result))
    doc.add_paragraph(" ".join(notes(result)))
    doc.add_heading(t(lang, "report.counts"), level=1)
    for group in report_groups(result):
        doc.add_heading(group_heading(result, group), level=2)
        _table(doc, *group_rows(result, group))
    if chart_png:
        doc.add_picture(io.BytesIO(chart_png), width=Cm(CHART_WIDTH_CM))
        doc.add_paragraph(t(lang, "report.chart_caption"), style="Caption")
    if not result.quotes.empty:
        doc.add_heading(t(lang, "report.quotes", wave=result.waves[-1]), level=1)
        for theme in result.codebook.themes:
            picked = result.quotes[result.quotes["theme"] == theme.slug]
            if picked.empty:
                continue
            doc.add_heading(theme.name, level=2)
            if len(picked) < result.quote_count:
                doc.add_paragraph(t(lang, "report.few_quotes", count=len(picked)))
            for row in picked.itertuples():
                quote = doc.add_paragraph(" ".join(row.quote.split()), style="Quote")
                quote.add_run(f" — {row.question}").italic = True
    doc.add_heading(t(lang, "report.method"), level=1)
    for text in method_paragraphs(result, card):
        doc.add_paragraph(text)
    return doc


def _table(doc: Document, headers: list[str], rows: list[list[object]], align: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = TABLE_STYLE
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value, side in zip(cells, values, align):
            cell.text = "" if value is None else str(value)
            if side == "r":
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def write_report_docx(
    path: str | Path, result: ReportResult, title: str | None = None, chart_png: bytes | None = None,
    card: dict | None = None, replace: bool = False,
) -> Path:
    """Write the Word report atomically; an existing file only with ``replace``."""
    path = Path(path)
    doc = report_document(result, title=title, chart_png=chart_png, card=card)
    atomic_write(path, lambda tmp: doc.save(str(tmp)), replace=replace)
    return path
