from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFigure(models.Model):
    """One kept count: a measure's values (or another figure's) for a unit and the units below
    it over a period, with the last change it saw (dangvu/figures/store.py)."""

    key = models.CharField(max_length=64, unique=True)  # a digest of what it counts, for whom, over when
    name = models.CharField(_("figure"), max_length=80)
    unit = models.ForeignKey("orgs.OrgUnit", models.CASCADE, related_name="+", verbose_name=_("unit"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    recipe = models.JSONField(null=True, blank=True)  # how the worker counts it again; empty: when next asked
    values = models.JSONField(default=dict)
    as_of = models.DateField()  # the day it was counted: an open period's figures change with the day
    counted_at = models.DateTimeField(_("counted at"))
    # the changes (audit entry ids) its count saw: every id up to `seen` but those in `unseen`,
    # which were not committed when the count began
    seen = models.BigIntegerField(default=0)
    unseen = models.JSONField(default=list, blank=True)
    # a closed period counted again after a change dated in it: when that change was made
    recounted_for = models.DateTimeField(null=True, blank=True)
    counting_since = models.DateTimeField(null=True, blank=True)  # claimed by whoever counts it again

    class Meta:
        verbose_name = _("kept figure")
        verbose_name_plural = _("kept figures")
        indexes = [models.Index(fields=["unit", "period_end"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.unit_id} · {self.period_start}–{self.period_end}"
