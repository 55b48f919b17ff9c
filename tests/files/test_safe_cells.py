"""pgtext.files.safe_cells and the round trip through tables: formula-like cells never run, and never change."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from pgtext.errors import OutputError
from pgtext.files.safe_cells import (
    XLSX_CELL_LIMIT,
    for_csv,
    neutralise,
    restore,
    restore_frame,
)
from pgtext.files.tables import read_table, write_table

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?|-")


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=HYPERLINK(\"http://x.invalid\")", "'=HYPERLINK(\"http://x.invalid\")"),
        ("+SUM(1;2)", "'+SUM(1;2)"),
        ("-2+3", "'-2+3"),
        ("@SOM(A1)", "'@SOM(A1)"),
        ("\tMeer bussen", "'\tMeer bussen"),
        ("\rx", "'\rx"),
        ("'=al beschermd", "''=al beschermd"),  # one more apostrophe keeps the round trip exact
        ("-", "-"),  # a lone dash: a common non-answer, never a formula
        ("-3", "-3"),
        ("+31", "+31"),
        ("-1,5", "-1,5"),
        ("Meer bussen", "Meer bussen"),
        ("'gewoon", "'gewoon"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_and_restore(typed, written):
    assert neutralise(typed) == written
    assert restore(written) == typed


def test_for_csv_changes_only_risky_text_cells_and_names_and_leaves_the_input_alone():
    frame = pd.DataFrame({"=kolom": ["=1+1", "gewoon", None], "score": [-0.5, 0.2, float("nan")], "n": [1, 2, 3]})
    out = for_csv(frame)
    assert list(out.columns) == ["'=kolom", "score", "n"]
    assert out["'=kolom"].tolist()[:2] == ["'=1+1", "gewoon"]
    assert out["score"].tolist()[:2] == [-0.5, 0.2]
    assert list(frame.columns) == ["=kolom", "score", "n"] and frame.iloc[0, 0] == "=1+1"
    back = restore_frame(out)
    assert list(back.columns) == ["=kolom", "score", "n"] and back.iloc[0, 0] == "=1+1"


def test_for_csv_returns_the_same_frame_when_nothing_is_risky():
    frame = pd.DataFrame({"a": ["x", "y"], "b": [1.0, 2.0]})
    assert for_csv(frame) is frame


def test_csv_output_is_neutralised_on_disk_and_reads_back_as_typed(tmp_path):
    frame = pd.DataFrame({"id": ["1", "2", "3"], "tekst": ["=1+1", "@x", "-"]})
    path = tmp_path / "uit.csv"
    write_table(frame, path, delimiter=";")
    assert path.read_bytes().decode("utf-8-sig") == "id;tekst\r\n1;'=1+1\r\n2;'@x\r\n3;-\r\n"
    assert read_table(path).frame.to_dict("records") == frame.to_dict("records")


def test_xlsx_output_stores_formula_like_text_as_quoted_text(tmp_path):
    frame = pd.DataFrame({"=kop": ["=1+1", "+x", "gewoon"]})
    path = tmp_path / "uit.xlsx"
    write_table(frame, path)
    sheet = load_workbook(path).active
    cells = [sheet.cell(row=r, column=1) for r in range(1, 5)]
    assert [c.value for c in cells] == ["=kop", "=1+1", "+x", "gewoon"]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s"]
    assert [bool(c.quotePrefix) for c in cells] == [True, True, True, False]
    assert read_table(path).frame.to_dict("records") == [{"=kop": "=1+1"}, {"=kop": "+x"}, {"=kop": "gewoon"}]


def test_xlsx_drops_characters_xml_cannot_hold_and_refuses_overlong_cells(tmp_path):
    path = tmp_path / "uit.xlsx"
    write_table(pd.DataFrame({"t": ["a\x01b\x0bc"]}), path)
    assert read_table(path).frame.loc[0, "t"] == "abc"
    too_long = tmp_path / "lang.xlsx"
    with pytest.raises(OutputError) as err:
        write_table(pd.DataFrame({"t": ["kort", "x" * (XLSX_CELL_LIMIT + 1)]}), too_long)
    assert str(err.value) == (
        f"{too_long}: column 't', row 3 holds 32,768 characters, more than an Excel cell can (32,767); "
        "write a .csv output instead, which keeps it whole."
    )
    assert not too_long.exists()


def test_csv_keeps_control_characters(tmp_path):
    frame = pd.DataFrame({"id": ["1"], "t": ["a\x01b\x0bc\x1f"]})
    path = tmp_path / "uit.csv"
    write_table(frame, path)
    assert read_table(path).frame.to_dict("records") == frame.to_dict("records")


# --- Property tests: whatever people type survives writing and reading ---

def _typed_char(char: str) -> bool:
    """Unicode without NUL and surrogates; C0 controls other than tab and line ends are not typed."""
    return unicodedata.category(char) != "Cc" or char in "\t\n\r"


_text = st.text(st.characters(exclude_categories=("Cs",)).filter(_typed_char), max_size=30)
_risky = st.builds(lambda quotes, trigger, rest: "'" * quotes + trigger + rest,
                   st.integers(0, 2), st.sampled_from(TRIGGERS), _text)
_cell = st.one_of(_text, _risky, st.sampled_from(['"', '""', "a\r\nb", ";", ",", "\t", " ", "1", "0", "06123", "-", "'"]))
_rows = st.lists(st.tuples(_cell, _cell), min_size=1, max_size=5)


def _frame(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame([[f"R{i}", a, b] for i, (a, b) in enumerate(rows)], columns=["respondent_id", "vraag1", "vraag2"])


@settings(max_examples=60, deadline=None)
@given(rows=_rows, delimiter=st.sampled_from([",", ";", "\t"]))
def test_csv_write_read_round_trip(rows, delimiter):
    frame = _frame(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rondje.csv"
        write_table(frame, path, delimiter=delimiter)
        raw = path.read_bytes().decode("utf-8-sig")
        for record in csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter):
            assert not any(cell.startswith(tuple(TRIGGERS)) and not PLAIN_NUMBER.fullmatch(cell) for cell in record)
        table = read_table(path)
    assert table.delimiter == delimiter
    assert table.frame.to_dict("records") == frame.to_dict("records")


@settings(max_examples=60, deadline=None)
@given(rows=_rows, delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig"]))
def test_csv_from_another_tool_reads_exactly(rows, delimiter, encoding):
    """A file any csv writer made reads back cell for cell (apostrophe-before-formula aside, which pgtext undoes)."""
    frame = _frame(rows).map(lambda v: v.lstrip("'") if restore(v) != v else v)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.to_numpy().tolist())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        back = read_table(path).frame
    assert back.to_dict("records") == frame.to_dict("records")


@settings(max_examples=40, deadline=None)
@given(rows=_rows)
def test_xlsx_write_read_round_trip(rows):
    """XLSX keeps every cell as typed; Excel stores line ends as LF, so a CR becomes LF there."""
    frame = _frame(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rondje.xlsx"
        write_table(frame, path)
        sheet = load_workbook(path).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        back = read_table(path).frame
    expected = frame.map(lambda v: v.replace("\r\n", "\n").replace("\r", "\n"))
    assert back.to_dict("records") == expected.to_dict("records")
