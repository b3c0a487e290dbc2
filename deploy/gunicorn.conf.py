"""gunicorn's settings for the site (`gunicorn newsroom.wsgi -c deploy/gunicorn.conf.py`),
each from the environment with the value this project measured or chose.

Sync workers: a reader page is answered from the page cache in well under a millisecond and
a rendered one spends its time in Python, not waiting, so more processes (not threads) is
what serves more pages; WEB_CONCURRENCY defaults to 2 per core plus one (5 on 2 cores).
`kill -HUP <master>` reloads: new workers with the new code start before the old ones finish
their requests and leave (graceful_timeout), so a deploy drops no request."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request slower than this is a bug or an attack: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 15))
# Behind the edge (Varnish) on the same host or network: keep its connections open.
keepalive = 5
# Workers are replaced now and then, so a slow leak in a library never grows for weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# Each request already writes one log line with its id (newsroom.requestlog).
accesslog = None
errorlog = "-"
# The proxies whose X-Forwarded-* headers gunicorn believes (the edge).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
