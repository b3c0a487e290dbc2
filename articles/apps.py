from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Stories")

    def ready(self):
        from articles import dependencies  # noqa: F401  (connects its receivers)
        from articles.newsletters import bounces  # noqa: F401  (receives the providers' reports)
