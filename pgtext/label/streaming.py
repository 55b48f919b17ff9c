"""Labelling a whole file: in one piece, or in chunks when a big CSV goes to a CSV, so memory stays flat.

Both ways write the same bytes. Chunks come from ``tables.read_csv_chunks``: the parser
``tables.read_table`` uses, only in pieces, so every row comes out once with the same
cells and row numbers. They are appended to one temporary file that is published at the
end (``outputs.atomic_write``), so an interrupted run leaves no half-written output. Anything unusual about a
big file (not UTF-8 or cp1252, NUL bytes, XLSX on either side) goes the one-piece way,
which also gives the canonical error messages.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pgtext import config
from pgtext.embed import Embedder, Progress
from pgtext.embed.cache import EmbeddingCache
from pgtext.errors import InputError
from pgtext.files import quirks as export_quirks
from pgtext.files import safe_cells
from pgtext.files.outputs import atomic_write
from pgtext.files.tables import (
    CSV_SUFFIXES,
    _resolve_delimiter,
    csv_columns,
    has_utf8_sequences,
    output_delimiter,
    output_kind,
    read_csv_chunks,
    read_table,
    write_table,
)
from pgtext.label.prediction import (
    LabelSummary,
    label_frame,
    resolve_column,
    resolve_text_columns,
    workbook_layout,
)
from pgtext.model.store import ThemeModel

_BLOCK = 1 << 20
_ODD_STARTS = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class CsvFormat:
    encoding: str
    delimiter: str


def label_file(
    source: str | Path,
    target: str | Path,
    model: ThemeModel,
    embedder: Embedder,
    text_cols: list[str],
    id_col: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    chunk_rows: int | None = None,
    stream_min_bytes: int | None = None,
    replace: bool = False,
    lang: str | None = None,
) -> LabelSummary:
    """Label ``source`` into ``target`` (CSV or XLSX by extension) and return the counts.

    CSV files of ``stream_min_bytes`` or more going to CSV are read, labelled and written
    ``chunk_rows`` rows at a time (defaults in ``config``). An existing ``target`` is
    replaced only with ``replace`` (``--force``), checked when the output is published. A ``.sav``
    target gets SPSS labels in ``lang`` (default: the codebook's language).
    """
    source, target = Path(source), Path(target)
    chunk_rows = chunk_rows or config.CHUNK_ROWS
    stream_min_bytes = config.STREAM_MIN_BYTES if stream_min_bytes is None else stream_min_bytes
    found = streamable(source, target, encoding, delimiter, stream_min_bytes)
    if found is None:
        table = read_table(source, encoding=encoding, delimiter=delimiter, sheet=sheet)
        if table.frame.empty:
            raise InputError(f"{source}: has a header but no rows; nothing to label.")
        try:
            result = label_frame(
                table.frame, model, embedder, text_cols, id_col=id_col, cache=cache, progress=progress, source=str(source)
            )
        except InputError as exc:  # e.g. no such column: how the file was read (which sheet) may be why
            notes = " ".join(note[0].upper() + note[1:] for note in table.notes)
            raise InputError(f"{exc} {notes}".strip()) from None
        if output_kind(target) == "sav":
            from pgtext.label.sav_output import write_labelled_sav

            write_labelled_sav(result.frame, target, table, model.codebook, text_cols, lang or model.codebook.language,
                               replace=replace)
        else:
            layout = workbook_layout(model.codebook, result.answer_column) if output_kind(target) == "xlsx" else {}
            write_table(result.frame, target, delimiter=table.delimiter or ",", replace=replace, **layout)
        result.summary.notes = list(table.notes)
        return result.summary
    return _label_chunks(source, target, found, model, embedder, text_cols, id_col, cache, progress, chunk_rows, replace)


def streamable(
    source: Path, target: Path, encoding: str | None, delimiter: str | None, min_bytes: int
) -> CsvFormat | None:
    """The CSV format when ``source`` should be labelled in chunks, else None (one piece)."""
    if source.suffix.lower() not in CSV_SUFFIXES or output_kind(target) != "csv":
        return None
    if not source.is_file() or source.stat().st_size < max(min_bytes, 1):
        return None
    with source.open("rb") as handle:
        head = handle.read(_BLOCK)
    if not head.strip() or head.startswith(_ODD_STARTS) or head[:4096].count(b"\x00") > 64:
        return None
    found = _scan_encoding(source, encoding)
    if found is None or (found == "cp1252" and encoding is None and _any_utf8(source)):
        return None  # a UTF-8 file with some cp1252 lines: read_table reads it line by line
    text = codecs.getincrementaldecoder(found)().decode(head, final=False)
    found_delimiter = _resolve_delimiter(source, text, delimiter)
    if export_quirks.needs_whole_read(text, found_delimiter):
        return None  # a sep= line, Qualtrics rows, repeated column names: read_table handles those
    return CsvFormat(encoding=found, delimiter=found_delimiter)


def _scan_encoding(path: Path, encoding: str | None) -> str | None:
    """The first encoding (given, else UTF-8 then cp1252) that decodes every byte; None if none or a NUL."""
    for candidate in [encoding] if encoding else ["utf-8-sig", "cp1252"]:
        try:
            decoder = codecs.getincrementaldecoder(candidate)()
        except LookupError:
            return None
        try:
            with path.open("rb") as handle:
                while block := handle.read(_BLOCK):
                    if b"\x00" in block:
                        return None  # read_table drops NUL characters; leave that to it
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return candidate
        except UnicodeDecodeError:
            continue
    return None


def _any_utf8(path: Path) -> bool:
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            if has_utf8_sequences(block):
                return True
    return False


def _label_chunks(
    source: Path,
    target: Path,
    found: CsvFormat,
    model: ThemeModel,
    embedder: Embedder,
    text_cols: list[str],
    id_col: str | None,
    cache: EmbeddingCache | None,
    progress: Progress | None,
    chunk_rows: int,
    replace: bool,
) -> LabelSummary:
    header = csv_columns(source, found.encoding, found.delimiter)
    resolved = resolve_text_columns(pd.DataFrame(columns=header), text_cols, str(source))
    if id_col:
        resolve_column(header, id_col, str(source), "--id-col")
    report = None
    if progress is not None:
        total = _count_answers(source, found, resolved)

        def report(advance: int, _chunk_total: int) -> None:
            progress(advance, total)  # the bar runs over the whole file, not one chunk

    summaries: list[LabelSummary] = []

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            for chunk in read_csv_chunks(source, found.encoding, found.delimiter, chunk_rows):
                result = label_frame(
                    chunk, model, embedder, text_cols, id_col=id_col, cache=cache, progress=report, source=str(source)
                )
                safe_cells.for_csv(result.frame).to_csv(
                    handle, header=not summaries, index=False, sep=output_delimiter(target, found.delimiter),
                    lineterminator="\r\n",
                )
                summaries.append(result.summary)
        if not summaries:  # raised inside, so no output file is left behind
            raise InputError(f"{source}: has a header but no rows; nothing to label.")

    atomic_write(target, write, replace=replace)
    return _merge(summaries)


def _count_answers(source: Path, found: CsvFormat, columns: list[str]) -> int:
    """Non-blank answers in the text columns: a quick first pass so the progress bar knows its end."""
    total = 0
    for chunk in read_csv_chunks(source, found.encoding, found.delimiter, 50_000):
        total += int(chunk[columns].apply(lambda column: column.str.strip().ne("")).to_numpy().sum())
    return total


def _merge(parts: list[LabelSummary]) -> LabelSummary:
    blanks: dict[str, int] = {}
    for part in parts:
        for question, count in part.blanks_per_question.items():
            blanks[question] = blanks.get(question, 0) + count
    return LabelSummary(
        rows_read=sum(p.rows_read for p in parts),
        answers_labelled=sum(p.answers_labelled for p in parts),
        blanks=sum(p.blanks for p in parts),
        needs_review=sum(p.needs_review for p in parts),
        blanks_per_question=blanks,
        replaced_columns=parts[0].replaced_columns,
    )
