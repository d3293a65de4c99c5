"""The pages' forms: open a round, the self-assessment (with its tasks as rows), return it,
the meeting's proposal, the committee's decision."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.evaluation.models import GENERAL_POINTS, TASK_POINTS, Level, Round, TaskResult
from dangvu.lib.forms import DATE, Form
from dangvu.lib.ids import MAX_ID

TASK_ROWS = 8  # rows offered on the page; blank ones are left out


class RoundForm(Form):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=Round.Kind.choices, initial=Round.Kind.YEAR)
    start = forms.DateField(label=_("from"), widget=DATE)
    end = forms.DateField(label=_("until"), widget=DATE)
    rates_later = forms.BooleanField(label=_("a sector that rates later"), required=False,
                                     help_text=_("The year's round is then finished by 15/01 of the next year."))
    deadline = forms.DateField(label=_("to be finished by"), widget=DATE, required=False,
                               help_text=_("Empty: 31/12 for a year's round (15/01 of the next year for a sector "
                                           "that rates later)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = datetime.date.today().year
        self.fields["title"].initial = f"Đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm {year}"
        self.fields["start"].initial = datetime.date(year, 1, 1)
        self.fields["end"].initial = datetime.date(year, 12, 31)


class AssessmentForm(Form):
    general_points = forms.DecimalField(label=_("points for the general criteria"), min_value=0,
                                        max_value=GENERAL_POINTS, decimal_places=1,
                                        help_text=_("From 0 to %(n)s.") % {"n": GENERAL_POINTS})
    task_points = forms.DecimalField(label=_("points for the results of tasks"), min_value=0, max_value=TASK_POINTS,
                                     decimal_places=1, help_text=_("From 0 to %(n)s.") % {"n": TASK_POINTS})
    strengths = forms.CharField(label=_("strengths"), max_length=8000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    weaknesses = forms.CharField(label=_("shortcomings and their causes"), max_length=8000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    remedies = forms.CharField(label=_("what was done about last period's shortcomings"), max_length=8000,
                               required=False, widget=forms.Textarea(attrs={"rows": 2}))
    remedied = forms.NullBooleanField(label=_("last period's shortcomings all remedied"), required=False,
                                      widget=forms.Select(choices=[("unknown", _("There were none")),
                                                                   ("true", _("Yes")), ("false", _("No"))]))
    direction = forms.CharField(label=_("direction and measures"), max_length=8000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, task_rows: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task_rows = task_rows or []

    @staticmethod
    def tasks_from(data) -> list[dict]:
        """The task rows of the page (task_title_N, task_result_N), blank ones left out."""
        out = []
        for n in range(1, TASK_ROWS + 1):
            title = (data.get(f"task_title_{n}") or "").strip()
            if title:
                out.append({"title": title, "result": data.get(f"task_result_{n}") or ""})
        return out


TASK_RESULTS = TaskResult.choices


class ReturnForm(Form):
    reason = forms.CharField(label=_("what to correct"), max_length=500)


class ProposalForm(Form):
    level = forms.ChoiceField(label=_("proposed level"), choices=Level.choices)
    # the closed votes of the cell's meetings in the round; any id is taken here and resolved in
    # the caller's scope by the view, so a refusal comes back from the service on this field
    vote_id = forms.IntegerField(label=_("the meeting's vote"), min_value=1, max_value=MAX_ID, required=False,
                                 widget=forms.Select,
                                 help_text=_("The counts are taken from the vote; type them only when no vote "
                                             "was held."))
    votes_for = forms.IntegerField(label=_("votes for"), min_value=0, max_value=100000, required=False)
    votes_against = forms.IntegerField(label=_("votes against"), min_value=0, max_value=100000, required=False)
    reason = forms.CharField(label=_("reason"), max_length=4000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Needed for a level lower than the rules allow."))

    def __init__(self, *args, votes: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not votes:  # no vote of the cell to take, or none the caller reads: the counts are typed
            del self.fields["vote_id"]  # (a hidden stale id would be refused on every save)
            return
        self.fields["vote_id"].widget.choices = [("", _("None: no vote was held, the counts are typed"))] + [
            (v.pk, _("%(day)s: %(question)s (%(for)s for, %(against)s against, %(abstain)s abstaining)") % {
                "day": f"{v.meeting.date:%d/%m/%Y}", "question": v.question, "for": v.votes_for,
                "against": v.votes_against, "abstain": v.abstain}) for v in votes]


class DecisionForm(Form):
    level = forms.ChoiceField(label=_("rating level"), choices=Level.choices)
    reason = forms.CharField(label=_("reason"), max_length=4000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Needed for a level lower than the rules allow, and for a re-rating."))


class CommentForm(Form):
    previous_comment = forms.CharField(label=_("comment of the previous cell"), max_length=4000,
                                       widget=forms.Textarea(attrs={"rows": 3}))
