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
