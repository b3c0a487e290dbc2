"""The reader pages' cache: whole pages for everyone who is not staff, and the fragments many
pages share (the latest stories, the section menu, a story's comment block).

Invalidation by generations. Everything cached records the generation of each thing it was
built from ("story:12", "section:3", "home", "feeds"); a change bumps the generations of what
it touched, after its commit (`touch`). An entry whose recorded generations are not the
current ones is a miss, so a bump retires every page and fragment built from that thing at
once, whatever their keys (a story is on pages no one could list: each page of a section,
each sort of its comments, every search). A bump is one write per dependency; a hit reads
the generations of its own dependencies only.

The generations live in the shared cache (Redis in production, the file cache locally), so
a bump in one process reaches every other. Each process remembers the generations it read
for GENERATION_RECHECK seconds: an in-process hit then costs no round trip at all, and a
bump elsewhere is seen within that time. A generation the shared cache cannot give (evicted,
or Redis down) matches nothing: the page is rendered, never served stale.

Pages are kept in two tiers: a bounded LRU in each process in front of the shared cache.
"""

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache as shared
from django.db import transaction

from newsroom import outbox

# How long a process trusts the generations it read: the promise is "within 1 second of
# the commit" on every process, and a render takes its share of that second.
GENERATION_RECHECK = 0.5
# Clocks of the app servers may disagree by this much (see changed_since).
CLOCK_MARGIN = 1.0
_GENERATION = "gen:"


class _Generations:
    """The current generation of each dependency, remembered for GENERATION_RECHECK.

    A generation is "<time of the bump>-<random>": its time tells whether a change landed
    while a page was being built (see `changed_since`). A dependency nothing has bumped
    yet gets one dated 0."""

    def __init__(self):
        self._known: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def current(self, keys: Iterable[str]) -> tuple[str | None, ...]:
        keys = tuple(keys)
        now = time.monotonic()
        with self._lock:
            known = {key: self._known.get(key) for key in keys}
        stale = [
            key for key, seen in known.items() if seen is None or now - seen[1] > GENERATION_RECHECK
        ]
        if stale:
            fetched = shared.get_many([_GENERATION + key for key in stale])
            fresh = {}
            for key in stale:
                value = fetched.get(_GENERATION + key)
                if value is None:
                    # When the shared cache is down `add` fails and the read finds nothing:
                    # the generation stays unknown and matches no entry.
                    shared.add(_GENERATION + key, f"0-{uuid.uuid4().hex}", timeout=None)
                    value = shared.get(_GENERATION + key)
                fresh[key] = value
            read = {key: None if value is None else (value, now) for key, value in fresh.items()}
            with self._lock:
                for key, seen in read.items():
                    if seen is None:
                        self._known.pop(key, None)
                    else:
                        self._known[key] = seen
            known.update(read)
        return tuple(seen[0] if seen else None for seen in (known[key] for key in keys))

    def bump(self, keys: Iterable[str]) -> None:
        fresh = {key: f"{time.time():.6f}-{uuid.uuid4().hex}" for key in set(keys)}
        if not fresh:
            return
        shared.set_many({_GENERATION + key: value for key, value in fresh.items()}, timeout=None)
        now = time.monotonic()
        with self._lock:
            for key, value in fresh.items():
                self._known[key] = (value, now)

    def forget(self) -> None:
        with self._lock:
            self._known.clear()


def changed_since(built_from: Iterable[str | None], started: float) -> bool:
    """Whether any of these generations is unknown or was bumped after `started` (less a
    second for clocks of different machines): a page built meanwhile may hold the rows from
    before the change under the generation from after it, so it must not be kept."""
    for value in built_from:
        if value is None or float(value.split("-", 1)[0]) >= started - CLOCK_MARGIN:
            return True
    return False


generations = _Generations()


