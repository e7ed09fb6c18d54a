"""Figures of Chapter 3: how a simple keyword scorer sorts statements, and why.

* :func:`threshold_scene` — every statement of the data set placed by its baseline score,
  the threshold that splits them, and the resulting confusion matrix and accuracy;
* :func:`explain_scene` — one statement at a time, with the part each counted word plays in
  its score: why the scorer called it customer- or company-centric.
"""
from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.patches import Rectangle

from ..models import statements
from ..interactive import style
from ..interactive.widgets import Slider, draw_scene, explorer

__all__ = ["WEIGHT_VALUES", "THRESHOLD_VALUES", "EXAMPLES", "threshold_scene",
           "describe_threshold", "draw_threshold", "threshold_explorer", "explain_scene",
           "describe_explain", "explain_explorer"]

#: Slider positions: the weight of problem words, and the threshold.
WEIGHT_VALUES = (0.0, 0.5, 1.0, 1.5, 2.0)
THRESHOLD_VALUES = (-2.0, -1.0, 0.0, 1.0, 2.0)
_CUSTOMER = (style.PALETTE["blue"], "o", "Customer-centric (label)")
_COMPANY = (style.PALETTE["vermillion"], "^", "Company-centric (label)")
_ROWS = {statements.CUSTOMER: 1.0, statements.COMPANY: 0.0}
_RIGHT, _WRONG = "#d9f0e8", "#fbe0d2"

#: Statements the explainer walks through: (text, label or None for a rewrite, note).
EXAMPLES = (
    ("We are excited to announce our brand-new fleet of premium rental e-bikes, now available.",
     statements.COMPANY, "A draft post for Cobble & Chain (statement S44)."),
    ("Hills between home and work? Rent an e-bike for a week and try the commute before you "
     "decide to buy one.", None, "The same news, rewritten from the commuter's side."),
    ("Sorry your brakes squealed again after the service, Jo. Bring the bike in any time this "
     "week and we will sort it at no charge.", statements.CUSTOMER,
     "Answering a complaint (S07): customer-centric, though it says \"we\"."),
    ("Say hello to our amazing team: the best mechanics in town!", statements.COMPANY,
     "A draft post about the shop's team (S48)."),
    ("Not sure whether that clicking noise matters? Ask Tomás at the counter: he will listen to "
     "the bike and tell you for free.", None, "The team post, rewritten around a worry."),
    ("No hot water this morning? Before calling anyone, check whether the boiler pressure gauge "
     "has dropped below 1 bar.", statements.CUSTOMER,
     "A plumber's helpful tip (S12): no \"you\", no problem word the list knows."),
    ("Looking for a book for a reluctant 10-year-old reader? Tell us what they watch and we'll "
     "find something that matches.", statements.CUSTOMER,
     "A bookshop's offer of help (S14): \"us\" and \"we'll\" mislead the scorer."),
    ("Monday motivation: 'Life is like riding a bicycle. To keep your balance, you must keep "
     "moving.'", statements.COMPANY,
     "An inspirational quote (S50): full of \"you\", but it answers nobody's question."),
)
_MAX_WORDS = 7


def _scores(problem_weight: float) -> np.ndarray:
    return np.array([statements.baseline_score(s.text, problem_weight=problem_weight)
                     for s in _data()])


_CACHE: dict = {}


def _data():
    if "data" not in _CACHE:
        _CACHE["data"] = statements.load()
    return _CACHE["data"]


def _confusion(problem_weight: float, threshold: float) -> statements.Confusion:
    labels = [s.label for s in _data()]
    preds = [statements.CUSTOMER if x > threshold else statements.COMPANY
             for x in _scores(problem_weight)]
    return statements.confusion(labels, preds)


def _split(ax):
    """Turn ``ax`` into the left of two axes side by side; return the new right one."""
    fig = ax.figure
    grid = ax.get_subplotspec().subgridspec(1, 2, width_ratios=[2.3, 1.0], wspace=0.05)
    ax.set_subplotspec(grid[0])
    return fig.add_subplot(grid[1])


