"""The installed `pgtext` console script, run for real in a subprocess: train, then label."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pgtext import __version__
from pgtext.files.tables import read_table

PGTEXT = Path(sys.executable).parent / "pgtext"


def run(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(PGTEXT), *map(str, args)], capture_output=True, text=True, env=env, timeout=120)


def test_help_and_version():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    assert "Code open Dutch survey answers into codebook themes, locally." in result.stdout
    for command in ("label", "themes", "train"):
        assert command in result.stdout
    version = run("--version")
    assert version.stdout.strip() == f"pgtext, version {__version__}"


def test_train_then_label(tmp_path, labels_path, codebook_path, exports):
    env = {**os.environ, "PGTEXT_CACHE_DIR": str(tmp_path / "cache")}
    model = tmp_path / "model"
    trained = run("train", labels_path, "-o", model, "--embedder", "fake", "--codebook", codebook_path,
                  "--folds", "3", env=env)
    assert trained.returncode == 0, trained.stderr
    assert trained.stdout.splitlines()[-1] == f"Model written to {model}"
    assert (model / "head.npz").exists() and (model / "model_card.json").exists()

    out = tmp_path / "gelabeld.xlsx"
    labelled = run("label", exports["cp1252"], "--model", model, "--text-col", "vraag2", "-o", out, env=env)
    assert labelled.returncode == 0, labelled.stderr
    assert labelled.stdout.splitlines()[0] == "Read 12 rows; labelled 8 answers; 4 blank answers skipped."
    assert labelled.stderr == ""
    frame = read_table(out).frame
    assert len(frame) == 12
    assert frame.columns[:4].tolist() == ["respondent_id", "gemeente", "vraag1", "vraag2"]
    assert frame["vraag2"][1] == "De bus rijdt maar één keer per uur."
    assert (tmp_path / "cache" / "embeddings.sqlite").exists()

    again = run("label", exports["cp1252"], "--model", model, "--text-col", "vraag2", "-o", out, env=env)
    assert again.returncode == 1
    assert again.stderr == f"Error: {out}: already exists; choose another --output or add --force to replace it.\n"
