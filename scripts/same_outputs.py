"""Are pgtext's outputs on the shipped samples byte-identical between two git revisions? (issue 13)

    python scripts/same_outputs.py BEFORE [AFTER]      # AFTER defaults to the working tree

Runs label (wide and long, CSV and XLSX), review, report and discover with the shipped model
on the sample exports in a scratch checkout of each revision, with one shared embedding cache,
and compares every output file byte for byte (XLSX: cell values of every sheet, since the zip
holds timestamps). Prints one line per output and exits 1 when any differs. Nothing in the
repository is written.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STEPS = [
    ["label", "samples/regioscan-2026.csv", "--text-col", "suggesties", "-o", "{out}/wide.csv"],
    ["label", "samples/regioscan-2026-klein.xlsx", "--text-col", "suggesties", "-o", "{out}/wide.xlsx"],
    ["label", "samples/regioscan-2025.csv", "--text-col", "suggesties", "--text-col", "toelichting_regio",
     "-o", "{out}/long-2025.csv"],
    ["label", "samples/regioscan-2026.csv", "--text-col", "suggesties", "--text-col", "toelichting_regio",
     "-o", "{out}/long-2026.csv"],
    ["review", "{out}/wide.csv", "-o", "{out}/review.xlsx"],
    ["report", "{out}/long-2025.csv", "{out}/long-2026.csv", "-o", "{out}/report.md"],
    ["report", "{out}/long-2025.csv", "{out}/long-2026.csv", "-o", "{out}/report.csv"],
    ["discover", "{out}/long-2025.csv", "{out}/long-2026.csv", "-o", "{out}/discover.md"],
]


def run_revision(rev: str | None, work: Path, cache: Path) -> Path:
    tree = work / (rev or "worktree").replace("/", "_")
    out = tree / "out"
    if rev:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev], check=True)
    else:
        tree = ROOT
        out = work / "worktree-out"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(tree), "PGTEXT_CACHE_DIR": str(cache)}
    env.pop("PGTEXT_MODEL", None)
    env.pop("PGTEXT_BACKEND", None)
    for step in STEPS:
        args = [a.format(out=out) for a in step]
        done = subprocess.run([sys.executable, "-m", "pgtext", *args, "--quiet" if step[0] not in ("report", "review") else "--force"],
                              cwd=tree, env=env, capture_output=True, text=True)
        if done.returncode:
            print(f"{rev or 'worktree'}: pgtext {' '.join(step)} failed: {done.stderr.strip()}")
    return out


def content(path: Path) -> object:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        return {s.title: [[c.value for c in row] for row in s.iter_rows()] for s in book.worksheets}
    return path.read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before")
    parser.add_argument("after", nargs="?")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cache = work / "cache"
        try:
            a = run_revision(args.before, work, cache)
            b = run_revision(args.after, work, cache)
            names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
            differ = 0
            for name in names:
                same = (a / name).exists() and (b / name).exists() and content(a / name) == content(b / name)
                differ += not same
                print(f"{'same' if same else 'DIFFERENT'}  {name}")
            return 1 if differ else 0
        finally:
            for rev in (args.before, args.after):
                if rev:
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                    str(work / rev.replace("/", "_"))], capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
