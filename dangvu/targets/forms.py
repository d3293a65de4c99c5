from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.lib.forms import DATE, Form
from dangvu.orgs.models import UnitKind


class TargetForm(Form):
    title = forms.CharField(label=_("title"), max_length=300)
    measure = forms.ChoiceField(label=_("figure"))
    applies_kind = forms.ChoiceField(label=_("units of kind"), required=False,
                                     choices=[("", _("every unit below"))]
                                     + [c for c in UnitKind.choices if c[0] != UnitKind.CENTRAL])
    min = forms.FloatField(label=_("at least"), min_value=0, max_value=10**9)
    min_with_committee = forms.FloatField(
        label=_("at least, for cells with a cell committee"), min_value=0, max_value=10**9, required=False,
        help_text=_("Leave empty for one threshold for all; filled, the first threshold is for cells without one."))
    start = forms.DateField(label=_("from"), widget=DATE)
    end = forms.DateField(label=_("until"), widget=DATE)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [(m.key, f"{m.label} ({m.unit})") for m in measures]

    @property
    def thresholds(self) -> list[dict]:
        """One threshold for every unit, or one for cells with a cell committee and one without."""
        data = self.cleaned_data
        if data["min_with_committee"] is None:
            return [{"has_committee": None, "min": data["min"]}]
        return [{"has_committee": True, "min": data["min_with_committee"]}, {"has_committee": False, "min": data["min"]}]

    @staticmethod
    def values_of(target) -> dict:
        """A stored target as this form's fields (the edit form's initial values)."""
        def number(value):  # 2, not 2.0, in the form
            return int(value) if isinstance(value, float) and value.is_integer() else value

        plain, with_committee = (number(target.threshold_for_committee(has)) for has in (False, True))
        return {"title": target.title, "measure": target.measure, "applies_kind": target.applies_kind,
                "min": plain, "min_with_committee": with_committee if with_committee != plain else None,
                "start": target.start, "end": target.end}


class TargetEditForm(TargetForm):
    # the version opened: a save after someone else's is refused (dangvu/lib/concurrency.py)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, target, **kwargs):
        kwargs.setdefault("initial", {**self.values_of(target), "version": target.version})
        super().__init__(*args, **kwargs)
