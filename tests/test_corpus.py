"""The corpus of bad and messy inputs (tests/corpus/cases.csv), run through the CLI.

Each case names a file in tests/corpus, the command line ({input} is a copy of that file,
{out} an output path without extension, {model} the fake-embedder model the fixtures
train, {codebook} its codebook, {existing} an output file that is already there), the
exit code, a fragment the output must contain, and checks on the output file:

- rows=N                   the output has N data rows
- same_as_input=ENC/DELIM/SKIP
                           its first columns hold exactly the input's rows, read here with
                           Python's csv module (NUL characters removed, SKIP extra header rows)
- cell=COLUMN/ROW=TEXT     one cell (ROW counts data rows from 1) is exactly TEXT
- length=COLUMN/ROW=N      one cell is N characters long
- column=NAME              the output has this column
- delimiter=NAME           the output's fields are separated by comma, semicolon or tab
- formula_safe             no cell a spreadsheet would run: CSV cells neutralised, XLSX cells text

Every case also checks: no traceback, the input unchanged, and after a failure one
'Error: ...' line (exit 1) or a usage message (exit 2) and no output file left behind.
Cases marked in the subprocess column run once more as a real ``python -m pgtext`` process (through
tests/run_pgtext.py, which registers the fake embedder, where the case uses it).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pgtext.cli import cli
from pgtext.files.tables import read_table
from tests.fakes import PGTEXT_WITH_FAKE

CORPUS = Path(__file__).resolve().parent / "corpus"
with open(CORPUS / "cases.csv", encoding="utf-8", newline="") as _handle:
    CASES = list(csv.DictReader(_handle))
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HARMLESS = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?|-")
EXISTING = b"eerdere resultaten\r\n"


@dataclass
class Run:
    args: list[str]
    work: Path  # the copied inputs
    out: Path  # folder the output goes to
    existing: Path
    before: dict[str, str]  # hashes of the inputs


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def prepare(case: dict, tmp_path: Path, model: Path, codebook: Path) -> Run:
    work, out = tmp_path / "in", tmp_path / "out"
    work.mkdir()
    out.mkdir()
    source = CORPUS / case["file"]
    target = work / case["file"]
    shutil.copytree(source, target) if source.is_dir() else shutil.copy(source, target)
    for name in re.findall(r"\{corpus\}/(\S+)", case["args"]):
        shutil.copy(CORPUS / name, work / name)
    existing = out / "bestaand.csv"
    if "{existing}" in case["args"]:
        existing.write_bytes(EXISTING)
    values = {"input": str(target), "out": str(out / "uit"), "model": str(model), "codebook": str(codebook),
              "existing": str(existing), "corpus": str(work)}
    args = [re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], part) for part in shlex.split(case["args"])]
    return Run(args, work, out, existing, _snapshot(work))


def check(case: dict, run: Run, exit_code: int, stdout: str, stderr: str) -> None:
    expected_exit = int(case["exit"])
    assert exit_code == expected_exit, stdout + stderr
    assert "Traceback" not in stdout + stderr
    expect = case["expect"].replace("{input}", str(run.work / case["file"])).replace("{existing}", str(run.existing))
    assert expect in stdout + stderr, stdout + stderr
    assert _snapshot(run.work) == run.before, "an input file was changed"
    made = sorted(p for p in run.out.iterdir() if p != run.existing)
    if run.existing.exists():
        assert run.existing.read_bytes() == EXISTING
    if expected_exit == 1:
        lines = stderr.splitlines()
        assert lines and lines[-1].startswith("Error: ") and len(lines[-1]) < 400, stderr
        assert all(line.startswith(("Note: ", "Warning: ")) for line in lines[:-1]), stderr
    if expected_exit == 2:
        assert stderr.startswith("Usage: "), stderr
    if expected_exit:
        assert made == [], f"left behind: {made}"
        return
    assert len(made) == 1, made
    for item in filter(None, case["checks"].split("|")):
        _check_output(item, made[0], run.work / case["file"])


def _check_output(item: str, output: Path, source: Path) -> None:
    name, _, spec = item.partition("=")
    if name == "formula_safe":
        _assert_formula_safe(output)
        return
    frame = read_table(output).frame
    if name == "rows":
        assert len(frame) == int(spec)
    elif name == "delimiter":
        assert read_table(output).delimiter == DELIMITERS[spec]
        assert output.read_bytes().decode("utf-8-sig").splitlines()[0].count(DELIMITERS[spec]) == len(frame.columns) - 1
    elif name == "column":
        assert spec in frame.columns, list(frame.columns)
    elif name in ("cell", "length"):
        where, _, value = spec.partition("=")
        column, _, row = where.rpartition("/")
        cell = frame[column].iloc[int(row) - 1]
        assert (len(cell) == int(value)) if name == "length" else (cell == value), repr(cell)
    elif name == "same_as_input":
        encoding, delimiter, skip = spec.split("/")
        text = source.read_bytes().decode(encoding).replace("\x00", "")
        rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITERS[delimiter]) if r]
        width = len(rows[0])
        data = [r + [""] * (width - len(r)) for r in rows[1 + int(skip) :]]
        assert frame.iloc[:, :width].to_numpy().tolist() == data
    else:
        raise AssertionError(f"unknown check {item!r} in cases.csv")


def _assert_formula_safe(output: Path) -> None:
    if output.suffix == ".xlsx":
        book = load_workbook(output)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
        return
    text = output.read_bytes().decode("utf-8-sig")
    delimiter = read_table(output).delimiter
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        for cell in row:
            assert not cell.startswith(TRIGGERS) or HARMLESS.fullmatch(cell), repr(cell)


def test_the_corpus_has_at_least_30_cases_and_every_file_is_used():
    assert len(CASES) >= 30
    assert len({c["case"] for c in CASES}) == len(CASES)
    used = {c["file"] for c in CASES} | {n for c in CASES for n in re.findall(r"\{corpus\}/(\S+)", c["args"])}
    present = {p.name for p in CORPUS.iterdir()} - {"cases.csv", "make_corpus.py", "__pycache__"}
    assert used == present


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_corpus_case(case, tmp_path, model_dir, codebook_path):
    run = prepare(case, tmp_path, model_dir, codebook_path)
    result = CliRunner().invoke(cli, run.args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    check(case, run, result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("case", [c for c in CASES if c["subprocess"]], ids=lambda c: c["case"])
def test_corpus_case_in_a_real_process(case, tmp_path, model_dir, codebook_path):
    run = prepare(case, tmp_path, model_dir, codebook_path)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    # the fake embedder is registered by the tests, so cases with it start pgtext through tests/run_pgtext.py
    command = PGTEXT_WITH_FAKE if re.search(r"\{model\}|--model \{input\}|--embedder fake", case["args"]) else [sys.executable, "-m", "pgtext"]
    proc = subprocess.run(
        [*command, *run.args], capture_output=True, text=True, encoding="utf-8", env=env,
        cwd=tmp_path, timeout=120,
    )
    check(case, run, proc.returncode, proc.stdout, proc.stderr)
