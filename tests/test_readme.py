"""The README's examples run as written and change nothing the repository tracks.

Every ```bash block of README.md runs, in order, in a scratch copy of the tracked files (``git
ls-files``), with this checkout's pgtext first on PATH and on PYTHONPATH. Afterwards ``git status``
of the copy may show only ``out/``: following the README must never rewrite the labels, the shipped
model, the docs' images, the benchmark results or the samples.

Skipped: a block whose first line starts with ``# not in tests`` (MARKER; a reason may follow), and any block that installs or runs
the tests (NEVER), marked or not. Before a block runs ``pgtext accept SHEET``, the sheet's unsigned rows
get ``reviewer`` = ``test``: the stand-in for the person who reviews it (accept refuses an unsigned,
untouched sheet, as it should).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pgtext.config import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
MARKER = "# not in tests"
NEVER = ("pip install", "pytest")  # installs and test runs never run here, marked or not
ALLOWED = "out/"  # the only place the README's examples may write
_BLOCK = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)
_ACCEPT = re.compile(r"pgtext accept (\S+)")


def readme_blocks(text: str) -> list[str]:
    return [match.group(1) for match in _BLOCK.finditer(text)]


def runnable(block: str) -> bool:
    first = block.lstrip().splitlines()[0] if block.strip() else ""
    return not first.strip().startswith(MARKER) and not any(word in block for word in NEVER)


def test_readme_blocks_are_found_and_marked():
    blocks = readme_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 10
    run = [b for b in blocks if runnable(b)]
    assert any("pgtext label" in b for b in run) and any("pgtext accept" in b for b in run)
    assert not any("pip install" in b or "pytest" in b for b in run)
    assert not any("python benchmarks/" in b for b in run)  # benchmarks take minutes: marked


def _scratch_copy(target: Path) -> None:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the README test copies the tracked files")
    for name in filter(None, listed.decode().split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():  # a file deleted but not yet committed is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    subprocess.run([*git, "add", "-A"], cwd=target, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "scratch copy"], cwd=target, check=True)


def _shims(folder: Path) -> Path:
    """``pgtext`` and ``python`` on PATH run this interpreter, whatever is installed."""
    folder.mkdir()
    for name, line in (("pgtext", "-m pgtext "), ("python", ""), ("python3", "")):
        shim = folder / name
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" {line}"$@"\n', encoding="utf-8")
        shim.chmod(0o755)
    return folder


def _sign(sheet: Path) -> None:
    """What a reviewer does before accept: initials on every row they checked (here: all)."""
    from openpyxl import load_workbook

    from pgtext.files.tables import read_table, write_table

    if sheet.suffix.lower() == ".xlsx":
        book = load_workbook(sheet)
        ws = book["review"] if "review" in book.sheetnames else book.worksheets[0]
        header = [c.value for c in ws[1]]
        column = header.index("reviewer") + 1
        for row in range(2, ws.max_row + 1):
            if ws.cell(row=row, column=column).value in (None, ""):
                ws.cell(row=row, column=column).value = "test"
        book.save(sheet)
    else:
        table = read_table(sheet)
        frame = table.frame
        frame.loc[frame["reviewer"].str.strip() == "", "reviewer"] = "test"
        write_table(frame, sheet, delimiter=table.delimiter or ",")


@pytest.mark.real_model  # the README labels with the shipped model; about 4 CPU-minutes on 2 cores
def test_readme_examples_run_and_change_nothing_tracked(tmp_path):
    text = README.read_text(encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    _scratch_copy(repo)
    env = {
        **os.environ,
        "PATH": f"{_shims(tmp_path / 'bin')}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(repo),
        "PYTHONDONTWRITEBYTECODE": "1",  # nothing but the examples' own outputs in the copy
    }
    env.pop("PGTEXT_MODEL", None)
    signed: set[Path] = set()
    ran = 0
    printed = []
    for number, block in enumerate(readme_blocks(text), start=1):
        if not runnable(block):
            continue
        for name in _ACCEPT.findall(block):
            sheet = repo / name
            if sheet.exists() and sheet not in signed:
                _sign(sheet)
                signed.add(sheet)
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block], cwd=repo, env=env, capture_output=True, text=True, timeout=900,
        )
        if result.returncode != 0:
            pytest.fail(
                f"README bash block {number} failed (exit {result.returncode}):\n{block}\n"
                f"--- stdout ---\n{result.stdout[-3000:]}\n--- stderr ---\n{result.stderr[-3000:]}"
            )
        printed.append(result.stdout)
        ran += 1
    assert ran >= 10 and signed, "the README's examples were not found"

    status = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=repo, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    outside = [line for line in status if not line[3:].startswith(ALLOWED)]
    assert outside == [], "following the README changed files outside out/"
    assert any(line[3:].startswith(ALLOWED) for line in status)  # and it did write its outputs there

    # The retrain command accept suggests is the one the README shows next.
    hints = [line.removeprefix("Retrain: ") for out in printed for line in out.splitlines() if line.startswith("Retrain: ")]
    assert hints and all(hint in text for hint in hints), hints


def test_benchmarks_write_to_out_unless_told_otherwise():
    """Running a benchmark as the README shows must not rewrite the tracked results (issue 15): every default
    output lies under out/, and benchmarks/results/ is written only when a maintainer names it."""
    import ast

    for script in sorted((PROJECT_ROOT / "benchmarks").glob("*.py")):
        tree = ast.parse(script.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):  # ROOT / "benchmarks" / "results" / ...
                parts = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                assert not ("benchmarks" in parts and "results" in parts), f"{script.name}:{node.lineno} writes into benchmarks/results"
