"""Cross-writer benchmark: train on our labels, test on answers written and coded by other people.

Run by hand (not in CI), one command:

    python benchmarks/crosswriter.py            # ~3 minutes on 2 cores once embeddings are cached

Writes out/benchmarks/crosswriter.md and out/benchmarks/crosswriter-curve.png (the learning curve);
maintainers regenerate the tracked ones quoted in the README with ``--output benchmarks/results/crosswriter.md
--chart benchmarks/results/crosswriter-curve.png``. It measures what a user lives with:

(a) train on labels/twente.csv (+ the extra training files of the recipe) exactly as ``pgtext train``
    does (``training.fit_labelled``: thresholds and review cut-off tuned out of fold), label every gold
    set as ``pgtext label`` does, and report macro-F1, exact-set accuracy, the share auto-accepted at the
    review target and the precision (exact set) of those, for suggestions and toelichtingen separately;
(b) a learning curve: 50, 100, 200, 300 and all labels (stratified subsets, 3 seeds) on the same gold
    (recipes with labels/negatives.csv add its 109 no-theme answers to every subset);
(c) the false-theme rate: the share of gold answers without a theme (mostly toelichtingen that describe
    the situation) that get one;
(d) training time (fit on cached embeddings; embedding 470 answers from cold is timed once).

The gold sets (samples/regioscan-2026-gold.csv, benchmarks/gold/*.csv) are test data only: nothing here
trains or tunes on them. Variants of the recipe (``--variants``) are compared on (a) and (c) and, with
``--curve-variants``, on the learning curve too.
"""

from __future__ import annotations

import argparse
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pgtext import config
from pgtext.embed import embed_texts, get_embedder
from pgtext.embed.cache import EmbeddingCache
from pgtext.errors import LabelsError
from pgtext.files.tables import read_table
from pgtext.model.codebook import load_codebook
from pgtext.model.labels import LabelledSet, load_labels, normalise_text
from pgtext.model.metrics import expected_calibration_error, theme_metrics
from pgtext.model.training import check_trainable, fit_labelled, stratification_key

ROOT = Path(__file__).resolve().parent.parent
SIZES = (50, 100, 200, 300)
PARTS = ("all", "suggestions", "toelichtingen")


@dataclass
class Variant:
    """One way to train: extra training files beside the labels, and options for the head."""

    name: str
    extra_files: tuple[str, ...] = ()
    head_options: dict | None = None
    gate: bool = True
    level: float = 0.9


NEGATIVES = "labels/negatives.csv"
VARIANTS = {
    "before": Variant("before issue 14: labels only, no gate, average rule", gate=False, level=0.5),
    "gate": Variant("labels + gate", gate=True),
    "negatives": Variant("labels + negatives, no gate", (NEGATIVES,), gate=False),
    "neggate": Variant("shipped: labels + negatives + gate, bounded rule", (NEGATIVES,)),
    "neggate50": Variant("labels + negatives + gate, average rule", (NEGATIVES,), level=0.5),
    "neggatecues": Variant("labels + negatives + gate + cues 0.5", (NEGATIVES,), {"cue_weight": 0.5}),
    "negcues": Variant("labels + negatives + cues 0.5, no gate", (NEGATIVES,), {"cue_weight": 0.5}, gate=False),
    "neggateemb1": Variant("labels + negatives + gate, embedding weight 1.0", (NEGATIVES,), {"embedding_weight": 1.0}),
    "neggatec8": Variant("labels + negatives + gate, C=8", (NEGATIVES,), {"c": 8.0}),
}


@dataclass
class Gold:
    name: str
    labelled: LabelledSet
    suggestion: np.ndarray  # True where the answer is to the suggestions question
    embeddings: np.ndarray


def questions_of(path: Path, texts: list[str]) -> np.ndarray:
    """True per text where its row's ``question`` is "suggesties" (all True without that column)."""
    frame = read_table(path).frame
    if "question" not in frame.columns:
        return np.ones(len(texts), dtype=bool)
    by_text = dict(zip(frame["text"].map(normalise_text), frame["question"].astype(str)))
    return np.array([by_text[normalise_text(t)] == "suggesties" for t in texts])


def subset(labelled: LabelledSet, rows: np.ndarray) -> LabelledSet:
    return LabelledSet(
        texts=[labelled.texts[i] for i in rows],
        y=labelled.y[rows],
        codebook=labelled.codebook,
        origins=[labelled.origins[i] for i in rows],
        files=labelled.files,
    )


def combine(first: LabelledSet, second: LabelledSet) -> LabelledSet:
    return LabelledSet(
        texts=first.texts + second.texts,
        y=np.vstack([first.y, second.y]),
        codebook=first.codebook,
        origins=first.origins + second.origins,
        files=first.files + second.files,
    )


