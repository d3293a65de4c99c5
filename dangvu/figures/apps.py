from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "dangvu.figures"
    verbose_name = _("Figures")

    def ready(self):
        from django.db import connections

        from dangvu.figures import warm  # noqa: F401  (connects the warm-up to changes)
        from dangvu.lib.figure_cache import install

        for connection in connections.all():
            install(None, connection)
