"""SPSS in and out: a .sav with value and variable labels labelled to .sav and .xlsx, read back with pyreadstat."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from conftest import CODEBOOK_ROWS, SLUGS, assert_one_line_error, invoke
from hypothesis import given, settings
from hypothesis import strategies as st

from pgtext.files.spss import NAME_BYTES, RESERVED, spss_name
from pgtext.files.tables import read_table
from pgtext.label.sav_output import sav_names
from pgtext.model.codebook import Codebook

ANSWERS = [
    "Er zijn te weinig betaalbare huurwoningen, vooral voor starters.",
    "",
    "Sinds mijn vrouw is overleden zie ik bijna niemand meer.",
    "De regiotaxi komt vaak te laat.",
    "Geen opmerkingen.",
]
SUGGESTIONS = ["Meer bankjes in het park.", "De bus rijdt maar één keer per uur.", "", "Meer woningen voor jongeren.", ""]
VARIABLE_LABELS = {"resp": "Respondentnummer", "geslacht": "Geslacht", "v12": "Toelichting wonen", "v13": "Suggesties"}
GENDER_LABELS = {1.0: "man", 2.0: "vrouw", 99.0: "wil niet zeggen"}


@pytest.fixture()
def sav_input(tmp_path):
    """Five cases: numeric id, a labelled numeric with a user-missing code, two open questions, a plain number."""
    frame = pd.DataFrame({
        "resp": [101.0, 102.0, 103.0, 104.0, 105.0],
        "geslacht": [1.0, 2.0, np.nan, 99.0, 2.0],
        "v12": ANSWERS,
        "v13": SUGGESTIONS,
        "leeftijd": [34.5, np.nan, 70.0, 22.0, 51.0],
    })
    path = tmp_path / "enquete.sav"
    pyreadstat.write_sav(
        frame, str(path), column_labels=VARIABLE_LABELS, variable_value_labels={"geslacht": GENDER_LABELS},
        missing_ranges={"geslacht": [99.0]}, variable_measure={"geslacht": "nominal", "leeftijd": "scale"},
    )
    return path


def test_read_sav_gives_labels_for_codes_and_keeps_every_case(sav_input):
    table = read_table(sav_input)
    assert table.kind == "sav"
    assert list(table.frame.columns) == ["resp", "geslacht", "v12", "v13", "leeftijd"]
    assert table.frame["geslacht"].tolist() == ["man", "vrouw", "", "wil niet zeggen", "vrouw"]
    assert table.frame["resp"].tolist() == ["101", "102", "103", "104", "105"]
    assert table.frame["leeftijd"].tolist() == ["34.5", "", "70", "22", "51"]
    assert table.frame["v12"].tolist() == ANSWERS


def test_label_sav_to_sav_keeps_every_value_and_label(sav_input, tmp_path, model_dir):
    out = tmp_path / "out" / "gelabeld.sav"
    result = invoke("label", sav_input, "--text-col", "v12", "--model", model_dir, "--embedder", "fake", "--output", out)
    assert result.exit_code == 0, result.output
    assert "labelled 4 answers; 1 blank answers skipped" in result.stdout
    original, original_meta = pyreadstat.read_sav(str(sav_input), user_missing=True)
    data, meta = pyreadstat.read_sav(str(out), user_missing=True)
    # every input variable first, unchanged, with its labels
    assert list(data.columns[:5]) == list(original.columns)
    pd.testing.assert_frame_equal(data[original.columns], original)
    for name, label in VARIABLE_LABELS.items():
        assert meta.column_names_to_labels[name] == label
    assert meta.variable_value_labels["geslacht"] == GENDER_LABELS
    assert meta.missing_ranges["geslacht"] == original_meta.missing_ranges["geslacht"]
    assert meta.variable_measure["geslacht"] == "nominal"
    # then pgtext's variables, labelled in the codebook's language (Dutch by default)
    theme_vars = [f"th_{slug}" for slug in SLUGS]
    assert list(data.columns[5:]) == ["predicted_themes", *theme_vars, *(f"score_{s}" for s in SLUGS), "confidence", "needs_review"]
    for row, var in zip(CODEBOOK_ROWS, theme_vars):
        assert meta.column_names_to_labels[var] == row["name"]
        assert meta.variable_value_labels[var] == {0.0: "nee", 1.0: "ja"}
    assert meta.variable_value_labels["needs_review"] == {0.0: "nee", 1.0: "ja"}
    # the flags agree with predicted_themes; the blank answer is system-missing, not 0
    csv_out = tmp_path / "gelabeld.csv"
    assert invoke("label", sav_input, "--text-col", "v12", "--model", model_dir, "--embedder", "fake", "--output", csv_out).exit_code == 0
    as_csv = read_table(csv_out).frame
    for var, slug in zip(theme_vars, SLUGS):
        expected = [(1.0 if slug in cell.split(";") else 0.0) if text.strip() else math.nan
                    for cell, text in zip(as_csv["predicted_themes"], as_csv["v12"])]
        np.testing.assert_array_equal(data[var].to_numpy(), np.array(expected))
        np.testing.assert_allclose(data[f"score_{slug}"].to_numpy(), pd.to_numeric(as_csv[f"score_{slug}"]).to_numpy())
    assert data["predicted_themes"].tolist() == as_csv["predicted_themes"].tolist()
    assert data["needs_review"].tolist() == [1.0 if v == "true" else 0.0 for v in as_csv["needs_review"]]


def test_label_sav_to_xlsx_shows_value_labels(sav_input, tmp_path, model_dir):
    out = tmp_path / "gelabeld.xlsx"
    result = invoke("label", sav_input, "--text-col", "v12", "--model", model_dir, "--embedder", "fake", "--output", out)
    assert result.exit_code == 0, result.output
    frame = read_table(out).frame
    assert frame["geslacht"].tolist() == ["man", "vrouw", "", "wil niet zeggen", "vrouw"]
    assert frame["v12"].tolist() == ANSWERS
    assert len(frame) == 5 and "predicted_themes" in frame.columns


def test_long_format_to_sav_has_a_labelled_question_variable(sav_input, tmp_path, model_dir):
    out = tmp_path / "lang.zsav"
    result = invoke(
        "label", sav_input, "--text-col", "v12", "--text-col", "v13", "--id-col", "resp",
        "--model", model_dir, "--embedder", "fake", "--output", out,
    )
    assert result.exit_code == 0, result.output
    data, meta = pyreadstat.read_sav(str(out), user_missing=True)
    answered = [(r, q) for r, (a, s) in enumerate(zip(ANSWERS, SUGGESTIONS)) for q, text in ((1.0, a), (2.0, s)) if text]
    assert data["question"].tolist() == [q for _, q in answered]
    assert meta.variable_value_labels["question"] == {1.0: "v12: Toelichting wonen", 2.0: "v13: Suggesties"}
    assert meta.column_names_to_labels["question"] == "Vraag"
    # background variables repeat per answer with their original codes and labels
    assert data["resp"].tolist() == [101.0 + r for r, _ in answered]
    assert data["geslacht"].tolist()[:2] == [1.0, 1.0]
    assert meta.variable_value_labels["geslacht"] == GENDER_LABELS
    assert meta.column_names_to_labels["resp"] == "Respondentnummer"
    assert data["text"].tolist() == [(ANSWERS if q == 1.0 else SUGGESTIONS)[r] for r, q in answered]
    assert "v12" not in data.columns and "v13" not in data.columns


def test_unknown_text_col_lists_variables_with_their_labels(sav_input, tmp_path, model_dir):
    result = invoke("label", sav_input, "--text-col", "v99", "--model", model_dir, "--embedder", "fake", "--output", tmp_path / "x.sav")
    assert_one_line_error(
        result,
        f"{sav_input}: no column 'v99' (--text-col); columns here: resp (Respondentnummer), geslacht (Geslacht), "
        "v12 (Toelichting wonen), v13 (Suggesties), leeftijd.",
    )
    assert not (tmp_path / "x.sav").exists()


def test_csv_to_sav_makes_valid_names_and_keeps_the_original_as_label(tmp_path, model_dir):
    path = tmp_path / "export.csv"
    path.write_text("Q5 - Toelichting;2e vraag;th_wonen\nMeer huurwoningen;ja;x\n;nee;y\n", encoding="utf-8")
    out = tmp_path / "export.sav"
    result = invoke("label", path, "--text-col", "Q5 - Toelichting", "--model", model_dir, "--embedder", "fake", "--output", out)
    assert result.exit_code == 0, result.output
    data, meta = pyreadstat.read_sav(str(out))
    assert list(data.columns[:3]) == ["Q5___Toelichting", "v2e_vraag", "th_wonen"]
    assert meta.column_names_to_labels["Q5___Toelichting"] == "Q5 - Toelichting"
    assert data["th_wonen"].tolist() == ["x", "y"]  # the input's variable keeps its name; pgtext's moves aside
    assert "th_wonen_2" in data.columns and meta.column_names_to_labels["th_wonen_2"] == "Wonen en huisvesting"


def test_english_codebook_labels_yes_no(tmp_path, labels_path, sav_input):
    book = tmp_path / "codebook.csv"
    book.write_text("slug,name,description,language\n" + "".join(
        f'{r["slug"]},{r["name"]},"{r["description"]}",en\n' for r in CODEBOOK_ROWS), encoding="utf-8")
    model = tmp_path / "model-en"
    assert invoke("train", labels_path, "-o", model, "--embedder", "fake", "--codebook", book).exit_code == 0
    out = tmp_path / "en.sav"
    assert invoke("label", sav_input, "--text-col", "v12", "--model", model, "--embedder", "fake", "--output", out).exit_code == 0
    _, meta = pyreadstat.read_sav(str(out))
    assert meta.variable_value_labels["th_wonen"] == {0.0: "no", 1.0: "yes"}
    assert meta.column_names_to_labels["needs_review"] == "Needs review"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=90), st.sets(st.text(min_size=1, max_size=70), max_size=5))
def test_spss_names_are_valid_and_collision_free(wanted, taken):
    name = spss_name(wanted, taken)
    assert len(name.encode("utf-8")) <= NAME_BYTES
    assert name[0].isascii() and name[0].isalpha()
    assert all(c.isascii() and (c.isalnum() or c == "_") for c in name)
    assert name.casefold() not in {t.casefold() for t in taken}
    assert name.casefold() not in RESERVED


def test_valid_names_are_kept_as_they_are():
    for name in ("q1_", "v12", "Geslacht", "toelichting_regio", "a" * 64, "all_"):
        assert spss_name(name, set()) == name
    assert spss_name("all", set()) == "all_" and spss_name("1e_vraag", set()) == "v1e_vraag"
    assert spss_name("th_wonen", {"TH_WONEN"}) == "th_wonen_2"


def test_sav_names_for_long_slugs_stay_unique():
    long_a, long_b = "a" * 70 + "_x", "a" * 70 + "_y"
    book = Codebook.from_list([{"slug": s, "name": s, "description": ""} for s in (long_a, long_b)])
    names = sav_names(book, ["predicted_themes_2"])
    assert len(set(n.casefold() for n in names.values())) == len(names)
    assert all(len(n) <= NAME_BYTES for n in names.values())


def test_report_reads_a_labelled_sav_like_the_csv(sav_input, tmp_path, lenient_model_dir):
    model_dir = lenient_model_dir
    from pgtext.model.store import read_card
    from pgtext.reporting.counts import build_report

    args = ["--text-col", "v12", "--text-col", "v13", "--id-col", "resp", "--model", model_dir, "--embedder", "fake"]
    assert invoke("label", sav_input, *args, "--output", tmp_path / "lang.sav").exit_code == 0
    assert invoke("label", sav_input, *args, "--output", tmp_path / "lang.csv").exit_code == 0
    book = Codebook.from_card(read_card(model_dir)["codebook"])
    from_sav = build_report([tmp_path / "lang.sav"], book, by="geslacht")
    from_csv = build_report([tmp_path / "lang.csv"], book, by="geslacht")
    columns = ["group", "theme", "n", "answers", "respondents", "respondents_confident", "respondents_review"]
    pd.testing.assert_frame_equal(from_sav.table[columns], from_csv.table[columns])
    assert set(from_sav.table["group"]) >= {"man", "vrouw"}  # value labels, not codes
    assert from_sav.table["respondents_confident"].sum() > 0


def test_a_damaged_sav_is_refused_in_one_line(tmp_path, model_dir):
    fake = tmp_path / "export.sav"
    fake.write_text("respondent;antwoord\nR1;Meer bussen\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = invoke("label", fake, "--text-col", "antwoord", "--model", model_dir, "--embedder", "fake", "--output", out)
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr.startswith(f"Error: {fake}: cannot read as an SPSS file (")
    assert result.stderr.endswith("is it a real .sav export?\n") and "Traceback" not in result.output


def test_review_sheet_cannot_be_a_sav(sav_input, tmp_path, model_dir):
    labelled = tmp_path / "gelabeld.csv"
    assert invoke("label", sav_input, "--text-col", "v12", "--model", model_dir, "--embedder", "fake", "--output", labelled).exit_code == 0
    out = tmp_path / "review.sav"
    result = invoke("review", labelled, "--output", out)
    assert_one_line_error(result, f"{out}: a review sheet must be .xlsx (for Excel) or .csv; choose another --output.")
    assert not out.exists()


def test_plain_tables_to_sav_keep_numbers_numeric(tmp_path):
    from pgtext.files.tables import write_table

    path = tmp_path / "tabel.sav"
    write_table(pd.DataFrame({"theme": ["wonen", "vervoer"], "f1": [0.5, np.nan], "support": [3, 4]}), path)
    data, _ = pyreadstat.read_sav(str(path))
    assert data["theme"].tolist() == ["wonen", "vervoer"]
    assert data["support"].tolist() == [3.0, 4.0] and data["f1"].iloc[0] == 0.5 and math.isnan(data["f1"].iloc[1])


def test_label_lang_sets_the_sav_labels(sav_input, tmp_path, model_dir):
    out = tmp_path / "en.sav"
    args = ["label", sav_input, "--text-col", "v12", "--model", model_dir, "--embedder", "fake", "--output", out]
    assert invoke(*args, "--lang", "en").exit_code == 0
    _, meta = pyreadstat.read_sav(str(out))
    assert meta.variable_value_labels["needs_review"] == {0.0: "no", 1.0: "yes"}
    assert meta.column_names_to_labels["confidence"] == "Confidence in the theme set (0-1)"


def test_relabelling_a_labelled_sav_replaces_pgtexts_variables(sav_input, tmp_path, model_dir):
    first, second = tmp_path / "een.sav", tmp_path / "twee.sav"
    args = ["--text-col", "v12", "--model", model_dir, "--embedder", "fake"]
    assert invoke("label", sav_input, *args, "--output", first).exit_code == 0
    result = invoke("label", first, *args, "--output", second)
    assert result.exit_code == 0, result.output
    once, _ = pyreadstat.read_sav(str(first))
    twice, meta = pyreadstat.read_sav(str(second))
    assert list(twice.columns) == list(once.columns)  # no th_wonen_2 beside th_wonen
    pd.testing.assert_frame_equal(twice, once)
    assert meta.column_names_to_labels["th_wonen"] == "Wonen en huisvesting"


def test_review_sheet_from_a_labelled_sav_equals_the_one_from_csv(sav_input, tmp_path, model_dir, codebook_path):
    """The answer column is found without --text-col: the 0/1 theme variables are not mistaken for it."""
    from openpyxl import load_workbook

    sheets = {}
    for suffix in ("sav", "csv"):
        labelled = tmp_path / f"gelabeld.{suffix}"
        assert invoke("label", sav_input, "--text-col", "v13", "--model", model_dir, "--embedder", "fake", "--output", labelled).exit_code == 0
        result = invoke("review", labelled, "--include", "all", "--codebook", codebook_path, "--output", tmp_path / f"review-{suffix}.xlsx")
        assert result.exit_code == 0, result.output
        sheets[suffix] = [[c.value for c in row] for row in load_workbook(tmp_path / f"review-{suffix}.xlsx")["review"].iter_rows()]
    assert sheets["sav"] == sheets["csv"] and len(sheets["sav"]) == 1 + 3


def test_report_by_unknown_variable_lists_labels(sav_input, tmp_path, model_dir):
    labelled = tmp_path / "gelabeld.sav"
    assert invoke("label", sav_input, "--text-col", "v12", "--model", model_dir, "--embedder", "fake", "--output", labelled).exit_code == 0
    result = invoke("report", labelled, "--model", model_dir, "--text-col", "v12", "--by", "sekse")
    assert result.exit_code == 1
    assert "no column 'sekse' (--by); columns here: resp (Respondentnummer), geslacht (Geslacht), v12 (Toelichting wonen)" in result.stderr
    assert "th_wonen (Wonen en huisvesting)" in result.stderr
