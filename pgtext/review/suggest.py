"""What to label next: the answers whose labels would teach the model most.

Active learning by uncertainty with diversity (``pick_to_label``):

* Uncertainty: 1 - the calibrated confidence that the model's whole theme set is exactly right (the
  same confidence that decides the review flag), so every theme and the "any theme" gate count.
* Typical answers first: uncertainty is weighted by how typical the answer is (mean similarity in
  meaning to its nearest neighbours), so one odd answer does not outrank a kind of answer that
  many respondents give.
* Diversity by meaning: each pick is penalised by its embedding similarity to the ones already picked
  and to the nearest answer already labelled (maximal marginal relevance), and near-copies of a pick
  are dropped, so thirty suggestions are thirty different answers, not thirty wordings of one, nor
  of what the labels already hold.

benchmarks/loop.py measures it against labelling at random. Blanks, non-answers ("weet niet", "nvt")
and answers already in the labels are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pgtext import config
from pgtext.embed import Embedder, Progress, embed_texts
from pgtext.embed.cache import EmbeddingCache
from pgtext.label.prediction import ROW, TEXT, label_frame, resolve_text_columns
from pgtext.model.labels import normalise_text
from pgtext.model.store import ThemeModel
from pgtext.review.queue import read_scored
from pgtext.review.sheet import build_sheet
from pgtext.text.nonanswers import is_non_answer
from pgtext.text.similarity import is_near_copy, simplify, text_vectors

_CANDIDATE_COSINE = 0.6
#: How many nearest answers measure how typical an answer is.
_NEIGHBOURS = 10
_BLOCK = 1024


@dataclass
class SuggestSummary:
    answers: int  # non-blank answers scored
    non_answers: int
    already_labelled: int
    copies: int  # repeats of an answer already among the candidates
    picked: int


@dataclass
class Suggestions:
    frame: pd.DataFrame  # a review sheet (see pgtext.review.sheet)
    summary: SuggestSummary


def suggest_frame(
    frame: pd.DataFrame,
    model: ThemeModel,
    embedder: Embedder,
    text_cols: list[str],
    n: int = config.SUGGEST_COUNT,
    id_col: str | None = None,
    labelled_texts: list[str] | None = None,
    diversity: float = config.DIVERSITY,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    source: str = "input",
) -> Suggestions:
    """Score an unlabelled export and pick ``n`` answers to label, most useful first, as a review sheet."""
    text_cols = resolve_text_columns(frame, list(text_cols), source)
    labelled = label_frame(frame, model, embedder, text_cols, id_col=id_col, cache=cache, progress=progress, source=source)
    text_col = TEXT if len(text_cols) > 1 else text_cols[0]
    data = read_scored(labelled.frame, model.codebook, text_col=text_col, id_col=id_col, source=source)
    if len(text_cols) > 1:  # point at the respondent's row in the export, not the long table
        data.context["row"] = labelled.frame[ROW].tolist()

    rows = np.flatnonzero(data.scored)
    kept, skipped = candidate_rows([data.texts[i] for i in rows], labelled_texts)
    candidates = [int(rows[k]) for k in kept]

    embeddings = labelled.embeddings[kept]  # one row per non-blank answer, like ``rows``
    texts = [data.texts[i] for i in candidates]
    _, _, confidence, _ = model.decide(texts, embeddings)
    known_embeddings = embed_texts(embedder, list(labelled_texts), cache=cache) if labelled_texts else None
    picks = pick_to_label(texts, 1.0 - confidence, embeddings, min(n, len(candidates)), diversity, known_embeddings)
    order = [candidates[k] for k in picks]
    sheet = build_sheet(
        data.texts, data.prefill, model.codebook, order=order, scores=data.scores,
        confidence=np.nan_to_num(data.confidence), why=["suggested"] * len(data.texts), context=data.context, group=False,
    )
    summary = SuggestSummary(
        answers=int(data.scored.sum()), non_answers=skipped["non_answers"], already_labelled=skipped["already_labelled"],
        copies=skipped["copies"], picked=len(order)
    )
    return Suggestions(frame=sheet, summary=summary)


def candidate_rows(texts: list[str], labelled_texts: list[str] | None = None) -> tuple[list[int], dict[str, int]]:
    """The answers worth suggesting (indices into ``texts``) and how many were skipped, by reason.

    Skipped: non-answers, answers already in the labels, and repeats of an earlier answer
    (same text after simplify()).
    """
    known = {normalise_text(t) for t in labelled_texts or []}
    kept: list[int] = []
    firsts: set[str] = set()
    skipped = {"non_answers": 0, "already_labelled": 0, "copies": 0}
    for i, text in enumerate(texts):
        if is_non_answer(text):
            skipped["non_answers"] += 1
        elif normalise_text(text) in known:
            skipped["already_labelled"] += 1
        elif simplify(text) in firsts:
            skipped["copies"] += 1
        else:
            firsts.add(simplify(text))
            kept.append(i)
    return kept, skipped


def pick_to_label(
    texts: list[str],
    uncertainty: np.ndarray,
    embeddings: np.ndarray,
    n: int,
    diversity: float = config.DIVERSITY,
    labelled_embeddings: np.ndarray | None = None,
) -> list[int]:
    """Indices of the ``n`` answers to label next, most useful first.

    Usefulness = ``uncertainty`` (1 - the calibrated confidence that the model's theme set is exactly
    right) x how typical the answer is (``typicality``), scaled to a maximum of 1; picked greedily with
    diversity by meaning (``pick_diverse`` on the embeddings), where an answer close in meaning to one
    already labelled (``labelled_embeddings``) is penalised too.
    """
    if n <= 0 or not texts:
        return []
    embeddings = _unit(embeddings)
    usefulness = np.clip(np.asarray(uncertainty, dtype=float), 0.0, None) * typicality(embeddings)
    top = usefulness.max()
    seen = None
    if labelled_embeddings is not None and len(labelled_embeddings):
        labelled = _unit(labelled_embeddings)
        seen = np.concatenate([  # in blocks: memory stays linear for a large labels file
            (embeddings[start : start + _BLOCK] @ labelled.T).max(axis=1) for start in range(0, len(embeddings), _BLOCK)
        ])
    return pick_diverse(texts, usefulness / top if top > 0 else usefulness, n, diversity, embeddings, seen)


def _unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1, so dot products are cosine similarities whatever the embedder."""
    vectors = np.asarray(vectors, dtype=float)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def typicality(embeddings: np.ndarray, neighbours: int = _NEIGHBOURS) -> np.ndarray:
    """Per answer, the mean cosine similarity to its ``neighbours`` most similar other answers
    (embeddings L2-normalised), floored at 0: low for an answer unlike any other."""
    vectors = np.asarray(embeddings, dtype=np.float32)
    count = len(vectors)
    k = min(neighbours, count - 1)
    if k <= 0:
        return np.ones(count)
    out = np.empty(count)
    for start in range(0, count, _BLOCK):  # blocks keep memory linear for large exports
        similarity = vectors[start : start + _BLOCK] @ vectors.T
        rows = np.arange(len(similarity))
        similarity[rows, start + rows] = -np.inf  # not its own neighbour
        nearest = np.partition(similarity, count - k, axis=1)[:, count - k :]
        out[start : start + _BLOCK] = nearest.mean(axis=1)
    return np.clip(out, 0.0, None)