def threshold_scene(ax):
    """Scene: scores of all statements against a threshold, and the confusion matrix."""
    data = _data()
    labels = np.array([s.label for s in data])
    rng = np.random.default_rng(3)  # fixed jitter, so dots move only when the score does
    jitter_x = rng.uniform(-0.1, 0.1, len(data))
    jitter_y = rng.uniform(-0.32, 0.32, len(data))
    all_scores = np.concatenate([_scores(w) for w in WEIGHT_VALUES])
    low, high = np.floor(all_scores.min()) - 0.6, np.ceil(all_scores.max()) + 0.6

    ax.set_xlim(low, high)
    ax.set_ylim(-0.55, 1.55)
    ax.set_yticks([1.0, 0.0], ["Customer-\ncentric", "Company-\ncentric"])
    ax.grid(axis="y", visible=False)
    style.label_axes(ax, x="Baseline score (you − we + weight × problem words)",
                     y="Label in the data set", title="Where each statement scores")
    shade = ax.axvspan(0, high, color=style.PALETTE["sky_blue"], alpha=0.15, lw=0,
                       animated=True, label="Called customer-centric")
    line = ax.axvline(0, color="black", lw=2, ls="--", animated=True, label="Threshold (a score must be above it)")
    dots = {}
    for label, (color, marker, name) in ((statements.CUSTOMER, _CUSTOMER),
                                         (statements.COMPANY, _COMPANY)):
        mask = labels == label
        dots[label] = (mask, ax.scatter([], [], s=26, color=color, marker=marker, alpha=0.85,
                                        edgecolor="white", linewidth=0.4, animated=True,
                                        label=name))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.24), ncol=2, fontsize=8.5,
              handletextpad=0.3, columnspacing=1.0)

    cm_ax = _split(ax)
    cm_ax.set_xlim(0, 2)
    cm_ax.set_ylim(0, 2)
    cm_ax.invert_yaxis()
    cm_ax.set_aspect("equal")
    cm_ax.grid(False)
    for spine in cm_ax.spines.values():
        spine.set_visible(False)
    for r in range(2):
        for c in range(2):
            cm_ax.add_patch(Rectangle((c, r), 1, 1, facecolor=_RIGHT if r == c else _WRONG,
                                      edgecolor="white", linewidth=3))
    cm_ax.set_xticks([0.5, 1.5], ["customer", "company"])
    cm_ax.set_yticks([0.5, 1.5], ["customer", "company"])
    cm_ax.tick_params(length=0)
    cm_ax.xaxis.set_label_position("top")
    cm_ax.xaxis.tick_top()
    cm_ax.set_xlabel("Called by the scorer", fontsize=10)
    cm_ax.set_ylabel("Label", fontsize=10)
    counts = [[cm_ax.text(c + 0.5, r + 0.5, "", ha="center", va="center", fontsize=15,
                          fontweight="bold", animated=True) for c in range(2)] for r in range(2)]
    verdict = cm_ax.text(1.0, 2.22, "", ha="center", va="top", fontsize=11, fontweight="bold",
                         animated=True)

    def update(problem_weight: float, threshold: float):
        scores = _scores(problem_weight)
        for label, (mask, scatter) in dots.items():
            scatter.set_offsets(np.column_stack([scores[mask] + jitter_x[mask],
                                                 _ROWS[label] + jitter_y[mask]]))
        # Scores move in steps of 0.5, so everything right of threshold + 0.25 is above it.
        edge = threshold + 0.25
        line.set_xdata([edge, edge])
        shade.set_x(edge)
        shade.set_width(high - edge)
        cm = _confusion(problem_weight, threshold)
        for r, row in enumerate(cm.as_rows()):
            for c, n in enumerate(row):
                counts[r][c].set_text(str(n))
        verdict.set_text(f"Accuracy {cm.accuracy:.0%}\n({cm.correct} of {cm.total} right)")
        return [shade, line, *(s for _, s in dots.values()), *(t for row in counts for t in row),
                verdict]

    return update


def draw_threshold(ax, problem_weight: float = 1.0, threshold: float = 0.0) -> None:
    """Draw the threshold figure for good (a still image)."""
    draw_scene(ax, threshold_scene, problem_weight=problem_weight, threshold=threshold)


def describe_threshold(problem_weight: float, threshold: float) -> str:
    """Alt text of the threshold figure."""
    cm = _confusion(problem_weight, threshold)
    n_customer = cm.customer_as_customer + cm.customer_as_company
    n_company = cm.company_as_customer + cm.company_as_company
    return (f"Problem words weigh {problem_weight:g} and the threshold is {threshold:g}. The "
            f"scorer finds {cm.customer_as_customer} of the {n_customer} customer-centric "
            f"statements and misses {cm.customer_as_company}; it wrongly passes "
            f"{cm.company_as_customer} of the {n_company} company-centric statements as "
            f"customer-centric. Accuracy {cm.accuracy:.0%} ({cm.correct} of {cm.total}).")


def threshold_explorer():
    """Problem-word weight and threshold sliders over the whole data set."""
    return explorer(
        threshold_scene,
        {"problem_weight": Slider("Weight of problem words", WEIGHT_VALUES, "{:g}", initial=1.0),
         "threshold": Slider("Threshold (customer-centric if score is above)", THRESHOLD_VALUES,
                             "{:g}", initial=0.0)},
        describe=describe_threshold, figsize=(8.0, 4.0))


