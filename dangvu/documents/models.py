"""The document register (Hướng dẫn 36-HD/VPTW): documents issued or received,
and the counters that number the ones a committee issues."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.lib.vntext import nfc, search_key
from dangvu.orgs.models import OrgUnit, Term

CONGRESS_SERIES = "DH"  # congress documents share one series, whatever their type
CONGRESS_SYMBOL = "ĐH"


class DocType(models.TextChoices):
    NQ = "NQ", _("Resolution (NQ)")
    QD = "QĐ", _("Decision or regulation (QĐ)")  # quyết định and quy định share one series
    CT = "CT", _("Directive (CT)")
    KL = "KL", _("Conclusion (KL)")
    QC = "QC", _("Rules (QC)")
    HD = "HD", _("Guidance (HD)")
    KH = "KH", _("Plan (KH)")
    BC = "BC", _("Report (BC)")
    TB = "TB", _("Notice (TB)")
    TTR = "TTr", _("Submission (TTr)")
    CTR = "CTr", _("Programme (CTr)")
    DA = "ĐA", _("Scheme (ĐA)")
    CV = "CV", _("Official letter (CV)")


# what a register shares down the tree by default: received documents, and what a committee
# issues for its units to study and carry out (resolutions, directives, conclusions,
# guidance, plans, programmes, schemes); decisions, reports, notices and the rest stay with it
SHARED_TYPES = ("NQ", "CT", "KL", "HD", "KH", "CTr", "ĐA")


def shared_by_default(direction: str, doc_type: str) -> bool:
    return direction == "received" or doc_type in SHARED_TYPES


class Document(models.Model):
    class Direction(models.TextChoices):
        ISSUED = "issued", _("Issued")
        RECEIVED = "received", _("Received")

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="documents", verbose_name=_("register of"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    doc_type = models.CharField(_("document type"), max_length=4, choices=DocType.choices)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    issuer_symbol = models.CharField(_("issuer symbol"), max_length=20, help_text=_("For example: TW, TU, ĐU, ĐUK"))
    term = models.ForeignKey(Term, models.PROTECT, null=True, blank=True, related_name="documents")
    congress = models.BooleanField(_("congress document"), default=False)
    issued_on = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=500)
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("Read in the browser and left out of the copy check"))
    summary_key = models.CharField(max_length=600, editable=False)
    # what a paper register has: where it came from or went to, who signed, the incoming entry
    correspondent = models.CharField(_("sent by or sent to"), max_length=300, blank=True,
                                     help_text=_("Received: the body that sent it. Issued: where it is sent."))
    signer = models.CharField(_("signed by"), max_length=120, blank=True)
    incoming_number = models.PositiveIntegerField(_("incoming number"), null=True, blank=True,
                                                  help_text=_("Received documents: the number in the incoming book"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    # who reads it: the register's unit and above by their keys; when shared, also every unit
    # and member below (a resolution to study); a decision about people stays with its committee
    shared = models.BooleanField(_("shared with the units below"), default=False,
                                 help_text=_("Units and members below may read it and study it in a campaign."))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["unit", "term", "doc_type", "number"], condition=models.Q(direction="issued", congress=False),
            name="unique_issued_number")]

    def __str__(self) -> str:
        return f"{self.reference} {self.summary}"[:200]

    def save(self, *args, **kwargs):
        self.summary = nfc(self.summary).strip()
        self.summary_key = search_key(f"{self.summary} {self.reference}")
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """“Số 02-NQ/ĐUK” without the “Số”, as written after it (no colon)."""
        number = f"{self.number:02d}-" if self.number else ""
        symbol = CONGRESS_SYMBOL if self.congress else self.issuer_symbol
        return f"{number}{self.doc_type}/{symbol}"


class NumberCounter(models.Model):
    """The last number given in one series: issuer unit × term × type (or the congress series)."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, models.CASCADE, related_name="+")
    series = models.CharField(max_length=4)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [models.UniqueConstraint(fields=["unit", "term", "series"], name="unique_number_series")]
