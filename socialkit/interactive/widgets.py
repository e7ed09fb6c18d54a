"""Sliders that work everywhere: in JupyterLab and on the static book page with no kernel.

A slider normally asks the Python kernel to redraw the figure, and a static page has no
kernel. Here every figure on a small grid of slider positions is drawn in advance; the images
go into an ``ipywidgets.Stack``, and the slider is linked to the stack's ``selected_index`` in
the browser (``jslink``). Moving the slider just shows another, already drawn image, with no
Python round trip, so it responds at once in JupyterLab and works on the static page too.

Drawing is split in two so that frames are cheap: a *scene* draws what never changes once,
and its *update* redraws only the lines that move (blitting). Keep grids small: every frame is
stored in the page (about 8 kB each at the kit's size, as lossless WebP).
"""
from __future__ import annotations

import base64
import html
import io
import itertools
from dataclasses import dataclass, field
from typing import Callable, Sequence

import ipywidgets as widgets
import numpy as np
from PIL import Image

from . import style

__all__ = ["Slider", "explorer", "still", "draw_scene", "figure_png", "rgb_png", "rgb_webp",
           "MAX_FRAMES", "FRAME_TOLERANCE"]

#: Most frames one explorer may hold; beyond this a page grows past its weight budget.
MAX_FRAMES = 40
#: Colours kept when compressing a frame: plenty for flat charts.
PNG_COLORS = 96
#: How far an encoded frame may stray from the figure as matplotlib drew it, per colour channel
#: (0-255): the mean over all pixels (the palette rounds flat colours by a few levels, measured
#: up to 2.3), and the share of pixels that may differ by more than ``max_step`` (a visible
#: change: a moved line or a lost label; measured at most 0.1%). tests/interactive/test_frames.py
#: checks the frames of real explorers against it.
FRAME_TOLERANCE = {"mean": 3.0, "max_step": 24, "share_over": 0.005}


@dataclass(frozen=True)
class Slider:
    """One slider of an explorer: the parameter it sets and the positions it can take.

    ``values`` are the parameter values, in order; ``format`` turns one into the label shown
    beside the slider (e.g. ``"{:.0%}"``); ``initial`` is the starting value (default: first).
    """

    label: str
    values: Sequence
    format: str = "{}"
    initial: object = None
    _labels: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if not isinstance(self.label, str) or not self.label.strip():
            raise ValueError("label must be a non-empty string naming the slider.")
        values = tuple(self.values)
        if len(values) < 2:
            raise ValueError(f"values of slider {self.label!r} must hold at least 2 positions; "
                             f"got {len(values)}.")
        if len(set(values)) != len(values):
            raise ValueError(f"values of slider {self.label!r} must be distinct; got {values}.")
        if self.initial is not None and self.initial not in values:
            raise ValueError(f"initial of slider {self.label!r} must be one of its values "
                             f"{values}; got {self.initial!r}.")
        labels = tuple(self.format.format(v) for v in values)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "_labels", labels)

    @property
    def initial_index(self) -> int:
        return 0 if self.initial is None else self.values.index(self.initial)

    def widget(self) -> widgets.SelectionSlider:
        return widgets.SelectionSlider(
            options=list(zip(self._labels, range(len(self.values)))),
            index=self.initial_index,
            description=self.label,
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 460px)"),
        )


def figure_png(fig) -> bytes:
    """Render a whole matplotlib figure to a small PNG (see :func:`rgb_png`)."""
    fig.canvas.draw()
    return rgb_png(np.asarray(fig.canvas.buffer_rgba())[..., :3])


def rgb_png(pixels: np.ndarray, *, colors: int = PNG_COLORS) -> bytes:
    """Encode an RGB pixel array as a palette PNG: a third of the bytes of a full-colour one.

    Flat charts use few colours, so quantising loses nothing a reader can see.
    """
    image = Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8), mode="RGB")
    out = io.BytesIO()
    image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE).save(out, format="png")
    return out.getvalue()


def rgb_webp(pixels: np.ndarray, *, colors: int = PNG_COLORS) -> bytes:
    """Encode an RGB pixel array as a lossless WebP of its palette image: the same pixels as
    :func:`rgb_png`, about a quarter fewer bytes (measured in BENCHMARKS.md, *Page weight*).

    >>> import io
    >>> pixels = np.zeros((20, 30, 3), dtype=np.uint8); pixels[5:15, 10:20] = (0, 114, 178)
    >>> data = rgb_webp(pixels)
    >>> data[:4], data[8:12]
    (b'RIFF', b'WEBP')
    >>> bool((np.asarray(Image.open(io.BytesIO(data)).convert("RGB")) == pixels).all())
    True
    """
    image = Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8), mode="RGB")
    out = io.BytesIO()
    # method 4: within 2% of the smallest (method 6) at a hundredth of its time
    image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE).save(
        out, format="webp", lossless=True, quality=100, method=4)
    return out.getvalue()


def draw_scene(ax, scene: Callable, **params) -> list:
    """Draw one state of a scene for good, as an ordinary static figure; return its artists.

    ``scene(ax)`` draws the parts that never change and returns ``update(**params)``, which
    sets the changing (animated) artists for one slider position and returns them.
    """
    artists = list(scene(ax)(**params))
    for artist in artists:
        artist.set_animated(False)
    return artists


