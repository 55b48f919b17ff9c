"""Commands about the model: themes, train, evaluate, agreement."""

from __future__ import annotations

from pathlib import Path

import click

from pgtext import config
from pgtext.cli.common import (
    ProgressBar,
    check_outputs,
    codebook_beside,
    embedder_for,
    embedding_options,
    open_cache,
    quiet_option,
    table_options,
    text_col_option,
    warn,
    write_report_files,
)
from pgtext.cli.main import cli


@cli.command()
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook CSV [default: labels/codebook.csv].")
@click.option("--model", "model_dir", type=click.Path(), help="Show the codebook a model was trained with instead, and its card: what it was trained on, cross-validated quality per theme, thresholds and review policy.")
def themes(codebook: str | None, model_dir: str | None) -> None:
    """Print the codebook: slug, name and description of each theme.

    With --model, also what the model's card says about it: the labels and embedder it
    was trained with, cross-validated precision, recall and F1 per theme, macro F1,
    thresholds and the review policy.

    \b
    Examples:
      pgtext themes
      pgtext themes --codebook other-survey/codebook.csv
      pgtext themes --model models/twente
    """
    from pgtext.model.codebook import load_codebook
    from pgtext.model.store import codebook_from_card, read_card

    card = read_card(model_dir) if model_dir else None
    if card is not None:
        book = codebook_from_card(card)
    else:
        book = load_codebook(codebook or config.DEFAULT_CODEBOOK)
    for theme in book.themes:
        click.echo(f"{click.style(theme.slug, bold=True)}  {theme.name}")
        click.echo(click.wrap_text(theme.description, width=96, initial_indent="    ", subsequent_indent="    "))
    if card is not None:
        click.echo("")
        click.echo(format_card(card, model_dir))


def format_card(card: dict, folder: str) -> str:
    """What a model card says about its quality, for a person deciding whether to trust the model."""
    try:
        labels, cv, review = card["labels"], card["cv"], card["review"]
        names = ", ".join(f["name"] for f in labels["files"])
        lines = [
            f"Model {folder}: trained {card['created_at'][:10]} by pgtext {card['pgtext_version']} on "
            f"{labels['answers']} answers ({names}), embedder {card['embedder']['name']}, features {card['features']}.",
            f"Cross-validated ({cv['folds']} folds; thresholds and review cut-off tuned on the other folds):",
            format_cv_table(cv, {}),
            "thresholds: " + ", ".join(f"{slug} {float(t):.2f}" for slug, t in card["thresholds"].items()),
            f"flagged when: confidence below {float(review['min_confidence']):.2f} or a theme score within "
            f"{float(review['borderline_margin']):.2f} of its threshold (cut-off tuned for "
            f"{float(cv['target_precision']):.0%} of unflagged answers exactly right)",
        ]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise click.ClickException(
            f"{folder}: the model card lacks readable training figures; retrain the model with this pgtext."
        ) from None
    return "\n".join(lines)


