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


def open_cache(cache_dir: str | None, no_cache: bool):
    from pgtext.embed.cache import EmbeddingCache

    return None if no_cache else EmbeddingCache(config.cache_dir(cache_dir))


def warn(message: str) -> None:
    click.echo(f"Warning: {message}", err=True)


def note(message: str) -> None:
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
    help="Run the embedding model with onnx (int8 ONNX Runtime; the shipped embedder's file ships with pgtext, "
    "another model's is exported once into the cache folder) or with torch (the pgtext[torch] extra; about 2.5x "
    f"slower, scores within 0.02) [default: ${config.BACKEND_ENV}, else the model card's, else onnx for the "
    "shipped embedder and torch for others].",
)
encoding_option = click.option("--encoding", help="CSV text encoding, e.g. utf-8 or cp1252 [default: detected].")



def codebook_beside(labels_path: Path) -> Path:
    beside = labels_path.parent / config.CODEBOOK_FILENAME
    return beside if beside.exists() else config.DEFAULT_CODEBOOK



def check_outputs(paths: list[str | None], sources: list[Path], force: bool) -> list[Path | None]:
    from pgtext.files.tables import check_output_path

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


def write_report_files(full: dict, per_theme: dict, targets: list[Path | None]) -> None:
    import json

    import pandas as pd

    from pgtext.files.tables import atomic_write, write_table

    json_path, table_path = targets
    if json_path:
        text = json.dumps(full, indent=2, ensure_ascii=False) + "\n"
        atomic_write(json_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        click.echo(f"Wrote {json_path}")
    if table_path:
        write_table(pd.DataFrame(per_theme).T.rename_axis("theme").reset_index(), table_path)
        click.echo(f"Wrote {table_path}")



def shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


