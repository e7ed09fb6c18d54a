"""Numbers the book's prose states as results of its models are recomputed here.

A lesson that says "a third of customers after five years" or "703 posts" is making a claim
about a model or a data set. If a change to the model or the data makes the sentence false, this
test fails instead of the book publishing it.

Each :class:`Claim` names a file and the words as they stand in it (line breaks do not matter).
Two kinds of claim:

* ``says`` with ``{}`` fields and a ``value``: the fields are filled from the model (with their
  format, e.g. ``{:.0%}``) and the filled-in sentence must be in the file. Use this for numbers
  printed as such ("703 posts", "94%").
* ``says`` without fields and a ``holds`` check: the words must be in the file and the check must
  be true. Use this for numbers in words ("a third", "nearly ten times", "six channels").

A new chapter adds its rows to :data:`CLAIMS` (one block per file). Keep each ``says`` short
enough to survive rewording of the sentence around it, and long enough to be unambiguous.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from socialkit import bass, channels, listening, relevance, statements
from socialkit.figures import adoption
from socialkit.figures import statements as statement_figures
from support.exercises import held_out_statements
from support.prose import REPO, squash, text_of


@dataclass(frozen=True)
class Claim:
    path: str  # relative to the repository
    says: str  # the words in the file; {} fields are filled from `value`
    value: Callable[[], object] | None = None  # a value, or a tuple of values, for the fields
    holds: Callable[[], bool] | None = None  # a check of the model that makes the words true

    def expected(self) -> str:
        if self.value is None:
            return self.says
        values = self.value()
        return self.says.format(*(values if isinstance(values, tuple) else (values,)))


def about(x: float, target: float, tolerance: float) -> bool:
    return abs(float(x) - target) <= tolerance


# --- the models' numbers, each computed once -----------------------------------------------------
F = bass.cumulative_adoption
LINDENFORD = dict(p=0.02, q=0.5)  # Exercise 1's assumed coefficients
YEARS = np.arange(relevance.HORIZON_YEARS + 1, dtype=float)


@lru_cache(maxsize=None)
def archetype(name: str) -> np.ndarray:
    a = relevance.ARCHETYPES[name]
    return relevance.relevance(YEARS, entry_time=a.entry_time, listening_share=a.listening_share)


def delay_cost_grows_faster_than_delay() -> bool:
    for p, q, build in itertools.product(adoption.P_VALUES, adoption.Q_VALUES, (0.0, 1.0, 2.0, 3.0, 4.0)):
        lost = [relevance.relevance_lost(d, p=p, q=q, build_years=build) for d in range(11)]
        if not np.all(np.diff(np.diff(lost)) > 0):
            return False
    return True


def delay_cost_ignores_b() -> bool:
    return all(about(relevance.relevance_lost(d, broadcast_quality=b), relevance.relevance_lost(d), 1e-12)
               for d in (1, 4, 8) for b in (0.0, 0.5, 1.0))


def broadcasting_free_at_b_1() -> bool:
    kw = dict(entry_time=1.0, broadcast_quality=1.0)
    return np.allclose(relevance.relevance(YEARS, listening_share=0.0, **kw),
                       relevance.relevance(YEARS, listening_share=1.0, **kw))


@lru_cache(maxsize=None)
def year_totals(new_network_share: float | None = None) -> dict[str, float]:
    market = channels.Market.cobble_and_chain()
    if new_network_share is not None:
        shares = np.where(market.is_new, new_network_share, market.customer_shares)
        market = channels.Market(market.names, tuple(shares), market.launch_weeks)
    return channels.simulate(channels.STRATEGIES, market).totals()


def ratio(a: str, b: str) -> float:
    totals = year_totals()
    return totals[a] / totals[b]


@lru_cache(maxsize=None)
def best_channels(mastery_hours: float) -> int:
    values = {n: channels.simulate(channels.focus_on(n), mastery_hours=mastery_hours).cumulative[0, -1]
              for n in range(1, 9)}
    return max(values, key=values.get)


@lru_cache(maxsize=None)
def wins(mine: str, rival: str) -> float:
    return channels.compare(channels.STRATEGIES[mine], channels.STRATEGIES[rival], seeds=range(100))["wins"]


def random_markets_new_networks() -> tuple[set, float, float]:
    counts, shares = set(), []
    for seed in range(300):
        m = channels.Market.random(seed)
        counts.add(int(m.is_new.sum()))
        shares += [s for s, new in zip(m.customer_shares, m.is_new) if new]
    return counts, min(shares), max(shares)


@lru_cache(maxsize=None)
def confusion(threshold: float = 0.0, weight: float = 1.0) -> statements.Confusion:
    return statements.evaluate(
        lambda s: statements.baseline_classify(s, threshold=threshold, problem_weight=weight))


def best_accuracy() -> float:
    return max(confusion(t, w).accuracy
               for t in statement_figures.THRESHOLD_VALUES for w in statement_figures.WEIGHT_VALUES)


def zero_scores() -> int:
    return sum(statements.baseline_score(s.text) == 0 for s in statements.load())


def held_out_baseline_accuracy() -> float:
    hidden = held_out_statements()
    return sum(statements.baseline_classify(t) == label for t, label in hidden) / len(hidden)


@lru_cache(maxsize=1)
def posts():
    return listening.load_posts()


@lru_cache(maxsize=1)
def summary():
    return listening.channel_summary(posts())


def channel(name: str, column: str):
    return summary().loc[name, column]


def unanswered_share(name: str) -> float:
    return channel(name, "unanswered") / summary()["unanswered"].sum()


@lru_cache(maxsize=1)
def weekdays():
    return listening.weekday_summary(posts())["median_response_hours"]


def weekday_medians_between(low: float, high: float) -> bool:
    return all(low <= weekdays()[d] <= high for d in listening.WEEKDAYS[:5])


def unmet() -> dict[str, int]:
    return listening.unmet_needs(posts()).to_dict()


# --- the claims, file by file --------------------------------------------------------------------
CH1 = "notebooks/01-ignorance-arrogance-irrelevance.ipynb"
EX1 = "exercises/01-ignorance-arrogance-irrelevance.ipynb"
Q1 = "socialkit/interactive/quizzes/01-ignorance-arrogance-irrelevance.json"
R1 = "book/rubrics/01-ignorance-arrogance-irrelevance.md"
CH2 = "notebooks/02-shiny-object-syndrome.ipynb"
EX2 = "exercises/02-shiny-object-syndrome.ipynb"
Q2 = "socialkit/interactive/quizzes/02-shiny-object-syndrome.json"
CH3 = "notebooks/03-customer-centric-questions.ipynb"
EX3 = "exercises/03-customer-centric-questions.ipynb"
Q3 = "socialkit/interactive/quizzes/03-customer-centric-questions.json"
CH4 = "notebooks/04-listen-first.ipynb"
EX4 = "exercises/04-listen-first.ipynb"
Q4 = "socialkit/interactive/quizzes/04-listen-first.json"
R4 = "book/rubrics/04-listen-first.md"

CLAIMS = [
    # Chapter 1: the Bass curve and the relevance model
    Claim(CH1, "a little over six years in", holds=lambda: 6.0 < bass.peak_time(0.03, 0.38) < 6.5),
    Claim(CH1, "a third of customers after five years", holds=lambda: about(F(5), 1 / 3, 0.02)),
    Claim(CH1, "Five years later, four in five have moved", holds=lambda: about(F(10), 0.8, 0.02)),
    Claim(CH1, "With the typical values, four in five customers have moved after ten years",
          holds=lambda: about(F(10), 0.8, 0.02)),
    Claim(CH1, "With the slowest pair the sliders offer, $p = 0.01$ and $q = 0.1$, fewer than half "
          "have moved after twenty years",
          holds=lambda: (min(adoption.P_VALUES), min(adoption.Q_VALUES)) == (0.01, 0.1)
          and F(20, 0.01, 0.1) < 0.5),
    Claim(CH1, "does not depend on $b$ at all", holds=delay_cost_ignores_b),
    Claim(CH1, "grows faster than the delay for every pair of $p$ and $q$ on this page's sliders and "
          "every build-up time from zero to four years", holds=delay_cost_grows_faster_than_delay),
    Claim(CH1, "vanishes at $b = 1$", holds=broadcasting_free_at_b_1),
    Claim(CH1, "to about 85% by year 15", holds=lambda: about(archetype("connected")[15], 0.85, 0.01)),
    Claim(CH1, "By then more than half of its customers have moved", holds=lambda: F(8) > 0.5),
    Claim(CH1, "falls to about a third of its attention",
          holds=lambda: about(archetype("ignorant").min(), 1 / 3, 0.03)),
    Claim(CH1, "worth a fifth of a listening one", holds=lambda: relevance.presence_quality(0.0) == 0.2),
    Claim(CH1, "ends, like the arrogant one, near 22%",
          holds=lambda: about(archetype("arrogant")[15], 0.22, 0.005)
          and about(archetype("ignorant_and_arrogant")[15], 0.22, 0.005)),
    Claim(CH1, "The cost grows faster than the delay", holds=delay_cost_grows_faster_than_delay),
    Claim(Q1, "ln(0.38/0.03)/(0.03+0.38) ≈ {:.1f} years", value=lambda: bass.peak_time(0.03, 0.38)),
    Claim(Q1, "By then almost half of the customers have moved",
          holds=lambda: 0.4 < F(bass.peak_time(0.03, 0.38)) < 0.5),
    Claim(Q1, "early entry with no listening ends near 22%",
          holds=lambda: about(archetype("arrogant")[15], 0.22, 0.005)),
    # Exercise 1 (sample answer and rubric): Lindenford's assumed p = 0.02, q = 0.5
    Claim(EX1, "the group gains members fastest about six years in",
          holds=lambda: 5.5 < bass.peak_time(**LINDENFORD) < 6.5),
    Claim(EX1, "only {:.0%} of our customers are there", value=lambda: F(bass.peak_time(**LINDENFORD), **LINDENFORD)),
    Claim(EX1, "joining one year late costs about {:.2f} relevance-years",
          value=lambda: relevance.relevance_lost(1, listening_share=0.75, **LINDENFORD)),
    Claim(EX1, "four years late about {:.2f}, more than ten times as much",
          value=lambda: relevance.relevance_lost(4, listening_share=0.75, **LINDENFORD),
          holds=lambda: relevance.relevance_lost(4, listening_share=0.75, **LINDENFORD)
          > 10 * relevance.relevance_lost(1, listening_share=0.75, **LINDENFORD)),
    Claim(R1, '"times_as_costly = {:.1f}"', value=lambda: relevance.relevance_lost(4, listening_share=0.75, **LINDENFORD)
          / relevance.relevance_lost(1, listening_share=0.75, **LINDENFORD)),
    Claim(R1, "both happen to peak about six years in",
          holds=lambda: all(6.0 < bass.peak_time(p, q) < 6.4 for p, q in [(0.03, 0.38), (0.02, 0.5)])),

    # Chapter 2: the year of social media work
    Claim(CH2, "The focused team earns roughly three times as much as the team that spreads evenly and "
          "nearly ten times as much as the team that chases",
          holds=lambda: 2.5 < ratio("focus_on_customers", "spread_evenly") < 3.5
          and 9.0 < ratio("focus_on_customers", "chase_newest") < 10.0),
    Claim(CH2, "When a channel takes 40 hours of practice to learn, one or two channels are best. When "
          "it takes only 5 hours, six channels are best",
          holds=lambda: best_channels(40) in (1, 2) and best_channels(5) == 6),
    Claim(CH2, "Focusing on customers beats chasing in every one of the hundred markets",
          holds=lambda: wins("focus_on_customers", "chase_newest") == 1.0),
    Claim(CH2, "Spreading evenly usually beats chasing too, but not always, and it loses to focus in "
          "almost every market",
          holds=lambda: 0.5 < wins("spread_evenly", "chase_newest") < 1.0
          and 0.95 <= wins("focus_on_customers", "spread_evenly") < 1.0),
    Claim(CH2, "New networks keep coming, two to five a year",
          holds=lambda: random_markets_new_networks()[0] == {2, 3, 4, 5}),
    Claim(CH2, "they settle at between 2% and 30% of the business's customers",
          holds=lambda: 0.02 <= random_markets_new_networks()[1] and random_markets_new_networks()[2] <= 0.30),
    Claim(CH2, "Chasing earns far more as the new networks win more customers, yet the focused team "
          "stays ahead",
          holds=lambda: year_totals(0.9)["chase_newest"] > 3 * year_totals(0.1)["chase_newest"]
          and all(year_totals(s)["focus_on_customers"] > year_totals(s)["chase_newest"]
                  for s in (0.1, 0.5, 0.9))),
    Claim(CH2, "Switching every week throws half the hours away on restarts",
          holds=lambda: channels.DEFAULT_RESTART_HOURS / (4.0 / 2) == 0.5),
    Claim(EX2, "the focused team earned about nine and a half times as much",
          holds=lambda: 9.2 < ratio("focus_on_customers", "chase_newest") < 9.8),
    Claim(Q2, "the best number rises to four or six", holds=lambda: (best_channels(10), best_channels(5)) == (4, 6)),

    # Chapter 3: the baseline scorer
    Claim(CH3, "With the defaults it gets three statements in four right",
          holds=lambda: about(confusion().accuracy, 0.75, 0.03)),
    Claim(CH3, "Lowering it to $-1$ finds almost every customer-centric statement, but lets through a "
          "dozen company-centric ones",
          holds=lambda: confusion(-1.0).customer_as_customer >= 36 and confusion(-1.0).company_as_customer == 12),
    Claim(CH3, "The best setting here is only about 80%", holds=lambda: about(best_accuracy(), 0.80, 0.03)),
    Claim(Q3, "every statement that scores exactly 0 changes side, and {} of the 84 do", value=zero_scores),
    Claim(Q3, "it finds {} of the 42 customer-centric statements instead of {}, but {} company-centric "
          "ones get through instead of {}",
          value=lambda: (confusion(-1.0).customer_as_customer, confusion().customer_as_customer,
                         confusion(-1.0).company_as_customer, confusion().company_as_customer)),
    Claim(EX3, "(The baseline gets only about 55% there.)",
          holds=lambda: about(held_out_baseline_accuracy(), 0.55, 0.04)),

    # Chapter 4: the year of customer posts
    Claim(CH4, "the shop answers about one post in twenty there",
          holds=lambda: about(channel("locals_group", "response_rate"), 0.05, 0.01)),
    Claim(CH4, "Half of all the posts that nobody from the shop answered were written in that one group",
          holds=lambda: about(unanswered_share("locals_group"), 0.5, 0.03)),
    Claim(CH4, "with about {} posts in a year", value=lambda: int(channel("tiktok", "posts"))),
    Claim(CH4, "One need comes back all year, far ahead of the others",
          holds=lambda: sorted(unmet().values())[-1] > 2 * sorted(unmet().values())[-2]),
    Claim(CH4, "A post written on a weekday waits a median of about 10 to 12 hours",
          holds=lambda: weekday_medians_between(9.5, 12.5)),
    Claim(CH4, "a post written on **Saturday** waits about **40 hours**, and Sunday is slow too",
          holds=lambda: about(weekdays()["Saturday"], 40, 1.5)
          and weekdays()["Sunday"] > 1.4 * max(weekdays()[d] for d in listening.WEEKDAYS[:5])),
    Claim(CH4, "The shop already answers nearly every message there",
          holds=lambda: channel("whatsapp", "response_rate") > 0.9),
    Claim(CH4, "About a third of its reviews and questions still get no answer, and the answers that "
          "come take most of a day",
          holds=lambda: about(1 - channel("maps", "response_rate"), 1 / 3, 0.05)
          and 12 <= channel("maps", "median_response_hours") < 24),
    Claim(EX4, "We already answer {:.0%} of WhatsApp messages", value=lambda: channel("whatsapp", "response_rate")),
    Claim(EX4, "The Lindenford Locals group had {} posts last year, more than any other channel, and we "
          "answered {:.0%} of them: {} customers spoke there and nobody from the shop replied, half of "
          "all our unanswered posts",
          value=lambda: (int(channel("locals_group", "posts")), channel("locals_group", "response_rate"),
                         int(channel("locals_group", "unanswered"))),
          holds=lambda: summary()["posts"].idxmax() == "locals_group"
          and about(unanswered_share("locals_group"), 0.5, 0.03)),
    Claim(EX4, "a Saturday post waits about 40 hours for a reply, against 10 to 12 on weekdays",
          holds=lambda: about(weekdays()["Saturday"], 40, 1.5) and weekday_medians_between(9.5, 12.5)),
    Claim(EX4, "{} posts asked for repairs before work, more than e-bike charging and parking together",
          value=lambda: unmet()["early_repairs"],
          holds=lambda: unmet()["early_repairs"] > unmet()["ebike_charging"] + unmet()["secure_parking"]),
    Claim(R4, "the Locals group's {} posts, its {:.0%} response rate or {} unanswered posts; WhatsApp's {:.0%}",
          value=lambda: (int(channel("locals_group", "posts")), channel("locals_group", "response_rate"),
                         int(channel("locals_group", "unanswered")), channel("whatsapp", "response_rate"))),
    Claim(R4, "the Saturday median of about 40 hours against 10 to 12 on weekdays",
          holds=lambda: about(weekdays()["Saturday"], 40, 1.5) and weekday_medians_between(9.5, 12.5)),
    Claim(R4, "the {} posts asking for repairs before work", value=lambda: unmet()["early_repairs"]),
    Claim(R4, "the overall median reply time ({:.0f} hours)", value=lambda: posts()["response_hours"].median()),
    Claim(R4, "Three hundred posts in a year are a strong signal", holds=lambda: about(unmet()["early_repairs"], 300, 10)),
    Claim(Q4, "Cobble & Chain answers {:.0%} of its WhatsApp messages but only {:.0%} of the posts in the "
          "Lindenford Locals group, where customers post most",
          value=lambda: (channel("whatsapp", "response_rate"), channel("locals_group", "response_rate")),
          holds=lambda: summary()["posts"].idxmax() == "locals_group"),
    Claim(Q4, "Posts that arrive on Saturday wait a median of about 40 hours for a reply, against about "
          "11 hours on weekdays",
          holds=lambda: about(weekdays()["Saturday"], 40, 1.5) and weekday_medians_between(10, 12)),
    Claim(Q4, "TikTok had about {} posts in a year", value=lambda: int(channel("tiktok", "posts"))),
]


# --- reading a file's prose ----------------------------------------------------------------------
def prose(path: str) -> str:
    """All the text of a file, whitespace collapsed: notebook cells, quiz strings, a page."""
    return squash(text_of(REPO / path))


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: f"{Path(c.path).stem[:2]}:{c.says[:40]}")
def test_the_prose_states_what_the_model_gives(claim):
    expected = re.sub(r"\s+", " ", claim.expected())
    assert expected in prose(claim.path), (
        f"{claim.path} should say “{expected}”, which is what the model gives now. Either the "
        "sentence was reworded (update its claim in tests/prose/test_prose_numbers.py) or the model "
        "changed and the sentence needs the new number.")
    if claim.holds is not None:
        assert claim.holds(), (f"{claim.path} says “{expected}”, but the model no longer bears it "
                               "out: rewrite the sentence to match, then its check here.")


def test_every_claim_names_an_existing_file_and_is_one_of_a_kind():
    assert all((REPO / c.path).is_file() for c in CLAIMS)
    assert len({(c.path, c.says) for c in CLAIMS}) == len(CLAIMS)
    assert all((c.value is not None) == ("{" in c.says) for c in CLAIMS), \
        "a claim with {} fields needs a value, and a value needs fields to fill"
