from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.lib.forms import DATE, Form
from dangvu.orgs.models import UnitKind


class TargetForm(Form):
    title = forms.CharField(label=_("title"), max_length=300)
    measure = forms.ChoiceField(label=_("figure"))
    applies_kind = forms.ChoiceField(label=_("units of kind"), required=False,
                                     choices=[("", _("every unit below"))] + UnitKind.choices)
    min = forms.FloatField(label=_("at least"), min_value=0, max_value=10**9)
    min_with_committee = forms.FloatField(
        label=_("at least, for cells with a cell committee"), min_value=0, max_value=10**9, required=False,
        help_text=_("Leave empty for one threshold for all; filled, the first threshold is for cells without one."))
    start = forms.DateField(label=_("from"), widget=DATE)
    end = forms.DateField(label=_("until"), widget=DATE)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [(m.key, f"{m.label} ({m.unit})") for m in measures]
