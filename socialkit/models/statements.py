"""Chapter 3: telling company-centric statements from customer-centric ones.

A *company-centric* statement starts from the business: who we are, what we offer, how proud
we are of it. A *customer-centric* one starts from the customer: a problem they have, a
question they ask, in words they would use, and an answer that helps whether or not they buy.

It scores the kit's labelled statements (``statements.csv``, written for the kit and
loaded by :mod:`socialkit.data.statements`) with a deliberately simple, transparent scorer to start from:

    score = (number of "you" words) − (number of "we" words) + problem_weight × (problem words)

    classify: "customer" if score > threshold, otherwise "company"

Every word's part in the score can be listed (:func:`contributions`), so a reader can see why a
statement was called one or the other. The scorer is a baseline: a student can beat it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from ..data.statements import COMPANY, CUSTOMER, DATA_PATH, LABELS, Statement, load
from .validation import check_number

# The labels, the Statement record and the loader are re-exported: lessons use them with the scorer.
__all__ = ["LABELS", "CUSTOMER", "COMPANY", "DATA_PATH", "Statement", "load", "words",
           "questions", "CUSTOMER_WORDS", "COMPANY_WORDS", "PROBLEM_WORDS", "baseline_score",
           "baseline_classify", "contributions", "predict", "Confusion", "confusion",
           "accuracy", "evaluate"]


#: Words that address the customer.
CUSTOMER_WORDS = frozenset({"you", "your", "yours", "yourself", "yourselves", "you're",
                            "you'll", "you've", "you'd"})
#: Words in which the business talks about itself.
COMPANY_WORDS = frozenset({"we", "our", "ours", "us", "ourselves", "we're", "we'll", "we've",
                           "we'd"})
#: Words that name a customer's problem or question.
PROBLEM_WORDS = frozenset({
    "problem", "problems", "need", "needs", "needed", "worried", "worry", "unsure", "sore",
    "stiff", "broken", "flat", "puncture", "stuck", "late", "scared", "nervous", "confused",
    "dreading", "hate", "sorry", "asked", "asking", "ask", "safe", "safely", "help", "helps",
    "tips", "how", "which", "can't", "struggling",
})


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """The lower-case words of ``text``; curly apostrophes count as straight ones.

    >>> words("You're right: we’ve added a till!")
    ["you're", 'right', "we've", 'added', 'a', 'till']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string (one statement); got {type(text).__name__}.")
    return _WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


_QUESTION = re.compile(r"[^.!?]*\?")


