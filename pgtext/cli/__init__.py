"""Command line: parse options, call one library function, print the result.

Only this package prints. Library errors (``PgtextError``) become one-line messages with exit code 1
(``main.PgtextGroup``); usage errors exit 2 (Click's default). Heavy libraries are imported inside
commands so ``pgtext --help`` stays instant. One module per command family registers its commands on
the root group.
"""

from pgtext.cli import label, model, report, review  # noqa: F401  (registers the commands)
from pgtext.cli.main import cli

__all__ = ["cli"]
