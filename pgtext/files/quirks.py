"""What survey tools put in an export besides the answers, and how pgtext reads past it.

- Qualtrics puts two rows under the column names: the question texts and a row of
  ``{"ImportId":"QID12_TEXT"}`` cells. They are skipped (and said so), and the row
  numbers pgtext reports stay those of the spreadsheet.
- Excel's "CSV with separator line" starts with ``sep=;``.
- Two columns with the same name (LimeSurvey, hand-merged files) both stay, the later
  one renamed visibly: "toelichting", "toelichting (2)".
- A column without a name is called "Unnamed: <position>", as pandas does.

Functions take and return plain lists and frames; notes are sentences for the user.
"""

from __future__ import annotations

import re

import pandas as pd

from pgtext.files.columns import invisible_note

_IMPORT_ID = re.compile(r'\s*\{\s*"ImportId"\s*:')
_SEP_LINE = re.compile(r"sep=(.)\r?\n?$", re.IGNORECASE)
#: Extra header rows sit right under the column names; never look further down.
_MAX_EXTRA_ROWS = 2


def split_sep_line(text: str) -> tuple[str, str | None]:
    """(text without Excel's ``sep=X`` first line, X) or (text, None) when there is none."""
    first, newline, rest = text.partition("\n")
    found = _SEP_LINE.match(first + newline) if first[:4].lower() == "sep=" else None
    return (rest, found.group(1)) if found else (text, None)


def column_names(header: list[object]) -> tuple[list[str], list[str]]:
    """Names for the header cells: trimmed, blanks named by position, repeats made unique; plus notes."""
    names = [str(cell).strip() if cell is not None else "" for cell in header]
    names = [name or f"Unnamed: {k}" for k, name in enumerate(names)]
    taken = set(names)
    seen: dict[str, int] = {}
    renamed: list[str] = []
    out: list[str] = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 1:
            out.append(name)
            continue
        number = seen[name]
        while f"{name} ({number})" in taken:
            number += 1
        unique = f"{name} ({number})"
        taken.add(unique)
        out.append(unique)
        renamed.append(f"{unique!r}")
    notes = []
    if renamed:
        notes.append(
            f"columns with the same name kept apart as {', '.join(renamed)} "
            "(use that name with --text-col or --id-col; the output uses it too)."
        )
    return out, notes + invisible_note(out)


def extra_header_rows(frame: pd.DataFrame) -> int:
    """How many rows under the column names are header (Qualtrics question texts and import ids), 0 if none."""
    for position in range(min(_MAX_EXTRA_ROWS, len(frame))):
        cells = [str(v) for v in frame.iloc[position].tolist() if str(v).strip()]
        if cells and all(_IMPORT_ID.match(c) for c in cells):  # Qualtrics fills every cell of that row
            return position + 1
    return 0


def drop_extra_header_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The frame without Qualtrics' extra header rows, its index still counting from the first data row."""
    skip = extra_header_rows(frame)
    if not skip:
        return frame, []
    what = "import ids" if skip == 1 else "question texts and import ids"
    note = f"skipped {skip} Qualtrics header row{'s' if skip > 1 else ''} under the column names ({what}); they are not answers."
    # Row numbers in messages and long output are index + 2; the readers index rows that way already.
    return frame.iloc[skip:], [note]


def needs_whole_read(head: str, delimiter: str) -> bool:
    """True when the start of a CSV text has something only ``tables.read_table`` handles.

    For readers that go through a file in chunks: a ``sep=`` line, a header with
    repeated or blank-but-not-empty names, Qualtrics rows, or data rows wider than the header.
    """
    import csv
    import io

    if split_sep_line(head)[1] is not None:
        return True
    try:
        rows = []
        for row in csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, strict=True):
            rows.append(row)
            if len(rows) > _MAX_EXTRA_ROWS + 1:
                break
    except csv.Error:
        return True  # the whole read gives the canonical message
    if not rows:
        return True
    header = [c.strip() for c in rows[0]]
    if len(set(header)) < len(header) or any(c != raw and not c for c, raw in zip(header, rows[0])):
        return True
    if any(c.startswith("'") for c in header):
        return True  # a neutralised column name; read_table restores it before naming columns
    if any(len(row) > len(header) for row in rows[1:]):
        return True
    return extra_header_rows(pd.DataFrame([r + [""] * (len(header) - len(r)) for r in rows[1:]])) > 0
