from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "dangvu.training"
    verbose_name = _("Political theory training")

    def ready(self):
        from dangvu.training import measures  # noqa: F401  (registers the app's figures)
