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
    Account("youtube", 2022, "Tomás Reyes",
            "a few short repair how-tos a year, each put up once Maya has watched it"),
    Account("locals_group", 2020, "Maya Okafor",
            "a member, not a page, since a resident started the group in the spring 2020 "
            "lockdown: Maya reads it now and then and rarely answers"),
    Account("strava", 2019, "Tomás Reyes",
            "rides with the club on Thursday evenings and leaves questions about the shop to Maya"),
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
             "Looking back at the Lindenford Locals group, which the shop joined in 2020 in name "
             "only, Maya stops treating social media as optional: every year of waiting costs "
             "more than the one before, and a presence that only posts earns little."),
    Decision(2, "Shiny-object syndrome",
             "The team's four hours a week go to the two channels where most customers are, "
             "two hours each on Google Maps and WhatsApp, not to each new network that is in "
             "the news."),
    Decision(3, "Customer-centric questions",
             "The team writes down its customers' questions and rewrites its posts to start "
             "from them."),
    Decision(4, "Listen first",
             "A year of posts shows that customers talk most in the Lindenford Locals group, "
             "where the shop is absent, and that commuters want repairs before work. The plan "
             "of chapter 2 changes: Google Maps keeps its two hours, WhatsApp, where nearly "
             "every message is already answered, keeps one, and one hour a week moves to "
             "answering in the group (Maya); the shop pilots an early drop-off from 7:30 on "
             "Tuesdays and Thursdays from spring 2026."),
    Decision(5, "Be social, not a billboard",
             "Most posts become helpful (answers, repair tips, other people's useful links); "
             "promotion stays occasional, and the inspirational quotes stop."),
    Decision(6, "From tools to outcomes",
             "One objective, more repair bookings from questions answered online, measured by "
             "answered questions and review replies, not by followers."),
    Decision(7, "The seven blindspots",
             "An audit of 2025 finds the shop most blind in its content (blindspot 6: about one "
             "post in five helped anyone, and almost one in three was filler) and in trusting its "
             "team (blindspot 5: only Maya may speak for the shop, and nothing is written down). "
             "First actions: a one-page guideline, then Tomás and Priya share and answer "
             "customers in their own words, under it, without waiting for Maya: Priya on "
             "WhatsApp, Tomás under his videos and in the club."),
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


#: The team's weekly social media hours by channel, as decided in chapter 2 (before listening)
#: and changed in chapter 4 (after listening); see TIMELINE. Each adds up to WEEKLY_SOCIAL_HOURS.
PLAN_HOURS = {
    2: {"maps": 2.0, "whatsapp": 2.0},
    4: {"maps": 2.0, "whatsapp": 1.0, "locals_group": 1.0},
}
__all__ += ["PLAN_HOURS"]


# --- Chapter 5 ---
#: People following at least one of the shop's accounts in January 2026 (synthetic).
FOLLOWERS = 700
#: People in and around Lindenford who ride and could ever follow a local bike shop (an assumption).
LOCAL_RIDERS = 6000
#: How Maya posted on Instagram in 2025 (synthetic): about twice a week, mostly new bikes and
#: rental offers, an inspirational quote most Mondays, a repair tip now and then.
POSTING_2025 = {"posts_per_week": 2.0, "helpful": 0.15, "promotional": 0.5, "filler": 0.35}
#: Posts a week (answers in the Locals group and on Google Maps included) that the team can
#: write well from 2026 on, within its four hours (an assumption).
POSTS_PER_WEEK = 5


@dataclass(frozen=True)
class Draft:
    """A post drafted for the week of 26 January 2026, and the kind the team sorted it into."""

    label: str
    channel: str  # a key of CHANNELS
    by: str  # a member of TEAM
    text: str
    kind: str  # "helpful", "promotional" or "filler"


