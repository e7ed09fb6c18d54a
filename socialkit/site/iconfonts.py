"""Icon fonts cut down to the icons the book shows.

The theme draws its icons (menu, search, light/dark switch, download, launch) with Font Awesome
6, and the widget manager brings Font Awesome 5: fonts of 1,000-1,400 icons each, 80-160 kB
gzipped, downloaded by any page that shows a single one. After the build, :func:`subset_site`
rewrites every icon font of the site so it holds only the icons some page can show: those
named by a class (``fa-bars``) in a built page or by a widget's ``icon``, and those the style
sheets draw themselves (admonition marks, the theme's own ``--pst-icon-*`` variables). The
source fonts are read from the theme's and the widget manager's own folders each time, so a
rebuild never cuts an already cut font.
"""
from __future__ import annotations

import re
from pathlib import Path

#: Folders of the built site that hold icon fonts, each with the files whose CSS names them.
FONT_FOLDERS = {
    "_static/vendor/fontawesome/webfonts": "_static/styles/*.css",
    "_static/vendor/html-manager": "_static/vendor/html-manager/embed.js",
}
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ESCAPE = re.compile(r"\\+([0-9a-fA-F]{4,5})")
_CLASS_ONLY = re.compile(r"^\s*\.fa-[\w-]+(?:::?(?:before|after))?\s*$")
_CLASS_USE = re.compile(r"\bfa-[a-z0-9-]+")
_WIDGET_ICON = re.compile(r'\\?"icon\\?":\s*\\?"([a-z0-9-]+)')


def used_classes(site: Path) -> set[str]:
    """Every ``fa-*`` class a built page uses, widget icons included (``icon="check"``)."""
    found: set[str] = set()
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0] in {"_static", "_sources"}:
            continue
        text = page.read_text(encoding="utf-8", errors="ignore")
        found |= set(_CLASS_USE.findall(text))
        found |= {f"fa-{name}" for name in _WIDGET_ICON.findall(text)}
    return found


def _is_icon(codepoint: int) -> bool:
    """Icon fonts put their glyphs in Unicode's private-use areas."""
    return 0xE000 <= codepoint <= 0xF8FF or codepoint >= 0xF0000


def needed_codepoints(css: str, classes: set[str]) -> set[int]:
    """Code points of the icons a style sheet can draw, given the classes pages use.

    A rule that only maps icon classes to their glyph counts when one of those classes is
    used; any other rule that names a glyph (an admonition's mark) always counts.

    >>> css = '.fa-bars:before{content:"\\\\f0c9"}.fa-cat:before{content:"\\\\f6be"}.note:after{content:"\\\\f05a"}'
    >>> sorted(hex(c) for c in needed_codepoints(css, {"fa-bars"}))
    ['0xf05a', '0xf0c9']
    """
    wanted: set[int] = set()
    for selectors, body in _RULE.findall(css):
        # an icon is named by an escape (\\f0eb) or written as the character itself
        codes = {int(code, 16) for code in _ESCAPE.findall(body)} | {ord(ch) for ch in body}
        codes = {code for code in codes if _is_icon(code)}
        if not codes:
            continue
        parts = selectors.split(",")
        if all(_CLASS_ONLY.match(part) for part in parts):
            names = {re.search(r"fa-[\w-]+", part).group(0) for part in parts}
            if not names & classes:
                continue
        wanted |= codes
    return wanted


def subset_font(source: Path, target: Path, codepoints: set[int]) -> None:
    """Write ``source`` cut to ``codepoints`` (those it has) to ``target``, in its own format."""
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # it lists every table it drops

    font = TTFont(str(source))
    flavor = font.flavor
    keep = set(font.getBestCmap()) & codepoints
    options = subset.Options()
    options.flavor = flavor
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep or {0x20})
    subsetter.subset(font)
    font.flavor = flavor
    font.save(str(target))


def subset_site(site: Path, sources: dict[str, Path]) -> dict[str, tuple[int, int]]:
    """Cut every icon font in the built ``site``; ``sources`` maps each folder of
    :data:`FONT_FOLDERS` to the folder holding the original fonts. Returns
    ``{font path: (bytes before, bytes after)}``."""
    site = Path(site)
    classes = used_classes(site)
    sizes = {}
    for folder, css_glob in FONT_FOLDERS.items():
        css = "".join(path.read_text(encoding="utf-8", errors="ignore")
                      for path in sorted(site.glob(css_glob)))
        wanted = needed_codepoints(css, classes)
        for target in sorted((site / folder).glob("*.woff*")):
            source = Path(sources[folder]) / target.name
            if not source.is_file():
                continue
            subset_font(source, target, wanted)
            sizes[f"{folder}/{target.name}"] = (source.stat().st_size, target.stat().st_size)
    return sizes