@cli.command()
@click.argument("labels", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--output", "-o", "output", type=click.Path(file_okay=False), help="Folder to write the model to (required).")
@click.option("--model", "old_model_dir", type=click.Path(file_okay=False), hidden=True, help="Deprecated name of --output.")
@text_col_option("Answer column of LABELS.")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook CSV [default: codebook.csv beside the first labels file, else labels/codebook.csv].")
@click.option("--embedder", default=config.DEFAULT_EMBEDDER, show_default=True, help="'minilm' (shipped, offline), a sentence-transformers folder, or a hub name.")
@click.option("--features", type=click.Choice(["both", "embeddings", "tfidf"]), default=config.DEFAULT_FEATURES, show_default=True, help="Sentence embeddings, word+char n-gram TF-IDF, or both.")
@click.option("--folds", default=config.DEFAULT_FOLDS, show_default=True, type=click.IntRange(2, 20), help="Cross-validation folds.")
@click.option("--target-precision", default=config.TARGET_PRECISION, show_default=True, type=click.FloatRange(0.5, 1.0), help="Review policy: answers not flagged must have exactly the right themes this often (on cross-validation).")
@click.option("--precision-level", default=config.PRECISION_LEVEL, show_default=True, type=click.FloatRange(0.5, 0.99), help="Review policy: confidence that the target holds (Clopper-Pearson lower bound on out-of-fold answers); 0.5 is about 'met on average'. Few labels and a high level flag everything.")
@click.option("--force", is_flag=True, help="Replace an existing model folder.")
@table_options
@embedding_options
def train(labels, output, old_model_dir, text_col, codebook, embedder, features, folds, target_precision, precision_level, force, backend, delimiter, encoding, sheet, cache_dir, no_cache, quiet) -> None:
    """Train a theme model on hand-labelled answers and cross-validate it.

    LABELS are CSV/XLSX files with an answer column (see --text-col) and a 'themes'
    column (slugs or names joined by ';', empty = no theme), or one 0/1 column per theme.
    The model folder is -o/--output (--model still works on train, deprecated).

    \b
    Examples:
      pgtext train labels/twente.csv -o out/models/mine
      pgtext train labels/twente.csv reviewed-2026.xlsx -o out/models/mine --force
      pgtext train labels/twente.csv -o out/models/multi --embedder path/to/multilingual-model
    """
    model_dir = _train_output(output, old_model_dir)
    from pgtext.model.codebook import load_codebook
    from pgtext.model.store import check_model_target, save_model
    from pgtext.model.training import train_model

    book_path = Path(codebook) if codebook else codebook_beside(Path(labels[0]))
    inputs = [*map(Path, labels), book_path, *([Path(embedder)] if Path(embedder).exists() else [])]
    target = check_model_target(model_dir, inputs, force)
    book = load_codebook(book_path)
    with ProgressBar("Embedding", quiet) as bar:
        result = train_model(
            list(labels), book, embedder_for(embedder, backend, cache_dir), features=features, folds=folds,
            cache=open_cache(cache_dir, no_cache), progress=bar, encoding=encoding,
            target_precision=target_precision, precision_level=precision_level, delimiter=delimiter, sheet=sheet,
            text_col=text_col,
        )
    for warning in result.labelled.warnings:
        warn(warning)
    save_model(result.model, target, force=force, inputs=inputs)
    counts = result.labelled.counts()
    click.echo(f"Trained on {len(result.labelled.texts)} answers with codebook {book_path} ({len(book.themes)} themes).")
    click.echo(f"Cross-validated ({folds} folds, thresholds tuned on the other folds):")
    click.echo(format_cv_table(result.cv, counts))
    click.echo(f"Model written to {target}")


def _train_output(output: str | None, old: str | None) -> str:
    """train's model folder: -o/--output, or the deprecated --model (with a note on stderr)."""
    if output and old:
        raise click.UsageError("give the model folder once, with -o/--output (--model on train is deprecated).")
    if old:
        click.echo("Warning: --model on train is deprecated; use -o/--output.", err=True)
        return old
    if not output:
        raise click.UsageError("Missing option '-o' / '--output' (the folder to write the model to).")
    return output


def format_cv_table(cv: dict, counts: dict[str, int]) -> str:
    width = max(len(s) for s in cv["per_theme"]) + 2
    lines = [f"{'theme':<{width}}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}"]
    for slug, m in cv["per_theme"].items():
        lines.append(f"{slug:<{width}}{m['precision']:>10.2f}{m['recall']:>8.2f}{m['f1']:>7.2f}{m['support']:>9}")
    micro = cv["micro"]
    lines.append(f"{'micro':<{width}}{micro['precision']:>10.2f}{micro['recall']:>8.2f}{micro['f1']:>7.2f}")
    lines.append(f"{'macro F1':<{width}}{'':>18}{cv['macro_f1']:>7.2f}")
    lines.append(f"exact theme set right: {cv['exact_match']:.0%} of {cv['n']} answers")
    review = cv.get("review")
    if review:
        lines.append(
            f"review policy: {review['flagged_share']:.0%} flagged; of the rest "
            f"{review['accepted_exact_accuracy']:.0%} have exactly the right themes"
        )
        if cv.get("precision_level"):
            lines.append(
                f"(cut-off chosen so that the precision of unflagged answers is at least "
                f"{cv['target_precision']:.0%} with {cv['precision_level']:.0%} confidence)"
            )
    return "\n".join(lines)


@cli.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--model", "model_dir", type=click.Path(file_okay=False), help=f"Model folder [default: ${config.MODEL_ENV} or models/twente].")
@text_col_option("Answer column of GOLD.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the full report as JSON (.json).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Also write the per-theme table (.csv or .xlsx).")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), help="Also draw a reliability diagram (.png, .svg or .pdf).")
@click.option("--force", is_flag=True, help="Replace existing --json/--output/--plot files.")
@table_options
@embedding_options
def evaluate(gold, model_dir, text_col, json_path, output, plot_path, force, backend, delimiter, encoding, sheet, cache_dir, no_cache, quiet) -> None:
    """Score a model against hand-labelled GOLD answers (same format as training labels).

    Prints precision, recall, F1 and support per theme, micro and macro F1, exact-set
    accuracy, Krippendorff's alpha per theme (model as one more coder), calibration
    (expected calibration error and a reliability table) and review efficiency.
    Use answers the model was not trained on, or the figures flatter it.

    \b
    Examples:
      pgtext evaluate reviewed-2026.csv --model models/twente
      pgtext evaluate reviewed-2026.csv --json out/eval.json --output out/eval.xlsx --plot out/eval.png
    """
    from pgtext.model.store import load_model
    from pgtext.review.assess import evaluate_model

    sources = [Path(g) for g in gold]
    folder = config.model_dir(model_dir)
    json_target, table_target, plot_target = check_outputs(
        [(json_path, "--json"), (output, "--output"), (plot_path, "--plot")], [*sources, folder], force
    )
    model = load_model(folder)
    with ProgressBar("Embedding", quiet) as bar:
        report = evaluate_model(
            sources, model, embedder_for(model.embedder["name"], backend, cache_dir, model.embedder), cache=open_cache(cache_dir, no_cache),
            progress=bar, encoding=encoding, text_col=text_col, delimiter=delimiter, sheet=sheet,
        )
    for warning in report.warnings:
        warn(warning)
    click.echo(f"Evaluated on {report.metrics['n']} gold answers.")
    click.echo(format_cv_table({**report.metrics, "review": report.review}, {}))
    click.echo("Krippendorff's alpha (model vs gold): " + ", ".join(
        f"{slug} {_fmt(alpha)}" for slug, alpha in report.alpha.items()
    ))
    cal = report.calibration
    click.echo(f"Calibration error (ECE): theme scores {cal['ece_scores']:.3f}, set confidence {cal['ece_confidence']:.3f}")
    click.echo(format_reliability(cal["reliability_scores"]))
    write_report_files(report.to_dict(), report.metrics["per_theme"], [json_target, table_target], force)
    if plot_target:
        from pgtext.reporting.charts import reliability_chart

        reliability_chart(
            {"theme scores": cal["reliability_scores"], "set confidence": cal["reliability_confidence"]},
            plot_target, title=f"Calibration on {', '.join(s.name for s in sources)}", replace=force,
        )
        click.echo(f"Wrote {plot_target}")


