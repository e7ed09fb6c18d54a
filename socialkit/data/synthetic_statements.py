"""Chapter 3's synthetic statements: labelled posts made from templates and phrase parts, seeded.

The kit's 84 statements (:mod:`socialkit.data.statements`) were written one by one. This module
writes more of the same kind from templates and phrase parts, written for the kit (in our own
words, about invented small businesses), so that:

* each student of a course gets their own labelled sample for Exercise 3 (a seeded mix of the
  84 statements and generated ones), and
* the exercise's hidden tests can grade a classifier on statements nobody has seen: the
  instructor's private seeds (``make assign PRIVATE=...``) give new ones.

Every generated statement is **synthetic** and says so: its id starts with ``syn-``. The labels
follow the same judgement as the hand-written set: *customer* statements start from a customer's
problem, question or request (and often say "we" when they report what the business changed
for them); *company* statements start from the business, its pride, its news or its wish for
attention (and some of them ask questions or say "you"). No single sign tells them apart.

>>> first = generate(7, 10)
>>> len(first), sum(s.label == CUSTOMER for s in first), first[0].id
(10, 5, 'syn-7-01')
>>> first == generate(7, 10)
True
"""
from __future__ import annotations

import numbers

import numpy as np

from .statements import COMPANY, CUSTOMER, Statement

__all__ = ["BUSINESSES", "generate", "PREFIX"]

#: ids of generated statements start with this: they are synthetic
PREFIX = "syn"

