"""Inspections (kiểm tra) and supervision (giám sát): each unit's yearly plan, what was
held, its conclusion, and the recommendations it left with their follow-up.

An inspection belongs to the unit that conducts it (a cell for its members, a committee
or its inspection commission for units and members below); its subject is one member
or one unit of that unit's subtree."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.documents.models import Document
from dangvu.orgs.models import Member, OrgUnit


class Kind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SUPERVISION = "supervision", _("Supervision")


class Mode(models.TextChoices):
    """How a supervision is held; an inspection has none."""
    REGULAR = "regular", _("Regular supervision")
    THEMATIC = "thematic", _("Thematic supervision")


class Conductor(models.TextChoices):
    CELL = "cell", _("The party cell")
    COMMITTEE = "committee", _("The party committee")
    COMMISSION = "commission", _("The inspection commission")


class Area(models.TextChoices):
    RESOLUTIONS = "resolutions", _("Carrying out resolutions and directives")
    DUTIES = "duties", _("Carrying out a party member's duties")
    CONDUCT = "conduct", _("Ethics, way of life and self-improvement")
    DUES = "dues", _("Collecting and paying party dues")
    VIOLATION = "violation", _("Signs of violation")


class Outcome(models.TextChoices):
    GOOD = "good", _("Good")
    MIXED = "mixed", _("Strengths and shortcomings")
    VIOLATION = "violation", _("Violation found")


class Work(models.Model):
    """What a plan item and an inspection share: its kind, who conducts it, what it is about,
    and its subject (one member or one unit)."""

    subject_member = models.ForeignKey(Member, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("member"))
    subject_unit = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    mode = models.CharField(_("form of supervision"), max_length=10, choices=Mode.choices, blank=True)
    conductor = models.CharField(_("conducted by"), max_length=12, choices=Conductor.choices)
    area = models.CharField(_("content area"), max_length=12, choices=Area.choices)
    content = models.TextField(_("content"), max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self):
        return self.subject_member or self.subject_unit

    @property
    def subject_path(self) -> str:
        """Where the subject stood in the tree on the inspection's dates (its last day, else its
        first): who reads the record besides its conductor. A member who moved since leaves it
        with the cell they were in, never carries it to the next one."""
        if not self.subject_member_id:
            return self.subject_unit.path
        from dangvu.orgs.history import unit_on

        then = unit_on(self.subject_member, self.end) or unit_on(self.subject_member, self.start)
        return (then or self.subject_member.unit).path


class PlanItem(Work):
    """One line of a unit's chương trình kiểm tra, giám sát for a year."""

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="inspection_plan",
                             verbose_name=_("plan of"))
    start = models.DateField(_("planned from"))
    end = models.DateField(_("planned until"))
    plan = models.ForeignKey(Document, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("plan document"))

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("inspection and supervision plan")
        ordering = ["start", "id"]


class Inspection(Work):
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="inspections", verbose_name=_("conducted by"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    decision = models.ForeignKey(Document, models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("decision"))
    plan_item = models.ForeignKey(PlanItem, models.SET_NULL, null=True, blank=True, related_name="held",
                                  verbose_name=_("plan item"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    conclusion = models.TextField(_("conclusion"), max_length=8000, blank=True)
    violation = models.TextField(_("violation"), max_length=4000, blank=True)
    # the conclusion notice, the report of the inspecting team…: files kept in the document register
    attachments = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("attachments"))

    class Meta:
        verbose_name = _("inspection or supervision")
        verbose_name_plural = _("inspections and supervisions")
        ordering = ["-end", "-id"]
        indexes = [models.Index(fields=["end", "kind"])]


class Recommendation(models.Model):
    """Kiến nghị: what the subject must do after the conclusion, by when, and when it was done."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"), max_length=4000)
    due = models.DateField(_("due by"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def overdue_on(self, day: datetime.date) -> bool:
        """Past its due date on `day` and not done by then."""
        return self.due < day and (self.done_on is None or self.done_on > day)


class Penalty(models.TextChoices):
    """Hình thức kỷ luật, lightest first."""
    REPRIMAND = "khien_trach", _("Reprimand")
    WARNING = "canh_cao", _("Warning")
    DISMISSAL = "cach_chuc", _("Dismissal from post")
    EXPULSION = "khai_tru", _("Expulsion")
    DISSOLUTION = "giai_tan", _("Dissolution")


class Discipline(models.Model):
    """A discipline decided by a unit about one of its members or a unit below it. Whether it
    was for a violation in carrying out the subject's duties matters to their rating."""

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="disciplines", verbose_name=_("decided by"))
    subject_member = models.ForeignKey(Member, models.PROTECT, null=True, blank=True, related_name="disciplines",
                                       verbose_name=_("member"))
    subject_unit = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    penalty = models.CharField(_("form of discipline"), max_length=12, choices=Penalty.choices)
    decided_on = models.DateField(_("decided on"))
    duty_related = models.BooleanField(_("for a violation in carrying out duties"), default=True)
    reason = models.TextField(_("violation"), max_length=4000)
    decision = models.ForeignKey(Document, models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("decision"))
    inspection = models.ForeignKey(Inspection, models.SET_NULL, null=True, blank=True, related_name="disciplines",
                                   verbose_name=_("inspection"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["decided_on"])]

    def __str__(self) -> str:
        return f"{self.get_penalty_display()}: {self.subject_member or self.subject_unit}"
