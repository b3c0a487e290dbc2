"""Reader search: index.py keeps the index in step and asks it (SQLite FTS5 or PostgreSQL
pg_trgm, plus the short-gram index); text.py is the ORM-free text work both sides share."""
