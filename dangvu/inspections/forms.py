"""The page's forms: a plan item, an inspection held, its conclusion, a recommendation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.documents.models import DocType, Document
from dangvu.inspections.access import decisions_for_unit
from dangvu.inspections.models import Area, Conductor, Kind, Mode, Outcome, Penalty
from dangvu.lib.forms import DATE, Form
from dangvu.orgs.models import ACTIVE_STATUSES, Member, OrgUnit, UnitKind

MAX_LISTED_MEMBERS = 1000  # above this a committee names a member by their number, not from a list


class SubjectChoiceForm(Form):
    """The subject is one of the unit's own subtree: its members, or (for a committee) its units."""

    subject_member = forms.ModelChoiceField(label=_("member"), queryset=Member.objects.none(), required=False,
                                            empty_label="—")
    subject_unit = forms.ModelChoiceField(label=_("or organisation"), queryset=OrgUnit.objects.none(),
                                          required=False, empty_label="—")

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(unit__path__startswith=unit.path, status__in=ACTIVE_STATUSES)
        self.fields["subject_member"].queryset = members.select_related("unit").order_by("unit__path", "sort_key")
        self.fields["subject_member"].label_from_instance = (
            lambda m: m.full_name if m.unit_id == unit.pk else f"{m.full_name} — {m.unit.name}")
        if members.count() > MAX_LISTED_MEMBERS:
            self.fields["subject_member"].widget = forms.NumberInput()
            self.fields["subject_member"].help_text = _("The member's number, as shown on their page.")
        if unit.kind == UnitKind.CELL:
            del self.fields["subject_unit"]
        else:
            self.fields["subject_unit"].queryset = OrgUnit.objects.filter(
                path__startswith=unit.path, depth__gt=unit.depth, valid_to__isnull=True).order_by("path")
            self.fields["subject_unit"].label_from_instance = lambda u: "  " * (u.depth - unit.depth - 1) + u.name


class SubjectForm(SubjectChoiceForm):
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    mode = forms.ChoiceField(label=_("form of supervision"), choices=[("", "—")] + Mode.choices, required=False)
    area = forms.ChoiceField(label=_("content area"), choices=Area.choices, initial=Area.DUTIES)
    content = forms.CharField(label=_("content"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    start = forms.DateField(label=_("from"), widget=DATE)
    end = forms.DateField(label=_("until"), widget=DATE)
    field_order = ["kind", "mode", "area", "subject_member", "subject_unit", "content", "start", "end"]


class DisciplineForm(SubjectChoiceForm):
    """A discipline the unit decided about one of its members or a unit below it."""

    penalty = forms.ChoiceField(label=_("form of discipline"), choices=Penalty.choices)
    decided_on = forms.DateField(label=_("decided on"), widget=DATE)
    duty_related = forms.BooleanField(label=_("for a violation in carrying out duties"), required=False,
                                      initial=True)
    reason = forms.CharField(label=_("violation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class PlanItemForm(SubjectForm):
    pass


class InspectionForm(SubjectForm):
    outcome = forms.ChoiceField(label=_("outcome"), choices=[("", _("not concluded yet"))] + Outcome.choices,
                                required=False)
    conclusion = forms.CharField(label=_("conclusion"), max_length=8000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    violation = forms.CharField(label=_("violation"), max_length=4000, required=False,
                                help_text=_("When a violation was found: what it is."))
    plan_item = forms.ChoiceField(label=_("plan item"), required=False)
    conductor = forms.ChoiceField(label=_("conducted by"), required=False,
                                  choices=[(Conductor.COMMITTEE, Conductor.COMMITTEE.label),
                                           (Conductor.COMMISSION, Conductor.COMMISSION.label)])
    decision = forms.ModelChoiceField(label=_("decision"), queryset=Document.objects.none(), required=False,
                                      empty_label="—", help_text=_("The decision to inspect, from the register."))

    def __init__(self, *args, unit: OrgUnit, plan_items=(), **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["plan_item"].choices = [("", "—")] + [
            (str(p.pk), f"{p.start:%m/%Y} · {p.get_kind_display()}: {p.subject}") for p in plan_items]
        if unit.kind == UnitKind.CELL:
            del self.fields["conductor"]
        # the unit's own decisions and those committees above it shared, latest first
        latest = decisions_for_unit(unit).filter(doc_type=DocType.QD).order_by("-issued_on", "-id")
        self.fields["decision"].queryset = Document.objects.filter(
            pk__in=list(latest.values_list("pk", flat=True)[:200])).order_by("-issued_on", "-id")


class ConclusionForm(Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices)
    conclusion = forms.CharField(label=_("conclusion"), max_length=8000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    violation = forms.CharField(label=_("violation"), max_length=4000, required=False)


class RecommendationForm(Form):
    text = forms.CharField(label=_("recommendation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    due = forms.DateField(label=_("due by"), widget=DATE)


class DoneForm(Form):
    done_on = forms.DateField(label=_("done on"), widget=DATE)


class AttachForm(Form):
    document = forms.ModelChoiceField(label=_("document"), queryset=Document.objects.none(), empty_label="—",
                                      help_text=_("Register the file in the document register first."))

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        latest = decisions_for_unit(unit).order_by("-issued_on", "-id")
        self.fields["document"].queryset = Document.objects.filter(
            pk__in=list(latest.values_list("pk", flat=True)[:200])).order_by("-issued_on", "-id")
