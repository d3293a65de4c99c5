from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.lib.forms import Form, ModelForm
from dangvu.orgs.models import Member

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, format="%d/%m/%Y")


class MemberForm(ModelForm):
    class Meta:
        model = Member
        fields = ["full_name", "date_of_birth", "sex", "admission_date", "official_date", "status",
                  "card_number", "phone", "email"]
        widgets = {f: DATE_WIDGET for f in ("date_of_birth", "admission_date", "official_date")}


class ImportUploadForm(Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("File “%(name)s” is not .xlsx. Save it again from Excel as .xlsx.")
                                        % {"name": f.name})
        if f.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("File “%(name)s” is larger than 20 MB.") % {"name": f.name})
        return f
