"""The pages of thematic topics a committee sets for its cells: the committee's topics of a year
with the form to set one, and one topic with each cell's thematic meeting of the period
(held, scheduled or none yet), where it is changed or cancelled."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.documents.models import Document
from dangvu.lib.forms import DATE, Form, apply_form_errors
from dangvu.lib.keys import MEETINGS_READ, MEETINGS_WRITE
from dangvu.lib.periods import FIRST_YEAR, LAST_YEAR, year_asked
from dangvu.meetings import thematic
from dangvu.meetings.access import get_assignment_for_cell, get_plan_for_user
from dangvu.meetings.api import documents_for
from dangvu.meetings.models import ThematicPlan
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.models import OrgUnit, UnitKind, UnitPlacement
from dangvu.orgs.placements import under
from dangvu.orgs.scope import scope_for
from dangvu.orgs.views import breadcrumbs

# A commune's cells are offered one by one; above that many, a topic goes to every cell.
MAX_CELLS_OFFERED = 200
QUARTERS = [("1", "I"), ("2", "II"), ("3", "III"), ("4", "IV")]
MONTHS = [("", gettext_lazy("the whole quarter"))] + [(str(m), str(m)) for m in range(1, 13)]
# the service names the suggested window as the API does
FIELDS = {"from": "window_from", "to": "window_to", "documents": "documents", "cells": "cells"}


class TopicForm(Form):
    """What a topic says: the topic, documents, guidance and the suggested days."""

    topic = forms.CharField(label=gettext_lazy("topic"), max_length=300)
    documents = forms.ModelMultipleChoiceField(label=gettext_lazy("documents to read"), required=False,
                                               queryset=Document.objects.none())
    note = forms.CharField(label=gettext_lazy("guidance"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    window_from = forms.DateField(label=gettext_lazy("suggested from"), widget=DATE, required=False)
    window_to = forms.DateField(label=gettext_lazy("suggested until"), widget=DATE, required=False)

    def __init__(self, *args, committee, chosen=(), **kwargs):
        super().__init__(*args, **kwargs)
        latest = Document.objects.filter(documents_for(committee)).order_by("-issued_on", "-id")
        offered = set(latest.values_list("pk", flat=True)[:100]) | set(chosen)
        self.fields["documents"].queryset = Document.objects.filter(pk__in=offered).order_by("-issued_on", "-id")


class PlanForm(TopicForm):
    """A topic for a period, for every cell under the committee or those chosen."""

    year = forms.IntegerField(label=gettext_lazy("year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    quarter = forms.TypedChoiceField(label=gettext_lazy("quarter"), choices=QUARTERS, coerce=int)
    month = forms.TypedChoiceField(label=gettext_lazy("month"), choices=MONTHS, coerce=int, required=False,
                                   empty_value=None)
    cells = forms.ModelMultipleChoiceField(
        label=gettext_lazy("cells"), required=False, queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave every box empty for all the cells under the committee in that period."))
    field_order = ["year", "quarter", "month", "topic", "documents", "note", "window_from", "window_to", "cells"]

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, committee=committee, **kwargs)
        ever = UnitPlacement.objects.filter(under(committee, "path"), kind=UnitKind.CELL).values("unit_id")
        cells = OrgUnit.objects.filter(pk__in=ever).exclude(pk=committee.pk).order_by("path")
        if cells.count() > MAX_CELLS_OFFERED:
            del self.fields["cells"]
        else:
            self.fields["cells"].queryset = cells


def _apply(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        exc = ValidationError({FIELDS.get(k, k): v for k, v in exc.error_dict.items()})
    apply_form_errors(form, exc)


def unit_plans(request, pk):
    """A committee's thematic topics of a year, how far its cells are with each, and the form
    to set one (meetings:write over the committee)."""
    unit = get_unit_for_user(request, pk, MEETINGS_READ)
    if unit.kind == UnitKind.CELL:
        raise Http404
    today = timezone.localdate()
    year, problem = year_asked(request.GET.get("year"), today.year)
    if problem:
        messages.warning(request, problem)
    can_write = scope_for(request).can(MEETINGS_WRITE, unit.path)
    form = None
    if can_write:
        form = PlanForm(request.POST or None, committee=unit,
                        initial={"year": today.year, "quarter": str((today.month - 1) // 3 + 1)})
    if request.method == "POST":
        get_unit_for_user(request, pk, MEETINGS_WRITE)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan, created = thematic.thematic_plan(
                    actor=request.user, unit=unit, year=data["year"], quarter=data["quarter"], month=data["month"],
                    topic=data["topic"], documents=data["documents"], note=data["note"],
                    window_from=data["window_from"], window_to=data["window_to"], cells=list(data.get("cells") or []))
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("The thematic topic was set for %(n)s cells.") % {
                    "n": plan.assignments.count()} if created else _("The thematic topic of that period was updated."))
                return redirect("meetings:thematic_plan", pk=plan.pk)
    plans = list(ThematicPlan.objects.filter(unit=unit, year=year).order_by("quarter", "month", "id")[:200])
    counts = thematic.counts_of_plans(plans)
    # next year's too: a topic set in December for January is found again here
    years = sorted(set(ThematicPlan.objects.filter(unit=unit).order_by().values_list("year", flat=True).distinct())
                   | {today.year, today.year + 1, year}, reverse=True)
    return render(request, "meetings/thematic_plans.html", {
        "unit": unit, "year": year, "years": years, "form": form, "plans": [(p, counts[p.pk]) for p in plans],
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def plan_detail(request, pk):
    """One topic: per cell, its thematic meeting of the period; changed or cancelled here."""
    plan = get_plan_for_user(request, pk)
    can_write = scope_for(request).can(MEETINGS_WRITE, plan.unit.path) and plan.status == ThematicPlan.Status.ACTIVE
    which = request.POST.get("form") if request.method == "POST" else None
    chosen = list(plan.documents.values_list("pk", flat=True))
    edit_form = TopicForm(request.POST if which == "edit" else None, committee=plan.unit, chosen=chosen, initial={
        "topic": plan.topic, "documents": chosen, "note": plan.note, "window_from": plan.window_from,
        "window_to": plan.window_to}) if can_write else None
    cancel_error = ""
    if which:
        get_plan_for_user(request, pk, MEETINGS_WRITE)
        if not can_write:  # a cancelled topic changes no more
            raise PermissionDenied
        try:
            if which == "edit":
                if edit_form.is_valid():
                    data = edit_form.cleaned_data
                    thematic.thematic_plan_edit(actor=request.user, plan=plan, topic=data["topic"],
                                                documents=data["documents"], note=data["note"],
                                                window_from=data["window_from"], window_to=data["window_to"])
                    messages.success(request, _("The thematic topic was changed; the meetings that took it and are "
                                                "not yet held show the change."))
                    return redirect(request.path)
            elif which == "cancel":
                thematic.thematic_plan_cancel(actor=request.user, plan=plan, reason=request.POST.get("reason", ""))
                messages.success(request, _("The thematic topic was cancelled."))
                return redirect(request.path)
            else:
                raise Http404
        except ValidationError as exc:
            if which == "edit":
                _apply(edit_form, exc)
            else:
                cancel_error = " ".join(exc.messages)
    rows = thematic.progress(plan)
    return render(request, "meetings/thematic_plan.html", {
        "plan": plan, "unit": plan.unit, "rows": rows, "counts": thematic.counts(rows), "can_write": can_write,
        "edit_form": edit_form, "cancel_error": cancel_error, "documents": plan.documents.order_by("-issued_on"),
        "today": timezone.localdate(), "breadcrumbs": breadcrumbs(request, plan.unit) + [plan.unit]})


def cell_items_context(request, unit, year: int, form) -> dict:
    """For a cell's calendar: the committees' topics of the year and the next with the cell's
    thematic meeting of each period; with ?thematic=<item> the scheduling form is filled from it."""
    if unit.kind != UnitKind.CELL:
        return {"thematic_items": [], "thematic_link": True}
    # next year's topics too: in December the committee plans the first quarter ahead
    items = thematic.cell_items(unit, year) + thematic.cell_items(unit, year + 1)
    chosen = request.GET.get("thematic")
    plan = get_assignment_for_cell(unit, chosen).plan if chosen else None  # another cell's item: 404
    if form is not None:
        plan_documents = set()
        for row in items:
            plan_documents |= {d.pk for d in row.assignment.plan.documents.all()}
        if plan is not None and request.method == "GET":
            plan_documents |= {d.pk for d in plan.documents.all()}
            today = timezone.localdate()
            day = plan.window_from if plan.window_from and plan.window_from >= today else None
            form.initial.update({"kind": "thematic", "topic": plan.topic, "date": day,
                                 "documents": [d.pk for d in plan.documents.all()]})
        if plan_documents:  # a topic's documents are offered even when older than the latest ones
            field = form.fields["documents"]
            field.queryset = Document.objects.filter(pk__in=set(field.queryset.values_list("pk", flat=True))
                                                     | plan_documents).order_by("-issued_on", "-id")
    return {"thematic_items": items, "thematic_link": False, "thematic_open": plan is not None and form is not None}
