"""Newsletters (뉴스레터): readers' subscriptions with double opt-in, the desk's issues,
their rendering as e-mail and their batched sending, and what the mail provider reports
back (bounces, complaints). The models live in articles.newsletters.models, registered
with the articles app through articles.models."""
