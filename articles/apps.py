from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Stories")

    def ready(self):
        from allauth.account.signals import email_confirmed

        from articles import dependencies  # noqa: F401  (connects its receivers)
        from articles.newsletters import subscriptions

        # A subscriber who signs up later is linked to the new account, not duplicated.
        email_confirmed.connect(
            subscriptions.on_email_confirmed, dispatch_uid="articles.newsletters.link_account"
        )
        from articles.newsletters import bounces  # noqa: F401  (receives the providers' reports)
