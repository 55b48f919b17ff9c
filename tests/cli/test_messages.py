"""One line and exit 1, never a traceback: what the system refuses, unusable caches, sheet titles,
SIGTERM, and advice that names only options the command has (issue 12, "Tracebacks and misleading messages")."""

from __future__ import annotations

import csv
import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import (
    EXPORT_COLUMNS,
    EXPORT_ROWS,
    assert_one_line_error,
    invoke,
    write_csv,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from pgtext import config
from pgtext.cli import cli
from pgtext.cli.advice import fit, named_options, options_of
from pgtext.embed import embed_texts
from pgtext.embed.cache import EmbeddingCache, text_key
from pgtext.files.safe_cells import SHEET_TITLE_LIMIT, sheet_titles
from pgtext.files.tables import read_table
from tests.fakes import PGTEXT_WITH_FAKE, FakeEmbedder

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TEXTS = [f"Antwoord {i}: meer woningen en een betere bus." for i in range(40)]


@pytest.fixture
def export(tmp_path) -> Path:
    return write_csv(tmp_path / "export.csv", EXPORT_COLUMNS, [list(r) for r in EXPORT_ROWS])


def _refuse(monkeypatch, target: str, code: int = errno.EACCES) -> None:
    """Make ``target`` (a dotted name) fail as the operating system does on a folder that is not writable."""

    def refuse(suffix=None, prefix=None, dir=None, **kwargs):
        name = os.path.join(dir or ".", f"{prefix or 'tmp'}abcd1234{suffix or ''}")
        raise OSError(code, os.strerror(code), name)

    monkeypatch.setattr(target, refuse)


# --- What the system refuses -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_output_folder_that_is_not_writable_is_one_line(tmp_path, export, model_dir, monkeypatch, suffix):
    out = tmp_path / "alleen-lezen" / f"uit{suffix}"
    out.parent.mkdir()
    _refuse(monkeypatch, "pgtext.files.outputs.tempfile.mkstemp")
    result = invoke("label", export, "--model", model_dir, "--text-col", "vraag1", "-o", out)
    assert_one_line_error(result, f"{out}: cannot write in {out.parent} (Permission denied); choose another folder.")
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("command", ["report", "evaluate", "review"])
def test_every_writer_names_the_output_when_its_folder_is_not_writable(tmp_path, model_dir, labels_path, codebook_path,
                                                                        monkeypatch, command):
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    labelled = CORPUS / "labelled_formulas.csv"
    args, out = {
        "report": (["report", labelled, "--model", model_dir, "--text-col", "vraag1", "-o"], folder / "rapport.md"),
        "evaluate": (["evaluate", labels_path, "--model", model_dir, "--json"], folder / "eval.json"),
        "review": (["review", labelled, "--codebook", codebook_path, "--text-col", "vraag1", "-o"], folder / "review.xlsx"),
    }[command]
    _refuse(monkeypatch, "pgtext.files.outputs.tempfile.mkstemp")
    result = invoke(*args, out)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    # evaluate warns first that the gold is its own training data; the error is the last line
    assert result.stderr.splitlines()[-1] == f"Error: {out}: cannot write in {folder} (Permission denied); choose another folder."
    assert list(folder.iterdir()) == []


def test_a_full_disk_while_writing_the_model_is_one_line_naming_the_folder(tmp_path, labels_path, codebook_path, monkeypatch):
    target = tmp_path / "modellen" / "nieuw"
    _refuse(monkeypatch, "pgtext.model.store.tempfile.mkdtemp", errno.ENOSPC)
    result = invoke("train", labels_path, "-o", target, "--embedder", "fake", "--codebook", codebook_path,
                    "--folds", "2", "--features", "embeddings")
    # the hidden temporary name is mapped back to the folder the user named
    assert_one_line_error(result, f"{target}: cannot write here (No space left on device); choose another -o/--output folder.")


def test_an_input_that_cannot_be_read_is_one_line(tmp_path, export, model_dir, monkeypatch):
    real_open = Path.open

    def locked(self, *args, **kwargs):
        if self == export:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    result = invoke("label", export, "--model", model_dir, "--text-col", "vraag1", "-o", tmp_path / "uit.csv")
    assert_one_line_error(
        result, f"{export}: permission denied; check that you may read or write there, or choose another file or folder."
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_really_read_only_folder_is_one_line(tmp_path, export, model_dir):
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = invoke("label", export, "--model", model_dir, "--text-col", "vraag1", "-o", folder / "uit.csv")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: {folder / 'uit.csv'}: cannot write in {folder}")


# --- An embedding cache that cannot be used ----------------------------------------------------


def _hold_exclusive_lock(folder: Path) -> sqlite3.Connection:
    """Another process in the middle of writing the cache, holding SQLite's exclusive lock."""
    cache = EmbeddingCache(folder)
    cache.put_many("iets", {text_key("iets"): np.ones(2, dtype=np.float32)})
    cache.close()
    other = sqlite3.connect(folder / "embeddings.sqlite", isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO embeddings VALUES ('ander', 'proces', x'00')")
    return other


def test_a_locked_cache_is_given_up_once_and_vectors_still_come(tmp_path):
    other = _hold_exclusive_lock(tmp_path)
    heard: list[str] = []
    try:
        cache = EmbeddingCache(tmp_path, on_problem=heard.append, timeout=0.05)
        vectors = embed_texts(FakeEmbedder(), TEXTS, cache=cache, batch_size=8)  # five batches: five writes
    finally:
        other.close()
    np.testing.assert_array_equal(vectors, FakeEmbedder().embed(TEXTS))
    assert len(heard) == 1 and heard[0] == cache.problem
    assert "database is locked: another pgtext run may be writing it" in heard[0]
    assert "--no-cache" in heard[0]


class _FullDisk:
    """A connection whose writes fail as SQLite's do on a full disk; reads work."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real
        self.writes = 0

    def execute(self, *args):
        return self.real.execute(*args)

    def executemany(self, *args):
        self.writes += 1
        raise sqlite3.OperationalError("database or disk is full")

    def __enter__(self):
        return self.real.__enter__()

    def __exit__(self, *exc):
        return self.real.__exit__(*exc)

    def close(self) -> None:
        self.real.close()


def test_a_full_disk_under_the_cache_is_given_up_once(tmp_path):
    heard: list[str] = []
    cache = EmbeddingCache(tmp_path, on_problem=heard.append)
    full = _FullDisk(cache._connect())
    cache._conn = full
    vectors = embed_texts(FakeEmbedder(), TEXTS, cache=cache, batch_size=8)
    np.testing.assert_array_equal(vectors, FakeEmbedder().embed(TEXTS))
    assert full.writes == 1  # given up after the first failed write, not tried once per batch
    assert len(heard) == 1 and "(database or disk is full)" in heard[0]
    assert cache.get_many(FakeEmbedder.id, [text_key(TEXTS[0])]) == {}


def test_a_cache_that_cannot_be_opened_is_given_up(tmp_path):
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    heard: list[str] = []
    cache = EmbeddingCache(blocker / "cache", on_problem=heard.append)
    assert cache.get_many("x", ["a"]) == {}
    cache.put_many("x", {"a": np.ones(2, dtype=np.float32)})
    assert len(heard) == 1 and heard[0].startswith(f"{blocker / 'cache' / 'embeddings.sqlite'}: the embedding cache cannot be used")


def test_label_with_a_locked_cache_warns_once_and_writes_the_same_output(tmp_path, export, model_dir, monkeypatch):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    monkeypatch.setattr(config, "CACHE_TIMEOUT", 0.05)
    other = _hold_exclusive_lock(cache_dir)
    try:
        locked = invoke("label", export, "--model", model_dir, "--text-col", "vraag1", "--cache-dir", cache_dir,
                        "-o", tmp_path / "uit.csv")
    finally:
        other.close()
    invoke("label", export, "--model", model_dir, "--text-col", "vraag1", "--no-cache", "-o", tmp_path / "vers.csv")
    assert locked.exit_code == 0, locked.output
    warnings = [line for line in locked.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1 and "embedding cache cannot be used (database is locked" in warnings[0]
    assert (tmp_path / "uit.csv").read_bytes() == (tmp_path / "vers.csv").read_bytes()


# --- Sheet titles ------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=6))
def test_sheet_titles_are_always_ones_excel_accepts(names):
    titles = sheet_titles(names)
    assert len(titles) == len(names)
    assert len({t.casefold() for t in titles}) == len(titles)
    for title in titles:
        assert 1 <= len(title) <= SHEET_TITLE_LIMIT
        assert not set(title) & set("[]:*?/\\") and not title.startswith("'") and not title.endswith("'")
        assert title.casefold() != "history"


def test_sheet_titles_keep_what_they_can():
    assert sheet_titles(["themes", "by gemeente", "totals"]) == ["themes", "by gemeente", "totals"]
    long = "by " + "a" * 40
    assert sheet_titles([long, long[:-1]]) == [long[:31], long[:27] + " (2)"]
    assert sheet_titles(["by regio/gemeente [2026]?"]) == ["by regio_gemeente _2026__"]


def test_report_by_a_column_with_slashes_and_brackets_writes_the_workbook(tmp_path, model_dir):
    header = ["respondent_id", "regio/gemeente: [2026]?", "vraag1", "predicted_themes", "score_wonen", "score_vervoer",
              "score_eenzaamheid", "confidence", "needs_review"]
    rows = [[f"R{i}", "Enschede" if i % 2 else "Hengelo", "Meer huizen.", "wonen", "0.9", "0.1", "0.1", "0.9", "false"]
            for i in range(6)]
    labelled = write_csv(tmp_path / "gelabeld.csv", header, rows)
    out = tmp_path / "rapport.xlsx"
    result = invoke("report", labelled, "--model", model_dir, "--text-col", "vraag1", "--by", header[1], "-o", out)
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["themes", "by regio_gemeente_ _2026__", "totals", "quotes", "notes"]


# --- --model . and SIGTERM ---------------------------------------------------------------------


def test_train_force_into_a_folder_that_is_not_a_model_is_refused(tmp_path, labels_path, codebook_path, monkeypatch):
    (tmp_path / "notities.txt").write_text("mijn aantekeningen")
    monkeypatch.chdir(tmp_path)
    result = invoke("train", labels_path, "-o", ".", "--embedder", "fake", "--codebook", codebook_path, "--force")
    assert_one_line_error(
        result,
        ".: is not a pgtext model folder (no model_card.json; it holds notities.txt); --force replaces only a folder 'pgtext train' wrote. Choose another -o/--output folder.",
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notities.txt"]


def test_train_force_with_model_dot_inside_a_model_folder_replaces_it(tmp_path, model_dir, labels_path, codebook_path, monkeypatch):
    folder = tmp_path / "model"
    shutil.copytree(model_dir, folder)
    monkeypatch.chdir(folder)
    again = invoke("train", labels_path, "-o", ".", "--embedder", "fake", "--codebook", codebook_path, "--force",
                   "--folds", "2", "--features", "embeddings")
    assert again.exit_code == 0, again.output
    assert (folder / "model_card.json").is_file()


_SLOW_WRITE = """
import os, sys, time
ready = os.environ["PGTEXT_TEST_READY"]
real_replace, real_link = os.replace, os.link
def slowly(publish):
    def slow(src, dst, *args, **kwargs):
        open(ready, "w").close()
        time.sleep(60)  # the temporary file is written and not yet published: SIGTERM comes now
        return publish(src, dst, *args, **kwargs)
    return slow
os.replace, os.link = slowly(real_replace), slowly(real_link)
import runpy
runpy.run_path(sys.argv.pop(1), run_name="__main__")  # tests/run_pgtext.py: the CLI with the fake embedder
"""


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path, export, model_dir):
    script = tmp_path / "langzaam.py"
    script.write_text(_SLOW_WRITE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    ready = tmp_path / "klaar"
    env = {**os.environ, "PGTEXT_TEST_READY": str(ready), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(
        [sys.executable, str(script), PGTEXT_WITH_FAKE[1], "label", str(export), "--model", str(model_dir), "--text-col", "vraag1",
         "-o", str(out / "uit.csv")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), proc.communicate(timeout=5)
        assert [p.name for p in out.iterdir() if p.name.startswith(".uit.csv.")]  # the temporary file is there
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stdout + stderr and "Aborted!" in stderr
    assert list(out.iterdir()) == []


def test_sigterm_handler_is_restored_after_a_command(export, model_dir, tmp_path):
    before = signal.getsignal(signal.SIGTERM)
    result = invoke("label", export, "--model", model_dir, "--text-col", "vraag1", "-o", tmp_path / "uit.csv")
    assert result.exit_code == 0
    assert signal.getsignal(signal.SIGTERM) == before


# --- Reading: mixed encodings, .tsv ------------------------------------------------------------

_ACCENTED = st.text(alphabet="abcdeéëïöü€çñ ,.;!?", min_size=1, max_size=30).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_ACCENTED, st.booleans()), min_size=2, max_size=12))
def test_a_utf8_file_with_some_cp1252_lines_keeps_every_answer_exact(tmp_path_factory, rows):
    """Whatever the mix, no answer is garbled: UTF-8 lines exact, the cp1252 ones named and read as cp1252."""
    rows = [*rows, ("Ideeën genoeg", False)]  # at least one line that is really UTF-8
    path = tmp_path_factory.mktemp("mix") / "export.csv"
    lines = [b"respondent_id,vraag1\r\n"]
    for i, (text, windows) in enumerate(rows, 1):
        lines.append(f'R{i},"{text}"\r\n'.encode("cp1252" if windows else "utf-8"))
    path.write_bytes(b"".join(lines))
    table = read_table(path)
    assert table.frame["vraag1"].tolist() == [text for text, _ in rows]
    garbled_lines = [i + 1 for i, (text, windows) in enumerate(rows, 1) if windows and text.encode("cp1252") != text.encode("utf-8")]
    if garbled_lines:
        assert any(f"{garbled_lines[0]}" in note and "not UTF-8" in note for note in table.notes), table.notes
    else:
        assert not any("not UTF-8" in note for note in table.notes)


def test_a_big_mixed_file_is_not_garbled_by_the_chunked_path(tmp_path, model_dir):
    from pgtext.label.streaming import label_file
    from pgtext.model.store import load_model

    source = tmp_path / "groot.csv"
    body = [f"R{i},Café nummer {i} en meer ideeën\r\n".encode("cp1252" if i == 7 else "utf-8") for i in range(300)]
    source.write_bytes(b"respondent_id,vraag1\r\n" + b"".join(body))
    summary = label_file(source, tmp_path / "uit.csv", load_model(model_dir), FakeEmbedder(), ["vraag1"],
                         stream_min_bytes=1, chunk_rows=50)
    assert any("line 9 of the file is not UTF-8" in n for n in summary.notes), summary.notes
    assert read_table(tmp_path / "uit.csv").frame["vraag1"].tolist() == [f"Café nummer {i} en meer ideeën" for i in range(300)]


@pytest.mark.parametrize("stream", [False, True])
def test_tsv_output_is_tab_separated_and_reads_back(tmp_path, model_dir, stream):
    from pgtext.label.streaming import label_file
    from pgtext.model.store import load_model

    source = write_csv(tmp_path / "export.csv", EXPORT_COLUMNS, [list(r) for r in EXPORT_ROWS], ";")
    target = tmp_path / "uit.tsv"
    label_file(source, target, load_model(model_dir), FakeEmbedder(), ["vraag1"], stream_min_bytes=1 if stream else 10**9)
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    assert rows[0][:4] == EXPORT_COLUMNS
    assert [r[:4] for r in rows[1:]] == [list(r) for r in EXPORT_ROWS]
    back = read_table(target)
    assert back.delimiter == "\t" and back.frame["vraag1"].tolist() == [r[2] for r in EXPORT_ROWS]


# --- Advice names only options the command has -------------------------------------------------


def test_fit_rewords_advice_about_options_the_command_lacks():
    themes = cli.get_command(None, "themes")  # reads a codebook CSV, and has no --delimiter
    label = cli.get_command(None, "label")
    message = "x.csv: cannot parse as CSV with delimiter ',' (eh); try --delimiter ';' or --delimiter ',' or --delimiter tab."
    assert fit(message, label) == message
    assert fit(message, themes) == "x.csv: cannot parse as CSV with delimiter ',' (eh); save it again from Excel as 'CSV UTF-8'."
    assert named_options(fit(message, themes)) == set()
    accept = cli.get_command(None, "accept")  # reads a labels file, and has no --text-col
    missing = "l.csv: no answer column named text, answer, antwoord or tekst; name it with --text-col (columns here: a)."
    assert fit(missing, accept) == "l.csv: no answer column named text, answer, antwoord or tekst; rename it to 'text' (columns here: a)."


def _bad_files() -> list[str]:
    return [
        "empty.csv", "png_renamed.csv", "xlsx_renamed.csv", "binary_with_nuls.csv", "damaged.xlsx", "old_excel.xls",
        "password_protected.xlsx", "opendocument.ods", "spss.sav", "empty_sheet.xlsx", "ragged.csv",
        "delimiter_in_answer.csv", "unclosed_quote.csv", "unknown_encoding.csv", "several_sheets.xlsx",
        "duplicate_columns.csv", "invisible_in_header.csv", "ambiguous_columns.csv", "mixed_encoding.csv",
    ]


#: Each command that reads a table, with the bad file ({bad}) where it reads one.
COMMANDS = {
    "label": "label {bad} --model {model} --text-col vraag1 -o {out}/uit.csv",
    "train": "train {bad} -o {out}/model --embedder fake --codebook {codebook}",
    "evaluate": "evaluate {bad} --model {model}",
    "agreement": "agreement {bad} {labels} --codebook {codebook}",
    "review": "review {bad} --codebook {codebook} -o {out}/review.xlsx",
    "accept": "accept {bad} --labels {out}/labels.csv --codebook {codebook}",
    "suggest": "suggest {bad} --model {model} --text-col vraag1 -o {out}/next.xlsx",
    "check-labels": "check-labels {bad} --embedder fake --codebook {codebook} -o {out}/check.xlsx",
    "report": "report {bad} --model {model}",
    "discover": "discover {bad} --model {model}",
    "themes": "themes --codebook {bad}",
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_on_bad_files_gives_one_line_naming_only_its_own_options(command, tmp_path, model_dir, codebook_path, labels_path):
    have = options_of(cli.get_command(None, command))
    runner = CliRunner()
    problems = []
    for name in _bad_files():
        out = Path(tempfile.mkdtemp(dir=tmp_path))
        values = {"bad": str(CORPUS / name), "model": str(model_dir), "codebook": str(codebook_path),
                  "labels": str(labels_path), "out": str(out)}
        args = COMMANDS[command].format(**values).split()
        result = runner.invoke(cli, args)
        said = result.stdout + result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            problems.append(f"{name}: {type(result.exception).__name__}: {result.exception}")
            continue
        if "Traceback" in said or result.exit_code not in (0, 1):
            problems.append(f"{name}: exit {result.exit_code}: {said[-300:]}")
        if result.exit_code == 1 and not result.stderr.splitlines()[-1].startswith("Error: "):
            problems.append(f"{name}: no one-line error: {result.stderr[-300:]}")
        missing = named_options(said) - have
        if missing:
            problems.append(f"{name}: names {sorted(missing)}, which '{command}' lacks: {said.strip()[-300:]}")
    assert not problems, "\n".join(problems)


def test_column_names_match_ignoring_invisible_characters_and_errors_show_them():
    from pgtext.errors import InputError
    from pgtext.files.columns import resolve_column

    columns = ["respondent_id", "\u200bvraag1", "toe\u00adlichting", "Q5\u00a0-\u00a0Toelichting", "\ufeffgemeente"]
    assert resolve_column(columns, "vraag1", "x.csv", "--text-col") == "\u200bvraag1"
    assert resolve_column(columns, "toelichting", "x.csv", "--text-col") == "toe\u00adlichting"
    assert resolve_column(columns, "q5 - toelichting", "x.csv", "--text-col") == "Q5\u00a0-\u00a0Toelichting"
    assert resolve_column(columns, "gemeente", "x.csv", "--id-col") == "\ufeffgemeente"
    with pytest.raises(InputError) as err:
        resolve_column(columns, "vraag2", "x.csv", "--text-col")
    assert str(err.value) == (
        "x.csv: no column 'vraag2' (--text-col); columns here: respondent_id, \\u200bvraag1, toe\\u00adlichting, "
        "Q5\\u00a0-\\u00a0Toelichting, \\ufeffgemeente."
    )
