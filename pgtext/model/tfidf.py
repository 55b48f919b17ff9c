"""TF-IDF features of a stored block, computed with numpy alone.

Training fits scikit-learn's ``TfidfVectorizer``; a model folder keeps only its settings,
vocabulary and IDF weights (``pgtext.model.head``). Labelling recomputes the features here
instead of handing those settings back to scikit-learn, for two reasons: labelling does not
import scikit-learn and SciPy (about a second of every run's start), and a model folder's
values never reach a library that was not written to take them from strangers.

The result is what ``TfidfVectorizer.transform`` gives for every setting the head allows
(analyzer word/char/char_wb, any n-gram range, lowercase, strip_accents, sublinear_tf,
norm, scikit-learn's token pattern); ``tests/model/test_tfidf.py`` checks that on random text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

#: scikit-learn's default token pattern, the only one pgtext writes (two or more word characters).
TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_TOKEN = re.compile(TOKEN_PATTERN)
_WHITE_SPACES = re.compile(r"\s\s+")
#: char_wb n-grams are looked up per word and remembered; a bound keeps memory flat on huge inputs.
_WORD_CACHE_SIZE = 200_000


@dataclass
class Features:
    """A sparse (documents x terms) matrix in coordinate form, rows sorted: row, column, value."""

    rows: np.ndarray  # int64
    columns: np.ndarray  # int64
    values: np.ndarray  # float64
    shape: tuple[int, int]

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """This matrix times ``weights`` (terms x k), dense (documents x k)."""
        out = np.zeros((self.shape[0], weights.shape[1]))
        for k in range(weights.shape[1]):
            out[:, k] = np.bincount(self.rows, weights=self.values * weights[self.columns, k], minlength=self.shape[0])
        return out

    def toarray(self) -> np.ndarray:
        dense = np.zeros(self.shape)
        dense[self.rows, self.columns] = self.values
        return dense


def strip_accents_unicode(text: str) -> str:
    """Accents off by NFKD and dropping combining marks (scikit-learn's ``strip_accents="unicode"``)."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def strip_accents_ascii(text: str) -> str:
    """NFKD, then whatever is not ASCII dropped (scikit-learn's ``strip_accents="ascii"``)."""
    return unicodedata.normalize("NFKD", text).encode("ASCII", "ignore").decode("ASCII")


_ACCENTS: dict[str | None, Callable[[str], str] | None] = {None: None, "unicode": strip_accents_unicode, "ascii": strip_accents_ascii}


class TfidfTransform:
    """``transform`` of one fitted TF-IDF block, from its settings, vocabulary and IDF weights.

    ``settings`` are the head's checked settings (``pgtext.model.head._check_settings``); use_idf
    is always true and smooth_idf only mattered when fitting.
    """

    def __init__(self, settings: dict, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self.analyzer: str = settings["analyzer"]
        self.low, self.high = (int(n) for n in settings["ngram_range"])
        self.lowercase = bool(settings["lowercase"])
        self.accents = _ACCENTS[settings["strip_accents"]]
        self.sublinear = bool(settings["sublinear_tf"])
        self.norm: str | None = settings["norm"]
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self._word_terms: dict[str, list[int]] = {}

    def transform(self, texts: Sequence[str]) -> Features:
        flat: list[int] = []  # every text's term indexes, one after the other
        lengths = np.zeros(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            before = len(flat)
            self._add_terms(self._preprocess(text), flat)
            lengths[i] = len(flat) - before
        width = len(self.vocabulary)
        keys = np.repeat(np.arange(len(texts), dtype=np.int64), lengths) * width + np.array(flat, dtype=np.int64)
        keys, counts = np.unique(keys, return_counts=True)
        rows, columns = np.divmod(keys, width)
        values = counts.astype(np.float64)
        if self.sublinear:
            values = np.log(values) + 1.0
        values *= self.idf[columns]
        if self.norm is not None:
            per_row = values * values if self.norm == "l2" else np.abs(values)
            norms = np.bincount(rows, weights=per_row, minlength=len(texts))
            if self.norm == "l2":
                norms = np.sqrt(norms)
            norms[norms == 0.0] = 1.0
            values = values / norms[rows]
        return Features(rows, columns, values, (len(texts), width))

    def _preprocess(self, text: str) -> str:
        if self.lowercase:
            text = text.lower()
        return self.accents(text) if self.accents else text

    def _add_terms(self, text: str, out: list[int]) -> None:
        """Append the vocabulary indexes of the text's n-grams (repeats counted) to ``out``."""
        if self.analyzer == "char_wb":
            self._add_char_wb_terms(text, out)
        else:
            grams = self._word_grams(_TOKEN.findall(text)) if self.analyzer == "word" else self._char_grams(text)
            out.extend(i for i in map(self.vocabulary.get, grams) if i is not None)

    def _word_grams(self, tokens: list[str]) -> list[str]:
        grams = list(tokens) if self.low == 1 else []
        for n in range(max(self.low, 2), min(self.high, len(tokens)) + 1):
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def _char_grams(self, text: str) -> list[str]:
        text = _WHITE_SPACES.sub(" ", text)
        grams = list(text) if self.low == 1 else []
        for n in range(max(self.low, 2), min(self.high, len(text)) + 1):
            grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
        return grams

    def _add_char_wb_terms(self, text: str, out: list[int]) -> None:
        """char_wb n-grams never cross a word, so each word's terms are worked out once and reused."""
        cache = self._word_terms
        for word in text.split():
            found = cache.get(word)
            if found is None:
                if len(cache) >= _WORD_CACHE_SIZE:
                    cache.clear()
                found = cache[word] = [i for i in map(self.vocabulary.get, self._word_char_grams(word)) if i is not None]
            out.extend(found)

    def _word_char_grams(self, word: str) -> list[str]:
        padded = f" {word} "
        grams: list[str] = []
        for n in range(self.low, self.high + 1):
            if len(padded) <= n:  # a short word counts once, whole, and no longer n-gram follows
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
        return grams
