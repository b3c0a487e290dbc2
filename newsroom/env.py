"""Strict readers for settings taken from the environment.

A value that cannot be read is an ImproperlyConfigured error naming the variable, never a
silent default: django-environ's own boolean cast turns "ture" into False, which would
quietly switch a feature off in production.
"""

import os
from collections.abc import Iterable

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_REQUIRED = object()


def _raw(name: str, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if default is _REQUIRED:
            raise ImproperlyConfigured(f"{name} must be set in the environment.")
        return None
    return value.strip()


def string(name: str, default: str | object = _REQUIRED) -> str:
    value = _raw(name, default)
    return default if value is None else value


def boolean(name: str, default: bool) -> bool:
    value = _raw(name, default)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of true, false, 1, 0, yes, no, on, off."
    )


def integer(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name, default)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def choice(name: str, choices: Iterable[str], default: str) -> str:
    allowed = tuple(choices)
    value = _raw(name, default)
    if value is None:
        return default
    if value not in allowed:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(allowed)}.")
    return value


def string_list(name: str, default: list[str] | object = _REQUIRED) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    value = _raw(name, default)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def redis_url(name: str) -> str | None:
    value = _raw(name, None)
    if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name}={value!r} is not a redis:// or rediss:// URL.")
    return value


def database(name: str, default: dict) -> dict:
    value = _raw(name, None)
    if value is None:
        return default
    try:
        config = environ.Env.db_url_config(value)
    except Exception as error:  # its parser raises a mix of KeyError and ValueError
        raise ImproperlyConfigured(f"{name} is not a database URL: {error}") from None
    if config.get("ENGINE") not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(f"{name} must point at PostgreSQL (postgres://...).")
    return config


def email(name: str) -> dict | None:
    value = _raw(name, None)
    if value is None:
        return None
    try:
        return environ.Env.email_url_config(value)
    except Exception as error:
        raise ImproperlyConfigured(f"{name} is not an e-mail URL: {error}") from None
