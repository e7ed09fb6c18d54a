"""Figures of Chapter 2's channel simulator: where customers are, hype, hours and value."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.ticker import PercentFormatter

from ..data import case
from ..interactive import style
from ..models import channels as ch
from ..interactive.widgets import Slider, draw_scene, explorer

__all__ = ["customers_scene", "describe_customers", "market_scene", "describe_market",
           "hours_scene", "describe_hours", "hours_explorer", "value_scene", "describe_value",
           "spread_scene", "describe_spread", "spread_explorer", "switching_scene",
           "describe_switching", "switching_explorer", "draw_value", "LABELS"]

WEEKS = np.arange(1, ch.WEEKS + 1)
#: Slider grids: few positions keep the page light (every position is a stored image).
N_CHANNELS_VALUES = (1, 2, 3, 4, 6, 8)
SWITCH_VALUES = (1, 4, 8, 13, 26, 52)
MASTERY_VALUES = (5.0, 10.0, 20.0, 40.0)
#: How the lesson names the built-in strategies.
LABELS = {"chase_newest": "Chase the newest", "spread_evenly": "Spread evenly",
          "focus_on_customers": "Focus on customers"}
_STYLE = {
    "chase_newest": (style.PALETTE["vermillion"], "--"),
    "spread_evenly": (style.PALETTE["orange"], ":"),
    "focus_on_customers": (style.PALETTE["bluish_green"], "-"),
}
_VALUE_TOP = 100.0  # one y-axis for every frame, so heights compare across slider positions


def _market() -> ch.Market:
    return ch.Market.cobble_and_chain()


@lru_cache(maxsize=None)
def _year(mastery_hours: float = ch.DEFAULT_MASTERY_HOURS) -> ch.Result:
    """The built-in strategies and every slider team, simulated together (one vectorised run)."""
    teams = {**ch.STRATEGIES,
             **{f"focus_{n}": ch.focus_on(n) for n in N_CHANNELS_VALUES},
             **{f"switch_{w}": ch.switch_every(w) for w in SWITCH_VALUES}}
    return ch.simulate(teams, _market(), mastery_hours=mastery_hours)


def _cumulative(name: str, mastery_hours: float = ch.DEFAULT_MASTERY_HOURS) -> np.ndarray:
    result = _year(float(mastery_hours))
    return result.cumulative[result.names.index(name)]


def _points(x: float) -> str:
    return f"{x:.0f}" if x >= 10 else f"{x:.1f}"


# --- where the customers are --------------------------------------------------------------
def customers_scene(ax):
    """Bar chart of the share of Cobble & Chain's customers on each channel (all still)."""
    channels = sorted(case.CHANNELS, key=lambda c: c.customer_share)
    shares = [c.customer_share for c in channels]
    bars = ax.barh([c.name for c in channels], shares, color=style.PALETTE["blue"], height=0.65)
    ax.bar_label(bars, labels=[f"{s:.0%}" for s in shares], padding=3, fontsize=10)
    ax.set_xlim(0, 0.85)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.grid(axis="y", visible=False)
    style.label_axes(ax, x="Share of the shop's customers active there (synthetic)", y="",
                     title=f"Where {case.NAME}' customers are")
    return lambda: []


def describe_customers() -> str:
    """Alt text for :func:`customers_scene`."""
    parts = [f"{c.name} {c.customer_share:.0%}"
             for c in sorted(case.CHANNELS, key=lambda c: -c.customer_share)]
    return (f"Bar chart of the share of {case.NAME}' customers active on each channel "
            f"(synthetic): " + ", ".join(parts) + ".")


# --- the new networks -----------------------------------------------------------------------
def market_scene(ax, market: ch.Market | None = None):
    """Hype (dashed) and the shop's customers (solid) on each new network over the year."""
    market = market or _market()
    line = market.timeline()
    new = np.flatnonzero(market.is_new)
    colors = [style.PALETTE[k] for k in ("vermillion", "reddish_purple", "sky_blue", "orange")]
    for k, i in enumerate(new):
        color = colors[k % len(colors)]
        ax.plot(WEEKS, line["hype"][:, i], color=color, linestyle="--", linewidth=1.6)
        ax.plot(WEEKS, line["customers"][:, i], color=color, linestyle="-")
        ax.text(market.launch_weeks[i] + 1.6, 0.97, market.names[i], color=color, fontsize=10,
                fontweight="bold", va="top")
    # The legend explains the two kinds of line; the names on the peaks say which network.
    ax.plot([], [], color="0.3", linestyle="--", linewidth=1.6, label="Hype (buzz)")
    ax.plot([], [], color="0.3", linestyle="-", label="Share of the shop's customers there")
    top = int(np.argmax(market.customer_shares))
    ax.axhline(market.customer_shares[top], color="0.35", linewidth=1, linestyle=(0, (1, 2)))
    ax.text(1.5, market.customer_shares[top] + 0.02,
            f"{market.names[top]}: {market.customer_shares[top]:.0%} of the shop's customers",
            fontsize=9, color="0.25")
    ax.set_xlim(1, market.weeks)
    ax.set_ylim(0, 1.05)
    style.percent_axis(ax)
    style.label_axes(ax, x="Week of the year", y="Hype / share of customers",
                     title="New networks: the buzz comes first, the customers (a few) later")
    ax.legend(loc="center right", fontsize=9)
    return lambda: []


