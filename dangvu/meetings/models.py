"""Cell meetings (sinh hoạt chi bộ, Chỉ thị 50-CT/TW): the calendar of regular and thematic
meetings, members' answers to the invitation, attendance on the day, the minutes (locked once
approved, later changes are versions), and votes, secret ones stored so that no row links a
ballot to a voter."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.documents.models import Document
from dangvu.orgs.models import Member, OrgUnit


class Kind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    THEMATIC = "thematic", _("Thematic meeting")


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="meetings", verbose_name=_("cell"))
    kind = models.CharField(_("kind of meeting"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    date = models.DateField(_("date"))
    start = models.TimeField(_("starts at"))
    end = models.TimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.URLField(_("online link"), blank=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000, blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("documents to read"))
    prepared = models.BooleanField(_("prepared by the cell committee beforehand"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # kept on the meeting when its attendance or minutes change: the figures count them
    quality_met = models.BooleanField(default=False)
    quality_failed = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cell meeting")
        verbose_name_plural = _("cell meetings")
        ordering = ["-date", "-start", "-id"]
        indexes = [models.Index(fields=["unit", "date"]), models.Index(fields=["date", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

    @property
    def failed_labels(self) -> list:
        return [QUALITY_CRITERIA.get(code, code) for code in self.quality_failed]


QUALITY_CRITERIA = {
    "attendance": _("attendance above 85 per cent of those required"),
    "absent_unexcused": _("no member absent without leave"),
    "excused_in_a_row": _("no member absent with leave more than 3 times in a row"),
    "prepared": _("prepared by the cell committee beforehand"),
    "duration": _("90 minutes or more"),
    "minutes": _("minutes complete and approved"),
}


class Mark(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Absent with leave")
    ABSENT = "absent", _("Absent without leave")


class Answer(models.TextChoices):
    ATTENDING = "attending", _("Will attend")
    AWAY = "away", _("Will be absent")


class Attendance(models.Model):
    """One member at one meeting: their answer to the invitation, and the mark on the day."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, models.CASCADE, related_name="meeting_attendance")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    answer_reason = models.CharField(_("reason"), max_length=300, blank=True)
    mark = models.CharField(_("attendance"), max_length=10, choices=Mark.choices, blank=True)
    required = models.BooleanField(default=True)  # a member exempted that day is not required

    class Meta:
        verbose_name = _("attendance at a meeting")
        verbose_name_plural = _("attendance at meetings")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_mark_per_member")]
        indexes = [models.Index(fields=["member", "mark"])]


class Minutes(models.Model):
    """A version of the minutes (biên bản). Approved at the end of the meeting it is locked;
    a change after that is a new version with its reason, the old one kept."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="minutes")
    version = models.PositiveSmallIntegerField(default=1)
    sections = models.JSONField(_("sections"), default=dict)
    resolution = models.TextField(_("resolution"), max_length=8000, blank=True)
    approved = models.BooleanField(_("approved"), default=False)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "-version"]
        constraints = [models.UniqueConstraint(fields=["meeting", "version"], name="one_minutes_version")]


class Rule(models.TextChoices):
    MAJORITY = "majority", _("More than half of the official members")
    TWO_THIRDS = "two_thirds", _("At least two thirds of the official members")


class Vote(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="votes")
    question = models.CharField(_("question"), max_length=500)
    secret = models.BooleanField(_("secret ballot"), default=True)
    rule = models.CharField(_("rule"), max_length=12, choices=Rule.choices, default=Rule.MAJORITY)
    base = models.PositiveIntegerField(default=0)  # the cell's official members on the day, when it opened
    closed = models.BooleanField(default=False)
    votes_for = models.PositiveIntegerField(default=0)
    votes_against = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    # a secret vote's running count, shown only at close: every ballot adds to all three in one
    # statement (1 to its choice, 0 to the others), so no row or write says which it chose
    tally_for = models.PositiveIntegerField(default=0)
    tally_against = models.PositiveIntegerField(default=0)
    tally_abstain = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting", "id"]


class Voter(models.Model):
    """Who has voted in a secret vote (one each): a random key and no time. The choice is not
    stored anywhere as a row: it is only added to the vote's three counters."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, models.CASCADE, related_name="voters")
    member = models.ForeignKey(Member, models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="one_ballot_per_member")]


CHOICES = [("for", _("For")), ("against", _("Against")), ("abstain", _("Abstain"))]


