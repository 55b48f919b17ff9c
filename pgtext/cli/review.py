"""The review loop: review sheets, merging decisions into labels, what to label next, label checks."""

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
    lang_option,
    note,
    open_cache,
    quiet_option,
    shown,
    table_options,
    text_col_option,
    warn,
)
from pgtext.cli.main import cli


@cli.command()
@click.argument("labelled", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Review sheet, .xlsx (for Excel) or .csv.")
@click.option("--include", multiple=True, default=("flagged",), show_default=True, type=click.Choice(["flagged", "audit", "all"]), help="Answers the model flagged, a random audit sample of those it accepted, or all; repeat to combine.")
@click.option("--audit-size", default=config.AUDIT_SIZE, show_default=True, type=click.IntRange(1), help="How many accepted answers the audit sample takes.")
@click.option("--seed", default=config.SEED, show_default=True, type=int, help="Random seed for the audit sample.")
@click.option("--blind", is_flag=True, help="Leave the audit rows' theme cells and scores empty, so reviewers are not anchored by the model (use .xlsx: the model's themes are in a hidden column).")
@text_col_option("The labelled answer column of LABELLED.")
@click.option("--id-col", help="Respondent id column to show on the sheet [default: id or respondent_id if present].")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook the model was trained with [default: labels/codebook.csv].")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@lang_option
@table_options
@quiet_option
def review(labelled, output, include, audit_size, seed, blind, text_col, id_col, codebook, delimiter, sheet, force, lang, encoding, quiet) -> None:
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
    from pgtext.files.tables import read_table
    from pgtext.model.codebook import load_codebook
    from pgtext.review.queue import review_frame
    from pgtext.review.sheet import check_sheet_path, write_sheet

    source = Path(labelled)
    book_path = Path(codebook) if codebook else config.DEFAULT_CODEBOOK
    (target,) = check_outputs([(output, "--output")], [source, book_path], force)
    target = check_sheet_path(target)
    book = load_codebook(book_path)
    table = read_table(source, encoding=encoding, delimiter=delimiter, sheet=sheet)
    for line in table.notes:
        note(line)
    result = review_frame(
        table.frame, book, include=tuple(include), audit_size=audit_size, seed=seed,
        text_col=text_col, id_col=id_col, source=str(source), blind=blind,
    )
    s = result.summary
    if not s.rows:
        warn("no answers selected; try --include all or --include audit.")
    write_sheet(result.frame, target, book, delimiter=table.delimiter or ",", replace=force, lang=lang and lang.lower())
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
@click.option("--reviewer", default="", help="Initials written to the labels for rows whose reviewer cell is empty (does not mark a row as checked).")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook CSV [default: codebook.csv beside the labels file, else labels/codebook.csv].")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--accept-unchanged", is_flag=True, help="Also take rows still exactly as pre-filled and unsigned (the model's guesses) as human labels.")
@table_options
@quiet_option
def accept(sheet_path, labels_path, source, reviewer, codebook, dry_run, accept_unchanged, delimiter, encoding, sheet, quiet) -> None:
    """Merge a reviewed sheet (xlsx or csv) into a labels file.

    New answers are appended with --source and the reviewer; an answer already in the
    labels (same text, ignoring case and spacing) is updated, never added twice, and
    listed. A row still holding the sheet's suggestion does not overwrite a different
    label already in the file (it is listed as kept). New answers whose rows are still
    exactly as pre-filled, with no initials in 'reviewer' and no note, are refused
    unless --accept-unchanged: they would store the model's guesses as human labels.
    A bad sheet is refused with the row named and the labels left untouched; otherwise
    the old file is kept as a timestamped .bak beside it and the new one written
    atomically. --delimiter and --encoding apply to SHEET and --labels, --sheet to SHEET
    [default: the review sheet pgtext wrote, else the first].

    \b
    Examples:
      cp labels/twente.csv out/my-labels.csv
      pgtext accept out/review-2026.xlsx --labels out/my-labels.csv --dry-run
      pgtext accept out/review-2026.xlsx --labels out/my-labels.csv --source wave-2026-review
      pgtext accept out/check.xlsx --labels out/my-labels.csv --reviewer AB
    """
    from pgtext.files.outputs import check_not_input, same_path
    from pgtext.model.codebook import load_codebook
    from pgtext.review.merge import check_reviewed, merging, plan_merge
    from pgtext.review.sheet import SheetError, read_sheet

    sheet_name, sheet, labels = sheet, Path(sheet_path), Path(labels_path)
    if same_path(sheet, labels):
        raise click.ClickException(f"{sheet}: is the labels file itself; give the reviewed sheet and --labels separately.")
    book_path = Path(codebook) if codebook else codebook_beside(labels)
    check_not_input(labels, [book_path], "--labels")
    book = load_codebook(book_path)
    try:
        decisions = read_sheet(sheet, book, encoding=encoding, delimiter=delimiter, sheet=sheet_name)
        plan = plan_merge(labels, decisions, book, source=source, reviewer=reviewer, encoding=encoding, delimiter=delimiter)
        if not accept_unchanged:
            check_reviewed(plan, sheet)
    except SheetError as exc:
        raise click.ClickException(f"{exc} Nothing merged; {labels} is unchanged.") from None
    with merging(labels, dry_run):  # another accept into the same file waits; it then merges into our result
        _accept(sheet, labels, decisions, book, source, reviewer, dry_run, encoding, delimiter)


