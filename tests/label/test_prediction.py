"""pgtext.label.prediction at library level: column resolution, compatibility checks and edge cases of label_frame."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import CODEBOOK_ROWS, EXPORT_COLUMNS, EXPORT_ROWS

from pgtext.embed import get_embedder
from pgtext.errors import InputError, ModelError
from pgtext.label.prediction import (
    check_compatible,
    label_frame,
    output_columns,
    resolve_text_columns,
)
from pgtext.model.codebook import Codebook
from pgtext.model.store import load_model
from tests.fakes import FakeEmbedder

ADDED = ["predicted_themes", "score_wonen", "score_vervoer", "score_eenzaamheid", "confidence", "needs_review"]


@pytest.fixture(scope="module")
def model(model_dir):
    return load_model(model_dir)


@pytest.fixture
def export() -> pd.DataFrame:
    return pd.DataFrame([list(r) for r in EXPORT_ROWS], columns=EXPORT_COLUMNS)


def test_output_columns_follow_the_model_themes(model):
    assert output_columns(model.themes) == ADDED


@pytest.mark.parametrize("column", ["text", "Antwoord", "TEKST", "answer"])
def test_text_column_found_without_flag(column):
    frame = pd.DataFrame({"id": ["1"], column: ["x"]})
    assert resolve_text_columns(frame, [], "export.csv") == [column]


def test_text_column_case_insensitive(export):
    assert resolve_text_columns(export, ["VRAAG2", "vraag1"], "export.csv") == ["vraag2", "vraag1"]


def test_ambiguous_case_insensitive_match_is_refused():
    frame = pd.DataFrame({"Vraag1": ["a"], "vraag1 ": ["b"], "VRAAG1": ["c"]})
    with pytest.raises(InputError) as err:
        resolve_text_columns(frame, ["vraag1"], "export.csv")
    assert str(err.value) == (
        "export.csv: 3 columns match 'vraag1' (--text-col) when case and spacing are ignored: 'Vraag1', 'vraag1 ', "
        "'VRAAG1'; give one exactly as written, e.g. --text-col Vraag1."
    )


def test_check_compatible(model):
    check_compatible(model, FakeEmbedder(), Codebook.from_list(CODEBOOK_ROWS))
    other = get_embedder("minilm")
    with pytest.raises(ModelError) as err:
        check_compatible(model, other)
    assert str(err.value) == (
        f"this model was trained with embedder 'fake' (id fake-hash-64), not 'minilm' (id {other.id}); "
        "label without --embedder, or retrain the model with this embedder."
    )
    reordered = Codebook.from_list([CODEBOOK_ROWS[1], CODEBOOK_ROWS[0], CODEBOOK_ROWS[2]])
    with pytest.raises(ModelError, match="trained with another codebook"):
        check_compatible(model, FakeEmbedder(), reordered)


def test_wide_keeps_index_order_and_marks_blanks(model, export):
    result = label_frame(export, model, FakeEmbedder(), ["vraag1"])
    out = result.frame
    assert out.columns.tolist() == EXPORT_COLUMNS + ADDED
    pd.testing.assert_frame_equal(out[EXPORT_COLUMNS], export)
    blank = out["vraag1"].str.strip() == ""
    assert blank.tolist() == [False, True, False, False, False, False, True, False, False, False, False, True]
    assert out.loc[blank, ADDED[1:5]].isna().all().all()
    assert (out.loc[blank, "predicted_themes"] == "").all()
    assert (out.loc[blank, "needs_review"] == "false").all()
    assert out.loc[~blank, ADDED[1:5]].notna().all().all()
    assert set(out["needs_review"]) <= {"true", "false"}
    s = result.summary
    assert (s.rows_read, s.answers_labelled, s.blanks, s.blanks_per_question) == (12, 9, 3, {})
    assert s.needs_review == int((out["needs_review"] == "true").sum())


def test_relabelling_an_output_replaces_the_old_columns(model, export):
    first = label_frame(export, model, FakeEmbedder(), ["vraag1"]).frame
    first["opmerking analist"] = "gezien"
    second = label_frame(first, model, FakeEmbedder(), ["vraag2"])
    assert second.summary.replaced_columns == ADDED
    assert second.frame.columns.tolist() == EXPORT_COLUMNS + ["opmerking analist"] + ADDED
    assert second.frame["predicted_themes"].tolist() == label_frame(export, model, FakeEmbedder(), ["vraag2"]).frame["predicted_themes"].tolist()


def test_all_blank_column(model):
    frame = pd.DataFrame({"id": ["1", "2"], "vraag": ["", "  "]})
    result = label_frame(frame, model, FakeEmbedder(), ["vraag"])
    assert result.summary.answers_labelled == 0 and result.summary.blanks == 2
    assert result.frame["predicted_themes"].tolist() == ["", ""]
    assert result.frame["needs_review"].tolist() == ["false", "false"]


def test_unknown_id_col(model, export):
    with pytest.raises(InputError) as err:
        label_frame(export, model, FakeEmbedder(), ["vraag1", "vraag2"], id_col="respondent", source="export.csv")
    assert str(err.value) == (
        "export.csv: no column 'respondent' (--id-col); columns here: respondent_id, gemeente, vraag1, vraag2."
    )