def sample_rows(labelled: LabelledSet, size: int, seed: int) -> np.ndarray:
    """A stratified random subset (by each answer's rarest theme) that ``pgtext train`` accepts."""
    from sklearn.model_selection import train_test_split

    everything = np.arange(len(labelled.texts))
    if size >= len(everything):
        return everything
    for attempt in range(50):
        rows, _ = train_test_split(
            everything, train_size=size, stratify=stratification_key(labelled.y), random_state=seed * 1000 + attempt
        )
        try:
            check_trainable(subset(labelled, np.sort(rows)), config.DEFAULT_FOLDS)
        except LabelsError:
            continue
        return np.sort(rows)
    raise SystemExit(f"no trainable subset of {size} labels found")


def score_gold(model, gold: Gold) -> dict:
    """Label the gold answers with the model and its card's policy, as ``pgtext label`` does."""
    scores, predicted, confidence, review = model.decide(gold.labelled.texts, gold.embeddings)
    return {"scores": scores, "predicted": predicted, "confidence": confidence, "review": review}


def measure(y: np.ndarray, out: dict, parts: dict[str, np.ndarray], slugs: list[str]) -> dict:
    """Per part of the gold set: classification, review efficiency and false themes."""
    predicted, review = out["predicted"], out["review"]
    exact = np.all(predicted == y, axis=1)
    result = {}
    for part, inside in parts.items():
        if not inside.any():
            continue
        metrics = theme_metrics(y[inside], predicted[inside], slugs)
        accepted = inside & ~review
        no_theme = inside & (y.sum(axis=1) == 0)
        result[part] = {
            "n": int(inside.sum()),
            "macro_f1": metrics["macro_f1"],
            "exact": metrics["exact_match"],
            "accepted": float(accepted.sum() / inside.sum()),
            "accepted_precision": float(exact[accepted].mean()) if accepted.any() else float("nan"),
            "no_theme": int(no_theme.sum()),
            "false_theme": float((predicted[no_theme].sum(axis=1) > 0).mean()) if no_theme.any() else float("nan"),
        }
    result["all"]["per_theme"] = {s: m["f1"] for s, m in theme_metrics(y, predicted, slugs)["per_theme"].items()}
    result["all"]["ece_set"] = expected_calibration_error(out["confidence"], exact)
    return result


def review_curve(y: np.ndarray, out: dict, shares=(0.3, 0.4, 0.5, 0.6, 0.7, 0.8)) -> list[tuple[float, float]]:
    """Precision (exact set) of the most confident answers when accepting a given share of them."""
    exact = np.all(out["predicted"] == y, axis=1)
    order = np.argsort(-out["confidence"], kind="stable")
    return [(share, float(exact[order[: max(1, round(share * len(y)))]].mean())) for share in shares]


def run_variant(variant: Variant, labels: LabelledSet, extras: dict[str, tuple[LabelledSet, np.ndarray]],
                labels_emb: np.ndarray, golds: list[Gold], embedder, sizes, seeds: int) -> dict:
    slugs = labels.codebook.slugs
    runs: dict[int, list[dict]] = {}
    times: dict[int, list[float]] = {}
    curves = {}
    for size in [*sizes, len(labels.texts)]:
        for seed in range(seeds):
            rows = sample_rows(labels, size, seed)
            train, emb = subset(labels, rows), labels_emb[rows]
            for name in variant.extra_files:
                extra, extra_emb = extras[name]
                train, emb = combine(train, extra), np.vstack([emb, extra_emb])
            start = time.perf_counter()
            result = fit_labelled(train, emb, embedder, seed=seed, head_options=variant.head_options,
                                  gate=variant.gate, precision_level=variant.level)
            times.setdefault(size, []).append(time.perf_counter() - start)
            measured = {"cv_macro_f1": result.cv["macro_f1"]}
            for gold in golds:
                out = score_gold(result.model, gold)
                parts = {"all": np.ones(len(gold.suggestion), bool), "suggestions": gold.suggestion,
                         "toelichtingen": ~gold.suggestion}
                measured[gold.name] = measure(gold.labelled.y, out, parts, slugs)
                if size == len(labels.texts):
                    curves.setdefault(gold.name, []).append(review_curve(gold.labelled.y, out))
            runs.setdefault(size, []).append(measured)
            print(f"  {variant.name}: {size} labels, seed {seed}: "
                  + ", ".join(f"{g.name} {measured[g.name]['all']['macro_f1']:.3f}" for g in golds), flush=True)
    return {"runs": runs, "times": times, "curves": curves}


