from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "dangvu.study"
    verbose_name = _("Study and dissemination of resolutions")

    def ready(self):
        from dangvu.study import measures  # noqa: F401  (registers the app's figures)