def pick_diverse(
    texts: list[str],
    uncertainty: np.ndarray,
    n: int,
    diversity: float,
    vectors: np.ndarray | None = None,
    seen: np.ndarray | None = None,
) -> list[int]:
    """Greedy maximal marginal relevance: argmax (1 - d) * uncertainty - d * (max similarity to the
    picks + ``seen``, the similarity to the nearest answer already labelled).

    Similarity is the cosine of ``vectors`` (L2-normalised sentence embeddings: similar in meaning)
    when given, else of character n-gram profiles (similar in wording). Near-copies of a pick are
    dropped either way.
    """
    if n <= 0 or not texts:
        return []
    wording = text_vectors(texts)  # character n-grams: near-copies are found by wording
    meaning = None if vectors is None else np.asarray(vectors, dtype=float)
    simple = [simplify(t) for t in texts]
    uncertainty = np.asarray(uncertainty, dtype=float)
    already = np.zeros(len(texts)) if seen is None else np.asarray(seen, dtype=float)
    closest = np.zeros(len(texts))
    open_ = np.ones(len(texts), dtype=bool)
    picks: list[int] = []
    while len(picks) < n and open_.any():
        value = np.where(open_, (1 - diversity) * uncertainty - diversity * (closest + already), -np.inf)
        k = int(np.argmax(value))
        picks.append(k)
        open_[k] = False
        alike = (wording @ wording[k].T).toarray().ravel()
        closest = np.maximum(closest, alike if meaning is None else meaning @ meaning[k])
        for j in np.flatnonzero(open_ & (alike >= _CANDIDATE_COSINE)):
            if is_near_copy(simple[k], simple[j]):
                open_[j] = False
    return picks
