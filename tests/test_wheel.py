"""The lean install, for real: a wheel installed into a fresh venv without torch labels the sample export.

Builds a wheel (``pip wheel --no-deps``) from a copy of the checkout, installs it with its dependencies
(pip fetches onnxruntime, tokenizers, pandas, scikit-learn... or takes them from its cache) into a new
venv, checks that torch cannot be imported there, and runs ``pgtext label`` with the shipped model and
embedder from another folder. A few minutes the first time, well under one with a warm pip cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pgtext.files.tables import read_table

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "regioscan-2026.csv"
THEMES = ["gedeelde_visie", "netwerk", "praktische_implementatie", "lobby", "lokaal_aansluiten"]
#: Not copied into the build: environments, caches, earlier builds and outputs.
SKIP = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "out", "*.egg-info", "__pycache__",
                              ".pytest_cache", ".hypothesis", "checkpoints")

pytestmark = pytest.mark.wheel


def _run(args: list, cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def lean_venv(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    # Nothing of the checkout or the test run may leak in: no PYTHONPATH, no pgtext settings.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("PGTEXT_")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=SKIP)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work / "dist", source], work, env)
    (wheel,) = (work / "dist").glob("pgtext-*.whl")
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", venv], work, env)
    _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel], work, env, timeout=900)
    return venv


def _lean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("PGTEXT_")}
    env["PGTEXT_CACHE_DIR"] = str(tmp_path / "cache")
    return env


def test_the_lean_venv_has_no_torch_and_imports_the_installed_package(lean_venv, tmp_path):
    python = lean_venv / "bin" / "python"
    for module in ("torch", "sentence_transformers", "transformers"):
        probe = subprocess.run([python, "-c", f"import {module}"], cwd=tmp_path, env=_lean_env(tmp_path),
                               capture_output=True, text=True)
        assert probe.returncode != 0 and "ModuleNotFoundError" in probe.stderr, module
    where = _run([python, "-c", "import pgtext; print(pgtext.__file__)"], tmp_path, _lean_env(tmp_path)).stdout
    assert Path(where.strip()).is_relative_to(lean_venv)  # the wheel, not the checkout


def test_the_wheel_labels_the_sample_from_another_folder(lean_venv, tmp_path):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    shutil.copyfile(SAMPLE, elsewhere / "export.csv")
    proc = _run([lean_venv / "bin" / "pgtext", "label", "export.csv", "--text-col", "suggesties", "-o", "out.csv"],
                elsewhere, _lean_env(tmp_path))
    assert proc.stdout.splitlines()[0] == "Read 180 rows; labelled 72 answers; 108 blank answers skipped."
    assert "Embedded with" not in proc.stdout  # the shipped onnx file is the default: nothing to say
    source, out = read_table(SAMPLE).frame, read_table(elsewhere / "out.csv").frame
    added = ["predicted_themes", *(f"score_{t}" for t in THEMES), "confidence", "needs_review"]
    assert out.columns.tolist() == source.columns.tolist() + added
    assert len(out) == 180
    assert out["respondent_id"].tolist() == source["respondent_id"].tolist()
    answered = source["suggesties"].fillna("").str.strip() != ""
    scores = out.loc[answered, [f"score_{t}" for t in THEMES]].astype(float)
    assert scores.notna().all().all() and ((scores >= 0) & (scores <= 1)).all().all()
    assert out.loc[~answered, "score_lobby"].fillna("").astype(str).str.strip().eq("").all()