class DuesCategory(models.TextChoices):
    """Who pays what (Quy định về chế độ đảng phí): a share of salary or allowance, or a fixed
    monthly amount for members without salary. The shares and amounts are data (DuesRate)."""
    SALARY = "salary", _("A share of salary")
    ALLOWANCE = "allowance", _("A share of allowance or pension")
    FIXED = "fixed", _("A fixed monthly amount")


class DuesRate(models.Model):
    category = models.CharField(_("category"), max_length=10, choices=DuesCategory.choices)
    percent = models.DecimalField(_("share (%)"), max_digits=4, decimal_places=2, default=0)
    amount = models.PositiveIntegerField(_("fixed amount (VND)"), default=0)
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("dues rate")
        verbose_name_plural = _("dues rates")
        ordering = ["category", "-valid_from"]


class DuesBasis(models.Model):
    """What a member's dues are counted on, from a day: their category and the salary or
    allowance it is a share of."""

    member = models.ForeignKey(Member, models.CASCADE, related_name="dues_bases")
    category = models.CharField(_("category"), max_length=10, choices=DuesCategory.choices)
    base = models.PositiveBigIntegerField(_("salary or allowance (VND)"), default=0)
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("dues basis")
        verbose_name_plural = _("dues bases")
        ordering = ["member", "-valid_from"]


class DuesPayment(models.Model):
    """One member's dues for one month, paid at the meeting or in advance."""

    member = models.ForeignKey(Member, models.PROTECT, related_name="dues_payments")
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("cell"))
    month = models.DateField(_("month"))  # its first day
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["member", "month"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="one_payment_per_month")]
        indexes = [models.Index(fields=["paid_on"]), models.Index(fields=["unit", "month"])]


class DuesRemittance(models.Model):
    """Dues a cell hands to the committee above (nộp đảng phí lên cấp trên) for a month or a
    quarter: it keeps its share of what it collected and remits the rest."""

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("cell"))
    to_unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("remitted to"))
    first_month = models.DateField(_("from the month"))  # first days of months
    last_month = models.DateField(_("to the month"))
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    remitted_on = models.DateField(_("remitted on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("remittance of dues")
        verbose_name_plural = _("remittances of dues")
        ordering = ["unit", "first_month", "id"]
        indexes = [models.Index(fields=["unit", "first_month"]), models.Index(fields=["remitted_on"])]


class ThematicPlan(models.Model):
    """A committee's thematic topic (sinh hoạt chuyên đề) for a quarter or a month, set for the
    cells under it at once: each cell that stood under it in that period gets an assignment."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In force")
        CANCELLED = "cancelled", _("Cancelled")

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="thematic_plans", verbose_name=_("committee"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    month = models.PositiveSmallIntegerField(_("month"), default=0)  # 0: the whole quarter
    topic = models.CharField(_("topic"), max_length=300)
    documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("documents to read"))
    note = models.TextField(_("guidance"), max_length=4000, blank=True)
    window_from = models.DateField(_("suggested from"), null=True, blank=True)
    window_to = models.DateField(_("suggested until"), null=True, blank=True)
    all_cells = models.BooleanField(default=True)  # else the cells chosen (its assignments)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thematic topic planned by a committee")
        verbose_name_plural = _("thematic topics planned by committees")
        ordering = ["-year", "-quarter", "-month", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "quarter", "month"],
                                               condition=models.Q(status="active"),
                                               name="one_thematic_plan_per_period")]

    def __str__(self) -> str:
        return f"{self.period_label}: {self.topic}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month or 3 * self.quarter - 2, 1)

    @property
    def end(self) -> datetime.date:
        last = self.month or 3 * self.quarter
        return datetime.date(self.year + last // 12, last % 12 + 1, 1) - datetime.timedelta(days=1)

    @property
    def period_label(self) -> str:
        if self.month:
            return _("month %(month)s/%(year)s") % {"month": self.month, "year": self.year}
        return _("quarter %(quarter)s/%(year)s") % {"quarter": self.quarter, "year": self.year}


class ThematicAssignment(models.Model):
    """One cell asked by a plan. `meeting` is the cell's thematic meeting of the period once it
    has one; `follows` says whether it took the committee's topic (a cell that already had its
    own thematic meeting is only told of the topic), and so whether an edit of the topic
    reaches it."""

    plan = models.ForeignKey(ThematicPlan, models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("cell"))
    meeting = models.ForeignKey(Meeting, models.SET_NULL, null=True, blank=True, related_name="assignments")
    follows = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("cell asked for a thematic meeting")
        verbose_name_plural = _("cells asked for thematic meetings")
        ordering = ["plan", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="one_assignment_per_cell")]
        indexes = [models.Index(fields=["unit", "plan"])]
