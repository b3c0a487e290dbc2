"""The comments app's pages: public.py (the block under a story and readers' actions) and
desk.py (the moderators' desk)."""
