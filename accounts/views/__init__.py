"""Accounts' pages: public.py (a reader's own page, account deletion, the legal texts) and
staff.py (editors giving and removing staff roles)."""
