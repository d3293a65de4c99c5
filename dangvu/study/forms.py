from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.lib.forms import DATE, Form
from dangvu.orgs.widgets import UnitTree
from dangvu.study.models import SessionMode
from dangvu.study.services import PointIn


class CampaignForm(Form):
    title = forms.CharField(label=_("title"), max_length=300)
    documents = forms.ModelMultipleChoiceField(label=_("documents studied"), queryset=None, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    units = forms.ModelMultipleChoiceField(label=_("units taking part"), queryset=None, required=False,
                                           help_text=_("Tick a committee to take its whole subtree, or cells one "
                                                       "by one. None ticked: the whole organising unit."),
                                           widget=UnitTree)
    start = forms.DateField(label=_("from"), widget=DATE)
    end = forms.DateField(label=_("until"), widget=DATE)
    essay_required = forms.BooleanField(label=_("essay required"), required=False, initial=True)
    essay_deadline = forms.DateField(label=_("essay deadline"), required=False, widget=DATE)
    min_words = forms.IntegerField(label=_("minimum own words"), min_value=0, initial=150)

    def __init__(self, *args, documents, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents
        self.fields["units"].queryset = units


class SessionForm(Form):
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    held_on = forms.DateField(label=_("date"), widget=DATE)
    mode = forms.ChoiceField(label=_("form"), choices=SessionMode.choices)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    points = forms.CharField(
        label=_("connection points"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: name; number of people. For example: Hội trường xã; 120"))

    def __init__(self, *args, make_up: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if make_up:  # held in person for the unit's own members: no connection points
            self.fields["mode"].choices = [(SessionMode.IN_PERSON, SessionMode.IN_PERSON.label)]
            del self.fields["points"]

    def clean_points(self):
        points = []
        for n, line in enumerate(self.cleaned_data["points"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, count = line.rpartition(";")
            if not _sep:
                name, count = line, "0"
            try:
                head_count = int(count.strip().replace(".", "") or 0)
            except ValueError:
                raise forms.ValidationError(_("Line %(n)s: the number of people “%(v)s” is not a whole number.")
                                            % {"n": n, "v": count.strip()}) from None
            points.append(PointIn(name=name.strip(), head_count=head_count))
        return points
