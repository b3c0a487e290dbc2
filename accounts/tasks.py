from accounts import membership
from newsroom.tasks import task


@task("accounts.end_sessions")
def end_sessions(user_id: int) -> int:
    """Remove the session rows of a deleted account. Idempotent: a second run finds none."""
    return membership.end_sessions(user_id)