def mean(values) -> float:
    values = [v for v in values if v == v]  # drop NaN
    return float(np.mean(values)) if values else float("nan")


def pct(value: float) -> str:
    return "–" if value != value else f"{value:.0%}"


def share(value: float) -> str:
    return "–" if value != value else f"{value:.1%}"


def load_gold_sets(codebook, embedder, cache, paths) -> list[Gold]:
    golds = []
    for path in paths:
        labelled = load_labels([path], codebook)
        golds.append(Gold(path.stem, labelled, questions_of(path, labelled.texts),
                          embed_texts(embedder, labelled.texts, cache)))
    return golds


def report(results: dict, golds: list[Gold], labels: LabelledSet, args, cold_embed: float) -> str:
    full = len(labels.texts)
    seeds = args.seeds
    gold_desc = ", ".join(f"`{g.name}` ({len(g.labelled.texts)} answers: {int(g.suggestion.sum())} suggestions, "
                          f"{int((~g.suggestion).sum())} toelichtingen, {int((g.labelled.y.sum(axis=1) == 0).sum())} without a theme)"
                          for g in golds)
    lines = [
        "# Cross-writer benchmark",
        "",
        f"`{args.command}`. Trained on `labels/twente.csv` ({full} answers, written for pgtext) with the recipe "
        "of `pgtext train` (thresholds and review cut-off tuned out of fold, review target 95% exact); tested on "
        f"answers written and coded blind by other people: {gold_desc}. Mean over {seeds} seeds "
        "(subsets and folds). Accepted = not flagged for review; precision = share of the accepted answers "
        "whose theme set is exactly right. False themes = share of the gold answers without a theme "
        f"that get one. Machine: {platform.machine()}, {config.cpu_threads()} cores, Python {platform.python_version()}.",
        "",
    ]
    for gold in golds:
        lines += [f"## {gold.name}", "",
                  "| recipe | part | macro-F1 | exact set | accepted | accepted precision | false themes (no-theme answers) |",
                  "|---|---|---|---|---|---|---|"]
        for name, result in results.items():
            runs = result["runs"][full]
            for part in PARTS:
                cells = [r[gold.name].get(part) for r in runs]
                if cells[0] is None:
                    continue
                lines.append(
                    f"| {name} | {part} ({cells[0]['n']}) | {mean(c['macro_f1'] for c in cells):.3f} "
                    f"| {pct(mean(c['exact'] for c in cells))} | {pct(mean(c['accepted'] for c in cells))} "
                    f"| {share(mean(c['accepted_precision'] for c in cells))} "
                    f"| {pct(mean(c['false_theme'] for c in cells))} (of {cells[0]['no_theme']}) |"
                )
        lines.append("")
    lines += ["## Learning curve (macro-F1 on each gold set, all answers; CV macro-F1 on the training labels)", "",
              "| recipe | labels | " + " | ".join(g.name for g in golds) + " | accepted (precision) " +
              " | ".join("" for _ in golds[1:]) + "| CV | fit s |",
              "|---|---|" + "---|" * (2 * len(golds) + 2)]
    lines[-2] = ("| recipe | labels | " + " | ".join(f"{g.name} F1" for g in golds) + " | "
                 + " | ".join(f"{g.name} accepted (precision)" for g in golds) + " | CV F1 | fit s |")
    for name, result in results.items():
        for size, runs in result["runs"].items():
            f1 = [f"{mean(r[g.name]['all']['macro_f1'] for r in runs):.3f} ± {np.std([r[g.name]['all']['macro_f1'] for r in runs]):.3f}"
                  for g in golds]
            acc = [f"{pct(mean(r[g.name]['all']['accepted'] for r in runs))} "
                   f"({share(mean(r[g.name]['all']['accepted_precision'] for r in runs))})" for g in golds]
            lines.append(f"| {name} | {size} | " + " | ".join(f1) + " | " + " | ".join(acc)
                         + f" | {mean(r['cv_macro_f1'] for r in runs):.3f} | {mean(result['times'][size]):.1f} |")
    lines += ["", "## Review curve (all labels): precision of the most confident answers at a share accepted", "",
              "| recipe | gold | " + " | ".join(f"{s:.0%}" for s, _ in next(iter(next(iter(results.values()))['curves'].values()))[0]) + " |",
              "|---|---|" + "---|" * 6]
    for name, result in results.items():
        for gold in golds:
            curves = result["curves"][gold.name]
            cells = [mean(curve[i][1] for curve in curves) for i in range(len(curves[0]))]
            lines.append(f"| {name} | {gold.name} | " + " | ".join(f"{c:.1%}" for c in cells) + " |")
    lines += ["", "## Per-theme F1 (all labels)", "",
              "| recipe | gold | " + " | ".join(labels.codebook.slugs) + " |", "|---|---|" + "---|" * len(labels.codebook.slugs)]
    for name, result in results.items():
        for gold in golds:
            runs = result["runs"][full]
            lines.append(f"| {name} | {gold.name} | " + " | ".join(
                f"{mean(r[gold.name]['all']['per_theme'][s] for r in runs):.3f}" for s in labels.codebook.slugs) + " |")
    lines += ["", "Training time: 'fit s' is fitting on cached embeddings (5-fold CV + final fit), mean over seeds."]
    if cold_embed is not None:
        lines.append(f"Embedding the {full} answers from cold (first `pgtext train`; cached after that) took {cold_embed:.0f} s.")
    lines.append("")
    return "\n".join(lines)


