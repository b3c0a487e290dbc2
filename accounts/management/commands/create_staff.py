import getpass

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import roles
from accounts.models import User


class Command(BaseCommand):
    help = (
        "Create a staff member with a role, or give an existing user another role. "
        "Without --password the person sets one through 'forgot password'."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=roles.Role.values)
        parser.add_argument("--name", default="", help="Byline name, e.g. 김하늘")
        parser.add_argument(
            "--password", action="store_true", help="Ask for a password at the prompt."
        )

    def handle(self, *args, email: str, role: str, name: str, password: bool, **options):
        email = User.objects.normalize_email(email).lower()
        raw_password = self._ask_password(email) if password else None
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            created = user is None
            if created:
                user = User.objects.create_user(email, raw_password)
                EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            profile = roles.ensure_staff_profile(user, byline_name=name)
            if name and profile.byline_name != name:
                profile.byline_name = name
                profile.save(update_fields=["byline_name", "updated_at"])
            granted = roles.grant_role(user, role, actor=None, note="create_staff command")
        label = roles.Role(role).label
        verb = "Created" if created else "Found"
        self.stdout.write(f"{verb} {email} (byline: {profile.byline_name} {profile.title}).")
        if not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
            self.stdout.write(
                "The address is not verified yet: a verification e-mail goes out "
                "at their first log-in."
            )
        if granted:
            self.stdout.write(self.style.SUCCESS(f"Granted role: {label}."))
        else:
            self.stdout.write(f"Already had the role: {label}.")

    def _ask_password(self, email: str) -> str:
        raw = getpass.getpass(f"Password for {email}: ")
        if raw != getpass.getpass("Again: "):
            raise CommandError("The passwords do not match.")
        try:
            validate_password(raw, User(email=email))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return raw
