from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotebookConfig(AppConfig):
    """The member's sổ tay and the daily reminder mail: what one member has to do in every area."""

    name = "dangvu.notebook"
    verbose_name = _("The member's notebook")
