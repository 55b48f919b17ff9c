"""The Python API for notebooks: the library the command line is built on.

>>> import pgtext
>>> model = pgtext.load_model()                      # models/twente, or $PGTEXT_MODEL
>>> labelled = model.label(df, text_col="suggesties")
>>> tables = pgtext.report(labelled, model=model)    # .table, .totals, .quotes are DataFrames

``Model.label`` is a pure function of the frame it gets: each row's themes and scores depend
only on its own answer, so the same call runs per partition in ``dask.dataframe.map_partitions``
(give ``meta=model.label_meta(ddf._meta, text_col)``). Everything here returns data and raises
``pgtext.errors.PgtextError`` subclasses for problems a user can fix.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext import config
from pgtext.embed import Embedder, get_embedder
from pgtext.embed.cache import EmbeddingCache
from pgtext.errors import InputError
from pgtext.label.prediction import (
    CONFIDENCE,
    NEEDS_REVIEW,
    PREDICTED,
    ROW,
    SCORE_PREFIX,
    check_compatible,
    label_frame,
    resolve_text_columns,
)
from pgtext.model.codebook import Codebook, load_codebook
from pgtext.model.store import ThemeModel, save_model
from pgtext.reporting.counts import MIN_N, QUOTES, ReportResult, build_report

__all__ = ["Model", "ReportResult", "load_model", "report", "train"]


@dataclasses.dataclass
class Model:
    """A trained model with its embedder, ready to label DataFrames.

    Get one from ``load_model`` or ``train``. ``themes`` (slugs) orders the ``score_<slug>`` columns.
    """

    theme_model: ThemeModel
    embedder: Embedder
    cache_dir: Path | None = None  # embedding cache folder; None = no cache

    @property
    def themes(self) -> list[str]:
        return self.theme_model.themes

    def __dask_tokenize__(self) -> tuple:
        """A deterministic identity for dask (``map_partitions`` hashes its arguments): the model's files and
        the embedder's vectors, not the live ONNX or torch session, which cannot be hashed."""
        return ("pgtext.Model", tuple(sorted(self.card.get("files", {}).items())), self.embedder.id, str(self.cache_dir))

    @property
    def codebook(self) -> Codebook:
        return self.theme_model.codebook

    @property
    def card(self) -> dict:
        """The model card: codebook, thresholds, review policy, cross-validated quality, versions."""
        return self.theme_model.card

    def label(self, df: pd.DataFrame, text_col: str | Sequence[str] | None = None, id_col: str | None = None) -> pd.DataFrame:
        """Label the answers in ``text_col``; return a new frame with the contract columns added.

        One text column: every row and column of ``df`` kept in order (same index), plus
        ``predicted_themes`` (slugs joined by ``;``), ``score_<slug>`` (0-1), ``confidence`` (0-1)
        and ``needs_review`` ("true"/"false"). Blank or missing answers get no scores and are
        not flagged. Several text columns: one row per answered question (long format, with
        ``row``, ``question`` and ``text``), as ``pgtext label`` writes it.
        """
        if not isinstance(df, pd.DataFrame):
            raise InputError(f"label() needs a pandas DataFrame, not {type(df).__name__}.")
        wanted = [text_col] if isinstance(text_col, str) else list(text_col or [])
        columns = resolve_text_columns(df, wanted, "DataFrame")
        work = df.copy()
        for column in columns:
            work[column] = df[column].map(_as_text)
        cache = EmbeddingCache(self.cache_dir) if self.cache_dir is not None else None
        try:  # a connection per call: partitions may run in different threads
            result = label_frame(work, self.theme_model, self.embedder, columns, id_col=id_col, cache=cache, source="DataFrame")
        finally:
            if cache is not None:
                cache.close()
        out = result.frame
        if len(columns) == 1:  # the answer column as the caller gave it (NaN stays NaN)
            out[columns[0]] = df[columns[0]]
        return out

    def label_meta(self, df: pd.DataFrame, text_col: str) -> pd.DataFrame:
        """An empty frame with the columns and dtypes ``label(df, text_col)`` returns (dask's ``meta``)."""
        meta = df.iloc[:0].copy()
        meta[PREDICTED] = pd.Series(dtype=object)
        for slug in self.themes:
            meta[SCORE_PREFIX + slug] = pd.Series(dtype="float64")
        meta[CONFIDENCE] = pd.Series(dtype="float64")
        meta[NEEDS_REVIEW] = pd.Series(dtype=object)
        return meta

    def save(self, folder: str | Path, force: bool = False) -> Path:
        """Write the model folder (head as plain data plus model_card.json)."""
        return save_model(self.theme_model, folder, force=force)


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


