"""Command line: parse options, call one library function, print the result.

Only this module prints. Library errors (``PgtextError``) become one-line
messages with exit code 1; usage errors exit 2 (Click's default).
Heavy libraries are imported inside commands so ``pgtext --help`` stays instant.
"""

from __future__ import annotations

import click

from pgtext import __version__
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
