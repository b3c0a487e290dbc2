"""Sharing a story on social networks: card.py (the share card and the share bar's links),
fanout.py (the fan-out to every network, through the outbox), networks.py (each network's
metadata and refresh), image.py (the 1200x630 share image) and ratelimit.py (the token
bucket shared by every worker)."""
