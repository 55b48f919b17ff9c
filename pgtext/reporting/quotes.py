"""Choosing example quotes: representative of their group, not near-copies of each other, masked.

Used for the quotes per theme in ``pgtext report`` and the example answers per group in
``pgtext discover``; both go through ``masking.mask_text`` unless the user turns it off. With
masking on, an answer that may still name someone after masking (``masking.is_publishable``) is
passed over for the next best one: better one quote fewer than a name in a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pgtext.text.masking import is_publishable, mask_text
from pgtext.text.similarity import is_near_copy, simplify

#: Two quotes whose vectors are at least this similar (cosine) count as near-copies.
NEAR_COPY = 0.6
#: Quotes shorter than this many words say little; used only when there are enough longer ones.
MIN_WORDS = 4


def text_vectors(texts: list[str]):
    """L2-normalised character n-gram TF-IDF vectors (sparse): cheap, and robust to Dutch compounds."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, strip_accents="unicode")
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # no texts, or no n-grams at all (texts without letters)
        return sparse.csr_matrix((len(texts), 1))


def _row_dot(vectors, i: int, j: int) -> float:
    if hasattr(vectors, "multiply"):
        return float(vectors[i].multiply(vectors[j]).sum())
    return float(vectors[i] @ vectors[j])


def representative(
    vectors,
    k: int,
    near_copy: float = NEAR_COPY,
    candidates: list[int] | None = None,
    texts: list[str] | None = None,
) -> list[int]:
    """Up to k row indices, closest to the centroid first, skipping near-copies of earlier picks.

    ``vectors`` are L2-normalised rows (dense or sparse); ``candidates`` limits which rows may be picked
    (the centroid is still that of all rows). With ``texts``, answers that
    ``similarity.is_near_copy`` calls copies are skipped too, whatever their vectors say.
    """
    rows = vectors.shape[0]
    if k <= 0 or rows == 0:
        return []
    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    closeness = np.asarray(vectors @ (centroid / norm)).ravel() if norm else np.zeros(rows)
    pool = list(range(rows)) if candidates is None else list(candidates)
    order = sorted(pool, key=lambda i: (-closeness[i], i))
    simple = [simplify(t) for t in texts] if texts is not None else None
    picked: list[int] = []
    for i in order:
        if all(
            _row_dot(vectors, i, j) < near_copy and not (simple and is_near_copy(simple[i], simple[j]))
            for j in picked
        ):
            picked.append(i)
        if len(picked) == k:
            break
    return picked


@dataclass
class Quotes:
    """Picked quotes as (index, text), and how many answers were passed over for privacy."""

    picked: list[tuple[int, str]] = field(default_factory=list)
    dropped: int = 0


def pick_quotes(texts: list[str], k: int, vectors=None, mask: bool = True) -> Quotes:
    """Up to k representative texts, masked; short answers only when needed.

    With ``mask``, an answer that ``is_publishable`` rejects is never picked: the next best takes
    its place, and ``dropped`` counts the answers passed over that way.
    """
    if not texts or k <= 0:
        return Quotes()
    texts = [str(t) for t in texts]
    vectors = text_vectors(texts) if vectors is None else vectors
    blocked: set[int] = set()
    while True:
        allowed = [i for i in range(len(texts)) if i not in blocked]
        longer = [i for i in allowed if len(texts[i].split()) >= MIN_WORDS]
        chosen = representative(vectors, k, candidates=longer if len(longer) >= k else allowed, texts=texts)
        risky = [i for i in chosen if mask and not is_publishable(texts[i])]
        if not risky:
            break
        blocked.update(risky)
    return Quotes([(i, mask_text(texts[i]) if mask else texts[i]) for i in chosen], len(blocked))
