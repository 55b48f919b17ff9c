"""The Python API: load_model, Model.label (also per dask partition), train, report, and the README example."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import (
    CODEBOOK_ROWS,
    EXPORT_COLUMNS,
    EXPORT_ROWS,
    LABEL_ROWS,
    SLUGS,
    invoke,
)

import pgtext
from pgtext.errors import InputError
from pgtext.files.tables import read_table
from pgtext.reporting.counts import build_report

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ["predicted_themes", *(f"score_{s}" for s in SLUGS), "confidence", "needs_review"]


@pytest.fixture()
def export() -> pd.DataFrame:
    frame = pd.DataFrame(EXPORT_ROWS, columns=EXPORT_COLUMNS)
    frame.loc[1, "vraag1"] = np.nan  # a missing answer as pandas reads it
    frame.index = pd.RangeIndex(100, 100 + len(frame))  # the caller's index is kept
    return frame


def test_public_names():
    assert set(pgtext.__all__) >= {"load_model", "train", "report", "Model", "ReportResult"}
    for name in pgtext.__all__:
        assert getattr(pgtext, name) is not None


def test_label_adds_the_contract_columns_and_matches_the_cli(export, model_dir, tmp_path):
    model = pgtext.load_model(model_dir)
    out = model.label(export, text_col="vraag1")
    assert list(out.columns) == EXPORT_COLUMNS + CONTRACT
    assert list(out.index) == list(export.index)
    pd.testing.assert_frame_equal(out[EXPORT_COLUMNS], export)  # every input value as given, NaN too
    blank = export["vraag1"].isna() | (export["vraag1"].fillna("").str.strip() == "")
    assert out.loc[blank, "confidence"].isna().all() and (out.loc[blank, "needs_review"] == "false").all()
    assert out.loc[~blank, [f"score_{s}" for s in SLUGS]].notna().all().all()
    # the same numbers as the command line writes
    source = tmp_path / "export.csv"
    export.fillna("").to_csv(source, index=False)
    assert invoke("label", source, "--text-col", "vraag1", "--model", model_dir, "--embedder", "fake", "-o", tmp_path / "cli.csv").exit_code == 0
    cli = read_table(tmp_path / "cli.csv").frame
    assert out["predicted_themes"].tolist() == cli["predicted_themes"].tolist()
    assert out["needs_review"].tolist() == cli["needs_review"].tolist()
    np.testing.assert_allclose(out["confidence"].to_numpy(float), pd.to_numeric(cli["confidence"]).to_numpy(float))


def test_label_long_format_with_several_columns(export, model_dir):
    out = pgtext.load_model(model_dir).label(export, text_col=["vraag1", "vraag2"], id_col="respondent_id")
    assert list(out.columns[:2]) == ["respondent_id", "row"]
    assert set(out["question"]) == {"vraag1", "vraag2"}
    assert len(out) == 2 * len(export) - 3 - 4  # blank answers dropped


def test_label_refuses_an_unknown_column(export, model_dir):
    with pytest.raises(InputError, match=r"no column 'vraag9' \(--text-col\); columns here: respondent_id"):
        pgtext.load_model(model_dir).label(export, text_col="vraag9")


def test_label_per_dask_partition_equals_the_whole_frame(export, model_dir):
    dd = pytest.importorskip("dask.dataframe")
    model = pgtext.load_model(model_dir)
    whole = model.label(export, text_col="vraag1")
    ddf = dd.from_pandas(export, npartitions=3)
    assert ddf.npartitions == 3
    parts = ddf.map_partitions(model.label, text_col="vraag1", meta=model.label_meta(export, "vraag1")).compute()
    pd.testing.assert_frame_equal(parts, whole, check_dtype=False)


def test_train_from_a_dataframe_and_report_tables(export, codebook_path, tmp_path):
    labels = pd.DataFrame(LABEL_ROWS, columns=["text", "themes"])
    model = pgtext.train(labels, codebook=codebook_path, embedder="fake")
    assert model.themes == SLUGS
    assert 0 <= model.card["cv"]["macro_f1"] <= 1 and model.card["labels"]["answers"] == len(LABEL_ROWS)
    saved = model.save(tmp_path / "model")
    assert pgtext.load_model(saved).themes == SLUGS

    labelled = model.label(export, text_col="vraag1")
    tables = pgtext.report(labelled, model=model, by="gemeente", text_col="vraag1")
    assert {"wave", "group", "theme", "n", "respondents", "share", "ci_low", "ci_high"} <= set(tables.table.columns)
    overall = tables.table[tables.table["group"] == "all"]
    assert list(overall["theme_name"]) == [row["name"] for row in CODEBOOK_ROWS]
    assert (overall["n"] == len(export) - 3).all()  # three blank answers
    # the same counts as from the file the command line reads
    path = tmp_path / "labelled.csv"
    labelled.to_csv(path, index=False)  # missing values as empty cells
    from_file = build_report([path], model.codebook, by="gemeente", text_col="vraag1")
    columns = ["group", "theme", "n", "answers", "respondents", "respondents_confident"]
    pd.testing.assert_frame_equal(tables.table[columns], from_file.table[columns])
    assert isinstance(tables.quotes, pd.DataFrame) and isinstance(tables.totals, pd.DataFrame)


def test_report_names_waves_of_frames(export, model_dir):
    model = pgtext.load_model(model_dir)
    labelled = model.label(export, text_col="vraag1")
    tables = pgtext.report([labelled, labelled], model=model, waves=["2025", "2026"], text_col="vraag1")
    assert tables.waves == ["2025", "2026"]
    assert (tables.table.loc[tables.table["wave"] == "2026", "change"] == 0).all()
    with pytest.raises(InputError, match="one name per frame"):
        pgtext.report([labelled], model=model, waves=["2025", "2026"], text_col="vraag1")


def _readme_block(heading: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, f"no python block under '## {heading}'"
    return blocks[0]


def test_readme_python_api_example_runs(model_dir, monkeypatch, capsys):
    """The README's example, run as written, with the fake-embedder model as $PGTEXT_MODEL."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PGTEXT_MODEL", str(model_dir))
    namespace: dict = {}
    exec(compile(_readme_block("Python API"), "README.md", "exec"), namespace)
    assert {"model", "labelled", "tables"} <= set(namespace)
    assert set(CONTRACT) <= set(namespace["labelled"].columns)
    assert "predicted_themes" in capsys.readouterr().out


@pytest.mark.real_model
def test_readme_python_api_example_runs_with_the_shipped_model(monkeypatch):
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(_readme_block("Python API"), "README.md", "exec"), namespace)
    assert namespace["model"].themes == ["gedeelde_visie", "netwerk", "praktische_implementatie", "lobby", "lokaal_aansluiten"]
