"""What to label next: the answers whose labels would teach the model most.

Active learning by uncertainty with diversity: answers the model is least sure of
come first, but each pick is penalised by its similarity to the ones already picked
(maximal marginal relevance), and near-copies of a pick are dropped, so thirty
suggestions are thirty different answers. Blanks, non-answers ("weet niet", "nvt")
and answers already in the labels are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pgtext import config
from pgtext.embed import Embedder, Progress
from pgtext.embed.cache import EmbeddingCache
from pgtext.label.prediction import ROW, TEXT, label_frame, resolve_text_columns
from pgtext.model.labels import normalise_text
from pgtext.model.store import ThemeModel
from pgtext.review.queue import read_scored
from pgtext.review.sheet import build_sheet
from pgtext.text.nonanswers import is_non_answer
from pgtext.text.similarity import is_near_copy, simplify, text_vectors

_CANDIDATE_COSINE = 0.6


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

    known = {normalise_text(t) for t in labelled_texts or []}
    candidates: list[int] = []
    firsts: set[str] = set()
    non_answers = already = copies = 0
    for i in np.flatnonzero(data.scored):
        text = data.texts[i]
        if is_non_answer(text):
            non_answers += 1
        elif normalise_text(text) in known:
            already += 1
        elif simplify(text) in firsts:
            copies += 1
        else:
            firsts.add(simplify(text))
            candidates.append(int(i))

    picks = pick_diverse(
        [data.texts[i] for i in candidates], 1.0 - data.confidence[candidates], min(n, len(candidates)), diversity
    )
    order = [candidates[k] for k in picks]
    sheet = build_sheet(
        data.texts, data.prefill, model.codebook, order=order, scores=data.scores,
        confidence=np.nan_to_num(data.confidence), why=["suggested"] * len(data.texts), context=data.context, group=False,
    )
    summary = SuggestSummary(
        answers=int(data.scored.sum()), non_answers=non_answers, already_labelled=already, copies=copies, picked=len(order)
    )
    return Suggestions(frame=sheet, summary=summary)


def pick_diverse(texts: list[str], uncertainty: np.ndarray, n: int, diversity: float) -> list[int]:
    """Greedy maximal marginal relevance: argmax (1 - d) * uncertainty - d * max similarity to the picks."""
    if n <= 0 or not texts:
        return []
    vectors = text_vectors(texts)
    simple = [simplify(t) for t in texts]
    uncertainty = np.asarray(uncertainty, dtype=float)
    closest = np.zeros(len(texts))
    open_ = np.ones(len(texts), dtype=bool)
    picks: list[int] = []
    while len(picks) < n and open_.any():
        value = np.where(open_, (1 - diversity) * uncertainty - diversity * closest, -np.inf)
        k = int(np.argmax(value))
        picks.append(k)
        open_[k] = False
        similarity = (vectors @ vectors[k].T).toarray().ravel()
        closest = np.maximum(closest, similarity)
        for j in np.flatnonzero(open_ & (similarity >= _CANDIDATE_COSINE)):
            if is_near_copy(simple[k], simple[j]):
                open_[j] = False
    return picks