def curve_chart(results: dict, golds: list[Gold], path: Path) -> None:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 4.2))
    axes = figure.add_subplot()
    styles = ["-", "--", ":", "-."]
    for (name, result), style in zip(results.items(), styles):
        for gold, colour in zip(golds, ["#2171b5", "#cb181d", "#238b45"]):
            sizes = list(result["runs"])
            means = [mean(r[gold.name]["all"]["macro_f1"] for r in result["runs"][s]) for s in sizes]
            spread = [np.std([r[gold.name]["all"]["macro_f1"] for r in result["runs"][s]]) for s in sizes]
            axes.errorbar(sizes, means, yerr=spread, linestyle=style, marker="o", color=colour, capsize=3,
                          label=f"{gold.name} ({name})")
    axes.set_xlabel("labelled answers used for training (twente.csv)")
    axes.set_ylabel("macro-F1 on independently written gold")
    axes.set_ylim(0.3, 1.0)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, loc="lower right")
    axes.set_title("Learning curve across writers (mean ± sd over seeds)", fontsize=10)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=150)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--variants", default="before,neggate", help=f"comma-separated, from: {', '.join(VARIANTS)}")
    parser.add_argument("--curve-variants", default="before,neggate", help="variants that also get the learning curve")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--time-embedding", action="store_true", help="also time embedding the labels from cold")
    parser.add_argument("--output", default=str(ROOT / "out" / "benchmarks" / "crosswriter.md"),
                        help="the report [default: out/benchmarks/crosswriter.md]; maintainers: benchmarks/results/crosswriter.md")
    parser.add_argument("--chart", default=str(ROOT / "out" / "benchmarks" / "crosswriter-curve.png"),
                        help="the learning curve [default: out/benchmarks/crosswriter-curve.png]")
    args = parser.parse_args()
    args.command = "python benchmarks/crosswriter.py" + "".join(
        f" --{k.replace('_', '-')}" + ("" if v is True else f" {v}") for k, v in vars(args).items()
        if k in ("seeds", "variants", "curve_variants", "sizes", "time_embedding") and str(v) != str(parser.get_default(k)))

    codebook = load_codebook(ROOT / "labels" / "codebook.csv")
    cache = EmbeddingCache(config.cache_dir())
    embedder = get_embedder(config.DEFAULT_EMBEDDER)
    labels = load_labels([ROOT / "labels" / "twente.csv"], codebook)
    cold_embed = None
    if args.time_embedding:
        start = time.perf_counter()
        embedder.embed(labels.texts)
        cold_embed = time.perf_counter() - start
    labels_emb = embed_texts(embedder, labels.texts, cache)
    names = [n.strip() for n in args.variants.split(",") if n.strip()]
    curve_names = {n.strip() for n in args.curve_variants.split(",") if n.strip()}
    extras = {}
    for name in {f for n in names for f in VARIANTS[n].extra_files}:
        extra = load_labels([ROOT / name], codebook)
        extras[name] = (extra, embed_texts(embedder, extra.texts, cache))
    gold_paths = [ROOT / "samples" / "regioscan-2026-gold.csv", *sorted((ROOT / "benchmarks" / "gold").glob("*.csv"))]
    golds = load_gold_sets(codebook, embedder, cache, gold_paths)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    results = {}
    for name in names:
        variant = VARIANTS[name]
        results[variant.name] = run_variant(variant, labels, extras, labels_emb, golds, embedder,
                                            sizes if name in curve_names else [], args.seeds)
    text = report(results, golds, labels, args, cold_embed)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(text, encoding="utf-8")
    curve_chart({n: r for n, r in results.items() if len(r["runs"]) > 1}, golds, Path(args.chart))
    print(text)


if __name__ == "__main__":
    main()
