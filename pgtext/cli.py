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
    """A progress callback for the library: a bar on stderr, only on a terminal and not --quiet."""

    def __init__(self, label: str, quiet: bool) -> None:
        self.label = label
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar = None

    def __call__(self, advance: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(advance)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _cache(cache_dir: str | None, no_cache: bool):
    from pgtext.cache import EmbeddingCache

    return None if no_cache else EmbeddingCache(config.cache_dir(cache_dir))


def _warn(message: str) -> None:
    click.echo(f"Warning: {message}", err=True)


cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help=f"Embedding cache folder [default: ${config.CACHE_ENV} or ~/.cache/pgtext].",
)
no_cache_option = click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
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
@encoding_option
@cache_dir_option
@no_cache_option
@quiet_option
def train(labels, model_dir, codebook, embedder, features, folds, target_precision, force, encoding, cache_dir, no_cache, quiet) -> None:
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
            list(labels), book, get_embedder(embedder), features=features, folds=folds,
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
@encoding_option
@cache_dir_option
@no_cache_option
@quiet_option
def label(input_path, output, model_dir, text_cols, id_col, delimiter, sheet, embedder, codebook, force, encoding, cache_dir, no_cache, quiet) -> None:
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
    from pgtext.embedding import get_embedder
    from pgtext.model import load_model
    from pgtext.prediction import check_compatible, label_frame
    from pgtext.tables import check_output_path, read_table, write_table

    source = Path(input_path)
    target = check_output_path(output, [source], force)
    model = load_model(config.model_dir(model_dir))
    embedder_obj = get_embedder(embedder or model.embedder["name"])
    check_compatible(model, embedder_obj, load_codebook(codebook) if codebook else None)
    table = read_table(source, encoding=encoding, delimiter=delimiter, sheet=sheet)
    if table.frame.empty:
        raise click.ClickException(f"{source}: has a header but no rows; nothing to label.")
    bar = _ProgressBar("Labelling", quiet)
    try:
        result = label_frame(
            table.frame, model, embedder_obj, list(text_cols), id_col=id_col,
            cache=_cache(cache_dir, no_cache), progress=bar, source=str(source),
        )
    finally:
        bar.close()
    if result.summary.replaced_columns:
        _warn(f"replaced earlier pgtext columns: {', '.join(result.summary.replaced_columns)}.")
    write_table(result.frame, target, delimiter=table.delimiter or ",")
    s = result.summary
    share = f" ({s.needs_review / s.answers_labelled:.0%})" if s.answers_labelled else ""
    click.echo(f"Read {s.rows_read} rows; labelled {s.answers_labelled} answers; {s.blanks} blank answers skipped.")
    if s.blanks_per_question:
        click.echo("Blank per question: " + ", ".join(f"{q} {n}" for q, n in s.blanks_per_question.items()))
    click.echo(f"{s.needs_review} answers need review{share}.")
    click.echo(f"Wrote {target}")