#: Chapter 5's activity: the posts Maya and Tomás drafted for one week, before sorting. Maya's go
#: where her hours are (the Google Maps listing and the Locals group); Tomás's go on the two
#: accounts he looks after outside the four hours (see OUTSIDE_THE_HOURS).
DRAFTS: tuple[Draft, ...] = (
    Draft("A", "maps", "Maya Okafor", "Winter service week! 20% off a full service until the "
          "end of February. Book at the counter or send us a WhatsApp.", "promotional"),
    Draft("B", "locals_group", "Maya Okafor", "Sam asked what to do about a puncture on the way "
          "to work: carry a spare tube and a mini pump, and the swap takes ten minutes at the "
          "roadside. Tomás shows how in a two-minute video (link).", "helpful"),
    Draft("C", "maps", "Maya Okafor", "Monday motivation: \"Life is like riding a bicycle. "
          "To keep your balance, you must keep moving.\"", "filler"),
    Draft("D", "youtube", "Tomás Reyes", "Road salt eats chains. A five-minute routine after wet "
          "winter rides: rinse, dry, oil, wipe off the extra.", "helpful"),
    Draft("E", "strava", "Tomás Reyes", "The council's map of the towpath diversion during "
          "February's bridge works (link to their page), and the quiet back-road detour we will "
          "take on Thursday's ride.", "helpful"),
    Draft("F", "maps", "Maya Okafor", "Just in: three new city e-bikes in the window. Pop in "
          "for a test ride!", "promotional"),
    Draft("G", "locals_group", "Maya Okafor", "For members of this group: 10% off child seats and "
          "trailers over half term. Just mention Lindenford Locals at the counter.", "promotional"),
    Draft("H", "maps", "Maya Okafor", "Happy Friday, everyone! Have a lovely weekend.",
          "filler"),
)
__all__ += ["FOLLOWERS", "LOCAL_RIDERS", "POSTING_2025", "POSTS_PER_WEEK", "Draft", "DRAFTS"]


# --- Chapter 7 ---
#: Who may speak for the shop in public without asking first, in January 2026. Maya wants the
#: shop to speak with one voice, hers: Tomás's videos go up once she has watched them and he
#: leaves questions about the shop to her, Priya answers private WhatsApp messages only, and none
#: of this is written down.
PUBLIC_VOICES = ("Maya Okafor",)
#: Share of the rest of the team's public posts about the shop that wait for Maya's approval.
APPROVAL_SHARE = 1.0
#: Whether the team has a written social media guideline: not yet.
WRITTEN_GUIDELINES = False
#: Tomás's videos in 2025: four short repair how-tos, each answering a question customers ask at
#: the counter, and no videos about products.
VIDEOS_2025 = {"customer_needs": 4, "products": 0}
#: The four jobs social media can do for a business, and whether it did each for the shop in 2025:
#: bookings come in on WhatsApp, reviews get answers on Google Maps, Instagram shows the bikes,
#: but nothing customers say online has shaped what the shop offers.
SOCIAL_JOBS_2025 = {"selling": True, "service": True, "shaping the offer": False, "marketing": True}
#: The figures Maya looked at in 2025 to judge the shop's social media.
WATCHED_METRICS_2025 = ("followers", "likes")
__all__ += ["PUBLIC_VOICES", "APPROVAL_SHARE", "WRITTEN_GUIDELINES", "VIDEOS_2025",
            "SOCIAL_JOBS_2025", "WATCHED_METRICS_2025"]


# --- Chapter 6 ---
#: Where the shop stood in January 2026 on the six stages of social business (stage names from
#: Li & Solis, 2013; the yes/no questions are ``socialkit.models.outcomes.STAGES``), with evidence.
STAGE_SELF_ASSESSMENT = {
    "Planning": (True, "chapter 4's year of customer posts showed where customers talk and what "
                       "they ask"),
    "Presence": (True, "accounts on Google Maps, WhatsApp and Instagram, kept up for years"),
    "Engagement": (True, "nearly every WhatsApp message and most Google Maps questions get an "
                         "answer (the Locals group is the gap)"),
    "Formalized": (False, "no owner's routine, objective or guidelines written down"),
    "Strategic": (False, "Maya judged social media by followers and likes"),
    "Converged": (False, "what customers say online has not yet shaped the offer"),
}
#: Chapter 6's decision as the plan states it: one objective and its metric chain.
OBJECTIVE_2026 = "More repair bookings that start from a question answered online."
METRIC_CHAIN_2026 = {
    "activity": "answer customers' questions within a working day and reply to every Google Maps "
                "review",
    "leading": "questions answered and review replies per week",
    "outcome": "repair bookings per week",
}
__all__ += ["STAGE_SELF_ASSESSMENT", "OBJECTIVE_2026", "METRIC_CHAIN_2026"]


