"""Command line: parse options, call one library function, print the result.

Only this module prints. Library errors (``PgtextError``) become one-line
messages with exit code 1; usage errors exit 2 (Click's default). What the operating
system refuses (a folder that is not writable, a full disk, an unreadable file) is a
one-line error too: it is the user's to fix, not a bug. SIGTERM stops a run the way
Ctrl-C does, so temporary files are cleaned up and nothing half-written is left.
Heavy libraries are imported inside commands so ``pgtext --help`` stays instant.
"""

from __future__ import annotations

import errno
import os
import re
import signal
from pathlib import Path

import click

from pgtext import __version__
from pgtext.cli.advice import fit
from pgtext.errors import PgtextError

_OS_ADVICE = {
    errno.EACCES: "check that you may read or write there, or choose another file or folder",
    errno.EPERM: "check that you may read or write there, or choose another file or folder",
    errno.EROFS: "choose a folder on a disk that can be written",
    errno.ENOSPC: "free some space or choose another folder",
    errno.EDQUOT: "free some space or choose another folder",
    errno.ENOENT: "check the path",
}
#: The hidden temporary name ``tempfile.mkstemp(prefix=".NAME.")`` gives beside an output called NAME.
_TEMPORARY = re.compile(r"\.(.+)\.[A-Za-z0-9_]{8}(?:\.[A-Za-z0-9]+)?")


class PgtextGroup(click.Group):
    def invoke(self, ctx: click.Context):
        restore = _stop_on_sigterm()
        try:
            return super().invoke(ctx)
        except PgtextError as exc:
            raise click.ClickException(fit(str(exc), _subcommand(ctx))) from None
        except click.UsageError:
            raise
        except click.ClickException as exc:  # a command's own message may quote a library one
            exc.message = fit(exc.message, _subcommand(ctx))
            raise
        except OSError as exc:
            raise click.ClickException(os_error_message(exc)) from None
        finally:
            restore()


def os_error_message(exc: OSError) -> str:
    """One line for what the operating system refused: the path, why, and what to do."""
    reason = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
    reason = reason[:1].lower() + reason[1:]
    advice = _OS_ADVICE.get(exc.errno or 0)
    text = f"{reason}; {advice}." if advice else f"{reason}."
    if exc.filename is None:
        return text[:1].upper() + text[1:]
    where = Path(os.fsdecode(exc.filename))
    temporary = _TEMPORARY.fullmatch(where.name)  # atomic writes go through a hidden file beside the target
    return f"{where.parent / temporary.group(1)}: {text}" if temporary else f"{where}: {text}"


def _subcommand(ctx: click.Context) -> click.Command | None:
    return ctx.command.get_command(ctx, ctx.invoked_subcommand) if ctx.invoked_subcommand else None


def _stop_on_sigterm():
    """SIGTERM raises KeyboardInterrupt, so the cleanup Ctrl-C runs runs too; returns the undo."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):  # not the main thread (an embedding host): leave signals alone
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, previous)


@click.group(cls=PgtextGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="pgtext")
def cli() -> None:
    """Code open Dutch survey answers into codebook themes, locally.

    \b
    Typical use:
      pgtext themes                                   # the codebook
      pgtext label export.csv --text-col suggesties --output labelled.xlsx
      pgtext train labels/twente.csv -o out/models/mine
    """
