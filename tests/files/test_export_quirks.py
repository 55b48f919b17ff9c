"""pgtext.files.quirks, and the same handling whether a file is labelled in one piece or in chunks."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_csv

from pgtext.files.quirks import (
    column_names,
    extra_header_rows,
    needs_whole_read,
    split_sep_line,
)
from pgtext.files.tables import read_table
from pgtext.label.prediction import resolve_column
from pgtext.label.streaming import label_file
from pgtext.model.store import load_model
from tests.fakes import FakeEmbedder

IMPORT_IDS = ['{"ImportId":"startDate","timeZone":"Europe/Amsterdam"}', '{"ImportId":"QID2_TEXT"}']


def test_column_names_trim_name_blanks_and_keep_repeats_apart():
    names, notes = column_names([" id ", "toelichting", "", "toelichting", "toelichting (2)", None, "toelichting"])
    assert names == ["id", "toelichting", "Unnamed: 2", "toelichting (3)", "toelichting (2)", "Unnamed: 5", "toelichting (4)"]
    assert notes == ["columns with the same name kept apart as 'toelichting (3)', 'toelichting (4)' "
                     "(use that name with --text-col or --id-col; the output uses it too)."]
    assert column_names(["a", "b"]) == (["a", "b"], [])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["Start Date", "Wat kan beter?"], IMPORT_IDS, ["2026-03-01", "Meer bussen"]], 2),
        ([IMPORT_IDS, ["2026-03-01", "Meer bussen"]], 1),
        ([["2026-03-01", "Meer bussen"], ["2026-03-02", IMPORT_IDS[1]]], 0),  # one such answer is not a header row
        ([["a", "b"], ["c", "d"], IMPORT_IDS], 0),  # only right under the column names
        ([], 0),
    ],
)
def test_extra_header_rows(rows, expected):
    assert extra_header_rows(pd.DataFrame(rows)) == expected


def test_split_sep_line():
    assert split_sep_line("sep=;\r\na;b\r\n") == ("a;b\r\n", ";")
    assert split_sep_line("SEP=,\na,b\n") == ("a,b\n", ",")
    assert split_sep_line("sepals;b\n") == ("sepals;b\n", None)


@pytest.mark.parametrize(
    ("head", "whole"),
    [
        ("id;vraag1\r\nR1;Meer bussen\r\n", False),
        ("sep=;\r\nid;vraag1\r\n", True),
        ("id;vraag1;vraag1\r\nR1;a;b\r\n", True),
        ("id;vraag1\r\nR1;a;\r\n", True),
        ("id;vraag1\r\n" + ";".join(IMPORT_IDS) + "\r\nR1;a\r\n", True),
        ("id;'=kop\r\nR1;a\r\n", True),
    ],
)
def test_needs_whole_read(head, whole):
    assert needs_whole_read(head, ";") is whole


def test_qualtrics_rows_keep_spreadsheet_row_numbers(tmp_path):
    path = write_csv(tmp_path / "q.csv", ["id", "Q2_TEXT"], [["ID", "Wat kan beter?"], IMPORT_IDS, ["R1", "Meer bussen"]])
    table = read_table(path)
    assert table.frame.to_dict("records") == [{"id": "R1", "Q2_TEXT": "Meer bussen"}]
    assert table.frame.index.tolist() == [2]  # + 2 = spreadsheet row 4
    assert table.notes == ["skipped 2 Qualtrics header rows under the column names (question texts and import ids); they are not answers."]


def test_column_lookup_forgives_case_spacing_and_line_breaks():
    columns = ["respondent_id", "Q7\nWat kan beter?", "Q5 - Toelichting"]
    assert resolve_column(columns, "q5 - toelichting", "x.csv", "--text-col") == "Q5 - Toelichting"
    assert resolve_column(columns, "Q7 Wat kan  beter?", "x.csv", "--text-col") == "Q7\nWat kan beter?"


@pytest.mark.parametrize("shape", ["formulas", "qualtrics", "duplicates", "sep_line"])
def test_one_piece_and_chunks_write_the_same_bytes(tmp_path, model_dir, shape):
    answers = ["=1+1", "Meer bussen", "@iedereen", "-", "'=al", "+31 6 1234"] * 5
    header, extra = ["respondent_id", "vraag1"], []
    if shape == "qualtrics":
        extra = [["Respondent", "Wat kan beter?"], IMPORT_IDS]
    if shape == "duplicates":
        header = ["respondent_id", "vraag1", "vraag1"]
    rows = [[f"R{i}", a, *(["x"] if shape == "duplicates" else [])] for i, a in enumerate(answers)]
    source = write_csv(tmp_path / "export.csv", header, extra + rows, ";")
    if shape == "sep_line":
        source.write_bytes(b"sep=;\r\n" + source.read_bytes())
    model = load_model(model_dir)
    whole = label_file(source, tmp_path / "whole.csv", model, FakeEmbedder(), ["vraag1"])
    chunked = label_file(source, tmp_path / "chunks.csv", model, FakeEmbedder(), ["vraag1"], chunk_rows=7, stream_min_bytes=1)
    assert (tmp_path / "whole.csv").read_bytes() == (tmp_path / "chunks.csv").read_bytes()
    assert whole.rows_read == chunked.rows_read == len(answers)
    # "'=al" came from a tool that already neutralised it: pgtext reads "=al" and writes "'=al" again
    assert read_table(tmp_path / "whole.csv").frame["vraag1"].tolist() == [a.lstrip("'") for a in answers]
