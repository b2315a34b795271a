"""A deck: one lecture as data, read from ``deck.toml`` without importing Manim.

A deck folder holds ``deck.toml`` and the lecture's scene modules (one per slide). The file
says what the kit cannot guess::

    title = "Variational Autoencoders: A Visual Derivation"   # document title
    slug = "vae-derivation"            # output names: media/<slug>-<quality>.mp4, ...
    package = "scenes"                 # optional: modules import as scenes.<module>
    media = "../media"                 # optional: output folder (default: <deck>/media)
    accent = "p"                       # optional: the symbol whose colour accents the player
    data = ["../assets"]               # optional: files the scenes read outside the deck folder

    [symbols]                          # notation symbols: a kit hue or {dark=..., light=...}
    x = "yellow"
    [roles]                            # optional plot roles -> symbol: theme.posterior
    posterior = "p"
    [macros]                           # optional TeX macros, using the colours sym-<symbol>
    '\\x' = '{\\color{sym-x}x}'

    [[scene]]                          # in video order; the first is number 00
    title = "Latent Variable Model & Notation"
    module = "s01_latent_variable_model"
    class = "LatentVariableModel"
    slide = 1                          # optional: "Slide 1 / N" in the title bar

Everything is checked on load; a bad deck raises one :class:`DeckError` naming the file and
the entry. Without ``package`` the deck folder itself goes on ``sys.path`` and its modules
import by their own names, so a deck folder works wherever it is copied.
"""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .theme import HUES, PALETTES, THEME_NAMES, Theme, active_theme_name

DECK_FILE = "deck.toml"
KIT_ROOT = Path(__file__).resolve().parent
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class DeckError(ValueError):
    """A deck folder or its ``deck.toml`` is missing or malformed."""


@dataclass(frozen=True)
class SceneSpec:
    """One scene of a deck.

    ``number`` is its position in the video (00 first); ``slide`` the slide of the lecture it
    shows (``None`` for cards such as a title or a summary); ``title`` names the chapter and
    the per-scene file.
    """

    deck: Deck = field(repr=False, compare=False)
    number: int
    slide: int | None
    title: str
    module: str
    class_name: str

    @property
    def key(self) -> str:
        """File-name stem, e.g. ``01-latent-variable-model``."""
        slug = "".join(c if c.isalnum() else "-" for c in self.title.lower())
        slug = "-".join(part for part in slug.split("-") if part)
        return f"{self.number:02d}-{slug}"

    @property
    def path(self) -> Path:
        """The scene's source file."""
        return self.deck.folder / f"{self.module}.py"

    @property
    def import_name(self) -> str:
        """Dotted module name, e.g. ``scenes.s01_latent_variable_model``."""
        return f"{self.deck.package}.{self.module}" if self.deck.package else self.module

    @property
    def label(self) -> str:
        """What the title bar shows in its corner, e.g. ``Slide 3 / 10``."""
        if self.slide is None:
            return ""
        return f"Slide {self.slide} / {self.deck.slide_count}"

    def load(self) -> type:
        """Import the scene's module and return its Scene class."""
        self.deck.put_on_path()
        loaded = sys.modules.get(self.import_name)
        if loaded is not None and Path(getattr(loaded, "__file__", "")).resolve() != self.path:
            del sys.modules[self.import_name]  # another copy of a deck with the same names
        module = importlib.import_module(self.import_name)
        return getattr(module, self.class_name)


