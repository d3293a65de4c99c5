"""The meeting pages: a unit's calendar (a cell schedules; a committee sees its cells'), one
meeting (answers, attendance on a phone, minutes, votes), and the member's invitations."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.documents.models import Document
from dangvu.lib.forms import DATE, Form, apply_form_errors
from dangvu.lib.ids import parse_ids
from dangvu.lib.keys import MEETINGS_READ, MEETINGS_WRITE
from dangvu.meetings import services
from dangvu.meetings.access import get_meeting_for_user, get_vote_for_user, own_member
from dangvu.meetings.alerts import absence_alerts
from dangvu.meetings.api import documents_for
from dangvu.meetings.models import CHOICES, Answer, DuesPayment, Kind, Mark, Meeting, Vote
from dangvu.meetings.thematic_views import cell_items_context
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.models import Member, OrgUnit, UnitKind
from dangvu.orgs.scope import scope_for
from dangvu.orgs.views import breadcrumbs

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind of meeting"), choices=Kind.choices)
    date = forms.DateField(label=gettext_lazy("date"), widget=DATE)
    start = forms.TimeField(label=gettext_lazy("starts at"), widget=TIME, initial="19:30")
    end = forms.TimeField(label=gettext_lazy("ends at"), widget=TIME, initial="21:00")
    place = forms.CharField(label=gettext_lazy("place"), max_length=200, required=False)
    online = forms.URLField(label=gettext_lazy("online link"), max_length=200, required=False, assume_scheme="https")
    topic = forms.CharField(label=gettext_lazy("topic"), max_length=300, required=False)
    agenda = forms.CharField(label=gettext_lazy("agenda"), max_length=4000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    documents = forms.ModelMultipleChoiceField(label=gettext_lazy("documents to read"), required=False,
                                               queryset=Document.objects.none())
    prepared = forms.BooleanField(label=gettext_lazy("prepared by the cell committee beforehand"), required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        latest = Document.objects.filter(documents_for(unit)).order_by("-issued_on", "-id")
        self.fields["documents"].queryset = Document.objects.filter(
            pk__in=list(latest.values_list("pk", flat=True)[:100])).order_by("-issued_on", "-id")


class MinutesForm(Form):
    dues = forms.CharField(label=services.SECTION_TITLES["dues"], required=False, max_length=8000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    roll_call = forms.CharField(label=services.SECTION_TITLES["roll_call"], required=False, max_length=8000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    agenda = forms.CharField(label=services.SECTION_TITLES["agenda"], required=False, max_length=8000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    report = forms.CharField(label=services.SECTION_TITLES["report"], required=False, max_length=8000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    discussion = forms.CharField(label=services.SECTION_TITLES["discussion"], required=False, max_length=8000,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    resolution = forms.CharField(label=gettext_lazy("resolution"), required=False, max_length=8000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=gettext_lazy("reason for the change"), required=False, max_length=300,
                             help_text=gettext_lazy("Needed once the minutes are approved."))


class RescheduleForm(Form):
    """Moving a meeting not yet held: the new day, time and place, and why."""

    date = forms.DateField(label=gettext_lazy("new date"), widget=DATE)
    start = forms.TimeField(label=gettext_lazy("starts at"), widget=TIME)
    end = forms.TimeField(label=gettext_lazy("ends at"), widget=TIME)
    place = forms.CharField(label=gettext_lazy("place"), max_length=200, required=False)
    reason = forms.CharField(label=gettext_lazy("reason for the move"), max_length=300)


def unit_meetings(request, pk):
    """A cell's calendar and its scheduling form; a committee's cells with their meetings of the
    year; the members with three months or more absent without leave."""
    unit = get_unit_for_user(request, pk, MEETINGS_READ)
    today = timezone.localdate()
    year = today.year
    can_write = scope_for(request).can(MEETINGS_WRITE, unit.path) and unit.kind == UnitKind.CELL
    form = MeetingForm(request.POST or None, unit=unit) if can_write else None
    thematic = cell_items_context(request, unit, year, form)  # the committees' topics for the cell
    if request.method == "POST":
        get_unit_for_user(request, pk, MEETINGS_WRITE)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_schedule(
                    actor=request.user, unit=unit, kind=data["kind"], date=data["date"], start=data["start"],
                    end=data["end"], place=data["place"], online=data["online"], topic=data["topic"],
                    agenda=data["agenda"], documents=data["documents"], prepared=data["prepared"])
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The meeting was scheduled and its members invited."))
                return redirect("meetings:meeting", pk=meeting.pk)
    meetings = (Meeting.objects.filter(unit__path__startswith=unit.path, date__year=year)
                .select_related("unit").order_by("-date", "-start")[:300])
    alerts = absence_alerts(unit, year)
    names = dict(Member.objects.filter(pk__in=[a.member_id for a in alerts]).values_list("pk", "full_name"))
    return render(request, "meetings/unit_meetings.html", {
        "unit": unit, "year": year, "meetings": meetings, "form": form, "today": today,
        "alerts": [(a, names.get(a.member_id, "")) for a in alerts], **thematic,
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request, pk)
    scope = scope_for(request)
    can_write = scope.can(MEETINGS_WRITE, meeting.unit.path)
    reader = can_write or scope.can(MEETINGS_READ, meeting.unit.path)
    member = own_member(request)
    mine = meeting.attendance.filter(member=member).first() if member is not None else None
    which = request.POST.get("form") if request.method == "POST" else None
    latest = meeting.minutes.order_by("-version").first()
    minutes_form = MinutesForm(request.POST if which == "minutes" else None, initial={
        **(latest.sections if latest else {}), "resolution": latest.resolution if latest else ""})
    reschedule_form = None
    if can_write and (meeting.status == Meeting.Status.SCHEDULED or which == "reschedule"):  # a refusal on its field
        reschedule_form = RescheduleForm(request.POST if which == "reschedule" else None, initial={
            "date": meeting.date, "start": meeting.start, "end": meeting.end, "place": meeting.place})
    forms_on_page = {"minutes": minutes_form, "reschedule": reschedule_form}
    if which:
        if which in ("answer", "ballot"):
            if mine is None:
                raise PermissionDenied
        elif not can_write:
            raise PermissionDenied
        try:
            done = _act(request, meeting, which, member, forms_on_page)
        except ValidationError as exc:
            if forms_on_page.get(which) is not None:
                apply_form_errors(forms_on_page[which], exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect(request.path)
        else:
            if done:
                return redirect(request.path)
    rows = (meeting.attendance.select_related("member").order_by("member__sort_key") if reader else [])
    from dangvu.meetings.dues import month_start, monthly_amount

    month = month_start(meeting.date)
    paid = set(DuesPayment.objects.filter(meeting_members(meeting), month=month).values_list("member_id", flat=True))
    sheet = [(a, a.member_id in paid, monthly_amount(a.member, month)) for a in rows] if can_write else []
    votes = list(meeting.votes.all())
    voted = set()
    if member is not None:
        voted = set(meeting.votes.filter(voters__member=member).values_list("pk", flat=True))
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting, "can_write": can_write, "reader": reader, "mine": mine, "rows": rows,
        "marks": Mark.choices, "answers": Answer.choices, "choices": CHOICES, "sheet": sheet, "month": month, "minutes": latest, "minutes_form": minutes_form,
        "reschedule_form": reschedule_form,
        "versions": meeting.minutes.order_by("version") if reader else [],
        "votes": [(v, services.passed(v), services.voters(v), v.pk in voted) for v in votes],
        "documents": meeting.documents.order_by("-issued_on"), "unit": meeting.unit,
        "breadcrumbs": breadcrumbs(request, meeting.unit) + [meeting.unit] if reader else []})


def _act(request, meeting: Meeting, which: str, member, forms_on_page: dict) -> bool:
    actor, post = request.user, request.POST
    minutes_form = forms_on_page["minutes"]
    if which == "answer":
        services.invitation_answer(actor=actor, meeting=meeting, member=member, answer=post.get("answer", ""),
                                   reason=post.get("reason", ""))
        messages.success(request, _("Your answer was sent to the cell."))
    elif which == "attendance":
        marks = []
        for row in meeting.attendance.order_by("member__sort_key", "member_id"):
            mark = post.get(f"mark-{row.member_id}", "")
            if mark:
                marks.append((row.member_id, mark))
        services.attendance_record(actor=actor, meeting=meeting, marks=marks)
        messages.success(request, _("The attendance was saved."))
    elif which == "prepared":
        services.meeting_prepared(actor=actor, meeting=meeting, prepared=post.get("prepared") == "1")
    elif which == "cancel":
        services.meeting_cancel(actor=actor, meeting=meeting, reason=post.get("reason", ""))
        messages.success(request, _("The meeting was cancelled."))
    elif which == "reschedule":
        form = forms_on_page["reschedule"]
        if form is None:  # held or cancelled: nothing to move
            raise ValidationError(_("Only a meeting not yet held moves."))
        if not form.is_valid():
            return False
        data = form.cleaned_data
        services.meeting_reschedule(actor=actor, meeting=meeting, date=data["date"], start=data["start"],
                                    end=data["end"], place=data["place"], reason=data["reason"])
        messages.success(request, _("The meeting was moved; its members see the new day."))
    elif which == "minutes":
        if not minutes_form.is_valid():
            return False
        data = minutes_form.cleaned_data
        services.minutes_save(actor=actor, meeting=meeting, sections=data, resolution=data["resolution"],
                              approve="approve" in post, reason=data["reason"])
        messages.success(request, _("The minutes were saved."))
    elif which == "vote":
        services.vote_open(actor=actor, meeting=meeting, question=post.get("question", ""),
                           secret=post.get("secret") == "1", rule=post.get("rule", ""))
    elif which == "ballot":
        vote = _own_vote(request, meeting)
        try:
            services.ballot_cast(vote=vote, member=member, choice=post.get("choice", ""))
        except services.AlreadyVoted:
            raise ValidationError(_("You have already voted on this question.")) from None
        messages.success(request, _("Your ballot was cast."))
    elif which == "dues":
        from dangvu.meetings import dues

        month = dues.month_start(meeting.date)
        paid = set(DuesPayment.objects.filter(meeting_members(meeting), month=month).values_list("member_id",
                                                                                                   flat=True))
        count = 0
        with transaction.atomic():  # every ticked member recorded, or none (a refusal names the member)
            for row in meeting.attendance.select_related("member"):
                if post.get(f"paid-{row.member_id}") and row.member_id not in paid:
                    dues.dues_pay(actor=actor, member=row.member, months=[month], paid_on=meeting.date)
                    count += 1
        messages.success(request, _("Dues recorded for %(n)s members.") % {"n": count})
    elif which == "close":
        vote = _own_vote(request, meeting)
        counts = {k: _count(post.get(k)) for k in ("for", "against", "abstain")}
        services.vote_close(actor=actor, vote=vote, counts=counts)
    else:
        raise Http404
    return True


def meeting_members(meeting: Meeting):
    """A filter: the payments of the meeting's invited members."""
    return Q(member_id__in=meeting.attendance.values("member_id"))


