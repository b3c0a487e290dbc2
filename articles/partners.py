"""The content API's partners: making one with its key, rotating the key, switching a
partner off or on (the only code that changes Partner rows), and the read-only checks the
API runs on each request: whose key it is, and whether they are over their rate.

A key is shown once, when it is made, and only its SHA-256 is kept. The keys are 256 bits
of randomness, so a plain hash (no salt, no slow hash) is enough to make a leaked table
useless, and lets a request find its partner through the hash's unique index in one query.

The rate limit counts requests per partner and clock minute in the database (PartnerUsage),
as the comment throttles and the log-in limits count theirs: the house cache fails open,
and a cache-only limit would stop limiting while Redis is down. A request adds one to its
minute's row in one upsert, so two requests at once never lose a count.
"""

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from accounts.errors import require
from accounts.models import User
from accounts.names import display_name
from articles.models import Partner, PartnerEvent, PartnerUsage

KEY_PREFIX = "nrk_"
# Usage rows older than this count for no limit (forget_usage deletes them).
KEEP_USAGE = timedelta(days=2)


@dataclass(frozen=True)
class RateLimited(Exception):
    """Over the partner's requests per minute; try again after `retry_after` seconds."""

    retry_after: int


def can_manage_partners(actor: User | None) -> bool:
    """`None` is the system (manage.py partner_key); otherwise whoever the admin lets add
    partners (superusers: no role carries the permission)."""
    if actor is None:
        return True
    return actor.is_active and actor.has_perm("articles.add_partner")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _record(partner: Partner, action: str, actor: User | None, **data) -> PartnerEvent:
    return PartnerEvent.objects.create(
        partner=partner,
        partner_name=partner.name,
        action=action,
        actor=actor,
        actor_name=display_name(actor),
        data=data,
    )


@transaction.atomic
def create_partner(
    name: str, *, actor: User | None, rate_per_minute: int = 60, is_active: bool = True
) -> tuple[Partner, str]:
    """A new partner and its key, which the caller shows once (it is not kept).
    History: created."""
    require(can_manage_partners(actor))
    key = _new_key()
    partner = Partner.objects.create(
        name=name.strip(),
        rate_per_minute=rate_per_minute,
        is_active=is_active,
        key_prefix=key[: len(KEY_PREFIX) + 4],
        key_hash=hash_key(key),
    )
    _record(partner, PartnerEvent.Action.CREATED, actor, rate_per_minute=rate_per_minute)
    return partner, key


@transaction.atomic
def rotate_key(partner: Partner, *, actor: User | None) -> str:
    """A new key for the partner; the old one stops working at once. History: key_rotated."""
    require(can_manage_partners(actor))
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    key = _new_key()
    old_prefix = partner.key_prefix
    partner.key_prefix = key[: len(KEY_PREFIX) + 4]
    partner.key_hash = hash_key(key)
    partner.key_rotated_at = timezone.now()
    partner.save(update_fields=["key_prefix", "key_hash", "key_rotated_at"])
    _record(partner, PartnerEvent.Action.KEY_ROTATED, actor, old=old_prefix, new=partner.key_prefix)
    return key


@transaction.atomic
def change_partner(
    partner: Partner, *, actor: User | None, is_active: bool, rate_per_minute: int
) -> Partner:
    """Switch the partner off or on, or change its rate. History: changed (old and new)."""
    require(can_manage_partners(actor))
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    old = {"is_active": partner.is_active, "rate_per_minute": partner.rate_per_minute}
    new = {"is_active": is_active, "rate_per_minute": rate_per_minute}
    if old == new:
        return partner
    partner.is_active, partner.rate_per_minute = is_active, rate_per_minute
    partner.save(update_fields=["is_active", "rate_per_minute"])
    _record(partner, PartnerEvent.Action.CHANGED, actor, old=old, new=new)
    return partner


# --- on each request ------------------------------------------------------------------------


def partner_for_key(key: str | None) -> Partner | None:
    """The active partner holding this key, or None (unknown, rotated away, or switched off)."""
    if not key or len(key) > 200:
        return None
    return Partner.objects.filter(key_hash=hash_key(key), is_active=True).first()


def count_request(partner: Partner, *, now: datetime | None = None) -> None:
    """One more request of the partner in this minute; raises RateLimited past its rate
    (the refused request counts too: a partner hammering past the limit stays refused)."""
    now = now or timezone.now()
    minute = now.replace(second=0, microsecond=0)
    count = _counted(partner.pk, minute)
    if count > partner.rate_per_minute:
        next_minute = minute + timedelta(minutes=1)
        raise RateLimited(max(1, math.ceil((next_minute - now).total_seconds())))


def _counted(partner_id: int, minute: datetime) -> int:
    """Adds one to the partner's row of the minute (making it if need be) and returns its
    count: one statement (SQLite 3.35+ and PostgreSQL both upsert and return), so two
    requests at once both count and a request always costs the same one query."""
    table = connection.ops.quote_name(PartnerUsage._meta.db_table)
    count = connection.ops.quote_name("count")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (partner_id, minute, {count}) VALUES (%s, %s, 1) "
            f"ON CONFLICT (partner_id, minute) DO UPDATE SET {count} = {table}.{count} + 1 "
            f"RETURNING {count}",
            [partner_id, connection.ops.adapt_datetimefield_value(minute)],
        )
        return cursor.fetchone()[0]


def forget_usage(now: datetime | None = None) -> int:
    """Deletes usage rows no limit counts any more. Returns how many."""
    cutoff = (now or timezone.now()) - KEEP_USAGE
    deleted, _by_model = PartnerUsage.objects.filter(minute__lt=cutoff).delete()
    return deleted
