"""Cells a spreadsheet would run as formulas: neutralised on the way out, restored on the way in.

Excel and LibreOffice take a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return for a formula (CSV injection). Every pgtext writer passes its
table through here:

- CSV: such a text cell gets one apostrophe in front (OWASP's advice), and
  ``tables.read_table`` takes exactly that apostrophe off again, so writing and
  reading give back the original text. A cell that already starts with apostrophes
  before one of those characters gets one more, which keeps the round trip exact.
- XLSX: such a cell is stored as a string with Excel's quote-prefix style, so it shows
  exactly as typed and is never evaluated, not even after someone edits it.

Plain numbers ("-3", "+31") and a lone "-" (a common non-answer) are left alone: Excel
reads them as a number or as text, never as a formula.
"""

from __future__ import annotations

import re

import pandas as pd

from pgtext.errors import OutputError

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
#: Excel's limit on the characters in one cell.
XLSX_CELL_LIMIT = 32_767

_RISKY = re.compile(r"'*[=+\-@\t\r]")
_PREFIXED = re.compile(r"'+[=+\-@\t\r]")
_HARMLESS = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?|-")
#: Characters XML 1.0 cannot hold; openpyxl refuses them, Excel never shows them.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: What for_xlsx changes: those characters (dropped) and CR line ends (Excel stores LF; a lone CR
#: would otherwise come back as CR from one cell and as LF from another).
_XLSX_FIX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|\r\n?")


def _xlsx_fix(match: re.Match) -> str:
    return "\n" if match.group(0).startswith("\r") else ""


def neutralise(value: str) -> str:
    """The CSV form of one text cell: an apostrophe in front when Excel would run it."""
    if _RISKY.match(value) and not _HARMLESS.fullmatch(value):
        return PREFIX + value
    return value


def restore(value: str) -> str:
    """Undo ``neutralise``: the text as it was before pgtext wrote it."""
    return value[1:] if _PREFIXED.match(value) else value


def for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with risky text cells (and column names) neutralised; the original is not changed."""
    return _map_text(frame, _risky_mask, lambda s: PREFIX + s, neutralise)


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo ``for_csv`` on a frame read from CSV (cells and column names)."""
    return _map_text(frame, lambda s: _str(s).match(_PREFIXED), lambda s: s.str[1:], restore)


def for_xlsx(frame: pd.DataFrame, where: str = "") -> pd.DataFrame:
    """Text cells ready for openpyxl: characters XML cannot hold dropped, Excel's cell limit checked.

    Refuses (``OutputError``) a cell longer than Excel can show rather than cut it.
    """
    for position, column in enumerate(frame.columns):
        series = frame.iloc[:, position]
        if not _is_text(series) or series.empty:
            continue
        lengths = _str(series).len().fillna(0)
        if lengths.max() > XLSX_CELL_LIMIT:
            row = int(lengths.to_numpy().argmax()) + 2
            raise OutputError(
                f"{where + ': ' if where else ''}column {str(column)!r}, row {row} holds {int(lengths.max()):,} characters, "
                f"more than an Excel cell can ({XLSX_CELL_LIMIT:,}); write a .csv output instead, which keeps it whole."
            )
    return _map_text(frame, lambda s: _str(s).contains(_XLSX_FIX), lambda s: s.str.replace(_XLSX_FIX, _xlsx_fix, regex=True), xlsx_text)


def xlsx_text(value: object) -> object:
    """One cell for openpyxl: text without the characters XML cannot hold, CR line ends as LF; other values as they are."""
    return _XLSX_FIX.sub(_xlsx_fix, value) if isinstance(value, str) else value


def protect_workbook(book) -> None:
    """Mark every text cell that starts like a formula as plain text (openpyxl workbook, before saving)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(TRIGGERS):
                    cell.data_type = "s"  # openpyxl made "=..." a formula
                    cell.quotePrefix = True  # and Excel keeps it text when someone edits it


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or isinstance(series.dtype, pd.StringDtype)


def _str(series: pd.Series):
    """The ``.str`` accessor; a text column that holds no text at all (only blanks) gets an empty one."""
    try:
        return series.str
    except AttributeError:
        return series.astype(object).where(False, "").str


def _risky_mask(series: pd.Series) -> pd.Series:
    risky = _str(series).match(_RISKY).fillna(False).astype(bool)  # non-text cells give NaN
    harmless = _str(series).fullmatch(_HARMLESS).fillna(False).astype(bool)
    return risky & ~harmless


def _map_text(frame: pd.DataFrame, select, change, one) -> pd.DataFrame:
    """Apply ``change`` to the text cells ``select`` picks and ``one`` to column names; copy only if needed."""
    out = frame
    for position, column in enumerate(frame.columns):
        series = frame.iloc[:, position]
        if not _is_text(series) or series.empty:
            continue
        mask = select(series).fillna(False).astype(bool)  # non-text cells give NaN
        if not mask.any():
            continue
        if out is frame:
            out = frame.copy()
        changed = series.copy()
        changed[mask] = change(series[mask])
        out.isetitem(position, changed)
    names = [one(c) if isinstance(c, str) else c for c in frame.columns]
    if names != list(frame.columns):
        out = out.copy() if out is frame else out
        out.columns = names
    return out


#: What Excel refuses in a sheet title: these characters, more than 31 characters, an apostrophe at
#: either end, an empty title, "History" (reserved), and two titles the same ignoring case.
_NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_TITLE_LIMIT = 31


def sheet_titles(names: list[str]) -> list[str]:
    """Sheet titles Excel accepts for ``names``, in order, each as close to its name as allowed.

    The one place titles are made, so a ``--by`` column like "regio/gemeente [2026]?" or a long
    name never stops a workbook being written.
    """
    titles: list[str] = []
    taken: set[str] = set()
    for name in names:
        base = _NOT_IN_TITLE.sub("_", str(name)).strip().strip("'").strip() or "sheet"
        if base.casefold() == "history":
            base = "history_"
        title, number = base[:SHEET_TITLE_LIMIT], 1
        while title.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            title = base[: SHEET_TITLE_LIMIT - len(suffix)] + suffix
        taken.add(title.casefold())
        titles.append(title)
    return titles
