"""Evaluation and rating of members and Party organisations (đánh giá, xếp loại chất lượng,
Quy định 366-QĐ/TW and Hướng dẫn 43-HD/BTCTW).

A committee opens a round for its subtree and a period; every member and every organisation
below it is a subject, rated where it stood on the period's last day. A subject's rating goes
through the stages of Điều 12: self-assessment, the cell's (or for a unit, the committee
above's) proposal with its votes, the competent committee's decision. A re-rating adds a
decision and keeps the old one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.documents.models import Document
from dangvu.meetings.models import Vote
from dangvu.orgs.models import Member, OrgUnit

RULE_VERSION = "366-QĐ/TW"
GENERAL_POINTS = 30  # fixed by the centre: general criteria 30 + results of tasks 70
TASK_POINTS = 70


class Form(models.TextChoices):
    """The kind of subject, and the form (mẫu) its self-assessment is written on."""
    COLLECTIVE = "01", _("Party organisation (form 01)")
    LEADER = "2A", _("Member who leads or manages (form 2A)")
    MEMBER = "2B", _("Member without a leading post (form 2B)")
    OUTSIDE = "2C", _("Member working outside the political system (form 2C)")


class Level(models.TextChoices):
    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    DONE = "done", _("Completed tasks")
    NOT_DONE = "not_done", _("Did not complete tasks")


LEVEL_RANK = {Level.NOT_DONE: 0, Level.DONE: 1, Level.GOOD: 2, Level.EXCELLENT: 3}


class TaskResult(models.TextChoices):
    EXCEEDED = "exceeded", _("Exceeded")
    ON_TIME = "on_time", _("Done on time")
    LATE = "late", _("Done late")
    NOT_DONE = "not_done", _("Not done")


class Framework(models.Model):
    """The criteria of one form and their points, as a committee set them for its subtree (no
    unit: the one dangvu ships). Only the totals are central: general criteria 30, tasks 70.
    A rating keeps the version it used; an edit is a new version."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("set by"))
    form = models.CharField(_("self-assessment form"), max_length=2, choices=Form.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    criteria = models.JSONField(_("criteria"), default=list,
                                help_text="[{'group': 'general'|'tasks', 'title': str, 'points': number}]")
    rule_version = models.CharField(max_length=20, default=RULE_VERSION)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("criteria framework")
        verbose_name_plural = _("criteria frameworks")
        ordering = ["form", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "form", "version"], name="one_framework_version")]

    def __str__(self) -> str:
        return f"{self.get_form_display()} v{self.version}"


