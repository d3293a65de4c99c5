"""Targets (chỉ tiêu) as data: a threshold on a measure, for the units of a committee's
subtree that match (by kind, by having a cell committee), over a period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.lib.concurrency import Versioned
from dangvu.orgs.models import OrgUnit, UnitKind

# "229/321 chi bộ": what the units a target concerns are called, by the kind it applies to
NOUNS = {UnitKind.CELL: _("cells"), UnitKind.GRASSROOTS: _("grassroots committees"),
         UnitKind.SUB: _("sub-committees"), UnitKind.UPPER: _("committees above grassroots"), "": _("units")}


class Target(Versioned):  # version: edits that cross are refused (lib/concurrency)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="targets", verbose_name=_("set by"))
    title = models.CharField(_("title"), max_length=300)
    measure = models.CharField(_("figure"), max_length=60)
    applies_kind = models.CharField(_("units of kind"), max_length=20, choices=UnitKind.choices, blank=True)
    applies_has_committee = models.BooleanField(_("with a cell committee"), null=True, blank=True)
    # [{"has_committee": true | false | null, "min": number}]: the first that matches a unit applies
    thresholds = models.JSONField(_("thresholds"), default=list)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    plan = models.ForeignKey("documents.Document", models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("plan document"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-start", "title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def noun(self) -> str:
        return NOUNS.get(self.applies_kind, NOUNS[""])

    def threshold_for(self, unit: OrgUnit) -> float | None:
        return self.threshold_for_committee(unit.has_committee)

    def threshold_for_committee(self, has_committee: bool) -> float | None:
        """The first threshold that matches a unit with or without a cell committee."""
        for t in self.thresholds:
            if t.get("has_committee") is None or t["has_committee"] == has_committee:
                return float(t["min"])
        return None