def describe_market(market: ch.Market | None = None) -> str:
    """Alt text for :func:`market_scene`."""
    market = market or _market()
    parts = [f"{market.names[i]} launches in week {market.launch_weeks[i] + 1} and ends the year "
             f"with {market.timeline()['customers'][-1, i]:.0%} of the shop's customers"
             for i in np.flatnonzero(market.is_new)]
    return (f"Hype and customers of the new networks over {market.weeks} weeks. Each network's "
            f"hype starts at 100% and halves every {market.hype_half_life:g} weeks. "
            + "; ".join(parts) + f". For comparison, {market.names[0]} has "
            f"{market.customer_shares[0]:.0%} all year.")


# --- where the hours go -----------------------------------------------------------------------
def hours_scene(ax):
    """Heat map of the hours a strategy gives each channel, week by week."""
    result = _year()
    market = result.market
    image = ax.imshow(np.zeros((market.n_channels, market.weeks)), aspect="auto",
                      cmap="Blues", vmin=0, vmax=case.WEEKLY_SOCIAL_HOURS, interpolation="nearest",
                      extent=(0.5, market.weeks + 0.5, market.n_channels - 0.5, -0.5),
                      animated=True)
    ax.set_yticks(range(market.n_channels), [_short(n) for n in market.names], fontsize=9)
    ax.grid(False)
    bar = ax.figure.colorbar(image, ax=ax, pad=0.02, fraction=0.04)
    bar.set_label("Hours that week")
    # A title of the full length now, so the layout leaves room for the one each frame sets.
    title = ax.set_title("Where the 4 hours go: focus on customers", loc="left", animated=True)
    ax.set_xlabel("Week of the year (new networks appear in the bottom rows)")

    def update(strategy: str):
        strategy = _key(strategy)
        image.set_data(result.hours[result.names.index(strategy)].T)
        title.set_text(f"Where the 4 hours go: {LABELS[strategy].lower()}")
        return [image, title]

    return update


def _key(strategy: str) -> str:
    """A built-in strategy's name from its name or its label ("Chase the newest")."""
    by_label = {label: key for key, label in LABELS.items()}
    if strategy not in LABELS and strategy not in by_label:
        raise ValueError(f"strategy must be one of {', '.join(LABELS)}; got {strategy!r}.")
    return by_label.get(strategy, strategy)


def _short(name: str) -> str:
    return name.split(" (")[0]


def describe_hours(strategy: str) -> str:
    """Alt text for :func:`hours_scene`."""
    strategy = _key(strategy)
    result = _year()
    hours = result.hours[result.names.index(strategy)]
    names = result.market.names
    used = [names[i] for i in np.flatnonzero(hours.sum(axis=0) > 0)]
    text = {
        "chase_newest": "spreads the hours thinly over every channel until the first new network "
                        "launches, then moves all 4 hours to each new network as it appears",
        "spread_evenly": "gives every live channel the same share of the 4 hours, new networks "
                         "included, so no channel ever gets more than half an hour",
        "focus_on_customers": "gives 2 hours a week to each of the two channels with the most "
                              "customers, all year",
    }[strategy]
    return (f"Heat map of hours per channel and week. {LABELS[strategy]} {text}. Channels used: "
            f"{', '.join(used)}. It switches channels {result.switches(strategy)} times.")


def hours_explorer():
    """One slider choosing the strategy whose hours are shown."""
    return explorer(hours_scene,
                    {"strategy": Slider("Strategy", tuple(LABELS.values()), "{}",
                                        initial=LABELS["chase_newest"])},
                    describe=describe_hours, figsize=(7.0, 4.0))


# --- value over the year -------------------------------------------------------------------
def _value_axes(ax, title: str, top: float = _VALUE_TOP) -> None:
    market = _market()
    for i in np.flatnonzero(market.is_new):
        week = market.launch_weeks[i] + 1
        ax.axvline(week, color="0.6", linewidth=1, linestyle=(0, (1, 2)))
        ax.text(week + 0.4, top * 0.97, market.names[i], fontsize=8, color="0.35", va="top")
    ax.set_xlim(1, market.weeks)
    ax.set_ylim(0, top)
    style.label_axes(ax, x="Week of the year", y="Value so far (points)", title=title)


def value_scene(ax):
    """Cumulative value of the three built-in strategies over the year (all still)."""
    curves = {name: _cumulative(name) for name in ch.STRATEGIES}
    for name, curve in curves.items():
        color, dash = _STYLE[name]
        ax.plot(WEEKS, curve, color=color, linestyle=dash, label=f"{LABELS[name]}: "
                f"{_points(curve[-1])} points")
    _value_axes(ax, "A year of four hours a week, three ways",
                top=float(np.ceil(max(c[-1] for c in curves.values()) / 10 + 0.5) * 10))
    ax.legend(loc="center left")
    return lambda: []