def _count(value) -> int:
    try:
        return max(0, min(int(value or 0), 100000))
    except ValueError:
        return 0


def _own_vote(request, meeting: Meeting) -> Vote:
    try:
        [vote_id] = parse_ids([request.POST.get("vote", "")], "vote")
    except ValidationError:
        raise Http404 from None
    vote = get_vote_for_user(request, vote_id)
    if vote.meeting_id != meeting.pk:
        raise Http404
    return vote


def minutes_docx(request, pk):
    """The minutes as .docx in the Party's layout, for the record."""
    from dangvu.lib.partydoc import docx_response
    from dangvu.meetings.documents import minutes_document

    meeting = get_meeting_for_user(request, pk)
    if not scope_for(request).can(MEETINGS_READ, meeting.unit.path):
        raise Http404
    latest = meeting.minutes.order_by("-version").first()
    if latest is None:
        raise Http404
    return docx_response(minutes_document(meeting, latest), f"bien-ban-{meeting.date:%Y%m%d}-{meeting.pk}.docx")


def my_meetings(request):
    """The meetings the member is invited to: the coming ones first."""
    member = own_member(request)
    if member is None:
        raise Http404
    today = timezone.localdate()
    rows = (member.meeting_attendance.select_related("meeting__unit").filter(
        Q(meeting__date__lt=today) | Q(meeting__unit=member.unit))
            .filter(meeting__date__gte=today - datetime.timedelta(days=60)).order_by("meeting__date"))
    from dangvu.meetings.dues import months_owed

    payments = member.dues_payments.filter(month__year=today.year).order_by("month")
    owed = months_owed([member.pk], datetime.date(today.year, 1, 1),
                       today.replace(day=1) - datetime.timedelta(days=1)).get(member.pk, []) if today.month > 1 else []
    return render(request, "meetings/my_meetings.html", {"rows": rows, "today": today, "payments": payments,
                                                         "owed": owed})



