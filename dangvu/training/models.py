"""Political theory training: programmes and their topics, classes with enrolled members or
admission candidates, lessons and their attendance, results and certificates; members' theory
levels (Quy định 57-QĐ/TW). Split out of study (its tables renamed from study_* in migration 0004)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.orgs.models import Candidate, Member, OrgUnit
from dangvu.study.models import AttendanceStatus


class Programme(models.Model):
    class Kind(models.TextChoices):
        AWARENESS = "nhan_thuc", _("Awareness of the Party (admission candidates)")
        NEW_MEMBER = "dang_vien_moi", _("Political theory for new members")
        PARTY_WORK = "nghiep_vu", _("Party-work skills")
        LOCAL = "dia_phuong", _("Local programme")

    name = models.CharField(_("programme"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    final_essay = models.BooleanField(_("ends with an essay or test"), default=True)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    programme = models.ForeignKey(Programme, models.CASCADE, related_name="topics", verbose_name=_("programme"))
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("topic"), max_length=300)

    class Meta:
        verbose_name = _("programme topic")
        verbose_name_plural = _("programme topics")
        ordering = ["programme", "order"]


class TrainingClass(models.Model):
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="classes", verbose_name=_("programme"))
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="classes", verbose_name=_("organised by"))
    name = models.CharField(_("class"), max_length=200)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    class Result(models.TextChoices):
        STUDYING = "studying", _("Studying")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Did not complete")

    training_class = models.ForeignKey(TrainingClass, models.CASCADE, related_name="enrolments",
                                       verbose_name=_("class"))
    member = models.ForeignKey(Member, models.CASCADE, null=True, blank=True, related_name="enrolments",
                               verbose_name=_("member"))
    candidate = models.ForeignKey(Candidate, models.CASCADE, null=True, blank=True, related_name="enrolments",
                                  verbose_name=_("admission candidate"))
    result = models.CharField(_("result"), max_length=14, choices=Result.choices, default=Result.STUDYING)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=2, null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("class enrolment")
        verbose_name_plural = _("class enrolments")
        constraints = [
            models.CheckConstraint(condition=models.Q(member__isnull=False) ^ models.Q(candidate__isnull=False),
                                   name="enrolment_member_xor_candidate"),
            models.UniqueConstraint(fields=["training_class", "member"], name="unique_class_member"),
            models.UniqueConstraint(fields=["training_class", "candidate"], name="unique_class_candidate"),
        ]

    @property
    def person(self):
        return self.member or self.candidate


class ClassSession(models.Model):
    training_class = models.ForeignKey(TrainingClass, models.CASCADE, related_name="sessions", verbose_name=_("class"))
    topic = models.ForeignKey(Topic, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("topic"))
    held_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("class lesson")
        verbose_name_plural = _("class lessons")
        ordering = ["held_on", "id"]


class ClassAttendance(models.Model):
    session = models.ForeignKey(ClassSession, models.CASCADE, related_name="attendance", verbose_name=_("class lesson"))
    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="attendance",
                                  verbose_name=_("class enrolment"))
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("lesson attendance mark")
        verbose_name_plural = _("lesson attendance")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="unique_class_attendance")]


class TheoryLevel(models.Model):
    """Trình độ lý luận chính trị (Quy định 57-QĐ/TW): sent to study, then completed."""

    class Level(models.TextChoices):
        ELEMENTARY = "so_cap", _("Elementary")
        INTERMEDIATE = "trung_cap", _("Intermediate")
        ADVANCED = "cao_cap", _("Advanced")
        BACHELOR = "cu_nhan", _("Bachelor in political science")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent to study")
        COMPLETED = "completed", _("Completed")

    member = models.ForeignKey(Member, models.CASCADE, related_name="theory_levels", verbose_name=_("member"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    decision = models.CharField(_("decision"), max_length=60, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("political theory level")
        verbose_name_plural = _("political theory levels")
        ordering = ["member", "level"]
        constraints = [models.UniqueConstraint(fields=["member", "level"], name="unique_member_level")]