@dataclass(frozen=True, eq=False)  # one Deck per folder (load_deck caches): identity is equality
class Deck:
    """A lecture: its title, output slug, scenes in order, notation colours and macros."""

    folder: Path
    title: str
    slug: str
    scenes: tuple[SceneSpec, ...] = field(repr=False)
    package: str | None = None
    media_dir: Path = Path("media")
    accent: str | None = None
    symbols: Mapping[str, Mapping[str, str]] = field(default_factory=dict, repr=False)
    roles: Mapping[str, str] = field(default_factory=dict, repr=False)
    macros: Mapping[str, str] = field(default_factory=dict, repr=False)
    #: files or folders the scenes read outside the deck folder (shipped to cluster workers)
    data: tuple[Path, ...] = field(default=(), repr=False)

    @property
    def file(self) -> Path:
        """The deck's ``deck.toml``."""
        return self.folder / DECK_FILE

    @property
    def import_root(self) -> Path:
        """The folder that goes on ``sys.path`` so the deck's modules import."""
        return self.folder.parent if self.package else self.folder

    @property
    def source_roots(self) -> tuple[Path, ...]:
        """Folders whose files count as inputs of a render: the deck's and the kit's."""
        return (self.import_root, KIT_ROOT)

    @property
    def slide_count(self) -> int:
        """The number of the last slide (for ``Slide 3 / 10``)."""
        return max((s.slide for s in self.scenes if s.slide is not None), default=0)

    def put_on_path(self) -> None:
        """Make the deck's modules importable in this process (its folder first)."""
        root = str(self.import_root)
        if root in sys.path:
            sys.path.remove(root)
        sys.path.insert(0, root)

    def theme(self, name: str | None = None) -> Theme:
        """The deck's colours in a theme (default: ``$LECTURE_THEME``)."""
        return _theme(self, name or active_theme_name())

    def by_name(self, name: str) -> SceneSpec:
        """A scene by class name, key, module or number; KeyError naming the valid ones."""
        for spec in self.scenes:
            if name in (
                spec.class_name,
                spec.key,
                spec.module,
                str(spec.number),
                f"{spec.number:02d}",
            ):
                return spec
        choices = ", ".join(spec.class_name for spec in self.scenes)
        raise KeyError(f"unknown scene {name!r}; valid scenes: {choices}")

    def by_class_name(self, class_name: str) -> SceneSpec:
        """The spec of a Scene class of this deck."""
        for spec in self.scenes:
            if spec.class_name == class_name:
                return spec
        raise KeyError(f"scene class {class_name!r} is not in {self.file}")


@cache
def _theme(deck: Deck, name: str) -> Theme:
    palette = PALETTES[name]
    symbols = {}
    for symbol, colour in deck.symbols.items():
        symbols[symbol] = colour[name]
    return Theme(
        name=name,
        background=palette.background,
        text=palette.text,
        muted=palette.muted,
        warning=palette.warning,
        highlight=palette.highlight,
        symbols=symbols,
        roles=dict(deck.roles),
    )


# ---------------------------------------------------------------------------------------------
# Reading deck.toml


