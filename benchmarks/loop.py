"""Does the review loop teach? Simulated rounds of ``pgtext suggest`` against labelling at random.

Run by hand (not in CI), one command:

    nice -n 5 python benchmarks/loop.py --seeds 6 --strategies suggest,conf-dense
    # 10 minutes on 2 shared cores with cached embeddings (18 runs x 13 fits of 2-7 s)

``--strategies`` also takes the variants tried on the way (``before``: suggest before issue 14, and
the rest of STRATEGIES); ``--from-json`` redraws a report from its JSON.

Each seed starts from the same 50 labels (a stratified random subset of labels/twente.csv) for every
strategy. Each round the model is retrained with the recipe of ``pgtext train`` (``training.fit_labelled``,
the crosswriter benchmark's shipped variant), 25 more answers are picked from the rest of twente.csv (the
pool; its labels play the reviewer) and added. Picked by ``suggest``: pgtext's own picking logic
(``pgtext.review.suggest``) called on the model's score arrays and the answers' embeddings. Picked at random: the
same pool, the same skips (non-answers, repeats). After each retraining the model labels the gold sets
(samples/regioscan-2026-gold.csv, benchmarks/gold/*.csv) as ``pgtext label`` does; the gold sets are test
data only, never picked from and never tuned on.

Headline: macro-F1 averaged over the gold sets, mean ± sd over seeds. Target: ``suggest`` reaches the
random curve's final macro-F1 with at least 30% fewer labels (linear interpolation between rounds).

Writes out/benchmarks/loop.md with loop.png and loop.json beside it (``--output benchmarks/results/loop.md``
for the tracked ones); the json holds the raw figures, so ``--from-json`` redraws the report without retraining.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crosswriter import (  # noqa: E402  (a sibling script, not a package)
    NEGATIVES,
    ROOT,
    VARIANTS,
    combine,
    load_gold_sets,
    measure,
    sample_rows,
    score_gold,
    subset,
)

from pgtext import config  # noqa: E402
from pgtext.embed import embed_texts, get_embedder  # noqa: E402
from pgtext.embed.cache import EmbeddingCache  # noqa: E402
from pgtext.model.codebook import load_codebook  # noqa: E402
from pgtext.model.labels import LabelledSet, load_labels  # noqa: E402
from pgtext.model.training import fit_labelled  # noqa: E402
from pgtext.review.suggest import candidate_rows, pick_diverse, pick_to_label  # noqa: E402

START, STEP, ROUNDS = 50, 25, 12
SAVING_TARGET = 0.30
#: Seeds 0-2 were used to choose among the strategies (benchmarks/results/loop-variants.md).
SELECTION_SEEDS = 3


@dataclass
class Pool:
    """What a strategy sees each round: the model's view of the unlabelled candidates."""

    rows: np.ndarray  # indices into labels/twente.csv
    texts: list[str]
    embeddings: np.ndarray
    scores: np.ndarray  # per theme
    gate: np.ndarray | None
    thresholds: np.ndarray
    gate_threshold: float | None
    confidence: np.ndarray
    labelled_y: np.ndarray  # labels so far (twente part only)
    labelled_embeddings: np.ndarray


Strategy = Callable[[Pool, int, np.random.Generator], list[int]]


def random_pick(pool: Pool, n: int, rng: np.random.Generator) -> list[int]:
    return [int(k) for k in rng.choice(len(pool.rows), size=min(n, len(pool.rows)), replace=False)]


def before_pick(pool: Pool, n: int, rng: np.random.Generator) -> list[int]:
    """``pgtext suggest`` before issue 14: 1 - set confidence, lexical (character n-gram) diversity."""
    return pick_diverse(pool.texts, 1.0 - pool.confidence, n, config.DIVERSITY)


def suggest_pick(pool: Pool, n: int, rng: np.random.Generator) -> list[int]:
    """``pgtext suggest`` now: (1 - set confidence) x typicality, diversity by meaning (also from the labels)."""
    return pick_to_label(pool.texts, 1.0 - pool.confidence, pool.embeddings, n, config.DIVERSITY,
                         pool.labelled_embeddings)


# Variants tried on the way (see benchmarks/results/loop.md); not used by pgtext.

def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def margins(pool: Pool) -> np.ndarray:
    """Per answer and choice (theme, then gate), the distance of the score to its threshold in log-odds."""
    distance = np.abs(_logit(pool.scores) - _logit(pool.thresholds))
    if pool.gate is not None:
        distance = np.column_stack([distance, np.abs(_logit(pool.gate) - _logit(np.array(pool.gate_threshold)))])
    return distance