# --- one statement at a time -----------------------------------------------------------------
def _verdict(example: int) -> tuple[float, str, str]:
    text, label, _ = EXAMPLES[example - 1]
    score = statements.baseline_score(text)
    called = statements.baseline_classify(text)
    if label is None:
        truth = "A rewrite written for this chapter."
    elif label == called:
        truth = f"The data set says {label}-centric too: right."
    else:
        truth = f"The data set says {label}-centric: wrong."
    return score, called, truth


def explain_scene(ax):
    """Scene: the words that count in one statement and the score they add up to."""
    ax.set_xlim(-3.5, 3.5)
    ax.set_ylim(_MAX_WORDS + 0.7, -5.2)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    ax.axvline(0, color="black", lw=1.2)
    ax.axhline(_MAX_WORDS - 0.5, color="0.6", lw=0.8)
    ax.axhline(-0.75, color="0.6", lw=0.8)
    style.label_axes(ax, x="← company-centric      part in the score      customer-centric →",
                     y="", title="Why the baseline scorer decides as it does")
    colors = {1: style.PALETTE["blue"], -1: style.PALETTE["vermillion"]}
    bars = [ax.barh(i, 0, height=0.7, animated=True)[0] for i in range(_MAX_WORDS - 1)]
    words = [ax.text(0, i, "", va="center", fontsize=10, animated=True)
             for i in range(_MAX_WORDS - 1)]
    total = ax.barh(_MAX_WORDS, 0, height=0.8, color="black", animated=True)[0]
    total_text = ax.text(0, _MAX_WORDS, "", va="center", fontsize=10, fontweight="bold",
                         animated=True)
    quote = ax.text(-3.4, -4.1, "", va="center", fontsize=10, style="italic", animated=True)
    verdict = ax.text(-3.4, -2.45, "", va="center", fontsize=10, fontweight="bold",
                      animated=True)
    note = ax.text(-3.4, -1.45, "", va="center", fontsize=9.5, color="0.25", animated=True)
    for text in (*words, total_text, quote, verdict, note):
        text.set_in_layout(False)

    def update(example: int):
        text, _, comment = EXAMPLES[example - 1]
        parts = statements.contributions(text)
        shown = parts[:_MAX_WORDS - 2]
        if len(parts) > len(shown):
            rest = sum(v for _, v in parts[len(shown):])
            shown.append((f"{len(parts) - len(shown)} more words", rest))
        for i, (bar, label) in enumerate(zip(bars, words)):
            if i < len(shown):
                word, value = shown[i]
                bar.set_width(value)
                bar.set_facecolor(colors[1 if value > 0 else -1])
                bar.set_edgecolor("white")
                bar.set_hatch("" if value > 0 else "//")
                bar.set_visible(True)
                label.set_text(f"{word} ({value:+g})")
                label.set_position((value + (0.1 if value > 0 else -0.1), i))
                label.set_ha("left" if value > 0 else "right")
                label.set_visible(True)
            else:
                bar.set_visible(False)
                label.set_visible(False)
        if not parts:
            words[0].set_text("no word on the lists: score 0")
            words[0].set_position((0.1, 0))
            words[0].set_ha("left")
            words[0].set_visible(True)
        score, called, truth = _verdict(example)
        total.set_width(score)
        total_text.set_text(f"score {score:+g}")
        total_text.set_position((score + (0.1 if score >= 0 else -0.1), _MAX_WORDS))
        total_text.set_ha("left" if score >= 0 else "right")
        quote.set_text("\n".join(textwrap.wrap(f"“{text}”", 84)))
        verdict.set_text(f"Score {score:+g}, so it is called {called}-centric. {truth}")
        note.set_text(comment)
        return [*bars, *words, total, total_text, quote, verdict, note]

    return update


def describe_explain(example: int) -> str:
    """Alt text of the explainer for example number ``example`` (1-based)."""
    text, _, note = EXAMPLES[example - 1]
    parts = statements.contributions(text)
    counted = ", ".join(f"{w} {v:+g}" for w, v in parts) or "none"
    score, called, truth = _verdict(example)
    return (f"Example {example}: “{text}” {note} Words counted: {counted}. Score {score:+g}, "
            f"so the baseline calls it {called}-centric. {truth}")


def explain_explorer():
    """A slider over the example statements."""
    return explorer(explain_scene,
                    {"example": Slider("Example", tuple(range(1, len(EXAMPLES) + 1)), "{}")},
                    describe=describe_explain, figsize=(8.0, 4.2))
