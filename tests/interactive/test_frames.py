"""Slider frames are encoded small (lossless WebP of a palette image) without a difference a
reader could see: every frame of real explorers, decoded, is compared pixel by pixel with the
figure as matplotlib drew it, within ``FRAME_TOLERANCE`` (socialkit/interactive/widgets.py)."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from socialkit.figures import adoption, channels, content, relevance
from socialkit.interactive import widgets as W


@pytest.fixture
def recorded(monkeypatch):
    """Every (original pixels, encoded frame) pair the explorers built in the test make."""
    pairs = []
    encode = W.rgb_webp

    def recording(pixels, **options):
        data = encode(pixels, **options)
        pairs.append((np.array(pixels, dtype=np.uint8), data))
        return data

    monkeypatch.setattr(W, "rgb_webp", recording)
    return pairs


@pytest.mark.parametrize("make", [adoption.adoption_explorer, relevance.relevance_explorer,
                                  channels.hours_explorer, content.mix_explorer],
                         ids=["adoption", "relevance", "hours", "content mix"])
def test_every_frame_matches_its_figure_within_tolerance(recorded, make):
    make()
    assert len(recorded) >= 2, "the explorer drew no frames"
    tolerance = W.FRAME_TOLERANCE
    for number, (original, data) in enumerate(recorded):
        decoded = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=int)
        assert decoded.shape == original.shape, f"frame {number} changed size"
        difference = np.abs(decoded - original.astype(int))
        where = f"frame {number + 1} of {len(recorded)}"
        assert difference.mean() <= tolerance["mean"], (
            f"{where}: mean difference {difference.mean():.2f} per channel")
        share = (difference.max(axis=2) > tolerance["max_step"]).mean()
        assert share <= tolerance["share_over"], (
            f"{where}: {share:.2%} of the pixels differ by more than {tolerance['max_step']}")


def test_webp_frames_are_smaller_than_palette_pngs(recorded):
    adoption.adoption_explorer()
    webp = sum(len(data) for _, data in recorded)
    png = sum(len(W.rgb_png(pixels)) for pixels, _ in recorded)
    assert webp < 0.9 * png, f"WebP {webp} bytes against palette PNG {png} bytes"


def test_webp_keeps_the_palette_images_pixels_exactly(recorded):
    relevance.relevance_explorer()
    pixels, data = recorded[0]
    from_png = np.asarray(Image.open(io.BytesIO(W.rgb_png(pixels))).convert("RGB"))
    from_webp = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert (from_png == from_webp).all(), "lossless WebP changed the quantised picture"


def test_docstring_examples_run():
    import doctest
    assert doctest.testmod(W, raise_on_error=False).failed == 0
