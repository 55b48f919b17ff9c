"""One bounded experiment (issue 14): contrastive fine-tuning of the sentence encoder with SetFit,
pgtext's recipe on top, measured across writers. Not part of pgtext; run by hand:

    python benchmarks/finetune.py [--max-steps 150]

SetFit (``setfit`` library, its own trainer) fine-tunes the shipped MiniLM on pairs of training
answers (positive when they share a theme) for at most ``--max-steps`` batches of 16 pairs, one
epoch; its own head is discarded. The tuned encoder then embeds the training and gold answers and
pgtext's recipe (``training.fit_labelled``: TF-IDF + embeddings, gate, thresholds and review cut-off
out of fold) is trained on top, exactly as benchmarks/crosswriter.py does for the shipped recipe.
Prints the gold figures and the time; writes nothing into the repository (the tuned encoder goes to
a temporary folder).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from pgtext.embed import embed_texts, get_embedder
from pgtext.embed.torch_backend import default_model_path
from pgtext.model.codebook import load_codebook
from pgtext.model.labels import load_labels
from pgtext.model.training import fit_labelled

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from crosswriter import (  # noqa: F401
        NEGATIVES,
        combine,
        load_gold_sets,
        measure,
        questions_of,
        score_gold,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-steps", type=int, default=150)
    args = parser.parse_args()
    from datasets import Dataset
    from setfit import SetFitModel, Trainer, TrainingArguments

    codebook = load_codebook(ROOT / "labels" / "codebook.csv")
    train = combine(load_labels([ROOT / "labels" / "twente.csv"], codebook), load_labels([ROOT / NEGATIVES], codebook))
    start = time.perf_counter()
    model = SetFitModel.from_pretrained(str(default_model_path()), multi_target_strategy="one-vs-rest")
    data = Dataset.from_dict({"text": train.texts, "label": [row.tolist() for row in train.y.astype(int)]})
    arguments = TrainingArguments(batch_size=16, num_epochs=1, max_steps=args.max_steps, seed=0,
                                  show_progress_bar=False, report_to="none")
    trainer = Trainer(model=model, args=arguments, train_dataset=data)
    trainer.train_embeddings(*trainer.dataset_to_parameters(data), args=arguments)
    tuned_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        model.model_body.save(folder)
        embedder = get_embedder(folder)
        start = time.perf_counter()
        embeddings = embed_texts(embedder, train.texts)
        golds = load_gold_sets(codebook, embedder, None, [ROOT / "samples" / "regioscan-2026-gold.csv",
                                                          *sorted((ROOT / "benchmarks" / "gold").glob("*.csv"))])
        embed_seconds = time.perf_counter() - start
        start = time.perf_counter()
        result = fit_labelled(train, embeddings, embedder)
        fit_seconds = time.perf_counter() - start
    print(f"fine-tuning {args.max_steps} steps: {tuned_seconds:.0f} s; embedding {len(train.texts)} + gold: "
          f"{embed_seconds:.0f} s; recipe: {fit_seconds:.0f} s; CV macro-F1 {result.cv['macro_f1']:.3f}")
    for gold in golds:
        parts = {"all": np.ones(len(gold.suggestion), bool), "suggestions": gold.suggestion, "toelichtingen": ~gold.suggestion}
        m = measure(gold.labelled.y, score_gold(result.model, gold), parts, codebook.slugs)
        for part, r in m.items():
            print(f"{gold.name} {part}: macro-F1 {r['macro_f1']:.3f}, exact {r['exact']:.0%}, accepted {r['accepted']:.0%} "
                  f"({r['accepted_precision']:.1%}), false themes {r['false_theme']:.0%}")


if __name__ == "__main__":
    main()