def describe_value() -> str:
    """Alt text for :func:`value_scene`."""
    parts = [f"{LABELS[n].lower()} {_points(_cumulative(n)[-1])}" for n in ch.STRATEGIES]
    return ("Value built up over the 52 weeks by each strategy, in value points: "
            + ", ".join(parts) + ". The focused team pulls ahead from the first weeks and the "
            "gap keeps growing.")


def _versus_scene(ax, team, label: str, title: str, param: str):
    """Scene shared by the two explorers: the built-ins (thin) and one team (thick black)."""
    refs = {}
    for name in ch.STRATEGIES:
        color, dash = _STYLE[name]
        refs[name], = ax.plot([], [], color=color, linestyle=dash, linewidth=1.6, animated=True,
                              label=LABELS[name])
    yours, = ax.plot([], [], color="black", linewidth=3, animated=True, label=label)
    note = ax.text(3, _VALUE_TOP * 0.56, "", fontsize=10, va="top", animated=True)
    _value_axes(ax, title)
    ax.legend(loc="upper left", fontsize=9, bbox_to_anchor=(0.0, 0.93))

    def update(mastery_hours: float, **params):
        for name, artist in refs.items():
            artist.set_data(WEEKS, _cumulative(name, mastery_hours))
        curve = _cumulative(team(params[param]), mastery_hours)
        yours.set_data(WEEKS, curve)
        note.set_text(f"{label}: {_points(curve[-1])} points\n"
                      f"(learning a channel: {mastery_hours:g} hours)")
        return [*refs.values(), yours, note]

    return update


def _reference_text(mastery_hours: float) -> str:
    return ", ".join(f"{LABELS[n].lower()} {_points(_cumulative(n, mastery_hours)[-1])}"
                     for n in ch.STRATEGIES)


# --- explorer 1: how many channels ------------------------------------------------------------
def spread_scene(ax):
    """Scene: a team focused on ``n_channels`` channels against the three strategies."""
    update = _versus_scene(ax, lambda n: f"focus_{n}", "Your team",
                           "How many channels should four hours cover?", "n_channels")
    return lambda n_channels, mastery_hours: update(mastery_hours, n_channels=n_channels)


def describe_spread(n_channels: int, mastery_hours: float) -> str:
    """Alt text for :func:`spread_scene`."""
    value = _cumulative(f"focus_{n_channels}", mastery_hours)[-1]
    best = max(N_CHANNELS_VALUES, key=lambda n: _cumulative(f"focus_{n}", mastery_hours)[-1])
    return (f"A team spreading its 4 weekly hours over the {n_channels} channel(s) with the most "
            f"customers, when {mastery_hours:g} hours of practice take a channel halfway to "
            f"mastery, earns {_points(value)} value points in the year. Of the choices on the "
            f"slider, {best} channel(s) earn the most. For comparison: "
            f"{_reference_text(mastery_hours)}.")


def spread_explorer():
    """Sliders: channels worked on and hours to learn a channel."""
    return explorer(
        spread_scene,
        {"n_channels": Slider("Channels the team works on", N_CHANNELS_VALUES, "{}", initial=2),
         "mastery_hours": Slider("Hours of practice to learn a channel", MASTERY_VALUES, "{:g}",
                                 initial=ch.DEFAULT_MASTERY_HOURS)},
        describe=describe_spread,
    )


# --- explorer 2: how often to switch -------------------------------------------------------
def switching_scene(ax):
    """Scene: a restless team that moves to the next two channels every few weeks."""
    update = _versus_scene(ax, lambda w: f"switch_{w}", "Restless team",
                           "What does switching cost?", "switch_weeks")
    return lambda switch_weeks, mastery_hours: update(mastery_hours, switch_weeks=switch_weeks)


def describe_switching(switch_weeks: int, mastery_hours: float) -> str:
    """Alt text for :func:`switching_scene`."""
    value = _cumulative(f"switch_{switch_weeks}", mastery_hours)[-1]
    how = ("never switches within the year" if switch_weeks >= ch.WEEKS
           else f"moves its hours to the next two channels every {switch_weeks} week(s)")
    return (f"A team that works on two of the four channels with the most customers and {how}, "
            f"when {mastery_hours:g} hours of practice take a channel halfway to mastery, earns "
            f"{_points(value)} value points in the year. For comparison: "
            f"{_reference_text(mastery_hours)}.")


def switching_explorer():
    """Sliders: how often the team switches and hours to learn a channel."""
    return explorer(
        switching_scene,
        {"switch_weeks": Slider("Switches every (weeks)", SWITCH_VALUES, "{}", initial=4),
         "mastery_hours": Slider("Hours of practice to learn a channel", MASTERY_VALUES, "{:g}",
                                 initial=ch.DEFAULT_MASTERY_HOURS)},
        describe=describe_switching,
    )


def draw_value(ax) -> None:
    """Draw the three strategies' value over the year as an ordinary static figure."""
    draw_scene(ax, value_scene)
