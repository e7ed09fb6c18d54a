"""Exercise 5 (be social, not a billboard): every autograded point is earned on the student's own
market and feed.

The rules encoded are issue 18's "proof per question" and the master's own test cells
(exercises/05-be-social-not-a-billboard.ipynb), run by otter's rule for points (support.variants);
the held-out markets and feeds (socialkit/course/heldout.py) stay as they were."""
from __future__ import annotations

from socialkit.course import variants
from socialkit.models import content
from support.variants import graded_as, proof_tests

STEM = "05-be-social-not-a-billboard"
QUESTIONS = ("q1", "q2")
#: each question's function, and the kit's own answer under that name, as a student would write it
KIT_UNDER_ANOTHER_NAME = {
    "q1": ("best_promo_share", "def best_promo_share(market, posts_per_week):\n"
                               "    return content.best_promo_share(market, posts_per_week)"),
    "q2": ("content_mix", "def content_mix(feed):\n    return content.mix_of(feed['kind'])"),
}
#: the questions that ask for values, and those values
VALUES = {"q1": ("cc_best_share", "cc_best_share_10"), "q2": ("cc_mix_2025", "habit_sales")}


(test_the_solution_earns_full_points_on_every_variant, test_the_public_values_typed_in_earn_nothing,
 test_the_kits_function_under_another_name_earns_nothing, test_blank_answers_earn_nothing) = \
    proof_tests(STEM, QUESTIONS, VALUES, KIT_UNDER_ANOTHER_NAME)


def test_each_student_has_their_own_market_and_feed_with_other_answers():
    public = variants.generate(STEM)
    best = [content.best_promo_share(public["market"], n) for n in (5, 10)]
    seen = set()
    for k in range(12):
        with graded_as(f"s{k:04d}"):
            own = variants.current(STEM)
        for n, theirs in zip((5, 10), best):
            assert abs(content.best_promo_share(own["market"], n) - theirs) > 0.015  # the tests' tolerance
        assert content.mix_of(own["feed"]["kind"]) != content.mix_of(public["feed"]["kind"])
        seen.add((own["market"].followers, len(own["feed"])))
    assert len(seen) == 12
