"""Advice in messages that fits the command it is printed by.

The library's messages name the option that fixes a problem (``--delimiter``, ``--sheet``,
``--encoding``, ...), but not every command has every option: ``train`` reads CSV files
without a ``--delimiter``. Before a message, note or warning is printed, each clause that
names an option the running command lacks is replaced by wording that works without it.
``tests/cli/test_messages.py`` runs every command on bad inputs and checks that every option
named in what it prints exists on that command.
"""

from __future__ import annotations

import re

import click

#: option -> (clause that names it, what to say instead when the command lacks the option).
#: Patterns are tried in order; the first that matches a clause replaces it.
ADVICE: dict[str, list[tuple[str, str]]] = {
    "--delimiter": [
        (r"try --delimiter ';' or --delimiter ',' or --delimiter tab", "save it again from Excel as 'CSV UTF-8'"),
        (r"quote it or pick another delimiter with --delimiter", "quote that field or take the delimiter out of it"),
    ],
    "--encoding": [
        (r"try --encoding utf-8 or --encoding cp1252", "save it again from Excel as 'CSV UTF-8'"),
        (r"name it with --encoding, e\.g\. --encoding latin-1", "save it again from Excel as 'CSV UTF-8'"),
        (r"\(if it is UTF-16 text, add --encoding utf-16\)", "(if it is UTF-16 text, save it again as 'CSV UTF-8')"),
        (r"use e\.g\. --encoding utf-8 or --encoding cp1252", "save the file as 'CSV UTF-8'"),
        (r"or give --encoding", "or save it again as 'CSV UTF-8'"),
    ],
    "--sheet": [
        (r"choose another with --sheet", "to read another, move it to the front in Excel or save it as CSV"),
        (r"choose one with --sheet", "move the one you want to the front in Excel, or save it as CSV"),
    ],
    "--text-col": [
        (r"give one exactly as written, e\.g\. --text-col ('[^']*'|[^\s.]+)", "rename one of them in the file"),
        (r" \(--text-col\)", ""),
        (r"use that name with --text-col or --id-col; the output uses it too", "the output uses that name too"),
        (r"use the name shown with --text-col; ", ""),
        (r"name it with --text-col", "rename it to 'text'"),
    ],
    "--id-col": [
        (r"use that name with --text-col or --id-col; the output uses it too", "the output uses that name too"),
    ],
}
_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def options_of(command: click.Command | None) -> set[str]:
    """Every long option the command takes (with '--help')."""
    if command is None:
        return set()
    names = {"--help"}
    for param in command.params:
        names.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("--"))
    return names


def named_options(message: str) -> set[str]:
    return set(_OPTION.findall(message))


def fit(message: str, command: click.Command | None = None) -> str:
    """``message`` with advice about options ``command`` lacks reworded; unchanged without a command."""
    if command is None:
        context = click.get_current_context(silent=True)
        command = _innermost(context)
    if command is None or isinstance(command, click.Group):
        return message
    have = options_of(command)
    for option in sorted(named_options(message) - have):
        for pattern, instead in ADVICE.get(option, []):
            message = re.sub(pattern, instead, message)
    return message


def _innermost(context: click.Context | None) -> click.Command | None:
    """The subcommand running now (a group's own context names the group, and the subcommand it invokes)."""
    if context is None:
        return None
    if isinstance(context.command, click.Group):
        sub = context.invoked_subcommand
        return context.command.get_command(context, sub) if sub else None
    return context.command
