"""Discovering what the codebook misses: groups of uncovered answers, by meaning, per wave.

Recipe: take the answers of the latest wave that no theme covers confidently (or all with
``include_all``), drop non-answers, embed them, and group them with HDBSCAN (no number of
groups, no forced assignment). Each group gets distinctive words (class-based TF-IDF), the
closest codebook theme (cosine to the embedded theme descriptions), masked examples and,
with an earlier wave, how often answers like these came up before.

Clustering features: the sentence embeddings (centred, since answers to one survey share
a large common direction) beside character 4-6-gram TF-IDF, each L2-normalised with equal
weight. all-MiniLM-L6-v2 is an English model; on the Dutch sample waves the character
n-grams tie together "jongeren/jongerenwerk", "student/studenten", "school/basisschool"
that the embedding alone keeps apart (see the README for the measurement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext import config
from pgtext.embed import Embedder, Progress, embed_texts
from pgtext.embed.cache import EmbeddingCache
from pgtext.model.codebook import Codebook
from pgtext.reporting.counts import load_answers
from pgtext.reporting.quotes import pick_quotes
from pgtext.text.masking import (
    is_personal_word,
    mask_text,
    without_placeholders,
)
from pgtext.text.nonanswers import is_non_answer
from pgtext.text.wordlists import load_word_list

MIN_SIZE = config.DISCOVER_MIN_SIZE
MIN_SAMPLES = 2  # HDBSCAN density: neighbours a core answer needs (besides itself)
LEFTOVER_SIZE = 3  # smallest leftover group; pairs say too little to list
EXAMPLES = config.DISCOVER_EXAMPLES
WORDS = 8
TFIDF_WEIGHT = 1.0
#: A group is new in the later wave when answers like it were this many times rarer before,
#: and the difference is beyond chance (one-sided Fisher exact test at this level).
NEW_RATIO = 3.0
NEW_P = 0.05


@dataclass
class Group:
    """One candidate (or leftover) group of answers; ``members`` index ``Discovery.answers``."""

    number: int
    members: list[int]
    words: list[str]
    closest_theme: str
    closest_name: str
    similarity: float
    examples: list[str]
    example_members: list[int] = field(default_factory=list)
    examples_dropped: int = 0  # answers passed over as examples because they may still name someone
    leftover: bool = False
    earlier_matches: int | None = None
    earlier_total: int | None = None
    later_matches: int | None = None
    later_total: int | None = None
    new: bool | None = None

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def slug(self) -> str:
        """A suggested codebook slug from the first distinctive words."""
        import unicodedata

        words = [unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in self.words[:2]]
        slug = re.sub(r"[^a-z0-9]+", "_", "_".join(words).lower()).strip("_")
        return slug if slug and slug[0].isalpha() else f"groep_{self.number}"


@dataclass
class Discovery:
    groups: list[Group]
    leftovers: list[Group]
    answers: pd.DataFrame  # the answers grouped: wave, respondent, question, text, group (0 = none)
    later: str
    earlier: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    include_all: bool = False
    min_size: int = MIN_SIZE
    masked: bool = True
    language: str = "nl"  # of the published output: the codebook's


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def similarities(a, b) -> np.ndarray:
    """Cosine similarities between the rows of two feature matrices (dense result)."""
    product = a @ b.T
    return product.toarray() if hasattr(product, "toarray") else np.asarray(product)


class FeatureSpace:
    """Centred sentence embeddings beside character n-gram TF-IDF, fitted on one set of answers.

    Rows are sparse and L2-normalised: the n-gram vocabulary grows with the data, and a dense
    matrix of a few thousand answers would take gigabytes.
    """

    def fit(self, texts: list[str], embeddings: np.ndarray) -> FeatureSpace:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.mean_ = embeddings.mean(axis=0)
        self.tfidf_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 6), sublinear_tf=True, strip_accents="unicode")
        self.tfidf_.fit(texts)
        return self

    def transform(self, texts: list[str], embeddings: np.ndarray):
        from scipy import sparse
        from sklearn.preprocessing import normalize

        centred = sparse.csr_matrix(_unit(embeddings - self.mean_))
        grams = normalize(self.tfidf_.transform(texts))
        return normalize(sparse.hstack([centred, TFIDF_WEIGHT * grams], format="csr"))


def find_groups(features, min_size: int = MIN_SIZE) -> np.ndarray:
    """HDBSCAN labels (-1 = in no group); then tiny groups among the rest, labelled from 1000 up."""
    from sklearn.cluster import HDBSCAN

    # Euclidean distance between unit rows, from their cosine: what HDBSCAN would compute, without densifying.
    distance = np.sqrt(np.clip(2.0 - 2.0 * similarities(features, features), 0.0, None))
    np.fill_diagonal(distance, 0.0)
    labels = np.full(distance.shape[0], -1)
    if len(labels) >= max(min_size, MIN_SAMPLES + 1):
        labels = HDBSCAN(min_cluster_size=min_size, min_samples=MIN_SAMPLES, metric="precomputed", copy=True).fit_predict(distance)
    rest = np.flatnonzero(labels == -1)
    if min_size > LEFTOVER_SIZE and len(rest) > LEFTOVER_SIZE:
        small = HDBSCAN(min_cluster_size=LEFTOVER_SIZE, min_samples=1, metric="precomputed", copy=True).fit_predict(
            distance[np.ix_(rest, rest)]
        )
        for k in set(small) - {-1}:
            members = rest[small == k]
            if len(members) < min_size:
                labels[members] = 1000 + k
    return labels


def distinctive_words(texts: list[str], labels: np.ndarray, top: int = WORDS, mask: bool = False) -> dict[int, list[str]]:
    """Class-based TF-IDF (each group's answers as one document), Dutch stop words removed.

    A word must occur in at least two answers of a group of three or more, so one long answer
    cannot fill the list on its own; a word already inside a chosen phrase is not repeated.
    With ``mask``, words are counted in the masked answers (placeholders left out) and a term
    that ``masking.is_personal_word`` flags (a name, a mail domain) is never chosen: the words
    and the slugs made from them are published like the examples.
    """
    if mask:
        texts = [without_placeholders(mask_text(t)) for t in texts]
    from sklearn.feature_extraction.text import CountVectorizer

    stop = list(load_word_list("dutch_stopwords.txt"))
    vectorizer = CountVectorizer(ngram_range=(1, 2), stop_words=stop, token_pattern=r"(?u)\b[^\W\d_]{3,}\b", lowercase=True)
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return {int(k): [] for k in set(labels)}
    vocabulary = vectorizer.get_feature_names_out()
    classes = sorted(set(labels))
    per_class = np.vstack([np.asarray(counts[labels == k].sum(axis=0)).ravel() for k in classes])
    docs_with = {k: np.asarray((counts[labels == k] > 0).sum(axis=0)).ravel() for k in classes}
    tf = per_class / np.maximum(per_class.sum(axis=1, keepdims=True), 1)
    average = per_class.sum() / len(classes)
    idf = np.log(1 + average / np.maximum(per_class.sum(axis=0), 1))
    scores = tf * idf
    out: dict[int, list[str]] = {}
    for row, k in enumerate(classes):
        need = 2 if (labels == k).sum() >= 3 else 1
        chosen: list[str] = []
        for j in np.argsort(-scores[row], kind="stable"):
            if scores[row, j] <= 0 or len(chosen) == top:
                break
            term = vocabulary[j]
            if docs_with[k][j] < need or any(w in c.split() for c in chosen for w in term.split()):
                continue
            if mask and is_personal_word(term):
                continue
            chosen.append(term)
        out[int(k)] = chosen
    return out


def closest_themes(centroids: np.ndarray, codebook: Codebook, embedder: Embedder, cache: EmbeddingCache | None) -> tuple[np.ndarray, np.ndarray]:
    """(index of the closest theme, cosine) per centroid, against "name. description" of each theme."""
    described = [f"{t.name}. {t.description}" for t in codebook.themes]
    themes = _unit(embed_texts(embedder, described, cache=cache))
    similarity = _unit(centroids) @ themes.T
    best = similarity.argmax(axis=1)
    return best, similarity[np.arange(len(best)), best]


def discover(
    paths: list[str | Path],
    codebook: Codebook,
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    include_all: bool = False,
    min_size: int = MIN_SIZE,
    examples: int = EXAMPLES,
    mask: bool = True,
    wave_col: str | None = None,
    text_col: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Discovery:
    """Group the latest wave's uncovered answers; compare each group with the earlier waves."""
    answers, waves = load_answers(
        paths, codebook, wave_col=wave_col, text_col=text_col, encoding=encoding, delimiter=delimiter, sheet=sheet
    )
    has_theme = np.column_stack([answers[f"has:{s}"].to_numpy() for s in codebook.slugs]).any(axis=1)
    answers = answers.assign(
        covered=has_theme & answers["confident"].to_numpy(),
        non_answer=answers["text"].map(is_non_answer),
    )
    later, earlier = waves[-1], waves[:-1]
    current = answers[answers["wave"] == later]
    chosen = current[~current["non_answer"] & (include_all | ~current["covered"])].reset_index(drop=True)
    texts = chosen["text"].tolist()
    embeddings = embed_texts(embedder, texts, cache=cache, progress=progress)
    space = FeatureSpace().fit(texts, embeddings) if texts else None
    features = space.transform(texts, embeddings) if texts else np.zeros((0, 1))
    labels = find_groups(features, min_size)

    words = distinctive_words(texts, labels, mask=mask) if texts else {}
    ids = [k for k in sorted(set(labels) - {-1}, key=lambda k: (-(labels == k).sum(), k))]
    centroids = np.vstack([embeddings[labels == k].mean(axis=0) for k in ids]) if ids else np.zeros((0, 1))
    best, similarity = closest_themes(centroids, codebook, embedder, cache) if ids else ([], [])

    reference = None
    if earlier:
        pool = answers[~answers["non_answer"]]
        reference = {
            "earlier": _project(pool[pool["wave"].isin(earlier)]["text"].tolist(), space, embedder, cache),
            "later": _project(pool[pool["wave"] == later]["text"].tolist(), space, embedder, cache),
        }

    groups: list[Group] = []
    leftovers: list[Group] = []
    numbers = np.zeros(len(chosen), dtype=int)
    for number, (k, theme_index, cosine) in enumerate(zip(ids, best, similarity), start=1):
        members = np.flatnonzero(labels == k)
        numbers[members] = number
        picked = pick_quotes([texts[i] for i in members], examples, features[members], mask=mask)
        theme = codebook.themes[int(theme_index)]
        group = Group(
            number=number, members=members.tolist(), words=words.get(int(k), []), closest_theme=theme.slug,
            closest_name=theme.name, similarity=round(float(cosine), 3), examples=[q for _, q in picked.picked],
            example_members=[int(members[i]) for i, _ in picked.picked], examples_dropped=picked.dropped,
            leftover=bool(k >= 1000),
        )
        if reference is not None:
            _compare(group, features[members], reference)
        (leftovers if group.leftover else groups).append(group)

    grouped = chosen[["wave", "respondent", "question", "text"]].assign(group=numbers)
    if mask:
        grouped["text"] = grouped["text"].map(mask_text)
    counts = {
        "answers": len(current), "covered": int(current["covered"].sum()), "non_answers": int(current["non_answer"].sum()),
        "considered": len(chosen), "in_groups": int(sum(g.size for g in groups)),
        "in_leftovers": int(sum(g.size for g in leftovers)), "ungrouped": int((numbers == 0).sum()),
        "examples_dropped": int(sum(g.examples_dropped for g in groups + leftovers)),
    }
    return Discovery(groups, leftovers, grouped, later, earlier, counts, include_all, min_size, mask, codebook.language)


def _project(texts: list[str], space: FeatureSpace | None, embedder: Embedder, cache: EmbeddingCache | None):
    if not texts or space is None:
        return None
    return space.transform(texts, embed_texts(embedder, texts, cache=cache))


def _compare(group: Group, member_features, reference: dict) -> None:
    """Count the earlier and later answers that would join the group; new = much rarer before.

    An answer joins when its nearest group member is at least as close as the median
    member's nearest neighbour inside the group (the group's own density).
    """
    from scipy.stats import fisher_exact

    within = similarities(member_features, member_features)
    np.fill_diagonal(within, -np.inf)
    level = float(np.median(within.max(axis=1)))

    def joining(answers) -> int:
        if answers is None:
            return 0
        return int((similarities(answers, member_features).max(axis=1) >= level - 1e-9).sum())

    earlier, later = reference["earlier"], reference["later"]
    group.earlier_matches, group.later_matches = joining(earlier), joining(later)
    group.earlier_total = 0 if earlier is None else earlier.shape[0]
    group.later_total = 0 if later is None else later.shape[0]
    if not group.earlier_total or not group.later_total:
        group.new = None
        return
    before = group.earlier_matches / group.earlier_total
    after = group.later_matches / group.later_total
    table = [
        [group.later_matches, group.later_total - group.later_matches],
        [group.earlier_matches, group.earlier_total - group.earlier_matches],
    ]
    p_value = fisher_exact(table, alternative="greater")[1]
    group.new = bool(after > 0 and before * NEW_RATIO <= after and p_value < NEW_P)
