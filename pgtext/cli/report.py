"""What gets published: report and discover."""

from __future__ import annotations

from pathlib import Path

import click

from pgtext import config
from pgtext.cli.common import (
    ProgressBar,
    check_outputs,
    embedder_for,
    embedding_options,
    lang_option,
    open_cache,
    quiet_option,
    table_options,
    text_col_option,
)
from pgtext.cli.main import cli


@cli.command()
@click.argument("labelled", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--model", "model_dir", type=click.Path(file_okay=False), help=f"Model whose codebook names and orders the themes [default: ${config.MODEL_ENV} or models/twente].")
@click.option("--by", multiple=True, help="Also count per subgroup of this column (domein, organisatie, gemeente, ...); one column per report.")
@click.option("--wave-col", help="Column naming the wave, when a file holds several waves [default: one wave per file].")
@click.option("--question", "questions", multiple=True, help="Count only this question of a long file; repeat for several (pooled) [default: all].")
@text_col_option("Answer column of a wide labelled file.")
@click.option("--quotes", type=click.IntRange(0, 20), help=f"Example quotes per theme: confident, representative, no near-copies [default: {config.REPORT_QUOTES}].")
@click.option("--no-mask", is_flag=True, help="Quote answers as written (names, e-mail addresses and phone numbers are masked by default).")
@click.option("--min-n", type=click.IntRange(1), help=f"Flag shares of fewer respondents than this as indicative [default: {config.REPORT_MIN_N}].")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Also write the report: .md (Markdown), .docx (Word, with the chart), .csv (one tidy table) or .xlsx (a sheet per table).")
@click.option("--chart", type=click.Path(dir_okay=False), help="Also write a bar chart of theme shares, waves side by side, a panel per --by group (.png, .svg or .pdf).")
@click.option("--title", help="Title of the report and the chart.")
@click.option("--force", is_flag=True, help="Replace existing --output/--chart files.")
@lang_option
@table_options
@quiet_option
def report(labelled, model_dir, by, wave_col, questions, text_col, quotes, no_mask, min_n, output, chart, title, force, lang, delimiter, encoding, sheet, quiet) -> None:
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
      pgtext report out/2025-long.csv out/2026-long.csv -o out/report.docx --lang nl
    """
    import dataclasses

    from pgtext.files.documents import (
        REPORT_SUFFIXES,
        write_csv,
        write_sheets,
        write_text,
    )
    from pgtext.model.store import codebook_from_card, read_card
    from pgtext.reporting.charts import figure_png, report_figure, save_figure
    from pgtext.reporting.counts import build_report
    from pgtext.reporting.render import (
        report_markdown,
        report_sheets,
        report_styles,
        report_table,
        report_text,
    )
    from pgtext.reporting.word import write_report_docx

    if len(by) > 1:  # one --by per report; the last one must not silently win
        raise click.UsageError(
            f"--by given {len(by)} times ({', '.join(by)}); a report groups by one column: run it once per column."
        )
    by = by[0] if by else None
    sources = [Path(p) for p in labelled]
    folder = config.model_dir(model_dir)
    target, chart_target = check_outputs(
        [(output, "--output", REPORT_SUFFIXES), (chart, "--chart")], [*sources, folder], force
    )
    card = read_card(folder)
    book = codebook_from_card(card)
    if lang:
        book = dataclasses.replace(book, language=lang.lower())
    given = {name: value for name, value in (("quotes", quotes), ("min_n", min_n)) if value is not None}
    result = build_report(
        sources, book, by=by, wave_col=wave_col, questions=list(questions), text_col=text_col,
        mask=not no_mask, encoding=encoding, delimiter=delimiter, sheet=sheet, **given,
    )
    click.echo(report_text(result))
    kind = REPORT_SUFFIXES[target.suffix.lower()] if target else None
    png = figure_png(report_figure(result, title)) if kind == "docx" else None
    if target:
        if kind == "markdown":
            write_text(target, report_markdown(result, title), replace=force)
        elif kind == "docx":
            write_report_docx(target, result, title=title, chart_png=png, card=card, replace=force)
        elif kind == "csv":
            write_csv(target, report_table(result), replace=force)
        else:
            write_sheets(target, report_sheets(result), report_styles(result), replace=force)
        click.echo(f"Wrote {target}")
    if chart_target:
        save_figure(report_figure(result, title), chart_target, replace=force)
        click.echo(f"Wrote {chart_target}")


@cli.command()
@click.argument("labelled", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--model", "model_dir", type=click.Path(file_okay=False), help=f"Model whose codebook and embedder to use [default: ${config.MODEL_ENV} or models/twente].")
@click.option("--all", "include_all", is_flag=True, help="Group all answers, not only those no theme covers confidently.")
@click.option("--min-size", type=click.IntRange(2), help=f"Smallest candidate group; smaller ones are listed as leftovers [default: {config.DISCOVER_MIN_SIZE}].")
@click.option("--examples", type=click.IntRange(0, 20), help=f"Example answers per group [default: {config.DISCOVER_EXAMPLES}].")
@click.option("--no-mask", is_flag=True, help="Show answers as written (names, e-mail addresses and phone numbers are masked by default).")
@click.option("--wave-col", help="Column naming the wave, when a file holds several waves [default: one wave per file].")
@text_col_option("Answer column of a wide labelled file.")
@click.option("--embedder", help="Group with this embedder instead of the model's.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Also write the groups: .md (Markdown), .csv or .xlsx (one row per answer, a review sheet).")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@lang_option
@table_options
@embedding_options
def discover(labelled, model_dir, include_all, min_size, examples, no_mask, wave_col, text_col, embedder, output, force, lang, delimiter, encoding, sheet, backend, cache_dir, no_cache, quiet) -> None:
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
    import dataclasses

    from pgtext.files.documents import (
        DOCUMENT_SUFFIXES,
        write_csv,
        write_sheets,
        write_text,
    )
    from pgtext.model.store import codebook_from_card, read_card
    from pgtext.reporting.discovery import discover as find_new_themes
    from pgtext.reporting.discovery_render import (
        discovery_frame,
        discovery_markdown,
        discovery_text,
    )

    sources = [Path(p) for p in labelled]
    folder = config.model_dir(model_dir)
    embedder_path = [embedder] if embedder and Path(embedder).exists() else []
    (target,) = check_outputs([(output, "--output", DOCUMENT_SUFFIXES)], [*sources, folder, *embedder_path], force)
    card = read_card(folder)
    book = codebook_from_card(card)
    if lang:
        book = dataclasses.replace(book, language=lang.lower())
    given = {name: value for name, value in (("min_size", min_size), ("examples", examples)) if value is not None}
    with ProgressBar("Embedding", quiet) as bar:
        result = find_new_themes(
            sources, book, embedder_for(embedder or card["embedder"]["name"], backend, cache_dir, card["embedder"]),
            cache=open_cache(cache_dir, no_cache),
            include_all=include_all, mask=not no_mask, wave_col=wave_col, text_col=text_col, encoding=encoding,
            delimiter=delimiter, sheet=sheet, progress=bar, **given,
        )
    click.echo(discovery_text(result))
    if target:
        kind = DOCUMENT_SUFFIXES[target.suffix.lower()]
        if kind == "markdown":
            write_text(target, discovery_markdown(result), replace=force)
        elif kind == "csv":
            write_csv(target, discovery_frame(result), replace=force)
        else:
            write_sheets(target, {"answers": discovery_frame(result)}, replace=force)
        click.echo(f"Wrote {target}")
