"""pgtext.label.reader: one reader of labelled outputs for review, suggest, report and discover."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pgtext.errors import InputError
from pgtext.files.tables import read_table
from pgtext.label.prediction import SCORE_PREFIX
from pgtext.label.reader import labelled_output, read_labelled
from pgtext.model.codebook import Codebook
from pgtext.reporting.counts import load_answers
from pgtext.review.queue import review_frame
from tests.conftest import CODEBOOK_ROWS, SLUGS, invoke

BOOK = Codebook.from_list(CODEBOOK_ROWS)
HEADER = ["id", "suggesties", "predicted_themes", *(SCORE_PREFIX + s for s in SLUGS), "confidence", "needs_review"]


def _frame(rows: list[list[str]], header: list[str] = HEADER) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=header, dtype=object)


ROWS = [
    ["R1", "Meer huurwoningen", "wonen", "0.9", "0.1", "0.2", "0.8", "false"],
    ["R2", "", "", "", "", "", "", "false"],
    ["R3", "Bus en eenzaam", "vervoer;eenzaamheid", "0.1", "0.7", "0.6", "0.4", "ja"],
]


@pytest.fixture(scope="module")
def labelled(tmp_path_factory, model_dir, exports):
    out = tmp_path_factory.mktemp("reader") / "gelabeld.xlsx"
    result = invoke("label", exports["comma"], "--text-col", "vraag1", "--model", model_dir, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_a_wide_output_read_back_matches_its_cells(labelled):
    data = read_labelled(labelled, BOOK, text_col="vraag1")
    frame = read_table(labelled).frame
    assert data.text_column == "vraag1" and data.texts == frame["vraag1"].astype(str).tolist()
    assert data.scores.shape == data.predicted.shape == (len(frame), len(SLUGS))
    for i, cell in enumerate(frame["predicted_themes"].astype(str)):
        assert [s for s, on in zip(SLUGS, data.predicted[i]) if on] == [t for t in cell.split(";") if t]
    for j, slug in enumerate(SLUGS):
        np.testing.assert_allclose(data.scores[:, j], pd.to_numeric(frame[SCORE_PREFIX + slug], errors="coerce"))
    blank = frame["vraag1"].astype(str).str.strip() == ""
    assert (np.isnan(data.confidence) == blank.to_numpy()).all()
    assert (data.scored == ~blank.to_numpy()).all()
    assert data.context["id"] == frame["respondent_id"].astype(str).tolist()
    assert data.context["question"] == ["vraag1"] * len(frame)
    assert data.context["row"] == list(range(2, len(frame) + 2))


def test_cells_are_parsed_once_for_everyone():
    data = labelled_output(_frame(ROWS), BOOK, text_col="suggesties")
    assert data.predicted.tolist() == [[1, 0, 0], [0, 0, 0], [0, 1, 1]]
    assert data.needs_review.tolist() == [False, False, True]  # "ja": an SPSS output's value label
    assert data.scored.tolist() == [True, False, True]
    assert np.isnan(data.scores[1]).all() and data.scores[2].tolist() == [0.1, 0.7, 0.6]
    assert data.respondent == ["2", "3", "4"]


def test_a_long_output_uses_its_text_question_and_row_columns():
    header = ["id", "row", "question", "text", *HEADER[2:]]
    rows = [["R1", "2", "vraag1", "Meer huurwoningen", *ROWS[0][2:]], ["R1", "2", "vraag2", "Bus en eenzaam", *ROWS[2][2:]]]
    data = labelled_output(_frame(rows, header), BOOK, text_col="vraag1")  # a long output's answers are in 'text'
    assert data.text_column == "text" and data.context["question"] == ["vraag1", "vraag2"]
    assert data.respondent == ["2", "2"] and data.context["id"] == ["R1", "R1"]


BAD = {
    "not labelled": (_frame([["R1", "hallo"]], ["id", "suggesties"]),
                     "wave 1: not a 'pgtext label' output (no predicted_themes, confidence, needs_review column); "),
    "other codebook": (_frame([r[:5] + r[6:] for r in ROWS], [c for c in HEADER if c != "score_eenzaamheid"]),
                       "wave 1: labelled with themes wonen, vervoer, but the codebook has wonen, vervoer, eenzaamheid; "
                       "give the "),
    "unknown theme": (_frame([ROWS[0], [*ROWS[2][:2], "vervoer;ouderen", *ROWS[2][3:]]]),
                      "wave 1, row 3: predicted theme 'ouderen' is not in the codebook; give the "),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_review_and_report_give_the_same_message(case):
    frame, message = BAD[case]
    with pytest.raises(InputError) as review:
        review_frame(frame, BOOK, text_col="suggesties", source="wave 1")
    with pytest.raises(InputError) as report:
        load_answers([frame], BOOK, text_col="suggesties")
    assert str(review.value).startswith(message) and str(report.value).startswith(message)
    assert str(review.value).replace("--codebook", "--model") == str(report.value)


def test_the_answer_column_is_asked_for_when_nothing_names_it():
    frame = _frame(ROWS)
    # one rule for every command (files.columns.text_column): the one column filled exactly where scores are
    answers = load_answers([frame], BOOK)[0]
    assert set(answers["text"]) == set(frame["suggesties"][frame["suggesties"] != ""])
    assert review_frame(frame, BOOK, source="wave 1").summary.answers == 2
    renamed = frame.rename(columns={"suggesties": "Antwoord"})
    assert labelled_output(renamed, BOOK).text_column == "Antwoord"  # a usual answer column name
