"""Reflection essays (bài thu hoạch) handed in for a campaign, their review, and the copy
check's runs. Split out of study (its tables renamed from study_* in migration 0003)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.orgs.models import Member
from dangvu.study.models import Campaign


class EssayStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    PASSED = "passed", _("Passed")
    RETURNED = "returned", _("Returned for rework")
    RESUBMITTED = "resubmitted", _("Resubmitted")


class ReturnReason(models.TextChoices):
    THIN = "thin", _("Too thin")
    COPIED = "copied", _("Copied")
    OTHER = "other", _("Other")


class Essay(models.Model):
    """A member's reflection essay (bài thu hoạch) in a campaign; one per member,
    the text of the latest version kept. Returned essays keep their reason."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="essays", verbose_name=_("campaign"))
    member = models.ForeignKey(Member, models.CASCADE, related_name="essays", verbose_name=_("member"))
    status = models.CharField(_("status"), max_length=12, choices=EssayStatus.choices, default=EssayStatus.SUBMITTED)
    text = models.TextField(_("text"))
    file = models.FileField(upload_to="essays/%Y/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    version = models.PositiveIntegerField(default=1)
    was_returned = models.BooleanField(default=False)  # returned at least once: counted in the year's figures
    return_reason = models.CharField(_("reason"), max_length=10, choices=ReturnReason.choices, blank=True)
    reviewer_note = models.CharField(_("reviewer's note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("essay")
        verbose_name_plural = _("essays")
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="unique_campaign_essay")]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.campaign}"[:200]

    @property
    def awaiting_review(self) -> bool:
        """Submitted or resubmitted, not yet accepted or returned: the only essays a reviewer decides on."""
        return self.status in (EssayStatus.SUBMITTED, EssayStatus.RESUBMITTED)


class IntegrityScan(models.Model):
    """One run of the copy check over a campaign's essays, and what it found."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Checking")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="scans", verbose_name=_("campaign"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("started by (account)"))
    created = models.DateTimeField(_("created at"), auto_now_add=True)
    finished = models.DateTimeField(_("finished at"), null=True, blank=True)
    essays = models.PositiveIntegerField(default=0)
    # Engine output with essay ids in place of paths: clusters and thin (the pairs are rows of
    # their own, ScanPair: a whole-Party check finds tens of thousands, with their passages).
    result = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    on_close = models.BooleanField(default=False)  # queued by itself when submissions closed

    class Meta:
        verbose_name = _("copy check")
        verbose_name_plural = _("copy checks")
        ordering = ["-created", "-id"]

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def findings(self) -> dict:
        """What the check found, as the engine gives it: pairs (with passages), clusters, thin."""
        return {"pairs": [p.as_dict() for p in self.found_pairs.order_by("n")],
                "clusters": (self.result or {}).get("clusters", []), "thin": (self.result or {}).get("thin", [])}


class ScanPair(models.Model):
    """Two essays a copy check found alike, and the passages they share (offsets into each
    essay's text), numbered in the engine's order: the pair's number on the pages."""

    scan = models.ForeignKey(IntegrityScan, models.CASCADE, related_name="found_pairs")
    n = models.PositiveIntegerField()
    # essay ids, not keys: a pair outlives an essay erased since (the pages skip it)
    a = models.BigIntegerField()
    b = models.BigIntegerField()
    score = models.FloatField()
    passages = models.JSONField(default=list)

    class Meta:
        verbose_name = _("pair found alike")
        verbose_name_plural = _("pairs found alike")
        constraints = [models.UniqueConstraint(fields=["scan", "n"], name="unique_scan_pair_number")]
        indexes = [models.Index(fields=["scan", "a"]), models.Index(fields=["scan", "b"])]

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "score": self.score, "passages": self.passages}