# --- Who does what, from Chapter 4 on (the plan's hours, the group, the guideline) ---
#: Who spends each channel's weekly hours of the plan after listening (PLAN_HOURS[4]).
HOURS_BY = {"maps": "Maya Okafor", "whatsapp": "Priya Nair", "locals_group": "Maya Okafor"}
#: Who answers customers in the Lindenford Locals group: Maya, a member in her own name since
#: 2020 (the shop has no page there, so nobody can post "as the shop").
GROUP_ANSWERER = "Maya Okafor"
#: Work on the shop's accounts that is not part of the four weekly hours, and why.
OUTSIDE_THE_HOURS = {
    "youtube": "Tomás films his short repair how-tos in quiet workshop time, as part of the "
               "mechanic's job",
    "strava": "Tomás rides with the club on Thursday evenings in his own time",
}
#: The written guidelines Chapter 7 decides on: one, a page long, and what it covers.
GUIDELINES_2026 = 1
GUIDELINE_2026 = ("what to answer, what to pass to Maya, how to handle a complaint, and what "
                  "never to post")
#: Who may speak for the shop in public without asking first, once the guideline is written.
PUBLIC_VOICES_UNDER_GUIDELINE = tuple(TEAM)
#: Chapter 5's decision in posts a week, by kind (adds up to POSTS_PER_WEEK): the model's best
#: mix at five posts a week is about one offer in five.
WEEKLY_MIX_2026 = {"helpful": 4, "promotional": 1, "filler": 0}
#: The outcome metric's period: the plan counts repair bookings per week (METRIC_CHAIN_2026).
OUTCOME_PERIOD = "week"
__all__ += ["HOURS_BY", "GROUP_ANSWERER", "OUTSIDE_THE_HOURS", "GUIDELINES_2026", "GUIDELINE_2026",
            "PUBLIC_VOICES_UNDER_GUIDELINE", "WEEKLY_MIX_2026", "OUTCOME_PERIOD"]


# --- The team's own answers: the book's sample plan ---
def hours_text(hours: dict[str, float]) -> str:
    """Weekly hours as the plan writes them: ``Google Maps 2 h, WhatsApp 1 h, ...``."""
    short = {"locals_group": "Lindenford Locals group", "maps": "Google Maps", "whatsapp": "WhatsApp"}
    return ", ".join(f"{short.get(k, channel(k).name)} {h:g} h" for k, h in hours.items())


