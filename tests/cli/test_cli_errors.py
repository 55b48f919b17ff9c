"""Every user mistake: exit code 1, one line 'Error: ...' that says how to fix it, no traceback. Usage errors exit 2."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import (
    CODEBOOK_ROWS,
    LABEL_ROWS,
    assert_one_line_error,
    invoke,
    write_codebook,
    write_labels,
)

from pgtext.embed import get_embedder

COLUMNS = "respondent_id, gemeente, vraag1, vraag2"


def test_missing_text_col_lists_existing_columns(tmp_path, exports, model_dir):
    src = exports["comma"]
    result = invoke("label", src, "--model", model_dir, "--text-col", "vraag3", "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, f"{src}: no column 'vraag3' (--text-col); columns here: {COLUMNS}.")
    assert not (tmp_path / "uit.csv").exists()


def test_no_text_col_and_no_text_column(tmp_path, exports, model_dir):
    src = exports["xlsx"]
    result = invoke("label", src, "--model", model_dir, "-o", tmp_path / "uit.csv")
    assert_one_line_error(
        result, f"{src}: no answer column named text, answer, antwoord or tekst; name it with --text-col (columns here: {COLUMNS})."
    )


def test_missing_id_col(tmp_path, exports, model_dir):
    src = exports["comma"]
    result = invoke("label", src, "--model", model_dir, "--text-col", "vraag1", "--text-col", "vraag2",
                    "--id-col", "id", "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, f"{src}: no column 'id' (--id-col); columns here: {COLUMNS}.")


def test_output_exists_without_force(tmp_path, exports, model_dir):
    out = tmp_path / "uit.csv"
    out.write_text("eerdere resultaten", encoding="utf-8")
    result = invoke("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1", "-o", out)
    assert_one_line_error(result, f"{out}: already exists; choose another --output or add --force to replace it.")
    assert out.read_text(encoding="utf-8") == "eerdere resultaten"


def test_output_is_the_input(tmp_path, exports, model_dir):
    src = tmp_path / "export.csv"
    shutil.copy(exports["comma"], src)
    before = src.read_bytes()
    result = invoke("label", src, "--model", model_dir, "--text-col", "vraag1", "-o", src, "--force")
    assert_one_line_error(result, f"{src}: is an input file; pgtext never writes over its input. Choose another --output.")
    assert src.read_bytes() == before


def test_output_with_unknown_extension(tmp_path, exports, model_dir):
    out = tmp_path / "uit.json"
    result = invoke("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1", "-o", out)
    assert_one_line_error(result, f"{out}: --output must end in .csv, .tsv, .xlsx or .sav.")


def test_model_folder_missing(tmp_path, exports):
    folder = tmp_path / "geen-model"
    result = invoke("label", exports["comma"], "--model", folder, "--text-col", "vraag1", "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, f"{folder}: no such model folder; train one with 'pgtext train' or give --model.")


def test_themes_of_missing_model(tmp_path):
    assert_one_line_error(invoke("themes", "--model", tmp_path / "x"),
                          f"{tmp_path / 'x'}: no such model folder; train one with 'pgtext train' or give --model.")


def test_fake_model_with_another_embedder(tmp_path, exports, model_dir):
    other = get_embedder("minilm")
    result = invoke("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1",
                    "--embedder", "minilm", "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, (
        f"this model was trained with embedder 'fake' (id fake-hash-64), not 'minilm' (id {other.id}); "
        "label without --embedder, or retrain the model with this embedder."
    ))
    assert not (tmp_path / "uit.csv").exists()


def test_unknown_embedder_name(tmp_path, exports, model_dir):
    result = invoke("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1",
                    "--embedder", "bert", "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, (
        "embedder 'bert' is neither a folder nor a model name like 'org/model'; "
        "use 'minilm' (shipped, offline), a local folder, or a hub name."
    ))


def test_codebook_differs_from_the_models(tmp_path, exports, model_dir):
    rows = [dict(r) for r in CODEBOOK_ROWS]
    rows[2]["description"] = "Alleen zijn, weinig contact."
    other = write_codebook(tmp_path / "codebook.csv", rows)
    result = invoke("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1",
                    "--codebook", other, "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, (
        "this model was trained with another codebook (themes: wonen, vervoer, eenzaamheid); "
        "retrain it with this codebook, or leave out --codebook."
    ))


def test_tampered_model(tmp_path, exports, model_dir):
    folder = tmp_path / "model"
    shutil.copytree(model_dir, folder)
    card = json.loads((folder / "model_card.json").read_text(encoding="utf-8"))
    card["files"]["head.npz"] = "0" * 64
    (folder / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    result = invoke("label", exports["comma"], "--model", folder, "--text-col", "vraag1", "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, (
        f"{folder / 'head.npz'}: does not match the hash in model_card.json; the folder was changed. Retrain."
    ))


def test_empty_file(tmp_path, model_dir):
    src = tmp_path / "leeg.csv"
    src.write_bytes(b"")
    result = invoke("label", src, "--model", model_dir, "--text-col", "vraag1", "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, f"{src}: the file is empty.")


def test_header_only_file(tmp_path, model_dir):
    src = tmp_path / "kop.csv"
    src.write_text("respondent_id;gemeente;vraag1;vraag2\r\n", encoding="utf-8-sig")
    result = invoke("label", src, "--model", model_dir, "--text-col", "vraag1", "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, f"{src}: has a header but no rows; nothing to label.")
    assert not (tmp_path / "uit.csv").exists()


def test_input_missing(tmp_path, model_dir):
    src = tmp_path / "nergens.csv"
    result = invoke("label", src, "--model", model_dir, "--text-col", "vraag1", "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, f"{src}: file not found.")


def test_unknown_encoding_flag(tmp_path, exports, model_dir):
    result = invoke("label", exports["cp1252"], "--model", model_dir, "--text-col", "vraag1",
                    "--encoding", "windows-1252x", "-o", tmp_path / "uit.csv")
    assert_one_line_error(result, "unknown encoding 'windows-1252x'; use e.g. --encoding utf-8 or --encoding cp1252.")


def test_unknown_theme_in_labels_names_the_row(tmp_path, codebook_path):
    rows = list(LABEL_ROWS)
    rows[40] = (rows[40][0], "wonen;ouderen")
    labels = write_labels(tmp_path / "labels.csv", rows)
    result = invoke("train", labels, "-o", tmp_path / "m", "--embedder", "fake", "--codebook", codebook_path)
    assert_one_line_error(result, "labels.csv, row 42: unknown theme 'ouderen'. Known themes: wonen, vervoer, eenzaamheid.")
    assert not (tmp_path / "m").exists()


def test_too_few_examples(tmp_path, codebook_path):
    keep_eenzaam = 5
    rows = [r for r in LABEL_ROWS if "eenzaamheid" not in r[1]]
    rows += [r for r in LABEL_ROWS if r[1] == "eenzaamheid"][:keep_eenzaam]
    labels = write_labels(tmp_path / "labels.csv", rows)
    result = invoke("train", labels, "-o", tmp_path / "m", "--embedder", "fake", "--codebook", codebook_path)
    assert_one_line_error(result, (
        "too few labelled answers to train: eenzaamheid (5); each theme needs at least 8. "
        "Label more answers with these themes, or drop the theme from the codebook."
    ))
    assert not (tmp_path / "m").exists()


def test_conflicting_labels(tmp_path, codebook_path):
    rows = [*LABEL_ROWS, (LABEL_ROWS[12][0], "wonen")]
    labels = write_labels(tmp_path / "labels.csv", rows)
    result = invoke("train", labels, "-o", tmp_path / "m", "--embedder", "fake", "--codebook", codebook_path)
    assert_one_line_error(result, (
        "the same answer has different labels: labels.csv, row 14 (vervoer) vs labels.csv, row 62 (wonen). "
        "Decide on one label and fix the other row."
    ))


def test_bad_codebook(tmp_path, labels_path):
    book = write_codebook(tmp_path / "codebook.csv", [*CODEBOOK_ROWS, {"slug": "Sport", "name": "Sport", "description": ""}])
    result = invoke("train", labels_path, "-o", tmp_path / "m", "--embedder", "fake", "--codebook", book)
    assert_one_line_error(result, (
        f"{book}, row 5: slug 'Sport' must be lower-case letters, digits and _ (e.g. gedeelde_visie)."
    ))


def test_missing_output_is_a_usage_error(exports, model_dir):
    result = invoke("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1")
    assert result.exit_code == 2
    assert "Missing option '--output'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["train", "x.csv"], ["train", "x.csv", "-o", "m", "--folds", "1"], ["frobnicate"]])
def test_other_usage_errors_exit_2(args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: ")


def test_short_row_is_a_blank_answer_not_a_crash(tmp_path, model_dir):
    src = tmp_path / "handmatig.csv"
    src.write_text("respondent_id,gemeente,vraag1,vraag2\r\nR01,Enschede,Meer bussen\r\nR02,Hengelo,Meer huizen,Meer bankjes\r\n",
                   encoding="utf-8")
    result = invoke("label", src, "--model", model_dir, "--text-col", "vraag2", "-o", tmp_path / "uit.csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Read 2 rows; labelled 1 answers; 1 blank answers skipped.\n")
