"""The case business that runs through the book: Cobble & Chain Cycles.

One fictional business, so that data and exercises build on each other from chapter to
chapter. Everything here is invented for teaching and labelled as such in the book; the
shares below are assumptions a reader can change, not measurements.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NAME", "TOWN", "TEAM", "WEEKLY_SOCIAL_HOURS", "SEGMENTS", "Channel", "CHANNELS",
           "channel", "CHANNEL_KEYS"]

NAME = "Cobble & Chain Cycles"
TOWN = "Lindenford"
#: Who works there, and what they do.
TEAM = {
    "Maya Okafor": "owner; runs the shop, the rentals fleet and the accounts",
    "Tomás Reyes": "mechanic; repairs, servicing and wheel builds",
    "Priya Nair": "part-time; front desk and bookings, weekends included",
}
#: Hours a week the team can spend on social media, all three together.
WEEKLY_SOCIAL_HOURS = 4.0
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
