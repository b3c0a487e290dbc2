from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom infrastructure")

    def ready(self):
        from newsroom import checks  # noqa: F401 (registers the project's system checks)
        from newsroom.celery import app

        # Register every app's tasks.py now, in web processes too: the outbox refuses a
        # task name it does not know, and a worker must know the same names.
        app.autodiscover_tasks(force=True)
