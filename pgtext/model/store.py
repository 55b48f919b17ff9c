"""The theme model: a linear head over n-gram TF-IDF and/or sentence embeddings, saved as a folder.

A model folder holds ``model_card.json`` (codebook, thresholds, review policy, CV
scores, embedder id, versions, and the SHA-256 of every other file) and the head
as plain data (``head.json`` + ``head.npz``, see ``pgtext.model.head``): loading a
folder runs no code. The embedding model is referenced by name and id, never stored.

A folder may come from someone else, so loading reads plain files only, each once and
size-capped (``pgtext.model.safe_files``), and checks every value it reads from the card
against what ``pgtext train`` writes; the head checks its own files.

The folder named with ``--model`` may itself be a symbolic link (the user chose that
path); the files inside it may not.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pgtext import __version__, config
from pgtext.errors import ModelError
from pgtext.files.outputs import overlaps, same_path, sigterm_unwinds, umask
from pgtext.model.card import (  # noqa: F401
    CARD_FORMAT,
    FEATURE_SETS,
    FLAG_ALL,
    HEAD_FILES,
    MAX_THEMES,
    READABLE_FORMATS,
    check_card,
)
from pgtext.model.codebook import Codebook
from pgtext.model.features import (  # noqa: F401
    build_head,
    embedding_columns,
    feature_frame,
    request_cues,
)
from pgtext.model.head import ARRAYS_FILE, SPEC_FILE, LinearHead
from pgtext.model.safe_files import (
    NOT_PGTEXT,
    Check,
    parse_json,
    read_file,
    short,
)
from pgtext.text.capped import model_text

CARD_FILE = "model_card.json"
_CARD_KEYS = ("codebook", "thresholds", "embedder", "files")  # what labelling reads from a card (read_card: codebook, embedder)


@dataclass
class ThemeModel:
    """A fitted head plus its card. Score columns follow ``themes`` (= codebook order)."""

    head: LinearHead
    card: dict

    @property
    def codebook(self) -> Codebook:
        return codebook_from_card(self.card)

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
        expected = self.head.embedding_dimension
        if self.head.embedding_weight is not None and embeddings.shape[1] != expected:
            raise ModelError(  # a card can claim an embedder id whose vectors its head cannot read
                f"this model reads {expected}-dimensional embeddings, but the embedder gives {embeddings.shape[1]}; "
                "label with the embedder it was trained with, or retrain it."
            )
        scores = self.head.scores([model_text(t) for t in texts], embeddings)  # the TF-IDF reads what the embedder reads
        if not np.isfinite(scores).all():  # NaN would leave every answer unflagged: never pass one on
            raise ModelError(f"this model gives scores that are not numbers; {NOT_PGTEXT}.")
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
        from pgtext.model.decisions import ReviewPolicy, decide

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
    from importlib.metadata import PackageNotFoundError, version

    for package in ("onnxruntime", "sentence-transformers", "torch"):  # torch ones only with pgtext[torch]
        try:
            versions[package] = version(package)
        except PackageNotFoundError:  # metadata is informative only
            pass
    return versions


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


#: What an operating system may drop into any folder it shows; not a reason to keep a model folder.
_OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_OLD_HEAD_FILES = ("model.joblib",)  # format 1 heads; such folders are still pgtext's to replace


def is_model_folder(folder: str | Path) -> bool:
    """True for a folder holding a model card pgtext wrote and nothing but the files that card names.

    Only such a folder (or an empty one) may be replaced by ``train --force``: a folder with
    labels, a codebook or anything else in it is someone's work, never a model to overwrite.
    """
    return not _not_a_model(Path(folder))


def _not_a_model(folder: Path) -> str:
    """Why ``folder`` is not a pgtext model folder ("" when it is one)."""
    card_path = folder / CARD_FILE
    if folder.is_symlink() or not folder.is_dir():
        return "not a folder"
    if card_path.is_symlink() or not card_path.is_file():
        return f"no {CARD_FILE}; it holds {_listing(sorted(folder.iterdir()))}"
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        card = None
    if not isinstance(card, dict) or "format" not in card or "pgtext_version" not in card:
        return f"its {CARD_FILE} is not one pgtext wrote"
    named = card.get("files") if isinstance(card.get("files"), dict) else {}
    allowed = {CARD_FILE, *HEAD_FILES, *_OLD_HEAD_FILES, *map(str, named)}
    foreign = [
        entry for entry in sorted(folder.iterdir())
        if entry.name not in _OS_LITTER and (entry.name not in allowed or entry.is_symlink() or not entry.is_file())
    ]
    return f"it also holds {_listing(foreign)}, which pgtext did not write" if foreign else ""


def _listing(entries: list[Path], limit: int = 3) -> str:
    names = [entry.name + ("/" if entry.is_dir() else "") for entry in entries]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def check_model_target(folder: str | Path, inputs: list, force: bool) -> Path:
    """Where ``train`` may write a model: a new or empty folder, or with ``force`` a pgtext model folder.

    Never a file, never a folder holding or being one of the inputs (labels, codebook, embedder),
    never a folder with anything but a model in it.
    """
    folder = Path(folder)
    for source in inputs:
        if source is not None and (same_path(folder, source) or overlaps(source, folder)):
            raise ModelError(
                f"{folder}: holds the input {source}; a model folder holds only the model. Choose another -o/--output folder."
            )
    if folder.is_symlink():
        raise ModelError(f"{folder}: is a symbolic link; give the folder itself or another -o/--output folder.")
    if folder.exists() and not folder.is_dir():
        raise ModelError(f"{folder}: is a file, not a folder; choose another -o/--output folder.")
    if folder.exists() and any(folder.iterdir()):
        if not force:
            raise ModelError(f"{folder}: already exists and is not empty; choose another -o/--output folder or add --force.")
        why = _not_a_model(folder)
        if why:
            raise ModelError(
                f"{folder}: is not a pgtext model folder ({why}); --force replaces only a folder 'pgtext train' "
                "wrote. Choose another -o/--output folder."
            )
    # "--model ." names the folder it is in: work on its full path, so the staging folder goes beside it
    return Path(os.path.abspath(folder)) if folder.name in ("", "..") else folder


def save_model(model: ThemeModel, folder: str | Path, force: bool = False, inputs: list | None = None) -> Path:
    """Write the folder atomically: build it beside the target, then swap it in.

    The target is checked again right before the swap (``check_model_target``), and the
    folder swapped out is checked once more before it is deleted: if anything but a model
    landed in it meanwhile, it is put back and the run refused.
    """
    folder = check_model_target(folder, inputs or [], force)
    with sigterm_unwinds():  # a SIGTERM unwinds like Ctrl-C, so the staging folder goes too
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        except OSError as exc:
            raise ModelError(f"{folder}: cannot write here ({exc.strerror or exc}); choose another -o/--output folder.") from None
        try:
            os.chmod(staging, 0o777 & ~umask())  # mkdtemp makes 0700; model folders are shared
            names = model.head.save(staging)
            card = dict(model.card)
            card["files"] = {name: _sha256(staging / name) for name in names}
            (staging / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            check_model_target(folder, inputs or [], force)
            _swap_in(staging, folder)
        except OSError as exc:
            raise ModelError(f"{folder}: cannot write the model ({exc.strerror or exc}).") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    model.card = card
    return folder


def _swap_in(staging: Path, folder: Path) -> None:
    if not folder.exists():
        staging.rename(folder)
        return
    if not any(folder.iterdir()):
        folder.rmdir()  # fails if something arrived meanwhile; then nothing is replaced
        staging.rename(folder)
        return
    old = folder.with_name(f".{folder.name}.replaced-{os.getpid()}-{secrets.token_hex(4)}")
    folder.rename(old)
    try:
        why = _not_a_model(old)
        if why:  # something landed in it between the check and the swap: put it back untouched
            raise ModelError(
                f"{folder}: is not a pgtext model folder ({why}); --force replaces only a folder 'pgtext train' "
                "wrote. Choose another -o/--output folder."
            )
        staging.rename(folder)
    except BaseException:
        if not folder.exists():
            old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


def read_card(folder: str | Path) -> dict:
    """The checked card of a model folder: every value it holds has the type and range pgtext writes."""
    folder = Path(folder)
    card_path = folder / CARD_FILE
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such model folder; train one with 'pgtext train' or give --model.")
    try:
        data = read_file(card_path, config.MAX_CARD_BYTES)
    except FileNotFoundError:
        raise ModelError(f"{folder}: not a pgtext model (no {CARD_FILE}); give the folder 'pgtext train' wrote.") from None
    card = parse_json(card_path, data, "model card")
    if not isinstance(card, dict):
        raise ModelError(f"{card_path}: damaged model card (not a JSON object); retrain or copy the folder again.")
    if type(card.get("format")) is not int or card["format"] not in READABLE_FORMATS:
        version = card.get("pgtext_version", "?")
        if not (isinstance(version, str) and len(version) <= 20 and version.isprintable()):
            version = short(version, 20)
        raise ModelError(
            f"{folder}: model format {short(card.get('format'), 20)} made by pgtext {version}; "
            f"this pgtext ({__version__}) reads format {', '.join(map(str, READABLE_FORMATS))}. Retrain it with this version."
        )
    _require(card, card_path, ("codebook", "embedder"))
    check_card(card, card_path)
    return card


def _require(card: dict, card_path: Path, keys: tuple[str, ...]) -> None:
    missing = [key for key in keys if not isinstance(card.get(key), dict)]
    if missing:
        raise ModelError(
            f"{card_path}: incomplete model card (no {', '.join(missing)}); copy the whole folder again or retrain."
        )


def load_model(folder: str | Path) -> ThemeModel:
    """Load a model folder: each head file read once, checked against its hash in the card, then value by value."""
    import hashlib

    folder = Path(folder)
    card = read_card(folder)
    _require(card, folder / CARD_FILE, _CARD_KEYS)
    data: dict[str, bytes] = {}
    for name, cap in ((SPEC_FILE, config.MAX_HEAD_SPEC_BYTES), (ARRAYS_FILE, config.MAX_HEAD_ARRAYS_BYTES)):
        path = folder / name
        try:
            data[name] = read_file(path, cap)
        except FileNotFoundError:
            raise ModelError(f"{folder}: incomplete model ({name} missing); copy the whole folder or retrain.") from None
        if card["files"][name] != hashlib.sha256(data[name]).hexdigest():
            raise ModelError(f"{path}: does not match the hash in {CARD_FILE}; the folder was changed. Retrain.")
    head = LinearHead.from_bytes(folder, data[SPEC_FILE], data[ARRAYS_FILE])
    _check_fit(head, card, folder)
    return ThemeModel(head=head, card=card)


def _check_fit(head: LinearHead, card: dict, folder: Path) -> None:
    """The head and the card must describe the same model: themes, embedding size, feature set."""
    themes = len(card["codebook"]["themes"])
    rows = themes + (1 if "gate" in card else 0)  # the "any theme" gate is one more row
    Check(folder / ARRAYS_FILE).that(
        head.coef.shape[0] == rows,
        f"array 'coef' has {head.coef.shape[0]} rows, but {CARD_FILE} has {themes} themes"
        + (" and a gate" if rows > themes else ""),
    )
    check = Check(folder / SPEC_FILE)
    dimension = card["embedder"]["dimension"]
    check.that(
        head.embedding_dimension == dimension,
        f"'embedding_dimension' is {head.embedding_dimension}, but the embedder in {CARD_FILE} gives {dimension}",
    )
    if "features" in card:
        used = {"both": (True, True), "tfidf": (True, False), "embeddings": (False, True)}[card["features"]]
        check.that(
            (bool(head.blocks), head.embedding_weight is not None) == used,
            f"the head's blocks and embedding_weight do not make the feature set {card['features']!r} of {CARD_FILE}",
        )


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def codebook_from_card(card: dict) -> Codebook:
    """The codebook a model was trained with, in its score-column order, as its card records it."""
    return Codebook.from_card(card["codebook"])
