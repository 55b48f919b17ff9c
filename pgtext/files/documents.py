"""Report documents: Markdown and plain-text tables, writing by extension.

``pgtext report`` and ``pgtext discover`` write Markdown (for the report text), CSV (one
tidy table) or XLSX (a sheet per table). Writes go through ``outputs.atomic_write`` so an
interrupted run never leaves half a file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pgtext.files.outputs import atomic_write
from pgtext.files.safe_cells import for_csv, for_xlsx, sheet_titles
from pgtext.files.workbook import SheetStyle, write_workbook

MARKDOWN_SUFFIXES = {".md", ".markdown"}
DOCUMENT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".xlsx": "xlsx"}
#: ``pgtext report`` also writes Word (``pgtext.reporting.word``).
REPORT_SUFFIXES = {**DOCUMENT_SUFFIXES, ".docx": "docx"}


def write_text(path: Path, text: str, replace: bool = False) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), replace=replace)


def write_csv(path: Path, frame: pd.DataFrame, replace: bool = False) -> None:
    """UTF-8 with BOM so Excel shows accents, like every other pgtext CSV; formula-like cells neutralised."""
    ready = for_csv(frame)
    atomic_write(
        path, lambda tmp: ready.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n"), replace=replace
    )


def write_sheets(
    path: Path, sheets: dict[str, pd.DataFrame], styles: dict[str, SheetStyle] | None = None, replace: bool = False
) -> None:
    """One working XLSX sheet per table (``pgtext.files.workbook``), styled by ``styles[name]``, titled as
    Excel allows (``safe_cells.sheet_titles``); formula-like cells kept text."""
    titles = sheet_titles(list(sheets))
    ready = {title: for_xlsx(frame, str(path)) for title, frame in zip(titles, sheets.values())}
    looks = {title: (styles or {}).get(name) for title, name in zip(titles, sheets) if (styles or {}).get(name)}
    atomic_write(path, lambda tmp: write_workbook(tmp, ready, looks), replace=replace)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).replace("\r\n", " ").replace("\n", " ")


def markdown_table(headers: list[str], rows: list[list[object]], align: str | None = None) -> str:
    """A GitHub-style Markdown table; ``align`` has one 'l' or 'r' per column."""
    align = align or "l" * len(headers)
    escape = lambda s: _cell(s).replace("|", "\\|")  # noqa: E731 - a pipe would end the cell
    lines = ["| " + " | ".join(escape(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
    lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def plain_table(headers: list[str], rows: list[list[object]], align: str | None = None, max_width: int = 60) -> str:
    """A fixed-width table for the terminal; long cells are cut with '…'."""
    align = align or "l" * len(headers)
    cells = [[_cell(c) for c in row] for row in [headers, *rows]]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    out = []
    for number, row in enumerate(cells):
        parts = [c.rjust(w) if a == "r" else c.ljust(w) for c, w, a in zip(row, widths, align)]
        out.append("  ".join(parts).rstrip())
        if number == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)

