"""Every page's first visit within its budget, measured as issue 22 counts it: every request a
first visit makes in Chromium, shared assets included, each file at its gzip size (1 MB for any
page, 300 kB for a page of text only). Also: the ways the budget is met keep the book working
(icons drawn without the icon-font script, hidden slider frames fetched only when shown).
Rules encoded: socialkit/site/pageweight.py, socialkit/site/lightweight.py."""
from __future__ import annotations

import pytest

from support.browser import PAGE_READY, PageWatch, site_pages
from socialkit.site import pageweight

pytestmark = [pytest.mark.browser, pytest.mark.book]
LESSON = "notebooks/02-shiny-object-syndrome.html"


@pytest.fixture(scope="module")
def weights(browser, base_url, site):
    return {w.page: w for w in pageweight.measure(browser, base_url, site_pages(site))}


def test_every_page_within_its_first_visit_budget(weights):
    print(pageweight.table(list(weights.values())))
    heavy = pageweight.over_budget(list(weights.values()))
    assert not heavy, "First visit over budget (gzip, every request):\n  " + "\n  ".join(
        pageweight.explain(w) for w in heavy)


def test_the_count_includes_shared_assets_and_kinds(weights):
    case, lesson = weights["book/case.html"], weights[LESSON]
    assert case.is_text and case.budget == pageweight.TEXT_BUDGET
    assert not lesson.is_text and lesson.budget == pageweight.BUDGET
    for weight in (case, lesson):
        assert weight.page in weight.gzipped, "the page's own HTML is not counted"
        assert "_static/styles/pydata-sphinx-theme.css" in weight.gzipped, "shared assets not counted"
        assert weight.gzip_bytes == sum(weight.gzipped.values()) < weight.raw_bytes
    assert "_static/vendor/html-manager/embed.js" in lesson.gzipped
    assert not any(path.endswith("fontawesome.js") for w in weights.values() for path in w.gzipped), \
        "a page still loads the icon-font script"


def test_mathjax_only_where_there_is_maths(weights, site):
    for page, weight in weights.items():
        has_maths = 'class="math notranslate' in (site / page).read_text(encoding="utf-8")
        loads = any("vendor/mathjax/" in path for path in weight.gzipped)
        if not has_maths and "data-shufflequestions" not in (site / page).read_text(encoding="utf-8"):
            assert not loads, f"{page} has no maths but loads MathJax"


def cut_font(site, name: str) -> set[int]:
    from fontTools.ttLib import TTFont
    return set(TTFont(str(site / "_static/vendor/fontawesome/webfonts" / name)).getBestCmap())


ICON_JS = """() => Array.from(document.querySelectorAll('i.fa-solid, i.fa-brands, i.fab, i.fas'))
  .filter(icon => icon.checkVisibility())
  .map(icon => ({cls: icon.className, width: icon.getBoundingClientRect().width,
                 content: getComputedStyle(icon, '::before').content}))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_icons_are_drawn_without_the_icon_script(browser, base_url, site, scheme):
    """The theme's icons come from its style sheet and the cut web font: each visible icon has
    its glyph, the font it needs has loaded, and no glyph is missing from the cut font."""
    context = browser.new_context(color_scheme=scheme)
    watch = PageWatch(base_url).attach(context)
    try:
        page = context.new_page()
        page.goto(base_url + LESSON, wait_until="load")
        page.wait_for_function(PAGE_READY, timeout=30_000)
        page.evaluate("document.fonts.ready")
        icons = page.evaluate(ICON_JS)
        assert len(icons) >= 3, icons
        for icon in icons:
            assert icon["content"] not in ("none", "normal", '""'), f"{icon['cls']} has no glyph"
            assert icon["width"] > 4, f"{icon['cls']} is drawn {icon['width']} px wide"
        loaded = page.evaluate("Array.from(document.fonts).filter(f => f.status === 'loaded')"
                               ".map(f => f.family)")
        assert any("Font Awesome 6" in family for family in loaded), loaded
        # The marks the style sheet draws itself (an admonition's icon) need their glyphs too.
        marks = page.evaluate("""() => Array.from(document.querySelectorAll('.admonition-title'))
          .map(title => getComputedStyle(title, '::after').content)
          .filter(content => content && content !== 'none' && content !== 'normal')""")
        assert marks, "the lesson shows no admonition with an icon"
        icons += [{"cls": "fa-solid admonition mark", "content": mark} for mark in marks]
        # A glyph missing from the cut font would be drawn from a fallback font (a blank box).
        for icon in icons:
            brands = {"fa-brands", "fab"} & set(icon["cls"].split())
            font = "fa-brands-400.woff2" if brands else "fa-solid-900.woff2"
            codepoint = ord(icon["content"].strip('"')[0])
            assert codepoint in cut_font(site, font), (
                f"{icon['cls']}: glyph U+{codepoint:04X} is missing from the cut {font}")
    finally:
        context.close()
    assert not watch.problems(), watch.problems()


def test_hidden_frames_load_only_when_shown(browser, base_url, site):
    """A first visit fetches the frames the sliders show; moving a slider fetches its next one."""
    context = browser.new_context()
    watch = PageWatch(base_url).attach(context)
    try:
        page = context.new_page()
        page.goto(base_url + LESSON, wait_until="load")
        page.wait_for_function(PAGE_READY, timeout=30_000)
        watch.wait_quiet(page)
        frames_at_first = {url for url in watch.requests if "/_images/frames/" in url}
        shown = page.evaluate("""() => new Set(Array.from(document.querySelectorAll('.widget-subarea img'))
          .filter(img => img.checkVisibility() && img.src.includes('/_images/frames/'))
          .map(img => img.src)).size""")
        assert frames_at_first, "the page shows no slider frame"
        assert len(frames_at_first) == shown, (
            f"a first visit fetched {len(frames_at_first)} frames for the {shown} it shows")
        handle = page.locator('[role="slider"]').first
        handle.scroll_into_view_if_needed()
        with page.expect_request(lambda request: "/_images/frames/" in request.url
                                 and request.url not in frames_at_first, timeout=10_000):
            handle.focus()
            page.keyboard.press("End")
    finally:
        context.close()
    assert not watch.problems(), watch.problems()
