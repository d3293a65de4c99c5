from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EssaysConfig(AppConfig):
    name = "dangvu.essays"
    verbose_name = _("Essays and the copy check")

    def ready(self):
        from dangvu.essays import measures, tasks  # noqa: F401  (register the app's figures and jobs)
