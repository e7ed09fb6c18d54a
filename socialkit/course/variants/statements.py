"""Exercise 3's numbers: each student's own labelled sample of statements.

A student's sample mixes 60 of the kit's 84 hand-written statements (30 of each label, drawn with
their seed) with 24 synthetic ones written for them by :mod:`socialkit.data.synthetic_statements`
(12 of each label), in a shuffled order: 84 statements, half of each label, like the public set.
A draw is kept only if every number the exercise asks for (:func:`answers`: the shares with a
question, the baseline's accuracy and false alarms, the "we" statements) differs from the public
set's, so that the lesson's numbers (64 of 84 right, 3 false alarms) are never a student's answers.

>>> public = numbers(None)
>>> len(public["statements"]), baseline_counts(public)
(84, (64, 3))
>>> mine = numbers(12345)
>>> len(mine["statements"]), sum(s.label == "customer" for s in mine["statements"])
(84, 42)
>>> mine_answers, public_answers = answers(mine), answers(public)
>>> all(mine_answers[k] != public_answers[k] for k in public_answers)
True
"""
from __future__ import annotations

import numpy as np

from ...data.statements import COMPANY, CUSTOMER, load
from ...data.synthetic_statements import generate
from ...models.statements import COMPANY_WORDS, baseline_classify, evaluate, questions, words

EXERCISE = "03-customer-centric-questions"
#: hand-written statements of each label in a student's sample, and synthetic ones
FROM_THE_KIT, SYNTHETIC = 30, 12
_MAX_DRAWS = 50


def baseline_counts(values: dict) -> tuple[int, int]:
    """(statements the baseline labels right, company-centric ones it calls customer-centric)."""
    counts = evaluate(baseline_classify, values["statements"])
    return counts.correct, counts.company_as_customer


def answers(values: dict) -> dict:
    """The numbers questions 1, 2 and 4 ask for, on ``values``' statements."""
    data = values["statements"]
    customer = [s for s in data if s.label == CUSTOMER]
    company = [s for s in data if s.label == COMPANY]
    with_we = [s for s in customer if set(words(s.text)) & COMPANY_WORDS]
    correct, false_alarms = baseline_counts(values)
    return {"customer_with_question": sum(bool(questions(s.text)) for s in customer) / len(customer),
            "company_with_question": sum(bool(questions(s.text)) for s in company) / len(company),
            "baseline_correct": correct, "baseline_false_alarms": false_alarms,
            "we_share_customer": len(with_we) / len(customer),
            "we_missed": sum(baseline_classify(s.text) == COMPANY for s in with_we)}


def _draw(seed: int, draw: int) -> dict:
    rng = np.random.default_rng([seed, 3, draw])
    kit = load()
    picked = []
    for label in (CUSTOMER, COMPANY):
        pool = [s for s in kit if s.label == label]
        picked += [pool[i] for i in sorted(rng.choice(len(pool), FROM_THE_KIT, replace=False))]
    made = generate(int(rng.integers(2**32)), 2 * SYNTHETIC)
    sample = picked + made
    return {"statements": [sample[i] for i in rng.permutation(len(sample))]}


def numbers(seed: int | None) -> dict:
    """The public numbers (``seed`` None: the kit's 84 statements) or a student's sample."""
    if seed is None:
        return {"statements": load()}
    public = answers(numbers(None))
    for draw in range(_MAX_DRAWS):
        values = _draw(seed, draw)
        found = answers(values)
        if all(found[k] != public[k] for k in public):
            return values
    raise RuntimeError(f"no sample for seed {seed} in {_MAX_DRAWS} draws")  # never seen; tested


def describe(values: dict) -> list[str]:
    data = values["statements"]
    made = sum(s.id.startswith("syn-") for s in data)
    customer = sum(s.label == CUSTOMER for s in data)
    lines = [f"Labelled statements: {len(data)} ({customer} customer-centric, "
             f"{len(data) - customer} company-centric)"]
    if made:
        lines.append(f"{len(data) - made} of them from the kit's data set, {made} synthetic ones "
                     "written for you (their ids start with syn-)")
    else:
        lines.append("All of them from the kit's data set (the lesson's statements)")
    return lines
