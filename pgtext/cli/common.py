"""What every command shares: progress bars, the cache, notes and warnings, option bundles, output checks."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pgtext import config


class ProgressBar:
    """A progress callback for the library: a bar on stderr with rate and time left, only on a terminal and not --quiet."""

    def __init__(self, label: str, quiet: bool, unit: str = "answers") -> None:
        self.label = label
        self.unit = unit
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar = None
        self.started = 0.0
        self.done = 0
        self.loaded = False  # the library's progress(0, total) after the first call: the model is ready
        self.base = 0  # answers done before the model was ready (cache hits): not part of the rate

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
            self.base = advance
        elif advance == 0 and not self.loaded:  # the model is loaded: the rate counts from here
            self.loaded = True
            self.started = time.monotonic()
            self.base = self.done
        self.done += advance
        elapsed = time.monotonic() - self.started
        status = "loading the embedding model" if not self.loaded and self.done < total else None
        if self.loaded and elapsed > 1 and self.done > self.base:
            rate = (self.done - self.base) / elapsed
            left = int(max(total - self.done, 0) / rate)
            status = f"{rate:,.0f} {self.unit}/s, {left // 3600}:{left // 60 % 60:02d}:{left % 60:02d} left"
        self.bar.update(advance, status)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def open_cache(cache_dir: str | None, no_cache: bool):
    from pgtext.embed.cache import EmbeddingCache

    return None if no_cache else EmbeddingCache(config.cache_dir(cache_dir), on_problem=warn)


def embedder_for(name: str, backend: str | None, cache_dir: str | None, card: dict | None = None):
    """The embedder a command runs, for every command alike: backend flag > $PGTEXT_BACKEND > the card's > default."""
    from pgtext.embed import get_embedder

    card_backend = (card or {}).get("backend")
    return get_embedder(name, config.backend(backend, card_backend, name), cache_dir)


def warn(message: str) -> None:
    from pgtext.cli.advice import fit

    click.echo(f"Warning: {fit(message)}", err=True)


def note(message: str) -> None:
    """How an input was read (skipped rows, renamed columns), on stderr beside warnings."""
    from pgtext.cli.advice import fit

    click.echo(f"Note: {fit(message)}", err=True)


cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help=f"Embedding cache folder [default: ${config.CACHE_ENV} or ~/.cache/pgtext].",
)
no_cache_option = click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
backend_option = click.option(
    "--backend", type=click.Choice(config.BACKENDS),
    help="Run the embedding model with onnx (int8 ONNX Runtime; the shipped embedder's file ships with pgtext, "
    "another model's is exported once into the cache folder) or with torch (the pgtext[torch] extra; about 2.5x "
    f"slower, scores within 0.02) [default: ${config.BACKEND_ENV}, else the model card's, else onnx for the "
    "shipped embedder and torch for others].",
)
lang_option = click.option(
    "--lang", type=click.Choice(["nl", "en"], case_sensitive=False),
    help="Language of the published output [default: the codebook's; nl when it does not say].",
)
encoding_option = click.option("--encoding", help="CSV text encoding, e.g. utf-8 or cp1252 [default: detected].")
delimiter_option = click.option("--delimiter", help="CSV delimiter: ',' ';' or tab [default: detected].")
sheet_option = click.option("--sheet", help="XLSX sheet name [default: the first].")
#: What every --text-col help ends with: the one rule ``files.columns.text_column`` follows.
TEXT_COL_RULE = (
    "[default: a column named text, answer, antwoord or tekst (case ignored), else in a file 'pgtext label' "
    "wrote the one column filled exactly where it has scores]"
)


def text_col_option(what: str = "Column holding the answers.", *names: str, **kwargs):
    """--text-col with the same rule in its help on every command; ``what`` says what it names there."""
    return click.option(*(names or ("--text-col",)), help=f"{what} {TEXT_COL_RULE}.", **kwargs)


def _bundle(*options):
    def apply(command):
        for option in reversed(options):
            command = option(command)
        return command

    return apply


#: How every command that reads a table reads it: passed down to ``files.tables.read_table``.
table_options = _bundle(delimiter_option, encoding_option, sheet_option)
#: How every command that embeds answers runs the embedder, and whether it shows progress.
embedding_options = _bundle(backend_option, cache_dir_option, no_cache_option, quiet_option)



def codebook_beside(labels_path: Path) -> Path:
    beside = labels_path.parent / config.CODEBOOK_FILENAME
    return beside if beside.exists() else config.DEFAULT_CODEBOOK



#: Which suffixes each output option takes.
_OPTION_KINDS = {"--json": "json", "--plot": "image", "--chart": "image"}


def check_outputs(wanted: list[tuple], sources: list, force: bool) -> list[Path | None]:
    """Every output of a command, checked in one place (``files.outputs``) before any work is done.

    ``wanted`` holds (path, option) or (path, option, suffixes); the suffixes follow from the
    option (--json: .json; --plot/--chart: images; else .csv/.xlsx). Each must have a fitting
    suffix, be none of ``sources`` (the command's inputs, model folder included), differ from
    the others, and replace an existing file only with ``force``.
    """
    from pgtext.files.outputs import IMAGE_SUFFIXES, JSON_SUFFIXES, TABLE_SUFFIXES
    from pgtext.files.outputs import check_outputs as check

    kinds = {"json": JSON_SUFFIXES, "image": IMAGE_SUFFIXES, "table": TABLE_SUFFIXES}
    spelled = [
        (item[0], item[2] if len(item) > 2 else kinds[_OPTION_KINDS.get(item[1], "table")], item[1]) for item in wanted
    ]
    return check(spelled, sources, force)


def write_report_files(full: dict, per_theme: dict, targets: list[Path | None], force: bool) -> None:
    import json

    import pandas as pd

    from pgtext.files.tables import atomic_write, write_table

    json_path, table_path = targets
    if json_path:
        text = json.dumps(full, indent=2, ensure_ascii=False) + "\n"
        atomic_write(json_path, lambda tmp: tmp.write_text(text, encoding="utf-8"), replace=force)
        click.echo(f"Wrote {json_path}")
    if table_path:
        write_table(pd.DataFrame(per_theme).T.rename_axis("theme").reset_index(), table_path, replace=force)
        click.echo(f"Wrote {table_path}")



def shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


