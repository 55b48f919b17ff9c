"""Reading survey exports and writing result tables (CSV and XLSX).

Every cell is read as text, so an answer like "1" or "06-12345678" comes back
exactly as it was typed, and every row and column keeps its place. What survey
tools add around the answers is handled in ``pgtext.files.quirks``; every writer
neutralises formula-like cells through ``pgtext.files.safe_cells``, and the reader undoes
exactly that, so pgtext's own files read back as they were.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pgtext.errors import InputError, OutputError
from pgtext.files import quirks as export_quirks
from pgtext.files import safe_cells
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
    b"$FL2": "an SPSS .sav file",
    b"$FL3": "an SPSS .sav file",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
}
_BINARY = "looks like a binary file, not a CSV export (if it is UTF-16 text, add --encoding utf-16)."
_CONTROL = frozenset(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127))

# Answers may be longer than the csv module's default field limit (128 KiB).
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


@dataclass
class Table:
    """A table read from disk, with how it was read (so outputs can match it)."""

    frame: pd.DataFrame
    path: Path
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)  # what was done to read it, for the user


def read_table(
    path: str | Path,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Table:
    """Read a CSV or XLSX file into a DataFrame of strings (blank cells are "")."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found.")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a .csv or .xlsx file.")
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        raise InputError(f"{path}: old .xls files are not supported; save it as .xlsx or .csv in Excel.")
    return _read_csv(path, encoding, delimiter)


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
    text, encoding = _decode(path, data, encoding)
    if guessed and _mostly_control(text[:4096]):
        raise InputError(f"{path}: {_BINARY}")  # binary data that happens to decode as text
    notes: list[str] = []
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        notes.append(f"removed {nuls} NUL character{'s' if nuls > 1 else ''} (an invisible byte some tools leave in answers).")
    text, sep_line = export_quirks.split_sep_line(text)
    delimiter = _resolve_delimiter(path, text, delimiter or sep_line)
    header, rows = _parse_csv(path, text, delimiter)
    frame = safe_cells.restore_frame(pd.DataFrame(rows, columns=header, dtype=str))
    frame, notes = _tidy(frame, list(frame.columns), notes)
    return Table(frame=frame, path=path, kind="csv", encoding=encoding, delimiter=delimiter, notes=notes)


def _mostly_control(sample: str) -> bool:
    """A quarter or more control characters (not tab or line ends) in a sample of some size: not typed text."""
    return len(sample) >= 256 and sum(char in _CONTROL for char in sample) * 4 >= len(sample)


def _parse_csv(path: Path, text: str, delimiter: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows; short rows padded with "", empty trailing fields beyond the header dropped.

    Blank lines are skipped (as Excel's and pandas' readers do); a row with more
    non-empty fields than the header is an error, never a silent shift of columns.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    try:
        for row in reader:
            if not row:
                continue
            if header is None:
                header = row
                width = len(header)
                continue
            if len(row) > width:
                if any(cell.strip() for cell in row[width:]):
                    raise csv.Error(f"Expected {width} fields in line {reader.line_num}, saw {len(row)}")
                row = row[:width]
            elif len(row) < width:
                row = row + [""] * (width - len(row))
            rows.append(row)
    except csv.Error as exc:
        raise InputError(
            f"{path}: cannot parse as CSV with delimiter {delimiter!r} ({exc}); "
            "try --delimiter ';' or --delimiter ',' or --delimiter tab."
        ) from None
    if header is None:
        raise InputError(f"{path}: the file is empty.")
    return header, rows


def _tidy(frame: pd.DataFrame, header: list[object], notes: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Column names made usable and unique, survey tools' extra header rows dropped; notes say what changed."""
    names, renamed = export_quirks.column_names(header)
    frame.columns = names
    frame, skipped = export_quirks.drop_extra_header_rows(frame)
    return frame, [*notes, *renamed, *skipped]


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}; use e.g. --encoding utf-8 or --encoding cp1252.") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: not valid {encoding} (byte {exc.start}); try --encoding utf-8 or --encoding cp1252."
            ) from None
    for candidate in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"{path}: cannot tell the text encoding (not UTF-8, not cp1252); name it with --encoding, e.g. --encoding latin-1."
    )


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
    header = next(iter(text.splitlines()), "")
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
                raise InputError(f"{path}: no sheet named {sheet!r}; {_sheet_names(names)}")
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
        others = f" {_sheet_names(names)}" if len(names) > 1 else ""
        raise InputError(f"{path}: sheet {chosen!r} is empty.{others}")
    raw = raw.map(_cell_to_str).astype(object)
    frame = raw.iloc[1:].reset_index(drop=True)
    frame, notes = _tidy(frame, raw.iloc[0].tolist(), notes)
    return Table(frame=frame, path=path, kind="xlsx", notes=notes)


def _sheet_names(names: list[str]) -> str:
    return "sheets in this file: " + ", ".join(repr(n) for n in names) + "; choose one with --sheet."


def _cell_to_str(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    return str(value)


def output_kind(path: str | Path) -> str:
    """'csv' or 'xlsx' from the file extension; anything else is refused."""
    suffix = Path(path).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    raise OutputError(f"{path}: output must end in .csv or .xlsx.")


def check_output_path(output: str | Path, inputs: list[Path], force: bool) -> Path:
    """Refuse to write over an input, or over an existing file without ``force``."""
    output = Path(output)
    output_kind(output)
    for source in inputs:
        if output.exists() and source.exists() and output.resolve() == source.resolve():
            raise OutputError(f"{output}: is an input file; pgtext never writes over its input. Choose another --output.")
    if output.exists() and not force:
        raise OutputError(f"{output}: already exists; choose another --output or add --force to replace it.")
    return output


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    delimiter: str = ",",
    sheet_name: str = "pgtext",
    style: SheetStyle | None = None,
    extra_sheets: Mapping[str, tuple[pd.DataFrame, SheetStyle]] | None = None,
) -> None:
    """Write CSV (UTF-8 with BOM, so Excel shows accents) or XLSX by extension, atomically.

    CSV stays plain data: ``delimiter`` between fields, a decimal point in numbers, "true"/"false".
    XLSX gets a working sheet (``pgtext.files.workbook``: frozen header, filter, fitted widths,
    ``style``'s formats) and ``extra_sheets`` after it (e.g. the codebook).
    Formula-like text cells are neutralised (``pgtext.files.safe_cells``); ``read_table`` gives them back as they were.
    """
    path = Path(path)
    kind = output_kind(path)

    if kind == "csv":
        ready = safe_cells.for_csv(frame)
        atomic_write(path, lambda tmp: ready.to_csv(tmp, index=False, sep=delimiter, encoding="utf-8-sig", lineterminator="\r\n"))
        return
    sheets = {sheet_name[:31]: safe_cells.for_xlsx(frame, str(path))}
    styles = {sheet_name[:31]: style or SheetStyle()}
    for name, (extra, extra_style) in (extra_sheets or {}).items():
        sheets[name[:31]], styles[name[:31]] = safe_cells.for_xlsx(extra, str(path)), extra_style
    atomic_write(path, lambda tmp: write_workbook(tmp, sheets, styles))


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it into place.

    A failure or Ctrl-C leaves no half-written file: either the old file or the new one.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot create folder ({exc.strerror}).") from None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    os.chmod(tmp_name, 0o666 & ~umask())  # mkstemp makes 0600; outputs get the usual permissions
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc}).") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
