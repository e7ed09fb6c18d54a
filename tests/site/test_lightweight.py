"""The build's light-first-visit steps on small pages of our own (socialkit/site/frames.py,
iconfonts.py, lightweight.py); the built book itself is measured in tests/browser/test_pageweight.py."""
from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
from PIL import Image

from socialkit.interactive.widgets import rgb_webp
from socialkit.site import frames, iconfonts, lightweight


def frame(colour) -> str:
    pixels = np.zeros((8, 8, 3), dtype=np.uint8)
    pixels[:] = colour
    data = base64.b64encode(rgb_webp(pixels)).decode()
    return f'<img src="data:image/webp;base64,{data}" alt="frame {colour}" style="max-width:100%">'


def page_with_stack(tmp_path, selected=1):
    state = {"version_major": 2, "version_minor": 0, "state": {
        "stack": {"model_name": "StackModel", "state": {"selected_index": selected,
                  "children": ["IPY_MODEL_a", "IPY_MODEL_b"]}},
        "a": {"model_name": "HTMLModel", "state": {"value": frame((255, 0, 0))}},
        "b": {"model_name": "HTMLModel", "state": {"value": frame((0, 0, 255))}},
        "text": {"model_name": "HTMLModel", "state": {"value": "<b>no image</b></script>"}}}}
    folder = tmp_path / "notebooks"
    folder.mkdir()
    page = folder / "lesson.html"
    body = json.dumps(state).replace("</", "<\\/")
    page.write_text('<html><head></head><body><script type="application/vnd.jupyter.widget-state+json">'
                    f"{body}</script><p>text</p></body></html>", encoding="utf-8")
    return page


def read_state(page):
    text = page.read_text(encoding="utf-8")
    return json.loads(frames.STATE_SCRIPT.search(text).group(2))["state"]


def test_frames_become_files_and_only_hidden_ones_are_lazy(tmp_path):
    page = page_with_stack(tmp_path, selected=1)
    assert frames.externalise_site(tmp_path) == 2
    state = read_state(page)
    hidden, shown = state["a"]["state"]["value"], state["b"]["state"]["value"]
    assert "data:" not in hidden + shown
    assert 'loading="lazy"' in hidden and 'loading="lazy"' not in shown
    assert 'alt="frame (255, 0, 0)"' in hidden  # the rest of the tag is kept
    for value, colour in ((hidden, (255, 0, 0)), (shown, (0, 0, 255))):
        src = re.search(r'src="([^"]+)"', value).group(1)
        assert src.startswith("../_images/frames/")
        image = Image.open(io.BytesIO((page.parent / src).read_bytes())).convert("RGB")
        assert image.getpixel((4, 4)) == colour, "the file is not the frame it replaced"
    assert "</script>" not in page.read_text().split("widget-state+json\">")[1].split("</script>")[0]
    assert state["text"]["state"]["value"] == "<b>no image</b></script>"


def test_externalising_twice_changes_nothing(tmp_path):
    page = page_with_stack(tmp_path)
    frames.externalise_site(tmp_path)
    once = page.read_text()
    assert frames.externalise_site(tmp_path) == 0
    assert page.read_text() == once


def test_icon_script_is_dropped(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<head>\n  <script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
                    '  <script defer src="../_static/scripts/bootstrap.js"></script>\n</head>')
    assert lightweight.drop_icon_script(tmp_path) == 1
    assert "fontawesome" not in page.read_text() and "bootstrap.js" in page.read_text()


def test_font_keeps_used_and_always_drawn_icons():
    css = ('.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}.fa-cat:before{content:"\\f6be"}'
           '.admonition-title:after{content:"\\f05a"}.x{color:red}')
    assert iconfonts.needed_codepoints(css, {"fa-navicon"}) == {0xF0C9, 0xF05A}
    assert iconfonts.needed_codepoints(css, set()) == {0xF05A}
    # An icon written as the character itself (the theme's --pst-icon-* variables).
    assert iconfonts.needed_codepoints(':root{--pst-icon-lightbulb:"\uf0eb"}', set()) == {0xF0EB}
    # The same rules inside a JavaScript bundle (the widget manager's), backslashes doubled.
    assert iconfonts.needed_codepoints(css.replace("\\", "\\\\"), {"fa-cat"}) == {0xF6BE, 0xF05A}


def test_docstring_examples_of_the_site_modules_run():
    import doctest

    from socialkit.site import pageweight, pdf, pdfquiz
    for module in (frames, iconfonts, lightweight, pageweight, pdf, pdfquiz):
        assert doctest.testmod(module, raise_on_error=False).failed == 0, module.__name__