# Each business: who its customers are, their worries (a question, the same worry as a
# condition, and a tip), what customers asked for and what changed, a mistake and its fix,
# and the business's own news and boasts.
BUSINESSES = {
    "bike shop": {
        "self": "our bike shop",
        "people": ["commuters", "students", "parents", "riders"],
        "worries": [
            ("Brakes squealing on the hill down to the river?",
             "your brakes squeal on the way down a hill",
             "worn pads are the usual cause, and a quick look at the counter tells you how much wear is left."),
            ("Chain jumping when you change gear?",
             "the chain jumps when you change gear",
             "a stretched cable is often to blame, and it takes a few minutes to adjust."),
            ("Not sure which lock is enough for a station rack?",
             "you leave the bike at the station all day",
             "a D-lock through the frame and a cable for the front wheel stop most thefts."),
            ("Child's first ride on the road coming up?",
             "your child is ready for a first ride beyond the park",
             "the quiet loop behind the sports hall has no through traffic on Sunday mornings."),
        ],
        "changes": [
            ("could not drop their bikes off before work", "the workshop now opens at 7 on weekdays"),
            ("wanted to know if a rental was free before walking over", "the rental calendar is now online"),
            ("kept getting punctures on the gravel path", "a pump and patch kit now hang by the door for anyone to use"),
        ],
        "mistakes": [("waited over an hour for a repair on Saturday",
                      "A second mechanic now works on weekend mornings")],
        "news": ["our new range of carbon racing frames", "our branded cycling caps",
                 "our shiny new shop sign"],
        "boasts": ["the finest bike workshop in the county", "the most trusted name in cycling"],
    },
    "bakery": {
        "self": "our bakery",
        "people": ["parents", "neighbours", "office workers", "guests"],
        "worries": [
            ("Bread going stale by Wednesday?",
             "a loaf goes stale before the week is out",
             "slice it on the first day and freeze what you will not eat; it toasts straight from the freezer."),
            ("Child with a nut allergy coming to a party?",
             "a child at the party has a nut allergy",
             "ask at the counter for the list of bakes made without nuts, and order two days ahead."),
            ("Unsure how much cake to order for a crowd?",
             "you are ordering cake for a crowd",
             "one large tray serves about twenty people with generous slices."),
        ],
        "changes": [
            ("could not get gluten-free bread after nine", "a batch of gluten-free loaves is now kept back until noon"),
            ("found the queue too long at lunchtime", "sandwiches can now be ordered by text and collected at a side window"),
        ],
        "mistakes": [("found the rye bread sold out on Friday",
                      "Twice as many rye loaves are now baked on Fridays")],
        "news": ["our award-winning seasonal pastries", "our gorgeous new shop front",
                 "our exclusive range of luxury hampers"],
        "boasts": ["the best bakery in the region", "the most loved bakery in town"],
    },
    "hair salon": {
        "self": "our salon",
        "people": ["clients", "parents", "students", "first-time visitors"],
        "worries": [
            ("Worried a new colour will dry out your hair?",
             "you are worried a new colour will dry out your hair",
             "a free strand test a few days before shows how your hair takes it."),
            ("Curls turning to frizz in the rain?",
             "your curls turn to frizz as soon as it rains",
             "a few drops of a light oil on damp hair help more than any spray."),
            ("Nervous about a first haircut for a toddler?",
             "your toddler is nervous about a first haircut",
             "a quiet early slot and a favourite toy in hand make it much easier."),
        ],
        "changes": [
            ("could not find an appointment after work", "appointments now run until 8 on Thursdays"),
            ("wanted to know the price of a cut before booking", "every price is now listed on the booking page"),
        ],
        "mistakes": [("was kept waiting past their appointment time last week",
                      "Appointments now leave ten minutes between clients")],
        "news": ["our luxurious new styling lounge", "our premium range of designer products"],
        "boasts": ["the leading salon in the area", "an award-winning team of top stylists"],
    },
    "physiotherapy practice": {
        "self": "our practice",
        "people": ["patients", "runners", "office workers", "older patients"],
        "worries": [
            ("Stiff back after a day at the desk?",
             "your back is stiff after a day at the desk",
             "standing up for two minutes every half hour helps more than one long stretch at night."),
            ("Knee sore after the first runs of the year?",
             "your knee hurts after the first runs of the year",
             "building up slowly, no more than a tenth extra each week, gives joints time to adapt."),
            ("Unsure whether an ache needs treatment?",
             "an ache has lasted more than two weeks",
             "a free ten-minute phone call can tell you whether it needs a visit."),
        ],
        "changes": [
            ("struggled to get up the stairs to the treatment room", "treatment now takes place on the ground floor"),
            ("could not come in during working hours", "early appointments now start at 7.30"),
        ],
        "mistakes": [("could not get through on the phone on Monday",
                      "Bookings can now also be made online, day and night")],
        "news": ["our state-of-the-art treatment suite", "our exciting new brand"],
        "boasts": ["the most qualified physiotherapists in the region", "the leading practice in the county"],
    },
    "plumber": {
        "self": "our firm",
        "people": ["homeowners", "tenants", "landlords", "older customers"],
        "worries": [
            ("Radiators cold at the top?",
             "your radiators are cold at the top",
             "there is probably air in them: bleeding them with a radiator key takes five minutes."),
            ("Boiler pressure dropping every week?",
             "the boiler pressure keeps dropping",
             "a small leak is likely, so check under the pipes before topping it up."),
            ("Going away in a cold spell?",
             "you are going away while it freezes",
             "leave the heating on low so that the pipes do not burst."),
        ],
        "changes": [
            ("wanted to know when the plumber would arrive", "a text now gives the arrival time to within half an hour"),
            ("were unsure what a call-out would cost", "call-out prices are now on the website"),
        ],
        "mistakes": [("waited in all day for a visit that never came",
                      "Every visit is now confirmed by text the evening before")],
        "news": ["our smart new fleet of vans", "our premium boiler range"],
        "boasts": ["the most trusted plumbers in the city", "the number one heating experts in the area"],
    },
    "bookshop": {
        "self": "our bookshop",
        "people": ["readers", "students", "parents", "book clubs"],
        "worries": [
            ("Looking for a book for a reluctant reader?",
             "your child says reading is boring",
             "short graphic novels and joke books often start the habit."),
            ("Course reading list costing too much?",
             "the course reading list costs more than you can spend",
             "second-hand copies of most set texts sit on the shelf by the stairs."),
        ],
        "changes": [
            ("could not find a quiet place to read", "the armchairs upstairs are now kept free for readers"),
            ("needed copies for a book club at short notice", "book clubs can now order ten copies by text"),
        ],
        "mistakes": [("found the children's corner closed during the holidays",
                      "The children's corner now stays open every day of the holidays")],
        "news": ["our beautiful new gift section", "our exclusive signed editions"],
        "boasts": ["the finest independent bookshop in the region", "the best-loved bookshop in town"],
    },
    "vet": {
        "self": "our clinic",
        "people": ["pet owners", "dog owners", "families", "farmers"],
        "worries": [
            ("Dog scared of fireworks?",
             "your dog is frightened of fireworks",
             "a quiet room with the curtains closed and a radio on softens the noise."),
            ("Cat not eating for a day?",
             "your cat has not eaten for a day",
             "call if it lasts beyond two days or if she seems weak; it can be more than a fussy mood."),
        ],
        "changes": [
            ("found it hard to bring a nervous cat through a waiting room of dogs", "cats now have a separate waiting room"),
            ("could not come in during the day", "evening clinics now run on Tuesdays"),
        ],
        "mistakes": [("could not reach the clinic on Sunday",
                      "An emergency number is now on the door and on the answerphone")],
        "news": ["our cutting-edge surgical suite", "our exciting new logo"],
        "boasts": ["the leading animal hospital in the county", "the most advanced clinic in the area"],
    },
    "café": {
        "self": "our café",
        "people": ["parents", "students", "remote workers", "guests"],
        "worries": [
            ("Need somewhere quiet to work for an hour?",
             "you need a quiet table to work for an hour",
             "the back room is calm before noon, and every table has a socket."),
            ("Coming with a pram?",
             "you are coming with a pram",
             "the side door has no step and the tables by the window leave room to park it."),
        ],
        "changes": [
            ("could not have milk in their coffee", "oat milk is now free in every drink"),
            ("found the music too loud to talk", "the music is now turned down after lunch"),
        ],
        "mistakes": [("found no vegan cakes left on Sunday",
                      "Vegan bakes now arrive twice a day at weekends")],
        "news": ["our exciting new signature blend", "our beautiful branded mugs"],
        "boasts": ["the best coffee in the city", "an award-winning team of baristas"],
    },
}

