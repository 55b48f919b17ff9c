"""Reading survey exports and writing result tables (CSV and XLSX).

Every cell is read as text, so an answer like "1" or "06-12345678" comes back
exactly as it was typed, and every row and column keeps its place. What survey
tools add around the answers is handled in ``pgtext.files.quirks``; every writer
neutralises formula-like cells through ``pgtext.files.safe_cells``, and the reader undoes
exactly that, so pgtext's own files read back as they were.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pgtext.errors import InputError, OutputError
from pgtext.files import quirks as export_quirks
from pgtext.files import safe_cells, spss
from pgtext.files.encodings import (  # noqa: F401
    decode,
    has_utf8_sequences,
    looks_like_text,
    other_encoding,
)
from pgtext.files.excel import cell_to_str, formula_notes, sheet_names
from pgtext.files.outputs import atomic_write, check_output_path, umask  # noqa: F401 - their home is files.outputs
from pgtext.files.workbook import COMPANION_SHEETS, SheetStyle, write_workbook

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
_SIGNATURES = {
    b"PK\x03\x04": "an .xlsx/.zip file",
    b"%PDF": "a PDF file",
    b"\xd0\xcf\x11\xe0": "an old .xls file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"SQLite format 3\x00": "an SQLite database",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Microsoft's compound file: old .xls, or an encrypted .xlsx
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_NOT_READ = {
    "ods": "is an OpenDocument spreadsheet (.ods, from LibreOffice or Google Sheets); save it as .xlsx or .csv.",
    "encrypted": "is password-protected; remove the password in Excel (File > Info > Protect Workbook) and save it again.",
    "xls": "old .xls files are not supported; save it as .xlsx or .csv in Excel.",
    "ole": (
        "is an old Excel .xls file or a password-protected Excel file; save it as .xlsx or .csv in Excel "
        "(removing any password first)."
    ),
}
#: A valid UTF-8 sequence of two or more bytes: text cp1252 would garble (é read as Ã©).
_BINARY = "looks like a binary file, not a CSV export (if it is UTF-16 text, add --encoding utf-16)."
_CONTROL = frozenset(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127))

# Answers may be longer than the csv module's default field limit (128 KiB).
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


@dataclass
class Table:
    """A table read from disk, with how it was read (so outputs can match it)."""

    frame: pd.DataFrame
    path: Path
    kind: str  # "csv", "xlsx" or "sav"
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)  # what was done to read it, for the user
    source: object | None = None  # for "sav": the codes and labels as stored (spss.SavSource)


def read_table(
    path: str | Path,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Read a CSV, XLSX or SPSS (.sav/.zsav) file into a DataFrame of strings (blank cells are "")."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found.")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a .csv or .xlsx file.")
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(4096)
    if suffix in spss.SAV_SUFFIXES or head.startswith((b"$FL2", b"$FL3")):
        frame, source = spss.read_sav(path)
        return Table(frame=frame, path=path, kind="sav", source=source)
    kind = spreadsheet_kind(path, head)
    if kind in _NOT_READ:
        raise InputError(f"{path}: {_NOT_READ[kind]}")
    if suffix == ".ods":
        raise InputError(f"{path}: {_NOT_READ['ods']}")
    if suffix in XLSX_SUFFIXES:
        if head.strip() and not head.startswith(b"PK") and looks_like_text(head):
            raise InputError(f"{path}: is a text (CSV) file with an Excel name; rename it to .csv and give that.")
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        raise InputError(f"{path}: {_NOT_READ['xls']}")
    return _read_csv(path, encoding, delimiter)


def spreadsheet_kind(path: Path, head: bytes) -> str | None:
    """What a spreadsheet pgtext cannot read is, from its first bytes: 'ods', 'encrypted', 'xls', 'ole'; else None.

    An encrypted .xlsx and an old .xls share the compound-file signature (D0 CF 11 E0); the names
    of the streams inside (stored as UTF-16) tell them apart.
    """
    if head.startswith(b"PK\x03\x04") and _ODS_MIMETYPE in head[:200]:
        return "ods"  # an ODF zip starts with its uncompressed mimetype file
    if not head.startswith(_OLE):
        return None
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted"
    if any(name.encode("utf-16-le") + b"\x00\x00" in data for name in ("Workbook", "Book")):
        return "xls"
    return "ole"


def _read_csv(path: Path, encoding: str | None, delimiter: str | None) -> Table:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty.")
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"{path}: this is {what}, not a CSV file; give it the right extension or export it as CSV.")
    if encoding is None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"  # Excel's "Unicode text" export
    if encoding is None and data[:4096].count(b"\x00") > 64:
        raise InputError(f"{path}: {_BINARY}")
    guessed = encoding is None
    text, encoding, notes = decode(path, data, encoding)
    if guessed and _mostly_control(text[:4096]):
        raise InputError(f"{path}: {_BINARY}")  # binary data that happens to decode as text
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        notes.append(f"removed {nuls} NUL character{'s' if nuls > 1 else ''} (an invisible byte some tools leave in answers).")
    text, sep_line = export_quirks.split_sep_line(text)
    delimiter = _resolve_delimiter(path, text, delimiter or sep_line)
    header, rows, numbers = _parse_csv(path, text, delimiter)
    frame = _frame(header, rows, numbers)
    frame, notes = _tidy(frame, list(frame.columns), notes)
    return Table(frame=frame, path=path, kind="csv", encoding=encoding, delimiter=delimiter, notes=notes)


def _mostly_control(sample: str) -> bool:
    """A quarter or more control characters (not tab or line ends) in a sample of some size: not typed text."""
    return len(sample) >= 256 and sum(char in _CONTROL for char in sample) * 4 >= len(sample)


def _parse_csv(path: Path, text: str, delimiter: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, rows and each row's spreadsheet row number (see ``_csv_records``)."""
    records = _csv_records(path, io.StringIO(text, newline=""), delimiter)
    first = next(records, None)
    if first is None:
        raise InputError(f"{path}: the file is empty.")
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, row in records:
        rows.append(row)
        numbers.append(number)
    return first[1], rows, numbers


