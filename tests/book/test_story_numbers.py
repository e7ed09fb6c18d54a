"""Numbers the prose states about Cobble & Chain, checked against the kit's models and data.

tests/test_prose_numbers.py holds one claim per sentence for the chapters' model results. This
file adds the sentences issue 21 found untrue, each with the computation that makes it true now,
and two rules that read every file:

* "blind on N blindspots" (or "N blindspots score as blind") must be the number of the shop's
  2025 scores that ``blindspots.level`` calls blind;
* a weekday reply time stated in a sentence about WhatsApp must be WhatsApp's own, not the
  all-channel median.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pytest

from socialkit.data import case
from socialkit.models import organisations
from socialkit.models import blindspots, content, listening, relevance
from support.prose import REPO, prose_files, rel, sentences, squash, text_of

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


@lru_cache(maxsize=1)
def posts():
    return listening.load_posts()


@lru_cache(maxsize=1)
def scores():
    return blindspots.audit(organisations.cobble_and_chain_evidence(posts()))


def levels() -> dict[str, int]:
    counts: dict[str, int] = {}
    for score in scores():
        counts[blindspots.level(score)] = counts.get(blindspots.level(score), 0) + 1
    return counts


def praise_shares():
    praise = posts()[posts()["kind"] == "praise"]
    return praise["channel"].value_counts(normalize=True)


def topics_above_the_top_unmet_need() -> set[str]:
    counts = posts()["topic"].value_counts()
    top = listening.unmet_needs(posts()).index[0]
    return set(counts[counts > counts[top]].index)


def late_start_cost_rises_with_b() -> bool:
    costs = [relevance.relevance_lost(4, listening_share=0.75, broadcast_quality=b) for b in (0.0, 0.2, 0.6, 1.0)]
    return all(a < b for a, b in zip(costs, costs[1:]))


CH1 = "notebooks/01-ignorance-arrogance-irrelevance.ipynb"
CH4 = "notebooks/04-listen-first.ipynb"
CH5 = "notebooks/05-be-social-not-a-billboard.ipynb"
CH6 = "notebooks/06-from-tools-to-outcomes.ipynb"
CH7 = "notebooks/07-seven-blindspots.ipynb"
CASE = "book/case.md"

#: (file, words in it, a check that makes them true)
CLAIMS = [
    (CH1, "a smaller $b$ makes a late start cost a little less", late_start_cost_rises_with_b),
    (CH4, "Google Maps has more of the praise than any other channel (about a third of it",
     lambda: praise_shares().idxmax() == "maps" and abs(praise_shares()["maps"] - 1 / 3) < 0.05),
    (CASE, "Of the needs the shop does not meet, Chapter 4 finds this is the one customers raise most "
           "often (only posts about repairs and rentals, which the shop does offer, are more common)",
     lambda: listening.unmet_needs(posts()).index[0] == "early_repairs"
     and topics_above_the_top_unmet_need() == {"repairs", "rentals"}
     and all(listening.TOPICS[t].offered for t in ("repairs", "rentals"))),
    (CH5, "with an offer winning 70% of them (the pull $p$), one good offer reaches most of them",
     lambda: content.Market.cobble_and_chain().pull == 0.7),
    (CH7, "five blindspots score as blind, one (the social mindset, 41) as partly blind, and one "
          "(useful videos, 33) as in sight",
     lambda: levels() == {"blind": 5, "partly blind": 1, "in sight": 1}
     and round(scores()["social_mindset"]) == 41 and round(scores()["useful_video"]) == 33),
    (CH7, "Tomás's four how-tos of 2025", lambda: sum(case.VIDEOS_2025.values()) == 4
     and case.VIDEOS_2025["products"] == 0),
    (CH6, "In Cobble & Chain the executive is Maya, and in 2025 the figures she watched were "
          "followers and likes", lambda: case.WATCHED_METRICS_2025 == ("followers", "likes")),
    (CH6, "Its next step is Formalized", lambda: not case.STAGE_SELF_ASSESSMENT["Formalized"][0]
     and case.STAGE_SELF_ASSESSMENT["Engagement"][0]),
]


@pytest.mark.parametrize("path, words, check", CLAIMS, ids=[f"{p[:12]}:{w[:30]}" for p, w, _ in CLAIMS])
def test_the_sentence_is_there_and_true(path, words, check):
    assert squash(words) in squash(text_of(REPO / path)), f"{path} should say “{words}” (or update this claim)"
    assert check(), f"{path} says “{words}”, which the kit's numbers no longer bear out"


# --- rules over every file ---------------------------------------------------------------------------
_BLIND_ON = re.compile(r"\bblind on (\w+) blindspots|\b(\w+) blindspots score as blind\b")


@pytest.mark.parametrize("path", prose_files(), ids=rel)
def test_how_many_blindspots_the_shop_is_blind_on(path):
    blind = levels().get("blind", 0)
    wrong = [f"“{s}” — the shop's audit has {blind} blindspots at the level blind"
             for s in sentences(text_of(path)) if re.search(r"Cobble|shop|profile", s)
             for m in _BLIND_ON.finditer(s) if WORDS.get((m.group(1) or m.group(2)).lower()) != blind]
    assert not wrong, f"{rel(path)}:\n" + "\n".join(wrong)


def whatsapp_weekday_medians():
    mine = posts()[posts()["channel"] == "whatsapp"]
    return listening.weekday_summary(mine)["median_response_hours"].iloc[:5]


@pytest.mark.parametrize("path", prose_files(), ids=rel)
def test_weekday_reply_times_said_of_whatsapp_are_whatsapps(path):
    low, high = whatsapp_weekday_medians().min(), whatsapp_weekday_medians().max()
    wrong = []
    for s in sentences(text_of(path)):
        # a line labelled "WhatsApp:" speaks of WhatsApp throughout; otherwise clause by clause
        for clause in [s] if s.startswith("WhatsApp:") else s.split(";"):
            wrong += whatsapp_clause(clause, low, high)
    assert not wrong, f"{rel(path)}:\n" + "\n".join(wrong)


def whatsapp_clause(s: str, low: float, high: float) -> list[str]:
    wrong = []
    if "WhatsApp" in s and "weekday" in s and not re.search(r"[Aa]ll channels|every channel", s):
        for a, b in re.findall(r"\b(\d+(?:\.\d+)?) to (\d+(?:\.\d+)?)(?: hours)? on weekdays", s):
            if not (float(a) - 0.5 <= low and high <= float(b) + 0.5):
                wrong.append(f"“{s}”: WhatsApp's weekday medians are {low:.1f} to {high:.1f} hours")
    return wrong


def test_the_rules_catch_the_old_sentences():
    assert _BLIND_ON.search("Cobble & Chain's 2025 profile is blind on four blindspots.").group(1) == "four"
    s = "WhatsApp: 94% of messages answered; Saturday posts wait 40 hours, against 10 to 12 on weekdays."
    low = whatsapp_weekday_medians().min()
    assert low < 9.5, "the old sample-plan sentence would no longer be caught"
    assert whatsapp_clause(s, low, whatsapp_weekday_medians().max())
