from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.lib.forms import DATE, Form, ModelForm
from dangvu.orgs.models import ACTIVE_STATUSES, Candidate, Member, MemberStatus

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, format="%d/%m/%Y")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def decision_label(document) -> str:
    """A decision as a list offers it: its number, date and what it is about."""
    return f"{document.reference} ngày {document.issued_on:%d/%m/%Y}: {document.summary[:80]}"


class MemberForm(ModelForm):
    # the version opened: a save after someone else's is refused (dangvu/lib/concurrency.py)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    class Meta:
        model = Member
        fields = ["full_name", "date_of_birth", "sex", "admission_date", "official_date", "status",
                  "card_number", "phone", "email"]
        widgets = {f: DATE_WIDGET for f in ("date_of_birth", "admission_date", "official_date")}

    def __init__(self, *args, **kwargs):
        """Only the statuses this form may set: leaving is a dated event (MemberEventForm); a
        member who has left keeps their status here."""
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if self.instance.pk and self.instance.status not in ACTIVE_STATUSES:
            del self.fields["status"]
        else:
            self.fields["status"].choices = [(s.value, s.label) for s in MemberStatus if s in ACTIVE_STATUSES]

    @property
    def values(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.fields}

    def stored(self, member) -> dict:
        """The member's stored values of this form's fields (beside the officer's, on a conflict)."""
        return {f: getattr(member, f) for f in self.Meta.fields if f in self.fields}


class MemberEventForm(Form):
    """What happened to a member, dated, with the decision from the register: through the same
    services as the API."""
    EVENTS = [("transfer", _("Transferred to another cell (chuyển sinh hoạt)")),
              ("full", _("Recognised as a full member (công nhận đảng viên chính thức)")),
              ("died", _("Died")), ("removed", _("Struck off the rolls (xóa tên)")),
              ("expelled", _("Expelled (khai trừ)")), ("moved_away", _("Moved out of the system (chuyển đi)")),
              ("exempt", _("Exempted from Party work and meetings (miễn công tác và sinh hoạt đảng)")),
              ("suspended", _("Suspended from Party activity (đình chỉ sinh hoạt đảng)"))]
    event = forms.ChoiceField(label=_("What happened"), choices=EVENTS, widget=forms.RadioSelect)
    date = forms.DateField(label=_("date"), widget=DATE, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    unit = forms.ModelChoiceField(label=_("to cell"), queryset=None, required=False,
                                  help_text=_("For a transfer: the cell the member moves to."))
    decision = forms.ModelChoiceField(label=_("decision"), queryset=None, required=False,
                                      help_text=_("The decision in the document register, if it is recorded there."))
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    until = forms.DateField(label=_("until"), widget=DATE, input_formats=["%d/%m/%Y", "%Y-%m-%d"], required=False,
                            help_text=_("For an exemption or a suspension: its last day, if it is known."))

    def __init__(self, *args, cells, decisions, full: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = cells
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = decision_label
        if full:  # already a full member: nothing to recognise
            self.fields["event"].choices = [c for c in self.EVENTS if c[0] != "full"]

    def clean(self):
        data = super().clean()
        if data.get("event") == "transfer" and not data.get("unit"):
            self.add_error("unit", _("Choose the cell the member moves to."))
        return data


class CandidateForm(ModelForm):
    """A candidate's details; the stage is chosen when they are added (one already on the way),
    then moves a step at a time on their page."""

    class Meta:
        model = Candidate
        fields = ["full_name", "date_of_birth", "sex", "stage"]
        widgets = {"date_of_birth": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].input_formats = DATE_FORMATS
        if self.instance.pk:
            del self.fields["stage"]
        else:  # admission is dated, with its decision: its own action
            self.fields["stage"].choices = [c for c in Candidate.Stage.choices if c[0] != Candidate.Stage.ADMITTED]

    @property
    def values(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.fields}


class AdmissionForm(Form):
    """Kết nạp: the date and, if it is in the register, the decision."""
    admission_date = forms.DateField(label=_("admission date"), widget=DATE, input_formats=DATE_FORMATS)
    decision = forms.ModelChoiceField(label=_("admission decision"), queryset=None, required=False,
                                      help_text=_("The decision in the document register, if it is recorded there."))

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = decision_label


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
