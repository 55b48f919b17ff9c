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
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pgtext.errors import InputError, OutputError
from pgtext.files import quirks as export_quirks
from pgtext.files import safe_cells
from pgtext.files.outputs import atomic_write, check_output_path, umask  # noqa: F401 - their home is files.outputs

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
SPSS_SUFFIXES = {".sav", ".zsav"}
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
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_MAX_LINES_NAMED = 10
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
    with path.open("rb") as handle:
        head = handle.read(4096)
    if suffix in SPSS_SUFFIXES or head.startswith((b"$FL2", b"$FL3")):
        return read_spss(path)
    kind = spreadsheet_kind(path, head)
    if kind in _NOT_READ:
        raise InputError(f"{path}: {_NOT_READ[kind]}")
    if suffix == ".ods":
        raise InputError(f"{path}: {_NOT_READ['ods']}")
    if suffix in XLSX_SUFFIXES:
        if head.strip() and not head.startswith(b"PK") and _looks_like_text(head):
            raise InputError(f"{path}: is a text (CSV) file with an Excel name; rename it to .csv and give that.")
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        raise InputError(f"{path}: {_NOT_READ['xls']}")
    return _read_csv(path, encoding, delimiter)


def read_spss(path: Path) -> Table:
    """SPSS files: the one place that says they are not read yet (until an SPSS reader lands here)."""
    raise InputError(f"{path}: SPSS .sav files are not read yet; export to .xlsx or .csv.")


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
    text, encoding, notes = _decode(path, data, encoding)
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


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str, list[str]]:
    """(text, encoding, notes): the given encoding, else UTF-8, else cp1252; mixed files line by line."""
    if encoding:
        if encoding.lower().replace("_", "-") in ("utf-16", "utf16") and not data.startswith((b"\xff\xfe", b"\xfe\xff")) \
                and b"\x00" not in data[:4096]:
            raise InputError(f"{path}: not UTF-16 text (no byte order mark, no NUL bytes); leave out --encoding to detect it.")
        try:
            return data.decode(encoding), encoding, []
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}; use e.g. --encoding utf-8 or --encoding cp1252.") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: not valid {encoding} (byte {exc.start}); {_other_encoding(data, encoding)}"
            ) from None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig", []
    except UnicodeDecodeError:
        pass
    if has_utf8_sequences(data):
        mixed = _decode_lines(data)
        if mixed is not None:
            return mixed
    try:
        return data.decode("cp1252"), "cp1252", []
    except UnicodeDecodeError:
        pass
    raise InputError(
        f"{path}: cannot tell the text encoding (not UTF-8, not cp1252); name it with --encoding, e.g. --encoding latin-1."
    )


def _looks_like_text(head: bytes) -> bool:
    """The first bytes of a file are text: no control characters other than tab and line ends, in any 8-bit reading."""
    return not any(char in _CONTROL for char in head.decode("cp1252", errors="replace"))


