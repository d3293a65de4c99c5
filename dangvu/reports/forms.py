"""The pages' forms: a new report, a narrative section, the head and foot, issuing, a template."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.lib.forms import DATE, Form
from dangvu.lib.periods import FIRST_YEAR, LAST_YEAR


def report_year(today: datetime.date) -> int:
    """The year a report is usually written about: this one from November, else the last."""
    return today.year if today.month >= 11 else today.year - 1


class ReportForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)
    start = forms.DateField(label=_("or from"), widget=DATE, required=False)
    end = forms.DateField(label=_("to"), widget=DATE, required=False)
    template = forms.ModelChoiceField(label=_("Template"), queryset=None, empty_label=None)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["year"].initial = report_year(timezone.localdate())

    def clean(self):
        data = super().clean()
        start, end, year = data.get("start"), data.get("end"), data.get("year")
        self.by_year = not (start or end)
        if start or end:
            if not (start and end):
                self.add_error("end" if start else "start", _("Give both days of the period, or a year."))
            return data
        if not year:
            if "year" not in self.errors:  # a year typed and refused is told once, not also as missing
                self.add_error("year", _("Give a year, or the first and last days of the period."))
            return data
        data["start"], data["end"] = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return data

    def period_field(self, name: str) -> str:
        """The field a service's error on the period's first ("from") or last ("to") day is shown
        on: the year when the period was given as one, else that day's own field (another name
        is the form's own)."""
        if name not in ("from", "to"):
            return name
        return "year" if getattr(self, "by_year", False) else {"from": "start", "to": "end"}[name]


class NarrativeForm(Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    text = forms.CharField(label=_("Text"), required=False, max_length=50000,
                           widget=forms.Textarea(attrs={"rows": 8}))


class HeadForm(Form):
    above = forms.CharField(label=_("Superior body"), required=False, max_length=500)
    issuer = forms.CharField(label=_("Issuing body"), max_length=500)
    place = forms.CharField(label=_("Place in the date line"), required=False, max_length=500)
    title = forms.CharField(label=_("Summary line under “BÁO CÁO”"), max_length=500,
                            widget=forms.Textarea(attrs={"rows": 2}))
    on_behalf = forms.CharField(label=_("On behalf of"), required=False, max_length=500)
    signer_title = forms.CharField(label=_("Signer's office"), required=False, max_length=500)
    signer = forms.CharField(label=_("Signer"), required=False, max_length=500)
    recipients = forms.CharField(label=_("Recipients, one a line"), required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)  # Report.head_version opened


class IssueForm(Form):
    issued_on = forms.DateField(label=_("Date of issue"), widget=DATE)


class TemplateCopyForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    based_on = forms.ModelChoiceField(label=_("Copy of"), queryset=None, empty_label=None)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].queryset = templates