class Round(models.Model):
    class Kind(models.TextChoices):
        YEAR = "year", _("Year")
        QUARTER = "quarter", _("Quarter")
        TERM = "term", _("Term")
        ADHOC = "adhoc", _("Ad hoc")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Listing the subjects")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="evaluation_rounds", verbose_name=_("opened by"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.YEAR)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    deadline = models.DateField(_("to be finished by"))
    # Hướng dẫn 43: a sector with its own calendar (schools, the armed forces…) finishes the
    # year's round by 15/01 of the next year instead of 31/12
    rates_later = models.BooleanField(_("a sector that rates later"), default=False,
                                      help_text=_("The year's round is then finished by 15/01 of the next year."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    rule_version = models.CharField(max_length=20, default=RULE_VERSION)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-end", "-id"]

    def __str__(self) -> str:
        return self.title


class CapException(models.Model):
    """A deciding committee's decision allowing 25 % (not 20 %) of its units rated tốt to be
    rated xuất sắc in a round."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="cap_exceptions")
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("deciding committee"))
    decision = models.ForeignKey(Document, models.PROTECT, related_name="+", verbose_name=_("decision"))

    class Meta:
        verbose_name = _("exception to the cap")
        verbose_name_plural = _("exceptions to the cap")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="one_cap_exception")]


class Stage(models.TextChoices):
    NOT_RATED = "not_rated", _("Not rated")
    OPEN = "open", _("Waiting for the self-assessment")
    RETURNED = "returned", _("Returned to correct")
    SUBMITTED = "submitted", _("Self-assessed")
    PROPOSED = "proposed", _("Proposed")
    DECIDED = "decided", _("Decided")


class NotRated(models.TextChoices):
    EXEMPT = "exempt", _("Exempted from Party work and meetings")
    SUSPENDED = "suspended", _("Suspended from Party activity")
    NEW = "new", _("Admitted less than 6 months before the period's end")


class Rating(models.Model):
    """One subject (a member or an organisation) in one round, through every stage."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="ratings")
    member = models.ForeignKey(Member, models.PROTECT, null=True, blank=True, related_name="ratings")
    subject_unit = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True, related_name="ratings_as_subject")
    # where the subject stood on the period's last day: the member's cell, or the unit itself
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+")
    decider = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("deciding committee"))
    form = models.CharField(_("self-assessment form"), max_length=2, choices=Form.choices)
    framework = models.ForeignKey(Framework, models.PROTECT, null=True, blank=True, related_name="+")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.OPEN)
    not_rated = models.CharField(_("not rated because"), max_length=10, choices=NotRated.choices, blank=True)
    moved_from = models.ForeignKey(OrgUnit, models.SET_NULL, null=True, blank=True, related_name="+")
    moved_on = models.DateField(null=True, blank=True)
    previous_comment = models.TextField(_("comment of the previous cell"), max_length=4000, blank=True)

    # the self-assessment
    criteria_points = models.JSONField(default=list, blank=True)
    general_points = models.DecimalField(_("points for the general criteria"), max_digits=4, decimal_places=1,
                                         null=True, blank=True)
    task_points = models.DecimalField(_("points for the results of tasks"), max_digits=4, decimal_places=1,
                                      null=True, blank=True)
    strengths = models.TextField(_("strengths"), max_length=8000, blank=True)
    weaknesses = models.TextField(_("shortcomings and their causes"), max_length=8000, blank=True)
    remedies = models.TextField(_("what was done about last period's shortcomings"), max_length=8000, blank=True)
    remedied = models.BooleanField(_("last period's shortcomings all remedied"), null=True, blank=True)
    direction = models.TextField(_("direction and measures"), max_length=8000, blank=True)
    on_behalf = models.BooleanField(_("entered from the paper form"), default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("what to correct"), max_length=500, blank=True)

    # what the rules allow, as last checked
    allowed_level = models.CharField(max_length=10, choices=Level.choices, blank=True)
    allowed_because = models.TextField(blank=True)

    # the proposal of the meeting (or the verifying committee)
    proposed_level = models.CharField(_("proposed level"), max_length=10, choices=Level.choices, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    # the meeting's vote the counts were copied from (none: typed, no ballot held); the copy stays
    # if the meeting is later deleted
    vote = models.ForeignKey(Vote, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("the meeting's vote"))
    proposal_reason = models.TextField(_("reason"), max_length=4000, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)

    # the decision in force (the history is in `decisions`)
    level = models.CharField(_("rating level"), max_length=10, choices=Level.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    # a bulk decision left to the worker, and why it refused this one
    decide_queued = models.BooleanField(default=False)
    refused_because = models.CharField(max_length=1000, blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["unit__path", "id"]
        indexes = [models.Index(fields=["round", "stage"]), models.Index(fields=["round", "decider"])]
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_rating_per_member"),
            models.UniqueConstraint(fields=["round", "subject_unit"], name="one_rating_per_unit"),
            models.CheckConstraint(condition=models.Q(member__isnull=True) ^ models.Q(subject_unit__isnull=True),
                                   name="rating_has_one_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.round}"

    @property
    def subject(self):
        return self.member or self.subject_unit

    @property
    def subject_kind(self) -> str:
        return "member" if self.member_id else "unit"

    @property
    def points(self):
        if self.general_points is None or self.task_points is None:
            return None
        return self.general_points + self.task_points


class Task(models.Model):
    """One of the subject's tasks for the period, with its result and the evidence."""

    rating = models.ForeignKey(Rating, models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=500)
    result = models.CharField(_("result"), max_length=10, choices=TaskResult.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    evidence = models.ForeignKey(Document, models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("evidence"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["rating", "order", "id"]


class Decision(models.Model):
    """A level decided by the competent committee. A re-rating (Điều 15, form 03) adds one
    and marks the old one replaced; both stay readable."""

    rating = models.ForeignKey(Rating, models.CASCADE, related_name="decisions")
    level = models.CharField(_("rating level"), max_length=10, choices=Level.choices)
    reason = models.TextField(_("reason"), max_length=4000, blank=True)
    decided_on = models.DateField(_("decided on"))
    rerating = models.BooleanField(_("re-rating"), default=False)
    replaced = models.BooleanField(default=False)
    document = models.ForeignKey(Document, models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("decision"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision on a level")
        verbose_name_plural = _("decisions on levels")
        ordering = ["rating", "created", "id"]
