from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row: a number raised after every committed change to the rows figures count, so
    that figures kept from an earlier computation are used only while nothing has changed
    (dangvu/lib/figure_cache.py). `epoch` tells one database from another sharing a cache."""

    number = models.BigIntegerField(_("number"), default=0)
    epoch = models.CharField(_("epoch"), max_length=32)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")
