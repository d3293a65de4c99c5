from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.orgs.models import Member

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, format="%d/%m/%Y")


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["full_name", "date_of_birth", "sex", "admission_date", "official_date", "status",
                  "card_number", "phone", "email"]
        widgets = {f: DATE_WIDGET for f in ("date_of_birth", "admission_date", "official_date")}


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Tệp “%(name)s” không phải .xlsx. Hãy lưu lại bằng Excel dưới dạng .xlsx.")
                                        % {"name": f.name})
        if f.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp “%(name)s” lớn hơn 20 MB.") % {"name": f.name})
        return f


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Tên gợi nhớ"), max_length=80)
