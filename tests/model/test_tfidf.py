"""pgtext's own TF-IDF transform gives what scikit-learn's TfidfVectorizer gives, for every allowed setting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from pgtext.model.tfidf import TOKEN_PATTERN, TfidfTransform

CORPUS = [
    "Meer samenwerking tussen gemeente en huisartsen in de wijk.",
    "Één visie voor de héle regio, graag!",
    "Lobby bij de zorgverzekeraar   voor structurele financiering.",
    "Aansluiten bij wat er al is in Hof van Twente; niet steeds iets nieuws.",
    "Training, coaching en intervisie voor medewerkers\tin de praktijk.",
    "ça va — naïeve coördinatie, ﬁnanciering (ligature) en Ærø",
    "a b c",
    "",
]
# letters, accents, ligatures, digits, punctuation and several kinds of white space
ALPHABET = st.sampled_from(list("aeioubcdgjkmnprstvwz ÉéèëïöüçñæﬁÅ0123456789.,;-'\t\n\u00a0\u2003") + ["ij", "  "])
TEXTS = st.lists(st.lists(ALPHABET, max_size=60).map("".join), min_size=1, max_size=6)


def _settings(analyzer: str, low: int, high: int, lowercase: bool, accents, sublinear: bool, norm) -> dict:
    return {"analyzer": analyzer, "ngram_range": [low, high], "lowercase": lowercase, "strip_accents": accents,
            "sublinear_tf": sublinear, "norm": norm, "use_idf": True, "smooth_idf": True,
            "token_pattern": TOKEN_PATTERN if analyzer == "word" else None}


SETTINGS = st.builds(
    _settings,
    st.sampled_from(["word", "char", "char_wb"]),
    st.integers(1, 3),
    st.integers(0, 3),
    st.booleans(),
    st.sampled_from([None, "unicode", "ascii"]),
    st.booleans(),
    st.sampled_from(["l2", "l1", None]),
).map(lambda s: dict(s, ngram_range=[s["ngram_range"][0], s["ngram_range"][0] + s["ngram_range"][1]]))


def _sklearn(settings: dict, fit_on: list[str]) -> TfidfVectorizer:
    options = dict(settings, ngram_range=tuple(settings["ngram_range"]))
    return TfidfVectorizer(dtype=np.float64, **options).fit(fit_on)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SETTINGS, TEXTS, TEXTS)
def test_same_matrix_as_scikit_learn(settings_, extra_corpus, texts):
    fitted = _sklearn(settings_, CORPUS + extra_corpus)
    ours = TfidfTransform(settings_, {t: int(i) for t, i in fitted.vocabulary_.items()}, fitted.idf_)
    texts = texts + CORPUS[:3]
    expected = fitted.transform(texts).toarray()
    got = ours.transform(texts).toarray()
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    # the per-word memory of char_wb gives the same on a second pass
    np.testing.assert_allclose(ours.transform(texts).toarray(), expected, rtol=1e-12, atol=1e-12)


def test_pgtexts_own_blocks_match_on_dutch_answers():
    """The settings pgtext trains with (word 1-2, char_wb 2-5), the product with weights included."""
    base = {"lowercase": True, "strip_accents": "unicode", "sublinear_tf": True, "norm": "l2", "use_idf": True, "smooth_idf": True}
    rng = np.random.default_rng(3)
    for analyzer, ngrams, pattern in (("word", [1, 2], TOKEN_PATTERN), ("char_wb", [2, 5], None)):
        settings_ = dict(base, analyzer=analyzer, ngram_range=ngrams, token_pattern=pattern)
        fitted = _sklearn(settings_, CORPUS)
        ours = TfidfTransform(settings_, dict(fitted.vocabulary_), fitted.idf_)
        weights = rng.normal(size=(len(fitted.vocabulary_), 6))
        texts = CORPUS + ["Samenwerking, samenwerking en nog eens SAMENWERKING in de wijk!"]
        np.testing.assert_allclose(ours.transform(texts).dot(weights), fitted.transform(texts) @ weights, atol=1e-12)


def test_unknown_words_and_empty_texts_give_empty_rows():
    settings_ = _settings("char_wb", 2, 4, True, "unicode", True, "l2")
    fitted = _sklearn(settings_, ["abc def"])
    features = TfidfTransform(settings_, dict(fitted.vocabulary_), fitted.idf_).transform(["", "xyz", "   "])
    assert features.shape == (3, len(fitted.vocabulary_))
    assert features.values.size == 0
    assert not features.toarray().any()


def test_labelling_does_not_import_scikit_learn_or_scipy(model_dir, tmp_path):
    """`pgtext label` is numpy alone: importing scikit-learn and SciPy cost about a second of every run."""
    export = tmp_path / "export.csv"
    export.write_text("id;antwoord\n1;Meer samenwerking in de wijk.\n2;Geen idee\n", encoding="utf-8")
    runner = Path(__file__).resolve().parents[1] / "run_pgtext.py"
    code = (
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy'})))\n"
        f"sys.argv = ['pgtext', 'label', {str(export)!r}, '--text-col', 'antwoord', '--model', {str(model_dir)!r},\n"
        f"            '--cache-dir', {str(tmp_path / 'cache')!r}, '-o', {str(tmp_path / 'out.csv')!r}, '-q']\n"
        f"runpy.run_path({str(runner)!r}, run_name='__main__')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.csv").exists()
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("analyzer", ["word", "char", "char_wb"])
def test_word_cache_is_bounded(analyzer, monkeypatch):
    import pgtext.model.tfidf as tfidf

    monkeypatch.setattr(tfidf, "_WORD_CACHE_SIZE", 3)
    settings_ = _settings(analyzer, 1, 3, True, None, False, "l2")
    fitted = _sklearn(settings_, CORPUS)
    ours = TfidfTransform(settings_, dict(fitted.vocabulary_), fitted.idf_)
    texts = [" ".join(f"woord{i}" for i in range(j, j + 5)) for j in range(10)] + CORPUS
    np.testing.assert_allclose(ours.transform(texts).toarray(), fitted.transform(texts).toarray(), atol=1e-12)
    assert len(ours._word_terms) <= 3
