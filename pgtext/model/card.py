"""What a model card may hold: every value pgtext reads from ``model_card.json`` is checked here, by type and
range, before anything uses it (a model folder from someone else may only change scores)."""

from __future__ import annotations

import re
from pathlib import Path

from pgtext import config
from pgtext.embed import registered_embedder, weights_id
from pgtext.errors import ModelError
from pgtext.i18n import LANGUAGES
from pgtext.model.codebook import Codebook, theme_key, valid_slug
from pgtext.model.head import ARRAYS_FILE, MAX_DIMENSION, SPEC_FILE
from pgtext.model.safe_files import Check, short

CARD_FORMAT = 3  # 3: optional "any theme" gate (one more head row, card "gate"), calibrated review policy
READABLE_FORMATS = (2, 3)  # format 2 (no gate, raw confidence) still labels as it did
HEAD_FILES = (SPEC_FILE, ARRAYS_FILE)
FEATURE_SETS = ("both", "embeddings", "tfidf")
MAX_THEMES = 500
FLAG_ALL = 1.01  # a review cut-off above 1 flags every answer (tune_review_policy when no cut-off meets the target)


def check_card(card: dict, card_path: Path) -> None:
    """Every value pgtext reads from a card, checked against what ``pgtext train`` writes.

    Keys pgtext does not know are never read, so they are left alone; the codebook comes first
    because thresholds and label counts must name exactly its slugs.
    """
    check = Check(card_path)
    for key, most in (("pgtext_version", 50), ("created_at", 50), ("classifier", 1000)):
        if key in card:
            check.text(card[key], repr(key), most)
    if "features" in card:
        check.choice(card["features"], "'features'", FEATURE_SETS)
    for key in ("cv", "versions"):
        if key in card:
            check.mapping(card[key], repr(key))
    slugs = _check_codebook(check, card["codebook"])
    _check_embedder(check, card["embedder"])
    if "thresholds" in card:
        thresholds = check.mapping(card["thresholds"], "'thresholds'")
        check.keys(thresholds, "'thresholds'", tuple(slugs))
        for slug in slugs:
            check.number(thresholds[slug], f"thresholds[{slug!r}]", 0, 1)
    if "gate" in card:
        gate = check.mapping(card["gate"], "'gate'")
        check.keys(gate, "'gate'", ("threshold",))
        check.number(gate["threshold"], "gate 'threshold'", 0, 1)
    if "review" in card:
        review = check.mapping(card["review"], "'review'")
        check.keys(review, "'review'", (), ("min_confidence", "borderline_margin", "calibration", "bound"))
        if "calibration" in review:
            pair = check.listing(review["calibration"], "review 'calibration'", 2)
            check.that(len(pair) == 2, "review 'calibration' is not a (slope, intercept) pair")
            for value in pair:
                check.number(value, "review 'calibration'", -1e6, 1e6)
        if "bound" in review:
            check.mapping(review["bound"], "review 'bound'")  # informative only, never read for decisions
        if "min_confidence" in review:
            check.number(review["min_confidence"], "review 'min_confidence'", 0, FLAG_ALL)
        if "borderline_margin" in review:
            check.number(review["borderline_margin"], "review 'borderline_margin'", 0, 1)
    if "files" in card:
        files = check.mapping(card["files"], "'files'")
        check.keys(files, "'files'", HEAD_FILES)
        for name in HEAD_FILES:
            check.sha256(files[name], f"files[{name!r}]")
    if "labels" in card:
        _check_labels(check, card["labels"], slugs)


