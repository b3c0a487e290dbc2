"""gunicorn's settings for the site (`gunicorn newsroom.wsgi -c deploy/gunicorn.conf.py`),
each from the environment with the value this project measured or chose.

Processes for the CPU (WEB_CONCURRENCY: 2 a core plus one, 5 on 2 cores), each with a few
threads (GUNICORN_THREADS, 4) for the waiting: the gthread worker also keeps connections alive
(the edge's), which sync workers close after every answer. Measured with benchmarks/servers.py
(docs/benchmarks.md, "WSGI server"): as fast as sync workers on cached pages, faster on
rendered ones. granian served cached pages faster still, but dropped requests on its SIGHUP
reload (tests/newsroom/test_serving.py caught it); gunicorn's reload drops none: `kill -HUP
<master>` starts new workers with the new code before the old ones finish their requests and
leave (graceful_timeout)."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A request slower than this is a bug or an attack: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 15))
# Behind the edge (Varnish) on the same host or network: keep its connections open.
keepalive = 30
# Workers are replaced now and then, so a slow leak in a library never grows for weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# Each request already writes one log line with its id (newsroom.requestlog).
accesslog = None
errorlog = "-"
# The proxies whose X-Forwarded-* headers gunicorn believes (the edge).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
