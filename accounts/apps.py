from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_last_app(sender, **kwargs):
    # post_migrate fires once per app and each app's permissions are created in its own
    # turn, so the groups are synced only after the last app has its permissions.
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender.label != last.label:
        return
    from accounts.roles import sync_role_groups

    sync_role_groups()


def _password_reset(sender, request, user, **kwargs):
    # Whoever reset the password reads the account's mail: its failed log-ins are forgiven,
    # under every address the account goes by.
    from allauth.account.models import EmailAddress

    from accounts import limits

    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    for email in {user.email, *addresses}:
        limits.password_reset(email)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        post_migrate.connect(_sync_roles_after_last_app, dispatch_uid="accounts.sync_roles")
        from accounts import markers

        user_logged_in.connect(markers.logged_in, dispatch_uid="accounts.markers.in")
        user_logged_out.connect(markers.logged_out, dispatch_uid="accounts.markers.out")
        from allauth.account.signals import password_reset

        password_reset.connect(_password_reset, dispatch_uid="accounts.limits.password_reset")