def _csv_records(path: Path, lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row, cells): the header first, then every data row. The one CSV parser of pgtext.

    Short rows are padded with "", empty trailing fields beyond the header dropped. Blank
    lines are skipped (as Excel's and pandas' readers do) but counted, so row numbers stay
    the rows a spreadsheet shows (a quoted line break stays inside its row). A row with more
    non-empty fields than the header is an error, never a silent shift of columns.
    """
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    width: int | None = None
    try:
        for number, row in enumerate(reader, start=1):
            if not row:
                continue
            if width is None:
                width = len(row)
            elif len(row) > width:
                if any(cell.strip() for cell in row[width:]):
                    raise too_many_fields(path, reader.line_num, len(row), width, delimiter)
                row = row[:width]
            elif len(row) < width:
                row = row + [""] * (width - len(row))
            yield number, row
    except csv.Error as exc:
        raise InputError(
            f"{path}: cannot parse as CSV with delimiter {delimiter!r} ({exc}); "
            "try --delimiter ';' or --delimiter ',' or --delimiter tab."
        ) from None


def _frame(header: list[str], rows: list[list[str]], numbers: list[int]) -> pd.DataFrame:
    """Cells as typed (pgtext's formula apostrophes taken off), indexed by spreadsheet row - 2."""
    frame = safe_cells.restore_frame(pd.DataFrame(rows, columns=header, dtype=str))
    frame.index = pd.Index([n - 2 for n in numbers], dtype="int64")
    return frame


def csv_columns(path: str | Path, encoding: str, delimiter: str) -> list[str]:
    """The column names ``read_csv_chunks`` gives its frames."""
    path = Path(path)
    with open(path, encoding=encoding, newline="") as handle:
        first = next(_csv_records(path, handle, delimiter), None)
    if first is None:
        raise InputError(f"{path}: the file is empty.")
    return export_quirks.column_names(list(_frame(first[1], [], []).columns))[0]


def read_csv_chunks(path: str | Path, encoding: str, delimiter: str, rows: int) -> Iterator[pd.DataFrame]:
    """The data rows of a CSV exactly as ``read_table`` reads them, in frames of at most ``rows`` rows.

    Same parser, same cells, same index (spreadsheet row - 2), only in pieces, so memory stays
    flat. For files without what only a whole read handles: a ``sep=`` line, NUL bytes,
    repeated column names or Qualtrics rows (``quirks.needs_whole_read``).
    """
    path = Path(path)
    with open(path, encoding=encoding, newline="") as handle:
        records = _csv_records(path, handle, delimiter)
        first = next(records, None)
        if first is None:
            raise InputError(f"{path}: the file is empty.")
        header = first[1]
        batch: list[list[str]] = []
        numbers: list[int] = []
        for number, row in records:
            batch.append(row)
            numbers.append(number)
            if len(batch) >= rows:
                yield _named(_frame(header, batch, numbers))
                batch, numbers = [], []
        if batch:
            yield _named(_frame(header, batch, numbers))


def _named(frame: pd.DataFrame) -> pd.DataFrame:
    frame.columns = export_quirks.column_names(list(frame.columns))[0]
    return frame


def too_many_fields(path: Path, line: int, fields: int, width: int, delimiter: str) -> InputError:
    """The real cause of a row wider than the header: an unquoted delimiter inside an answer."""
    shown = "tab" if delimiter == "\t" else repr(delimiter)
    return InputError(
        f"{path}: line {line} has more fields than the header ({fields}, not {width}): a field holds the "
        f"delimiter {shown}; quote it or pick another delimiter with --delimiter."
    )


def _tidy(frame: pd.DataFrame, header: list[object], notes: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Column names made usable and unique, survey tools' extra header rows dropped; notes say what changed."""
    names, renamed = export_quirks.column_names(header)
    frame.columns = names
    frame, skipped = export_quirks.drop_extra_header_rows(frame)
    return frame, [*notes, *renamed, *skipped]


def _resolve_delimiter(path: Path, text: str, delimiter: str | None) -> str:
    if delimiter:
        if delimiter.lower() in DELIMITERS:
            return DELIMITERS[delimiter.lower()]
        if len(delimiter) == 1:
            return delimiter
        raise InputError(f"delimiter {delimiter!r} not understood; use ',', ';' or tab.")
    if path.suffix.lower() == ".tsv":
        return "\t"
    # The header row is the surest signal: exports name their columns without quotes or
    # punctuation, while answers below may hold any number of commas and semicolons.
    header = next((line for line in text.splitlines() if line.strip()), "")  # blank lines above it are skipped
    counts = {d: _count_outside_quotes(header, d) for d in (";", ",", "\t")}
    ranked = sorted(counts, key=counts.get, reverse=True)
    if counts[ranked[0]] and counts[ranked[0]] > counts[ranked[1]]:
        return ranked[0]
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters=",;\t").delimiter
    except csv.Error:
        return ranked[0] if counts[ranked[0]] else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = [str(n) for n in book.sheet_names]
            if sheet is not None and sheet not in names:
                raise InputError(f"{path}: no sheet named {sheet!r}; {sheet_names(names)}")
            chosen = sheet if sheet is not None else names[0]
            raw = pd.read_excel(book, sheet_name=chosen, header=None, dtype=object)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises zipfile/KeyError/etc. for damaged files
        raise InputError(f"{path}: cannot read as .xlsx ({type(exc).__name__}: {exc}); is it a real Excel file?") from None
    notes = []
    if sheet is None and len(names) > 1 and not set(names[1:]) <= COMPANION_SHEETS:
        listed = ", ".join(repr(n) for n in names)
        notes.append(f"read sheet {chosen!r}, the first of {len(names)} ({listed}); choose another with --sheet.")
    if raw.empty:
        others = f" {sheet_names(names)}" if len(names) > 1 else ""
        raise InputError(f"{path}: sheet {chosen!r} is empty.{others}")
    unset = raw.isna().to_numpy()  # before the cells become text: a formula's stored "" is a value
    raw = raw.map(cell_to_str).astype(object)
    filled = [position for position in range(len(raw)) if any(str(v).strip() for v in raw.iloc[position])]
    top = filled[0] if filled else 0  # blank rows above the column names are skipped, as in a CSV
    frame = raw.iloc[top + 1 :]
    frame.index = pd.Index(raw.index[top + 1 :] - 1, dtype="int64")  # spreadsheet row - 2 (raw row 0 = row 1)
    header = raw.iloc[top].tolist()
    frame, notes = _tidy(frame, header, notes)
    notes += formula_notes(path, chosen, unset, top, list(frame.columns))
    return Table(frame=frame, path=path, kind="xlsx", notes=notes)


def output_kind(path: str | Path) -> str:
    """'csv' or 'xlsx' from the file extension; anything else is refused."""
    suffix = Path(path).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    if suffix in spss.SAV_SUFFIXES:
        return "sav"
    raise OutputError(f"{path}: output must end in .csv, .tsv, .xlsx or .sav.")


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    delimiter: str = ",",
    sheet_name: str = "pgtext",
    replace: bool = False,
    check: Callable[[], None] | None = None,
    style: SheetStyle | None = None,
    extra_sheets: Mapping[str, tuple[pd.DataFrame, SheetStyle]] | None = None,
) -> None:
    """Write CSV (UTF-8 with BOM, so Excel shows accents) or XLSX by extension, atomically.

    CSV stays plain data: ``delimiter`` between fields, a decimal point in numbers, "true"/"false".
    XLSX gets a working sheet (``pgtext.files.workbook``: frozen header, filter, fitted widths,
    ``style``'s formats) and ``extra_sheets`` after it (e.g. the codebook).
    Formula-like text cells are neutralised (``pgtext.files.safe_cells``); ``read_table`` gives them back as they were.
    An existing file is replaced only with ``replace``; ``check`` runs right before (see ``outputs.atomic_write``).
    """
    path = Path(path)
    kind = output_kind(path)
    if kind == "sav":
        spss.write_sav(frame, path, new={}, replace=replace)
        return
    delimiter = output_delimiter(path, delimiter)

    if kind == "csv":
        ready = safe_cells.for_csv(frame)
        atomic_write(
            path, lambda tmp: ready.to_csv(tmp, index=False, sep=delimiter, encoding="utf-8-sig", lineterminator="\r\n"),
            replace=replace, check=check,
        )
        return
    extras = dict(extra_sheets or {})
    titles = safe_cells.sheet_titles([sheet_name, *extras])
    frames = [frame, *(extra for extra, _ in extras.values())]
    looks = [style or SheetStyle(), *(look for _, look in extras.values())]
    sheets = {title: safe_cells.for_xlsx(f, str(path)) for title, f in zip(titles, frames)}
    styles = dict(zip(titles, looks))
    atomic_write(path, lambda tmp: write_workbook(tmp, sheets, styles), replace=replace, check=check)


def output_delimiter(path: str | Path, delimiter: str) -> str:
    """A .tsv output is tab-separated whatever the input was; other CSV outputs keep ``delimiter``."""
    return "\t" if Path(path).suffix.lower() == ".tsv" else delimiter
