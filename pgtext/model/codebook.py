"""The codebook: which themes exist. It is data (a CSV with slug, name, description)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from pgtext.errors import CodebookError, InputError
from pgtext.i18n import DEFAULT_LANGUAGE, LANGUAGES

REQUIRED_COLUMNS = ("slug", "name", "description")
#: The theme cell of labels files and of `pgtext label` output: slugs joined by this, in codebook order.
THEME_SEPARATOR = ";"
#: Optional column: the language of the themes and of every published output (nl or en; nl when absent).
LANGUAGE_COLUMN = "language"
_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")


def theme_cell(vector, slugs: list[str]) -> str:
    """A 0/1 vector as a theme cell: the slugs that are on, joined by ``;``. The one writer of that format."""
    return THEME_SEPARATOR.join(s for s, on in zip(slugs, vector) if on)


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Codebook:
    """Themes in codebook order; that order is the order of every score column.

    ``language`` is the language reports and other published outputs speak (``pgtext.i18n``).
    """

    themes: tuple[Theme, ...]
    language: str = DEFAULT_LANGUAGE

    @property
    def slugs(self) -> list[str]:
        return [t.slug for t in self.themes]

    @property
    def sha256(self) -> str:
        """Hash of the content (not the file bytes), so re-saving in Excel keeps it."""
        return hashlib.sha256(json.dumps(self.to_list(), ensure_ascii=False).encode()).hexdigest()

    def resolve(self, token: str) -> str | None:
        """Slug for a theme given as slug or full name, case-insensitive; None when unknown."""
        key = _key(token)
        for theme in self.themes:
            if key in (_key(theme.slug), _key(theme.name)):
                return theme.slug
        return None

    def parse_themes(self, cell: object) -> tuple[list[int], list[str]]:
        """A theme cell ("netwerk;lobby", names or slugs in any case) as a 0/1 list in codebook order,
        plus the tokens that name no theme. The one reader of the ``;`` theme-cell format."""
        vector = [0] * len(self.themes)
        unknown: list[str] = []
        slugs = self.slugs
        for token in ("" if cell is None else str(cell)).split(THEME_SEPARATOR):
            if not token.strip():
                continue
            slug = self.resolve(token)
            if slug is None:
                unknown.append(token.strip())
            else:
                vector[slugs.index(slug)] = 1
        return vector, unknown

    def format_themes(self, vector) -> str:
        """A 0/1 vector in codebook order as a theme cell: slugs joined by ``;`` (see ``theme_cell``)."""
        return theme_cell(vector, self.slugs)

    @classmethod
    def from_slugs(cls, slugs: list[str]) -> Codebook:
        """A codebook that knows only the slugs (enough to read and write theme cells)."""
        return cls(tuple(Theme(slug, slug, "") for slug in slugs))

    def to_list(self) -> list[dict[str, str]]:
        return [asdict(t) for t in self.themes]

    @classmethod
    def from_list(cls, items: list[dict[str, str]], language: str = DEFAULT_LANGUAGE) -> Codebook:
        return cls(themes=tuple(Theme(**item) for item in items), language=language)

    def to_card(self) -> dict:
        """The model card's ``codebook`` entry."""
        return {"sha256": self.sha256, "themes": self.to_list(), "language": self.language}

    @classmethod
    def from_card(cls, entry: dict) -> Codebook:
        """From a model card's ``codebook`` entry; cards from before languages were recorded mean Dutch."""
        return cls.from_list(entry["themes"], language=entry.get("language") or DEFAULT_LANGUAGE)


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text)).strip().casefold()


def valid_slug(slug: str) -> bool:
    """Lower-case letters, digits and _, starting with a letter (as a codebook file must give them)."""
    return bool(_SLUG.match(slug))


def theme_key(text: str) -> str:
    """How slugs and names are compared for duplicates: case, spaces, _ and - ignored."""
    return _key(text)


def load_codebook(path: str | Path) -> Codebook:
    """Read and check a codebook CSV/XLSX: columns slug, name, description; unique slugs and names."""
    from pgtext.files.columns import shown_list
    from pgtext.files.tables import read_table

    path = Path(path)
    try:
        frame = read_table(path).frame
    except InputError as exc:
        raise CodebookError(f"codebook: {exc}") from None
    columns = {c.lower(): c for c in frame.columns}
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CodebookError(
            f"{path}: codebook needs columns {', '.join(REQUIRED_COLUMNS)}; missing {', '.join(missing)} "
            f"(found: {shown_list(list(frame.columns))})."
        )
    themes: list[Theme] = []
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        values = dict(zip(frame.columns, row))
        slug = str(values[columns["slug"]]).strip()
        name = str(values[columns["name"]]).strip()
        description = str(values[columns["description"]]).strip()
        if not slug and not name:
            continue
        if not _SLUG.match(slug):
            raise CodebookError(
                f"{path}, row {i}: slug {slug!r} must be lower-case letters, digits and _ (e.g. gedeelde_visie)."
            )
        if not name:
            raise CodebookError(f"{path}, row {i}: theme {slug!r} has no name.")
        themes.append(Theme(slug=slug, name=name, description=description))
    if not themes:
        raise CodebookError(f"{path}: the codebook has no themes.")
    language = _language(path, frame, columns.get(LANGUAGE_COLUMN))
    for attr in ("slug", "name"):
        seen: set[str] = set()
        for theme in themes:
            key = _key(getattr(theme, attr))
            if key in seen:
                raise CodebookError(f"{path}: {attr} {getattr(theme, attr)!r} appears twice; each theme needs its own.")
            seen.add(key)
    return Codebook(themes=tuple(themes), language=language)


def _language(path: Path, frame, column: str | None) -> str:
    """The codebook's language column: one code (nl or en), on every row or only the first; nl without it."""
    if column is None:
        return DEFAULT_LANGUAGE
    codes = {str(v).strip().lower() for v in frame[column] if str(v).strip()}
    if not codes:
        return DEFAULT_LANGUAGE
    if len(codes) > 1 or not codes <= set(LANGUAGES):
        raise CodebookError(
            f"{path}: column language holds {', '.join(sorted(codes))}; give one language for the whole codebook "
            f"({' or '.join(LANGUAGES)})."
        )
    return codes.pop()
