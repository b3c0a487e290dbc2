"""The generated archive (manage.py generate_archive, made by the comments app's command,
which alone may write both stories and comments): its words, its bulk writer and its
stories. Measuring the site at scale is its only use."""
