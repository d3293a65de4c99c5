from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.documents.models import DocType, Document
from dangvu.lib.forms import DATE, Form


class DocumentForm(Form):
    direction = forms.ChoiceField(label=_("direction"), choices=Document.Direction.choices,
                                  initial=Document.Direction.ISSUED, widget=forms.RadioSelect)
    doc_type = forms.ChoiceField(label=_("document type"), choices=DocType.choices)
    congress = forms.BooleanField(label=_("congress document (the congress series)"), required=False)
    number = forms.IntegerField(label=_("number (received documents)"), min_value=1, required=False)
    issuer_symbol = forms.CharField(label=_("issuer symbol (received documents)"), max_length=20, required=False)
    issued_on = forms.DateField(label=_("date"), widget=DATE)
    summary = forms.CharField(label=_("summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("file (.docx, .odt, .rtf, .pdf or .txt)"), required=False)
    correspondent = forms.CharField(label=_("sent by or sent to"), max_length=300, required=False,
                                    help_text=_("Received: the body that sent it. Issued: where it is sent."))
    signer = forms.CharField(label=_("signed by"), max_length=120, required=False)
    incoming_number = forms.IntegerField(label=_("incoming number (received documents)"), min_value=1,
                                         max_value=999_999, required=False)
    received_on = forms.DateField(label=_("received on"), required=False, widget=DATE)


class DocumentEditForm(Form):
    summary = forms.CharField(label=_("summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    shared = forms.BooleanField(label=_("shared with the units below"), required=False,
                                help_text=_("Units and members below may read it and study it in a campaign. "
                                            "Leave a decision about people unshared."))
    correspondent = forms.CharField(label=_("sent by or sent to"), max_length=300, required=False)
    signer = forms.CharField(label=_("signed by"), max_length=120, required=False)
    incoming_number = forms.IntegerField(label=_("incoming number (received documents)"), min_value=1,
                                         max_value=999_999, required=False)
    received_on = forms.DateField(label=_("received on"), required=False, widget=DATE)
