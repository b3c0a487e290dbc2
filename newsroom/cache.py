"""The house cache on Redis, failing open in every operation, `add` included.

django-redis with IGNORE_EXCEPTIONS answers a miss for a read and drops a write while Redis
is away, but its `add` answers None, which callers read as "someone else holds the key".
allauth's rate limits take a lock with `add` and refuse the request when they cannot get
it, so every password reset, e-mail change and "send again" answered 429 after a second's
wait during an outage. Here an `add` that could not reach Redis reports success: the
cache's locks and counters then hold nothing, as every other operation already does, and
the limits that must hold through an outage are counted in the database
(accounts.limits).
"""

from django_redis.cache import RedisCache


class FailOpenRedisCache(RedisCache):
    def add(self, *args, **kwargs) -> bool:
        added = super().add(*args, **kwargs)
        # None only when the connection failed (the client answers True or False).
        return True if added is None else added