def questions(text: str) -> list[str]:
    """The questions in ``text``: each stretch that ends with a question mark, from the end of
    the sentence before it, without the spaces around it.

    >>> questions("Flat tyre? Bring it in. Have you seen our new shop?")
    ['Flat tyre?', 'Have you seen our new shop?']
    >>> questions("No questions here.")
    []
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string (one statement); got {type(text).__name__}.")
    return [question.strip() for question in _QUESTION.findall(text)]


def contributions(text: str, *, problem_weight: float = 1.0) -> list[tuple[str, float]]:
    """Each word of ``text`` that moves the baseline score, with how much it moves it.

    >>> contributions("Sorry your order was late, we will fix it")
    [('sorry', 1.0), ('your', 1.0), ('late', 1.0), ('we', -1.0)]
    """
    problem_weight = check_number("problem_weight", problem_weight, low=0.0, high=10.0)
    parts = []
    for word in words(text):
        if word in CUSTOMER_WORDS:
            parts.append((word, 1.0))
        elif word in COMPANY_WORDS:
            parts.append((word, -1.0))
        elif word in PROBLEM_WORDS and problem_weight:
            parts.append((word, problem_weight))
    return parts


def baseline_score(text: str, *, problem_weight: float = 1.0) -> float:
    """The baseline's score of ``text``: above 0 leans customer-centric, below 0 company-centric.

    >>> baseline_score("We are proud of our new logo")
    -2.0
    >>> baseline_score("Flat tyre? Bring your bike in before work")
    2.0
    """
    return float(sum(value for _, value in contributions(text, problem_weight=problem_weight)))


def baseline_classify(text: str, *, threshold: float = 0.0,
                      problem_weight: float = 1.0) -> str:
    """``"customer"`` if the baseline score is above ``threshold``, else ``"company"``.

    >>> baseline_classify("Our mission is excellence")
    'company'
    """
    threshold = check_number("threshold", threshold, low=-20.0, high=20.0)
    return CUSTOMER if baseline_score(text, problem_weight=problem_weight) > threshold else COMPANY


def predict(classify: Callable[[str], str], texts: Iterable[str]) -> list[str]:
    """Apply ``classify`` to each text; a ValueError says which text got an answer that is not a label."""
    if not callable(classify):
        raise TypeError(f"classify must be a function of one statement; got {classify!r}.")
    out = []
    for text in texts:
        label = classify(text)
        if label not in LABELS:
            raise ValueError(f"classify must return {CUSTOMER!r} or {COMPANY!r}; for "
                             f"{text[:60]!r} it returned {label!r}.")
        out.append(label)
    return out


@dataclass(frozen=True)
class Confusion:
    """Counts of a classifier's right and wrong answers, with "customer" as the class sought.

    ``customer_as_customer`` and ``company_as_company`` are right; ``company_as_customer`` are
    company-centric statements wrongly passed as customer-centric (false alarms), and
    ``customer_as_company`` customer-centric ones missed.
    """

    customer_as_customer: int
    customer_as_company: int
    company_as_customer: int
    company_as_company: int

    @property
    def total(self) -> int:
        return (self.customer_as_customer + self.customer_as_company
                + self.company_as_customer + self.company_as_company)

    @property
    def correct(self) -> int:
        return self.customer_as_customer + self.company_as_company

    @property
    def accuracy(self) -> float:
        """Share of statements labelled correctly (0 when there are none)."""
        return self.correct / self.total if self.total else 0.0

    def as_rows(self) -> list[list[int]]:
        """Rows are the true labels, columns the predictions, both in :data:`LABELS` order."""
        return [[self.customer_as_customer, self.customer_as_company],
                [self.company_as_customer, self.company_as_company]]


def confusion(labels: Sequence[str], predictions: Sequence[str]) -> Confusion:
    """Count right and wrong predictions against the true labels.

    >>> confusion(["customer", "company", "company"], ["customer", "customer", "company"])
    Confusion(customer_as_customer=1, customer_as_company=0, company_as_customer=1, company_as_company=1)
    """
    labels, predictions = list(labels), list(predictions)
    if len(labels) != len(predictions):
        raise ValueError(f"labels and predictions must have the same length; got "
                         f"{len(labels)} and {len(predictions)}.")
    for name, values in (("labels", labels), ("predictions", predictions)):
        wrong = [v for v in values if v not in LABELS]
        if wrong:
            raise ValueError(f"{name} must hold only {CUSTOMER!r} and {COMPANY!r}; "
                             f"found {wrong[0]!r}.")
    pairs = list(zip(labels, predictions))
    return Confusion(pairs.count((CUSTOMER, CUSTOMER)), pairs.count((CUSTOMER, COMPANY)),
                     pairs.count((COMPANY, CUSTOMER)), pairs.count((COMPANY, COMPANY)))


def accuracy(labels: Sequence[str], predictions: Sequence[str]) -> float:
    """Share of predictions equal to the labels.

    >>> accuracy(["customer", "company"], ["customer", "customer"])
    0.5
    """
    return confusion(labels, predictions).accuracy


def evaluate(classify: Callable[[str], str], data: Sequence[Statement] | None = None) -> Confusion:
    """The confusion counts of ``classify`` over ``data`` (default: the kit's statements)."""
    data = load() if data is None else list(data)
    return confusion([s.label for s in data], predict(classify, [s.text for s in data]))
