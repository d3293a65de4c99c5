from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "dangvu.figures"
    verbose_name = _("Figures")

    def ready(self):
        from dangvu.figures import recount, store  # noqa: F401  (registers the recount job and its trigger)
        from dangvu.lib import measures

        measures.use_store(store.kept)
