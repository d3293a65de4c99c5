from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.lib.forms import DATE, Form
from dangvu.lib.keys import ALL_KEYS
from dangvu.orgs.models import RoleKind


class TeamForm(Form):
    name = forms.CharField(label=_("team name"), max_length=120)
    permissions = forms.MultipleChoiceField(label=_("permissions"), choices=list(ALL_KEYS.items()),
                                            widget=forms.CheckboxSelectMultiple)
    members = forms.ModelMultipleChoiceField(label=_("people in the team"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class RoleForm(Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    role = forms.ChoiceField(label=_("role"), choices=RoleKind.choices)
    start = forms.DateField(label=_("from"), widget=DATE)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class TokenForm(Form):
    name = forms.CharField(label=_("Label"), max_length=80)
    scope = forms.ChoiceField(label=_("What it may do"), widget=forms.RadioSelect, initial="read",
                              choices=[("read", _("Read only")), ("all", _("Everything my account may do"))])
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, initial=90,
                                  choices=[(30, _("30 days")), (90, _("90 days")), (365, _("one year"))])


class CodeForm(Form):
    code = forms.CharField(label=_("six-digit code from the app"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "pattern": "[0-9]{6}", "autofocus": True}))

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code is six digits."))
        return code
