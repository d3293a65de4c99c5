from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dangvu.reports"
    verbose_name = _("Reports")

    def ready(self):
        from dangvu.reports import tasks  # noqa: F401  (registers the app's jobs)
