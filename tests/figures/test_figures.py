"""Lesson figures: explorers have the intended grids, and alt text states the right numbers."""
import re


from socialkit import bass, relevance
from socialkit.figures import adoption, relevance as relevance_figures


def alts(box):
    stack = box.children[-1]
    return [re.search(r'alt="([^"]*)"', frame.value).group(1)
            for inner in stack.children for frame in inner.children]


def test_adoption_explorer_grid_and_alt_text():
    box = adoption.adoption_explorer()
    p_slider, q_slider, stack = box.children
    assert len(stack.children) == len(adoption.P_VALUES)
    assert p_slider.index == adoption.P_VALUES.index(bass.TYPICAL_P)
    assert q_slider.index == adoption.Q_VALUES.index(bass.TYPICAL_Q)
    texts = alts(box)
    assert len(texts) == len(adoption.P_VALUES) * len(adoption.Q_VALUES)
    assert len(set(texts)) == len(texts)


def test_adoption_alt_text_numbers():
    text = adoption.describe_adoption(0.03, 0.38)
    assert "33% after 5 years" in text and "81% after 10" in text and "year 6.2" in text
    assert "at once" in adoption.describe_adoption(0.1, 0.1)


def test_relevance_explorer_grid():
    box = relevance_figures.relevance_explorer()
    texts = alts(box)
    assert len(texts) == len(relevance_figures.ENTRY_VALUES) * len(relevance_figures.LISTENING_VALUES)
    assert any("enters the connected channel in year 4 and spends 50%" in t for t in texts)


def test_your_business_alt_text_matches_the_model():
    text = relevance_figures.describe_your_business(0, 1.0)
    end = float(relevance.relevance(relevance.HORIZON_YEARS, entry_time=0, listening_share=1.0))
    assert f"ends at {end:.0%}" in text


def test_archetype_alt_text_mentions_every_archetype():
    text = relevance_figures.describe_archetypes()
    for archetype in relevance.ARCHETYPES.values():
        assert archetype.label in text
