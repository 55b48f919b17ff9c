"""Which text encoding a CSV export is in: UTF-8 (with or without BOM), UTF-16, cp1252, or a mix line by line."""

from __future__ import annotations

import re
from pathlib import Path

from pgtext.errors import InputError

_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

_MAX_LINES_NAMED = 10
_CONTROL = frozenset(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127))


def decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str, list[str]]:
    """(text, encoding, notes): the given encoding, else UTF-8, else cp1252; mixed files line by line."""
    if encoding:
        if encoding.lower().replace("_", "-") in ("utf-16", "utf16") and not data.startswith((b"\xff\xfe", b"\xfe\xff")) \
                and b"\x00" not in data[:4096]:
            raise InputError(f"{path}: not UTF-16 text (no byte order mark, no NUL bytes); leave out --encoding to detect it.")
        try:
            return data.decode(encoding), encoding, []
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}; use e.g. --encoding utf-8 or --encoding cp1252.") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: not valid {encoding} (byte {exc.start}); {other_encoding(data, encoding)}"
            ) from None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig", []
    except UnicodeDecodeError:
        pass
    if has_utf8_sequences(data):
        mixed = _decode_lines(data)
        if mixed is not None:
            return mixed
    try:
        return data.decode("cp1252"), "cp1252", []
    except UnicodeDecodeError:
        pass
    raise InputError(
        f"{path}: cannot tell the text encoding (not UTF-8, not cp1252); name it with --encoding, e.g. --encoding latin-1."
    )


def looks_like_text(head: bytes) -> bool:
    """The first bytes of a file are text: no control characters other than tab and line ends, in any 8-bit reading."""
    return not any(char in _CONTROL for char in head.decode("cp1252", errors="replace"))


def other_encoding(data: bytes, tried: str) -> str:
    """What to try after an explicit --encoding failed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it starts like UTF-16 text: try --encoding utf-16."
    return "leave out --encoding to detect it, or try --encoding cp1252." if "utf" in tried.lower() else (
        "leave out --encoding to detect it, or try --encoding utf-8."
    )


def has_utf8_sequences(data: bytes) -> bool:
    """True when ``data`` holds UTF-8 encoded accents or emoji (so reading it all as cp1252 would garble them)."""
    return _UTF8_SEQUENCE.search(data) is not None


def _decode_lines(data: bytes) -> tuple[str, str, list[str]] | None:
    """A UTF-8 file with some lines in cp1252 (answers pasted from another file): each line as it was written.

    The UTF-8 lines stay exactly as they are; only the others are read as cp1252, and the note
    names them. None when a line is neither.
    """
    parts: list[str] = []
    bad: list[int] = []
    for number, line in enumerate(data.splitlines(keepends=True), 1):
        try:
            parts.append(line.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError:
            try:
                parts.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                return None
            bad.append(number)
    named = ", ".join(map(str, bad[:_MAX_LINES_NAMED]))
    if len(bad) > _MAX_LINES_NAMED:
        named += f" and {len(bad) - _MAX_LINES_NAMED} more"
    elif len(bad) > 1:
        named = named.rpartition(", ")[0] + " and " + str(bad[-1])
    note = (
        f"line{'s' if len(bad) > 1 else ''} {named} of the file {'are' if len(bad) > 1 else 'is'} not UTF-8 like the "
        "rest; read as cp1252 (Windows). Check the accents in those answers."
    )
    return "".join(parts), "utf-8", [note]
