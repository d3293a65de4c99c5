from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """The operator's side: health, request log, backup and restore."""

    name = "dangvu.ops"
    verbose_name = _("Operations")