@cli.command()
@click.argument("coder_a", type=click.Path(dir_okay=False))
@click.argument("coder_b", type=click.Path(dir_okay=False))
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook CSV [default: labels/codebook.csv].")
@text_col_option("Answer column of both files.")
@text_col_option("Answer column of CODER_A, when it differs.", "--text-col-a")
@text_col_option("Answer column of CODER_B, when it differs.", "--text-col-b")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the full report as JSON (.json).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Also write the per-theme table (.csv or .xlsx).")
@click.option("--force", is_flag=True, help="Replace existing --json/--output files.")
@table_options
@quiet_option
def agreement(coder_a, coder_b, codebook, text_col, text_col_a, text_col_b, json_path, output, force, delimiter, encoding, sheet, quiet) -> None:
    """Agreement between two coders on the same answers, per theme.

    CODER_A and CODER_B are labels files (themes column or 0/1 columns) or pgtext
    outputs (predicted_themes); answers are matched by text. Prints percent agreement
    and Krippendorff's alpha per theme, and B's precision/recall/F1 taking A as gold.

    \b
    Examples:
      pgtext agreement coder-anne.csv coder-bram.csv
      pgtext agreement gold.csv out/labelled.csv --text-col-b suggesties
    """
    from pgtext.model.codebook import load_codebook
    from pgtext.review.assess import compare_coders

    book_path = Path(codebook) if codebook else config.DEFAULT_CODEBOOK
    sources = [Path(coder_a), Path(coder_b), book_path]
    targets = check_outputs([(json_path, "--json"), (output, "--output")], sources, force)
    report = compare_coders(
        coder_a, coder_b, load_codebook(book_path), encoding=encoding, delimiter=delimiter, sheet=sheet,
        text_col=text_col_a or text_col, text_col_b=text_col_b or text_col,
    )
    click.echo(f"Matched {report.matched} answers ({report.only_a} only in A, {report.only_b} only in B).")
    width = max(len(s) for s in report.per_theme) + 2
    click.echo(f"{'theme':<{width}}{'agree':>7}{'alpha':>8}{'A':>6}{'B':>6}{'F1(B|A)':>9}")
    for slug, row in report.per_theme.items():
        f1 = report.metrics["per_theme"][slug]["f1"]
        click.echo(f"{slug:<{width}}{row['agreement']:>7.2f}{_fmt(row['alpha']):>8}{row['coder_a']:>6}{row['coder_b']:>6}{f1:>9.2f}")
    click.echo(f"exact theme set the same: {report.metrics['exact_match']:.0%}; macro F1 (B against A) {report.metrics['macro_f1']:.2f}")
    write_report_files(report.to_dict(), {
        slug: {**row, **report.metrics["per_theme"][slug]} for slug, row in report.per_theme.items()
    }, targets, force)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def format_reliability(table: list[dict]) -> str:
    lines = ["reliability (theme scores):  bin      n  predicted  observed"]
    for row in table:
        if row["count"]:
            lines.append(f"{'':29}{row['bin']:<8}{row['count']:>4}{row['mean_predicted']:>11.2f}{row['observed']:>10.2f}")
    return "\n".join(lines)
