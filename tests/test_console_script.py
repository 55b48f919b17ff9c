"""The pgtext CLI run for real in a subprocess: the installed `pgtext` script, and train then label.

The fake embedder is no part of pgtext, so training and labelling with it run through
tests/run_pgtext.py (the same CLI with the fake registered); the installed script shows
that it offers no fake and refuses a model trained with one in one line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pgtext import __version__
from pgtext.files.tables import read_table
from tests.fakes import PGTEXT_WITH_FAKE

PGTEXT = Path(sys.executable).parent / "pgtext"


def run(*args, env=None, script=(str(PGTEXT),)) -> subprocess.CompletedProcess:
    return subprocess.run([*script, *map(str, args)], capture_output=True, text=True, env=env, timeout=120)


def run_with_fake(*args, env=None) -> subprocess.CompletedProcess:
    return run(*args, env=env, script=PGTEXT_WITH_FAKE)


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
    trained = run_with_fake("train", labels_path, "-o", model, "--embedder", "fake", "--codebook", codebook_path,
                  "--folds", "3", env=env)
    assert trained.returncode == 0, trained.stderr
    assert trained.stdout.splitlines()[-1] == f"Model written to {model}"
    assert (model / "head.npz").exists() and (model / "model_card.json").exists()

    out = tmp_path / "gelabeld.xlsx"
    labelled = run_with_fake("label", exports["cp1252"], "--model", model, "--text-col", "vraag2", "-o", out, env=env)
    assert labelled.returncode == 0, labelled.stderr
    assert labelled.stdout.splitlines()[0] == "Read 12 rows; labelled 8 answers; 4 blank answers skipped."
    assert labelled.stderr == ""
    frame = read_table(out).frame
    assert len(frame) == 12
    assert frame.columns[:4].tolist() == ["respondent_id", "gemeente", "vraag1", "vraag2"]
    assert frame["vraag2"][1] == "De bus rijdt maar één keer per uur."
    assert (tmp_path / "cache" / "embeddings.sqlite").exists()

    again = run_with_fake("label", exports["cp1252"], "--model", model, "--text-col", "vraag2", "-o", out, env=env)
    assert again.returncode == 1
    assert again.stderr == f"Error: {out}: already exists; choose another --output or add --force to replace it.\n"


def test_the_installed_script_offers_no_fake_embedder(tmp_path, labels_path, codebook_path, model_dir, exports):
    env = {**os.environ, "PGTEXT_CACHE_DIR": str(tmp_path / "cache")}
    assert "fake" not in run("train", "--help", env=env).stdout
    trained = run("train", labels_path, "-o", tmp_path / "model", "--embedder", "fake", "--codebook", codebook_path, env=env)
    assert trained.returncode == 1
    assert trained.stderr.startswith("Error: embedder 'fake' is neither a folder nor a model name like 'org/model';")
    assert not (tmp_path / "model").exists()

    labelled = run("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1", "-o", tmp_path / "uit.csv", env=env)
    assert labelled.returncode == 1
    assert labelled.stderr == (
        f"Error: {model_dir / 'model_card.json'}: embedder 'fake' is not available; the model was trained with an "
        "embedder that a test or plugin registers (pgtext.embed.register_embedder). Load it where that is registered, "
        "or train it again.\n"
    )
    assert not (tmp_path / "uit.csv").exists()
