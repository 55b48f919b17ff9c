"""How pgtext's XLSX tables look: one helper for labelled outputs, report workbooks and every other table.

A table opened in Excel is usable at once: a bold, frozen header with a filter, columns as
wide as their content (capped), long text wrapped, numbers shown as percentages or two
decimals, yes/no columns as real booleans and what a column holds in a header comment. Only
the look changes: numbers stay numbers, so pgtext (and any other tool) reads them back exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pgtext.files.safe_cells import protect_workbook

MIN_WIDTH = 6
MAX_WIDTH = 50  # wider columns are cut off on screen; their text wraps instead
WRAP_WIDTH = 60  # a wrapped text column
WRAP_FROM = 60  # a text column whose cells run longer than this is wrapped even when not named
SAMPLE_ROWS = 2000  # widths are fitted on the first rows: enough to see the content, fast on big files
PERCENT = "0%"
SIGNED_PERCENT = "+0%;-0%;0%"
DECIMALS = "0.00"
_TRUE, _FALSE = "true", "false"
CODEBOOK_SHEET = "codebook"
#: Sheets pgtext adds after the data sheet; reading the first sheet of such a file needs no note.
COMPANION_SHEETS = frozenset({CODEBOOK_SHEET})


@dataclass(frozen=True)
class SheetStyle:
    """What a sheet's columns hold, so they can be shown well; columns not in the frame are ignored."""

    percent: tuple[str, ...] = ()  # shares 0-1 shown as 23%
    signed_percent: tuple[str, ...] = ()  # differences 0-1 shown as +10% / -4%
    decimals: tuple[str, ...] = ()  # scores 0-1 shown as 0.06
    wrap: tuple[str, ...] = ()  # answers: wrapped, wide
    booleans: tuple[str, ...] = ()  # "true"/"false" text written as Excel TRUE/FALSE
    comments: Mapping[str, str] = field(default_factory=dict)  # header comment per column


def with_booleans(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """``columns`` holding "true"/"false" (any case) as real booleans; blanks and other text stay as they are."""
    present = [c for c in columns if c in frame.columns]
    if not present:
        return frame
    out = frame.copy()
    for column in present:
        key = out[column].astype(str).str.strip().str.casefold()
        out[column] = out[column].astype(object).where(~key.isin([_TRUE, _FALSE]), key == _TRUE)
    return out


def write_workbook(path: Path, sheets: Mapping[str, pd.DataFrame], styles: Mapping[str, SheetStyle] | None = None) -> None:
    """Write ``sheets`` (already made safe by ``safe_cells.for_xlsx``) to ``path``, one styled sheet each."""
    styles = styles or {}
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            style = styles.get(name, SheetStyle())
            frame = with_booleans(frame, style.booleans)
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            style_sheet(writer.sheets[name[:31]], frame, style)
        protect_workbook(writer.book)


def style_sheet(ws, frame: pd.DataFrame, style: SheetStyle) -> None:
    """Header, filter, widths, wrapping, number formats and comments on a sheet ``frame`` was written to."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = ws.max_row
    for k, column in enumerate(frame.columns, start=1):
        name = str(column)
        letter = get_column_letter(k)
        head = ws.cell(row=1, column=k)
        head.font = Font(bold=True)
        head.alignment = Alignment(vertical="top")
        if name in style.comments:
            head.comment = Comment(style.comments[name], "pgtext", 160, 360)
        longest = _longest(frame.iloc[:SAMPLE_ROWS, k - 1])
        wrap = name in style.wrap or longest > WRAP_FROM
        number_format = (
            PERCENT if name in style.percent else SIGNED_PERCENT if name in style.signed_percent
            else DECIMALS if name in style.decimals else None
        )
        if wrap or number_format:
            alignment = Alignment(wrap_text=True, vertical="top") if wrap else None
            for row in range(2, rows + 1):
                cell = ws.cell(row=row, column=k)
                if alignment is not None:
                    cell.alignment = alignment
                if number_format:
                    cell.number_format = number_format
        content = min(longest, WRAP_WIDTH if wrap else MAX_WIDTH)
        if number_format:
            content = max(content, 5)
        ws.column_dimensions[letter].width = max(MIN_WIDTH, len(name) + 3, content + 2)  # +3: the filter button
    ws.freeze_panes = "A2"
    if rows >= 1 and len(frame.columns):
        ws.auto_filter.ref = ws.dimensions


def _longest(values: pd.Series) -> int:
    """The longest line of the shown values (a wrapped cell's width is its longest line)."""
    longest = 0
    for value in values:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            continue
        text = f"{value:.2f}" if isinstance(value, float) else str(value)
        longest = max(longest, max((len(line) for line in text.split("\n")), default=0))
    return longest
