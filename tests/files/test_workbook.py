"""XLSX outputs an analyst opens first: a working sheet, and pgtext reads its own workbooks back unchanged.

The look (frozen header, filter, widths, wrapping, number formats, booleans, comments, codebook sheet)
must never change what pgtext reads: review, report and accept give the same results from the
labelled .xlsx as from the labelled .csv.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import CODEBOOK_ROWS, SLUGS, invoke
from openpyxl import load_workbook

from pgtext.files.tables import read_table, write_table
from pgtext.files.workbook import MAX_WIDTH, WRAP_WIDTH, SheetStyle

SCORES = [f"score_{s}" for s in SLUGS]


def ok(*args):
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def labelled(tmp_path_factory, exports, lenient_model_dir):
    model_dir = lenient_model_dir
    """The fixture export labelled on vraag1, once as .csv and once as .xlsx."""
    folder = tmp_path_factory.mktemp("labelled")
    for suffix in ("csv", "xlsx"):
        ok("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1", "--id-col", "respondent_id",
           "--text-col", "vraag2", "-o", folder / f"gelabeld.{suffix}")
    return folder / "gelabeld.csv", folder / "gelabeld.xlsx"


def test_write_table_styles_a_sheet_without_changing_its_values(tmp_path):
    frame = pd.DataFrame({
        "id": ["R1", "R2", "R3"],
        "answer": ["kort", "Een heel lang antwoord. " * 20, "=SOM(A1)"],
        "score": [0.0591, 1.0, float("nan")],
        "share": [0.25, 0.5, 0.125],
        "flag": ["true", "FALSE", ""],
    })
    path = tmp_path / "t.xlsx"
    style = SheetStyle(decimals=("score",), percent=("share",), wrap=("answer",), booleans=("flag",), comments={"score": "0-1"})
    write_table(frame, path, style=style, extra_sheets={"codebook": (pd.DataFrame({"slug": ["a"]}), SheetStyle())})
    book = load_workbook(path)
    assert book.sheetnames == ["pgtext", "codebook"]
    ws = book["pgtext"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E4" and ws["A1"].font.b
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    assert widths["answer"] == WRAP_WIDTH + 2 and all(w <= MAX_WIDTH + 2 for k, w in widths.items() if k != "answer")
    assert widths["id"] >= len("id") + 3  # room for the filter button
    assert ws["B3"].alignment.wrap_text and not ws["A2"].alignment.wrap_text
    assert (ws["C2"].value, ws["C2"].number_format) == (0.0591, "0.00")  # the number itself, shown with 2 decimals
    assert (ws["D4"].value, ws["D4"].number_format) == (0.125, "0%")
    assert [ws[f"E{r}"].value for r in (2, 3, 4)] == [True, False, None]
    assert ws["C1"].comment.text == "0-1"
    assert ws["B4"].value == "=SOM(A1)" and ws["B4"].data_type == "s"  # still never a formula
    back = read_table(path)
    assert back.notes == []  # the codebook sheet is pgtext's own: no "read the first of 2 sheets" note
    assert back.frame["score"].tolist() == ["0.0591", "1", ""] and back.frame["flag"].tolist() == ["TRUE", "FALSE", ""]
    assert back.frame["answer"].tolist() == frame["answer"].tolist()


def test_labelled_xlsx_is_a_working_sheet(labelled):
    _, xlsx = labelled
    book = load_workbook(xlsx)
    assert book.sheetnames == ["pgtext", "codebook"]
    ws = book["pgtext"]
    header = [c.value for c in ws[1]]
    col = {name: ws.cell(row=1, column=k).column_letter for k, name in enumerate(header, start=1)}
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions
    assert ws[f"{col['text']}2"].alignment.wrap_text  # the answers wrap
    rows = range(2, ws.max_row + 1)
    for name in [*SCORES, "confidence"]:
        values = [ws[f"{col[name]}{r}"] for r in rows]
        assert all(isinstance(c.value, float) and c.number_format == "0.00" for c in values)
    assert {type(ws[f"{col['needs_review']}{r}"].value) for r in rows} == {bool}
    for theme in CODEBOOK_ROWS:  # the name beside the slug, in the score header's comment
        assert theme["name"] in ws[f"{col['score_' + theme['slug']]}1"].comment.text
    assert "codebook" in ws[f"{col['predicted_themes']}1"].comment.text
    codebook = [[c.value for c in row] for row in book["codebook"].iter_rows()]
    assert codebook[0] == ["slug", "name", "description", "score column"]
    assert codebook[1:] == [[r["slug"], r["name"], r["description"], f"score_{r['slug']}"] for r in CODEBOOK_ROWS]


def test_labelled_xlsx_reads_back_like_the_csv(labelled):
    csv_path, xlsx = labelled
    from_csv, from_xlsx = read_table(csv_path).frame, read_table(xlsx).frame
    assert from_xlsx.columns.tolist() == from_csv.columns.tolist()
    assert from_xlsx["needs_review"].str.casefold().tolist() == from_csv["needs_review"].tolist()
    for name in [*SCORES, "confidence"]:  # the percentages/decimals are only a look: same numbers
        assert pd.to_numeric(from_xlsx[name]).tolist() == pd.to_numeric(from_csv[name]).tolist()
    same = [c for c in from_csv.columns if c not in (*SCORES, "confidence", "needs_review")]
    pd.testing.assert_frame_equal(from_xlsx[same], from_csv[same], check_dtype=False)


def test_review_report_and_accept_give_the_same_from_xlsx_and_csv(labelled, tmp_path, codebook_path, labels_path, model_dir):
    results = {}
    for source in labelled:
        kind = source.suffix[1:]
        folder = tmp_path / kind
        folder.mkdir()
        ok("review", source, "-o", folder / "review.csv", "--codebook", codebook_path, "--include", "all")
        report = ok("report", source, "--model", model_dir, "-o", folder / "report.csv").output
        shutil.copy(codebook_path, folder / "codebook.csv")
        shutil.copy(labels_path, folder / "labels.csv")
        accepted = ok("accept", folder / "review.csv", "--labels", folder / "labels.csv", "--accept-unchanged").output
        results[kind] = (
            read_table(folder / "review.csv").frame.drop(columns=["row"]),
            (folder / "report.csv").read_bytes(),
            report.replace(str(folder), "FOLDER"),
            [line for line in accepted.replace(str(folder), "FOLDER").splitlines() if not line.startswith("Backup")],
            read_table(folder / "labels.csv").frame,
        )
    (sheet_csv, report_csv, out_csv, accept_csv, labels_csv), (sheet_x, report_x, out_x, accept_x, labels_x) = results["csv"], results["xlsx"]
    assert len(sheet_csv) > 0 and (sheet_csv["why"] == "flagged").any()
    pd.testing.assert_frame_equal(sheet_x, sheet_csv)
    assert report_x == report_csv and out_x == out_csv
    assert accept_x == accept_csv and any(line.startswith("Added 16,") for line in accept_csv)
    pd.testing.assert_frame_equal(labels_x, labels_csv)


def test_report_workbook_shows_shares_as_percentages_and_quotes_carry_the_id(labelled, tmp_path, lenient_model_dir):
    model_dir = lenient_model_dir
    _, xlsx = labelled
    target = tmp_path / "report.xlsx"
    ok("report", xlsx, "--model", model_dir, "-o", target, "--quotes", "2")
    book = load_workbook(target)
    ws = book["themes"]
    header = [c.value for c in ws[1]]
    share = header.index("share") + 1
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions
    cells = [ws.cell(row=r, column=share) for r in range(2, ws.max_row + 1)]
    assert all(isinstance(c.value, float) and 0 <= c.value <= 1 and c.number_format == "0%" for c in cells)
    quotes = book["quotes"]
    q_header = [c.value for c in quotes[1]]
    assert "id" in q_header and "row" not in q_header and "respondent" not in q_header
    ids = {quotes.cell(row=r, column=q_header.index("id") + 1).value for r in range(2, quotes.max_row + 1)}
    assert ids and ids <= {f"R{i:02d}" for i in range(1, 13)}
    assert quotes.cell(row=2, column=q_header.index("quote") + 1).alignment.wrap_text


def test_quotes_of_a_file_without_ids_name_the_export_row(tmp_path, exports, lenient_model_dir):
    model_dir = lenient_model_dir
    source = tmp_path / "zonder-id.csv"
    frame = read_table(exports["comma"]).frame.drop(columns=["respondent_id"])
    frame.to_csv(source, index=False)
    ok("label", source, "--model", model_dir, "--text-col", "vraag1", "-o", tmp_path / "l.csv")
    ok("report", tmp_path / "l.csv", "--model", model_dir, "--text-col", "vraag1", "-o", tmp_path / "r.xlsx")
    quotes = read_table(tmp_path / "r.xlsx", sheet="quotes").frame
    assert "id" not in quotes.columns and len(quotes)
    texts = dict(zip(frame.index + 2, frame["vraag1"]))
    assert all(quote == texts[int(row)] for row, quote in zip(quotes["row"], quotes["quote"]))
