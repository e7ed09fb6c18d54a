"""The static-capable slider widgets: structure, links, frames, alt text and argument checks."""
import base64
import re

import ipywidgets as widgets
from ipywidgets.widgets.widget import _instances
from ipywidgets.widgets.widget_link import Link
import numpy as np
import pytest
from PIL import Image
import io

from socialkit.interactive.widgets import MAX_FRAMES, Slider, draw_scene, explorer, still


def line_scene(ax):
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 4)
    line, = ax.plot([], [], animated=True)

    def update(a, b=0):
        line.set_data([0, 1], [a, a + b])
        return [line]

    return update


def describe(a, b=0):
    return f"A line from {a} to {a + b}."


def images(html_widget):
    match = re.search(r'src="data:image/(?:png|webp);base64,([^"]+)" alt="([^"]*)"', html_widget.value)
    assert match, html_widget.value[:200]
    return base64.b64decode(match.group(1)), match.group(2)


def links(widget):
    # jslink objects live only in ipywidgets' registry of widget instances.
    return [w for w in _instances.values() if isinstance(w, Link)]


def test_one_slider_links_index_to_stack():
    box = explorer(line_scene, {"a": Slider("Level", [1, 2, 3], initial=2)}, describe=describe)
    slider, stack = box.children
    assert isinstance(slider, widgets.SelectionSlider) and isinstance(stack, widgets.Stack)
    assert slider.index == stack.selected_index == 1
    assert [label for label, _ in slider.options] == ["1", "2", "3"]
    assert any(l.source == (slider, "index") and l.target == (stack, "selected_index")
               for l in links(box))
    pngs = [images(frame) for frame in stack.children]
    assert [alt for _, alt in pngs] == ["A line from 1 to 1.", "A line from 2 to 2.", "A line from 3 to 3."]
    # Different positions give different pictures, and each is a small lossless WebP.
    assert len({png for png, _ in pngs}) == 3
    for png, _ in pngs:
        image = Image.open(io.BytesIO(png))
        assert image.format == "WEBP"
        assert len(png) < 30_000


def test_two_sliders_nest_stacks_in_order():
    box = explorer(line_scene, {"a": Slider("A", [0, 1]), "b": Slider("B", [0, 1, 2], initial=2)},
                   describe=describe)
    first, second, outer = box.children
    assert len(outer.children) == 2 and all(len(s.children) == 3 for s in outer.children)
    assert all(s.selected_index == 2 for s in outer.children)
    _, alt = images(outer.children[1].children[2])
    assert alt == "A line from 1 to 3."
    found = links(box)
    for inner in outer.children:
        assert any(l.source == (second, "index") and l.target == (inner, "selected_index") for l in found)


def test_frames_match_a_full_redraw():
    # Blitting must give the same picture as drawing the figure from scratch.
    from socialkit import style
    from socialkit.interactive.widgets import figure_png
    box = explorer(line_scene, {"a": Slider("A", [1, 3])}, describe=describe)
    blitted, _ = images(box.children[1].children[1])
    with style.figure(figsize=(7.0, 3.8)) as (fig, ax):
        draw_scene(ax, line_scene, a=3)
        full = figure_png(fig)
    a = np.asarray(Image.open(io.BytesIO(blitted)).convert("RGB"), dtype=int)
    b = np.asarray(Image.open(io.BytesIO(full)).convert("RGB"), dtype=int)
    assert a.shape == b.shape
    assert np.mean(np.abs(a - b)) < 2.0


def test_alt_text_is_escaped():
    box = explorer(line_scene, {"a": Slider("A", [1, 2])},
                   describe=lambda a: f'"quoted" <b>{a}</b> & more')
    assert 'alt="&quot;quoted&quot; &lt;b&gt;1&lt;/b&gt; &amp; more"' in box.children[1].children[0].value


def test_still_returns_an_image_with_alt():
    html = still(line_scene, describe=describe, a=2)
    assert 'alt="A line from 2 to 2."' in html.data


@pytest.mark.parametrize("call, exc, message", [
    (lambda: explorer("no", {"a": Slider("A", [1, 2])}, describe=describe), TypeError, "scene must be"),
    (lambda: explorer(line_scene, {"a": Slider("A", [1, 2])}, describe=None), TypeError, "describe must be"),
    (lambda: explorer(line_scene, {}, describe=describe), ValueError, "one or two"),
    (lambda: explorer(line_scene, {"a": [1, 2]}, describe=describe), TypeError, r"sliders\['a'\] must be a Slider"),
    (lambda: explorer(line_scene, {"a": Slider("A", range(7)), "b": Slider("B", range(7))},
                      describe=describe), ValueError, f"at most {MAX_FRAMES}"),
    (lambda: explorer(line_scene, {"a": Slider("A", [1, 2])}, describe=lambda a: ""), ValueError, "alt text"),
    (lambda: explorer(lambda ax: None, {"a": Slider("A", [1, 2])}, describe=describe), TypeError, "must return a function"),
    (lambda: Slider("A", [1]), ValueError, "at least 2"),
    (lambda: Slider("A", [1, 1]), ValueError, "distinct"),
    (lambda: Slider("A", [1, 2], initial=5), ValueError, "initial"),
    (lambda: Slider("", [1, 2]), ValueError, "label"),
])
def test_bad_arguments_are_explained(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_changing_artists_must_be_animated():
    def scene(ax):
        line, = ax.plot([0, 1], [0, 1])
        return lambda a: [line]
    with pytest.raises(ValueError, match="animated=True"):
        explorer(scene, {"a": Slider("A", [1, 2])}, describe=describe)
