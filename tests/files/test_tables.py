"""pgtext.files.tables: reading exports in every shape Excel and survey tools produce, and writing safely."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import EXPORT_COLUMNS, EXPORT_ROWS, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgtext.errors import InputError, OutputError
from pgtext.files.tables import (
    atomic_write,
    check_output_path,
    output_kind,
    read_table,
    write_table,
)

EXPECTED = pd.DataFrame([list(r) for r in EXPORT_ROWS], columns=EXPORT_COLUMNS)


@pytest.mark.parametrize(
    ("name", "kind", "encoding", "delimiter"),
    [
        ("comma", "csv", "utf-8-sig", ","),
        ("semicolon_bom", "csv", "utf-8-sig", ";"),
        ("cp1252", "csv", "cp1252", ";"),
        ("xlsx", "xlsx", None, None),
    ],
)
def test_the_same_export_reads_identically_in_all_four_shapes(exports, name, kind, encoding, delimiter):
    table = read_table(exports[name])
    assert (table.kind, table.encoding, table.delimiter) == (kind, encoding, delimiter)
    # No BOM glued to the first header, accents intact, blanks are "", whitespace kept as typed.
    pd.testing.assert_frame_equal(table.frame.reset_index(drop=True), EXPECTED, check_dtype=False)
    assert table.frame.loc[1, "vraag2"] == "De bus rijdt maar één keer per uur."
    assert table.frame.loc[11, "vraag1"] == "   "


@pytest.mark.parametrize("suffix", [".tsv", ".txt"])
def test_tab_separated_is_detected(tmp_path, suffix):
    path = write_csv(tmp_path / f"export{suffix}", EXPORT_COLUMNS, [list(r) for r in EXPORT_ROWS], "\t")
    table = read_table(path)
    assert table.delimiter == "\t"
    assert list(table.frame.columns) == EXPORT_COLUMNS
    assert len(table.frame) == 12


@pytest.mark.parametrize(("flag", "expected"), [("tab", "\t"), ("\\t", "\t"), ("semicolon", ";"), (";", ";"), ("|", "|")])
def test_explicit_delimiter_names(tmp_path, flag, expected):
    sep = expected
    path = tmp_path / "x.csv"
    path.write_text(f"id{sep}text\n1{sep}Meer bankjes, graag\n", encoding="utf-8")
    table = read_table(path, delimiter=flag)
    assert table.delimiter == expected
    assert table.frame.to_dict("records") == [{"id": "1", "text": "Meer bankjes, graag"}]


def test_unknown_delimiter_name_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,text\n1,a\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(path, delimiter="pipe")
    assert str(err.value) == "delimiter 'pipe' not understood; use ',', ';' or tab."


def test_numbers_and_codes_stay_exactly_as_typed(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id;postcode;antwoord\n007;7511 AB;1\n010;;06-12345678\n", encoding="utf-8")
    records = read_table(path).frame.to_dict("records")
    assert records == [
        {"id": "007", "postcode": "7511 AB", "antwoord": "1"},
        {"id": "010", "postcode": "", "antwoord": "06-12345678"},
    ]


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n"])
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "leeg.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_table(path)
    assert str(err.value) == f"{path}: the file is empty."


def test_header_only_gives_columns_and_no_rows(tmp_path):
    path = tmp_path / "kop.csv"
    path.write_text("respondent_id;gemeente;vraag1\r\n", encoding="utf-8-sig")
    table = read_table(path)
    assert list(table.frame.columns) == ["respondent_id", "gemeente", "vraag1"]
    assert table.frame.empty


def test_xlsx_renamed_to_csv_is_refused(tmp_path, exports):
    path = tmp_path / "export.csv"
    path.write_bytes(exports["xlsx"].read_bytes())
    with pytest.raises(InputError) as err:
        read_table(path)
    assert str(err.value) == (
        f"{path}: this is an .xlsx/.zip file, not a CSV file; give it the right extension or export it as CSV."
    )


def test_zip_renamed_to_csv_is_refused(tmp_path):
    path = tmp_path / "antwoorden.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("antwoorden.csv", "id,text\n1,hallo\n")
    with pytest.raises(InputError, match=r"this is an \.xlsx/\.zip file, not a CSV file"):
        read_table(path)


def test_pdf_and_binary_files_are_refused(tmp_path):
    pdf = tmp_path / "rapport.csv"
    pdf.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(InputError, match="this is a PDF file, not a CSV file"):
        read_table(pdf)
    blob = tmp_path / "blob.csv"
    blob.write_bytes(b"\x07\x00\x00\x00" * 1024)  # e.g. an SPSS .sav or a database dump
    with pytest.raises(InputError) as err:
        read_table(blob)
    assert str(err.value) == f"{blob}: looks like a binary file, not a CSV export (if it is UTF-16 text, add --encoding utf-16)."


def test_unknown_encoding_names_the_flag(exports):
    with pytest.raises(InputError) as err:
        read_table(exports["comma"], encoding="klingon")
    assert str(err.value) == "unknown encoding 'klingon'; use e.g. --encoding utf-8 or --encoding cp1252."


def test_wrong_explicit_encoding_names_the_byte_and_the_fix(exports):
    path = exports["cp1252"]
    first_accent = path.read_bytes().index("é".encode("cp1252"))
    with pytest.raises(InputError) as err:
        read_table(path, encoding="utf-8")
    assert str(err.value) == (
        f"{path}: not valid utf-8 (byte {first_accent}); leave out --encoding to detect it, or try --encoding cp1252."
    )
    utf16 = path.with_name("unicode.txt")
    utf16.write_bytes("a\tb\r\n1\t2\r\n".encode("utf-16"))
    with pytest.raises(InputError, match="not valid utf-8 .*; it starts like UTF-16 text: try --encoding utf-16."):
        read_table(utf16, encoding="utf-8")
    with pytest.raises(InputError, match="not UTF-16 text .*; leave out --encoding to detect it."):
        read_table(path, encoding="utf-16")


def test_explicit_encoding_is_used(exports):
    table = read_table(exports["cp1252"], encoding="cp1252")
    assert table.encoding == "cp1252"
    assert table.frame.loc[5, "vraag1"].startswith("Ideeën")


def test_neither_utf8_nor_cp1252_asks_for_an_encoding(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"id,text\n1,\x81\x8d\n")  # 0x81 is undefined in cp1252 and invalid UTF-8
    with pytest.raises(InputError) as err:
        read_table(path)
    assert str(err.value) == (
        f"{path}: cannot tell the text encoding (not UTF-8, not cp1252); name it with --encoding, e.g. --encoding latin-1."
    )
    assert read_table(path, encoding="latin-1").frame.loc[0, "text"] == "\x81\x8d"


def test_ragged_row_names_the_delimiter_inside_a_field(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(path)
    assert str(err.value) == (
        f"{path}: line 3 has more fields than the header (3, not 2): a field holds the delimiter ','; "
        "quote it or pick another delimiter with --delimiter."
    )


def test_short_row_gives_blank_strings_not_nan(tmp_path):
    path = tmp_path / "handmatig.csv"
    path.write_text("respondent_id,gemeente,vraag1,vraag2\nR01,Enschede,Meer bussen\nR02,Hengelo,a,b\n", encoding="utf-8")
    frame = read_table(path).frame
    assert frame.loc[0, "vraag2"] == ""


def test_utf16_export_reads_with_explicit_encoding(tmp_path):
    rows = [[f"R{i:02d}", "Meer bankjes in het park, en een café"] for i in range(20)]
    path = tmp_path / "export.txt"
    lines = "respondent_id\tvraag1\r\n" + "".join(f"{a}\t{b}\r\n" for a, b in rows)
    path.write_bytes(lines.encode("utf-16"))
    table = read_table(path, encoding="utf-16")
    assert table.frame["vraag1"].tolist() == [r[1] for r in rows]


def test_missing_file_folder_and_old_xls(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "nergens.csv")
    with pytest.raises(InputError) as err:
        read_table(tmp_path)
    assert str(err.value) == f"{tmp_path}: is a folder; give a .csv or .xlsx file."
    old = tmp_path / "oud.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0rest")
    with pytest.raises(InputError) as err:
        read_table(old)
    assert str(err.value) == f"{old}: old .xls files are not supported; save it as .xlsx or .csv in Excel."


def test_xlsx_cells_come_back_as_text(tmp_path):
    path = tmp_path / "cellen.xlsx"
    pd.DataFrame(
        {
            "id": ["007", "008"],
            "aantal": [12, 3],
            "cijfer": [7.5, 8.0],
            "datum": [dt.datetime(2026, 10, 12), dt.datetime(2026, 10, 12, 9, 30)],
            "akkoord": [True, False],
            "opmerking": [None, "één ding"],
        }
    ).to_excel(path, index=False)
    assert read_table(path).frame.to_dict("records") == [
        {"id": "007", "aantal": "12", "cijfer": "7.5", "datum": "2026-10-12", "akkoord": "TRUE", "opmerking": ""},
        {"id": "008", "aantal": "3", "cijfer": "8", "datum": "2026-10-12 09:30:00", "akkoord": "FALSE", "opmerking": "één ding"},
    ]


def test_xlsx_sheet_choice_and_missing_sheet(tmp_path):
    path = tmp_path / "twee.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"a": ["voorblad"]}).to_excel(writer, sheet_name="Info", index=False)
        pd.DataFrame({"text": ["Meer bussen"]}).to_excel(writer, sheet_name="Resultaten", index=False)
    assert read_table(path).frame.columns.tolist() == ["a"]
    assert read_table(path, sheet="Resultaten").frame.to_dict("records") == [{"text": "Meer bussen"}]
    with pytest.raises(InputError) as err:
        read_table(path, sheet="Blad1")
    assert str(err.value) == f"{path}: no sheet named 'Blad1'; sheets in this file: 'Info', 'Resultaten'; choose one with --sheet."


def test_damaged_xlsx_is_an_input_error(tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04 dit is geen excel meer")
    with pytest.raises(InputError, match=r"cannot read as \.xlsx"):
        read_table(path)
    path.write_bytes(b"dit is geen excel, maar tekst")  # a CSV someone renamed
    with pytest.raises(InputError, match=r"is a text \(CSV\) file with an Excel name; rename it to \.csv"):
        read_table(path)


@pytest.mark.parametrize(("name", "kind"), [("a.csv", "csv"), ("a.TXT", "csv"), ("a.tsv", "csv"), ("a.xlsx", "xlsx"), ("a.XLSM", "xlsx")])
def test_output_kind(name, kind):
    assert output_kind(name) == kind


def test_output_kind_refuses_other_extensions():
    with pytest.raises(OutputError) as err:
        output_kind("uit.json")
    assert str(err.value) == "uit.json: output must end in .csv, .tsv, .xlsx or .sav."


def test_check_output_path(tmp_path, exports):
    source = exports["comma"]
    with pytest.raises(OutputError) as err:
        check_output_path(source, [source], force=True)  # never over the input, not even with force
    assert str(err.value) == f"{source}: is an input file; pgtext never writes over its input. Choose another --output."
    existing = tmp_path / "uit.csv"
    existing.write_text("oud", encoding="utf-8")
    with pytest.raises(OutputError) as err:
        check_output_path(existing, [source], force=False)
    assert str(err.value) == f"{existing}: already exists; choose another --output or add --force to replace it."
    assert check_output_path(existing, [source], force=True) == existing
    assert check_output_path(tmp_path / "nieuw.xlsx", [source], force=False) == tmp_path / "nieuw.xlsx"


def test_write_table_csv_has_bom_crlf_and_the_delimiter(tmp_path):
    frame = pd.DataFrame({"id": ["007"], "text": ["één; twee, drie"], "score": [float("nan")]})
    path = tmp_path / "sub" / "uit.csv"
    write_table(frame, path, delimiter=";")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig") == 'id;text;score\r\n007;"één; twee, drie";\r\n'
    assert sorted(p.name for p in path.parent.iterdir()) == ["uit.csv"]


def test_write_table_xlsx_round_trips(tmp_path):
    frame = pd.DataFrame({"id": ["007", "008"], "text": ["één", ""]})
    path = tmp_path / "uit.xlsx"
    write_table(frame, path)
    assert read_table(path).frame.to_dict("records") == [{"id": "007", "text": "één"}, {"id": "008", "text": ""}]


def _temp_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_atomic_write_failure_keeps_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "uit.csv"
    target.write_text("oude inhoud", encoding="utf-8")

    def fail(tmp: Path) -> None:
        tmp.write_text("half geschre", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError) as err:
        atomic_write(target, fail)
    assert str(err.value) == f"{target}: cannot write (No space left on device)."
    assert target.read_text(encoding="utf-8") == "oude inhoud"
    assert os.listdir(tmp_path) == ["uit.csv"]


def test_atomic_write_interrupted_by_other_error_keeps_old_file(tmp_path):
    target = tmp_path / "uit.xlsx"
    target.write_bytes(b"oud")

    def interrupted(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, interrupted)
    assert target.read_bytes() == b"oud"
    assert _temp_leftovers(tmp_path) == []


def test_atomic_write_success_replaces_and_cleans_up(tmp_path):
    target = tmp_path / "uit.csv"
    target.write_text("oud", encoding="utf-8")
    atomic_write(target, lambda tmp: tmp.write_text("nieuw", encoding="utf-8"), replace=True)
    assert target.read_text(encoding="utf-8") == "nieuw"
    assert os.listdir(tmp_path) == ["uit.csv"]


def test_write_table_failure_keeps_old_output(tmp_path, monkeypatch):
    target = tmp_path / "uit.csv"
    target.write_text("vorige run", encoding="utf-8")

    def broken_to_csv(self, path, **kwargs):
        Path(path).write_text("respondent_id,gem", encoding="utf-8")
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken_to_csv)
    with pytest.raises(OutputError, match="cannot write"):
        write_table(pd.DataFrame({"a": ["1"]}), target)
    assert target.read_text(encoding="utf-8") == "vorige run"
    assert os.listdir(tmp_path) == ["uit.csv"]


_answer = st.text(alphabet=st.sampled_from(list("abcdeëéïoz ABZ019,.;:!?'\"-\n")), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_answer, _answer), min_size=1, max_size=6), delimiter=st.sampled_from([",", ";", "\t"]))
def test_written_csv_reads_back_exactly(tmp_path, rows, delimiter):
    """Whatever people type (quotes, separators, line breaks, accents) survives write_table -> read_table."""
    frame = pd.DataFrame([["R%d" % i, a, b] for i, (a, b) in enumerate(rows)], columns=["respondent_id", "vraag1", "vraag2"])
    path = tmp_path / "rondje.csv"
    if path.exists():
        path.unlink()
    write_table(frame, path, delimiter=delimiter)
    back = read_table(path).frame
    assert back.columns.tolist() == frame.columns.tolist()
    assert back.to_dict("records") == frame.to_dict("records")


def test_output_file_gets_the_usual_permissions(tmp_path):
    old_umask = os.umask(0o022)
    try:
        target = tmp_path / "uit.csv"
        write_table(pd.DataFrame({"a": ["1"]}), target)
    finally:
        os.umask(old_umask)
    assert target.stat().st_mode & 0o777 == 0o644


def test_row_numbers_are_the_rows_a_spreadsheet_shows(tmp_path):
    """index + 2 = the row Excel shows: blank lines counted, a quoted line break inside its row, header row 1."""
    path = tmp_path / "export.csv"
    path.write_bytes(b'\r\nid;vraag1\r\nR1;a\r\n\r\nR2;"twee\r\nregels"\r\nR3;\r\n')
    frame = read_table(path).frame
    assert frame["id"].tolist() == ["R1", "R2", "R3"]
    assert (frame.index + 2).tolist() == [3, 5, 6]
    from openpyxl import Workbook

    book = Workbook()
    for row in ([], ["id", "vraag1"], ["R1", "a"], [], ["R2", "b"]):
        book.active.append(row)
    book.save(tmp_path / "export.xlsx")
    frame = read_table(tmp_path / "export.xlsx").frame  # the blank row above the names is skipped
    assert list(frame.columns) == ["id", "vraag1"]
    assert dict(zip(frame.index + 2, frame["id"])) == {3: "R1", 4: "", 5: "R2"}


def test_labels_messages_name_the_spreadsheet_row(tmp_path, codebook):
    from pgtext.errors import LabelsError
    from pgtext.model.labels import load_labels

    path = tmp_path / "labels.csv"
    path.write_bytes(b"text,themes\r\nMeer huizen.,wonen\r\n\r\n\r\nDe bus.,ouderen\r\n")
    with pytest.raises(LabelsError, match=r"labels.csv, row 5: unknown theme 'ouderen'"):
        load_labels([path], codebook)


def test_formulas_with_a_stored_value_read_as_that_value_without_a_note(tmp_path):
    """As Excel saves them (value beside the formula): read, no note. Without the value: named in a note."""
    import zipfile

    source = Path(__file__).resolve().parents[1] / "corpus" / "formulas_without_value.xlsx"
    stored = tmp_path / "opgeslagen.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(stored, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="B4"><f>', b'<c r="B4" t="str"><f>').replace(
                    b"</f><v></v></c></row><row r=\"5\">", b"</f><v>Meer bussen.</v></c></row><row r=\"5\">")
            new.writestr(item, data)
    table = read_table(stored)
    assert table.frame["vraag1"].tolist()[1] == "Meer bussen."
    assert [n for n in table.notes if "formula" in n] == [
        "1 cell in column 'vraag1' is a formula without a stored value (row 6); it reads as blank. "
        "Open and save the file in Excel first, so the values are stored."
    ]