def closest_margin(pool: Pool) -> np.ndarray:
    """Per-theme uncertainty: 1 at a threshold, towards 0 far from every threshold (the least decided
    choice, theme or gate)."""
    return np.exp(-margins(pool).min(axis=1))


def mmr(uncertainty_of, diversity: float, dense: bool = True) -> Strategy:
    def pick(pool: Pool, n: int, rng) -> list[int]:
        u = uncertainty_of(pool)
        u = u / u.max() if u.max() > 0 else u
        return pick_diverse(pool.texts, u, n, diversity, pool.embeddings if dense else None)
    return pick


def clustered(uncertainty_of, shortlist: int = 3) -> Strategy:
    """Shortlist the most uncertain, cluster the shortlist by meaning (k-means, k = n), take the most
    uncertain answer of each cluster."""
    def pick(pool: Pool, n: int, rng) -> list[int]:
        from sklearn.cluster import KMeans

        u = uncertainty_of(pool)
        short = np.argsort(-u, kind="stable")[: shortlist * n]
        if len(short) <= n:
            return [int(k) for k in short]
        clusters = KMeans(n_clusters=n, n_init=4, random_state=0).fit_predict(pool.embeddings[short])
        return [int(short[clusters == c][np.argmax(u[short][clusters == c])]) for c in range(n)]
    return pick


def dense_weighted(uncertainty_of, diversity: float, neighbours: int = 10) -> Strategy:
    """Uncertainty times representativeness (mean cosine to the nearest pool answers): no outliers."""
    def pick(pool: Pool, n: int, rng) -> list[int]:
        sim = pool.embeddings @ pool.embeddings.T
        k = min(neighbours, len(sim) - 1)
        density = np.sort(sim, axis=1)[:, -k - 1:-1].mean(axis=1) if k > 0 else np.ones(len(sim))
        u = uncertainty_of(pool) * np.clip(density, 0, None)
        u = u / u.max() if u.max() > 0 else u
        return pick_diverse(pool.texts, u, n, diversity, pool.embeddings)
    return pick


def dense_seen(uncertainty_of, diversity: float, neighbours: int = 10) -> Strategy:
    """dense_weighted, with the answers already labelled counted as picks in the diversity term."""
    def pick(pool: Pool, n: int, rng) -> list[int]:
        sim = pool.embeddings @ pool.embeddings.T
        k = min(neighbours, len(sim) - 1)
        density = np.sort(sim, axis=1)[:, -k - 1:-1].mean(axis=1)
        u = uncertainty_of(pool) * np.clip(density, 0, None)
        u = u / u.max() if u.max() > 0 else u
        seen = (pool.embeddings @ pool.labelled_embeddings.T).max(axis=1)
        # pick_diverse starts from no picks; fold "like a labelled answer" into the uncertainty
        return pick_diverse(pool.texts, u - diversity / (1 - diversity) * seen, n, diversity, pool.embeddings)
    return pick


def confidence_gap(pool: Pool) -> np.ndarray:
    return 1.0 - pool.confidence


STRATEGIES: dict[str, Strategy] = {
    "random": random_pick,
    "before": before_pick,
    "suggest": suggest_pick,
    "conf-emb": mmr(confidence_gap, 0.5),
    "margin-lex": mmr(closest_margin, 0.5, dense=False),
    "margin-emb": mmr(closest_margin, 0.5),
    "margin-cluster": clustered(closest_margin),
    "margin-dense": dense_weighted(closest_margin, 0.5),
    "conf-dense": dense_weighted(confidence_gap, 0.5),
    "conf-dense-d3": dense_weighted(confidence_gap, 0.3),
    "conf-dense-seen": dense_seen(confidence_gap, 0.5),
}


DESCRIPTIONS = {
    "random": "random answers from the pool (same skips as suggest)",
    "suggest": "`pgtext suggest` now: (1 - calibrated set confidence) x typicality; MMR diversity by embedding "
               "cosine to the picks and to the nearest labelled answer (diversity 0.5)",
    "before": "`pgtext suggest` before: 1 - set confidence; MMR diversity by character n-gram cosine to the picks",
    "conf-emb": "1 - set confidence; MMR by embedding cosine",
    "margin-lex": "per-theme uncertainty (smallest log-odds distance of a theme or gate score to its threshold); "
                  "MMR by character n-grams",
    "margin-emb": "per-theme uncertainty; MMR by embedding cosine",
    "margin-cluster": "per-theme uncertainty: shortlist 75, k-means into 25 clusters by meaning, most uncertain per cluster",
    "margin-dense": "per-theme uncertainty x typicality; MMR by embedding cosine",
    "conf-dense": "1 - set confidence x typicality; MMR by embedding cosine to the picks (= `pgtext suggest` without --labels)",
    "conf-dense-d3": "as conf-dense, diversity 0.3",
    "conf-dense-seen": "as conf-dense, plus similarity to the nearest labelled answer (= suggest, = `pgtext suggest --labels`)",
}