def load_model(
    path: str | Path | None = None,
    embedder: str | None = None,
    backend: str | None = None,
    cache_dir: str | Path | None = None,
    cache: bool = True,
) -> Model:
    """Load a model folder (default: ``$PGTEXT_MODEL`` or the shipped ``models/twente``) and its embedder.

    ``embedder`` overrides the card's (e.g. a moved folder); the model refuses another embedder
    or codebook than it was trained with. Embeddings are cached in ``cache_dir`` (default
    ``$PGTEXT_CACHE_DIR`` or ``~/.cache/pgtext``) unless ``cache=False``.
    """
    from pgtext.model.store import load_model as load_folder

    theme_model = load_folder(config.model_dir(path))
    chosen = config.backend(backend, theme_model.embedder.get("backend"), embedder or theme_model.embedder["name"])
    embedder_obj = get_embedder(embedder or theme_model.embedder["name"], chosen, cache_dir)
    check_compatible(theme_model, embedder_obj)
    return Model(theme_model, embedder_obj, config.cache_dir(cache_dir) if cache else None)


def train(
    labels: pd.DataFrame | str | Path | Sequence[str | Path],
    codebook: Codebook | str | Path | None = None,
    embedder: str | None = None,
    features: str = config.DEFAULT_FEATURES,
    folds: int = config.DEFAULT_FOLDS,
    target_precision: float = config.TARGET_PRECISION,
    backend: str | None = None,
    cache_dir: str | Path | None = None,
    cache: bool = True,
    text_col: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Model:
    """Train a model on labelled answers, as ``pgtext train`` does; ``Model.card["cv"]`` holds its CV quality.

    ``labels``: a DataFrame (or labels files) with a ``text`` column and a ``themes`` column
    (slugs or names joined by ``;``) or one 0/1 column per theme. ``codebook``: a ``Codebook``
    or codebook file (default: ``labels/codebook.csv``). Save the result with ``Model.save``.
    ``text_col``, ``encoding``, ``delimiter`` and ``sheet`` say how to read labels files, as
    the command's options do.
    """
    from pgtext.files.tables import write_table
    from pgtext.model.training import train_model

    book = codebook if isinstance(codebook, Codebook) else load_codebook(codebook or config.DEFAULT_CODEBOOK)
    embedder_obj = get_embedder(embedder or config.DEFAULT_EMBEDDER, backend or config.DEFAULT_BACKEND, cache_dir)
    store = EmbeddingCache(config.cache_dir(cache_dir)) if cache else None
    try:
        with tempfile.TemporaryDirectory(prefix="pgtext-") as folder:
            if isinstance(labels, pd.DataFrame):
                path = Path(folder) / "labels.csv"  # the same reader and checks as a labels file
                write_table(labels.map(_as_text), path)
                paths: list[str | Path] = [path]
            else:
                paths = [labels] if isinstance(labels, (str, Path)) else list(labels)
            result = train_model(
                paths, book, embedder_obj, features=features, folds=folds, cache=store, target_precision=target_precision,
                text_col=text_col, encoding=encoding, delimiter=delimiter, sheet=sheet,
            )
    finally:
        if store is not None:
            store.close()
    return Model(result.model, embedder_obj, config.cache_dir(cache_dir) if cache else None)


def report(
    labelled: pd.DataFrame | Sequence[pd.DataFrame] | str | Path | Sequence[str | Path],
    model: Model | None = None,
    codebook: Codebook | None = None,
    waves: Sequence[str] | None = None,
    by: str | None = None,
    wave_col: str | None = None,
    questions: Sequence[str] | None = None,
    text_col: str | None = None,
    quotes: int = QUOTES,
    mask: bool = True,
    min_n: int = MIN_N,
    lang: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> ReportResult:
    """Count themes per theme, group and wave, as ``pgtext report`` does; returns the tables.

    ``labelled``: what ``Model.label`` returned (one frame per wave, oldest first, named by
    ``waves``) or files ``pgtext label`` wrote. Themes come from ``model`` or ``codebook``.
    The result's ``table`` (one tidy row per wave x group x theme: n, respondents, share,
    ci_low, ci_high, respondents_confident, respondents_review, change, ...), ``totals`` and
    ``quotes`` are DataFrames; ``pgtext.reporting.render``/``word`` turn it into Markdown or Word.
    """
    if codebook is None:
        codebook = model.codebook if model is not None else Codebook.from_card(_default_card()["codebook"])
    if lang:
        from pgtext.i18n import check_language

        codebook = dataclasses.replace(codebook, language=check_language(lang, "lang"))
    items = [labelled] if isinstance(labelled, (pd.DataFrame, str, Path)) else list(labelled)
    frames = [_as_frame(item) if isinstance(item, pd.DataFrame) else item for item in items]
    names = list(waves) if waves is not None else None
    if names is not None and len(names) != len(frames):
        raise InputError(f"waves: {len(names)} names for {len(frames)} labelled frames; give one name per frame.")
    return build_report(
        frames, codebook, by=by, wave_col=wave_col, questions=list(questions or []), text_col=text_col,
        quotes=quotes, mask=mask, min_n=min_n, names=names, encoding=encoding, delimiter=delimiter, sheet=sheet,
    )


def _as_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A labelled frame as the report reads files: text cells, blanks as "" (scores stay numbers)."""
    out = frame.copy()
    for column in out.columns:
        if not (str(column).startswith(SCORE_PREFIX) or column in (CONFIDENCE, ROW)):
            out[column] = out[column].map(_as_text)
    return out


def _default_card() -> dict:
    from pgtext.model.store import read_card

    return read_card(config.model_dir(None))
