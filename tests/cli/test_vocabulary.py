"""One vocabulary across commands (issue 15): the same table options, --text-col rule and -o everywhere."""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from conftest import LABEL_ROWS, invoke, write_csv, write_labels

from pgtext.cli import cli
from pgtext.cli.advice import options_of
from pgtext.errors import InputError

#: Every command that reads a table (exports, labels files, gold files, sheets, labelled outputs).
TABLE_COMMANDS = ["label", "train", "evaluate", "agreement", "review", "accept", "suggest", "check-labels", "report", "discover"]


def test_every_command_that_reads_a_table_has_the_table_options():
    for name in TABLE_COMMANDS:
        command = cli.commands[name]
        have = options_of(command)
        assert {"--delimiter", "--encoding", "--sheet", "--quiet"} <= have, name
        quiet = next(p for p in command.params if p.name == "quiet")
        assert "-q" in quiet.opts, name
        helps = {p.opts[-1]: p.help for p in command.params if p.name in ("delimiter", "encoding", "sheet")}
        assert helps == {  # from one place
            "--delimiter": cli.commands["label"].params[[p.name for p in cli.commands["label"].params].index("delimiter")].help,
            "--encoding": "CSV text encoding, e.g. utf-8 or cp1252 [default: detected].",
            "--sheet": "XLSX sheet name [default: the first].",
        }, name


def test_every_text_col_help_states_the_same_rule():
    from pgtext.cli.common import TEXT_COL_RULE

    for name, command in cli.commands.items():
        for param in command.params:
            if any(o.startswith("--text-col") for o in param.opts):
                assert param.help.endswith(TEXT_COL_RULE + "."), (name, param.opts)


class _Stop(InputError):
    pass


#: Modules the commands import when they run; imported before patching so none binds the spy for good.
_READERS = [
    "pgtext.label.streaming", "pgtext.model.labels", "pgtext.model.training", "pgtext.review.assess",
    "pgtext.review.merge", "pgtext.review.sheet", "pgtext.review.queue", "pgtext.review.suggest",
    "pgtext.review.label_check", "pgtext.reporting.counts", "pgtext.reporting.discovery",
]


