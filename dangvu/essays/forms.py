"""Forms of the essay pages: a member's essay, a review, an office's bulk upload."""
from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.essays.models import ReturnReason
from dangvu.lib.forms import Form


class EssaySubmitForm(Form):
    file = forms.FileField(label=_("file (.docx, .odt, .rtf, .pdf or .txt)"), required=False)
    text = forms.CharField(label=_("or type the essay here"), required=False, widget=forms.Textarea(attrs={"rows": 12}))

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a file or type the essay."))
        return data


class ReviewForm(Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return for rework"))])
    reason = forms.ChoiceField(label=_("reason"), choices=[("", "—")] + ReturnReason.choices, required=False)
    note = forms.CharField(label=_("reviewer's note"), max_length=500, required=False)


class BulkUploadForm(Form):
    file = forms.FileField(label=_("a .zip of essay files"),
                           help_text=_("Each file named after its writer, e.g. “Nguyễn Văn An.docx”, "
                                       "or after the party card number"))
