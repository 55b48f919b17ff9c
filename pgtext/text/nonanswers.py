"""Stock non-answers ("weet niet", "n.v.t.", "-"): skipped by suggest, left out of discovery."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from pgtext.text.similarity import simplify

#: Stock non-answers, one per line in the package's data folder (compared after simplify()).
NON_ANSWERS_FILE = "non_answers.txt"


def is_non_answer(text: str) -> bool:
    """No letters at all, or a stock non-answer such as "Weet ik niet.", "n.v.t.", "zie boven"."""
    simple = simplify(text)
    return not any(ch.isalpha() for ch in simple) or simple in _non_answers()


@lru_cache(maxsize=1)
def _non_answers() -> frozenset[str]:
    try:
        lines = resources.files("pgtext").joinpath("data", NON_ANSWERS_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:  # a trimmed install: letterless answers are still skipped
        return frozenset()
    return frozenset(simplify(line.split("#", 1)[0]) for line in lines if line.split("#", 1)[0].strip())
