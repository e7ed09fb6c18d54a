"""The case business that runs through the book: Cobble & Chain Cycles.

One fictional business, so that data and exercises build on each other from chapter to
chapter. Everything here is invented for teaching and labelled as such in the book; the
shares below are assumptions a reader can change, not measurements.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NAME", "TOWN", "FOUNDED", "NOW", "TEAM", "WEEKLY_SOCIAL_HOURS", "SEGMENTS",
           "OPENING_HOURS", "Channel", "CHANNELS", "channel", "CHANNEL_KEYS", "Account", "ACCOUNTS",
           "account", "Decision", "TIMELINE", "decision"]

NAME = "Cobble & Chain Cycles"
TOWN = "Lindenford"
#: The year the shop opened by the towpath.
FOUNDED = 2016
#: When the book's story takes place: January 2026, looking back at 2025's customer posts
#: (chapter 4) and two years of weekly figures (chapter 6), and planning the year ahead.
NOW = "January 2026"
#: Who works there, and what they do.
TEAM = {
    "Maya Okafor": "owner; runs the counter, the books and the shop's online accounts",
    "Tomás Reyes": "mechanic; repairs, servicing and wheel builds, and the repair how-to videos",
    "Priya Nair": "part-time; rental bookings and the rental fleet, weekends included",
}
#: Hours a week the team can spend on social media, all three together.
WEEKLY_SOCIAL_HOURS = 4.0
#: When the shop is open (24-hour clock; None = closed). Nobody in town fixes bikes before work:
#: the shop opens at 9:30 on weekdays, after most commuters have started their shifts.
OPENING_HOURS = {
    "Monday": ("09:30", "18:00"), "Tuesday": ("09:30", "18:00"), "Wednesday": ("09:30", "18:00"),
    "Thursday": ("09:30", "18:00"), "Friday": ("09:30", "18:00"), "Saturday": ("09:00", "17:00"),
    "Sunday": ("10:00", "16:00"),  # rentals and quick fixes only
}

#: Who the customers are, with the problems they bring to the shop.
SEGMENTS = {
    "commuters": "need a flat tyre or a snapped chain fixed before work, today",
    "students": "want cheap, quick repairs and a second-hand bike that will not be stolen",
    "families": "ask which routes are safe for children and rent child seats and trailers",
    "tourists": "rent bikes for a day and want to know what is free on Saturday",
}


@dataclass(frozen=True)
class Channel:
    """A place where the shop's customers might be reached."""

    key: str
    name: str
    customer_share: float  # share of the shop's customers active there (an assumption)
    description: str


#: Channels, with the share of Cobble & Chain's customers active on each (synthetic).
CHANNELS: tuple[Channel, ...] = (
    Channel("maps", "Google Maps reviews", 0.70,
            "where people look up the shop, read reviews and ask questions"),
    Channel("whatsapp", "WhatsApp messages", 0.60,
            "direct messages about repairs and bookings"),
    Channel("locals_group", "Lindenford Locals (Facebook group)", 0.45,
            "the town's community group, where people ask for recommendations"),
    Channel("instagram", "Instagram", 0.35, "photos of rides, rentals and new bikes"),
    Channel("youtube", "YouTube", 0.30, "short repair how-to videos"),
    Channel("strava", "Lindenford Riders (Strava club)", 0.20,
            "the local club's weekly rides and route chat"),
    Channel("tiktok", "TikTok", 0.10, "short videos; mostly younger riders"),
    Channel("x", "X (Twitter)", 0.05, "a few local news and transport accounts"),
)
CHANNEL_KEYS = tuple(c.key for c in CHANNELS)


def channel(key: str) -> Channel:
    """The channel with this key; a ValueError lists the keys if there is none."""
    for c in CHANNELS:
        if c.key == key:
            return c
    raise ValueError(f"key must be one of {', '.join(CHANNEL_KEYS)}; got {key!r}.")


@dataclass(frozen=True)
class Account:
    """The shop's presence on one channel: since when, who looks after it, how it is used."""

    channel: str  # a key of CHANNELS
    since: int | None  # the year the shop joined; None = no account
    run_by: str | None  # a member of TEAM, or None
    use: str


#: Where the shop is present at the start of the story (January 2026), and since when.
ACCOUNTS: tuple[Account, ...] = (
    Account("maps", 2016, "Maya Okafor",
            "claimed the listing when the shop opened; answers reviews, questions often wait"),
    Account("whatsapp", 2020, "Priya Nair",
            "WhatsApp Business since the 2020 lockdown: repair and rental bookings"),
    Account("instagram", 2018, "Maya Okafor", "photos of rides, rentals and new bikes, now and then"),
    Account("youtube", 2022, "Tomás Reyes", "a few short repair how-tos a year"),
    Account("locals_group", 2017, "Maya Okafor",
            "a member, not a page: Maya reads the group now and then and rarely answers"),
    Account("strava", 2019, "Tomás Reyes", "rides with the club on Thursday evenings"),
    Account("x", 2016, "Maya Okafor", "opened with the shop; quiet since 2019"),
    Account("tiktok", None, None, "no account"),
)


def account(key: str) -> Account:
    """The shop's account on channel ``key``; a ValueError lists the keys if there is none."""
    channel(key)  # checks the key
    return next(a for a in ACCOUNTS if a.channel == key)


@dataclass(frozen=True)
class Decision:
    """What the team decides in one chapter of the book: the story's timeline."""

    chapter: int
    title: str
    decision: str


#: The story, chapter by chapter: what each chapter decides, the next builds on.
TIMELINE: tuple[Decision, ...] = (
    Decision(1, "Ignorance + arrogance = irrelevance",
             "Maya stops treating social media as optional: most of the shop's customers are "
             "already there, and every year of waiting costs more than the one before."),
    Decision(2, "Shiny-object syndrome",
             "The team's four hours a week go to the two channels where most customers are "
             "(Google Maps and WhatsApp), not to each new network that is in the news."),
    Decision(3, "Customer-centric questions",
             "The team writes down its customers' questions and rewrites its posts to start "
             "from them."),
    Decision(4, "Listen first",
             "A year of posts shows that customers talk most in the Lindenford Locals group, "
             "where the shop is absent, and that commuters want repairs before work. The plan "
             "changes: one of the four hours moves to answering in the group, and the shop "
             "pilots an early drop-off from 7:30 on Tuesdays and Thursdays from spring 2026."),
    Decision(5, "Be social, not a billboard",
             "Most posts become helpful (answers, repair tips, other people's useful links); "
             "promotion stays occasional, and the inspirational quotes stop."),
    Decision(6, "From tools to outcomes",
             "One objective, more repair bookings from questions answered online, measured by "
             "answered questions and review replies, not by followers."),
    Decision(7, "The seven blindspots",
             "An audit of the seven blindspots picks the two most urgent and the first actions."),
    Decision(8, "Capstone",
             "The plan on one page: customers and their questions, where they are, channels and "
             "hours, what to post, what to measure, and the first 90 days."),
)


def decision(chapter: int) -> Decision:
    """What the team decides in ``chapter`` (1 to 8)."""
    for d in TIMELINE:
        if d.chapter == chapter:
            return d
    raise ValueError(f"chapter must be one of {', '.join(str(d.chapter) for d in TIMELINE)}; "
                     f"got {chapter!r}.")
