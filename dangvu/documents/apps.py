from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "dangvu.documents"
    verbose_name = _("Document register")

    def ready(self):
        from dangvu.documents import measures  # noqa: F401  (registers the app's figures)
