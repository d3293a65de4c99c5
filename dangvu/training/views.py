"""Pages for training classes: list and open a class, enrol, record results, export."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.lib.forms import DATE, Form, apply_form_errors
from dangvu.lib.ids import resolve_ids
from dangvu.lib.keys import STUDY_READ, STUDY_WRITE
from dangvu.lib.once import remember, replayed
from dangvu.lib.partydoc import docx_response
from dangvu.lib.xlsx import xlsx_response
from dangvu.orgs.access import get_member_for_user, get_unit_for_user
from dangvu.orgs.models import ACTIVE_STATUSES, Candidate, Member
from dangvu.orgs.scope import check_path, scope_for
from dangvu.orgs.selectors import member_search
from dangvu.orgs.views import breadcrumbs
from dangvu.study.models import AttendanceStatus
from dangvu.training import services as training
from dangvu.training.access import get_class_for_user
from dangvu.training.certificates import certificates_docx
from dangvu.training.models import Enrolment, Programme, TheoryLevel, TrainingClass


class ClassForm(Form):
    programme = forms.ModelChoiceField(label=gettext_lazy("programme"), queryset=Programme.objects.all())
    name = forms.CharField(label=gettext_lazy("class"), max_length=200)
    start = forms.DateField(label=gettext_lazy("from"), widget=DATE)
    end = forms.DateField(label=gettext_lazy("until"), widget=DATE)
    place = forms.CharField(label=gettext_lazy("place"), max_length=200, required=False)
    online = forms.BooleanField(label=gettext_lazy("online"), required=False)


def unit_classes(request, pk):
    unit = get_unit_for_user(request, pk, STUDY_READ)
    can_write = scope_for(request).can(STUDY_WRITE, unit.path)
    training.ensure_standard_programmes()
    form = ClassForm(request.POST or None)
    if request.method == "POST":
        check_path(request, unit.path, STUDY_WRITE)
        if again := replayed(request):
            return again
        if form.is_valid():
            try:
                cls = training.class_create(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                remember(request, url := reverse("training:class", args=[cls.pk]))
                return redirect(url)
    classes = (TrainingClass.objects.filter(unit__path__startswith=unit.path).select_related("programme", "unit")
               .order_by("-start")[:200])
    return render(request, "training/class_list.html", {"unit": unit, "classes": classes, "form": form,
                                                     "can_write": can_write,
                                                     "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def class_detail(request, pk):
    cls = get_class_for_user(request, pk, STUDY_READ)
    can_write = scope_for(request).can(STUDY_WRITE, cls.unit.path)
    enrolments = cls.enrolments.select_related("member__unit", "candidate__unit").order_by("pk")
    if request.GET.get("format") == "certificates":
        completed = [e for e in enrolments if e.result == Enrolment.Result.COMPLETED]
        if not completed:
            messages.error(request, _("Nobody has completed this class yet: there is no certificate to print."))
            return redirect("training:class", pk=cls.pk)
        return docx_response(certificates_docx(completed), f"chung-nhan-lop-{cls.pk}.docx")
    if request.GET.get("format") == "xlsx":
        headers = [_("Full name"), _("Unit"), _("result"), _("score"), _("certificate number")]
        rows = ([e.person.full_name, e.person.unit.name, e.get_result_display(), e.score, e.certificate_number]
                for e in enrolments)
        return xlsx_response(f"ket-qua-lop-{cls.pk}.xlsx", _("Class results"), headers, rows)
    if request.method == "POST":
        check_path(request, cls.unit.path, STUDY_WRITE)
        try:
            if "lesson" in request.POST:
                marks = {e.pk: request.POST[f"e{e.pk}"] for e in enrolments if request.POST.get(f"e{e.pk}")}
                topic_id = request.POST.get("topic")
                topic = resolve_ids(cls.programme.topics.all(), [topic_id], "topic")[0] if topic_id else None
                try:
                    held_on = datetime.date.fromisoformat(request.POST.get("held_on", ""))
                except ValueError:
                    raise ValidationError(_("Not a valid date.")) from None
                training.class_session_record(actor=request.user, training_class=cls, held_on=held_on,
                                              topic=topic, marks=marks)
                messages.success(request, _("The lesson and its attendance were saved."))
            elif "enrol" in request.POST:
                # ids from the page, resolved under the class's unit (which the user may write)
                members = resolve_ids(Member.objects.filter(unit__path__startswith=cls.unit.path)
                                      .select_related("unit"), request.POST.getlist("member"), "member")
                candidates = resolve_ids(Candidate.objects.filter(unit__path__startswith=cls.unit.path,
                                                                  erased_on__isnull=True)
                                         .select_related("unit"), request.POST.getlist("candidate"), "candidate")
                n = training.enrol(actor=request.user, training_class=cls, members=members, candidates=candidates)
                messages.success(request, _("%(n)s people enrolled.") % {"n": n})
            else:
                enrolment, = resolve_ids(enrolments, [request.POST.get("enrolment", "")], "enrolment")
                training.result_record(actor=request.user, enrolment=enrolment, result=request.POST.get("result", ""),
                                       score=request.POST.get("score") or None,
                                       certificate_number=request.POST.get("certificate_number", ""))
                messages.success(request, _("The result was saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("training:class", pk=cls.pk)
    q = request.GET.get("q", "")
    pickable_members = pickable_candidates = []
    if can_write and q:
        pickable_members = member_search(Member.objects.filter(unit__path__startswith=cls.unit.path,
                                                               status__in=ACTIVE_STATUSES).select_related("unit"), q)[:30]
        pickable_candidates = member_search(Candidate.objects.filter(unit__path__startswith=cls.unit.path,
                                                                     erased_on__isnull=True)
                                            .select_related("unit"), q)[:30]
    lessons = cls.sessions.select_related("topic").prefetch_related("attendance")
    return render(request, "training/class_detail.html", {
        "lessons": [(lesson, sum(a.status == "present" for a in lesson.attendance.all())) for lesson in lessons],
        "topics": cls.programme.topics.all(), "attendance_choices": AttendanceStatus.choices,
        "cls": cls, "enrolments": enrolments, "can_write": can_write, "q": q, "results": Enrolment.Result.choices,
        "pickable_members": pickable_members, "pickable_candidates": pickable_candidates,
        "breadcrumbs": breadcrumbs(request, cls.unit) + [cls.unit]})


class TheoryForm(Form):
    level = forms.ChoiceField(label=gettext_lazy("level"), choices=TheoryLevel.Level.choices)
    status = forms.ChoiceField(label=gettext_lazy("status"), choices=TheoryLevel.Status.choices)
    decision = forms.CharField(label=gettext_lazy("decision"), max_length=60, required=False)
    sent_on = forms.DateField(label=gettext_lazy("sent on"), required=False, widget=DATE)
    completed_on = forms.DateField(label=gettext_lazy("completed on"), required=False, widget=DATE)
    certificate_number = forms.CharField(label=gettext_lazy("certificate number"), max_length=40, required=False)


def member_training(request, pk):
    """A member's political-theory levels and classes; officers record a level here."""
    member = get_member_for_user(request, pk)
    can_write = scope_for(request).can(STUDY_WRITE, member.unit.path)
    form = TheoryForm(request.POST or None)
    if request.method == "POST":
        check_path(request, member.unit.path, STUDY_WRITE)
        if form.is_valid():
            try:
                training.theory_record(actor=request.user, member=member, **form.cleaned_data)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The political theory level was saved."))
                return redirect("training:member_training", pk=member.pk)
    return render(request, "training/member_training.html", {
        "member": member, "form": form, "can_write": can_write,
        "levels": member.theory_levels.all(),
        "enrolments": member.enrolments.select_related("training_class__programme"),
        "breadcrumbs": breadcrumbs(request, member.unit) + [member.unit]})


def certificate(request, pk):
    """One person's certificate: for the office that reads the class, or the member themselves."""
    enrolment = (Enrolment.objects.select_related("training_class__unit", "training_class__programme",
                                                  "member__unit", "candidate__unit").filter(pk=pk).first())
    if enrolment is None:
        raise Http404
    own = enrolment.member_id and enrolment.member.user_id == request.user.id
    if not own:
        check_path(request, enrolment.training_class.unit.path, STUDY_READ)
    if enrolment.result != Enrolment.Result.COMPLETED:
        raise Http404
    return docx_response(certificates_docx([enrolment]), f"chung-nhan-{enrolment.pk}.docx")
