from accounts import limits, membership
from newsroom.tasks import task


@task("accounts.end_sessions")
def end_sessions(user_id: int) -> int:
    """Remove the session rows of a deleted account. Idempotent: a second run finds none."""
    return membership.end_sessions(user_id)


@task("accounts.forget_attempts")
def forget_attempts() -> int:
    """Delete the counted log-in, sign-up and mail attempts no limit counts any more."""
    return limits.forget_old()
