"""When two answers say the same thing: near-copy detection and text similarity.

Used to group near-copies on a review sheet (one decision covers them), to find
near-copies with different labels, and to keep suggestions diverse. Works on the
text alone (character n-grams), so it needs no embedding model and behaves the
same for every survey and codebook.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher

import numpy as np

#: Candidate pairs must share this much character n-gram profile before the strict check runs.
_CANDIDATE_COSINE = 0.6
#: Words shorter than this ("de", "en", "pg", "aub") may differ between near-copies.
_MIN_WORD = 4
#: Two words count as the same when they are this alike (typos: "ondersteuing" ~ "ondersteuning").
_WORD_RATIO = 0.85
_BLOCK = 512


def simplify(text: str) -> str:
    """Case, accents, punctuation and repeated whitespace removed: "Weet ik niet." -> "weet ik niet"."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]|_", " ", text)).strip()


def text_vectors(texts: Sequence[str]):
    """L2-normalised character n-gram counts (sparse), so a dot product is a cosine similarity."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    simple = [simplify(t) or "_" for t in texts]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), use_idf=False, lowercase=False)
    return vectorizer.fit_transform(simple)


def is_near_copy(a: str, b: str) -> bool:
    """True when two simplified answers differ only in case, punctuation, short words or typos.

    Deliberately strict: a wrong match would give an answer someone else's themes,
    a missed one only costs a reviewer one more row. "Lobby voor financiering" and
    "Visie + lobby voor financiering" are *not* near-copies (an extra content word).
    """
    if a == b:
        return True
    words_a = [w for w in a.split() if len(w) >= _MIN_WORD]
    words_b = [w for w in b.split() if len(w) >= _MIN_WORD]
    if not words_a or not words_b:
        return False
    return _covered(words_a, words_b) and _covered(words_b, words_a)


def _covered(words: list[str], others: list[str]) -> bool:
    return all(any(w == o or SequenceMatcher(None, w, o).ratio() >= _WORD_RATIO for o in others) for w in words)


def _candidates(vectors, min_cosine: float) -> Iterator[tuple[int, int, float]]:
    """Pairs (i < j) whose cosine similarity is at least ``min_cosine``, in blocks to bound memory."""
    n = vectors.shape[0]
    for start in range(0, n, _BLOCK):
        block = (vectors[start : start + _BLOCK] @ vectors.T).toarray()
        rows, cols = np.nonzero(block >= min_cosine)
        for r, c in zip(rows, cols):
            i = start + int(r)
            if i < c:
                yield i, int(c), float(block[r, c])


def near_copy_pairs(texts: Sequence[str]) -> list[tuple[int, int, float]]:
    """All pairs (i, j, cosine) of near-copies among ``texts``."""
    if len(texts) < 2:
        return []
    simple = [simplify(t) for t in texts]
    return [
        (i, j, cos)
        for i, j, cos in _candidates(text_vectors(texts), _CANDIDATE_COSINE)
        if is_near_copy(simple[i], simple[j])
    ]


def group_near_copies(texts: Sequence[str], order: Sequence[int]) -> list[int]:
    """For each text, the index of the text that leads its group (itself when it leads).

    Leads are taken in ``order`` (most important first) and collect the near-copies
    of *themselves* only, so groups never chain "a ~ b ~ c" into a ~ c.
    """
    lead = list(range(len(texts)))
    neighbours: dict[int, set[int]] = {}
    for i, j, _ in near_copy_pairs(texts):
        neighbours.setdefault(i, set()).add(j)
        neighbours.setdefault(j, set()).add(i)
    rank = {i: position for position, i in enumerate(order)}
    assigned: set[int] = set()
    for i in order:
        if i in assigned:
            continue
        assigned.add(i)
        for j in sorted(neighbours.get(i, ()), key=lambda k: rank.get(k, len(rank))):
            if j not in assigned:
                lead[j] = i
                assigned.add(j)
    return lead
