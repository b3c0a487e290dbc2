import getpass

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import membership, roles
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
        # The account, its profile and the role, each with its history, all or nothing.
        staff = membership.set_up_staff(
            email, role, byline_name=name, password=raw_password, note="create_staff command"
        )
        user, profile = staff.user, staff.profile
        label = roles.Role(role).label
        verb = "Created" if staff.created else "Found"
        self.stdout.write(f"{verb} {email} (byline: {profile.byline_name} {profile.title}).")
        if not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
            self.stdout.write(
                "The address is not verified yet: a verification e-mail goes out "
                "at their first log-in."
            )
        if staff.granted:
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