def _check_codebook(check: Check, codebook: dict) -> list[str]:
    check.keys(codebook, "'codebook'", ("sha256", "themes"), optional=("language",))
    if "language" in codebook:
        check.that(codebook["language"] in LANGUAGES, f"codebook 'language' is {short(codebook['language'])}, not one of {', '.join(LANGUAGES)}")
    themes = check.listing(codebook["themes"], "codebook 'themes'", MAX_THEMES)
    check.that(bool(themes), "codebook 'themes' is empty")
    slugs: list[str] = []
    seen: dict[str, set[str]] = {"slug": set(), "name": set()}
    for number, theme in enumerate(themes, start=1):
        key = f"codebook theme {number}"
        check.mapping(theme, key)
        check.keys(theme, key, ("slug", "name", "description"))
        slug = check.text(theme["slug"], f"{key} 'slug'", 100)
        check.that(valid_slug(slug), f"{key} 'slug' is {short(slug)}, not lower-case letters, digits and _")
        check.text(theme["name"], f"{key} 'name'", 500, lines=True)
        check.text(theme["description"], f"{key} 'description'", 10_000, lines=True, empty=True)
        for attr in ("slug", "name"):
            value = theme_key(theme[attr])
            check.that(value not in seen[attr], f"codebook {attr} {short(theme[attr])} appears twice")
            seen[attr].add(value)
        slugs.append(slug)
    check.sha256(codebook["sha256"], "codebook 'sha256'")
    check.that(
        Codebook.from_list(themes).sha256 == codebook["sha256"], "codebook 'sha256' is not the hash of its themes"
    )
    return slugs


def _check_embedder(check: Check, embedder: dict) -> None:
    """Name, id and dimension as training writes them; the id must be one the name can give.

    So a card cannot name one model (say, one to download) while claiming the id of another.
    """
    check.keys(embedder, "'embedder'", ("name", "id", "dimension"), ("backend",))
    name = check.text(embedder["name"], "embedder 'name'", 1000)
    ident = check.text(embedder["id"], "embedder 'id'", 300)
    dimension = check.integer(embedder["dimension"], "embedder 'dimension'", 1, MAX_DIMENSION)
    if "backend" in embedder:
        check.choice(embedder["backend"], "embedder 'backend'", config.BACKENDS)
    weights = weights_id(ident)
    registered = registered_embedder(name) if name != config.DEFAULT_EMBEDDER else None
    if registered is not None:  # a test's or plugin's embedder: it says which id and dimension it gives
        fits = weights == weights_id(registered.id) and dimension == registered.dimension
    elif name == config.DEFAULT_EMBEDDER:
        fits = weights.startswith(f"{config.DEFAULT_EMBEDDER}:")
    elif Path(name).is_absolute():
        fits = weights.startswith("path:")
    elif "/" in name and not name.startswith((".", "~")):
        fits = weights == f"hub:{name}"
    elif re.fullmatch(r"\w[\w.-]*", name):
        raise ModelError(
            f"{check.path}: embedder {short(name)} is not available; the model was trained with an embedder that a test "
            "or plugin registers (pgtext.embed.register_embedder). Load it where that is registered, or train it again."
        )
    else:
        check.fail(f"embedder 'name' is {short(name)}, not a name pgtext writes (minilm, a folder or a hub name)")
    check.that(fits, f"embedder 'id' {short(ident)} does not belong to embedder {short(name)}")


def _check_labels(check: Check, labels: object, slugs: list[str]) -> None:
    labels = check.mapping(labels, "'labels'")
    check.keys(labels, "'labels'", (), ("files", "answers", "counts", "no_theme"))
    for number, entry in enumerate(check.listing(labels.get("files", []), "labels 'files'", 10_000), start=1):
        key = f"labels file {number}"
        check.mapping(entry, key)
        check.keys(entry, key, ("name", "sha256", "rows"))
        check.text(entry["name"], f"{key} 'name'", 500)
        check.sha256(entry["sha256"], f"{key} 'sha256'")
        check.integer(entry["rows"], f"{key} 'rows'", 0, 10**9)
    for key in ("answers", "no_theme"):
        if key in labels:
            check.integer(labels[key], f"labels {key!r}", 0, 10**9)
    if "counts" in labels:
        counts = check.mapping(labels["counts"], "labels 'counts'")
        check.keys(counts, "labels 'counts'", tuple(slugs))
        for slug in slugs:
            check.integer(counts[slug], f"labels counts[{slug!r}]", 0, 10**9)