@pytest.fixture
def reads(monkeypatch):
    """read_table calls on the table under test (wherever it was imported) are recorded and stop the command."""
    import importlib

    import pgtext.files.tables as tables

    for name in _READERS:
        importlib.import_module(name)
    original = tables.read_table
    calls = []

    def spy(path, encoding=None, delimiter=None, sheet=None):
        if "tabel" not in str(path):  # the codebook and other files are read as before
            return original(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
        calls.append({"path": str(path), "encoding": encoding, "delimiter": delimiter, "sheet": sheet})
        raise _Stop("stopped at the reader")

    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("pgtext") and getattr(module, "read_table", None) is original:
            monkeypatch.setattr(module, "read_table", spy)
    return calls


def _args(name, tmp_path, table, labels_path, codebook_path, model_dir):
    out = tmp_path / "out"
    return {
        "label": ["label", table, "--model", model_dir, "--text-col", "vraag1", "-o", out / "x.csv"],
        "train": ["train", table, "-o", out / "m", "--embedder", "fake", "--codebook", codebook_path],
        "evaluate": ["evaluate", table, "--model", model_dir],
        "agreement": ["agreement", table, labels_path, "--codebook", codebook_path],
        "review": ["review", table, "-o", out / "r.xlsx", "--codebook", codebook_path],
        "accept": ["accept", table, "--labels", tmp_path / "labels.csv", "--codebook", codebook_path],
        "suggest": ["suggest", table, "--model", model_dir, "--text-col", "vraag1", "-o", out / "s.xlsx"],
        "check-labels": ["check-labels", table, "-o", out / "c.xlsx", "--codebook", codebook_path, "--embedder", "fake"],
        "report": ["report", table, "--model", model_dir],
        "discover": ["discover", table, "--model", model_dir],
    }[name]


@pytest.mark.parametrize("name", TABLE_COMMANDS)
def test_table_options_reach_the_reader(name, tmp_path, reads, labels_path, codebook_path, model_dir):
    table = write_csv(tmp_path / "tabel.csv", ["text", "themes"], [["Meer huizen", "wonen"]], ";", "cp1252")
    args = _args(name, tmp_path, table, labels_path, codebook_path, model_dir)
    result = invoke(*args, "--delimiter", ";", "--encoding", "cp1252", "--sheet", "Data", "-q")
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: stopped at the reader\n"
    assert reads[0] == {"path": str(table), "encoding": "cp1252", "delimiter": ";", "sheet": "Data"}


def test_train_reads_a_semicolon_cp1252_file_as_told(tmp_path, codebook_path):
    rows = [[f"a{i}", text.replace("ë", "e") + " Café.", themes] for i, (text, themes) in enumerate(LABEL_ROWS)]
    labels = write_csv(tmp_path / "labels.csv", ["id", "text", "themes"], rows, ";", "cp1252")
    base = ["train", labels, "--embedder", "fake", "--codebook", codebook_path, "--folds", "2", "-q"]
    told = invoke(*base, "-o", tmp_path / "m1", "--delimiter", ";", "--encoding", "cp1252")
    assert told.exit_code == 0, told.output
    assert f"Trained on {len(LABEL_ROWS)} answers" in told.output
    # the options are used, not ignored: the wrong ones are refused
    wrong = invoke(*base, "-o", tmp_path / "m2", "--encoding", "utf-8")
    assert wrong.exit_code == 1 and "utf-8" in wrong.stderr, wrong.output
    wrong = invoke(*base, "-o", tmp_path / "m3", "--delimiter", ",")
    assert wrong.exit_code == 1, wrong.output
    assert not (tmp_path / "m2").exists() and not (tmp_path / "m3").exists()


def test_train_and_evaluate_read_the_sheet_named(tmp_path, codebook_path):
    labels = pd.DataFrame([(f"a{i}", t, th) for i, (t, th) in enumerate(LABEL_ROWS)], columns=["id", "text", "themes"])
    workbook = tmp_path / "labels.xlsx"
    with pd.ExcelWriter(workbook, engine="openpyxl") as writer:
        pd.DataFrame({"toelichting": ["Dit blad is geen labelbestand."]}).to_excel(writer, sheet_name="Uitleg", index=False)
        labels.to_excel(writer, sheet_name="Labels", index=False)
    base = ["train", workbook, "--embedder", "fake", "--codebook", codebook_path, "--folds", "2", "-q"]
    first = invoke(*base, "-o", tmp_path / "m1")
    assert first.exit_code == 1 and "no answer column" in first.stderr, first.output
    named = invoke(*base, "-o", tmp_path / "m2", "--sheet", "Labels")
    assert named.exit_code == 0, named.output
    assert f"Trained on {len(LABEL_ROWS)} answers" in named.output
    gold = invoke("evaluate", workbook, "--model", tmp_path / "m2", "--sheet", "Labels", "-q")
    assert gold.exit_code == 0, gold.output
    assert f"Evaluated on {len(LABEL_ROWS)} gold answers." in gold.output


def test_train_output_and_the_deprecated_model_option(tmp_path, labels_path, codebook_path):
    base = ["train", labels_path, "--embedder", "fake", "--codebook", codebook_path, "--folds", "2"]
    new = invoke(*base, "-o", tmp_path / "new")
    assert new.exit_code == 0, new.output
    assert "deprecated" not in new.stderr
    assert (tmp_path / "new" / "model_card.json").exists()
    old = invoke(*base, "--model", tmp_path / "old")
    assert old.exit_code == 0, old.output
    assert "Warning: --model on train is deprecated; use -o/--output.\n" in old.stderr
    assert (tmp_path / "old" / "model_card.json").exists()
    both = invoke(*base, "--model", tmp_path / "a", "-o", tmp_path / "b")
    assert both.exit_code == 2 and "once" in both.stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


@pytest.mark.parametrize("args", [
    ["label", "x.csv", "--text-col", "vraag1"],
    ["train", "x.csv"],
    ["review", "x.csv"],
    ["accept", "x.xlsx"],
    ["suggest", "x.csv"],
    ["check-labels", "x.csv"],
])
def test_a_missing_required_option_is_a_usage_error(args):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Missing option" in result.stderr
    assert result.stderr.startswith("Usage: ")


def test_report_refuses_by_given_twice(tmp_path, model_dir):
    labelled = write_csv(tmp_path / "l.csv", ["text"], [["x"]])
    result = invoke("report", labelled, "--model", model_dir, "--by", "gemeente", "--by", "domein")
    assert result.exit_code == 2, result.output
    assert "--by given 2 times (gemeente, domein)" in result.stderr


def test_agreement_with_a_text_column_per_file(tmp_path, codebook_path):
    a = write_labels(tmp_path / "a.csv")
    rows = [[f"b{i}", text, themes] for i, (text, themes) in enumerate(LABEL_ROWS)]
    b = write_csv(tmp_path / "b.csv", ["id", "suggesties", "themes"], rows)
    result = invoke("agreement", a, b, "--codebook", codebook_path, "--text-col-b", "suggesties")
    assert result.exit_code == 0, result.output
    assert f"Matched {len(LABEL_ROWS)} answers (0 only in A, 0 only in B)." in result.output
    # with the one rule both would need 'text': B has no such column, and the message says how to name it
    missing = invoke("agreement", a, b, "--codebook", codebook_path)
    assert missing.exit_code == 1
    assert "no answer column named text, answer, antwoord or tekst; name it with --text-col" in missing.stderr
    # --text-col still names both
    c = write_csv(tmp_path / "c.csv", ["id", "suggesties", "themes"], rows)
    both = invoke("agreement", b, c, "--codebook", codebook_path, "--text-col", "suggesties")
    assert both.exit_code == 0, both.output
    assert f"Matched {len(LABEL_ROWS)} answers" in both.output


def test_agreement_finds_a_labelled_outputs_answer_column_by_the_one_rule(tmp_path, codebook_path):
    from conftest import SLUGS

    a = write_labels(tmp_path / "a.csv")
    header = ["id", "suggesties", "predicted_themes", *[f"score_{s}" for s in SLUGS], "confidence", "needs_review"]
    rows = [[f"b{i}", text, themes, *["0.9" if s in themes.split(";") else "0.1" for s in SLUGS], "0.8", "false"]
            for i, (text, themes) in enumerate(LABEL_ROWS)]
    rows.append(["leeg", "", "", "", "", "", "", "false"])  # a blank answer: no scores
    b = write_csv(tmp_path / "b.csv", header, rows)
    result = invoke("agreement", a, b, "--codebook", codebook_path)
    assert result.exit_code == 0, result.output
    assert f"Matched {len(LABEL_ROWS)} answers (0 only in A, 0 only in B)." in result.output
    assert "exact theme set the same: 100%" in result.output


def test_one_rule_finds_the_answer_column():
    from pgtext.files.columns import text_column

    assert text_column(["id", "Antwoord"], None, "f.csv") == "Antwoord"
    assert text_column(["tekst", "text"], None, "f.csv") == "text"  # in the documented order
    assert text_column(["id", "suggesties"], None, "f.csv", answered=["suggesties"]) == "suggesties"
    assert text_column(["id", "suggesties"], "Suggesties ", "f.csv") == "suggesties"
    with pytest.raises(InputError, match="name it with --text-col"):
        text_column(["id", "suggesties", "toelichting"], None, "f.csv", answered=["suggesties", "toelichting"])


def test_the_python_api_passes_the_table_options_on(tmp_path, codebook_path, reads):
    import pgtext

    table = write_csv(tmp_path / "tabel.csv", ["text", "themes"], [["Meer huizen", "wonen"]], ";", "cp1252")
    with pytest.raises(_Stop):
        pgtext.train(table, codebook=codebook_path, embedder="fake", encoding="cp1252", delimiter=";", sheet="Data")
    with pytest.raises(_Stop):
        pgtext.report(table, encoding="cp1252", delimiter=";", sheet="Data")
    assert reads == [{"path": str(table), "encoding": "cp1252", "delimiter": ";", "sheet": "Data"}] * 2
