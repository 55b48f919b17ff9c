"""pgtext.model.codebook: a codebook is data; any survey's themes work, mistakes are named by row."""

from __future__ import annotations

import pytest
from conftest import CODEBOOK_ROWS, write_codebook, write_csv

from pgtext.errors import CodebookError
from pgtext.model.codebook import Codebook, Theme, load_codebook


def test_loads_themes_in_file_order(codebook):
    assert codebook.slugs == ["wonen", "vervoer", "eenzaamheid"]
    assert codebook.themes[0] == Theme("wonen", "Wonen en huisvesting", CODEBOOK_ROWS[0]["description"])


@pytest.mark.parametrize(
    ("token", "slug"),
    [
        ("wonen", "wonen"),
        ("WONEN", "wonen"),
        ("  Vervoer ", "vervoer"),
        ("Wonen en huisvesting", "wonen"),
        ("wonen EN huisvesting", "wonen"),
        ("Eenzaamheid_en_ontmoeting", "eenzaamheid"),
        ("vervoer-en-bereikbaarheid", "vervoer"),
        ("Vervoer  en\tbereikbaarheid", "vervoer"),
    ],
)
def test_resolve_slug_or_name_case_insensitively(codebook, token, slug):
    assert codebook.resolve(token) == slug


@pytest.mark.parametrize("token", ["sport", "woon", "", "wonen;vervoer"])
def test_resolve_unknown_is_none(codebook, token):
    assert codebook.resolve(token) is None


def test_sha256_is_of_content_not_bytes(tmp_path, codebook):
    # The same codebook re-saved by Dutch Excel (';', cp1252, CRLF, capitalised headers) has the same hash.
    path = write_csv(
        tmp_path / "codebook.csv",
        ["Slug", "Name", "Description"],
        [[r["slug"], r["name"], r["description"]] for r in CODEBOOK_ROWS],
        ";",
        "cp1252",
    )
    again = load_codebook(path)
    assert again == codebook
    assert again.sha256 == codebook.sha256
    changed = Codebook.from_list([{**CODEBOOK_ROWS[0], "description": "anders"}, *CODEBOOK_ROWS[1:]])
    assert changed.sha256 != codebook.sha256


def test_list_round_trip(codebook):
    assert Codebook.from_list(codebook.to_list()) == codebook
    assert codebook.to_list()[1] == CODEBOOK_ROWS[1]


def test_blank_rows_are_skipped(tmp_path):
    path = write_csv(tmp_path / "codebook.csv", ["slug", "name", "description"],
                     [["wonen", "Wonen", ""], ["", "", ""], ["vervoer", "Vervoer", "bus"]])
    assert load_codebook(path).slugs == ["wonen", "vervoer"]


def test_duplicate_slug(tmp_path):
    rows = [*CODEBOOK_ROWS, {"slug": "wonen", "name": "Huisvesting", "description": ""}]
    path = write_codebook(tmp_path / "codebook.csv", rows)
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value) == f"{path}: slug 'wonen' appears twice; each theme needs its own."


def test_duplicate_name_ignoring_case(tmp_path):
    rows = [*CODEBOOK_ROWS, {"slug": "huisvesting", "name": "wonen en HUISVESTING", "description": ""}]
    path = write_codebook(tmp_path / "codebook.csv", rows)
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value) == f"{path}: name 'wonen en HUISVESTING' appears twice; each theme needs its own."


def test_missing_column_lists_what_was_found(tmp_path):
    path = write_csv(tmp_path / "codebook.csv", ["slug", "naam"], [["wonen", "Wonen"]])
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value) == (
        f"{path}: codebook needs columns slug, name, description; missing name, description (found: slug, naam)."
    )


@pytest.mark.parametrize(("slug", "row"), [("Wonen", 2), ("eenzaam-heid", 4), ("1wonen", 2), ("ver voer", 3)])
def test_bad_slug_names_the_row(tmp_path, slug, row):
    rows = [dict(r) for r in CODEBOOK_ROWS]
    rows[row - 2]["slug"] = slug
    path = write_codebook(tmp_path / "codebook.csv", rows)
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value) == (
        f"{path}, row {row}: slug {slug!r} must be lower-case letters, digits and _ (e.g. gedeelde_visie)."
    )


def test_theme_without_name(tmp_path):
    path = write_csv(tmp_path / "codebook.csv", ["slug", "name", "description"], [["wonen", "", "huizen"]])
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value) == f"{path}, row 2: theme 'wonen' has no name."


def test_header_only_codebook_has_no_themes(tmp_path):
    path = write_csv(tmp_path / "codebook.csv", ["slug", "name", "description"], [])
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value) == f"{path}: the codebook has no themes."


def test_unreadable_codebook_says_it_is_the_codebook(tmp_path):
    path = tmp_path / "codebook.csv"
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value) == f"codebook: {path}: file not found."


def test_shipped_twente_codebook_loads():
    from pgtext import config

    book = load_codebook(config.DEFAULT_CODEBOOK)
    assert book.slugs[:4] == ["gedeelde_visie", "netwerk", "praktische_implementatie", "lobby"]


def test_theme_cell_round_trips_in_codebook_order():
    """The `;` theme cell has one reader and one writer (Codebook.parse_themes / format_themes)."""
    from hypothesis import given
    from hypothesis import strategies as st

    from pgtext.model.codebook import Codebook

    book = Codebook.from_slugs(["wonen", "vervoer", "eenzaamheid"])

    @given(st.lists(st.integers(0, 1), min_size=3, max_size=3))
    def round_trip(vector):
        cell = book.format_themes(vector)
        assert book.parse_themes(cell) == (vector, [])
        assert book.parse_themes(f" {cell.upper()} ;;") == (vector, [])  # spaces, case, empty tokens

    round_trip()
    assert book.parse_themes("vervoer;wonen") == ([1, 1, 0], [])
    assert book.format_themes([1, 1, 0]) == "wonen;vervoer"
    assert book.parse_themes("wonen, vervoer") == ([0, 0, 0], ["wonen, vervoer"])
    assert book.parse_themes(None) == ([0, 0, 0], [])


def test_language_column_is_optional_and_checked(tmp_path):
    from pgtext.errors import CodebookError
    from pgtext.model.codebook import load_codebook

    plain = tmp_path / "plain.csv"
    plain.write_text("slug,name,description\nwonen,Wonen,Huizen.\n", encoding="utf-8")
    assert load_codebook(plain).language == "nl"
    english = tmp_path / "english.csv"
    english.write_text("slug,name,description,language\nwonen,Housing,Houses.,EN\nvervoer,Transport,Buses.,\n", encoding="utf-8")
    book = load_codebook(english)
    assert book.language == "en"
    assert book.sha256 == load_codebook(english).sha256 and "language" not in book.to_list()[0]
    assert Codebook.from_card(book.to_card()) == book
    assert Codebook.from_card({"themes": book.to_list()}).language == "nl"  # cards from before languages
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("slug,name,description,language\nwonen,Wonen,Huizen.,nl\nvervoer,Vervoer,Bussen.,en\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="column language holds en, nl; give one language for the whole codebook"):
        load_codebook(mixed)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("slug,name,description,language\nwonen,Wohnen,Häuser.,de\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="holds de"):
        load_codebook(unknown)