def model_view(model, texts: list[str], embeddings: np.ndarray):
    scores, gate = model.predict(texts, embeddings)
    _, _, confidence, _ = model.decide(texts, embeddings)
    return scores, gate, confidence


def simulate(name: str, strategy: Strategy, labels: LabelledSet, labels_emb: np.ndarray, extra, golds,
             embedder, seed: int, rounds: int, variant) -> list[dict]:
    rng = np.random.default_rng(seed)
    chosen = list(sample_rows(labels, START, seed))
    candidates, _ = candidate_rows(labels.texts)  # the same skips as `pgtext suggest`
    points = []
    for round_ in range(rounds + 1):
        rows = np.array(sorted(chosen))
        train, emb = subset(labels, rows), labels_emb[rows]
        if extra is not None:
            train, emb = combine(train, extra[0]), np.vstack([emb, extra[1]])
        start = time.perf_counter()
        result = fit_labelled(train, emb, embedder, seed=seed, head_options=variant.head_options,
                              gate=variant.gate, precision_level=variant.level)
        fit_s = time.perf_counter() - start
        point = {"labels": len(chosen), "cv": result.cv["macro_f1"], "fit_s": fit_s, "gold": {}}
        for gold in golds:
            out = score_gold(result.model, gold)
            m = measure(gold.labelled.y, out, {"all": np.ones(len(gold.suggestion), bool)}, labels.codebook.slugs)
            point["gold"][gold.name] = {"macro_f1": m["all"]["macro_f1"], "accepted": m["all"]["accepted"],
                                        "accepted_precision": m["all"]["accepted_precision"],
                                        "false_theme": m["all"]["false_theme"]}
        point["macro_f1"] = float(np.mean([g["macro_f1"] for g in point["gold"].values()]))
        if round_ == rounds:
            points.append(point)
            break
        taken = set(chosen)
        open_rows = np.array([r for r in candidates if r not in taken])
        start = time.perf_counter()
        scores, gate, confidence = model_view(result.model, [labels.texts[r] for r in open_rows], labels_emb[open_rows])
        pool = Pool(open_rows, [labels.texts[r] for r in open_rows], labels_emb[open_rows], scores, gate,
                    result.model.thresholds, result.model.gate_threshold, confidence, labels.y[rows], labels_emb[rows])
        picks = strategy(pool, STEP, rng)
        point["pick_s"] = time.perf_counter() - start
        picked_y = labels.y[open_rows[picks]]
        point["picked_no_theme"] = int((picked_y.sum(axis=1) == 0).sum())
        point["picked_themes"] = picked_y.sum(axis=0).astype(int).tolist()
        points.append(point)
        chosen += [int(open_rows[k]) for k in picks]
        print(f"  {name} seed {seed}: {point['labels']} labels, macro-F1 {point['macro_f1']:.3f} "
              + " ".join(f"{g} {v['macro_f1']:.3f}" for g, v in point["gold"].items()), flush=True)
    return points


