"""Install size and start-up: the lean install (no torch) against one with the pgtext[torch] extra.

    python benchmarks/install.py                      # writes out/benchmarks/install.md (--output: elsewhere)
    python benchmarks/install.py --torch "torch --index-url https://download.pytorch.org/whl/cpu"

Builds a wheel from a copy of this checkout, installs it into two fresh venvs (pip takes what it can
from its cache): "lean" (`pip install pgtext`) and "torch" (torch first, pinned to a CPU build, then
`pip install 'pgtext[torch]'`). Reports each venv's size on disk (du) and the wall-clock time of
`pgtext label` on a 3-answer file, 3 runs each, every run with an empty embedding cache: that is
start-up (Python, pandas, scikit-learn, the embedding model) with next to no embedding work.
Run it by hand (a few minutes, about 2 GB of scratch space), not in CI.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "out" / "benchmarks" / "install.md"  # maintainers: --output benchmarks/results/install.md
SKIP = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "out", "*.egg-info", "__pycache__",
                              ".pytest_cache", ".hypothesis", "checkpoints")
ANSWERS = [
    "Meer samenwerking tussen de gemeenten in de regio.",
    "Geen idee.",
    "Een gezamenlijke visie en een lobby richting de zorgverzekeraar.",
]
RUNS = 3


def sh(args: list, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return proc


def size(folder: Path) -> int:
    return int(subprocess.run(["du", "-sb", str(folder)], capture_output=True, text=True).stdout.split()[0])


def timed_labels(venv: Path, csv: Path, work: Path, env: dict[str, str], extra: list[str]) -> list[float]:
    times = []
    for run in range(RUNS):
        cache = work / "cache"
        shutil.rmtree(cache, ignore_errors=True)  # every run cold: nothing embedded yet
        run_env = {**env, "PGTEXT_CACHE_DIR": str(cache)}
        start = time.perf_counter()
        sh([venv / "bin" / "pgtext", "label", csv, "--text-col", "antwoord", "-o", work / "out.csv", "--force",
            "-q", *extra], run_env, cwd=work)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--torch", default="torch==2.13.0",
                        help="pip arguments that install a CPU torch first [default: torch==2.13.0, the CPU wheel "
                             "on this project's machine; elsewhere add --index-url https://download.pytorch.org/whl/cpu]")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help="the report [default: out/benchmarks/install.md]; maintainers: benchmarks/results/install.md")
    parser.add_argument("--work", type=Path, help="scratch folder [default: a temporary one, removed afterwards]")
    parser.add_argument("--reuse", action="store_true", help="time the venvs an earlier run left in --work again")
    args = parser.parse_args()
    if args.reuse and not args.work:
        parser.error("--reuse needs --work")
    work = args.work or Path(tempfile.mkdtemp(prefix="pgtext-install-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("PGTEXT_")}
    lean, full = work / "lean", work / "torch"
    installs: dict[str, float] = {}
    try:
        if not args.reuse:
            shutil.copytree(ROOT, work / "source", ignore=SKIP, dirs_exist_ok=True)
            sh([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "dist", work / "source"], env)
            (wheel,) = (work / "dist").glob("pgtext-*.whl")
            for venv, steps in ((lean, [[str(wheel)]]), (full, [shlex.split(args.torch), [f"{wheel}[torch]"]])):
                sh([sys.executable, "-m", "venv", venv], env)
                start = time.perf_counter()
                for step in steps:
                    sh([venv / "bin" / "python", "-m", "pip", "install", "-q", *step], env)
                installs[venv.name] = time.perf_counter() - start
        load_before = os.getloadavg()[0]
        size_of = {venv.name: size(venv) for venv in (lean, full)}
        csv = work / "drie.csv"
        csv.write_text("respondent_id,antwoord\n" + "".join(f'R{i},"{a}"\n' for i, a in enumerate(ANSWERS, 1)),
                       encoding="utf-8")
        rows = [
            ("lean: `pip install pgtext`", lean, []),
            ("torch: `pip install 'pgtext[torch]'`, default backend (onnx)", full, []),
            ("torch: `pip install 'pgtext[torch]'`, `--backend torch`", full, ["--backend", "torch"]),
        ]
        timings = [(what, venv, timed_labels(venv, csv, work, env, extra)) for what, venv, extra in rows]
        torch_version = sh([full / "bin" / "python", "-c", "import torch; print(torch.__version__)"], env).stdout.strip()
        has_torch = subprocess.run([lean / "bin" / "python", "-c", "import torch"], env=env, capture_output=True).returncode == 0
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()[0]
    lines = [
        "# Install size and `pgtext label` start-up",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `python benchmarks/install.py` on {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}; torch in the torch venv: "
        f"{torch_version} (`{args.torch}`). Load average before/after timing: {load_before:.1f}/{load:.1f} "
        "(a shared machine shows up here: on an idle one every figure is smaller).",
        "",
        f"`pgtext label` on a 3-answer CSV, wall clock, {RUNS} runs, each with an empty embedding cache "
        "(so each loads the embedding model):",
        "",
        "| venv | size on disk | label start-up, fastest (s) | median (s) | runs (s) |",
        "|---|---:|---:|---:|---|",
    ]
    for what, venv, times in timings:
        lines.append(f"| {what} | {size_of[venv.name] / 2**20:,.0f} MB | {min(times):.2f} | {statistics.median(times):.2f} | "
                     + " / ".join(f"{t:.2f}" for t in times) + " |")
    lines += ["", f"`import torch` in the lean venv: {'works' if has_torch else 'fails (not installed)'}."]
    if installs:
        lines[-1] += f" Install times (pip cache warm): lean {installs['lean']:.0f} s, torch {installs['torch']:.0f} s."
    lines.append("")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