MONTH = forms.DateInput(format="%m/%Y", attrs={"placeholder": "mm/yyyy", "inputmode": "numeric", "size": "7"})


class RemittanceForm(Form):
    first_month = forms.DateField(label=gettext_lazy("from the month"), widget=MONTH, input_formats=["%m/%Y", "%Y-%m"])
    last_month = forms.DateField(label=gettext_lazy("to the month"), widget=MONTH, input_formats=["%m/%Y", "%Y-%m"])
    amount = forms.IntegerField(label=gettext_lazy("amount (VND)"), min_value=1, max_value=10**12)
    remitted_on = forms.DateField(label=gettext_lazy("remitted on"), widget=DATE)
    to_unit = forms.ModelChoiceField(label=gettext_lazy("remitted to"), queryset=None, empty_label=None)

    def __init__(self, *args, cell, **kwargs):
        from dangvu.meetings.remittance import committees_above

        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = committees_above(cell)


def unit_dues(request, pk):
    """A unit's dues of a year: for a cell, what it collected month by month, kept, remitted to
    the committee above and still owes it, with the form to record a remittance; for a
    committee, the same totals for each of its cells."""
    from dangvu.lib.periods import possible_year
    from dangvu.meetings import remittance
    from dangvu.meetings.models import DuesRemittance

    unit = get_unit_for_user(request, pk, MEETINGS_READ)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404 from None
    if not possible_year(year):
        raise Http404
    is_cell = unit.kind == UnitKind.CELL
    can_write = is_cell and scope_for(request).can(MEETINGS_WRITE, unit.path)
    form = None
    if can_write:
        form = RemittanceForm(request.POST or None, cell=unit, initial={"remitted_on": today})
    if request.method == "POST":
        get_unit_for_user(request, pk, MEETINGS_WRITE)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = remittance.remittance_record(
                    actor=request.user, unit=unit, to_unit=data["to_unit"], first_month=data["first_month"],
                    last_month=data["last_month"], amount=data["amount"], remitted_on=data["remitted_on"])
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The remittance was recorded."))
                return redirect(f"{request.path}?year={done.first_month.year}")
    cells = [unit] if is_cell else list(OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.CELL)
                                        .order_by("path")[:500])
    books = remittance.books_of([c.pk for c in cells], year)
    return render(request, "meetings/unit_dues.html", {
        "unit": unit, "year": year, "is_cell": is_cell, "form": form, "keeps": remittance.keeps_percent(),
        "rows": [(c, books[c.pk]) for c in cells],
        "months": remittance.collected_by_month(unit, year) if is_cell else [],
        "remittances": DuesRemittance.objects.filter(unit__in=cells, first_month__year=year)
        .select_related("unit", "to_unit").order_by("first_month", "id")[:500],
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})