_WORDS = {0: "no", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
_FIRST = {name: name.split()[0] for name in TEAM}
_MAYA, _TOMAS, _PRIYA = (_FIRST[n] for n in TEAM)

#: The answers Maya's team gives in the "Your plan" worksheets, following TIMELINE: the sample
#: plan of the book (``socialkit.apps.plan.sample_answers`` fills the ``{fields}`` with
#: numbers from the book's models, so that no number here is typed in).
SAMPLE_PLAN_ANSWERS = {
    "my-strategy": {
        "business": "",
        "ch2_channels": f"{hours_text(PLAN_HOURS[2])}. Nothing on TikTok or X until our "
                        "customers are there.",
        "ch4_findings": "Customers talk most in the Lindenford Locals Facebook group ({group_posts} "
                        "posts last year), and we answered {group_rate} of them: {group_gap_share} "
                        "of everything nobody answered. Commuters keep asking for repairs before "
                        "work ({unmet_posts} posts). Posts written on a Saturday wait about "
                        "{saturday_hours} hours for a reply.",
        "ch4_revised_channels": hours_text(PLAN_HOURS[4]),
        "ch5_content_mix": f"{_WORDS[POSTS_PER_WEEK].capitalize()} posts a week: "
                           f"{_WORDS[WEEKLY_MIX_2026['helpful']]} helpful (answers to the questions "
                           f"we get most, {_TOMAS}'s repair tips, useful links such as the "
                           "council's towpath diversion map) and "
                           f"{_WORDS[WEEKLY_MIX_2026['promotional']]} offer (the early drop-off "
                           "pilot or a Locals group offer). "
                           f"{_WORDS[WEEKLY_MIX_2026['filler']].capitalize()} filler: the quotes "
                           "stop.",
        "ch6_objective": OBJECTIVE_2026,
        "ch6_metric_chain": f"Activity: {METRIC_CHAIN_2026['activity']} → leading metric: "
                            f"{METRIC_CHAIN_2026['leading']} → outcome: "
                            f"{METRIC_CHAIN_2026['outcome']}. Not followers or likes.",
        "ch7_urgent_blindspots": "Not creating social content (audit score {content_score}): in "
                                 "2025 only {helpful_share} of our posts helped anyone, and "
                                 "{filler_share} were filler. Not trusting employees "
                                 f"({{trust_score}}): only {_MAYA} may speak for the shop, with "
                                 f"no written guideline, so {_TOMAS}'s repair know-how and "
                                 f"{_PRIYA}'s rental answers wait for her.",
        "ch7_first_actions": f"{_MAYA} writes {_WORDS[GUIDELINES_2026]} page of guidelines "
                             f"({GUIDELINE_2026}); under it, {_TOMAS} and {_PRIYA} answer "
                             f"customers in their own words: {_PRIYA} on WhatsApp, {_TOMAS} under "
                             "his videos and in the club.",
        "ch8_first_90_days": f"Month 1: {_MAYA} answers every question in the Locals group "
                             "within a working day (her "
                             f"{_WORDS[int(PLAN_HOURS[4]['locals_group'])]} hour a week there) and "
                             f"writes the guideline; {_PRIYA} adds a Saturday lunchtime check "
                             "and an automatic WhatsApp reply. Month 2: the early drop-off pilot "
                             f"starts, announced where people asked for it; {_TOMAS} films two "
                             "repair tips in workshop time. Month 3: count answered questions "
                             f"and repair bookings per {OUTCOME_PERIOD}; keep, change or drop "
                             "each step.",
        "ch8_prepared_by": f"Prepared for {next(iter(TEAM))}, owner, by the book's authors (a "
                           "sample answer).",
    },
    "03-cobble-and-chain": {
        "where": "The Lindenford Locals Facebook group, to ask neighbours for recommendations; "
                 "Google Maps, to check opening hours and reviews; WhatsApp, to book.",
        "asking": "“Can anyone fix a puncture before 8?” “Which riverside route is OK for a "
                  "seven-year-old?” “Is there a bike free to rent this Saturday?”",
        "answers": "Before a repair, a neighbour's tip in the Locals group; before a rental, "
                   "our Google Maps listing; after a bad experience, nobody from the shop.",
        "trusted": f"Neighbours in the Locals group, the Lindenford Riders club, and {_TOMAS} "
                   "when they meet him.",
        "expect": "A quick, honest answer; repairs that fit around work; clear prices; a reply "
                  "at the weekend too.",
        "value": "Promise: your bike back on the road without missing a day. Online: answer "
                 "repair questions where people ask them, the same day.",
        "customer": "Commuters: a flat tyre or a snapped chain before work, and a shop that "
                    "opens after their shift starts.",
        "solves": "“Dropped my bike off on the way in, rode it home fixed.”",
        "seeking": "People asking the Locals group for an early repair, and Maps searches for "
                   "bike repair before 9.",
        "neighbour": "Answer repair and route questions even when no repair follows; point to "
                     "other people's useful advice; say sorry quickly when we get it wrong.",
    },
}
__all__ += ["hours_text", "SAMPLE_PLAN_ANSWERS"]
