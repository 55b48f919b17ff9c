"""Excel cells as pgtext reads them: every value as the text a person sees, and formulas without a stored value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd


def formula_notes(path: Path, sheet: str, unset, top: int, names: list[str]) -> list[str]:
    """Say which cells hold a formula without a stored value: they read as blank, and are not.

    Files written by scripts (openpyxl and the like) store formulas without computing them;
    only Excel or LibreOffice store the value when they save the file.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            if not any(b"<f" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")):
                return []  # no formulas anywhere: the common case costs one look at the XML
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=False)
        try:
            found: dict[int, list[int]] = {}
            for row in book[sheet].iter_rows(min_row=top + 2):
                for cell in row:
                    if getattr(cell, "data_type", None) != "f":
                        continue
                    r, c = cell.row - 1, cell.column - 1
                    if r < len(unset) and c < unset.shape[1] and unset[r, c]:
                        found.setdefault(c, []).append(cell.row)
        finally:
            book.close()
    except Exception:  # the values were read; this is only a note about them
        return []
    notes = []
    for column, rows in sorted(found.items()):
        shown = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
        cells = "cell" if len(rows) == 1 else "cells"
        notes.append(
            f"{len(rows)} {cells} in column {names[column]!r} {'is a formula' if len(rows) == 1 else 'are formulas'} "
            f"without a stored value (row{'s' if len(rows) > 1 else ''} {shown}); {'they read' if len(rows) > 1 else 'it reads'} as blank. "
            "Open and save the file in Excel first, so the values are stored."
        )
    return notes


def sheet_names(names: list[str]) -> str:
    return "sheets in this file: " + ", ".join(repr(n) for n in names) + "; choose one with --sheet."


def cell_to_str(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    return str(value)