def load_deck(folder: Path | str) -> Deck:
    """Read and check ``<folder>/deck.toml`` (no Manim import). The same file, unchanged,
    gives the same :class:`Deck` object; an edited one is read again."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise DeckError(f"{folder}: no such deck folder")
    try:
        st = (folder / DECK_FILE).stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        stamp = None
    return _load(folder, stamp)


def deck_dir_option(help_text: str) -> Callable[[Callable], Callable]:
    """The ``--deck`` option of the kit's small commands: a deck folder (default
    ``scenes``), passed as ``deck_dir``; :func:`load_deck` reads it."""
    import click  # only the commands need it; reading a deck does not

    return click.option(
        "--deck",
        "deck_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("scenes"),
        show_default=True,
        help=help_text,
    )


@cache
def _load(folder: Path, _stamp: tuple[int, int] | None) -> Deck:
    file = folder / DECK_FILE
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeckError(f"{folder} is not a deck: it has no {DECK_FILE}") from None
    except tomllib.TOMLDecodeError as error:
        raise DeckError(f"{file}: not valid TOML ({error})") from None
    return _parse(folder, file, data)


def _parse(folder: Path, file: Path, data: dict) -> Deck:
    def fail(message: str) -> DeckError:
        return DeckError(f"{file}: {message}")

    known = {
        "title",
        "slug",
        "package",
        "media",
        "accent",
        "data",
        "symbols",
        "roles",
        "macros",
        "scene",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    title = _string(data, "title", fail)
    slug = _string(data, "slug", fail)
    if not _SLUG.match(slug):
        raise fail(f"slug {slug!r} must be lower-case letters, digits and single hyphens")
    package = data.get("package")
    if package is not None and (
        not isinstance(package, str) or not _IDENTIFIER.match(package) or package != folder.name
    ):
        raise fail(f"package {package!r} must be the deck folder's name ({folder.name!r})")
    media = data.get("media", "media")
    if not isinstance(media, str):
        raise fail("media must be a folder path (relative to the deck)")
    symbols = _symbols(data.get("symbols", {}), fail)
    roles = _table(data, "roles", fail)
    for role, symbol in roles.items():
        if symbol not in symbols:
            raise fail(f"role {role!r} points at {symbol!r}, which is not in [symbols]")
    macros = _table(data, "macros", fail)
    for macro in macros:
        if not re.match(r"^\\[A-Za-z]+$", macro):
            raise fail(f"macro name {macro!r} must be a backslash and letters, e.g. '\\x'")
    accent = data.get("accent")
    if accent is not None and accent not in symbols:
        raise fail(f"accent {accent!r} is not in [symbols]")
    files = data.get("data", [])
    if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
        raise fail('data must be a list of paths, e.g. data = ["../assets"]')
    import_root = folder.parent if package else folder
    data_paths = tuple((folder / f).resolve() for f in files)
    for name, path in zip(files, data_paths, strict=True):
        if not path.is_relative_to(import_root) or not path.exists():
            raise fail(f"data {name!r} must exist inside {import_root}")

    rows = data.get("scene")
    if not isinstance(rows, list) or not rows:
        raise fail("needs at least one [[scene]] (title, module, class)")
    deck = Deck(
        folder=folder,
        title=title,
        slug=slug,
        scenes=(),
        package=package,
        media_dir=(folder / media).resolve(),
        accent=accent,
        symbols=symbols,
        roles=roles,
        macros=macros,
        data=data_paths,
    )
    specs = []
    for number, row in enumerate(rows):
        where = f"[[scene]] {number + 1}"
        if not isinstance(row, dict):
            raise fail(f"{where} must be a table")
        extra = sorted(set(row) - {"title", "module", "class", "slide"})
        if extra:
            raise fail(f"{where}: unknown key(s) {', '.join(extra)}")
        values = [row.get(k) for k in ("title", "module", "class")]
        if not all(isinstance(v, str) and v for v in values):
            raise fail(f"{where} needs title, module and class (strings)")
        title_, module, class_name = values
        if not _IDENTIFIER.match(module) or not _IDENTIFIER.match(class_name):
            raise fail(f"{where}: module and class must be Python names")
        slide = row.get("slide")
        if slide is not None and (not isinstance(slide, int) or slide < 1):
            raise fail(f"{where}: slide must be a positive whole number")
        if not (folder / f"{module}.py").is_file():
            raise fail(f"{where}: module file {module}.py is not in {folder}")
        specs.append(SceneSpec(deck, number, slide, title_, module, class_name))
    names = [s.class_name for s in specs]
    if len(set(names)) != len(names):
        raise fail(f"scene classes repeat: {sorted({n for n in names if names.count(n) > 1})}")
    object.__setattr__(deck, "scenes", tuple(specs))
    return deck


def _string(data: dict, key: str, fail) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(f'needs {key} = "..."')
    return value


def _table(data: dict, key: str, fail) -> dict[str, str]:
    table = data.get(key, {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise fail(f"[{key}] must map names to strings")
    return dict(table)


def _symbols(table: object, fail) -> dict[str, dict[str, str]]:
    """``{symbol: {theme: hex}}`` from hue names or per-theme hex tables."""
    if not isinstance(table, dict):
        raise fail("[symbols] must map symbol names to colours")
    symbols: dict[str, dict[str, str]] = {}
    for name, colour in table.items():
        if not re.match(r"^[A-Za-z][A-Za-z0-9]*$", name):
            raise fail(f"symbol name {name!r} must be letters and digits (it names a TeX colour)")
        if isinstance(colour, str):
            if colour not in HUES:
                raise fail(
                    f"symbol {name!r}: unknown hue {colour!r}; kit hues: "
                    f'{", ".join(HUES)}, or give {{dark = "#RRGGBB", light = ...}}'
                )
            symbols[name] = {theme: PALETTES[theme].hues[colour] for theme in THEME_NAMES}
        elif isinstance(colour, dict):
            missing = [t for t in THEME_NAMES if not _HEX.match(str(colour.get(t, "")))]
            if missing:
                raise fail(
                    f"symbol {name!r} needs a #RRGGBB colour for each theme "
                    f"({', '.join(THEME_NAMES)})"
                )
            symbols[name] = {theme: colour[theme] for theme in THEME_NAMES}
        else:
            raise fail(f"symbol {name!r}: a kit hue name or a table of colours per theme")
    return symbols


# ---------------------------------------------------------------------------------------------
# The deck of the scene being built (scenes find their deck by their own source file).

_ACTIVE: list[Deck] = []


def deck_of(path: Path | str) -> Deck:
    """The deck a source file belongs to: the nearest ``deck.toml`` in its folder or above."""
    folder = Path(path).resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / DECK_FILE).is_file():
            return load_deck(candidate)
    raise DeckError(f"{path} is not inside a deck (no {DECK_FILE} in its folder or above)")


def activate(deck: Deck) -> None:
    """Make ``deck`` the one whose notation and colours :mod:`lecturekit.scene.style` uses."""
    _ACTIVE[:] = [deck]


def active_deck() -> Deck:
    """The deck activated by the scene being built (``LectureScene.setup``)."""
    if not _ACTIVE:
        raise DeckError(
            "no deck is active: build formulas inside a LectureScene (its setup "
            "activates the deck of its source file), or call deck.activate()"
        )
    return _ACTIVE[0]
