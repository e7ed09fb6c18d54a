"""The book's sample plan has one source: the team's answers in socialkit/data/case.py.

``case.SAMPLE_PLAN_ANSWERS`` holds the answers Maya's team gives in the "Your plan" worksheets;
``plan.sample_answers()`` fills their ``{fields}`` with numbers from the models, and
``report.sample_page()`` turns them into book/sample-plan.md (tests/test_capstone.py checks that
the committed page is the generated one). Here: no number is typed into those answers, and the
facts they state are the case's.
"""
from __future__ import annotations

import re

from socialkit.data import case
from socialkit.apps import plan

STRATEGY = case.SAMPLE_PLAN_ANSWERS["my-strategy"]


def test_the_plans_answers_type_no_number():
    hours_texts = [case.hours_text(h) for h in case.PLAN_HOURS.values()]
    for key, text in STRATEGY.items():
        bare = re.sub(r"\{[^}]*\}|\b20[12]\d\b|\bMonth \d\b", "", text)  # fields, years, months
        for computed in hours_texts:
            bare = bare.replace(computed, "")
        assert not re.findall(r"\d", bare), \
            f"case.SAMPLE_PLAN_ANSWERS['my-strategy'][{key!r}] types a number: {bare!r}; use a field"


def test_the_filled_answers_are_the_case_answers_with_the_models_numbers():
    filled = plan.sample_answers()
    for sheet, answers in case.SAMPLE_PLAN_ANSWERS.items():
        for key, template in answers.items():
            pattern = re.escape(template)
            for field in re.findall(r"\\\{(\w+)\\\}", pattern):
                pattern = pattern.replace(rf"\{{{field}\}}", r"[\d.,%]+")
            assert re.fullmatch(pattern, filled[sheet][key]), (sheet, key, filled[sheet][key])


def test_the_plans_facts_are_the_cases():
    assert STRATEGY["ch4_revised_channels"] == case.hours_text(case.PLAN_HOURS[4])
    assert plan.parse_hours(STRATEGY["ch4_revised_channels"]) == case.PLAN_HOURS[4]
    assert plan.parse_hours(STRATEGY["ch2_channels"].split(".")[0]) == case.PLAN_HOURS[2]
    assert STRATEGY["ch6_objective"] == case.OBJECTIVE_2026
    assert all(step in STRATEGY["ch6_metric_chain"] for step in case.METRIC_CHAIN_2026.values())
    group = case.GROUP_ANSWERER.split()[0]
    assert f"{group} answers every question in the Locals group" in STRATEGY["ch8_first_90_days"]
    assert "one page of guidelines" in STRATEGY["ch7_first_actions"] and case.GUIDELINES_2026 == 1
    for kind, n in case.WEEKLY_MIX_2026.items():
        words = {0: "no", 1: "one", 4: "four"}[n]
        assert re.search(rf"\b{words}\b[^.;]*\b{ {'helpful': 'helpful', 'promotional': 'offer', 'filler': 'filler'}[kind]}",
                         STRATEGY["ch5_content_mix"], re.I), kind
    for name, role in case.TEAM.items():  # every member named in the plan does a job of the case's
        assert name.split()[0] in " ".join(STRATEGY.values())