def touch(keys: Iterable[str], *, pages: bool = True) -> None:
    """Retire every page and fragment built from these things, once the transaction
    commits (a rolled-back change retires nothing; readers never see a page built from
    rows that were then undone, because the bump follows the commit). With an edge
    (EDGE_PURGE_URLS), the task `newsroom.purge_edge` purges the same keys there: its
    outbox row commits with the change, and is sent after the bump (callbacks run in the
    order they were registered), so the edge refetches pages the app has retired.
    `pages=False`: keys only fragments record (a reader's own comment block), which no
    page the edge keeps carries: nothing to purge there."""
    keys = frozenset(keys)
    if keys:
        transaction.on_commit(lambda: generations.bump(keys), robust=True)
        if pages and settings.EDGE_PURGE_URLS:
            outbox.enqueue("newsroom.purge_edge", sorted(keys))


def wait_until_seen(keys: Iterable[str]) -> None:
    """Return once every process has re-read the generations of `keys` since their last
    bump (GENERATION_RECHECK after it, by this machine's clock). Until then another process
    may still answer with a page retired here, and an edge fetching it would keep it."""
    values = shared.get_many([_GENERATION + key for key in keys]).values()
    bumped = max((float(value.split("-", 1)[0]) for value in values), default=0.0)
    delay = bumped + GENERATION_RECHECK - time.time()
    if delay > 0:
        time.sleep(min(delay, GENERATION_RECHECK))


@dataclass(frozen=True)
class Entry:
    dependencies: tuple[str, ...]
    built_from: tuple[str | None, ...]
    content: object
    expires_at: float  # time.time()

    def is_current(self) -> bool:
        if None in self.built_from:
            return False
        return generations.current(self.dependencies) == self.built_from


class _LocalTier:
    """A bounded LRU of entries, one per process."""

    def __init__(self):
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        now = time.time()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if now >= entry.expires_at:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        limit = settings.PAGE_CACHE_LOCAL_ENTRIES
        if limit <= 0:
            return
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


local = _LocalTier()


def lookup(key: str) -> Entry | None:
    """The current entry under `key`, from this process or the shared cache."""
    entry = local.get(key)
    from_shared = entry is None
    if from_shared:
        entry = shared.get(key)
        if not isinstance(entry, Entry):
            return None
    if not entry.is_current():
        return None
    if from_shared:
        local.put(key, entry)
    return entry


def store(key: str, dependencies: Iterable[str], built_from, content, timeout: int) -> None:
    """Keep `content`, built when `dependencies` had the generations `built_from`."""
    dependencies = tuple(dependencies)
    entry = Entry(dependencies, tuple(built_from), content, time.time() + timeout)
    local.put(key, entry)
    shared.set(key, entry, timeout=timeout)


def fragment(
    name: str,
    dependencies: Iterable[str],
    timeout: int,
    build: Callable[[], object],
    *,
    found_in: Callable[[object], Iterable[str]] | None = None,
):
    """`build()`'s result, kept under `name` until one of `dependencies` changes or
    `timeout` seconds pass. The generations are read before building, so a change
    committed while it builds retires the result at once. `found_in(result)` names more
    dependencies that only the result tells (a story's reporters); theirs are read just
    after building, so a change to one of them in those milliseconds waits for `timeout`."""
    if not settings.FRAGMENT_CACHE_ENABLED:
        return build()
    key = "fragment:" + hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
    entry = lookup(key)
    if entry is not None:
        return entry.content
    dependencies = tuple(sorted(set(dependencies)))
    built_from = generations.current(dependencies)
    content = build()
    if found_in is not None:
        more = tuple(sorted(set(found_in(content)) - set(dependencies)))
        dependencies, built_from = dependencies + more, built_from + generations.current(more)
    if None not in built_from:
        store(key, dependencies, built_from, content, timeout)
    return content


def clear() -> None:
    """Forget everything this process holds (the tests' isolation; the shared cache is
    cleared with the cache itself)."""
    local.clear()
    generations.forget()