def _other_encoding(data: bytes, tried: str) -> str:
    """What to try after an explicit --encoding failed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it starts like UTF-16 text: try --encoding utf-16."
    return "leave out --encoding to detect it, or try --encoding cp1252." if "utf" in tried.lower() else (
        "leave out --encoding to detect it, or try --encoding utf-8."
    )


def has_utf8_sequences(data: bytes) -> bool:
    """True when ``data`` holds UTF-8 encoded accents or emoji (so reading it all as cp1252 would garble them)."""
    return _UTF8_SEQUENCE.search(data) is not None


def _decode_lines(data: bytes) -> tuple[str, str, list[str]] | None:
    """A UTF-8 file with some lines in cp1252 (answers pasted from another file): each line as it was written.

    The UTF-8 lines stay exactly as they are; only the others are read as cp1252, and the note
    names them. None when a line is neither.
    """
    parts: list[str] = []
    bad: list[int] = []
    for number, line in enumerate(data.splitlines(keepends=True), 1):
        try:
            parts.append(line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError:
            try:
                parts.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                return None
            bad.append(number)
    named = ", ".join(map(str, bad[:_MAX_LINES_NAMED]))
    if len(bad) > _MAX_LINES_NAMED:
        named += f" and {len(bad) - _MAX_LINES_NAMED} more"
    elif len(bad) > 1:
        named = named.rpartition(", ")[0] + " and " + str(bad[-1])
    note = (
        f"line{'s' if len(bad) > 1 else ''} {named} of the file {'are' if len(bad) > 1 else 'is'} not UTF-8 like the "
        "rest; read as cp1252 (Windows). Check the accents in those answers."
    )
    return "".join(parts), "utf-8", [note]


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
                raise InputError(f"{path}: no sheet named {sheet!r}; {_sheet_names(names)}")
            chosen = sheet if sheet is not None else names[0]
            raw = pd.read_excel(book, sheet_name=chosen, header=None, dtype=object)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises zipfile/KeyError/etc. for damaged files
        raise InputError(f"{path}: cannot read as .xlsx ({type(exc).__name__}: {exc}); is it a real Excel file?") from None
    notes = []
    if sheet is None and len(names) > 1:
        listed = ", ".join(repr(n) for n in names)
        notes.append(f"read sheet {chosen!r}, the first of {len(names)} ({listed}); choose another with --sheet.")
    if raw.empty:
        others = f" {_sheet_names(names)}" if len(names) > 1 else ""
        raise InputError(f"{path}: sheet {chosen!r} is empty.{others}")
    unset = raw.isna().to_numpy()  # before the cells become text: a formula's stored "" is a value
    raw = raw.map(_cell_to_str).astype(object)
    filled = [position for position in range(len(raw)) if any(str(v).strip() for v in raw.iloc[position])]
    top = filled[0] if filled else 0  # blank rows above the column names are skipped, as in a CSV
    frame = raw.iloc[top + 1 :]
    frame.index = pd.Index(raw.index[top + 1 :] - 1, dtype="int64")  # spreadsheet row - 2 (raw row 0 = row 1)
    header = raw.iloc[top].tolist()
    frame, notes = _tidy(frame, header, notes)
    notes += _formula_notes(path, chosen, unset, top, list(frame.columns))
    return Table(frame=frame, path=path, kind="xlsx", notes=notes)


def _formula_notes(path: Path, sheet: str, unset, top: int, names: list[str]) -> list[str]:
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
    raise OutputError(f"{path}: output must end in .csv, .tsv or .xlsx.")


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    delimiter: str = ",",
    sheet_name: str = "pgtext",
    replace: bool = False,
    check: Callable[[], None] | None = None,
) -> None:
    """Write CSV (UTF-8 with BOM, so Excel shows accents) or XLSX by extension, atomically.

    Formula-like text cells are neutralised (``pgtext.files.safe_cells``); ``read_table`` gives them back as they were.
    An existing file is replaced only with ``replace``; ``check`` runs right before (see ``outputs.atomic_write``).
    """
    path = Path(path)
    kind = output_kind(path)
    delimiter = output_delimiter(path, delimiter)

    ready = safe_cells.for_csv(frame) if kind == "csv" else safe_cells.for_xlsx(frame, str(path))

    def write(tmp: Path) -> None:
        if kind == "csv":
            ready.to_csv(tmp, index=False, sep=delimiter, encoding="utf-8-sig", lineterminator="\r\n")
        else:
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                ready.to_excel(writer, index=False, sheet_name=safe_cells.sheet_titles([sheet_name])[0])
                safe_cells.protect_workbook(writer.book)

    atomic_write(path, write, replace=replace, check=check)


def output_delimiter(path: str | Path, delimiter: str) -> str:
    """A .tsv output is tab-separated whatever the input was; other CSV outputs keep ``delimiter``."""
    return "\t" if Path(path).suffix.lower() == ".tsv" else delimiter
