"""`pgtext label` through the CLI: wide, long and xlsx output, and the same result from every export shape."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import (
    BLANK_VRAAG1,
    BLANK_VRAAG2,
    EXPORT_COLUMNS,
    EXPORT_ROWS,
    invoke,
    write_csv,
)
from openpyxl import load_workbook

from pgtext.files.tables import read_table
from pgtext.model.store import read_card

SLUGS = ["wonen", "vervoer", "eenzaamheid"]
ADDED = ["predicted_themes", "score_wonen", "score_vervoer", "score_eenzaamheid", "confidence", "needs_review"]
EXPECTED_INPUT = pd.DataFrame([list(r) for r in EXPORT_ROWS], columns=EXPORT_COLUMNS)


def label(*args):
    result = invoke("label", *args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def wide(tmp_path_factory, exports, model_dir):
    """The comma export labelled on vraag1: (output frame, CLI result, output path)."""
    out = tmp_path_factory.mktemp("wide") / "gelabeld.csv"
    result = label(exports["comma"], "--model", model_dir, "--text-col", "vraag1", "-o", out)
    return read_table(out).frame, result, out


def test_wide_keeps_every_row_and_column_in_order(wide):
    frame, _, _ = wide
    assert frame.columns.tolist() == EXPORT_COLUMNS + ADDED
    pd.testing.assert_frame_equal(frame[EXPORT_COLUMNS], EXPECTED_INPUT)


def test_wide_blank_answers_have_empty_scores_and_no_review(wide):
    frame, _, _ = wide
    blank = frame["vraag1"].str.strip() == ""
    assert frame.loc[blank, "respondent_id"].tolist() == ["R02", "R07", "R12"]
    assert (frame.loc[blank, ADDED[:-1]] == "").all().all()
    assert frame.loc[blank, "needs_review"].tolist() == ["false"] * 3
    filled = frame.loc[~blank]
    assert (filled[ADDED[1:5]] != "").all().all()
    assert set(filled["needs_review"]) <= {"true", "false"}


def test_wide_predicted_themes_follow_scores_thresholds_and_codebook_order(wide, model_dir):
    from pgtext.embed import embed_texts
    from pgtext.model.decisions import ReviewPolicy
    from pgtext.model.store import load_model
    from tests.fakes import FakeEmbedder

    frame, _, _ = wide
    card = read_card(model_dir)
    model = load_model(model_dir)
    policy = ReviewPolicy(**card["review"])
    filled = frame[frame["vraag1"].str.strip() != ""]
    _, gate = model.predict(filled["vraag1"].tolist(), embed_texts(FakeEmbedder(), filled["vraag1"].tolist()))
    assert filled["predicted_themes"].str.len().gt(0).sum() >= 5  # the fake model does find themes
    for (_, row), gate_score in zip(filled.iterrows(), gate):
        scores = {s: float(row[f"score_{s}"]) for s in SLUGS}
        assert all(0.0 <= v <= 1.0 for v in scores.values())
        gate_on = gate_score >= card["gate"]["threshold"]
        chosen = [s for s in SLUGS if scores[s] >= card["thresholds"][s] and gate_on]
        assert row["predicted_themes"] == ";".join(chosen)  # codebook order, ';'-joined
        # confidence: the calibrated product of the choices made (themes and the "any theme" gate)
        raw = math.prod(scores[s] if s in chosen else 1 - scores[s] for s in SLUGS)
        raw *= gate_score if gate_on else 1 - gate_score
        assert float(row["confidence"]) == pytest.approx(float(policy.calibrate(raw)), abs=2e-4)
        assert (row["needs_review"] == "true") >= (float(row["confidence"]) < policy.min_confidence)


def test_wide_summary_lines(wide):
    frame, result, out = wide
    flagged = int((frame["needs_review"] == "true").sum())
    assert result.stdout.splitlines() == [
        f"Read 12 rows; labelled 9 answers; {BLANK_VRAAG1} blank answers skipped.",
        f"{flagged} answers need review ({flagged / 9:.0%}).",
        f"Wrote {out}",
    ]
    assert result.stderr == ""


def test_wide_themes_make_sense(wide):
    frame, _, _ = wide
    by_id = dict(zip(frame["respondent_id"], frame["predicted_themes"]))
    assert by_id["R01"] == "wonen"
    assert by_id["R03"] == "eenzaamheid"
    assert by_id["R05"] == ""  # "Geen opmerkingen."


def test_same_output_from_all_four_export_shapes(tmp_path, exports, model_dir, wide):
    reference = wide[0]
    for name in ("semicolon_bom", "cp1252", "xlsx"):
        out = tmp_path / f"{name}.csv"
        result = label(exports[name], "--model", model_dir, "--text-col", "vraag1", "-o", out)
        assert result.stdout.splitlines()[0] == "Read 12 rows; labelled 9 answers; 3 blank answers skipped."
        table = read_table(out)
        assert table.encoding == "utf-8-sig"  # always written as UTF-8 with BOM, whatever came in
        assert table.delimiter == ("," if name == "xlsx" else ";")  # the input's delimiter is kept
        pd.testing.assert_frame_equal(table.frame, reference, obj=name)


def test_xlsx_output(tmp_path, exports, model_dir, wide):
    out = tmp_path / "gelabeld.xlsx"
    label(exports["cp1252"], "--model", model_dir, "--text-col", "vraag1", "-o", out)
    book = load_workbook(out)
    assert book.sheetnames == ["pgtext", "codebook"]
    rows = list(book["pgtext"].iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_COLUMNS + ADDED
    assert len(rows) == 13
    r01, r02 = rows[1], rows[2]
    assert isinstance(r01[5], float)  # scores are numbers Excel can sort on
    assert r02[4:10] == (None, None, None, None, None, False)  # a real boolean
    assert r02[3] == "De bus rijdt maar één keer per uur."
    back = read_table(out).frame
    assert back["needs_review"].str.casefold().tolist() == wide[0]["needs_review"].tolist()  # Excel's TRUE/FALSE
    pd.testing.assert_frame_equal(back[EXPORT_COLUMNS + ["predicted_themes"]],
                                  wide[0][EXPORT_COLUMNS + ["predicted_themes"]], check_dtype=False)


@pytest.fixture(scope="module")
def long(tmp_path_factory, exports, model_dir):
    out = tmp_path_factory.mktemp("long") / "lang.csv"
    result = label(exports["semicolon_bom"], "--model", model_dir, "--text-col", "vraag1", "--text-col", "vraag2",
                   "--id-col", "respondent_id", "-o", out)
    return read_table(out).frame, result, out


def test_long_one_row_per_answer_blanks_dropped(long):
    frame, _, _ = long
    assert frame.columns.tolist() == ["respondent_id", "row", "gemeente", "question", "text", *ADDED]
    answers = [(rid, q, text) for rid, _, v1, v2 in EXPORT_ROWS for q, text in (("vraag1", v1), ("vraag2", v2)) if text.strip()]
    assert len(answers) == 24 - BLANK_VRAAG1 - BLANK_VRAAG2 == 17
    assert list(zip(frame["respondent_id"], frame["question"], frame["text"])) == answers
    assert frame.loc[frame["respondent_id"] == "R06", "row"].tolist() == ["7", "7"]  # spreadsheet row
    assert frame.loc[frame["respondent_id"] == "R11", "gemeente"].tolist() == ["Tubbergen"] * 2
    assert (frame[ADDED[1:5]] != "").all().all()


def test_long_summary_counts_blanks_per_question(long):
    frame, result, out = long
    flagged = int((frame["needs_review"] == "true").sum())
    assert result.stdout.splitlines() == [
        "Read 12 rows; labelled 17 answers; 7 blank answers skipped.",
        "Blank per question: vraag1 3, vraag2 4",
        f"{flagged} answers need review ({flagged / 17:.0%}).",
        f"Wrote {out}",
    ]


def test_long_scores_match_wide_scores_for_the_same_answer(long, wide):
    long_frame, wide_frame = long[0], wide[0]
    left = long_frame[long_frame["question"] == "vraag1"].set_index("respondent_id")[ADDED]
    right = wide_frame[wide_frame["vraag1"].str.strip() != ""].set_index("respondent_id")[ADDED]
    pd.testing.assert_frame_equal(left, right)


def test_long_id_col_comes_before_other_background_columns(tmp_path, model_dir):
    path = write_csv(tmp_path / "export.csv", ["gemeente", "vraag1", "respondent_id", "vraag2"],
                     [[g, v1, rid, v2] for rid, g, v1, v2 in EXPORT_ROWS])
    out = tmp_path / "lang.csv"
    label(path, "--model", model_dir, "--text-col", "vraag1", "--text-col", "vraag2", "--id-col", "respondent_id", "-o", out)
    columns = read_table(out).frame.columns.tolist()
    assert columns[columns.index("respondent_id") + 1 : columns.index("respondent_id") + 3] == ["row", "gemeente"]
    assert columns.index("respondent_id") < columns.index("gemeente") < columns.index("question")


def test_long_id_col_is_first(long):
    assert long[0].columns[0] == "respondent_id"


def test_auto_text_column_and_force(tmp_path, model_dir):
    path = write_csv(tmp_path / "export.csv", ["respondent_id", "Antwoord"], [[r[0], r[2]] for r in EXPORT_ROWS])
    out = tmp_path / "uit.csv"
    out.write_text("oud", encoding="utf-8")
    result = label(path, "--model", model_dir, "-o", out, "--force")
    assert result.stdout.startswith("Read 12 rows; labelled 9 answers; 3 blank answers skipped.\n")
    assert read_table(out).frame.columns.tolist() == ["respondent_id", "Antwoord", *ADDED]


def test_model_from_environment(tmp_path, exports, model_dir, monkeypatch):
    monkeypatch.setenv("PGTEXT_MODEL", str(model_dir))
    out = tmp_path / "uit.csv"
    label(exports["comma"], "--text-col", "vraag2", "-o", out)
    assert read_table(out).frame.columns.tolist() == EXPORT_COLUMNS + ADDED


def test_matching_embedder_and_codebook_are_accepted(tmp_path, exports, model_dir, codebook_path, wide):
    out = tmp_path / "uit.csv"
    label(exports["comma"], "--model", model_dir, "--text-col", "vraag1", "--embedder", "fake",
          "--codebook", codebook_path, "--encoding", "utf-8", "--delimiter", ",", "--no-cache", "-o", out)
    pd.testing.assert_frame_equal(read_table(out).frame, wide[0])


def test_labelling_fills_the_cache_and_reuses_it(tmp_path, exports, model_dir, _cache_dir):
    label(exports["comma"], "--model", model_dir, "--text-col", "vraag1", "-o", tmp_path / "a.csv")
    assert (_cache_dir / "embeddings.sqlite").exists()
    other = tmp_path / "eigen-cache"
    label(exports["comma"], "--model", model_dir, "--text-col", "vraag1", "--cache-dir", other, "-o", tmp_path / "b.csv")
    assert (other / "embeddings.sqlite").exists()
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
