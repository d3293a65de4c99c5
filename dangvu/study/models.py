"""Study and training: resolution-study campaigns with their sessions, connection
points, attendance and essays; training programmes, classes and theory levels."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.documents.models import Document
from dangvu.orgs.models import Member, OrgUnit


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online to connection points")


# --- study campaigns -------------------------------------------------------------------

class Campaign(models.Model):
    """Học tập, quán triệt: one or more documents studied by the members of some units."""

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="campaigns", verbose_name=_("organised by"))
    title = models.CharField(_("title"), max_length=300)
    documents = models.ManyToManyField(Document, related_name="campaigns", verbose_name=_("documents studied"))
    units = models.ManyToManyField(OrgUnit, related_name="+", verbose_name=_("units taking part"),
                                   help_text=_("Members of these units and their sub-units take part"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    essay_required = models.BooleanField(_("essay required"), default=True)
    essay_deadline = models.DateField(_("essay deadline"), null=True, blank=True)
    min_words = models.PositiveIntegerField(_("minimum own words"), default=150,
                                            help_text=_("Essays with fewer words of the writer's own are thin"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    # cancelled: kept and shown as such, counted in no figure
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("study campaign")
        verbose_name_plural = _("study campaigns")
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return self.title


class StudySession(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    held_on = models.DateField(_("date"))
    mode = models.CharField(_("form"), max_length=10, choices=SessionMode.choices, default=SessionMode.IN_PERSON)
    place = models.CharField(_("place"), max_length=200, blank=True)
    # a make-up session (buổi học bù) a unit taking part held for its own members; empty: the organiser's
    unit = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("held by"))
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return self.title or self.held_on.strftime("%d/%m/%Y")


class ConnectionPoint(models.Model):
    """Điểm cầu: a place an online session reaches, with a head count when names are not taken."""

    session = models.ForeignKey(StudySession, models.CASCADE, related_name="points")
    name = models.CharField(_("connection point"), max_length=200)
    unit = models.ForeignKey(OrgUnit, models.SET_NULL, null=True, blank=True, related_name="+")
    head_count = models.PositiveIntegerField(_("people attending"), default=0)

    class Meta:
        verbose_name = _("connection point")
        verbose_name_plural = _("connection points")
        ordering = ["id"]


class Attendance(models.Model):
    session = models.ForeignKey(StudySession, models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, models.CASCADE, related_name="study_attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="unique_session_member")]
        indexes = [models.Index(fields=["member", "session"])]


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

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="essays")
    member = models.ForeignKey(Member, models.CASCADE, related_name="essays")
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

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="scans")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    essays = models.PositiveIntegerField(default=0)
    # Engine output with essay ids in place of paths: pairs (with passages), clusters, thin.
    result = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    on_close = models.BooleanField(default=False)  # queued by itself when submissions closed

    class Meta:
        verbose_name = _("copy check")
        verbose_name_plural = _("copy checks")
        ordering = ["-created", "-id"]

    @property
    def progress_key(self) -> str:
        return f"scan-{self.pk}"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
