"""The label command: an export in, the same rows with themes, scores and review flags out."""

from __future__ import annotations

from pathlib import Path

import click

from pgtext import config
from pgtext.cli.common import (
    ProgressBar,
    check_outputs,
    embedder_for,
    embedding_options,
    note,
    open_cache,
    table_options,
    text_col_option,
    warn,
)
from pgtext.cli.main import cli


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Output file, .csv, .xlsx or .sav (SPSS).")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), help=f"Model folder [default: ${config.MODEL_ENV} or models/twente].")
@text_col_option("Open-answer column; repeat for several (one output row per answer).", "--text-col", "text_cols", multiple=True)
@click.option("--id-col", help="Respondent id column, put first in long output.")
@click.option("--embedder", help="Check the model's embedder is this one, or load it from a moved folder.")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Check the model was trained with this codebook.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@table_options
@embedding_options
@click.option("--lang", type=click.Choice(["nl", "en"], case_sensitive=False), help="Language of the labels in a .sav output [default: the codebook's].")
def label(input_path, output, model_dir, text_cols, id_col, delimiter, sheet, embedder, codebook, force, backend, encoding, cache_dir, no_cache, quiet, lang) -> None:
    """Label every open answer in a survey export with themes, scores and a review flag.

    Adds predicted_themes, score_<theme>, confidence and needs_review; every input row
    and column is kept in order. With several --text-col, writes one row per answer
    with 'question' and 'text' columns (blank answers dropped and counted).

    \b
    Examples:
      pgtext label samples/regioscan-2026.csv --text-col suggesties -o out/2026.xlsx
      pgtext label export.xlsx --sheet Resultaten --text-col toelichting_regio \\
          --text-col suggesties --id-col respondent_id -o out/long.csv
      pgtext label samples/regioscan-2026.sav --text-col suggesties -o out/2026.sav
    """
    from pgtext.embed import backend_entry
    from pgtext.label.prediction import check_compatible
    from pgtext.label.streaming import label_file
    from pgtext.model.codebook import load_codebook
    from pgtext.model.store import load_model

    source = Path(input_path)
    folder = config.model_dir(model_dir)
    inputs = [source, folder, codebook, *([embedder] if embedder and Path(embedder).exists() else [])]
    (target,) = check_outputs([(output, "--output")], inputs, force)
    model = load_model(folder)
    embedder_obj = embedder_for(embedder or model.embedder["name"], backend, cache_dir, model.embedder)
    check_compatible(model, embedder_obj, load_codebook(codebook) if codebook else None)
    with ProgressBar("Labelling", quiet) as bar:
        s = label_file(
            source, target, model, embedder_obj, list(text_cols), id_col=id_col, encoding=encoding,
            delimiter=delimiter, sheet=sheet, cache=open_cache(cache_dir, no_cache), progress=bar if bar.enabled else None,
            replace=force,
            lang=lang and lang.lower(),
        )
    for line in s.notes:
        note(line)
    if s.replaced_columns:
        warn(f"replaced earlier pgtext columns: {', '.join(s.replaced_columns)}.")
    share = f" ({s.needs_review / s.answers_labelled:.0%})" if s.answers_labelled else ""
    click.echo(f"Read {s.rows_read} rows; labelled {s.answers_labelled} answers; {s.blanks} blank answers skipped.")
    if s.blanks_per_question:
        click.echo("Blank per question: " + ", ".join(f"{q} {n}" for q, n in s.blanks_per_question.items()))
    click.echo(f"{s.needs_review} answers need review{share}.")
    if backend_entry(embedder_obj):  # the embedder's default backend goes unsaid
        click.echo(f"Embedded with the {backend_entry(embedder_obj)['backend']} backend ({embedder_obj.id}).")
    click.echo(f"Wrote {target}")