def _accept(sheet, labels, decisions, book, source, reviewer, dry_run, encoding, delimiter) -> None:
    from pgtext.review.merge import plan_merge, retrain_folder, write_merge

    plan = plan_merge(labels, decisions, book, source=source, reviewer=reviewer, encoding=encoding, delimiter=delimiter)
    for warning in plan.warnings:
        warn(warning)
    following = sum(d.follows is not None for d in decisions)
    click.echo(f"Read {len(decisions)} decisions from {sheet}" + (f" ({following} near-copies following another row)." if following else "."))
    if plan.untouched_new:  # only reached with --accept-unchanged
        click.echo(f"Taking {plan.untouched_new} new answers left as pre-filled and unsigned as labels (--accept-unchanged).")
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
    click.echo(f"Retrain: pgtext train {shown(labels)} -o {shown(retrain_folder(labels))}")


@cli.command()
@click.argument("input_path", metavar="UNLABELLED", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Review sheet, .xlsx or .csv.")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), help=f"Model folder [default: ${config.MODEL_ENV} or models/twente].")
@click.option("-n", "count", default=config.SUGGEST_COUNT, show_default=True, type=click.IntRange(1), help="How many answers to suggest.")
@text_col_option("Open-answer column; repeat for several.", "--text-col", "text_cols", multiple=True)
@click.option("--id-col", help="Respondent id column to show on the sheet.")
@click.option("--labels", "labels_paths", multiple=True, type=click.Path(dir_okay=False), help="Skip answers already in this labels file; repeat for several.")
@click.option("--diversity", default=config.DIVERSITY, show_default=True, type=click.FloatRange(0.0, 1.0), help="0 = most uncertain only; higher = penalise answers like (in meaning) those already picked or labelled.")
@click.option("--embedder", help="Check the model's embedder is this one, or load it from a moved folder.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@table_options
@embedding_options
@lang_option
def suggest(input_path, output, model_dir, count, text_cols, id_col, labels_paths, diversity, delimiter, sheet, embedder, force, backend, encoding, cache_dir, no_cache, quiet, lang) -> None:
    """Pick the unlabelled answers whose labels would most improve the model.

    The ones the model is least sure of, typical answers before odd ones, kept diverse
    in meaning: unlike each other and unlike the answers already in --labels. Blanks,
    non-answers ("weet niet", "n.v.t.") and answers already in --labels are skipped.
    Writes a review sheet: fill in the 0/1 cells, then
    'pgtext accept' it into the labels and retrain.

    \b
    Examples:
      pgtext suggest samples/regioscan-2026.csv --text-col suggesties -n 30 -o out/next.xlsx
      pgtext suggest export.xlsx --text-col suggesties --text-col toelichting_regio \\
          --labels labels/twente.csv -n 50 -o out/next.xlsx
    """
    from pgtext.files.tables import read_table
    from pgtext.label.prediction import check_compatible
    from pgtext.model.labels import load_labels
    from pgtext.model.store import load_model
    from pgtext.review.sheet import check_sheet_path, write_sheet
    from pgtext.review.suggest import suggest_frame

    source = Path(input_path)
    folder = config.model_dir(model_dir)
    (target,) = check_outputs([(output, "--output")], [source, *map(Path, labels_paths), folder], force)
    target = check_sheet_path(target)
    model = load_model(folder)
    embedder_obj = embedder_for(embedder or model.embedder["name"], backend, cache_dir, model.embedder)
    check_compatible(model, embedder_obj)
    known = load_labels(list(labels_paths), model.codebook, encoding=encoding, delimiter=delimiter).texts if labels_paths else []
    table = read_table(source, encoding=encoding, delimiter=delimiter, sheet=sheet)
    for line in table.notes:
        note(line)
    if table.frame.empty:
        raise click.ClickException(f"{source}: has a header but no rows; nothing to suggest.")
    with ProgressBar("Scoring", quiet) as bar:
        result = suggest_frame(
            table.frame, model, embedder_obj, list(text_cols), n=count, id_col=id_col, labelled_texts=known,
            diversity=diversity, cache=open_cache(cache_dir, no_cache), progress=bar, source=str(source),
        )
    s = result.summary
    click.echo(
        f"{s.answers} answers; skipped {s.non_answers} non-answers, {s.already_labelled} already labelled, "
        f"{s.copies} repeats."
    )
    if s.picked < count:
        warn(f"only {s.picked} answers left to suggest (asked for {count}).")
    write_sheet(result.frame, target, model.codebook, delimiter=table.delimiter or ",", replace=force, lang=lang and lang.lower())
    click.echo(f"Suggested {s.picked} answers, least certain and most varied first.")
    click.echo(f"Wrote {target}")
    click.echo(f"After labelling: pgtext accept {target} --labels labels/FILE.csv")


@cli.command("check-labels")
@click.argument("labels_path", metavar="LABELS", type=click.Path(dir_okay=False))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Review sheet of suspect labels, .xlsx or .csv.")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook CSV [default: codebook.csv beside LABELS, else labels/codebook.csv].")
@text_col_option("Answer column of LABELS.")
@click.option("--embedder", default=config.DEFAULT_EMBEDDER, show_default=True, help="'minilm' (shipped, offline), a sentence-transformers folder, or a hub name.")
@click.option("--features", type=click.Choice(["both", "embeddings", "tfidf"]), default=config.DEFAULT_FEATURES, show_default=True, help="Features of the cross-validated model.")
@click.option("--folds", default=config.DEFAULT_FOLDS, show_default=True, type=click.IntRange(2, 20), help="Cross-validation folds.")
@click.option("--min-strength", default=config.SUSPECT_STRENGTH, show_default=True, type=click.FloatRange(0.0, 1.0), help="List a label when the model's score is at least this far from it (and on the other side of the threshold).")
@click.option("--limit", "-n", type=click.IntRange(1), help="At most this many rows [default: all suspects].")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@table_options
@embedding_options
@lang_option
def check_labels(labels_path, output, codebook, text_col, embedder, features, folds, min_strength, limit, force, backend, delimiter, encoding, sheet, cache_dir, no_cache, quiet, lang) -> None:
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
    from pgtext.model.codebook import load_codebook
    from pgtext.model.labels import load_labels
    from pgtext.review.label_check import check_labels as find_suspects
    from pgtext.review.sheet import check_sheet_path, write_sheet

    source = Path(labels_path)
    book_path = Path(codebook) if codebook else codebook_beside(source)
    (target,) = check_outputs([(output, "--output")], [source, book_path], force)
    target = check_sheet_path(target)
    book = load_codebook(book_path)
    labelled = load_labels([source], book, encoding=encoding, text_col=text_col, delimiter=delimiter, sheet=sheet)
    for warning in labelled.warnings:
        warn(warning)
    with ProgressBar("Embedding", quiet) as bar:
        result = find_suspects(
            labelled, embedder_for(embedder, backend, cache_dir), features=features, folds=folds, min_strength=min_strength,
            limit=limit, cache=open_cache(cache_dir, no_cache), progress=bar,
        )
    s = result.summary
    click.echo(f"Cross-validated {s.answers} answers ({folds} folds).")
    click.echo(f"{s.disagreements} labels the model firmly disagrees with; {s.copy_conflicts} near-copy pairs with different themes.")
    write_sheet(result.frame, target, book, replace=force, lang=lang and lang.lower())
    click.echo(f"Sheet: {s.listed} rows, most suspicious first.")
    click.echo(f"Wrote {target}")
    click.echo(f"After review: pgtext accept {target} --labels {source}")


# --- Reports and discovery: theme counts for report writers, candidate new themes ---