# Phrase parts of the company-centric templates.
_FEELINGS = ["proud", "thrilled", "delighted", "excited", "pleased"]
_ANNOUNCE = ["announce", "unveil", "present", "launch"]
_NETWORKS = ["Instagram", "TikTok", "Facebook", "YouTube"]
_CONTENT = ["behind-the-scenes videos", "photos of our team", "updates about our latest news"]
_HYPE = ["You will love it!", "You won't want to miss it!", "Your friends will be jealous!",
         "Don't miss your chance!", "You deserve it!"]
_THANKS = ["We could not have done it without you.", "You made it happen!"]


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


#: how many templates each label has
KINDS = 7


def _customer(rng, b: dict, kind: int) -> str:
    pick = lambda items: items[int(rng.integers(len(items)))]  # noqa: E731 (one draw of a list)
    question, condition, tip = pick(b["worries"])
    asked, change = pick(b["changes"])
    people = pick(b["people"])
    if kind == 0:
        return f"{question} {_cap(tip)}"
    if kind == 1:
        return f"If {condition}, {tip}"
    if kind == 2:
        return f"{_cap(people)} told us they {asked}, so {change}."
    if kind == 3:
        return f"{_cap(change)}, because {people} told us they {asked}."
    if kind == 4:
        wrong, fix = pick(b["mistakes"])
        return f"Sorry to everyone who {wrong}. {fix}."
    if kind == 5:
        return f"For {people} who {asked}: {change}."
    return f"A question {people} often ask us: {question[0].lower() + question[1:]} {_cap(tip)}"


def _company(rng, b: dict, kind: int) -> str:
    pick = lambda items: items[int(rng.integers(len(items)))]  # noqa: E731
    news, boast = pick(b["news"]), pick(b["boasts"])
    if kind == 0:
        return f"We are {pick(_FEELINGS)} to {pick(_ANNOUNCE)} {news}!"
    if kind == 1:
        return f"Have you seen {news} yet? {pick(_HYPE)}"
    if kind == 2:
        return f"Did you know that {b['self']} is {boast}?"
    if kind == 3:
        return f"Follow us on {pick(_NETWORKS)} for daily {pick(_CONTENT)}!"
    if kind == 4:
        return f"{_cap(b['self'])} is {pick(_FEELINGS)} to be {boast}."
    if kind == 5:
        return f"Thank you for making us {boast}! {pick(_THANKS)}"
    return f"Just arrived for you: {news}. {pick(_HYPE)}"


def generate(seed: int, n: int = 10) -> list[Statement]:
    """``n`` synthetic labelled statements (half of each label, customer first), from ``seed``.

    Each label's templates take turns, in a seeded order, so that every set has much the same
    mix of easy and hard statements. Statements within one call are all different; ids are
    ``syn-<seed>-<number>``.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number from 0 to {2**32 - 1}; got {seed!r}.")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 2 or n % 2 or n > 100:
        raise ValueError(f"n must be an even whole number from 2 to 100 (half of each label); got {n!r}.")
    rng = np.random.default_rng([int(seed), 3])
    names = list(BUSINESSES)
    made: list[Statement] = []
    seen: set[str] = set()
    for label, write in ((CUSTOMER, _customer), (COMPANY, _company)):
        count, turns, tries = 0, rng.permutation(KINDS), 0
        while count < n // 2:
            business = names[int(rng.integers(len(names)))]
            text = write(rng, BUSINESSES[business], int(turns[count % KINDS]))
            tries += 1
            if text.lower() in seen and tries < 50 * n:
                continue
            seen.add(text.lower())
            count += 1
            made.append(Statement(f"{PREFIX}-{seed}-{len(made) + 1:02d}", business, text, label))
    return made
