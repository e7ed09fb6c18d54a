"""A Sphinx extension that keeps a first visit light (issue 22; BENCHMARKS.md, *Page weight*).

* no icon-font JavaScript: the theme's ``fontawesome.js`` (1.5 MB, 540 kB gzipped) turns icon
  tags into SVG; without it the same tags are drawn by the theme's own Font Awesome style
  sheet and web font, which :mod:`socialkit.site.iconfonts` cuts to the icons the book shows;
* slider frames as image files, the hidden ones loaded when shown (:mod:`socialkit.site.frames`);
* MathJax only on pages that show maths (Sphinx also loads it on a page whose table of
  contents includes maths), loaded as its parts without the context menu (``_config.yml``:
  ``startup.js`` and ``loader.load``).

Turned on by ``socialkit.site.sphinx_offline``, which every build of the book loads.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import frames, iconfonts

#: The theme writes this tag straight into its page template (not through Sphinx's script list).
ICON_SCRIPT = re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?')


def drop_icon_script(site: Path) -> int:
    """Remove the icon-font script from every built page; return how many pages had it."""
    changed = 0
    for page in Path(site).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lighter = ICON_SCRIPT.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
            changed += 1
    return changed


#: What on a page needs MathJax: maths (Sphinx's markup) or a quiz (jupyterquiz typesets its own).
NEEDS_MATHJAX = ('class="math', "data-shufflequestions")


def _mathjax_only_with_maths(app, pagename, templatename, context, doctree) -> None:
    """Sphinx loads MathJax on a page whose toctree includes a page with maths (the book's
    first page includes them all); keep it only where the page itself shows maths."""
    if any(marker in context.get("body", "") for marker in NEEDS_MATHJAX):
        return
    context["script_files"] = [
        script for script in context.get("script_files") or []
        if "mathjax" not in str(getattr(script, "filename", script)).lower()
        and not str(getattr(script, "attributes", {}).get("body", "")).startswith("window.MathJax")]


def font_sources(app) -> dict[str, Path]:
    """Where the original icon fonts are: the theme's static folder and the book's assets."""
    candidates = [Path(folder) / "static" / "vendor" / "fontawesome" / "webfonts"
                  for folder in app.builder.theme.get_theme_dirs()]
    theme_fonts = next((folder for folder in candidates if folder.is_dir()), Path("/nonexistent"))
    return {"_static/vendor/fontawesome/webfonts": theme_fonts,
            "_static/vendor/html-manager": Path(app.srcdir) / "_assets" / "vendor" / "html-manager"}


def _lighten(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    drop_icon_script(site)
    moved = frames.externalise_site(site)
    sizes = iconfonts.subset_site(site, font_sources(app))
    before = sum(b for b, _ in sizes.values())
    after = sum(a for _, a in sizes.values())
    print(f"lightweight: {moved} slider frames moved out of their pages; icon fonts "
          f"{before / 1000:,.0f} kB -> {after / 1000:,.0f} kB")


def setup(app):
    app.connect("html-page-context", _mathjax_only_with_maths, priority=910)
    app.connect("build-finished", _lighten)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
