"""Command line: parse options, call one library function, print the result.

Only this module prints. Library errors (``PgtextError``) become one-line
messages with exit code 1; usage errors exit 2 (Click's default).
Heavy libraries are imported inside commands so ``pgtext --help`` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pgtext import __version__, config
from pgtext.errors import PgtextError


class PgtextGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PgtextError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=PgtextGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="pgtext")
def cli() -> None:
    """Code open Dutch survey answers into codebook themes, locally.

    \b
    Typical use:
      pgtext themes                                   # the codebook
      pgtext label export.csv --text-col suggesties --output labelled.xlsx
      pgtext train labels/twente.csv --model models/mine
    """


class _ProgressBar:
    """A progress callback for the library: a bar on stderr with rate and time left, only on a terminal and not --quiet."""

    def __init__(self, label: str, quiet: bool, unit: str = "answers") -> None:
        self.label = label
        self.unit = unit
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar = None
        self.started = 0.0
        self.done = 0

    def __call__(self, advance: int, total: int) -> None:
        if not self.enabled:
            return
        import time

        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label=self.label, file=sys.stderr, show_pos=True, show_eta=False,
                item_show_func=lambda status: status,
            )
            self.bar.__enter__()
            self.started = time.monotonic()
        self.done += advance
        elapsed = time.monotonic() - self.started
        status = None
        if elapsed > 1 and self.done:
            rate = self.done / elapsed
            left = int(max(total - self.done, 0) / rate)
            status = f"{rate:,.0f} {self.unit}/s, {left // 3600}:{left // 60 % 60:02d}:{left % 60:02d} left"
        self.bar.update(advance, status)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _cache(cache_dir: str | None, no_cache: bool):
    from pgtext.cache import EmbeddingCache

    return None if no_cache else EmbeddingCache(config.cache_dir(cache_dir))


def _warn(message: str) -> None:
    click.echo(f"Warning: {message}", err=True)


def _note(message: str) -> None:
    """How an input was read (skipped rows, renamed columns), on stderr beside warnings."""
    click.echo(f"Note: {message}", err=True)


cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help=f"Embedding cache folder [default: ${config.CACHE_ENV} or ~/.cache/pgtext].",
)
no_cache_option = click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
backend_option = click.option(
    "--backend", type=click.Choice(config.BACKENDS),
    help="Run the embedding model with torch, or with onnx: int8 ONNX Runtime, about 2.5x faster, scores within "
    f"0.02; exported once into the cache folder [default: ${config.BACKEND_ENV}, else the model card's, else torch].",
)
encoding_option = click.option("--encoding", help="CSV text encoding, e.g. utf-8 or cp1252 [default: detected].")


@cli.command()
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook CSV [default: labels/codebook.csv].")
@click.option("--model", "model_dir", type=click.Path(), help="Show the codebook a model was trained with instead.")
def themes(codebook: str | None, model_dir: str | None) -> None:
    """Print the codebook: slug, name and description of each theme.

    \b
    Examples:
      pgtext themes
      pgtext themes --codebook other-survey/codebook.csv
      pgtext themes --model models/twente
    """
    from pgtext.codebook import Codebook, load_codebook
    from pgtext.model import read_card

    if model_dir:
        book = Codebook.from_list(read_card(model_dir)["codebook"]["themes"])
    else:
        book = load_codebook(codebook or config.DEFAULT_CODEBOOK)
    for theme in book.themes:
        click.echo(f"{click.style(theme.slug, bold=True)}  {theme.name}")
        click.echo(click.wrap_text(theme.description, width=96, initial_indent="    ", subsequent_indent="    "))


@cli.command()
@click.argument("labels", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--model", "model_dir", required=True, type=click.Path(file_okay=False), help="Folder to write the model to.")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook CSV [default: codebook.csv beside the first labels file, else labels/codebook.csv].")
@click.option("--embedder", default=config.DEFAULT_EMBEDDER, show_default=True, help="'minilm' (shipped, offline), a sentence-transformers folder, or a hub name.")
@click.option("--features", type=click.Choice(["both", "embeddings", "tfidf"]), default=config.DEFAULT_FEATURES, show_default=True, help="Sentence embeddings, word+char n-gram TF-IDF, or both.")
@click.option("--folds", default=config.DEFAULT_FOLDS, show_default=True, type=click.IntRange(2, 20), help="Cross-validation folds.")
@click.option("--target-precision", default=config.TARGET_PRECISION, show_default=True, type=click.FloatRange(0.5, 1.0), help="Review policy: answers not flagged must have exactly the right themes this often (on cross-validation).")
@click.option("--force", is_flag=True, help="Replace an existing model folder.")
@backend_option
@encoding_option
@cache_dir_option
@no_cache_option
@quiet_option
def train(labels, model_dir, codebook, embedder, features, folds, target_precision, force, backend, encoding, cache_dir, no_cache, quiet) -> None:
    """Train a theme model on hand-labelled answers and cross-validate it.

    LABELS are CSV/XLSX files with a 'text' column and a 'themes' column (slugs or
    names joined by ';', empty = no theme), or one 0/1 column per theme.

    \b
    Examples:
      pgtext train labels/twente.csv --model models/mine
      pgtext train labels/twente.csv reviewed-2026.xlsx --model models/mine --force
      pgtext train labels/twente.csv --model models/multi --embedder path/to/multilingual-model
    """
    from pgtext.codebook import load_codebook
    from pgtext.embedding import get_embedder
    from pgtext.model import save_model
    from pgtext.training import train_model

    target = Path(model_dir)
    if target.exists() and any(target.iterdir()) and not force:
        raise click.ClickException(f"{target}: already exists and is not empty; choose another --model or add --force.")
    book_path = Path(codebook) if codebook else _codebook_beside(Path(labels[0]))
    book = load_codebook(book_path)
    bar = _ProgressBar("Embedding", quiet)
    try:
        result = train_model(
            list(labels), book, get_embedder(embedder, config.backend(backend), cache_dir), features=features, folds=folds,
            cache=_cache(cache_dir, no_cache), progress=bar, encoding=encoding,
            target_precision=target_precision,
        )
    finally:
        bar.close()
    for warning in result.labelled.warnings:
        _warn(warning)
    save_model(result.model, target, force=force)
    counts = result.labelled.counts()
    click.echo(f"Trained on {len(result.labelled.texts)} answers with codebook {book_path} ({len(book.themes)} themes).")
    click.echo(f"Cross-validated ({folds} folds, thresholds tuned on the other folds):")
    click.echo(format_cv_table(result.cv, counts))
    click.echo(f"Model written to {target}")


def _codebook_beside(labels_path: Path) -> Path:
    beside = labels_path.parent / config.CODEBOOK_FILENAME
    return beside if beside.exists() else config.DEFAULT_CODEBOOK


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
    return "\n".join(lines)


@cli.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--model", "model_dir", type=click.Path(file_okay=False), help=f"Model folder [default: ${config.MODEL_ENV} or models/twente].")
@click.option("--text-col", default="text", show_default=True, help="Column holding the answers in GOLD.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the full report as JSON.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Also write the per-theme table (.csv or .xlsx).")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), help="Also draw a reliability diagram (.png).")
@click.option("--force", is_flag=True, help="Replace existing --json/--output/--plot files.")
@encoding_option
@cache_dir_option
@no_cache_option
@quiet_option
def evaluate(gold, model_dir, text_col, json_path, output, plot_path, force, encoding, cache_dir, no_cache, quiet) -> None:
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
    from pgtext.assess import evaluate_model
    from pgtext.embedding import get_embedder
    from pgtext.model import load_model

    sources = [Path(g) for g in gold]
    targets = _check_outputs([json_path, output], sources, force)
    if plot_path and Path(plot_path).exists() and not force:
        raise click.ClickException(f"{plot_path}: already exists; choose another name or add --force.")
    model = load_model(config.model_dir(model_dir))
    bar = _ProgressBar("Embedding", quiet)
    try:
        report = evaluate_model(
            sources, model, get_embedder(model.embedder["name"]), cache=_cache(cache_dir, no_cache),
            progress=bar, encoding=encoding, text_col=text_col,
        )
    finally:
        bar.close()
    for warning in report.warnings:
        _warn(warning)
    click.echo(f"Evaluated on {report.metrics['n']} gold answers.")
    click.echo(format_cv_table({**report.metrics, "review": report.review}, {}))
    click.echo("Krippendorff's alpha (model vs gold): " + ", ".join(
        f"{slug} {_fmt(alpha)}" for slug, alpha in report.alpha.items()
    ))
    cal = report.calibration
    click.echo(f"Calibration error (ECE): theme scores {cal['ece_scores']:.3f}, set confidence {cal['ece_confidence']:.3f}")
    click.echo(format_reliability(cal["reliability_scores"]))
    _write_report_files(report.to_dict(), report.metrics["per_theme"], targets)
    if plot_path:
        from pgtext.charts import reliability_chart

        reliability_chart(
            {"theme scores": cal["reliability_scores"], "set confidence": cal["reliability_confidence"]},
            plot_path, title=f"Calibration on {', '.join(s.name for s in sources)}",
        )
        click.echo(f"Wrote {plot_path}")


@cli.command()
@click.argument("coder_a", type=click.Path(dir_okay=False))
@click.argument("coder_b", type=click.Path(dir_okay=False))
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook CSV [default: labels/codebook.csv].")
@click.option("--text-col", default="text", show_default=True, help="Column holding the answers in both files.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the full report as JSON.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Also write the per-theme table (.csv or .xlsx).")
@click.option("--force", is_flag=True, help="Replace existing --json/--output files.")
@encoding_option
def agreement(coder_a, coder_b, codebook, text_col, json_path, output, force, encoding) -> None:
    """Agreement between two coders on the same answers, per theme.

    CODER_A and CODER_B are labels files (themes column or 0/1 columns) or pgtext
    outputs (predicted_themes); answers are matched by text. Prints percent agreement
    and Krippendorff's alpha per theme, and B's precision/recall/F1 taking A as gold.

    \b
    Examples:
      pgtext agreement coder-anne.csv coder-bram.csv
      pgtext agreement gold.csv out/labelled.csv --text-col suggesties
    """
    from pgtext.assess import compare_coders
    from pgtext.codebook import load_codebook

    sources = [Path(coder_a), Path(coder_b)]
    targets = _check_outputs([json_path, output], sources, force)
    report = compare_coders(
        coder_a, coder_b, load_codebook(codebook or config.DEFAULT_CODEBOOK), encoding=encoding, text_col=text_col
    )
    click.echo(f"Matched {report.matched} answers ({report.only_a} only in A, {report.only_b} only in B).")
    width = max(len(s) for s in report.per_theme) + 2
    click.echo(f"{'theme':<{width}}{'agree':>7}{'alpha':>8}{'A':>6}{'B':>6}{'F1(B|A)':>9}")
    for slug, row in report.per_theme.items():
        f1 = report.metrics["per_theme"][slug]["f1"]
        click.echo(f"{slug:<{width}}{row['agreement']:>7.2f}{_fmt(row['alpha']):>8}{row['coder_a']:>6}{row['coder_b']:>6}{f1:>9.2f}")
    click.echo(f"exact theme set the same: {report.metrics['exact_match']:.0%}; macro F1 (B against A) {report.metrics['macro_f1']:.2f}")
    _write_report_files(report.to_dict(), {
        slug: {**row, **report.metrics["per_theme"][slug]} for slug, row in report.per_theme.items()
    }, targets)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def format_reliability(table: list[dict]) -> str:
    lines = ["reliability (theme scores):  bin      n  predicted  observed"]
    for row in table:
        if row["count"]:
            lines.append(f"{'':29}{row['bin']:<8}{row['count']:>4}{row['mean_predicted']:>11.2f}{row['observed']:>10.2f}")
    return "\n".join(lines)


def _check_outputs(paths: list[str | None], sources: list[Path], force: bool) -> list[Path | None]:
    from pgtext.tables import check_output_path

    checked: list[Path | None] = []
    for path in paths:
        if path is None:
            checked.append(None)
        elif path.lower().endswith(".json"):
            target = Path(path)
            if target.exists() and not force:
                raise click.ClickException(f"{target}: already exists; choose another name or add --force.")
            checked.append(target)
        else:
            checked.append(check_output_path(path, sources, force))
    return checked


def _write_report_files(full: dict, per_theme: dict, targets: list[Path | None]) -> None:
    import json

    import pandas as pd

    from pgtext.tables import atomic_write, write_table

    json_path, table_path = targets
    if json_path:
        text = json.dumps(full, indent=2, ensure_ascii=False) + "\n"
        atomic_write(json_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        click.echo(f"Wrote {json_path}")
    if table_path:
        write_table(pd.DataFrame(per_theme).T.rename_axis("theme").reset_index(), table_path)
        click.echo(f"Wrote {table_path}")


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Output file, .csv or .xlsx.")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), help=f"Model folder [default: ${config.MODEL_ENV} or models/twente].")
@click.option("--text-col", "text_cols", multiple=True, help="Open-answer column; repeat for several (one output row per answer).")
@click.option("--id-col", help="Respondent id column, put first in long output.")
@click.option("--delimiter", help="CSV delimiter: ',' ';' or tab [default: detected].")
@click.option("--sheet", help="XLSX sheet name [default: the first].")
@click.option("--embedder", help="Check the model's embedder is this one, or load it from a moved folder.")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Check the model was trained with this codebook.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@backend_option
@encoding_option
@cache_dir_option
@no_cache_option
@quiet_option
def label(input_path, output, model_dir, text_cols, id_col, delimiter, sheet, embedder, codebook, force, backend, encoding, cache_dir, no_cache, quiet) -> None:
    """Label every open answer in a survey export with themes, scores and a review flag.

    Adds predicted_themes, score_<theme>, confidence and needs_review; every input row
    and column is kept in order. With several --text-col, writes one row per answer
    with 'question' and 'text' columns (blank answers dropped and counted).

    \b
    Examples:
      pgtext label samples/regioscan-2026.csv --text-col suggesties -o out/2026.xlsx
      pgtext label export.xlsx --sheet Resultaten --text-col toelichting_regio \\
          --text-col suggesties --id-col respondent_id -o out/long.csv
    """
    from pgtext.codebook import load_codebook
    from pgtext.embedding import backend_entry, get_embedder
    from pgtext.model import load_model
    from pgtext.prediction import check_compatible
    from pgtext.streaming import label_file
    from pgtext.tables import check_output_path

    source = Path(input_path)
    target = check_output_path(output, [source], force)
    model = load_model(config.model_dir(model_dir))
    backend = config.backend(backend, model.embedder.get("backend"))
    embedder_obj = get_embedder(embedder or model.embedder["name"], backend, cache_dir)
    check_compatible(model, embedder_obj, load_codebook(codebook) if codebook else None)
    bar = _ProgressBar("Labelling", quiet)
    try:
        s = label_file(
            source, target, model, embedder_obj, list(text_cols), id_col=id_col, encoding=encoding,
            delimiter=delimiter, sheet=sheet, cache=_cache(cache_dir, no_cache), progress=bar if bar.enabled else None,
        )
    finally:
        bar.close()
    for note in s.notes:
        _note(note)
    if s.replaced_columns:
        _warn(f"replaced earlier pgtext columns: {', '.join(s.replaced_columns)}.")
    share = f" ({s.needs_review / s.answers_labelled:.0%})" if s.answers_labelled else ""
    click.echo(f"Read {s.rows_read} rows; labelled {s.answers_labelled} answers; {s.blanks} blank answers skipped.")
    if s.blanks_per_question:
        click.echo("Blank per question: " + ", ".join(f"{q} {n}" for q, n in s.blanks_per_question.items()))
    click.echo(f"{s.needs_review} answers need review{share}.")
    if backend_entry(embedder_obj):  # the default (torch) goes unsaid
        click.echo(f"Embedded with the {backend_entry(embedder_obj)['backend']} backend ({embedder_obj.id}).")
    click.echo(f"Wrote {target}")


# --- Review loop: review sheets, merging decisions into labels, what to label next, label checks ---


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@cli.command()
@click.argument("labelled", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Review sheet, .xlsx (for Excel) or .csv.")
@click.option("--include", multiple=True, default=("flagged",), show_default=True, type=click.Choice(["flagged", "audit", "all"]), help="Answers the model flagged, a random audit sample of those it accepted, or all; repeat to combine.")
@click.option("--audit-size", default=config.AUDIT_SIZE, show_default=True, type=click.IntRange(1), help="How many accepted answers the audit sample takes.")
@click.option("--seed", default=config.SEED, show_default=True, type=int, help="Random seed for the audit sample.")
@click.option("--blind", is_flag=True, help="Leave the audit rows' theme cells and scores empty, so reviewers are not anchored by the model (use .xlsx: the model's themes are in a hidden column).")
@click.option("--text-col", help="The labelled answer column [default: 'text', else the one filled exactly where scores are].")
@click.option("--id-col", help="Respondent id column to show on the sheet [default: id or respondent_id if present].")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook the model was trained with [default: labels/codebook.csv].")
@click.option("--delimiter", help="CSV delimiter of LABELLED: ',' ';' or tab [default: detected].")
@click.option("--sheet", help="XLSX sheet name of LABELLED [default: the first].")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@encoding_option
def review(labelled, output, include, audit_size, seed, blind, text_col, id_col, codebook, delimiter, sheet, force, encoding) -> None:
    """Write a review sheet from a file 'pgtext label' wrote: the answers a person should check.

    Least confident first; near-copies are grouped so one decision covers them (their
    theme cells stay empty and same_as names the row they follow). One 0/1 column per
    theme, pre-filled with the model's choice, scores beside them, a note and reviewer
    column; in .xlsx the editable cells are yellow, accept only 0/1, and the codebook
    is on a second sheet. Merge the reviewed sheet with 'pgtext accept'.

    \b
    Examples:
      pgtext review out/2026.csv -o out/review-2026.xlsx
      pgtext review out/2026.csv -o out/audit-2026.xlsx --include audit --audit-size 30 --blind
      pgtext review out/2026.csv -o out/review-2026.xlsx --include flagged --include audit
      pgtext review out/long.csv -o out/all.csv --include all
    """
    from pgtext.codebook import load_codebook
    from pgtext.review import review_frame
    from pgtext.sheet import write_sheet
    from pgtext.tables import check_output_path, read_table

    source = Path(labelled)
    target = check_output_path(output, [source], force)
    book = load_codebook(codebook or config.DEFAULT_CODEBOOK)
    table = read_table(source, encoding=encoding, delimiter=delimiter, sheet=sheet)
    for note in table.notes:
        _note(note)
    result = review_frame(
        table.frame, book, include=tuple(include), audit_size=audit_size, seed=seed,
        text_col=text_col, id_col=id_col, source=str(source), blind=blind,
    )
    s = result.summary
    if not s.rows:
        _warn("no answers selected; try --include all or --include audit.")
    write_sheet(result.frame, target, book, delimiter=table.delimiter or ",")
    click.echo(f"{s.answers} answers in {source}, {s.flagged} flagged for review.")
    kinds = ", ".join(f"{n} {why}" for why, n in s.per_reason.items())
    copies = f"; {s.near_copies} near-copies follow the row named in same_as" if s.near_copies else ""
    click.echo(f"Sheet: {s.rows} rows" + (f" ({kinds})" if kinds else "") + copies + ".")
    click.echo(f"Wrote {target}")
    click.echo(f"After review: pgtext accept {target} --labels labels/FILE.csv")


@cli.command()
@click.argument("sheet_path", metavar="SHEET", type=click.Path(dir_okay=False))
@click.option("--labels", "labels_path", required=True, type=click.Path(dir_okay=False), help="Labels file to merge into (created when it does not exist).")
@click.option("--source", default="review", show_default=True, help="Source written on new answers, e.g. wave-2026-review.")
@click.option("--reviewer", default="", help="Initials for rows whose reviewer cell is empty.")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook CSV [default: codebook.csv beside the labels file, else labels/codebook.csv].")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@encoding_option
def accept(sheet_path, labels_path, source, reviewer, codebook, dry_run, encoding) -> None:
    """Merge a reviewed sheet (xlsx or csv) into a labels file.

    New answers are appended with --source and the reviewer; an answer already in the
    labels (same text, ignoring case and spacing) is updated, never added twice, and
    listed. A row still holding the sheet's suggestion does not overwrite a different
    label already in the file (it is listed as kept). A bad sheet is refused with the
    row named and the labels left untouched; otherwise the old file is kept as a
    timestamped .bak beside it and the new one written atomically.

    \b
    Examples:
      pgtext accept out/review-2026.xlsx --labels labels/twente.csv --source wave-2026-review
      pgtext accept out/review-2026.xlsx --labels labels/twente.csv --dry-run
      pgtext accept out/check.xlsx --labels labels/twente.csv --reviewer AB
    """
    from pgtext.codebook import load_codebook
    from pgtext.merge import plan_merge, write_merge
    from pgtext.sheet import SheetError, read_sheet

    sheet, labels = Path(sheet_path), Path(labels_path)
    if sheet.exists() and labels.exists() and sheet.resolve() == labels.resolve():
        raise click.ClickException(f"{sheet}: is the labels file itself; give the reviewed sheet and --labels separately.")
    book = load_codebook(Path(codebook) if codebook else _codebook_beside(labels))
    try:
        decisions = read_sheet(sheet, book, encoding=encoding)
    except SheetError as exc:
        raise click.ClickException(f"{exc} Nothing merged; {labels} is unchanged.") from None
    plan = plan_merge(labels, decisions, book, source=source, reviewer=reviewer, encoding=encoding)
    for warning in plan.warnings:
        _warn(warning)
    following = sum(d.follows is not None for d in decisions)
    click.echo(f"Read {len(decisions)} decisions from {sheet}" + (f" ({following} near-copies following another row)." if following else "."))
    repeated = f", {plan.repeated} repeated in the sheet" if plan.repeated else ""
    click.echo(f"Added {plan.added}, updated {len(plan.updated)}, unchanged {plan.unchanged}{repeated}, kept {len(plan.kept)}.")
    if plan.updated:
        click.echo("Updated:")
        for c in plan.updated:
            who = f" [{c.reviewer}]" if c.reviewer else ""
            click.echo(f"  {labels.name} row {c.labels_row} ({c.id}): {c.before or 'no theme'} -> {c.after or 'no theme'}{who}")
    if plan.kept:
        click.echo("Kept the label already in the file (the sheet row still held its suggestion; change its 0/1 cells to overwrite):")
        for c in plan.kept:
            click.echo(f"  {labels.name} row {c.labels_row} ({c.id}): kept {c.before or 'no theme'}; sheet row {c.sheet_row} offered {c.after or 'no theme'}")
    if plan.audit:
        kept_model, audited = plan.audit
        click.echo(f"Audit sample: the model's themes were right for {kept_model} of {audited} auto-accepted answers ({kept_model / audited:.0%}).")
    width = max(len(s) for s in [*book.slugs, "no theme"]) + 2
    click.echo(f"{'theme':<{width}}{'before':>7}{'after':>7}")
    for slug in book.slugs:
        click.echo(f"{slug:<{width}}{plan.counts_before.get(slug, 0):>7}{plan.counts_after.get(slug, 0):>7}")
    click.echo(f"{'no theme':<{width}}{plan.no_theme_before:>7}{plan.no_theme_after:>7}")
    if dry_run:
        click.echo(f"Dry run: {labels} not changed.")
        return
    if not plan.changed:
        click.echo(f"Nothing to change; {labels} left as it was.")
        return
    backup = write_merge(plan)
    if backup:
        click.echo(f"Backup of the previous labels: {backup}")
    click.echo(f"Wrote {labels}")
    click.echo(f"Retrain: pgtext train {labels} --model {_shown(config.model_dir())} --force")


@cli.command()
@click.argument("input_path", metavar="UNLABELLED", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Review sheet, .xlsx or .csv.")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), help=f"Model folder [default: ${config.MODEL_ENV} or models/twente].")
@click.option("-n", "count", default=config.SUGGEST_COUNT, show_default=True, type=click.IntRange(1), help="How many answers to suggest.")
@click.option("--text-col", "text_cols", multiple=True, help="Open-answer column; repeat for several.")
@click.option("--id-col", help="Respondent id column to show on the sheet.")
@click.option("--labels", "labels_paths", multiple=True, type=click.Path(dir_okay=False), help="Skip answers already in this labels file; repeat for several.")
@click.option("--diversity", default=config.DIVERSITY, show_default=True, type=click.FloatRange(0.0, 1.0), help="0 = most uncertain only; higher = penalise answers like (in meaning) those already picked or labelled.")
@click.option("--delimiter", help="CSV delimiter: ',' ';' or tab [default: detected].")
@click.option("--sheet", help="XLSX sheet name [default: the first].")
@click.option("--embedder", help="Check the model's embedder is this one, or load it from a moved folder.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@encoding_option
@cache_dir_option
@no_cache_option
@quiet_option
def suggest(input_path, output, model_dir, count, text_cols, id_col, labels_paths, diversity, delimiter, sheet, embedder, force, encoding, cache_dir, no_cache, quiet) -> None:
    """Pick the unlabelled answers whose labels would most improve the model.

    The ones the model is least sure of, typical answers before odd ones, kept diverse
    in meaning: unlike each other and unlike the answers already in --labels. Blanks,
    non-answers ("weet niet", "n.v.t.") and answers already in --labels are skipped. Writes a review sheet: fill in the 0/1 cells, then
    'pgtext accept' it into the labels and retrain.

    \b
    Examples:
      pgtext suggest samples/regioscan-2026.csv --text-col suggesties -n 30 -o out/next.xlsx
      pgtext suggest export.xlsx --text-col suggesties --text-col toelichting_regio \\
          --labels labels/twente.csv -n 50 -o out/next.xlsx
    """
    from pgtext.embedding import get_embedder
    from pgtext.labels import load_labels
    from pgtext.model import load_model
    from pgtext.prediction import check_compatible
    from pgtext.sheet import write_sheet
    from pgtext.suggest import suggest_frame
    from pgtext.tables import check_output_path, read_table

    source = Path(input_path)
    target = check_output_path(output, [source, *map(Path, labels_paths)], force)
    model = load_model(config.model_dir(model_dir))
    embedder_obj = get_embedder(embedder or model.embedder["name"])
    check_compatible(model, embedder_obj)
    known = load_labels(list(labels_paths), model.codebook, encoding=encoding).texts if labels_paths else []
    table = read_table(source, encoding=encoding, delimiter=delimiter, sheet=sheet)
    for note in table.notes:
        _note(note)
    if table.frame.empty:
        raise click.ClickException(f"{source}: has a header but no rows; nothing to suggest.")
    bar = _ProgressBar("Scoring", quiet)
    try:
        result = suggest_frame(
            table.frame, model, embedder_obj, list(text_cols), n=count, id_col=id_col, labelled_texts=known,
            diversity=diversity, cache=_cache(cache_dir, no_cache), progress=bar, source=str(source),
        )
    finally:
        bar.close()
    s = result.summary
    click.echo(
        f"{s.answers} answers; skipped {s.non_answers} non-answers, {s.already_labelled} already labelled, "
        f"{s.copies} repeats."
    )
    if s.picked < count:
        _warn(f"only {s.picked} answers left to suggest (asked for {count}).")
    write_sheet(result.frame, target, model.codebook, delimiter=table.delimiter or ",")
    click.echo(f"Suggested {s.picked} answers, least certain and most varied first.")
    click.echo(f"Wrote {target}")
    click.echo(f"After labelling: pgtext accept {target} --labels labels/FILE.csv")


@cli.command("check-labels")
@click.argument("labels_path", metavar="LABELS", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Review sheet of suspect labels, .xlsx or .csv.")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook CSV [default: codebook.csv beside LABELS, else labels/codebook.csv].")
@click.option("--embedder", default=config.DEFAULT_EMBEDDER, show_default=True, help="'minilm' (shipped, offline), a sentence-transformers folder, or a hub name.")
@click.option("--features", type=click.Choice(["both", "embeddings", "tfidf"]), default=config.DEFAULT_FEATURES, show_default=True, help="Features of the cross-validated model.")
@click.option("--folds", default=config.DEFAULT_FOLDS, show_default=True, type=click.IntRange(2, 20), help="Cross-validation folds.")
@click.option("--min-strength", default=config.SUSPECT_STRENGTH, show_default=True, type=click.FloatRange(0.0, 1.0), help="List a label when the model's score is at least this far from it (and on the other side of the threshold).")
@click.option("--limit", "-n", type=click.IntRange(1), help="At most this many rows [default: all suspects].")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@encoding_option
@cache_dir_option
@no_cache_option
@quiet_option
def check_labels(labels_path, output, codebook, embedder, features, folds, min_strength, limit, force, encoding, cache_dir, no_cache, quiet) -> None:
    """Find likely labelling mistakes in a training file.

    Lists answers whose cross-validated prediction (from a model that did not see
    them) disagrees strongly with their label, and near-copies that carry different
    themes; most suspicious first. The sheet is pre-filled with the current labels:
    correct the 0/1 cells where the label is wrong and 'pgtext accept' it back.

    \b
    Examples:
      pgtext check-labels labels/twente.csv -o out/check.xlsx
      pgtext check-labels labels/twente.csv -o out/check.xlsx --min-strength 0.8 -n 40
    """
    from pgtext.codebook import load_codebook
    from pgtext.embedding import get_embedder
    from pgtext.label_check import check_labels as find_suspects
    from pgtext.labels import load_labels
    from pgtext.sheet import write_sheet
    from pgtext.tables import check_output_path

    source = Path(labels_path)
    target = check_output_path(output, [source], force)
    book = load_codebook(Path(codebook) if codebook else _codebook_beside(source))
    labelled = load_labels([source], book, encoding=encoding)
    for warning in labelled.warnings:
        _warn(warning)
    bar = _ProgressBar("Embedding", quiet)
    try:
        result = find_suspects(
            labelled, get_embedder(embedder), features=features, folds=folds, min_strength=min_strength,
            limit=limit, cache=_cache(cache_dir, no_cache), progress=bar,
        )
    finally:
        bar.close()
    s = result.summary
    click.echo(f"Cross-validated {s.answers} answers ({folds} folds).")
    click.echo(f"{s.disagreements} labels the model firmly disagrees with; {s.copy_conflicts} near-copy pairs with different themes.")
    write_sheet(result.frame, target, book)
    click.echo(f"Sheet: {s.listed} rows, most suspicious first.")
    click.echo(f"Wrote {target}")
    click.echo(f"After review: pgtext accept {target} --labels {source}")


# --- Reports and discovery: theme counts for report writers, candidate new themes ---


@cli.command()
@click.argument("labelled", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--model", "model_dir", type=click.Path(file_okay=False), help=f"Model whose codebook names and orders the themes [default: ${config.MODEL_ENV} or models/twente].")
@click.option("--by", help="Also count per subgroup of this column (domein, organisatie, gemeente, ...).")
@click.option("--wave-col", help="Column naming the wave, when a file holds several waves [default: one wave per file].")
@click.option("--question", "questions", multiple=True, help="Count only this question of a long file; repeat for several (pooled) [default: all].")
@click.option("--text-col", help="Answer column of a wide labelled file [default: text/answer/antwoord/tekst].")
@click.option("--quotes", type=click.IntRange(0, 20), help="Example quotes per theme: confident, representative, no near-copies [default: 3].")
@click.option("--no-mask", is_flag=True, help="Quote answers as written (names, e-mail addresses and phone numbers are masked by default).")
@click.option("--min-n", type=click.IntRange(1), help="Flag shares of fewer respondents than this as indicative [default: 30].")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Also write the report: .md (Markdown), .csv (one tidy table) or .xlsx (a sheet per table).")
@click.option("--chart", type=click.Path(dir_okay=False), help="Also write a bar chart of theme shares, waves side by side (.png).")
@click.option("--title", help="Title of the Markdown report and the chart.")
@click.option("--force", is_flag=True, help="Replace existing --output/--chart files.")
@encoding_option
def report(labelled, model_dir, by, wave_col, questions, text_col, quotes, no_mask, min_n, output, chart, title, force, encoding) -> None:
    """Count themes in LABELLED files for a report: per theme, subgroup and wave, with quotes.

    LABELLED are files written by 'pgtext label' (one answer column, or long files with
    'question' and 'text'). Share = respondents with the theme among respondents who
    answered (n), with a 95% Wilson interval; split into confident and still to review.
    Several files are waves, in the order given, with the change between waves.

    \b
    Examples:
      pgtext report out/2026-long.csv --question suggesties
      pgtext report out/2025-long.csv out/2026-long.csv -o out/report.md --chart out/chart.png
      pgtext report out/2026-long.csv --by domein -o out/report.xlsx
    """
    from pgtext.charts import theme_share_chart
    from pgtext.codebook import Codebook
    from pgtext.documents import DOCUMENT_SUFFIXES, check_target, write_csv, write_sheets, write_text
    from pgtext.model import read_card
    from pgtext.report import build_report
    from pgtext.report_format import DEFAULT_TITLE, report_markdown, report_sheets, report_table, report_text, scope_text

    sources = [Path(p) for p in labelled]
    target = check_target(output, sources, force, DOCUMENT_SUFFIXES, "--output") if output else None
    chart_target = check_target(chart, sources, force, {".png": "png"}, "--chart") if chart else None
    book = Codebook.from_list(read_card(config.model_dir(model_dir))["codebook"]["themes"])
    given = {name: value for name, value in (("quotes", quotes), ("min_n", min_n)) if value is not None}
    result = build_report(
        sources, book, by=by, wave_col=wave_col, questions=list(questions), text_col=text_col,
        mask=not no_mask, encoding=encoding, **given,
    )
    click.echo(report_text(result))
    if target:
        kind = DOCUMENT_SUFFIXES[target.suffix.lower()]
        if kind == "markdown":
            write_text(target, report_markdown(result, title or DEFAULT_TITLE))
        elif kind == "csv":
            write_csv(target, report_table(result))
        else:
            write_sheets(target, report_sheets(result))
        click.echo(f"Wrote {target}")
    if chart_target:
        overall = result.table[result.table["group"] == "all"]
        theme_share_chart(
            overall, book, result.waves, chart_target, title=title or "Share of respondents per theme",
            subtitle=f"Questions: {scope_text(result, short=True)}",
        )
        click.echo(f"Wrote {chart_target}")


@cli.command()
@click.argument("labelled", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--model", "model_dir", type=click.Path(file_okay=False), help=f"Model whose codebook and embedder to use [default: ${config.MODEL_ENV} or models/twente].")
@click.option("--all", "include_all", is_flag=True, help="Group all answers, not only those no theme covers confidently.")
@click.option("--min-size", type=click.IntRange(2), help="Smallest candidate group; smaller ones are listed as leftovers [default: 5].")
@click.option("--examples", type=click.IntRange(0, 20), help="Example answers per group [default: 3].")
@click.option("--no-mask", is_flag=True, help="Show answers as written (names, e-mail addresses and phone numbers are masked by default).")
@click.option("--wave-col", help="Column naming the wave, when a file holds several waves [default: one wave per file].")
@click.option("--text-col", help="Answer column of a wide labelled file [default: text/answer/antwoord/tekst].")
@click.option("--embedder", help="Group with this embedder instead of the model's.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Also write the groups: .md (Markdown), .csv or .xlsx (one row per answer, a review sheet).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@encoding_option
@cache_dir_option
@no_cache_option
@quiet_option
def discover(labelled, model_dir, include_all, min_size, examples, no_mask, wave_col, text_col, embedder, output, force, encoding, cache_dir, no_cache, quiet) -> None:
    """Find candidate new themes: groups of answers the codebook does not cover.

    Takes the answers of the last wave in LABELLED that no theme covers confidently,
    leaves out non-answers ("weet niet", "n.v.t.", "-"), and groups the rest by meaning
    without fixing the number of groups. Per group: size, distinctive words, the closest
    existing theme, examples and, given an earlier wave too, whether it is new.

    \b
    Examples:
      pgtext discover out/2026-long.csv
      pgtext discover out/2025-long.csv out/2026-long.csv -o out/new-themes.md
      pgtext discover out/2025-long.csv out/2026-long.csv -o out/new-themes.csv --force
    """
    from pgtext.codebook import Codebook
    from pgtext.discovery import discover as find_new_themes
    from pgtext.discovery_format import discovery_frame, discovery_markdown, discovery_text
    from pgtext.documents import DOCUMENT_SUFFIXES, check_target, write_csv, write_sheets, write_text
    from pgtext.embedding import get_embedder
    from pgtext.model import read_card

    sources = [Path(p) for p in labelled]
    target = check_target(output, sources, force, DOCUMENT_SUFFIXES, "--output") if output else None
    card = read_card(config.model_dir(model_dir))
    book = Codebook.from_list(card["codebook"]["themes"])
    given = {name: value for name, value in (("min_size", min_size), ("examples", examples)) if value is not None}
    bar = _ProgressBar("Embedding", quiet)
    try:
        result = find_new_themes(
            sources, book, get_embedder(embedder or card["embedder"]["name"]), cache=_cache(cache_dir, no_cache),
            include_all=include_all, mask=not no_mask, wave_col=wave_col, text_col=text_col, encoding=encoding,
            progress=bar, **given,
        )
    finally:
        bar.close()
    click.echo(discovery_text(result))
    if target:
        kind = DOCUMENT_SUFFIXES[target.suffix.lower()]
        if kind == "markdown":
            write_text(target, discovery_markdown(result))
        elif kind == "csv":
            write_csv(target, discovery_frame(result))
        else:
            write_sheets(target, {"answers": discovery_frame(result)})
        click.echo(f"Wrote {target}")
