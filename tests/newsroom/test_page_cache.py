"""The page cache's own machinery (newsroom.pagecache): generations, the two tiers, and the
rule that nothing built while its dependencies changed is kept."""

import time

import pytest
from django.core.cache import cache
from django.db import transaction

from newsroom import pagecache

pytestmark = pytest.mark.usefixtures("page_cache")


def build_counter():
    calls = []

    def build():
        calls.append(1)
        return f"built {len(calls)}"

    return build


def test_a_fragment_is_built_once_until_a_dependency_is_bumped():
    build = build_counter()
    assert pagecache.fragment("latest", {"stories"}, 60, build) == "built 1"
    assert pagecache.fragment("latest", {"stories"}, 60, build) == "built 1"
    pagecache.generations.bump({"stories"})
    assert pagecache.fragment("latest", {"stories"}, 60, build) == "built 2"


def test_a_bump_waits_for_the_commit_and_a_rollback_bumps_nothing():
    build = build_counter()
    pagecache.fragment("block", {"comments:1"}, 60, build)

    def undone_change():
        with transaction.atomic():
            pagecache.touch({"comments:1"})
            raise RuntimeError("the change is undone")

    with pytest.raises(RuntimeError):
        undone_change()
    assert pagecache.fragment("block", {"comments:1"}, 60, build) == "built 1"
    with transaction.atomic():
        pagecache.touch({"comments:1"})
        assert pagecache.fragment("block", {"comments:1"}, 60, build) == "built 1"
    assert pagecache.fragment("block", {"comments:1"}, 60, build) == "built 2"


def test_another_process_sees_a_bump_within_the_recheck_time(monkeypatch):
    build = build_counter()
    pagecache.fragment("menu", {"sections"}, 60, build)
    # Another process bumps: the shared cache changes, this process's memory does not.
    cache.set("gen:sections", f"{time.time():.6f}-elsewhere", timeout=None)
    assert pagecache.fragment("menu", {"sections"}, 60, build) == "built 1"
    later = time.monotonic() + pagecache.GENERATION_RECHECK + 0.01
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: later)
    assert pagecache.fragment("menu", {"sections"}, 60, build) == "built 2"


def test_the_local_tier_is_bounded(settings):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 3
    for number in range(5):
        pagecache.fragment(f"part {number}", {"home"}, 60, build_counter())
    assert len(pagecache.local._entries) == 3


def test_without_the_shared_cache_nothing_is_kept_and_everything_is_built(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    pagecache.clear()
    build = build_counter()
    pagecache.fragment("latest", {"stories"}, 60, build)
    assert pagecache.fragment("latest", {"stories"}, 60, build) == "built 2"


def test_a_generation_bumped_while_a_page_was_built_makes_it_unkeepable():
    started = time.time()
    never = pagecache.generations.current({"story:1"})
    assert not pagecache.changed_since(never, started)
    pagecache.generations.bump({"story:1"})
    assert pagecache.changed_since(pagecache.generations.current({"story:1"}), started)
    assert pagecache.changed_since((None,), started)
