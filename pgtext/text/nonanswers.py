"""Stock non-answers ("weet niet", "n.v.t.", "-"): skipped by suggest, left out of discovery."""

from __future__ import annotations

from functools import lru_cache

from pgtext.text.similarity import simplify
from pgtext.text.wordlists import load_word_list

#: Stock non-answers, one per line in the package's data folder (compared after simplify()).
NON_ANSWERS_FILE = "non_answers.txt"


def is_non_answer(text: str) -> bool:
    """No letters at all, or a stock non-answer such as "Weet ik niet.", "n.v.t.", "zie boven"."""
    simple = simplify(text)
    return not any(ch.isalpha() for ch in simple) or simple in _non_answers()


@lru_cache(maxsize=1)
def _non_answers() -> frozenset[str]:
    try:
        entries = load_word_list(NON_ANSWERS_FILE)
    except OSError:  # a trimmed install: letterless answers are still skipped
        return frozenset()
    return frozenset(simplify(entry) for entry in entries)
