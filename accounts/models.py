from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import legal, nicknames
from newsroom.models import HistoryEntry


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who signs in: readers and staff. Staff rights come from roles (accounts.roles)."""

    # Stored lower-cased (see save): log-in looks addresses up case-insensitively, so two
    # spellings of one address must never be two accounts.
    email = models.EmailField(_("e-mail address"), unique=True)
    # The public name (comments, the header). Staff may have none: bylines come from their
    # staff profile. Only accounts.membership sets it, after accounts.validators checked it.
    nickname = models.CharField(
        _("nickname"),
        max_length=nicknames.MAX_LENGTH,
        blank=True,
        help_text=_("Shown to other readers instead of the e-mail address."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Set by roles: staff with a role may use the admin within their rights."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # One name, one reader, whatever the case ("Sol" and "sol"); this index also
            # serves the availability check. Accounts without a nickname are left out.
            models.UniqueConstraint(
                Lower("nickname"),
                condition=~models.Q(nickname=""),
                name="user_nickname_ci_unique",
                violation_error_message=_("This nickname is already taken."),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


class StaffProfile(models.Model):
    """What readers see of a staff member: the byline and the reporter page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    byline_name = models.CharField(_("byline name"), max_length=60)
    slug = models.SlugField(_("URL slug"), max_length=80, unique=True, allow_unicode=True)
    title = models.CharField(_("title"), max_length=30, default="기자")
    public_email = models.EmailField(_("public e-mail"), blank=True)
    bio = models.TextField(_("short bio"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["byline_name"]
        permissions = [
            ("access_desk", _("Can use the newsroom desk")),
            ("manage_roles", _("Can grant and remove staff roles")),
        ]

    def __str__(self) -> str:
        return f"{self.byline_name} {self.title}"


class RoleChange(HistoryEntry):
    """History of role grants and removals, of accounts switched off or on, and of the
    sections a moderator works on. Survives the deletion of either account."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REVOKED = "revoked", _("Revoked")
        DEACTIVATED = "deactivated", _("Account deactivated")
        REACTIVATED = "reactivated", _("Account reactivated")
        SECTIONS_CHANGED = "sections_changed", _("Moderator's sections changed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="role_changes",
    )
    user_email = models.EmailField(_("user's e-mail at the time"))
    role = models.CharField(_("role"), max_length=20)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        indexes = [
            # A user's role history, newest first (admin and audits).
            models.Index(fields=["user", "-created_at"], name="rolechange_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_email}: {self.role} {self.action}"


class Consent(models.Model):
    """A reader's agreement to one version of one text, given at sign-up. Personal data:
    deleted with the account."""

    class Kind(models.TextChoices):
        TERMS = legal.TERMS, _("Terms of use")
        PRIVACY = legal.PRIVACY, _("Collection and use of personal information")
        AGE14 = legal.AGE14, _("Aged 14 or older")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(_("consent to"), max_length=10, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=20)
    given_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["given_at", "pk"]
        constraints = [
            # Its index, led by user, also serves "a reader's consents" (my page).
            models.UniqueConstraint(
                fields=["user", "kind", "version"], name="consent_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.version}"


class AccountEvent(HistoryEntry):
    """History of an account: joining, nickname changes, staff profile changes, deletion.
    Survives the account; deleting it strips the e-mail, the details and the actor's name
    from its earlier rows (see accounts.membership.delete_account). The actor is the member
    themselves, an administrator (the admin's staff profile edits) or the system (None)."""

    class Action(models.TextChoices):
        JOINED = "joined", _("Joined")
        NICKNAME_CHANGED = "nickname_changed", _("Nickname changed")
        DELETED = "deleted", _("Account deleted")
        PROFILE_CHANGED = "profile_changed", _("Staff profile changed")
        CREATED = "created", _("Account created")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account_events",
    )
    user_email = models.EmailField(_("user's e-mail at the time"), blank=True)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        indexes = [
            # A user's account history, newest first (admin, and scrubbing it on deletion).
            models.Index(fields=["user", "-created_at"], name="accountevent_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_email or self.user_id or '-'}: {self.action}"


class Attempt(models.Model):
    """One counted try at something accounts.limits caps: a failed log-in, a sign-up, a
    request to subscribe (to a higher app's mailings), a verification mail sent, a
    mailing's confirmation mail sent (counted apart from the verification mails). Only keyed
    hashes of the address and the e-mail are kept, so equal ones count together and
    neither can be read back. Deleted once older than the
    longest window (the periodic job accounts.forget_attempts)."""

    class Kind(models.TextChoices):
        LOG_IN_FAILED = "log_in_failed", _("Failed log-in")
        SIGN_UP = "sign_up", _("Sign-up")
        SUBSCRIBE = "subscribe", _("Request to subscribe")
        VERIFICATION_MAIL = "verification_mail", _("Verification e-mail")
        NEWSLETTER_MAIL = "newsletter_mail", _("Newsletter confirmation e-mail")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The e-mail typed at log-in, or a mail's recipient; "" for a sign-up or a subscribe.
    email_hash = models.CharField(_("e-mail hash"), max_length=64, blank=True)
    ip_hash = models.CharField(_("IP hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("counted attempt")
        verbose_name_plural = _("counted attempts")
        indexes = [
            # Failures against one account (and from one address at it); mails to one
            # recipient.
            models.Index(
                fields=["kind", "email_hash", "ip_hash", "created_at"], name="attempt_email_idx"
            ),
            # Failures or sign-ups from one address.
            models.Index(fields=["kind", "ip_hash", "created_at"], name="attempt_ip_idx"),
            # The periodic clean-up of old rows.
            models.Index(fields=["created_at"], name="attempt_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
