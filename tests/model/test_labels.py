"""pgtext.model.labels: both layouts, themes by slug or name, and every mistake named by file and row."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import LABEL_COUNTS, LABEL_ROWS, write_csv, write_labels

from pgtext.errors import LabelsError
from pgtext.model.labels import file_sha256, format_themes, load_labels, normalise_text

KNOWN = "Known themes: wonen, vervoer, eenzaamheid."


def test_themes_column(labels_path, codebook):
    labelled = load_labels([labels_path], codebook)
    assert len(labelled.texts) == len(LABEL_ROWS) == 60
    assert labelled.counts() == LABEL_COUNTS
    assert labelled.warnings == []
    by_text = dict(zip(labelled.texts, labelled.y.tolist()))
    assert by_text["Er zijn veel te weinig betaalbare huurwoningen voor starters."] == [1, 0, 0]
    assert by_text["Nieuwe woonwijken worden gebouwd zonder dat er een busverbinding komt."] == [1, 1, 0]
    assert by_text["Sinds de buslijn weg is kan mijn moeder niet meer naar haar vriendinnen."] == [0, 1, 1]
    assert by_text["Geen opmerkingen."] == [0, 0, 0]
    assert int((labelled.y.sum(axis=1) == 0).sum()) == 15
    assert labelled.origins[0] == "labels.csv, row 2"
    assert labelled.origins[-1] == "labels.csv, row 61"
    assert labelled.files == [{"name": "labels.csv", "sha256": file_sha256(labels_path), "rows": 60}]


def test_zero_one_columns_give_the_same_matrix(tmp_path, labels_path, codebook):
    rows = []
    for text, themes in LABEL_ROWS:
        on = set(filter(None, themes.split(";")))
        # Spreadsheets say yes in many ways; blank means no.
        rows.append([text, "1" if "wonen" in on else "0", "ja" if "vervoer" in on else "", "x" if "eenzaamheid" in on else "nee"])
    path = write_csv(tmp_path / "kolommen.csv", ["text", "wonen", "Vervoer", "Eenzaamheid en ontmoeting"], rows, ";")
    wide = load_labels([path], codebook)
    joined = load_labels([labels_path], codebook)
    assert wide.texts == joined.texts
    np.testing.assert_array_equal(wide.y, joined.y)


def test_zero_one_columns_missing_a_theme(tmp_path, codebook):
    path = write_csv(tmp_path / "kolommen.csv", ["text", "wonen", "vervoer"], [["Meer huizen", "1", "0"]])
    with pytest.raises(LabelsError) as err:
        load_labels([path], codebook)
    assert str(err.value) == f"{path}: 0/1 theme columns missing for eenzaamheid."


def test_zero_one_column_with_other_value(tmp_path, codebook):
    path = write_csv(tmp_path / "kolommen.csv", ["text", "wonen", "vervoer", "eenzaamheid"],
                     [["Meer huizen", "1", "0", "0"], ["Meer bussen", "0", "2", "0"]])
    with pytest.raises(LabelsError) as err:
        load_labels([path], codebook)
    assert str(err.value) == f"kolommen.csv, row 3: column 'vervoer' holds '2'; use 0 or 1. {KNOWN}"


def test_neither_layout(tmp_path, codebook):
    path = write_csv(tmp_path / "x.csv", ["text", "code"], [["Meer huizen", "W1"]])
    with pytest.raises(LabelsError) as err:
        load_labels([path], codebook)
    assert str(err.value) == (
        f"{path}: needs a 'themes' column (slugs joined by ';') or one 0/1 column per theme "
        "(wonen, vervoer, eenzaamheid); found: text, code."
    )


def test_no_text_column(tmp_path, codebook):
    path = write_csv(tmp_path / "x.csv", ["opmerking", "themes"], [["Meer huizen", "wonen"]])
    with pytest.raises(LabelsError) as err:
        load_labels([path], codebook)
    assert str(err.value) == (
        f"{path}: no answer column named text, answer, antwoord or tekst; name it with --text-col "
        "(columns here: opmerking, themes)."
    )
    with pytest.raises(LabelsError) as err:
        load_labels([path], codebook, text_col="tekst")
    assert str(err.value) == f"{path}: no column 'tekst' (--text-col); columns here: opmerking, themes."
    # the same rule as every command: antwoord is an answer column
    assert load_labels([write_csv(tmp_path / "y.csv", ["antwoord", "themes"], [["Meer huizen", "wonen"]])], codebook).texts == [
        "Meer huizen"
    ]


def test_names_instead_of_slugs(tmp_path, codebook):
    path = write_csv(tmp_path / "namen.csv", ["Text", "Themes"], [
        ["Meer huizen bij het station", "Wonen en huisvesting; vervoer en bereikbaarheid"],
        ["Niemand om mee te praten", "EENZAAMHEID EN ONTMOETING"],
        ["Niets", ""],
    ])
    labelled = load_labels([path], codebook)
    assert labelled.y.tolist() == [[1, 1, 0], [0, 0, 1], [0, 0, 0]]


def test_unknown_theme_names_file_and_row(tmp_path, codebook):
    rows = list(LABEL_ROWS[:5])
    rows[2] = (rows[2][0], "wonen;sport")
    path = write_labels(tmp_path / "labels.csv", rows)
    with pytest.raises(LabelsError) as err:
        load_labels([path], codebook)
    assert str(err.value) == f"labels.csv, row 4: unknown theme 'sport'. {KNOWN}"


def test_comma_separator_gets_a_hint(tmp_path, codebook):
    path = write_labels(tmp_path / "labels.csv", [("Meer huizen en bussen", "wonen, vervoer")])
    with pytest.raises(LabelsError) as err:
        load_labels([path], codebook)
    assert str(err.value) == f"labels.csv, row 2: unknown theme 'wonen, vervoer' (separate themes with ';'). {KNOWN}"


def test_many_problems_are_listed_up_to_five(tmp_path, codebook):
    rows = [(f"Antwoord nummer {i}", "sport") for i in range(7)]
    path = write_labels(tmp_path / "labels.csv", rows)
    with pytest.raises(LabelsError) as err:
        load_labels([path], codebook)
    listed = "; ".join(f"labels.csv, row {i}: unknown theme 'sport'" for i in range(2, 7))
    assert str(err.value) == f"{listed} (and 2 more). {KNOWN}"


def test_empty_text_is_skipped_with_warning(tmp_path, codebook):
    rows = [LABEL_ROWS[0], ("", "wonen"), LABEL_ROWS[1], ("   ", ""), LABEL_ROWS[2]]
    path = write_labels(tmp_path / "labels.csv", rows)
    labelled = load_labels([path], codebook)
    assert labelled.texts == [LABEL_ROWS[0][0], LABEL_ROWS[1][0], LABEL_ROWS[2][0]]
    assert labelled.origins == ["labels.csv, row 2", "labels.csv, row 4", "labels.csv, row 6"]
    assert labelled.warnings == ["labels.csv: skipped 2 rows with no text (rows 3, 5)."]


def test_all_texts_empty(tmp_path, codebook):
    path = write_labels(tmp_path / "labels.csv", [("", "wonen"), (" ", "")])
    with pytest.raises(LabelsError) as err:
        load_labels([path], codebook)
    assert str(err.value) == "no labelled answers found: every text cell is empty."


def test_identical_duplicate_is_dropped_with_warning(tmp_path, codebook):
    rows = [LABEL_ROWS[0], LABEL_ROWS[12], ("  er zijn veel TE weinig betaalbare   huurwoningen voor starters. ", "wonen")]
    path = write_labels(tmp_path / "labels.csv", rows)
    labelled = load_labels([path], codebook)
    assert labelled.texts == [LABEL_ROWS[0][0], LABEL_ROWS[12][0]]
    assert labelled.y.tolist() == [[1, 0, 0], [0, 1, 0]]
    assert labelled.warnings == ["dropped 1 exact duplicate answers (labels.csv, row 4)."]


def test_conflicting_duplicate_names_both_rows(tmp_path, codebook):
    rows = [LABEL_ROWS[0], LABEL_ROWS[45], (LABEL_ROWS[0][0], "wonen;vervoer")]
    path = write_labels(tmp_path / "labels.csv", rows)
    with pytest.raises(LabelsError) as err:
        load_labels([path], codebook)
    assert str(err.value) == (
        "the same answer has different labels: labels.csv, row 2 (wonen) vs labels.csv, row 4 (wonen;vervoer). "
        "Decide on one label and fix the other row."
    )


def test_conflict_across_files_names_both_files(tmp_path, codebook):
    first = write_labels(tmp_path / "ronde1.csv", [LABEL_ROWS[45]])
    second = write_labels(tmp_path / "ronde2.csv", [LABEL_ROWS[1], ("geen opmerkingen.", "eenzaamheid")])
    with pytest.raises(LabelsError) as err:
        load_labels([first, second], codebook)
    assert str(err.value) == (
        "the same answer has different labels: ronde1.csv, row 2 (no theme) vs ronde2.csv, row 3 (eenzaamheid). "
        "Decide on one label and fix the other row."
    )


def test_several_files_are_combined(tmp_path, codebook):
    first = write_labels(tmp_path / "ronde1.csv", LABEL_ROWS[:30])
    second = write_labels(tmp_path / "ronde2.csv", LABEL_ROWS[30:])
    labelled = load_labels([first, second], codebook)
    assert labelled.counts() == LABEL_COUNTS
    assert [f["name"] for f in labelled.files] == ["ronde1.csv", "ronde2.csv"]
    assert labelled.origins[30] == "ronde2.csv, row 2"


def test_helpers():
    assert normalise_text("  Geen\tOpmerkingen.\n") == "geen opmerkingen."
    assert format_themes(np.array([1, 0, 1]), ["wonen", "vervoer", "eenzaamheid"]) == "wonen;eenzaamheid"
    assert format_themes(np.array([0, 0, 0]), ["wonen", "vervoer", "eenzaamheid"]) == ""
