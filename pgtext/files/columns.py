"""Finding the column a user named, and showing column names so that every character is visible.

Exports name columns loosely: "Vraag 1" where the user types "vraag1 ", a zero-width space
or a no-break space pasted in from a web form, a soft hyphen from Word. A name is matched
exactly first, then ignoring case, then also ignoring spacing and invisible characters; two
columns that match equally well are an error that lists both, never a silent pick.
"""

from __future__ import annotations

import re

from pgtext.errors import InputError

#: Characters that show as nothing (or as a plain space) but make two names differ.
INVISIBLE = {
    "\u00a0": "no-break space",
    "\u00ad": "soft hyphen",
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u2060": "word joiner",
    "\u202f": "narrow no-break space",
    "\ufeff": "byte order mark",
}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def shown(name: str) -> str:
    """A column name as it is, with invisible characters written out as \\u200b and the like."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", name))


def shown_list(columns: list[str], labels: dict[str, str] | None = None) -> str:
    """Column names for a message; SPSS variables with their labels: ``v12 (Toelichting regio)``."""
    return ", ".join(f"{shown(str(c))} ({labels[c]})" if labels and labels.get(c) else shown(str(c)) for c in columns)


def has_invisible(name: str) -> bool:
    return _INVISIBLE.search(name) is not None


def _loose(name: str) -> str:
    return " ".join(_INVISIBLE.sub(lambda m: " " if m.group() in "\u00a0\u202f" else "", name).split()).casefold()


def find_column(columns: list[str], name: str, source: str, option: str | None) -> str | None:
    """The column ``name`` means: exact, else ignoring case, else also spacing and invisible characters.

    None when nothing matches; an ``InputError`` listing them when two or more match equally well.
    ``option`` is the option the user named the column with (None when the name is fixed, like 'text').
    """
    columns = [str(c) for c in columns]
    if name in columns:
        return name
    for key in (str.casefold, _loose):
        matches = [c for c in columns if key(c) == key(name)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            matches = [c for c in columns if _loose(c) == _loose(name)]  # every column it could mean
            listed = ", ".join(f"'{shown(c)}'" for c in matches)
            fix = f"give one exactly as written, e.g. {option} {_quoted(matches[0])}" if option else "rename one of them in the file"
            raise InputError(
                f"{source}: {len(matches)} columns match {name!r}{f' ({option})' if option else ''} when case and "
                f"spacing are ignored: {listed}; {fix}."
            )
    return None


def resolve_column(
    columns: list[str], name: str, source: str, option: str, labels: dict[str, str] | None = None
) -> str:
    """Like ``find_column``, but a name that matches nothing is an error that shows the columns there are
    (with their SPSS variable labels, when ``labels`` has them)."""
    found = find_column(columns, name, source, option)
    if found is None:
        raise InputError(f"{source}: no column {name!r} ({option}); columns here: {shown_list(columns, labels)}.")
    return found


def invisible_note(columns: list[str]) -> list[str]:
    """A note for the reader when column names hold invisible characters, naming them."""
    odd = [c for c in columns if has_invisible(str(c))]
    if not odd:
        return []
    kinds = sorted({INVISIBLE[ch] for c in odd for ch in str(c) if ch in INVISIBLE})
    named = ", ".join("'" + shown(str(c)) + "'" for c in odd)
    note = (
        f"column name{'s' if len(odd) > 1 else ''} {named} hold{'' if len(odd) > 1 else 's'} invisible "
        f"characters ({', '.join(kinds)}); names you give match without them, and the output keeps them as they are."
    )
    return [note]


def _quoted(name: str) -> str:
    return f"'{name}'" if re.search(r"[^\w-]", name) or not name else name


#: Answer columns looked for, in this order (case and spacing ignored), when --text-col is not given.
TEXT_NAMES = ("text", "answer", "antwoord", "tekst")


def text_column(
    columns: list[str],
    wanted: str | None,
    source: str,
    labels: dict[str, str] | None = None,
    answered: list[str] | None = None,
    option: str = "--text-col",
) -> str:
    """The answer column, found by one rule for every command.

    ``wanted`` (what --text-col names) matched like ``find_column``; without it, the first
    of ``TEXT_NAMES`` there is; else, in a file 'pgtext label' wrote, the one column in
    ``answered`` (those filled exactly where the file has scores). Otherwise an error that
    lists the columns and names the option.
    """
    columns = [str(c) for c in columns]
    if wanted:
        return resolve_column(columns, wanted, source, option, labels)
    for name in TEXT_NAMES:
        found = find_column(columns, name, source, None)
        if found is not None:
            return found
    if answered and len(answered) == 1:
        return answered[0]
    raise InputError(
        f"{source}: no answer column named {', '.join(TEXT_NAMES[:-1])} or {TEXT_NAMES[-1]}; name it with {option} "
        f"(columns here: {shown_list(columns, labels)})."
    )