def curve(runs: list[list[dict]], key=lambda p: p["macro_f1"]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sizes = np.array([p["labels"] for p in runs[0]])
    values = np.array([[key(p) for p in run] for run in runs], dtype=float)
    with warnings.catch_warnings():  # a run that accepts nothing has no precision of accepted answers
        warnings.simplefilter("ignore", RuntimeWarning)
        return sizes, np.nanmean(values, axis=0), np.nanstd(values, axis=0)


def labels_to_reach(sizes: np.ndarray, means: np.ndarray, target: float) -> float | None:
    """Labels at which a mean curve first reaches ``target`` (linear interpolation between rounds)."""
    for i, value in enumerate(means):
        if value >= target:
            if i == 0:
                return float(sizes[0])
            low, high = means[i - 1], value
            return float(sizes[i - 1] + (target - low) / (high - low) * (sizes[i] - sizes[i - 1]))
    return None


def headline(results: dict, title: str) -> list[str]:
    """Labels each strategy needs to reach random's final macro-F1, and whether that meets the target."""
    random_sizes, random_mean, _ = curve(results["random"])
    final, final_labels = float(random_mean[-1]), int(random_sizes[-1])
    lines = ["", (f"**{title}.** Random labelling ends at macro-F1 **{final:.3f}** with {final_labels} labels. "
                  f"Target: reach it with at least {SAVING_TARGET:.0%} fewer labels."), "",
             "| strategy | labels to reach random's final macro-F1 | fewer labels than random (all / added) | target |",
             "|---|---|---|---|"]
    for name, runs in results.items():
        if name == "random":
            continue
        sizes, means, _ = curve(runs)
        reach = labels_to_reach(sizes, means, final)
        if reach is None:
            lines.append(f"| {name} | not reached in {int(sizes[-1])} | – | not met |")
            continue
        saved = 1 - reach / final_labels
        saved_added = 1 - (reach - START) / (final_labels - START)
        lines.append(f"| {name} | {reach:.0f} | {saved:.0%} / {saved_added:.0%} | "
                     f"{'met' if saved >= SAVING_TARGET else 'not met'} |")
    return lines


def report(results: dict, golds, args, runtime_s: float) -> str:
    random_sizes, random_mean, _ = curve(results["random"])
    lines = [
        "# Does the review loop teach?",
        "",
        (f"`{args.command}` ({runtime_s / 60:.0f} min on {config.cpu_threads()} shared cores, "
         f"{platform.machine()}, Python {platform.python_version()})."),
        "",
        f"Start: {START} labels from `labels/twente.csv` (stratified random, the same per seed for every "
        f"strategy); each round adds {STEP} answers from the rest of twente.csv (the pool, whose labels play the "
        f"reviewer) and retrains with the recipe of `pgtext train` ({args.recipe_name}). Test: macro-F1 on "
        + ", ".join(f"`{g.name}` ({len(g.labelled.texts)} answers)" for g in golds)
        + f", averaged over the gold sets; mean ± sd over {len(results['random'])} seeds. The gold sets are never picked "
        "from or tuned on.",
    ]
    lines += headline(results, f"All {len(results['random'])} seeds")
    if len(results["random"]) > SELECTION_SEEDS:
        fresh = {name: runs[SELECTION_SEEDS:] for name, runs in results.items()}
        lines += headline(fresh, f"Seeds {SELECTION_SEEDS} and up only (the strategy was chosen on seeds "
                                 f"0-{SELECTION_SEEDS - 1}; these are fresh)")
    budgets = [i for i, size in enumerate(random_sizes) if size >= 150]
    lines += ["", ("Fewer labels than random at every random budget (labels a strategy needs to reach random's mean "
                   "macro-F1 at that budget; the final budget alone rests on one noisy point):"), "",
              "| strategy | " + " | ".join(str(random_sizes[i]) for i in budgets) + " | mean |",
              "|---|" + "---|" * (len(budgets) + 1)]
    for name, runs in results.items():
        if name == "random":
            continue
        sizes, means, _ = curve(runs)
        saved = []
        for i in budgets:
            reach = labels_to_reach(sizes, means, float(random_mean[i]))
            saved.append(None if reach is None else 1 - reach / random_sizes[i])
        lines.append(f"| {name} | " + " | ".join("–" if v is None else f"{v:.0%}" for v in saved)
                     + f" | {np.mean([v for v in saved if v is not None]):.0%} |")
    lines += ["", "Strategies: " + "; ".join(f"**{n}**: {DESCRIPTIONS.get(n, n)}" for n in results) + "."]
    lines += ["", "## Macro-F1 per round (mean ± sd over seeds; average over the gold sets)", "",
              "| labels | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
    table = {name: curve(runs) for name, runs in results.items()}
    for i, size in enumerate(random_sizes):
        lines.append(f"| {size} | " + " | ".join(f"{m[i]:.3f} ± {s[i]:.3f}" for _, m, s in table.values()) + " |")
    for gold in golds:
        lines += ["", f"## {gold.name}: macro-F1 / share accepted (precision of accepted) per round", "",
                  "| labels | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
        cols = {name: (curve(runs, lambda p, g=gold.name: p["gold"][g]["macro_f1"])[1],
                       curve(runs, lambda p, g=gold.name: p["gold"][g]["accepted"])[1],
                       curve(runs, lambda p, g=gold.name: p["gold"][g]["accepted_precision"])[1])
                for name, runs in results.items()}
        for i, size in enumerate(random_sizes):
            lines.append(f"| {size} | " + " | ".join(f"{f[i]:.3f} / {a[i]:.0%} ({p[i]:.0%})" for f, a, p in cols.values()) + " |")
    lines += ["", "## What was picked (mean per round of 25 over all rounds and seeds)", "",
              "| strategy | no-theme answers | " + " | ".join(golds[0].labelled.codebook.slugs) + " | fit s | pick s |",
              "|---|---|" + "---|" * (len(golds[0].labelled.codebook.slugs) + 2)]
    for name, runs in results.items():
        picked = [p for run in runs for p in run if "picked_themes" in p]
        themes = np.mean([p["picked_themes"] for p in picked], axis=0)
        lines.append(f"| {name} | {np.mean([p['picked_no_theme'] for p in picked]):.1f} | "
                     + " | ".join(f"{v:.1f}" for v in themes)
                     + f" | {np.mean([p['fit_s'] for run in runs for p in run]):.1f}"
                     + f" | {np.mean([p['pick_s'] for p in picked]):.2f} |")
    lines.append("")
    return "\n".join(lines)


def chart(results: dict, path: Path, show: list[str]) -> None:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 4.2))
    axes = figure.add_subplot()
    colours = {"random": "#737373", "suggest": "#2171b5", "before": "#cb181d"}
    extra_colours = iter(["#238b45", "#6a51a3", "#d94801", "#01665e", "#ce1256", "#8c6d31", "#35978f", "#000000"])
    _, random_mean, _ = curve(results["random"])
    for name in show:
        sizes, means, sd = curve(results[name])
        colour = colours.get(name) or next(extra_colours)
        axes.plot(sizes, means, marker="o", color=colour, label=name)
        axes.fill_between(sizes, means - sd, means + sd, color=colour, alpha=0.15)
    axes.axhline(random_mean[-1], color="#737373", linestyle=":", linewidth=1)
    axes.set_xlabel("labelled answers (start 50, +25 per review round)")
    axes.set_ylabel("macro-F1 on independently written gold")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="lower right")
    axes.set_title("Review rounds: suggested vs random answers (mean ± sd over seeds)", fontsize=10)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=150)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--strategies", default="random,suggest", help=f"comma-separated, from: {', '.join(STRATEGIES)}")
    parser.add_argument("--recipe", default="neggate", help=f"crosswriter variant: {', '.join(VARIANTS)}")
    parser.add_argument("--output", default=str(ROOT / "out" / "benchmarks" / "loop.md"),
                        help="the report, with .json and .png beside it [default: out/benchmarks/loop.md]; "
                             "maintainers: benchmarks/results/loop.md")
    parser.add_argument("--without-random", action="store_true", help="screening: only write loop.json")
    parser.add_argument("--from-json", action="store_true", help="redraw the report and chart from loop.json")
    args = parser.parse_args()
    args.command = "python benchmarks/loop.py" + "".join(
        f" --{k.replace('_', '-')} {v}" for k, v in vars(args).items()
        if k in ("seeds", "first_seed", "rounds", "strategies", "recipe") and str(v) != str(parser.get_default(k)))
    output = Path(args.output)
    raw_path, chart_path = output.with_suffix(".json"), output.with_suffix(".png")
    variant = VARIANTS[args.recipe]
    args.recipe_name = variant.name

    codebook = load_codebook(ROOT / "labels" / "codebook.csv")
    cache = EmbeddingCache(config.cache_dir())
    embedder = get_embedder(config.DEFAULT_EMBEDDER)
    gold_paths = [ROOT / "samples" / "regioscan-2026-gold.csv", *sorted((ROOT / "benchmarks" / "gold").glob("*.csv"))]
    golds = load_gold_sets(codebook, embedder, cache, gold_paths)
    if args.from_json:
        saved = json.loads(raw_path.read_text(encoding="utf-8"))
        results, runtime = saved["results"], saved["runtime_s"]
        args.command = saved["command"]
    else:
        labels = load_labels([ROOT / "labels" / "twente.csv"], codebook)
        labels_emb = embed_texts(embedder, labels.texts, cache)
        extra = None
        if NEGATIVES in variant.extra_files:
            negatives = load_labels([ROOT / NEGATIVES], codebook)
            extra = (negatives, embed_texts(embedder, negatives.texts, cache))
        names = [n.strip() for n in args.strategies.split(",") if n.strip() and n.strip() != "random"]
        names = names if args.without_random else ["random", *names]
        results = {name: [] for name in names}
        started = time.perf_counter()
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            for name in names:
                results[name].append(simulate(name, STRATEGIES[name], labels, labels_emb, extra, golds, embedder,
                                              seed, args.rounds, variant))
        runtime = time.perf_counter() - started
        raw_path.parent.mkdir(parents=True, exist_ok=True)
        raw_path.write_text(json.dumps({"command": args.command, "runtime_s": runtime, "results": results}, indent=1),
                            encoding="utf-8")
    if "random" not in results:
        return
    text = report(results, golds, args, runtime)
    output.write_text(text, encoding="utf-8")
    chart(results, chart_path, list(results))
    print(text)


if __name__ == "__main__":
    main()
