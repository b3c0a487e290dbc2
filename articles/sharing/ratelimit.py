"""A rate limit per network shared by every worker: a token bucket in Redis.

The bucket lives in the cache's Redis (REDIS_URL) and is updated by one Lua script, so
every worker process on every machine draws from the same bucket, with Redis's own clock.

Without Redis (no REDIS_URL, or Redis not answering within a quarter second) each process
falls back to a bucket of its own at the same rate. That fallback never fails open and is
never silent: it still limits, and a warning says that the limit is now per process (N
processes may together reach N times the rate). Celery's own `rate_limit` would be per
process all the time.
"""

import logging
import threading
import time
from functools import cache

from django.conf import settings

logger = logging.getLogger(__name__)

# KEYS[1]: the bucket; ARGV: tokens per second, burst, the longest wait the caller accepts.
# Returns the seconds to wait before the caller may go. A wait it accepts reserves the
# token now (the bucket goes below zero), so callers queue up instead of all waking at once
# to the same token; a longer wait reserves nothing.
TOKEN_BUCKET = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local patience = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or t
tokens = math.min(burst, tokens + math.max(0, t - at) * rate)
local wait = 0
if tokens < 1 then wait = (1 - tokens) / rate end
if wait <= patience then tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(t))
redis.call('EXPIRE', KEYS[1], math.ceil((burst + patience * rate) / rate) + 60)
return tostring(wait)
"""
WARN_EVERY = 60.0


class LocalBucket:
    """The fallback: the same bucket, in this process only."""

    def __init__(self):
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, float]] = {}

    def take(self, key: str, rate: float, burst: int, patience: float) -> float:
        with self._lock:
            now = time.monotonic()
            tokens, at = self._state.get(key, (float(burst), now))
            tokens = min(burst, tokens + (now - at) * rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / rate
            if wait <= patience:
                tokens -= 1
            self._state[key] = (tokens, now)
            return wait


_local = LocalBucket()
_last_warning = {"at": 0.0}


@cache
def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25)


def acquire(network: str, *, per_minute: int, patience: float, burst: int | None = None) -> float:
    """Take a token for one call to the network. Returns the seconds to wait: up to
    `patience`, the token is the caller's once it has waited that long; longer, nothing
    was taken and the caller should come back later."""
    rate = per_minute / 60.0
    burst = burst or max(1, min(per_minute, 10))
    key = f"newsroom:share-rate:{network}"
    url = settings.REDIS_URL
    if url:
        try:
            wait = float(_client(url).eval(TOKEN_BUCKET, 1, key, rate, burst, patience))
        except Exception as error:  # any Redis trouble: limit here instead, and say so
            _warn(f"Redis is not answering ({error!r})")
        else:
            return wait
    else:
        _warn("REDIS_URL is not set")
    return _local.take(key, rate, burst, patience)


def _warn(why: str) -> None:
    now = time.monotonic()
    if now - _last_warning["at"] >= WARN_EVERY or _last_warning["at"] == 0.0:
        _last_warning["at"] = now
        logger.warning(
            "share rate limit: %s; limiting per worker process, so all processes together "
            "may exceed the network's rate",
            why,
        )