def _frame(image: bytes, alt: str, mime: str = "image/webp") -> widgets.HTML:
    # An <img> in an HTML widget rather than an Image widget: it can carry real alt text.
    data = base64.b64encode(image).decode("ascii")
    return widgets.HTML(
        f'<img src="data:{mime};base64,{data}" alt="{html.escape(alt, quote=True)}" '
        f'style="max-width:100%;height:auto">'
    )


def _render_frames(scene: Callable, grid: list[dict], describe: Callable,
                   figsize, *, webp: bool = True) -> list[widgets.HTML]:
    """Draw the still parts of the figure once, then only the changing artists per frame.

    This is blitting: the background is rendered a single time and copied under every
    frame, which makes a frame about thirty times cheaper than drawing a new figure.
    """
    frames = []
    with style.figure(figsize=figsize) as (fig, ax):
        update = scene(ax)
        if not callable(update):
            raise TypeError("scene(ax) must return a function update(**params) that returns "
                            f"the artists it changed; it returned {update!r}.")
        fig.canvas.draw()
        fig.set_layout_engine("none")  # freeze the layout: every frame has the same geometry
        background = fig.canvas.copy_from_bbox(fig.bbox)
        for params in grid:
            alt = describe(**params)
            if not isinstance(alt, str) or not alt.strip():
                raise ValueError(f"describe({params}) must return a non-empty alt text string.")
            fig.canvas.restore_region(background)
            for artist in update(**params):
                if not artist.get_animated():
                    raise ValueError(f"scene artists that change must be created with "
                                     f"animated=True; {artist!r} is not.")
                artist.axes.draw_artist(artist) if artist.axes else fig.draw_artist(artist)
            pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
            frames.append(_frame(rgb_webp(pixels), alt) if webp
                          else _frame(rgb_png(pixels), alt, "image/png"))
    return frames


def explorer(scene: Callable, sliders: dict[str, Slider], *,
             describe: Callable[..., str], figsize=(7.0, 3.8)) -> widgets.VBox:
    """Build a widget whose sliders switch between precomputed figures.

    Parameters
    ----------
    scene : callable
        ``scene(ax)`` draws what stays the same at every slider position (axes, labels,
        reference lines, legend) and returns ``update(**params)``. ``update`` sets the
        artists that change (created with ``animated=True``) for one position, where
        ``params`` maps each slider's name to one of its values, and returns them.
    sliders : dict of name -> Slider
        One or two sliders, in display order. Their names are the keyword arguments of
        ``update`` and ``describe``.
    describe : callable
        ``describe(**params)`` returns the alt text of that figure: what a reader who cannot
        see it should know (the trend and the numbers that matter, not the styling).
    figsize : (width, height) in inches
        Size of each figure.

    Returns
    -------
    ipywidgets.VBox
        The sliders above the figure. Display it as a cell's last expression.
    """
    if not callable(scene):
        raise TypeError(f"scene must be a function scene(ax) -> update; got {scene!r}.")
    if not callable(describe):
        raise TypeError(f"describe must be a function describe(**params) -> str; got {describe!r}.")
    if not isinstance(sliders, dict) or not 1 <= len(sliders) <= 2:
        raise ValueError("sliders must be a dict of one or two {name: Slider(...)} entries; "
                         f"got {sliders!r}.")
    for name, slider in sliders.items():
        if not isinstance(slider, Slider):
            raise TypeError(f"sliders[{name!r}] must be a Slider(...); got {slider!r}.")
    names = list(sliders)
    shape = [len(sliders[name].values) for name in names]
    if int(np.prod(shape)) > MAX_FRAMES:
        raise ValueError(f"sliders would need {int(np.prod(shape))} precomputed figures; at "
                         f"most {MAX_FRAMES} are allowed. Use fewer slider positions.")

    grid = [dict(zip(names, combo))
            for combo in itertools.product(*(sliders[name].values for name in names))]
    frames = _render_frames(scene, grid, describe, figsize)
    controls = [sliders[name].widget() for name in names]
    first = sliders[names[0]]
    if len(names) == 1:
        stack = widgets.Stack(frames, selected_index=first.initial_index)
        widgets.jslink((controls[0], "index"), (stack, "selected_index"))
    else:
        second = sliders[names[1]]
        inner = [widgets.Stack(frames[i * shape[1]:(i + 1) * shape[1]],
                               selected_index=second.initial_index)
                 for i in range(shape[0])]
        stack = widgets.Stack(inner, selected_index=first.initial_index)
        widgets.jslink((controls[0], "index"), (stack, "selected_index"))
        for inner_stack in inner:  # the second slider turns every inner stack together
            widgets.jslink((controls[1], "index"), (inner_stack, "selected_index"))
    return widgets.VBox([*controls, stack], layout=widgets.Layout(max_width="720px"))


def still(scene: Callable, *, describe: Callable[..., str], figsize=(7.0, 3.8), **params):
    """One static figure of a scene, as an image with alt text (displays in any notebook).

    >>> from socialkit.figures.adoption import adoption_scene, describe_adoption
    >>> still(adoption_scene, describe=describe_adoption, p=0.03, q=0.38)  # doctest: +SKIP
    """
    from IPython.display import HTML

    # A still stays a PNG: it is shown at once, and other tools (the PDF, e-mail) take PNG best.
    return HTML(_render_frames(scene, [params], describe, figsize, webp=False)[0].value)
