"""The theme model: a linear head over n-gram TF-IDF and/or sentence embeddings, saved as a folder.

A model folder holds ``model_card.json`` (codebook, thresholds, review policy, CV
scores, embedder id, versions, and the SHA-256 of every other file) and the head
as plain data (``head.json`` + ``head.npz``, see ``pgtext.head``): loading a
folder runs no code. The embedding model is referenced by name and id, never stored.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext import __version__, config
from pgtext.codebook import Codebook
from pgtext.errors import ModelError
from pgtext.head import ARRAYS_FILE, SPEC_FILE, LinearHead
from pgtext.tables import umask

CARD_FILE = "model_card.json"
HEAD_FILES = (SPEC_FILE, ARRAYS_FILE)
CARD_FORMAT = 3  # 3: optional "any theme" gate (one more head row, card "gate"), calibrated review policy
READABLE_FORMATS = (2, 3)  # format 2 (no gate, raw confidence) still labels as it did
FEATURE_SETS = ("both", "embeddings", "tfidf")
_CARD_KEYS = ("codebook", "thresholds", "embedder", "files")  # what labelling reads from a card (read_card: codebook)


def build_head(
    features: str,
    dimension: int,
    seed: int = config.SEED,
    c: float = config.LOGREG_C,
    embedding_weight: float = config.EMBEDDING_WEIGHT,
    cue_weight: float = config.CUE_WEIGHT,
):
    """An unfitted pipeline: DataFrame(text, e0..eN) -> features -> one logistic regression per theme.

    With ``cue_weight`` > 0 a small block of request-versus-description cues (``data/request_cues.txt``,
    a fixed vocabulary) sits beside the TF-IDF blocks, so "graag meer scholing" and "scholing wordt al
    aangeboden" differ by more than one word among thousands.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    if features not in FEATURE_SETS:
        raise ModelError(f"unknown feature set {features!r}; choose one of {', '.join(FEATURE_SETS)}.")
    parts = []
    if features in ("both", "tfidf"):
        tfidf = dict(sublinear_tf=True, strip_accents="unicode", lowercase=True, min_df=1)
        parts.append(("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), **tfidf), "text"))
        parts.append(("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **tfidf), "text"))
        if cue_weight > 0:
            cues = TfidfVectorizer(analyzer="word", ngram_range=(1, 3), vocabulary=request_cues(), **tfidf)
            parts.append(("cues", cues, "text"))
    if features in ("both", "embeddings"):
        parts.append(("embedding", "passthrough", embedding_columns(dimension)))
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=seed)
    weights = {"embedding": embedding_weight} if features == "both" else {}
    if cue_weight > 0 and features != "embeddings":
        weights["cues"] = cue_weight
    columns = ColumnTransformer(parts, transformer_weights=weights or None)
    return Pipeline([("features", columns), ("classifier", OneVsRestClassifier(classifier))])


def request_cues() -> list[str]:
    """The cue vocabulary: one word or phrase a line, ``#`` comments and blank lines skipped."""
    lines = (Path(__file__).resolve().parent / "data" / "request_cues.txt").read_text(encoding="utf-8").splitlines()
    cues = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return list(dict.fromkeys(cues))


def embedding_columns(dimension: int) -> list[str]:
    return [f"e{i}" for i in range(dimension)]


def feature_frame(texts: list[str], embeddings: np.ndarray) -> pd.DataFrame:
    """The head's input: the raw text beside its embedding (every stage takes precomputed embeddings)."""
    frame = pd.DataFrame(embeddings, columns=embedding_columns(embeddings.shape[1]))
    frame.insert(0, "text", pd.Series(texts, dtype=object))
    return frame


@dataclass
class ThemeModel:
    """A fitted head plus its card. Score columns follow ``themes`` (= codebook order)."""

    head: object
    card: dict

    @property
    def codebook(self) -> Codebook:
        return Codebook.from_list(self.card["codebook"]["themes"])

    @property
    def themes(self) -> list[str]:
        return self.codebook.slugs

    @property
    def thresholds(self) -> np.ndarray:
        return np.array([self.card["thresholds"][s] for s in self.themes])

    @property
    def embedder(self) -> dict:
        return self.card["embedder"]

    @property
    def gate_threshold(self) -> float | None:
        """Threshold of the "any theme" gate (None: the model has no gate)."""
        gate = self.card.get("gate")
        return float(gate["threshold"]) if isinstance(gate, dict) else None

    def predict(self, texts: list[str], embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(probability per theme, shape (n, themes); the gate's "any theme" probability or None)."""
        themes = len(self.themes)
        if not texts:
            return np.zeros((0, themes)), (np.zeros(0) if self.gate_threshold is not None else None)
        scores = np.asarray(self.head.predict_proba(feature_frame(texts, embeddings)))
        if self.gate_threshold is None:
            return scores[:, :themes], None
        if scores.shape[1] != themes + 1:
            raise ModelError("the model card names a gate the head does not have; copy the folder again or retrain.")
        return scores[:, :themes], scores[:, themes]

    def predict_scores(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        """Probability per theme, shape (n, themes)."""
        return self.predict(texts, embeddings)[0]

    def decide(self, texts: list[str], embeddings: np.ndarray):
        """(scores, predicted 0/1, confidence, needs_review) with the card's thresholds, gate and review policy."""
        from pgtext.decisions import ReviewPolicy, decide

        scores, gate = self.predict(texts, embeddings)
        policy = ReviewPolicy(**self.card.get("review", {}))
        predicted, confidence, needs_review = decide(scores, self.thresholds, policy, gate, self.gate_threshold)
        return scores, predicted, confidence, needs_review


def library_versions() -> dict[str, str]:
    import sklearn

    versions = {
        "python": platform.python_version(),
        "pgtext": __version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }
    try:
        from importlib.metadata import version

        versions["sentence-transformers"] = version("sentence-transformers")
        versions["torch"] = version("torch")
    except Exception:  # metadata is informative only
        pass
    return versions


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def save_model(model: ThemeModel, folder: str | Path, force: bool = False) -> Path:
    """Write the folder atomically: build it beside the target, then swap it in."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ModelError(f"{folder}: is a file, not a folder; choose another --model.")
    if folder.exists() and any(folder.iterdir()) and not force:
        raise ModelError(f"{folder}: already exists and is not empty; choose another --model or add --force.")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        os.chmod(staging, 0o777 & ~umask())  # mkdtemp makes 0700; model folders are shared
        names = model.head.save(staging)
        card = dict(model.card)
        card["files"] = {name: _sha256(staging / name) for name in names}
        (staging / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if folder.exists():
            backup = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(backup, ignore_errors=True)
            folder.rename(backup)
            staging.rename(folder)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    model.card = card
    return folder


def read_card(folder: str | Path) -> dict:
    folder = Path(folder)
    card_path = folder / CARD_FILE
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such model folder; train one with 'pgtext train' or give --model.")
    if not card_path.exists():
        raise ModelError(f"{folder}: not a pgtext model (no {CARD_FILE}); give the folder 'pgtext train' wrote.")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{card_path}: damaged model card ({exc}); retrain or copy the folder again.") from None
    if not isinstance(card, dict):
        raise ModelError(f"{card_path}: damaged model card (not a JSON object); retrain or copy the folder again.")
    if card.get("format") not in READABLE_FORMATS:
        raise ModelError(
            f"{folder}: model format {card.get('format')!r} made by pgtext {card.get('pgtext_version', '?')}; "
            f"this pgtext ({__version__}) reads format {', '.join(map(str, READABLE_FORMATS))}. Retrain it with this version."
        )
    _require(card, card_path, ("codebook",))
    return card


def _require(card: dict, card_path: Path, keys: tuple[str, ...]) -> None:
    missing = [key for key in keys if not isinstance(card.get(key), dict)]
    if missing:
        raise ModelError(
            f"{card_path}: incomplete model card (no {', '.join(missing)}); copy the whole folder again or retrain."
        )


def load_model(folder: str | Path) -> ThemeModel:
    """Load a model folder, checking every head file against the hash in its card."""
    folder = Path(folder)
    card = read_card(folder)
    _require(card, folder / CARD_FILE, _CARD_KEYS)
    for name in HEAD_FILES:
        path = folder / name
        if not path.exists():
            raise ModelError(f"{folder}: incomplete model ({name} missing); copy the whole folder or retrain.")
        if card.get("files", {}).get(name) != _sha256(path):
            raise ModelError(f"{path}: does not match the hash in {CARD_FILE}; the folder was changed. Retrain.")
    return ThemeModel(head=LinearHead.load(folder), card=card)


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
