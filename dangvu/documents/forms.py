from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.documents.models import DocType, Document
from dangvu.lib.forms import Form


class DocumentForm(Form):
    direction = forms.ChoiceField(label=_("direction"), choices=Document.Direction.choices,
                                  initial=Document.Direction.ISSUED, widget=forms.RadioSelect)
    doc_type = forms.ChoiceField(label=_("document type"), choices=DocType.choices)
    congress = forms.BooleanField(label=_("congress document (the congress series)"), required=False)
    number = forms.IntegerField(label=_("number (received documents)"), min_value=1, required=False)
    issuer_symbol = forms.CharField(label=_("issuer symbol (received documents)"), max_length=20, required=False)
    issued_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_("summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("file (.docx, .odt, .rtf, .pdf or .txt)"), required=False)
