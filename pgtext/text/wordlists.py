"""Word lists that ship in ``pgtext/data``: one entry per line, blank lines and '#' comment lines skipped."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_word_list(name: str) -> tuple[str, ...]:
    """A shipped word list from ``pgtext/data`` in file order; entries stripped, a trailing '# note' dropped."""
    text = resources.files("pgtext").joinpath("data", name).read_text(encoding="utf-8")
    entries = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(entry for entry in entries if entry)
